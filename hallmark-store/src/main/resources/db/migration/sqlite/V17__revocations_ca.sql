-- A complete CRL of a million revocations read from one table (docs/benchmarks.md, "Complete CRL ... from the
-- store"): each revocation carries its certificate's CA, notAfter and CRL partition, which the CRL filters on.
-- Copied once, at revocation: certificates are append-only, so the copies never go stale. Joining every
-- revocation to its certificate (a random 160-bit key into a table of ~900-byte rows) cost about 3.5 s of CPU
-- per million in SQLite; scanning the revocations alone, 0.2 s. A row written without them (NULL ca_name) is
-- still found through the certificate (JdbcCertificateRepository.eachRevoked).
ALTER TABLE revocations ADD COLUMN ca_name VARCHAR(64);
ALTER TABLE revocations ADD COLUMN not_after BIGINT;
ALTER TABLE revocations ADD COLUMN crl_partition INTEGER;
DROP TRIGGER revocations_append_only_u;
UPDATE revocations SET
    ca_name = (SELECT c.ca_name FROM certificates c WHERE c.serial = revocations.serial),
    not_after = (SELECT c.not_after FROM certificates c WHERE c.serial = revocations.serial),
    crl_partition = (SELECT c.crl_partition FROM certificates c WHERE c.serial = revocations.serial);
CREATE TRIGGER revocations_append_only_u BEFORE UPDATE ON revocations BEGIN SELECT RAISE(ABORT, 'revocations are append-only'); END;
CREATE INDEX revocations_ca ON revocations (ca_name, crl_partition);
