-- A device identity is found from its certificate through the primary key, not through an index of its own.
--
-- device_identities_serial (V10) indexed a random 40-character serial: every factory row inserted into it dirtied a
-- leaf page of its own, which the commit then wrote to the WAL (SQLite) or the index (PostgreSQL). Measured on a
-- cold 100,000-device batch (docs/benchmarks.md, "Factory"): 6 µs of CPU per device on SQLite, a fifth of the
-- store's share. Every binding is written from its certificate's own device_id, profile and serial
-- (JdbcIssuanceRepository.record), so "the identity whose certificate is c" is the primary-key probe
-- (c.device_id, c.profile) with serial = c.serial; the queries that used this index do that now.
DROP INDEX device_identities_serial;
