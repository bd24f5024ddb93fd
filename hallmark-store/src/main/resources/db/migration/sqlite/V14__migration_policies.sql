-- Key migration policies (crypto agility): per device group, "at the next (re-)enrollment, move to algorithm X
-- under CA Y". Shared configuration, so every change moves config_head (every node reloads them), and history:
-- a policy is never edited. A new policy for the same group supersedes the one before; removing one appends a
-- removal. Both tables refuse UPDATE and DELETE.
CREATE TABLE migration_policies (
    id            BIGINT PRIMARY KEY,
    group_kind    VARCHAR(16) NOT NULL,
    group_value   TEXT NOT NULL,
    to_ca         VARCHAR(64) NOT NULL,
    to_profile    VARCHAR(64),
    to_algorithm  VARCHAR(32) NOT NULL,
    grace_seconds BIGINT NOT NULL,
    created_at    BIGINT NOT NULL,
    actor         VARCHAR(255) NOT NULL
);

CREATE TABLE migration_policy_removals (
    policy_id  BIGINT PRIMARY KEY REFERENCES migration_policies (id),
    removed_at BIGINT NOT NULL,
    actor      VARCHAR(255) NOT NULL
);

CREATE TRIGGER migration_policies_append_only_u BEFORE UPDATE ON migration_policies BEGIN SELECT RAISE(ABORT, 'migration_policies are append-only'); END;
CREATE TRIGGER migration_policies_append_only_d BEFORE DELETE ON migration_policies BEGIN SELECT RAISE(ABORT, 'migration_policies are append-only'); END;
CREATE TRIGGER migration_policy_removals_append_only_u BEFORE UPDATE ON migration_policy_removals BEGIN SELECT RAISE(ABORT, 'migration_policy_removals are append-only'); END;
CREATE TRIGGER migration_policy_removals_append_only_d BEFORE DELETE ON migration_policy_removals BEGIN SELECT RAISE(ABORT, 'migration_policy_removals are append-only'); END;
