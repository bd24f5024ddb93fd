-- V3.1: the vendor half of V3 (Flyway allows one V3 across locations).
-- A block is permanent: the database refuses to lift it, like the rest of history.
CREATE TRIGGER device_blocks_append_only BEFORE UPDATE OR DELETE ON device_blocks FOR EACH ROW EXECUTE FUNCTION hallmark_append_only();
