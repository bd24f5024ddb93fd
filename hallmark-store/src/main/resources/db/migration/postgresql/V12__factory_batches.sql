-- Factory batches and their progress (both factory paths, the HTTPS endpoint and 'hallmark factory run', through
-- the one engine). History like the rest: a batch's start row, one row per committed chunk written in that chunk's
-- own transaction (so progress never runs ahead of or behind what is stored), and one row at its end. Nothing is
-- updated in place: progress is the sum of the chunk rows, the state is the end row (none yet: running).
CREATE TABLE factory_batches (
    id         VARCHAR(32) PRIMARY KEY,   -- the name factory.issue audit entries carry (BATCH/CHUNK)
    ca         VARCHAR(64) NOT NULL,
    profile    VARCHAR(64) NOT NULL,
    station    VARCHAR(64),               -- NULL: an operator's local run ('hallmark factory run' without --station)
    actor      VARCHAR(255) NOT NULL,     -- station:NAME, cli:USER
    declared   BIGINT,                    -- items the client said it would send, if it said
    started_at BIGINT NOT NULL
);
CREATE INDEX factory_batches_started ON factory_batches (started_at, id);

CREATE TABLE factory_batch_chunks (
    batch_id VARCHAR(32) NOT NULL REFERENCES factory_batches (id),
    chunk    BIGINT NOT NULL,             -- 1, 2, ... in commit order
    at       BIGINT NOT NULL,
    items    BIGINT NOT NULL,
    issued   BIGINT NOT NULL,
    existing BIGINT NOT NULL,
    failed   BIGINT NOT NULL,
    PRIMARY KEY (batch_id, chunk)
);

CREATE TABLE factory_batch_ends (
    batch_id VARCHAR(32) PRIMARY KEY REFERENCES factory_batches (id),
    at       BIGINT NOT NULL,
    state    VARCHAR(16) NOT NULL CHECK (state IN ('done', 'failed')),
    error    VARCHAR(1024)
);

-- A station can be disabled (and enabled again) without losing its record: its grant is read again in every
-- chunk's transaction, so a batch running when it is disabled stops at its next chunk. NULL: enabled.
ALTER TABLE stations ADD COLUMN disabled_at BIGINT;

-- hallmark_append_only() is V2's: it refuses with the table's name.
CREATE TRIGGER factory_batches_append_only BEFORE UPDATE OR DELETE ON factory_batches FOR EACH ROW EXECUTE FUNCTION hallmark_append_only();
CREATE TRIGGER factory_batch_chunks_append_only BEFORE UPDATE OR DELETE ON factory_batch_chunks FOR EACH ROW EXECUTE FUNCTION hallmark_append_only();
CREATE TRIGGER factory_batch_ends_append_only BEFORE UPDATE OR DELETE ON factory_batch_ends FOR EACH ROW EXECUTE FUNCTION hallmark_append_only();
