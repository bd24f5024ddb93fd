-- Factory provisioning (issue #5): stations, and who provisioned each device identity with what key storage.

-- A factory station: a client of Hallmark authenticated by its own client certificate (clients-ca,
-- profile client). cert_fingerprint (SHA-256 of that certificate's DER) is what the server looks up
-- after mutual TLS. issued counts certificates freshly issued for the station (replays do not count);
-- it is updated in the same transaction as the certificates, so it never drifts from them.
CREATE TABLE stations (
    name             VARCHAR(64) PRIMARY KEY,
    site             VARCHAR(128),
    product_line     VARCHAR(128),
    cas              VARCHAR(1024) NOT NULL,
    profiles         VARCHAR(1024) NOT NULL,
    quota            BIGINT,
    valid_from       BIGINT,
    valid_until      BIGINT,
    cert_serial      VARCHAR(40) NOT NULL REFERENCES certificates (serial),
    cert_fingerprint CHAR(64) NOT NULL UNIQUE,
    issued           BIGINT NOT NULL,
    created_at       BIGINT NOT NULL
);

-- Provenance of a device identity; NULL for identities issued one at a time (hallmark issue, EST).
ALTER TABLE device_identities ADD COLUMN station VARCHAR(64);
ALTER TABLE device_identities ADD COLUMN key_storage VARCHAR(32);
