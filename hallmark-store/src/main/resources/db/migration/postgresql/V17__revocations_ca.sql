-- A complete CRL of a million revocations read from one table (docs/benchmarks.md, "Complete CRL ... from the
-- store"): each revocation carries its certificate's CA, notAfter and CRL partition, which the CRL filters on.
-- Copied once, at revocation: certificates are append-only, so the copies never go stale. A row written without
-- them (NULL ca_name) is still found through the certificate (JdbcCertificateRepository.eachRevoked).
ALTER TABLE revocations ADD COLUMN ca_name VARCHAR(64);
ALTER TABLE revocations ADD COLUMN not_after BIGINT;
ALTER TABLE revocations ADD COLUMN crl_partition INTEGER;
ALTER TABLE revocations DISABLE TRIGGER revocations_append_only;
UPDATE revocations r SET ca_name = c.ca_name, not_after = c.not_after, crl_partition = c.crl_partition
    FROM certificates c WHERE c.serial = r.serial;
ALTER TABLE revocations ENABLE TRIGGER revocations_append_only;
CREATE INDEX revocations_ca ON revocations (ca_name, crl_partition);
