#pragma once

#include <optional>

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QSqlQuery>
#include <QString>
#include <QStringList>
#include <QVariantList>

#include "domain/ProvisioningRequest.h"
#include "domain/Result.h"
#include "domain/ports/RequestStorePort.h"

namespace dcm {

class SqliteDatabase;

// What the two databases spell differently in a listing's WHERE conditions.
struct RequestListDialect
{
    QString nameContains;  // true when name_key holds the one bound value
    QString batchStarts;   // true when batch_id starts with the bound (length, prefix)
    QString insertedOrder; // the column that orders rows inserted in the same millisecond
    // SQLite, without statistics, takes the state index when updatedAfter is the selective one.
    bool keepStateOffIndexWhenUpdatedAfter = false;
};

// The WHERE conditions of a listing (joined with AND) and their bound values; with `paged`, the
// cursor's too (a count ignores it).
struct RequestListConditions
{
    QStringList conditions;
    QVariantList values;
};
RequestListConditions requestListConditions(const RequestFilter& filter, bool paged, const RequestListDialect& dialect);

// One row of `requests` as SqliteRequestRows::columns() selects it.
struct SqliteRequestRow
{
    QString id;
    qint64 rowid = 0;
    QString name;
    QString state;
    QDateTime createdAt;
    QDateTime updatedAt;
    QDateTime nextAttemptAt;
    QString taskRef;
    QString vmRef;
    QString instanceUuid;
    QString requestedBy;
    QString batchId;
    QString guestHostName;
    QString ipAddress;
    QString provisionStep;
    QString errorKind; // empty: no last error
    QString errorCode;
    QString errorMessage;
    QString errorVimFault;
    QString errorDetails;
    QByteArray spec; // UTF-8 JSON, as stored
    QString kind;    // empty: a provisioning request
    QString targetRequestId;
    QString targetVmRef;
    QString targetVmName;
    QString adminReason;
    int guestTimeoutSeconds = 0;
    QString operationSent;
    QDateTime operationSentAt;
    QDateTime decommissionedAt;
    QString decommissionedBy;
};

// A request's history as stored; when a step cannot be read, `unreadable` says which and why (the
// first such step), and `events` holds the steps that could be read.
struct SqliteStoredHistory
{
    QList<RequestEvent> events;
    QString unreadable;
};
using SqliteStoredHistories = QHash<QString, SqliteStoredHistory>;

// A row mapped back to a request. When the row could not be read (`unreadable`), `request` is its
// quarantined view: FAILED with that error as its last error (a PROVISIONED or CANCELLED row keeps its
// final state), its spec as far as it could be read (else only its name), its history as stored plus,
// when the stored row is not FAILED yet, the step to FAILED — which `owesQuarantine` says is still to
// be written (SqliteQuarantine).
struct SqliteMappedRequest
{
    ProvisioningRequest request;
    std::optional<Error> unreadable;
    bool owesQuarantine = false;
};

// Row <-> ProvisioningRequest: which columns hold what, how a request is written into them and its
// history appended, and how rows and history are read back. Reading never fails for one bad row: a
// row that cannot be mapped comes back quarantined (SqliteMappedRequest), so that it cannot block
// the others.
class SqliteRequestRows
{
public:
    // What every read of a request selects (and every claim returns), in SqliteRequestRow's order.
    static const QString& columns();
    // What insert and update write from the request itself, in contentValues()' order.
    static const QStringList& contentColumns();
    static QVariantList contentValues(const ProvisioningRequest& request);

    // One row of a query that selected columns() (the PostgreSQL store selects the same, see PgRequestRows).
    static SqliteRequestRow rowFrom(const QSqlQuery& q);
    // One history step from a query that selected request_id, at, from_state, to_state, reason, attempts,
    // cause, seq, reason_code, reason_args (in that order); why it cannot be read, or nullopt.
    static std::optional<QString> eventFrom(const QSqlQuery& q, RequestEvent& event);
    // What appendEvents writes for one step, for the columns request_id, seq, at, from_state, to_state,
    // reason, attempts, cause, reason_code, reason_args in that order.
    static QVariantList eventValues(const QString& requestId, qsizetype seq, const RequestEvent& event);

    // Drains a query that selected columns().
    static Result<QList<SqliteRequestRow>> readRows(const SqliteDatabase& db, QSqlQuery& q, const QString& what);
    // The histories of the requests that `requestIds` selects (an SQL expression yielding ids, with its
    // bound values; empty: every request), each in order, in one query.
    static Result<SqliteStoredHistories> readHistories(const SqliteDatabase& db, const QString& requestIds,
                                                       const QVariantList& values);
    // The histories of `rows` (a claim's few requests): one bound value for any number of ids.
    static Result<SqliteStoredHistories> readHistories(const SqliteDatabase& db, const QList<SqliteRequestRow>& rows);
    // Appends history events [from, end) of `request`.
    static Result<void> appendEvents(const SqliteDatabase& db, const ProvisioningRequest& request, qsizetype from);

    // `quarantineAt` is the time of the step to FAILED a quarantined row is shown with.
    static SqliteMappedRequest toRequest(const SqliteRequestRow& row, SqliteStoredHistory history,
                                         const QDateTime& quarantineAt);
    // Why a stored spec cannot be read back, or nullopt when it can.
    static std::optional<QString> specProblem(const QByteArray& spec);

    // A stored provisioning step back to the step; nullopt for a name this version does not know.
    static std::optional<ProvisionStep> storedStep(const QString& name);
    // Stored names back to states, exactly (the stored names are ours).
    static std::optional<RequestState> storedState(const QString& name);
};

} // namespace dcm
