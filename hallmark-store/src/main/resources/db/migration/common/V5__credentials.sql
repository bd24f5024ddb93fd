-- REST API callers (tokens and operator client certificates) and one-time enrollment tokens.
-- Secrets are stored only as SHA-256 hashes.
CREATE TABLE api_principals (
    id          VARCHAR(64) PRIMARY KEY,
    name        VARCHAR(128) NOT NULL,
    role        VARCHAR(16) NOT NULL,
    kind        VARCHAR(16) NOT NULL,
    secret_hash CHAR(64),
    created_at  BIGINT NOT NULL,
    revoked_at  BIGINT
);

CREATE TABLE enrollment_tokens (
    id          VARCHAR(32) PRIMARY KEY,
    device_id   VARCHAR(64) NOT NULL,
    secret_hash CHAR(64) NOT NULL,
    expires_at  BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    used_at     BIGINT
);
