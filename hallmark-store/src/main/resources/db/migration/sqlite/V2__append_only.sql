-- History is append-only: the application never updates or deletes these rows, and the database
-- refuses to, so a bug cannot quietly rewrite history. (Someone with write access to the file can drop
-- the triggers; the audit chain is what detects that kind of tampering.)
CREATE TRIGGER certificates_append_only_u BEFORE UPDATE ON certificates BEGIN SELECT RAISE(ABORT, 'certificates are append-only'); END;
CREATE TRIGGER certificates_append_only_d BEFORE DELETE ON certificates BEGIN SELECT RAISE(ABORT, 'certificates are append-only'); END;
CREATE TRIGGER revocations_append_only_u BEFORE UPDATE ON revocations BEGIN SELECT RAISE(ABORT, 'revocations are append-only'); END;
CREATE TRIGGER revocations_append_only_d BEFORE DELETE ON revocations BEGIN SELECT RAISE(ABORT, 'revocations are append-only'); END;
CREATE TRIGGER audit_log_append_only_u BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_append_only_d BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
