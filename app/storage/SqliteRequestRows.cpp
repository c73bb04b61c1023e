#include "app/storage/SqliteRequestRows.h"

#include <QJsonArray>
#include <QJsonDocument>

#include "app/storage/SqliteDatabase.h"
#include "app/storage/SqliteSql.h"
#include "domain/ErrorJson.h"

namespace dcm {

using namespace sqlite;

namespace {

// The spec comes as bytes: the JSON parser wants UTF-8, which is what SQLite holds, and a QString
// would cost a conversion each way for every request listed.
const QString s_columns =
    QStringLiteral("id, rowid, name, state, created_at, updated_at, next_attempt_at, task_ref, vm_ref, instance_uuid,"
                   " last_error_kind, last_error_code, last_error_message, last_error_vim_fault, last_error_details,"
                   " CAST(spec AS BLOB), requested_by, batch_id, guest_host_name, ip_address, provision_step,"
                   " kind, target_request_id, target_vm_ref, target_vm_name, admin_reason, guest_timeout_s,"
                   " operation_sent, operation_sent_at, decommissioned_at, decommissioned_by");

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
    QStringLiteral("requested_by"),
    QStringLiteral("batch_id"),
    QStringLiteral("guest_host_name"),
    QStringLiteral("ip_address"),
    QStringLiteral("provision_step"),
    QStringLiteral("kind"),
    QStringLiteral("target_request_id"),
    QStringLiteral("target_vm_ref"),
    QStringLiteral("target_vm_name"),
    QStringLiteral("admin_reason"),
    QStringLiteral("guest_timeout_s"),
    QStringLiteral("operation_sent"),
    QStringLiteral("operation_sent_at"),
    QStringLiteral("decommissioned_at"),
    QStringLiteral("decommissioned_by"),
};

} // namespace

SqliteRequestRow SqliteRequestRows::rowFrom(const QSqlQuery& q)
{
    SqliteRequestRow row;
    row.id = q.value(0).toString();
    row.rowid = q.value(1).toLongLong();
    row.name = q.value(2).toString();
    row.state = q.value(3).toString();
    row.createdAt = dateAt(q, 4);
    row.updatedAt = dateAt(q, 5);
    row.nextAttemptAt = dateAt(q, 6);
    row.taskRef = q.value(7).toString();
    row.vmRef = q.value(8).toString();
    row.instanceUuid = q.value(9).toString();
    row.errorKind = q.value(10).toString();
    row.errorCode = q.value(11).toString();
    row.errorMessage = q.value(12).toString();
    row.errorVimFault = q.value(13).toString();
    row.errorDetails = q.value(14).toString();
    row.spec = q.value(15).toByteArray();
    row.requestedBy = q.value(16).toString();
    row.batchId = q.value(17).toString();
    row.guestHostName = q.value(18).toString();
    row.ipAddress = q.value(19).toString();
    row.provisionStep = q.value(20).toString();
    row.kind = q.value(21).toString();
    row.targetRequestId = q.value(22).toString();
    row.targetVmRef = q.value(23).toString();
    row.targetVmName = q.value(24).toString();
    row.adminReason = q.value(25).toString();
    row.guestTimeoutSeconds = q.isNull(26) ? OperationTarget::defaultGuestTimeoutSeconds : q.value(26).toInt();
    row.operationSent = q.value(27).toString();
    row.operationSentAt = dateAt(q, 28);
    row.decommissionedAt = dateAt(q, 29);
    row.decommissionedBy = q.value(30).toString();
    return row;
}

namespace {

Error unreadable(const QString& id, const QString& code, const QString& message)
{
    Error error = Error::make(ErrorKind::Storage, code, message);
    error.details.insert(QStringLiteral("requestId"), id);
    return error;
}

Error specUnreadable(const QString& id, const QString& why)
{
    return unreadable(id, QStringLiteral("stored-spec-unreadable"),
                      QStringLiteral("stored spec unreadable: %1").arg(why));
}

Error requestUnreadable(const QString& id, const QString& why)
{
    return unreadable(id, QStringLiteral("stored-request-unreadable"),
                      QStringLiteral("stored request unreadable: %1").arg(why));
}

// The row's last error, or why it cannot be read.
Result<std::optional<Error>> lastError(const SqliteRequestRow& row)
{
    if (row.errorKind.isEmpty()) {
        return std::optional<Error>();
    }
    const auto kind = errorKindFromString(row.errorKind);
    if (!kind) {
        return Error::make(ErrorKind::Storage, QStringLiteral("corrupt-request"),
                           QStringLiteral("unknown error kind \"%1\"").arg(row.errorKind));
    }
    Error error = Error::make(*kind, row.errorCode, row.errorMessage, row.errorVimFault);
    if (!row.errorDetails.isEmpty()) {
        auto details = parseObject(row.errorDetails.toUtf8());
        if (!details) {
            return Error::make(ErrorKind::Storage, QStringLiteral("corrupt-request"),
                               QStringLiteral("last error details: %1").arg(details.error().message));
        }
        error.details = details.value().toVariantMap();
    }
    return std::optional<Error>(std::move(error));
}

void setReferences(ProvisioningRequest& request, const SqliteRequestRow& row)
{
    request.setNextAttemptAt(row.nextAttemptAt);
    request.setTaskRef(row.taskRef);
    request.setVmRef(row.vmRef);
    request.setInstanceUuid(row.instanceUuid);
    request.setRequestedBy(row.requestedBy);
    request.setBatchId(QUuid::fromString(row.batchId));
    request.setGuestHostName(row.guestHostName);
    request.setIpAddress(row.ipAddress);
    request.setOperationSent(row.operationSent, row.operationSentAt);
    request.setDecommissioned(row.decommissionedAt, row.decommissionedBy);
    if (!row.kind.isEmpty()) {
        // An unknown kind was caught by operationProblem() before this is reached.
        if (auto kind = requestKindFromString(row.kind); kind.ok())
            request.setKind(kind.value());
        OperationTarget target;
        target.requestId = QUuid::fromString(row.targetRequestId);
        target.vmRef = row.targetVmRef;
        target.vmName = row.targetVmName;
        target.adminReason = row.adminReason;
        target.guestTimeoutSeconds = row.guestTimeoutSeconds;
        request.setTarget(target);
    }
}

// Why the row's kind cannot be read (written by a newer version), or nullopt.
std::optional<QString> operationProblem(const SqliteRequestRow& row)
{
    if (row.kind.isEmpty())
        return std::nullopt;
    if (auto kind = requestKindFromString(row.kind); !kind.ok() || kind.value() == RequestKind::Provision)
        return kind.ok() ? std::nullopt : std::optional<QString>(QStringLiteral("unknown kind \"%1\"").arg(row.kind));
    if (row.targetRequestId.isEmpty() && row.targetVmRef.isEmpty())
        return QStringLiteral("an operation without a target");
    return std::nullopt;
}

// See SqliteMappedRequest. `spec` is what could be read of it.
SqliteMappedRequest quarantined(const SqliteRequestRow& row, const QUuid& id, std::optional<RequestState> state,
                                VmSpec spec, QList<RequestEvent> events, const Error& why, const QDateTime& at)
{
    SqliteMappedRequest mapped;
    mapped.unreadable = why;
    const bool canFail = state && canTransition(*state, RequestState::Failed);
    if (state && !canFail) {
        // FAILED already (the quarantine is on record, or the spec broke later), PROVISIONED or
        // CANCELLED (settled: nothing will be done with it): shown as stored.
        auto restored = ProvisioningRequest::restore(id, spec, row.createdAt, *state, events);
        if (restored) {
            ProvisioningRequest request = std::move(restored).value();
            setReferences(request, row);
            request.setUpdatedAt(row.updatedAt);
            request.setLastError(why);
            mapped.request = std::move(request);
            return mapped;
        }
    }
    if (canFail) {
        auto restored = ProvisioningRequest::restore(id, spec, row.createdAt, *state, events);
        if (restored) {
            ProvisioningRequest request = std::move(restored).value();
            setReferences(request, row);
            if (request.transitionTo(RequestState::Failed, why.message, at, why).ok()) {
                mapped.request = std::move(request);
                mapped.owesQuarantine = true;
                return mapped;
            }
        }
    }
    // The history itself does not hold together (or the state is unknown): only the step to FAILED can
    // be shown; the stored history stays in the database as it is. Once on record (or when it never
    // will be), the step is dated by the row, so that every read shows the same request.
    const QDateTime when = canFail || !row.updatedAt.isValid() ? at : row.updatedAt;
    ProvisioningRequest request(id, std::move(spec), row.createdAt.isValid() ? row.createdAt : when);
    setReferences(request, row);
    request.setNextAttemptAt(QDateTime());
    (void)request.transitionTo(RequestState::Failed, why.message, when, why);
    mapped.request = std::move(request);
    mapped.owesQuarantine = canFail;
    return mapped;
}

} // namespace

const QString& SqliteRequestRows::columns()
{
    return s_columns;
}

const QStringList& SqliteRequestRows::contentColumns()
{
    return s_contentColumns;
}

QVariantList SqliteRequestRows::contentValues(const ProvisioningRequest& request)
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
        textOrNull(request.requestedBy()),
        request.batchId().isNull() ? QVariant() : QVariant(idText(request.batchId())),
        textOrNull(request.guestHostName()),
        textOrNull(request.ipAddress()),
        textOrNull(toString(request.provisionStep())),
        request.isOperation() ? QVariant(toString(request.kind())) : QVariant(),
        request.target().requestId.isNull() ? QVariant() : QVariant(idText(request.target().requestId)),
        textOrNull(request.target().vmRef),
        textOrNull(request.target().vmName),
        textOrNull(request.target().adminReason),
        request.isOperation() ? QVariant(request.target().guestTimeoutSeconds) : QVariant(),
        textOrNull(request.operationSent()),
        msOrNull(request.operationSentAt()),
        msOrNull(request.decommissionedAt()),
        textOrNull(request.decommissionedBy()),
    };
}

Result<QList<SqliteRequestRow>> SqliteRequestRows::readRows(const SqliteDatabase& db, QSqlQuery& q, const QString& what)
{
    QList<SqliteRequestRow> rows;
    while (q.next()) {
        rows.append(rowFrom(q));
    }
    if (q.lastError().isValid()) {
        return db.sqlError(what, q.lastError());
    }
    q.finish();
    return rows;
}

Result<SqliteStoredHistories> SqliteRequestRows::readHistories(const SqliteDatabase& db, const QString& requestIds,
                                                               const QVariantList& values)
{
    SqliteStoredHistories histories;
    QString sql = QStringLiteral("SELECT request_id, at, from_state, to_state, reason, attempts, cause, seq,"
                                 " reason_code, reason_args FROM request_events");
    if (!requestIds.isEmpty()) {
        sql += QStringLiteral(" WHERE request_id IN (%1)").arg(requestIds);
    }
    sql += QStringLiteral(" ORDER BY request_id, seq");
    QSqlQuery q(db.database());
    if (auto ran = run(db, q, QStringLiteral("read history"), sql, values); !ran) {
        return ran.error();
    }
    QString currentId;
    SqliteStoredHistory* current = nullptr;
    // A step that cannot be read is left out (and the first such reason kept): the steps after it
    // still read, so that the step to FAILED a quarantine appends is shown as it was recorded.
    const auto unreadableStep = [&](const QString& why) {
        if (current->unreadable.isEmpty()) {
            current->unreadable = QStringLiteral("history step %1 %2").arg(q.value(7).toLongLong() + 1).arg(why);
        }
    };
    while (q.next()) {
        const QString id = q.value(0).toString();
        if (current == nullptr || id != currentId) {
            currentId = id;
            current = &histories[id];
        }
        RequestEvent event;
        if (const auto why = eventFrom(q, event)) {
            unreadableStep(*why);
            continue;
        }
        current->events.append(std::move(event));
    }
    if (q.lastError().isValid()) {
        return db.sqlError(QStringLiteral("read history"), q.lastError());
    }
    return histories;
}

std::optional<QString> SqliteRequestRows::eventFrom(const QSqlQuery& q, RequestEvent& event)
{
    event.at = dateAt(q, 1);
    const auto from = storedState(q.value(2).toString());
    const auto to = storedState(q.value(3).toString());
    if (!from || !to) {
        return QStringLiteral("has an unknown state \"%1\"").arg((!from ? q.value(2) : q.value(3)).toString());
    }
    event.from = *from;
    event.to = *to;
    event.reason = q.value(4).toString();
    event.code = q.value(8).toString();
    if (!q.isNull(9)) {
        auto args = QJsonDocument::fromJson(q.value(9).toString().toUtf8());
        if (!args.isArray()) {
            return QStringLiteral("reason arguments are not a list");
        }
        for (const QJsonValue& arg : args.array())
            event.args.append(arg.toString());
    }
    event.attempts = q.value(5).toInt();
    if (!q.isNull(6)) {
        auto causeJson = parseObject(q.value(6).toString().toUtf8());
        if (!causeJson) {
            return QStringLiteral("cause: %1").arg(causeJson.error().message);
        }
        Error cause;
        if (auto parsed = ErrorJson::fromJson(causeJson.value(), cause); !parsed) {
            return QStringLiteral("cause: %1").arg(parsed.error().message);
        }
        event.cause = std::move(cause);
    }
    return std::nullopt;
}

Result<SqliteStoredHistories> SqliteRequestRows::readHistories(const SqliteDatabase& db,
                                                               const QList<SqliteRequestRow>& rows)
{
    if (rows.isEmpty()) {
        return SqliteStoredHistories();
    }
    QJsonArray ids;
    for (const SqliteRequestRow& row : rows) {
        ids.append(row.id);
    }
    return readHistories(db, QStringLiteral("SELECT value FROM json_each(?)"),
                         {QString::fromUtf8(QJsonDocument(ids).toJson(QJsonDocument::Compact))});
}

QVariantList SqliteRequestRows::eventValues(const QString& requestId, qsizetype seq, const RequestEvent& event)
{
    return {
        requestId,
        qint64(seq),
        msOrNull(event.at),
        toString(event.from),
        toString(event.to),
        textOrNull(event.reason),
        event.attempts,
        event.cause ? QVariant(jsonText(ErrorJson::toJson(*event.cause))) : QVariant(),
        textOrNull(event.code),
        event.code.isEmpty()
            ? QVariant()
            : QVariant(QString::fromUtf8(
                  QJsonDocument(QJsonArray::fromStringList(event.args)).toJson(QJsonDocument::Compact))),
    };
}

Result<void> SqliteRequestRows::appendEvents(const SqliteDatabase& db, const ProvisioningRequest& request,
                                             qsizetype from)
{
    const QList<RequestEvent>& history = request.history();
    if (from >= history.size()) {
        return {};
    }
    QSqlQuery q(db.database());
    if (!q.prepare(
            QStringLiteral("INSERT INTO request_events (request_id, seq, at, from_state, to_state, reason,"
                           " attempts, cause, reason_code, reason_args) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"))) {
        return db.sqlError(QStringLiteral("append history"), q.lastError());
    }
    const QString id = idText(request.id());
    for (qsizetype i = from; i < history.size(); ++i) {
        const QVariantList values = eventValues(id, i, history[i]);
        for (int v = 0; v < values.size(); ++v) {
            q.bindValue(v, values[v]);
        }
        if (!q.exec()) {
            return db.sqlError(QStringLiteral("append history"), q.lastError());
        }
    }
    return {};
}

std::optional<QString> SqliteRequestRows::specProblem(const QByteArray& spec)
{
    auto json = parseObject(spec);
    if (!json) {
        return json.error().message;
    }
    auto parsed = VmSpec::fromJson(json.value());
    if (!parsed) {
        return parsed.error().message;
    }
    return std::nullopt;
}

SqliteMappedRequest SqliteRequestRows::toRequest(const SqliteRequestRow& row, SqliteStoredHistory history,
                                                 const QDateTime& quarantineAt)
{
    const QUuid id = QUuid::fromString(row.id);
    const auto state = storedState(row.state);
    VmSpec spec;
    spec.name = row.name;
    std::optional<Error> problem;
    if (auto json = parseObject(row.spec); !json) {
        problem = specUnreadable(row.id, json.error().message);
    } else if (auto parsed = VmSpec::fromJson(json.value()); !parsed) {
        problem = specUnreadable(row.id, parsed.error().message);
    } else {
        spec = std::move(parsed).value();
    }
    if (!problem && !state) {
        problem = requestUnreadable(row.id, QStringLiteral("unknown state \"%1\"").arg(row.state));
    }
    if (!problem) {
        if (const auto why = operationProblem(row))
            problem = requestUnreadable(row.id, *why);
    }
    const auto step = SqliteRequestRows::storedStep(row.provisionStep);
    if (!problem && !step) {
        problem = requestUnreadable(row.id, QStringLiteral("unknown provisioning step \"%1\"").arg(row.provisionStep));
    }
    if (!problem && !history.unreadable.isEmpty()) {
        problem = requestUnreadable(row.id, history.unreadable);
    }
    std::optional<Error> error;
    if (!problem) {
        auto read = lastError(row);
        if (read) {
            error = std::move(read).value();
        } else {
            problem = requestUnreadable(row.id, read.error().message);
        }
    }
    if (!problem) {
        auto restored = ProvisioningRequest::restore(id, spec, row.createdAt, *state, history.events);
        if (restored) {
            ProvisioningRequest request = std::move(restored).value();
            request.setUpdatedAt(row.updatedAt);
            setReferences(request, row);
            request.setLastError(error);
            request.setProvisionStep(*step);
            return SqliteMappedRequest{std::move(request), std::nullopt, false};
        }
        problem = requestUnreadable(row.id, restored.error().message);
    }
    return quarantined(row, id, state, std::move(spec), std::move(history.events), *problem, quarantineAt);
}

std::optional<ProvisionStep> SqliteRequestRows::storedStep(const QString& name)
{
    return provisionStepFromString(name); // NULL (rows older than version 5) reads as "": none
}

std::optional<RequestState> SqliteRequestRows::storedState(const QString& name)
{
    // Not requestStateFromString's case-insensitive search: a list of 10k requests reads ~25k states.
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

RequestListConditions requestListConditions(const RequestFilter& filter, bool paged, const RequestListDialect& dialect)
{
    RequestListConditions out;
    if (!filter.states.isEmpty()) {
        // With updatedAfter (the few requests written lately: following others, the guests of the last
        // minutes) the updated_at index is the selective one; SQLite, without statistics, took the state
        // index and read all 97,000 PROVISIONED rows of a 100,000 history at every start (~60 ms). The
        // unary + keeps it off the state index (and below, off the created_at index).
        const bool offIndex = dialect.keepStateOffIndexWhenUpdatedAfter && filter.updatedAfter.isValid();
        out.conditions.append(QStringLiteral("%1state IN (%2)")
                                  .arg(offIndex ? QStringLiteral("+") : QString(), placeholders(filter.states.size())));
        for (RequestState state : filter.states) {
            out.values.append(toString(state));
        }
    }
    if (!filter.nameContains.isEmpty()) {
        // A substring position, not LIKE: no wildcards to escape in a VM name, and name_key is already
        // case-folded (by Qt, as the bound value is).
        if (filter.nameOrBatch) {
            // Batch ids are stored as lower-case hex without braces.
            out.conditions.append(QStringLiteral("(%1 OR %2)").arg(dialect.nameContains, dialect.batchStarts));
            out.values.append(filter.nameContains.toCaseFolded());
            out.values.append(filter.nameContains.size());
            out.values.append(filter.nameContains.toLower());
        } else {
            out.conditions.append(dialect.nameContains);
            out.values.append(filter.nameContains.toCaseFolded());
        }
    }
    if (filter.updatedAfter.isValid()) {
        out.conditions.append(QStringLiteral("updated_at > ?"));
        out.values.append(filter.updatedAfter.toMSecsSinceEpoch());
    }
    if (paged && filter.olderThan) {
        // The listing's order is (created_at, insertion order) descending, as the created_at indexes
        // hold it: the next page starts right after the cursor's row, found by its id; an id not stored
        // gives NULL, so equal times are left out.
        out.conditions.append(QStringLiteral("(created_at < ? OR (created_at = ? AND %1 < "
                                             "(SELECT %1 FROM requests WHERE id = ?)))")
                                  .arg(dialect.insertedOrder));
        const qint64 at = filter.olderThan->createdAt.toMSecsSinceEpoch();
        out.values.append(at);
        out.values.append(at);
        out.values.append(idText(filter.olderThan->id));
    }
    return out;
}

} // namespace dcm
