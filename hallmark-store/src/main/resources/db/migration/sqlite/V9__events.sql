-- Telemetry events (issuance, enrollment, authentication failures, revocations, OCSP counts per minute, CRL
-- publication, factory progress, authentications reported by brokers and clouds). Unlike the audit log they
-- are not evidence: they age out after the retention setting ('events.retention' in config, default 90 days).
CREATE TABLE events (
    id        INTEGER PRIMARY KEY,
    at        BIGINT NOT NULL,
    type      VARCHAR(32) NOT NULL,
    device_id VARCHAR(255),
    subject   VARCHAR(255),
    result    VARCHAR(16),
    detail    VARCHAR(1024),
    count     BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX events_at ON events (at);
CREATE INDEX events_device_at ON events (device_id, at);

-- The retention watermark. Events are append-only like the rest of history, with one exception: rows older
-- than purge_before may be deleted. Purging moves the watermark forward (never back: the trigger below refuses)
-- and deletes below it in one transaction, so a bug or an intruder with the application's rights can drop
-- only what retention would drop anyway, and the watermark says how far that went.
CREATE TABLE events_watermark (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    purge_before BIGINT NOT NULL
);
INSERT INTO events_watermark (id, purge_before) VALUES (1, 0);

CREATE TRIGGER events_append_only_u BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_append_only_d BEFORE DELETE ON events
    WHEN OLD.at >= (SELECT purge_before FROM events_watermark WHERE id = 1)
    BEGIN SELECT RAISE(ABORT, 'events are append-only (only rows older than the retention watermark may be purged)'); END;
CREATE TRIGGER events_watermark_forward BEFORE UPDATE ON events_watermark
    WHEN NEW.purge_before < OLD.purge_before
    BEGIN SELECT RAISE(ABORT, 'the events retention watermark only moves forward'); END;
CREATE TRIGGER events_watermark_kept BEFORE DELETE ON events_watermark BEGIN SELECT RAISE(ABORT, 'events_watermark is kept'); END;
