-- Hallmark schema, portable between SQLite and PostgreSQL. Times are epoch milliseconds (BIGINT),
-- serials lowercase hex. ${bytes} is BLOB on SQLite and BYTEA on PostgreSQL.

CREATE TABLE cas (
    name        VARCHAR(64) PRIMARY KEY,
    parent      VARCHAR(64) REFERENCES cas (name),
    algorithm   VARCHAR(32) NOT NULL,
    key_ref     VARCHAR(512) NOT NULL,
    certificate ${bytes} NOT NULL,
    path_len    INTEGER,
    profiles    VARCHAR(1024) NOT NULL,
    created_at  BIGINT NOT NULL
);

-- Immutable once written: revocation lives in its own table.
CREATE TABLE certificates (
    serial      VARCHAR(40) PRIMARY KEY,
    ca_name     VARCHAR(64) NOT NULL REFERENCES cas (name),
    profile     VARCHAR(32) NOT NULL,
    device_id   VARCHAR(64),
    subject     VARCHAR(2048) NOT NULL,
    key_id      CHAR(64) NOT NULL,
    fingerprint CHAR(64) NOT NULL,
    not_before  BIGINT NOT NULL,
    not_after   BIGINT NOT NULL,
    issued_at   BIGINT NOT NULL,
    der         ${bytes} NOT NULL
);
CREATE INDEX certificates_device ON certificates (device_id);
CREATE INDEX certificates_not_after ON certificates (not_after);
CREATE INDEX certificates_issued ON certificates (issued_at);

CREATE TABLE revocations (
    serial          VARCHAR(40) PRIMARY KEY REFERENCES certificates (serial),
    reason          VARCHAR(32) NOT NULL,
    revoked_at      BIGINT NOT NULL,
    invalidity_date BIGINT
);

CREATE TABLE devices (
    id         VARCHAR(64) PRIMARY KEY,
    created_at BIGINT NOT NULL,
    hw_type    VARCHAR(256),
    hw_serial  VARCHAR(256)
);

-- A device's single identity per profile (its IDevID): the primary key makes a second one impossible,
-- whichever node races to issue it.
CREATE TABLE device_identities (
    device_id VARCHAR(64) NOT NULL REFERENCES devices (id),
    profile   VARCHAR(32) NOT NULL,
    serial    VARCHAR(40) NOT NULL REFERENCES certificates (serial),
    PRIMARY KEY (device_id, profile)
);

CREATE TABLE config (
    name  VARCHAR(128) PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE audit_log (
    seq       BIGINT PRIMARY KEY,
    at        BIGINT NOT NULL,
    actor     VARCHAR(256) NOT NULL,
    action    VARCHAR(64) NOT NULL,
    subject   VARCHAR(256),
    details   TEXT NOT NULL,
    prev_hash CHAR(64) NOT NULL,
    hash      CHAR(64) NOT NULL
);

-- The chain head: every append updates this one row first, which serialises appends across nodes.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash CHAR(64) NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
