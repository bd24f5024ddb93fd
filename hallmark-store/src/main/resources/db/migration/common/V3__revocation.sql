-- Revocation at fleet scale: CRL partitions, a revocation sequence, CRL numbers, device blocks.

-- The CRL partition a certificate's CRL distribution point names, fixed when it is issued (NULL: none,
-- e.g. certificates issued before publication was configured, which appear on the CA's full CRL only).
ALTER TABLE certificates ADD COLUMN crl_partition INTEGER;
CREATE INDEX certificates_ca_partition ON certificates (ca_name, crl_partition);

-- Every revocation takes the next number of one store-wide sequence, in commit order (the head row's
-- lock is held until commit). Delta CRLs list what follows their base's number; OCSP responders on
-- every node poll the head to drop cached answers. NULL: recorded before this migration.
ALTER TABLE revocations ADD COLUMN seq BIGINT;
CREATE INDEX revocations_seq ON revocations (seq);
CREATE TABLE revocation_head (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL
);
INSERT INTO revocation_head (id, seq) VALUES (1, 0);

-- RFC 5280 §5.2.3: one monotonic CRL number per CA, shared by complete and delta CRLs, whichever node signs.
CREATE TABLE crl_numbers (
    ca_name     VARCHAR(64) PRIMARY KEY REFERENCES cas (name),
    last_number BIGINT NOT NULL
);

-- The latest complete CRL per scope (crl_partition -1: the whole CA), the base that delta CRLs name.
CREATE TABLE crl_bases (
    ca_name       VARCHAR(64) NOT NULL REFERENCES cas (name),
    crl_partition INTEGER NOT NULL,
    crl_number    BIGINT NOT NULL,
    max_seq       BIGINT NOT NULL,
    this_update   BIGINT NOT NULL,
    PRIMARY KEY (ca_name, crl_partition)
);

-- Devices refused enrollment for good: their IDevID, or the device as a whole, was revoked.
CREATE TABLE device_blocks (
    device_id  VARCHAR(64) PRIMARY KEY REFERENCES devices (id),
    blocked_at BIGINT NOT NULL,
    reason     VARCHAR(32) NOT NULL,
    serial     VARCHAR(40),
    actor      VARCHAR(256) NOT NULL
);
