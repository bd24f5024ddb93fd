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
-- recorded (the backfill above). Every other column must stay as it was (compared as a whole row, so a column
-- added later is covered too), and a recorded algorithm never changes.
CREATE FUNCTION hallmark_certificates_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.key_algorithm IS NULL AND NEW.key_algorithm IS NOT NULL
            AND (to_jsonb(NEW) - 'key_algorithm') = (to_jsonb(OLD) - 'key_algorithm') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
DROP TRIGGER certificates_append_only ON certificates;
CREATE TRIGGER certificates_append_only BEFORE UPDATE OR DELETE ON certificates FOR EACH ROW EXECUTE FUNCTION hallmark_certificates_append_only();
