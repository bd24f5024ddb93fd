-- OCSP responder keys follow their CA's vault: beside a CA on a PKCS#11 token the responder's key is made on the
-- token too and the row holds only its pkcs11: reference (sealed_key NULL). retired_key_ref names the token key
-- the current responder replaced; it is deleted from the token at the next rotation, a responder's life later,
-- when no node can still be signing with it. SQLite cannot drop a NOT NULL constraint: the table is rebuilt.
CREATE TABLE ocsp_responders_v8 (
    ca_name         VARCHAR(64) PRIMARY KEY REFERENCES cas (name),
    serial          VARCHAR(40) NOT NULL REFERENCES certificates (serial),
    key_ref         VARCHAR(512) NOT NULL,
    sealed_key      TEXT,
    retired_key_ref VARCHAR(512),
    rotated_at      BIGINT NOT NULL
);
INSERT INTO ocsp_responders_v8 (ca_name, serial, key_ref, sealed_key, rotated_at)
    SELECT ca_name, serial, key_ref, sealed_key, rotated_at FROM ocsp_responders;
DROP TABLE ocsp_responders;
ALTER TABLE ocsp_responders_v8 RENAME TO ocsp_responders;
