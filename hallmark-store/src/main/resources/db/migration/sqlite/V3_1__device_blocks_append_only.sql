-- V3.1: the vendor half of V3 (Flyway allows one V3 across locations).
-- A block is permanent: the database refuses to lift it, like the rest of history.
CREATE TRIGGER device_blocks_append_only_u BEFORE UPDATE ON device_blocks BEGIN SELECT RAISE(ABORT, 'device_blocks are append-only'); END;
CREATE TRIGGER device_blocks_append_only_d BEFORE DELETE ON device_blocks BEGIN SELECT RAISE(ABORT, 'device_blocks are append-only'); END;
