-- Fleet counts at a million certificates (docs/benchmarks.md, "Overview and posture at 1,000,000 certificates"):
-- each device's last seen as a row of its own, the index the overview's expiry counts read, and the index that
-- finds the last signed audit checkpoint.

-- A device's last seen: the newest of its issuances, enrollments, re-enrollments and reported authentications
-- (written in the same transaction as the event) and of the OCSP queries about its certificates (gathered in
-- memory and written in batches, docs/monitoring.md). One row per registered device; not history (it moves),
-- and dropped with the events once retention passes it. The index answers "seen within" counts and filters.
CREATE TABLE device_last_seen (
    device_id VARCHAR(64) PRIMARY KEY REFERENCES devices (id),
    last_seen BIGINT NOT NULL
);
CREATE INDEX device_last_seen_at ON device_last_seen (last_seen);
INSERT INTO device_last_seen (device_id, last_seen)
SELECT e.device_id, MAX(e.at) FROM events e JOIN devices d ON d.id = e.device_id
WHERE e.type IN ('issuance', 'enrollment', 'reenrollment', 'auth-reported')
GROUP BY e.device_id;

-- The overview counts expired and soon-expiring certificates by CA and key algorithm over a range of notAfter:
-- with both in the index that range is read from the index alone, never from the rows and their DER. It starts
-- with not_after, so it serves every query the index it replaces served.
DROP INDEX certificates_not_after;
CREATE INDEX certificates_not_after_ca_algorithm ON certificates (not_after, ca_name, key_algorithm);

-- The last signed checkpoint: the audit axis verifies the chain from there forward, not from entry 1.
CREATE INDEX audit_log_action_seq ON audit_log (action, seq);
