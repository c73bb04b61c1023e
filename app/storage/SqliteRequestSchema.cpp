#include "app/storage/SqliteRequestSchema.h"

namespace dcm {

namespace {

// Version 1: requests and their history. The state is free text on purpose: SQLite cannot change a
// CHECK constraint without rebuilding the table, and a new state must not need that. History rows
// and requests are never deleted (the triggers make that a rule of the file, not only of this code).
const QStringList s_schemaV1{
    QStringLiteral("CREATE TABLE requests ("
                   " id TEXT PRIMARY KEY NOT NULL,"
                   " name TEXT NOT NULL,"
                   // The name case-folded by Qt: SQLite's own LIKE/lower() fold ASCII only.
                   " name_key TEXT NOT NULL,"
                   " state TEXT NOT NULL,"
                   " attempts INTEGER NOT NULL DEFAULT 0,"
                   " next_attempt_at INTEGER,"
                   " created_at INTEGER NOT NULL,"
                   " updated_at INTEGER NOT NULL,"
                   " lease_owner TEXT,"
                   " lease_until INTEGER,"
                   " last_error_kind TEXT,"
                   " last_error_code TEXT,"
                   " last_error_message TEXT,"
                   " last_error_vim_fault TEXT,"
                   " last_error_details TEXT,"
                   " task_ref TEXT,"
                   " vm_ref TEXT,"
                   " instance_uuid TEXT,"
                   " spec TEXT NOT NULL)"),
    QStringLiteral("CREATE TABLE request_events ("
                   " request_id TEXT NOT NULL REFERENCES requests(id),"
                   " seq INTEGER NOT NULL,"
                   " at INTEGER NOT NULL,"
                   " from_state TEXT NOT NULL,"
                   " to_state TEXT NOT NULL,"
                   " reason TEXT,"
                   " attempts INTEGER NOT NULL,"
                   " cause TEXT,"
                   " PRIMARY KEY (request_id, seq)) WITHOUT ROWID"),
    QStringLiteral("CREATE TRIGGER requests_never_deleted BEFORE DELETE ON requests"
                   " BEGIN SELECT RAISE(ABORT, 'requests are never deleted'); END"),
    QStringLiteral("CREATE TRIGGER request_events_never_updated BEFORE UPDATE ON request_events"
                   " BEGIN SELECT RAISE(ABORT, 'request history is append-only'); END"),
    QStringLiteral("CREATE TRIGGER request_events_never_deleted BEFORE DELETE ON request_events"
                   " BEGIN SELECT RAISE(ABORT, 'request history is append-only'); END"),
};

// Version 2: indexes for claimNext and list, and the breaker's transitions.
// requests_claim is ordered (state, created_at) so that a claim walks one state's requests oldest
// first and stops after maxCount, and it carries next_attempt_at and lease_until so that "due and
// unleased" is decided on the index alone. (state, next_attempt_at, created_at) would find the due
// ones directly but then sort all of them by age on every claim: 10k due requests after an outage
// made a claim cost ~15 ms of CPU instead of well under one.
const QStringList s_schemaV2{
    QStringLiteral("CREATE INDEX requests_claim ON requests (state, created_at, next_attempt_at, lease_until)"),
    QStringLiteral("CREATE INDEX requests_created ON requests (created_at)"),
    QStringLiteral("CREATE TABLE breaker_events ("
                   " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
                   " at INTEGER NOT NULL,"
                   " from_state TEXT NOT NULL,"
                   " to_state TEXT NOT NULL,"
                   " reason TEXT,"
                   " owner TEXT,"
                   " snapshot TEXT NOT NULL)"),
    QStringLiteral("CREATE TRIGGER breaker_events_never_updated BEFORE UPDATE ON breaker_events"
                   " BEGIN SELECT RAISE(ABORT, 'breaker history is append-only'); END"),
    QStringLiteral("CREATE TRIGGER breaker_events_never_deleted BEFORE DELETE ON breaker_events"
                   " BEGIN SELECT RAISE(ABORT, 'breaker history is append-only'); END"),
};

// A JSON number of epoch milliseconds at `path` in `snapshot`, as the ISO 8601 UTC text the domain's
// encoding uses ("2026-01-01T08:00:00.000Z"), in integer arithmetic (no rounding through a double);
// any other value (null, text) as it is.
QString isoFromMs(const QString& path)
{
    const QString ms = QStringLiteral("CAST(json_extract(snapshot, '%1') AS INTEGER)").arg(path);
    return QStringLiteral("CASE WHEN json_type(snapshot, '%1') IN ('integer', 'real')"
                          " THEN strftime('%Y-%m-%dT%H:%M:%S', %2 / 1000, 'unixepoch') || '.'"
                          " || substr('00' || (%2 % 1000), -3) || 'Z'"
                          " ELSE json_extract(snapshot, '%1') END")
        .arg(path, ms);
}

// Version 3: breaker snapshots move to the one JSON encoding of the domain (BreakerSnapshotJson),
// whose times are ISO text where version 2 wrote epoch milliseconds. The rows are rewritten once,
// meaning unchanged, so that a single strict reader serves old and new rows; the append-only trigger
// is lifted for that statement only, inside the migration's transaction. A row that is not JSON at all
// is left as it is (it is reported when read, and must not stop the database from opening).
const QStringList s_schemaV3{
    QStringLiteral("DROP TRIGGER breaker_events_never_updated"),
    QStringLiteral("UPDATE breaker_events SET snapshot = json_set(snapshot,"
                   " '$.openedAt', %1, '$.nextProbeAt', %2, '$.stateSince', %3, '$.lastSuccessAt', %4)"
                   " WHERE json_valid(snapshot)")
        .arg(isoFromMs(QStringLiteral("$.openedAt")), isoFromMs(QStringLiteral("$.nextProbeAt")),
             isoFromMs(QStringLiteral("$.stateSince")), isoFromMs(QStringLiteral("$.lastSuccessAt"))),
    QStringLiteral("CREATE TRIGGER breaker_events_never_updated BEFORE UPDATE ON breaker_events"
                   " BEGIN SELECT RAISE(ABORT, 'breaker history is append-only'); END"),
};

// Version 4: the index that lets a view read only the requests written since it last looked, and a
// history step's reason as data — a code and its arguments (a JSON list of texts) — so
// that its sentence is made in the reader's language. `reason` keeps free text (an operator's words,
// and every step written before this version).
const QStringList s_schemaV4{
    QStringLiteral("ALTER TABLE request_events ADD COLUMN reason_code TEXT"),
    QStringLiteral("ALTER TABLE request_events ADD COLUMN reason_args TEXT"),
    // Following others' writes asks for the requests written since a watermark.
    QStringLiteral("CREATE INDEX requests_updated ON requests (updated_at)"),
    // Who asked: "user@host" of the console or dcmctl that submitted it.
    QStringLiteral("ALTER TABLE requests ADD COLUMN requested_by TEXT"),
};

// Version 5: clones from a template. The batch a request was submitted in, what its guest reported
// (host name, address), and how far its clone got (ProvisionStep: "", "cloned", "customized",
// "powered-on") so that a resumed clone is never customized twice. Older rows read as blank VMs with
// one NIC (their spec's "network"), single, with nothing reported and no step.
const QStringList s_schemaV5{
    QStringLiteral("ALTER TABLE requests ADD COLUMN batch_id TEXT"),
    QStringLiteral("ALTER TABLE requests ADD COLUMN guest_host_name TEXT"),
    QStringLiteral("ALTER TABLE requests ADD COLUMN ip_address TEXT"),
    QStringLiteral("ALTER TABLE requests ADD COLUMN provision_step TEXT"),
    // A batch is shown grouped: its requests are read together.
    QStringLiteral("CREATE INDEX requests_batch ON requests (batch_id) WHERE batch_id IS NOT NULL"),
};

// Version 6: operations on a VM (power on/off, restart, decommission) are requests too. `kind` NULL is
// a provisioning request (every row written before). An operation's target is the provisioning request
// whose VM it acts on (found by that request's key), or in admin mode a moref with the reason recorded;
// `operation_sent`/`operation_sent_at` is its last call, written before it goes out, so that a resumed
// operation knows what may have happened. A provisioning request whose VM was decommissioned keeps when
// and by whom.
const QStringList s_schemaV6{
    QStringLiteral("ALTER TABLE requests ADD COLUMN kind TEXT"),
    QStringLiteral("ALTER TABLE requests ADD COLUMN target_request_id TEXT"),
    QStringLiteral("ALTER TABLE requests ADD COLUMN target_vm_ref TEXT"),
    QStringLiteral("ALTER TABLE requests ADD COLUMN target_vm_name TEXT"),
    QStringLiteral("ALTER TABLE requests ADD COLUMN admin_reason TEXT"),
    QStringLiteral("ALTER TABLE requests ADD COLUMN guest_timeout_s INTEGER"),
    QStringLiteral("ALTER TABLE requests ADD COLUMN operation_sent TEXT"),
    QStringLiteral("ALTER TABLE requests ADD COLUMN operation_sent_at INTEGER"),
    QStringLiteral("ALTER TABLE requests ADD COLUMN decommissioned_at INTEGER"),
    QStringLiteral("ALTER TABLE requests ADD COLUMN decommissioned_by TEXT"),
    // The operations waiting on one VM are found by its provisioning request.
    QStringLiteral("CREATE INDEX requests_target ON requests (target_request_id)"),
};

// Version 7: the history view pages through one state (or a few) newest first. requests_claim starts
// with the state too, but its next columns are the claim's, so the rows of one created_at come out of
// it in no useful order and SQLite sorted the whole state before the first page; (state, created_at)
// with the implicit rowid is exactly the listing's order within one state.
const QStringList s_schemaV7{
    QStringLiteral("CREATE INDEX requests_state_created ON requests (state, created_at)"),
};

} // namespace

QList<QStringList> SqliteRequestSchema::steps()
{
    return {s_schemaV1, s_schemaV2, s_schemaV3, s_schemaV4, s_schemaV5, s_schemaV6, s_schemaV7};
}

QString SqliteRequestSchema::countRequests()
{
    return QStringLiteral("SELECT count(*) FROM requests");
}

} // namespace dcm
