-- History is append-only: the application never updates or deletes these rows, and the database
-- refuses to, so a bug cannot quietly rewrite history. (A superuser can drop the triggers; the audit
-- chain is what detects that kind of tampering.)
CREATE FUNCTION hallmark_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER certificates_append_only BEFORE UPDATE OR DELETE ON certificates FOR EACH ROW EXECUTE FUNCTION hallmark_append_only();
CREATE TRIGGER revocations_append_only BEFORE UPDATE OR DELETE ON revocations FOR EACH ROW EXECUTE FUNCTION hallmark_append_only();
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION hallmark_append_only();
