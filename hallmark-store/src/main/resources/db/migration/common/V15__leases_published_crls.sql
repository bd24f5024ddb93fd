-- Several nodes on one database: which node runs the work that must run once (a lease), and the CRLs that node
-- signs, stored so that every node serves the same ones.

-- A named lease, held by one node until expires_at (milliseconds since the epoch, by the database's clock, so nodes'
-- clocks do not matter). Taken and renewed with one conditional upsert: it succeeds only while the holder is the
-- caller or the lease has expired. acquired_at says since when the current holder holds it without a break.
CREATE TABLE leases (
    name        VARCHAR(64) PRIMARY KEY,
    holder      VARCHAR(255) NOT NULL,
    expires_at  BIGINT NOT NULL,
    acquired_at BIGINT NOT NULL
);

-- The newest CRL of each scope (crl_partition -1: the whole CA; is_delta 0 or 1), DER as published. Replaced only by
-- a higher CRL number, so what is stored never goes backwards; nodes serve it, reading crl_number on each request.
CREATE TABLE published_crls (
    ca_name       VARCHAR(64) NOT NULL REFERENCES cas (name),
    crl_partition INTEGER NOT NULL,
    is_delta      INTEGER NOT NULL CHECK (is_delta IN (0, 1)),
    crl_number    BIGINT NOT NULL,
    base_number   BIGINT,
    this_update   BIGINT NOT NULL,
    next_update   BIGINT NOT NULL,
    max_seq       BIGINT NOT NULL,
    entries       INTEGER NOT NULL,
    der           ${bytes} NOT NULL,
    PRIMARY KEY (ca_name, crl_partition, is_delta)
);
