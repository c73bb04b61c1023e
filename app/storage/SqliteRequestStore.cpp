#include "app/storage/SqliteRequestStore.h"

#include <algorithm>
#include <utility>

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QSqlQuery>

#include "app/storage/SqliteDatabase.h"
#include "domain/ErrorJson.h"

Q_LOGGING_CATEGORY(lcStore, "dcm.app.store", QtInfoMsg)

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

// What every read of a request selects (and every claim returns), in RequestRow's order. The spec
// comes as bytes: the JSON parser wants UTF-8, which is what SQLite holds, and a QString would cost a
// conversion each way for every request listed.
const QString s_requestColumns =
    QStringLiteral("id, rowid, state, created_at, updated_at, next_attempt_at, task_ref, vm_ref, instance_uuid,"
                   " last_error_kind, last_error_code, last_error_message, last_error_vim_fault, last_error_details,"
                   " CAST(spec AS BLOB)");

// What insert and update write from the request itself, in contentValues()' order.
const QStringList s_contentColumns{
    QStringLiteral("name"),
    QStringLiteral("name_key"),
    QStringLiteral("state"),
    QStringLiteral("attempts"),
    QStringLiteral("next_attempt_at"),
    QStringLiteral("updated_at"),
    QStringLiteral("last_error_kind"),
    QStringLiteral("last_error_code"),
    QStringLiteral("last_error_message"),
    QStringLiteral("last_error_vim_fault"),
    QStringLiteral("last_error_details"),
    QStringLiteral("task_ref"),
    QStringLiteral("vm_ref"),
    QStringLiteral("instance_uuid"),
    QStringLiteral("spec"),
};

struct RequestRow
{
    QString id;
    qint64 rowid = 0;
    QString state;
    QDateTime createdAt;
    QDateTime updatedAt;
    QDateTime nextAttemptAt;
    QString taskRef;
    QString vmRef;
    QString instanceUuid;
    QString errorKind; // empty: no last error
    QString errorCode;
    QString errorMessage;
    QString errorVimFault;
    QString errorDetails;
    QByteArray spec; // UTF-8 JSON
};

using Histories = QHash<QString, QList<RequestEvent>>;

QString idText(const QUuid& id)
{
    return id.toString(QUuid::WithoutBraces);
}

QVariant msOrNull(const QDateTime& at)
{
    return at.isValid() ? QVariant(at.toMSecsSinceEpoch()) : QVariant();
}

QDateTime dateAt(const QSqlQuery& q, int column)
{
    return q.isNull(column) ? QDateTime() : QDateTime::fromMSecsSinceEpoch(q.value(column).toLongLong(), Qt::UTC);
}

QVariant textOrNull(const QString& text)
{
    return text.isEmpty() ? QVariant() : QVariant(text);
}

// A NOT NULL text column: Qt binds a null QString as SQL NULL.
QString nonNull(const QString& text)
{
    return text.isNull() ? QStringLiteral("") : text;
}

QString jsonText(const QJsonObject& json)
{
    return QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Compact));
}

QJsonObject dateJson(const QDateTime& at, QJsonObject json, const QString& key)
{
    json.insert(key, at.isValid() ? QJsonValue(at.toMSecsSinceEpoch()) : QJsonValue());
    return json;
}

Error invalidArgument(const QString& message)
{
    return Error::make(ErrorKind::Internal, QStringLiteral("invalid-argument"), message);
}

Error corruptRequest(const QString& id, const QString& why)
{
    Error error = Error::make(ErrorKind::Storage, QStringLiteral("corrupt-request"),
                              QStringLiteral("Stored request %1 is inconsistent: %2").arg(id, why));
    error.details.insert(QStringLiteral("requestId"), id);
    return error;
}

Error corruptBreakerEvent(const QString& why)
{
    return Error::make(ErrorKind::Storage, QStringLiteral("corrupt-breaker-event"),
                       QStringLiteral("A stored breaker transition is unreadable: %1").arg(why));
}

Result<QJsonObject> parseObject(const QByteArray& utf8)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(utf8, &parseError);
    if (!doc.isObject()) {
        return Error::make(ErrorKind::Storage, QStringLiteral("corrupt-json"),
                           parseError.error == QJsonParseError::NoError ? QStringLiteral("not a JSON object")
                                                                        : parseError.errorString());
    }
    return doc.object();
}

// Prepares `sql`, binds `values` in order and runs it; `what` names the operation in errors.
Result<void> run(QSqlQuery& q, const QString& what, const QString& sql, const QVariantList& values = {})
{
    q.setForwardOnly(true);
    if (!q.prepare(sql)) {
        return SqliteDatabase::sqlError(what, q.lastError());
    }
    for (const QVariant& value : values) {
        q.addBindValue(value);
    }
    if (!q.exec()) {
        return SqliteDatabase::sqlError(what, q.lastError());
    }
    return {};
}

QString placeholders(qsizetype count)
{
    QStringList marks;
    marks.fill(QStringLiteral("?"), count);
    return marks.join(QStringLiteral(", "));
}

QVariantList contentValues(const ProvisioningRequest& request)
{
    const std::optional<Error>& error = request.lastError();
    const QString name = nonNull(request.spec().name);
    const QDateTime updatedAt = request.updatedAt().isValid() ? request.updatedAt() : request.createdAt();
    return {
        name,
        name.toCaseFolded(),
        toString(request.state()),
        request.attempts(),
        msOrNull(request.nextAttemptAt()),
        msOrNull(updatedAt),
        error ? QVariant(toString(error->kind)) : QVariant(),
        error ? textOrNull(error->code) : QVariant(),
        error ? textOrNull(error->message) : QVariant(),
        error ? textOrNull(error->vimFault) : QVariant(),
        error && !error->details.isEmpty() ? QVariant(jsonText(QJsonObject::fromVariantMap(error->details)))
                                           : QVariant(),
        textOrNull(request.taskRef()),
        textOrNull(request.vmRef()),
        textOrNull(request.instanceUuid()),
        jsonText(request.spec().toJson()),
    };
}

Result<void> appendEvents(const QSqlDatabase& db, const ProvisioningRequest& request, qsizetype from)
{
    const QList<RequestEvent>& history = request.history();
    if (from >= history.size()) {
        return {};
    }
    QSqlQuery q(db);
    if (!q.prepare(QStringLiteral("INSERT INTO request_events (request_id, seq, at, from_state, to_state, reason,"
                                  " attempts, cause) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"))) {
        return SqliteDatabase::sqlError(QStringLiteral("append history"), q.lastError());
    }
    const QString id = idText(request.id());
    for (qsizetype i = from; i < history.size(); ++i) {
        const RequestEvent& event = history[i];
        q.bindValue(0, id);
        q.bindValue(1, qint64(i));
        q.bindValue(2, msOrNull(event.at));
        q.bindValue(3, toString(event.from));
        q.bindValue(4, toString(event.to));
        q.bindValue(5, textOrNull(event.reason));
        q.bindValue(6, event.attempts);
        q.bindValue(7, event.cause ? QVariant(jsonText(ErrorJson::toJson(*event.cause))) : QVariant());
        if (!q.exec()) {
            return SqliteDatabase::sqlError(QStringLiteral("append history"), q.lastError());
        }
    }
    return {};
}

RequestRow readRequestRow(const QSqlQuery& q)
{
    RequestRow row;
    row.id = q.value(0).toString();
    row.rowid = q.value(1).toLongLong();
    row.state = q.value(2).toString();
    row.createdAt = dateAt(q, 3);
    row.updatedAt = dateAt(q, 4);
    row.nextAttemptAt = dateAt(q, 5);
    row.taskRef = q.value(6).toString();
    row.vmRef = q.value(7).toString();
    row.instanceUuid = q.value(8).toString();
    row.errorKind = q.value(9).toString();
    row.errorCode = q.value(10).toString();
    row.errorMessage = q.value(11).toString();
    row.errorVimFault = q.value(12).toString();
    row.errorDetails = q.value(13).toString();
    row.spec = q.value(14).toByteArray();
    return row;
}

// Drains a query that selected s_requestColumns.
Result<QList<RequestRow>> readRequestRows(QSqlQuery& q, const QString& what)
{
    QList<RequestRow> rows;
    while (q.next()) {
        rows.append(readRequestRow(q));
    }
    if (q.lastError().isValid()) {
        return SqliteDatabase::sqlError(what, q.lastError());
    }
    q.finish();
    return rows;
}

// Stored names back to states without requestStateFromString's case-insensitive search: a list of
// 10k requests reads ~25k of them.
std::optional<RequestState> storedState(const QString& name)
{
    static const QHash<QString, RequestState> s_states = [] {
        QHash<QString, RequestState> states;
        for (RequestState state : allRequestStates) {
            states.insert(toString(state), state);
        }
        return states;
    }();
    const auto it = s_states.constFind(name);
    if (it != s_states.cend()) {
        return *it;
    }
    return std::nullopt;
}

Error unknownState(const QString& id, const QString& name)
{
    return corruptRequest(id, QStringLiteral("unknown state \"%1\"").arg(name));
}

// The histories of the requests that `requestIds` selects (an SQL expression yielding ids, with its
// bound values; empty: every request), each in order, in one query.
Result<Histories> readHistories(const QSqlDatabase& db, const QString& requestIds, const QVariantList& values)
{
    Histories histories;
    QString sql = QStringLiteral("SELECT request_id, at, from_state, to_state, reason, attempts, cause"
                                 " FROM request_events");
    if (!requestIds.isEmpty()) {
        sql += QStringLiteral(" WHERE request_id IN (%1)").arg(requestIds);
    }
    sql += QStringLiteral(" ORDER BY request_id, seq");
    QSqlQuery q(db);
    if (auto ran = run(q, QStringLiteral("read history"), sql, values); !ran) {
        return ran.error();
    }
    QString currentId;
    QList<RequestEvent>* current = nullptr;
    while (q.next()) {
        const QString id = q.value(0).toString();
        if (current == nullptr || id != currentId) {
            currentId = id;
            current = &histories[id];
        }
        RequestEvent event;
        event.at = dateAt(q, 1);
        const auto from = storedState(q.value(2).toString());
        const auto to = storedState(q.value(3).toString());
        if (!from || !to) {
            return unknownState(id, (!from ? q.value(2) : q.value(3)).toString());
        }
        event.from = *from;
        event.to = *to;
        event.reason = q.value(4).toString();
        event.attempts = q.value(5).toInt();
        if (!q.isNull(6)) {
            auto causeJson = parseObject(q.value(6).toString().toUtf8());
            if (!causeJson) {
                return corruptRequest(id, QStringLiteral("event cause: %1").arg(causeJson.error().message));
            }
            Error cause;
            if (auto parsed = ErrorJson::fromJson(causeJson.value(), cause); !parsed) {
                return corruptRequest(id, QStringLiteral("event cause: %1").arg(parsed.error().message));
            }
            event.cause = std::move(cause);
        }
        current->append(std::move(event));
    }
    if (q.lastError().isValid()) {
        return SqliteDatabase::sqlError(QStringLiteral("read history"), q.lastError());
    }
    return histories;
}

// The histories of `rows` (a claim's few requests): one bound value for any number of ids.
Result<Histories> readHistories(const QSqlDatabase& db, const QList<RequestRow>& rows)
{
    if (rows.isEmpty()) {
        return Histories();
    }
    QJsonArray ids;
    for (const RequestRow& row : rows) {
        ids.append(row.id);
    }
    return readHistories(db, QStringLiteral("SELECT value FROM json_each(?)"),
                         {QString::fromUtf8(QJsonDocument(ids).toJson(QJsonDocument::Compact))});
}

Result<ProvisioningRequest> toRequest(const RequestRow& row, QList<RequestEvent> history)
{
    const QUuid id = QUuid::fromString(row.id);
    const auto state = storedState(row.state);
    if (!state) {
        return unknownState(row.id, row.state);
    }
    auto specJson = parseObject(row.spec);
    if (!specJson) {
        return corruptRequest(row.id, QStringLiteral("spec: %1").arg(specJson.error().message));
    }
    auto spec = VmSpec::fromJson(specJson.value());
    if (!spec) {
        return corruptRequest(row.id, QStringLiteral("spec: %1").arg(spec.error().message));
    }
    auto restored =
        ProvisioningRequest::restore(id, std::move(spec).value(), row.createdAt, *state, std::move(history));
    if (!restored) {
        return restored.error();
    }
    ProvisioningRequest request = std::move(restored).value();
    request.setUpdatedAt(row.updatedAt);
    request.setNextAttemptAt(row.nextAttemptAt);
    request.setTaskRef(row.taskRef);
    request.setVmRef(row.vmRef);
    request.setInstanceUuid(row.instanceUuid);
    if (!row.errorKind.isEmpty()) {
        const auto kind = errorKindFromString(row.errorKind);
        if (!kind) {
            return corruptRequest(row.id, QStringLiteral("unknown error kind \"%1\"").arg(row.errorKind));
        }
        Error error = Error::make(*kind, row.errorCode, row.errorMessage, row.errorVimFault);
        if (!row.errorDetails.isEmpty()) {
            auto details = parseObject(row.errorDetails.toUtf8());
            if (!details) {
                return corruptRequest(row.id, QStringLiteral("last error details: %1").arg(details.error().message));
            }
            error.details = details.value().toVariantMap();
        }
        request.setLastError(error);
    }
    return request;
}

Result<QList<ProvisioningRequest>> toRequests(const QList<RequestRow>& rows, Histories& histories)
{
    QList<ProvisioningRequest> requests;
    requests.reserve(rows.size());
    for (const RequestRow& row : rows) {
        auto request = toRequest(row, histories.take(row.id));
        if (!request) {
            return request.error();
        }
        requests.append(std::move(request).value());
    }
    return requests;
}

QJsonObject snapshotToJson(const BreakerSnapshot& s)
{
    QJsonObject json{
        {QStringLiteral("state"), toString(s.state)},
        {QStringLiteral("consecutiveFailures"), s.consecutiveFailures},
        {QStringLiteral("failureThreshold"), s.failureThreshold},
        {QStringLiteral("timeInStateMs"), qint64(s.timeInState.count())},
        {QStringLiteral("lastReason"), s.lastReason},
        {QStringLiteral("lastError"), s.lastError ? QJsonValue(ErrorJson::toJson(*s.lastError)) : QJsonValue()},
        {QStringLiteral("succeeded"), qint64(s.succeeded)},
        {QStringLiteral("failed"), qint64(s.failed)},
        {QStringLiteral("ignored"), qint64(s.ignored)},
        {QStringLiteral("rejected"), qint64(s.rejected)},
        {QStringLiteral("latencySamples"), s.latencySamples},
        {QStringLiteral("latencyP50Us"), qint64(s.latencyP50.count())},
        {QStringLiteral("latencyP90Us"), qint64(s.latencyP90.count())},
        {QStringLiteral("latencyP99Us"), qint64(s.latencyP99.count())},
    };
    json = dateJson(s.openedAt, json, QStringLiteral("openedAt"));
    json = dateJson(s.nextProbeAt, json, QStringLiteral("nextProbeAt"));
    json = dateJson(s.stateSince, json, QStringLiteral("stateSince"));
    json = dateJson(s.lastSuccessAt, json, QStringLiteral("lastSuccessAt"));
    return json;
}

QDateTime jsonDate(const QJsonObject& json, const QString& key)
{
    const QJsonValue v = json.value(key);
    return v.isDouble() ? QDateTime::fromMSecsSinceEpoch(v.toInteger(), Qt::UTC) : QDateTime();
}

Result<BreakerSnapshot> snapshotFromJson(const QJsonObject& json)
{
    BreakerSnapshot s;
    const auto state = breakerStateFromString(json.value(QStringLiteral("state")).toString());
    if (!state) {
        return corruptBreakerEvent(QStringLiteral("unknown breaker state in the snapshot"));
    }
    s.state = *state;
    s.consecutiveFailures = json.value(QStringLiteral("consecutiveFailures")).toInt();
    s.failureThreshold = json.value(QStringLiteral("failureThreshold")).toInt();
    s.openedAt = jsonDate(json, QStringLiteral("openedAt"));
    s.nextProbeAt = jsonDate(json, QStringLiteral("nextProbeAt"));
    s.stateSince = jsonDate(json, QStringLiteral("stateSince"));
    s.timeInState = std::chrono::milliseconds(json.value(QStringLiteral("timeInStateMs")).toInteger());
    s.lastReason = json.value(QStringLiteral("lastReason")).toString();
    if (const QJsonValue error = json.value(QStringLiteral("lastError")); error.isObject()) {
        Error lastError;
        if (auto parsed = ErrorJson::fromJson(error.toObject(), lastError); !parsed) {
            return corruptBreakerEvent(parsed.error().message);
        }
        s.lastError = std::move(lastError);
    }
    s.lastSuccessAt = jsonDate(json, QStringLiteral("lastSuccessAt"));
    s.succeeded = quint64(json.value(QStringLiteral("succeeded")).toInteger());
    s.failed = quint64(json.value(QStringLiteral("failed")).toInteger());
    s.ignored = quint64(json.value(QStringLiteral("ignored")).toInteger());
    s.rejected = quint64(json.value(QStringLiteral("rejected")).toInteger());
    s.latencySamples = json.value(QStringLiteral("latencySamples")).toInt();
    s.latencyP50 = std::chrono::microseconds(json.value(QStringLiteral("latencyP50Us")).toInteger());
    s.latencyP90 = std::chrono::microseconds(json.value(QStringLiteral("latencyP90Us")).toInteger());
    s.latencyP99 = std::chrono::microseconds(json.value(QStringLiteral("latencyP99Us")).toInteger());
    return s;
}

// Reads at, from_state, to_state, reason from columns 0..3.
Result<BreakerTransition> readTransition(const QSqlQuery& q)
{
    const auto from = breakerStateFromString(q.value(1).toString());
    const auto to = breakerStateFromString(q.value(2).toString());
    if (!from || !to) {
        return corruptBreakerEvent(
            QStringLiteral("unknown breaker state \"%1\" -> \"%2\"").arg(q.value(1).toString(), q.value(2).toString()));
    }
    return BreakerTransition{dateAt(q, 0), *from, *to, q.value(3).toString()};
}

} // namespace

SqliteRequestStore::SqliteRequestStore(std::unique_ptr<SqliteDatabase> db) : m_db(std::move(db))
{}

SqliteRequestStore::~SqliteRequestStore() = default;

QList<QStringList> SqliteRequestStore::schemaSteps()
{
    return {s_schemaV1, s_schemaV2};
}

Result<std::unique_ptr<SqliteRequestStore>> SqliteRequestStore::open(const QString& path,
                                                                     std::chrono::milliseconds busyTimeout)
{
    auto db = SqliteDatabase::open(path, schemaSteps(), busyTimeout);
    if (!db) {
        return db.error();
    }
    qCDebug(lcStore) << "request store open:" << db.value()->path() << "schema" << db.value()->schemaVersion();
    return std::unique_ptr<SqliteRequestStore>(new SqliteRequestStore(std::move(db).value()));
}

Result<void> SqliteRequestStore::insert(const ProvisioningRequest& request, const QString& owner,
                                        const QDateTime& leaseUntil)
{
    if (request.isNull() || !request.createdAt().isValid()) {
        return invalidArgument(QStringLiteral("a request needs an id and a creation time to be stored"));
    }
    if (!owner.isEmpty() && !leaseUntil.isValid()) {
        return invalidArgument(QStringLiteral("a claimed request needs a lease expiry"));
    }
    const QString id = idText(request.id());
    const QSqlDatabase db = m_db->database();
    return m_db->transaction([&]() -> Result<void> {
        {
            QSqlQuery q(db);
            if (auto ran =
                    run(q, QStringLiteral("insert"), QStringLiteral("SELECT 1 FROM requests WHERE id = ?"), {id});
                !ran) {
                return ran;
            }
            if (q.next()) {
                Error error = Error::make(ErrorKind::Storage, ErrorCode::DuplicateId,
                                          QStringLiteral("a request with id %1 is already stored").arg(id));
                error.details.insert(QStringLiteral("requestId"), id);
                return error;
            }
        }
        QSqlQuery q(db);
        QVariantList values{id, msOrNull(request.createdAt()), textOrNull(owner),
                            owner.isEmpty() ? QVariant() : msOrNull(leaseUntil)};
        values.append(contentValues(request));
        const QString sql = QStringLiteral("INSERT INTO requests (id, created_at, lease_owner, lease_until, %1)"
                                           " VALUES (%2)")
                                .arg(s_contentColumns.join(QStringLiteral(", ")), placeholders(values.size()));
        if (auto ran = run(q, QStringLiteral("insert"), sql, values); !ran) {
            return ran;
        }
        return appendEvents(db, request, 0);
    });
}

Result<void> SqliteRequestStore::update(const ProvisioningRequest& request, RequestState expectedState)
{
    if (request.isNull()) {
        return invalidArgument(QStringLiteral("a null request cannot be stored"));
    }
    const QString id = idText(request.id());
    const QSqlDatabase db = m_db->database();
    return m_db->transaction([&]() -> Result<void> {
        auto conflict = [&](const QString& why) {
            Error error = Error::make(ErrorKind::Storage, ErrorCode::Conflict,
                                      QStringLiteral("request %1 moved meanwhile: %2").arg(id, why));
            error.details.insert(QStringLiteral("requestId"), id);
            return error;
        };
        {
            QSqlQuery q(db);
            if (auto ran =
                    run(q, QStringLiteral("update"), QStringLiteral("SELECT state FROM requests WHERE id = ?"), {id});
                !ran) {
                return ran;
            }
            if (!q.next()) {
                Error error = Error::make(ErrorKind::Storage, QStringLiteral("not-found"),
                                          QStringLiteral("request %1 is not stored").arg(id));
                error.details.insert(QStringLiteral("requestId"), id);
                return error;
            }
            const QString stored = q.value(0).toString();
            if (stored != toString(expectedState)) {
                return conflict(QStringLiteral("it is %1, not %2").arg(stored, toString(expectedState)));
            }
        }
        // The state alone cannot tell QUEUED from QUEUED-after-a-round-trip: the caller's history must
        // also extend what is stored, or "its new events" would mean events someone else never saw.
        qsizetype storedEvents = 0;
        {
            QSqlQuery q(db);
            if (auto ran = run(q, QStringLiteral("update"),
                               QStringLiteral("SELECT seq, at, from_state, to_state FROM request_events"
                                              " WHERE request_id = ? ORDER BY seq DESC LIMIT 1"),
                               {id});
                !ran) {
                return ran;
            }
            if (q.next()) {
                storedEvents = q.value(0).toLongLong() + 1;
                const QList<RequestEvent>& history = request.history();
                if (history.size() < storedEvents) {
                    return conflict(QStringLiteral("%1 history events are stored, the update carries %2")
                                        .arg(storedEvents)
                                        .arg(history.size()));
                }
                const RequestEvent& mine = history[storedEvents - 1];
                if (msOrNull(mine.at) != q.value(1) || toString(mine.from) != q.value(2).toString() ||
                    toString(mine.to) != q.value(3).toString()) {
                    return conflict(QStringLiteral("its stored history differs from the update's"));
                }
            }
        }
        QSqlQuery q(db);
        QVariantList values = contentValues(request);
        values.append(id);
        values.append(toString(expectedState));
        QStringList assignments;
        for (const QString& column : s_contentColumns) {
            assignments.append(column + QStringLiteral(" = ?"));
        }
        if (auto ran = run(q, QStringLiteral("update"),
                           QStringLiteral("UPDATE requests SET %1 WHERE id = ? AND state = ?")
                               .arg(assignments.join(QStringLiteral(", "))),
                           values);
            !ran) {
            return ran;
        }
        return appendEvents(db, request, storedEvents);
    });
}

Result<std::optional<ProvisioningRequest>> SqliteRequestStore::get(const QUuid& id)
{
    const QSqlDatabase db = m_db->database();
    QList<RequestRow> rows;
    Histories histories;
    auto read = m_db->readTransaction([&]() -> Result<void> {
        QSqlQuery q(db);
        if (auto ran = run(q, QStringLiteral("get"),
                           QStringLiteral("SELECT %1 FROM requests WHERE id = ?").arg(s_requestColumns), {idText(id)});
            !ran) {
            return ran;
        }
        auto found = readRequestRows(q, QStringLiteral("get"));
        if (!found) {
            return found.error();
        }
        rows = std::move(found).value();
        if (rows.isEmpty()) {
            return {};
        }
        auto history = readHistories(db, QStringLiteral("?"), {idText(id)});
        if (!history) {
            return history.error();
        }
        histories = std::move(history).value();
        return {};
    });
    if (!read) {
        return read.error();
    }
    if (rows.isEmpty()) {
        return std::optional<ProvisioningRequest>();
    }
    auto request = toRequest(rows.first(), histories.take(rows.first().id));
    if (!request) {
        return request.error();
    }
    return std::optional<ProvisioningRequest>(std::move(request).value());
}

Result<QList<ProvisioningRequest>> SqliteRequestStore::list(const RequestFilter& filter)
{
    QStringList conditions;
    QVariantList values;
    if (!filter.states.isEmpty()) {
        conditions.append(QStringLiteral("state IN (%1)").arg(placeholders(filter.states.size())));
        for (RequestState state : filter.states) {
            values.append(toString(state));
        }
    }
    if (!filter.nameContains.isEmpty()) {
        // instr, not LIKE: no wildcards to escape in a VM name, and name_key is already case-folded.
        conditions.append(QStringLiteral("instr(name_key, ?) > 0"));
        values.append(filter.nameContains.toCaseFolded());
    }
    QString selection;
    if (!conditions.isEmpty()) {
        selection += QStringLiteral(" WHERE ") + conditions.join(QStringLiteral(" AND "));
    }
    selection += QStringLiteral(" ORDER BY created_at DESC, rowid DESC");
    if (filter.limit > 0) {
        selection += QStringLiteral(" LIMIT ?");
        values.append(filter.limit);
    }
    const QString sql = QStringLiteral("SELECT %1 FROM requests").arg(s_requestColumns) + selection;
    // The history query selects the same requests again (one snapshot: same answer) rather than
    // passing 10k ids back in; with no filter it reads the whole history table in key order.
    const bool everything = conditions.isEmpty() && filter.limit <= 0;
    const QString historyIds = everything ? QString() : QStringLiteral("SELECT id FROM requests") + selection;

    const QSqlDatabase db = m_db->database();
    QList<RequestRow> rows;
    Histories histories;
    auto read = m_db->readTransaction([&]() -> Result<void> {
        QSqlQuery q(db);
        if (auto ran = run(q, QStringLiteral("list"), sql, values); !ran) {
            return ran;
        }
        auto found = readRequestRows(q, QStringLiteral("list"));
        if (!found) {
            return found.error();
        }
        rows = std::move(found).value();
        auto history = readHistories(db, historyIds, everything ? QVariantList() : values);
        if (!history) {
            return history.error();
        }
        histories = std::move(history).value();
        return {};
    });
    if (!read) {
        return read.error();
    }
    return toRequests(rows, histories);
}

Result<QMap<RequestState, int>> SqliteRequestStore::countByState()
{
    QSqlQuery q(m_db->database());
    if (auto ran =
            run(q, QStringLiteral("count"), QStringLiteral("SELECT state, count(*) FROM requests GROUP BY state"));
        !ran) {
        return ran.error();
    }
    QMap<RequestState, int> counts;
    for (RequestState state : allRequestStates) {
        counts.insert(state, 0);
    }
    while (q.next()) {
        const auto state = storedState(q.value(0).toString());
        if (!state) {
            return Error::make(
                ErrorKind::Storage, QStringLiteral("corrupt-request"),
                QStringLiteral("A stored request has an unknown state \"%1\"").arg(q.value(0).toString()));
        }
        counts[*state] = q.value(1).toInt();
    }
    if (q.lastError().isValid()) {
        return SqliteDatabase::sqlError(QStringLiteral("count"), q.lastError());
    }
    return counts;
}

namespace {

// Runs a claiming UPDATE … RETURNING s_requestColumns and reads the claimed requests (with their
// history) under the same write lock; oldest first.
Result<QList<ProvisioningRequest>> claimWith(SqliteDatabase& database, const QString& what, const QString& sql,
                                             const QVariantList& values)
{
    const QSqlDatabase db = database.database();
    QList<RequestRow> rows;
    Histories histories;
    auto claimed = database.transaction([&]() -> Result<void> {
        QSqlQuery q(db);
        if (auto ran = run(q, what, sql, values); !ran) {
            return ran;
        }
        auto read = readRequestRows(q, what);
        if (!read) {
            return read.error();
        }
        rows = std::move(read).value();
        auto history = readHistories(db, rows);
        if (!history) {
            return history.error();
        }
        histories = std::move(history).value();
        return {};
    });
    if (!claimed) {
        return claimed.error();
    }
    // RETURNING gives rows in no promised order.
    std::sort(rows.begin(), rows.end(), [](const RequestRow& a, const RequestRow& b) {
        return std::pair(a.createdAt.toMSecsSinceEpoch(), a.rowid) <
               std::pair(b.createdAt.toMSecsSinceEpoch(), b.rowid);
    });
    if (!rows.isEmpty()) {
        qCDebug(lcStore) << what << "claimed" << rows.size() << "request(s)";
    }
    return toRequests(rows, histories);
}

} // namespace

Result<QList<ProvisioningRequest>> SqliteRequestStore::claimNext(const QString& owner, const QDateTime& leaseUntil,
                                                                 const QDateTime& now, int maxCount)
{
    if (owner.isEmpty() || !leaseUntil.isValid() || !now.isValid()) {
        return invalidArgument(QStringLiteral("a claim needs an owner, a lease expiry and the current time"));
    }
    if (maxCount <= 0) {
        return QList<ProvisioningRequest>();
    }
    // Claimable: due in the queue, or SUBMITTED and left by its submitter; and no live lease. One
    // ordered, limited walk of requests_claim per state (merged by age) picks the rows, so a claim
    // stops after maxCount instead of sorting the whole queue. The outer WHERE re-checks each row as
    // it is written, which keeps the statement exact even on a database that does not serialise
    // writers as SQLite does; its columns carry a unary + so that SQLite finds the rows through the
    // rowid list, not through the OR of states.
    const qint64 nowMs = now.toMSecsSinceEpoch();
    const QString queued = toString(RequestState::QueuedForProvisioning);
    const QString submitted = toString(RequestState::Submitted);
    const QString sql =
        QStringLiteral("UPDATE requests SET lease_owner = ?, lease_until = ? WHERE rowid IN (SELECT r FROM ("
                       " SELECT r, c FROM (SELECT rowid AS r, created_at AS c FROM requests WHERE state = ?"
                       "  AND (next_attempt_at IS NULL OR next_attempt_at <= ?)"
                       "  AND (lease_until IS NULL OR lease_until <= ?) ORDER BY c, r LIMIT ?)"
                       " UNION ALL"
                       " SELECT r, c FROM (SELECT rowid AS r, created_at AS c FROM requests WHERE state = ?"
                       "  AND (lease_until IS NULL OR lease_until <= ?) ORDER BY c, r LIMIT ?)"
                       " ) ORDER BY c, r LIMIT ?)"
                       " AND ((+state = ? AND (+next_attempt_at IS NULL OR +next_attempt_at <= ?)) OR +state = ?)"
                       " AND (+lease_until IS NULL OR +lease_until <= ?)"
                       " RETURNING %1")
            .arg(s_requestColumns);
    const QVariantList values{owner,     leaseUntil.toMSecsSinceEpoch(),
                              queued,    nowMs,
                              nowMs,     maxCount,
                              submitted, nowMs,
                              maxCount,  maxCount,
                              queued,    nowMs,
                              submitted, nowMs};
    return claimWith(*m_db, QStringLiteral("claim"), sql, values);
}

Result<void> SqliteRequestStore::renewLease(const QUuid& id, const QString& owner, const QDateTime& leaseUntil)
{
    if (owner.isEmpty() || !leaseUntil.isValid()) {
        return invalidArgument(QStringLiteral("renewing a lease needs its owner and a new expiry"));
    }
    QSqlQuery q(m_db->database());
    // An expired lease nobody else took is still the caller's: nobody can have driven the request since.
    if (auto ran = run(q, QStringLiteral("renew lease"),
                       QStringLiteral("UPDATE requests SET lease_until = ? WHERE id = ? AND lease_owner = ?"),
                       {leaseUntil.toMSecsSinceEpoch(), idText(id), owner});
        !ran) {
        return ran;
    }
    if (q.numRowsAffected() != 1) {
        Error error = Error::make(ErrorKind::Storage, ErrorCode::NotClaimed,
                                  QStringLiteral("%1 does not hold the lease on request %2").arg(owner, idText(id)));
        error.details.insert(QStringLiteral("requestId"), idText(id));
        return error;
    }
    return {};
}

Result<void> SqliteRequestStore::releaseClaim(const QUuid& id, const QString& owner)
{
    QSqlQuery q(m_db->database());
    return run(q, QStringLiteral("release lease"),
               QStringLiteral("UPDATE requests SET lease_owner = NULL, lease_until = NULL"
                              " WHERE id = ? AND lease_owner = ?"),
               {idText(id), owner});
}

Result<QList<ProvisioningRequest>>
SqliteRequestStore::takeOverExpired(const QString& owner, const QDateTime& leaseUntil, const QDateTime& now)
{
    if (owner.isEmpty() || !leaseUntil.isValid() || !now.isValid()) {
        return invalidArgument(QStringLiteral("a take-over needs an owner, a lease expiry and the current time"));
    }
    const QString sql = QStringLiteral("UPDATE requests SET lease_owner = ?, lease_until = ?"
                                       " WHERE state IN (?, ?) AND (lease_until IS NULL OR lease_until <= ?)"
                                       " RETURNING %1")
                            .arg(s_requestColumns);
    return claimWith(*m_db, QStringLiteral("take over"), sql,
                     {owner, leaseUntil.toMSecsSinceEpoch(), toString(RequestState::Provisioning),
                      toString(RequestState::Reconciling), now.toMSecsSinceEpoch()});
}

Result<void> SqliteRequestStore::appendBreakerEvent(const BreakerTransition& transition,
                                                    const BreakerSnapshot& snapshot, const QString& owner)
{
    if (!transition.at.isValid()) {
        return invalidArgument(QStringLiteral("a breaker transition needs its time"));
    }
    QSqlQuery q(m_db->database());
    return run(q, QStringLiteral("record breaker transition"),
               QStringLiteral("INSERT INTO breaker_events (at, from_state, to_state, reason, owner, snapshot)"
                              " VALUES (?, ?, ?, ?, ?, ?)"),
               {transition.at.toMSecsSinceEpoch(), toString(transition.from), toString(transition.to),
                textOrNull(transition.reason), textOrNull(owner), jsonText(snapshotToJson(snapshot))});
}

Result<std::optional<BreakerRecord>> SqliteRequestStore::lastBreakerState()
{
    QSqlQuery q(m_db->database());
    if (auto ran = run(q, QStringLiteral("last breaker state"),
                       QStringLiteral("SELECT at, from_state, to_state, reason, owner, snapshot FROM breaker_events"
                                      " ORDER BY seq DESC LIMIT 1"));
        !ran) {
        return ran.error();
    }
    if (!q.next()) {
        if (q.lastError().isValid()) {
            return SqliteDatabase::sqlError(QStringLiteral("last breaker state"), q.lastError());
        }
        return std::optional<BreakerRecord>();
    }
    auto transition = readTransition(q);
    if (!transition) {
        return transition.error();
    }
    auto json = parseObject(q.value(5).toString().toUtf8());
    if (!json) {
        return corruptBreakerEvent(json.error().message);
    }
    auto snapshot = snapshotFromJson(json.value());
    if (!snapshot) {
        return snapshot.error();
    }
    return std::optional<BreakerRecord>(
        BreakerRecord{std::move(transition).value(), std::move(snapshot).value(), q.value(4).toString()});
}

Result<QList<BreakerTransition>> SqliteRequestStore::breakerHistory(int limit)
{
    QString sql = QStringLiteral("SELECT at, from_state, to_state, reason FROM breaker_events ORDER BY seq DESC");
    QVariantList values;
    if (limit > 0) {
        sql += QStringLiteral(" LIMIT ?");
        values.append(limit);
    }
    QSqlQuery q(m_db->database());
    if (auto ran = run(q, QStringLiteral("breaker history"), sql, values); !ran) {
        return ran.error();
    }
    QList<BreakerTransition> history;
    while (q.next()) {
        auto transition = readTransition(q);
        if (!transition) {
            return transition.error();
        }
        history.append(std::move(transition).value());
    }
    if (q.lastError().isValid()) {
        return SqliteDatabase::sqlError(QStringLiteral("breaker history"), q.lastError());
    }
    return history;
}

} // namespace dcm
