-- Inventory queries (issue #25): each certificate's key algorithm as a column, and indexes for what inventory
-- listings and the overview filter and count on.

-- Named as io.hallmark.core.inventory.CertificateKeyAlgorithm names it (ec-p256, rsa-2048...), recorded at
-- issuance. Rows from earlier versions are NULL here and filled from their DER when the store opens, in batches
-- (JdbcStore: KeyAlgorithmBackfill); the index finds the ones left.
ALTER TABLE certificates ADD COLUMN key_algorithm VARCHAR(32);
CREATE INDEX certificates_key_algorithm ON certificates (key_algorithm);

-- Listings by CA (and profile), and the overview's counts per CA, profile and algorithm: this index covers that
-- GROUP BY, so it reads the index instead of the table and its DER.
CREATE INDEX certificates_ca_profile_algorithm ON certificates (ca_name, profile, key_algorithm);

-- Key storage is recorded per device identity: listings join a certificate's device to it, the overview counts it.
CREATE INDEX device_identities_key_storage ON device_identities (key_storage);
-- "IDevID revoked": from a revocation to the device whose identity it is.
CREATE INDEX device_identities_serial ON device_identities (serial);

-- Certificates stay append-only, with one exception: filling key_algorithm once on a row written before it was
-- recorded (the backfill above). Every other column must stay as it was, and a recorded algorithm never changes.
DROP TRIGGER certificates_append_only_u;
CREATE TRIGGER certificates_append_only_u BEFORE UPDATE ON certificates
WHEN NOT (OLD.key_algorithm IS NULL AND NEW.key_algorithm IS NOT NULL
          AND NEW.serial IS OLD.serial AND NEW.ca_name IS OLD.ca_name AND NEW.profile IS OLD.profile
          AND NEW.device_id IS OLD.device_id AND NEW.subject IS OLD.subject AND NEW.key_id IS OLD.key_id
          AND NEW.fingerprint IS OLD.fingerprint AND NEW.not_before IS OLD.not_before AND NEW.not_after IS OLD.not_after
          AND NEW.issued_at IS OLD.issued_at AND NEW.der IS OLD.der AND NEW.crl_partition IS OLD.crl_partition)
BEGIN SELECT RAISE(ABORT, 'certificates are append-only'); END;
