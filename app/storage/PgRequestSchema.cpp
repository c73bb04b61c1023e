#include "app/storage/PgRequestSchema.h"

namespace dcm {

namespace {

// Version 1: everything SQLite's four versions hold, the claim indexes PostgreSQL plans with, the
// notifications, and the fleet's shared breaker.
//
// requests_claimable is partial (only QUEUED and SUBMITTED rows, which are few next to the settled
// ones) and ordered (created_at, seq): a claim walks it oldest first and stops after its LIMIT, and
// FOR UPDATE SKIP LOCKED lets concurrent drainers pass each other's rows instead of queueing on them.
// The states are literal in the claim's SQL so that the planner can match the index's predicate.
const QStringList s_schemaV1{
    QStringLiteral("CREATE TABLE requests ("
                   " id text PRIMARY KEY,"
                   // Insertion order: the tie-break between requests created in the same millisecond.
                   " seq bigserial NOT NULL UNIQUE,"
                   " name text NOT NULL,"
                   " name_key text NOT NULL,"
                   " state text NOT NULL,"
                   " attempts integer NOT NULL DEFAULT 0,"
                   " next_attempt_at bigint,"
                   " created_at bigint NOT NULL,"
                   " updated_at bigint NOT NULL,"
                   " lease_owner text,"
                   " lease_until bigint,"
                   " last_error_kind text,"
                   " last_error_code text,"
                   " last_error_message text,"
                   " last_error_vim_fault text,"
                   " last_error_details text,"
                   " task_ref text,"
                   " vm_ref text,"
                   " instance_uuid text,"
                   " spec text NOT NULL,"
                   " requested_by text)"),
    QStringLiteral("CREATE TABLE request_events ("
                   " request_id text NOT NULL REFERENCES requests(id),"
                   " seq integer NOT NULL,"
                   " at bigint NOT NULL,"
                   " from_state text NOT NULL,"
                   " to_state text NOT NULL,"
                   " reason text,"
                   " attempts integer NOT NULL,"
                   " cause text,"
                   " reason_code text,"
                   " reason_args text,"
                   " PRIMARY KEY (request_id, seq))"),
    QStringLiteral("CREATE INDEX requests_claimable ON requests (created_at, seq)"
                   " WHERE state IN ('QUEUED_FOR_PROVISIONING', 'SUBMITTED')"),
    QStringLiteral("CREATE INDEX requests_in_flight ON requests (lease_until)"
                   " WHERE state IN ('PROVISIONING', 'RECONCILING')"),
    QStringLiteral("CREATE INDEX requests_created ON requests (created_at, seq)"),
    QStringLiteral("CREATE INDEX requests_updated ON requests (updated_at)"),
    QStringLiteral("CREATE TABLE breaker_events ("
                   " seq bigserial PRIMARY KEY,"
                   " at bigint NOT NULL,"
                   " from_state text NOT NULL,"
                   " to_state text NOT NULL,"
                   " reason text,"
                   " owner text,"
                   " snapshot text NOT NULL)"),
    // One row. state: CLOSED, OPEN or FORCED_OPEN (held by an administrator). next_scout_at is the
    // scout lease, in the database's own clock so that machines whose clocks differ agree: the one
    // drainer whose UPDATE moves it forward sends the scout; everyone else waits for the outcome.
    QStringLiteral("CREATE TABLE fleet_breaker ("
                   " id integer PRIMARY KEY CHECK (id = 1),"
                   " state text NOT NULL,"
                   " since timestamptz NOT NULL DEFAULT clock_timestamp(),"
                   " reason text,"
                   " changed_by text,"
                   " next_scout_at timestamptz,"
                   " scout_owner text,"
                   " paused boolean NOT NULL DEFAULT false,"
                   " paused_by text,"
                   " paused_reason text,"
                   " version bigint NOT NULL DEFAULT 0)"),
    QStringLiteral("INSERT INTO fleet_breaker (id, state) VALUES (1, 'CLOSED')"),
    QStringLiteral("CREATE FUNCTION dcm_refuse() RETURNS trigger LANGUAGE plpgsql AS"
                   " $$BEGIN RAISE EXCEPTION '%', TG_ARGV[0]; END$$"),
    QStringLiteral("CREATE TRIGGER requests_never_deleted BEFORE DELETE ON requests"
                   " FOR EACH ROW EXECUTE FUNCTION dcm_refuse('requests are never deleted')"),
    QStringLiteral("CREATE TRIGGER request_events_append_only BEFORE UPDATE OR DELETE ON request_events"
                   " FOR EACH ROW EXECUTE FUNCTION dcm_refuse('request history is append-only')"),
    QStringLiteral("CREATE TRIGGER breaker_events_append_only BEFORE UPDATE OR DELETE ON breaker_events"
                   " FOR EACH ROW EXECUTE FUNCTION dcm_refuse('breaker history is append-only')"),
    // Notifications are delivered at commit, once per channel and payload per transaction.
    QStringLiteral("CREATE FUNCTION dcm_notify() RETURNS trigger LANGUAGE plpgsql AS"
                   " $$BEGIN PERFORM pg_notify(TG_ARGV[0], ''); RETURN NULL; END$$"),
    // A lease renewal changes neither the state nor updated_at: it wakes nobody.
    QStringLiteral("CREATE TRIGGER requests_notify_insert AFTER INSERT ON requests"
                   " FOR EACH STATEMENT EXECUTE FUNCTION dcm_notify('dcm_requests')"),
    QStringLiteral("CREATE TRIGGER requests_notify_update AFTER UPDATE ON requests FOR EACH ROW"
                   " WHEN (OLD.state IS DISTINCT FROM NEW.state OR OLD.updated_at IS DISTINCT FROM NEW.updated_at)"
                   " EXECUTE FUNCTION dcm_notify('dcm_requests')"),
    QStringLiteral("CREATE TRIGGER breaker_events_notify AFTER INSERT ON breaker_events"
                   " FOR EACH STATEMENT EXECUTE FUNCTION dcm_notify('dcm_breaker')"),
    // Only real changes (they move version); a scout lease taken or refused wakes nobody.
    QStringLiteral("CREATE TRIGGER fleet_breaker_notify AFTER UPDATE ON fleet_breaker FOR EACH ROW"
                   " WHEN (OLD.version IS DISTINCT FROM NEW.version) EXECUTE FUNCTION dcm_notify('dcm_fleet')"),
};

// Version 2: what a clone adds to a request (SQLite's version 5): the batch it belongs to, the step
// of clone -> customize -> power on it reached, and the guest's identity once reported.
const QStringList s_schemaV2{
    QStringLiteral("ALTER TABLE requests ADD COLUMN batch_id text"),
    QStringLiteral("ALTER TABLE requests ADD COLUMN guest_host_name text"),
    QStringLiteral("ALTER TABLE requests ADD COLUMN ip_address text"),
    QStringLiteral("ALTER TABLE requests ADD COLUMN provision_step text"),
    // A batch is shown grouped: its requests are read together.
    QStringLiteral("CREATE INDEX requests_batch ON requests (batch_id) WHERE batch_id IS NOT NULL"),
};

// Version 3: operations on a VM as requests (SQLite's version 6): the kind (NULL: provisioning), the
// target, the guest's shutdown timeout, the call last sent, and on a provisioning request when and by
// whom its VM was decommissioned.
const QStringList s_schemaV3{
    QStringLiteral("ALTER TABLE requests ADD COLUMN kind text"),
    QStringLiteral("ALTER TABLE requests ADD COLUMN target_request_id text"),
    QStringLiteral("ALTER TABLE requests ADD COLUMN target_vm_ref text"),
    QStringLiteral("ALTER TABLE requests ADD COLUMN target_vm_name text"),
    QStringLiteral("ALTER TABLE requests ADD COLUMN admin_reason text"),
    QStringLiteral("ALTER TABLE requests ADD COLUMN guest_timeout_s integer"),
    QStringLiteral("ALTER TABLE requests ADD COLUMN operation_sent text"),
    QStringLiteral("ALTER TABLE requests ADD COLUMN operation_sent_at bigint"),
    QStringLiteral("ALTER TABLE requests ADD COLUMN decommissioned_at bigint"),
    QStringLiteral("ALTER TABLE requests ADD COLUMN decommissioned_by text"),
    // The operations waiting on one VM are found by its provisioning request.
    QStringLiteral("CREATE INDEX requests_target ON requests (target_request_id)"),
};

// Version 4: the history view pages through one state (or a few) newest first (SQLite's version 7):
// (state, created_at, seq) is the listing's order within one state.
const QStringList s_schemaV4{
    QStringLiteral("CREATE INDEX requests_state_created ON requests (state, created_at, seq)"),
};

} // namespace

QList<QStringList> PgRequestSchema::steps()
{
    return {s_schemaV1, s_schemaV2, s_schemaV3, s_schemaV4};
}

} // namespace dcm
