-- Shared configuration across nodes: a sequence that moves with every change of it, and OCSP responders
-- whose keys every node can open.

-- Moves, in the same transaction, with every change of shared configuration (config, cas, stations, a CA's
-- revocation); nodes keep what they read cached and reload it when they see the number move (polled every
-- second, like revocation_head). The UPDATE's row lock orders concurrent changes.
CREATE TABLE config_head (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL
);
INSERT INTO config_head (id, seq) VALUES (1, 0);

-- The current delegated OCSP responder per CA. Its private key is sealed by the key vault (PBES2-encrypted
-- PKCS#8 under the vault passphrase), so every node opens it, whatever keys directory it has; rotating
-- replaces the row, which deletes the retired key. Rotation holds the CA's row lock (cas), so nodes rotating
-- at once make one successor. Responders recorded by earlier versions (config 'ocsp.responder.CA', key in a
-- keys directory) are replaced at the first rotation, and their key files deleted where they are found.
CREATE TABLE ocsp_responders (
    ca_name    VARCHAR(64) PRIMARY KEY REFERENCES cas (name),
    serial     VARCHAR(40) NOT NULL REFERENCES certificates (serial),
    key_ref    VARCHAR(512) NOT NULL,
    sealed_key TEXT NOT NULL,
    rotated_at BIGINT NOT NULL
);

-- Where earlier versions named each CA's responder; ocsp_responders replaces it.
DELETE FROM config WHERE name LIKE 'ocsp.responder.%';
