#include "app/storage/PgRequestRows.h"

#include <QJsonObject>
#include <QLoggingCategory>

#include "app/storage/PgDatabase.h"
#include "app/storage/SqliteSql.h"
#include "domain/ErrorJson.h"

Q_LOGGING_CATEGORY(lcPgRows, "dcm.app.store.pg", QtInfoMsg)

namespace dcm {

using namespace sqlite;

const QString& PgRequestRows::columns()
{
    // SQLite's selection, spelled for PostgreSQL: its insertion order is `seq`, and the spec is text
    // already (QVariant gives its UTF-8 bytes).
    static const QString s_columns = [] {
        QString columns = SqliteRequestRows::columns();
        columns.replace(QStringLiteral(", rowid,"), QStringLiteral(", seq,"));
        columns.replace(QStringLiteral("CAST(spec AS BLOB)"), QStringLiteral("spec"));
        if (columns.contains(QLatin1String("rowid")) || columns.contains(QLatin1String("BLOB")))
            qFatal("PgRequestRows: SqliteRequestRows::columns() changed its spelling of rowid or the spec");
        return columns;
    }();
    return s_columns;
}

Result<QList<SqliteRequestRow>> PgRequestRows::readRows(PgDatabase& db, QSqlQuery& q, const QString& what)
{
    QList<SqliteRequestRow> rows;
    while (q.next())
        rows.append(SqliteRequestRows::rowFrom(q));
    if (q.lastError().isValid())
        return db.sqlError(what, q.lastError());
    q.finish();
    return rows;
}

Result<SqliteStoredHistories> PgRequestRows::readHistories(PgDatabase& db, const QString& requestIds,
                                                           const QVariantList& values)
{
    return readHistoriesWhere(
        db, requestIds.isEmpty() ? QString() : QStringLiteral("request_id IN (%1)").arg(requestIds), values);
}

Result<SqliteStoredHistories> PgRequestRows::readHistoriesWhere(PgDatabase& db, const QString& condition,
                                                                const QVariantList& values)
{
    SqliteStoredHistories histories;
    QString sql = QStringLiteral("SELECT request_id, at, from_state, to_state, reason, attempts, cause, seq,"
                                 " reason_code, reason_args FROM request_events");
    if (!condition.isEmpty())
        sql += QStringLiteral(" WHERE ") + condition;
    sql += QStringLiteral(" ORDER BY request_id, seq");
    QSqlQuery q(db.database());
    if (auto ran = db.run(q, QStringLiteral("read history"), sql, values); !ran)
        return ran.error();
    QString currentId;
    SqliteStoredHistory* current = nullptr;
    while (q.next()) {
        const QString id = q.value(0).toString();
        if (current == nullptr || id != currentId) {
            currentId = id;
            current = &histories[id];
        }
        RequestEvent event;
        if (const auto why = SqliteRequestRows::eventFrom(q, event)) {
            // The first unreadable step is the reason; the steps after it still read.
            if (current->unreadable.isEmpty())
                current->unreadable = QStringLiteral("history step %1 %2").arg(q.value(7).toLongLong() + 1).arg(*why);
            continue;
        }
        current->events.append(std::move(event));
    }
    if (q.lastError().isValid())
        return db.sqlError(QStringLiteral("read history"), q.lastError());
    return histories;
}

Result<SqliteStoredHistories> PgRequestRows::readHistories(PgDatabase& db, const QList<SqliteRequestRow>& rows)
{
    if (rows.isEmpty())
        return SqliteStoredHistories();
    QStringList ids;
    for (const SqliteRequestRow& row : rows)
        ids.append(row.id);
    // Ids are UUIDs: no comma inside one. "= ANY(array)" lets the planner walk the primary key for
    // these few ids; "IN (SELECT unnest(…))" made it read the whole history table (22 ms at 100k).
    return readHistoriesWhere(db, QStringLiteral("request_id = ANY(string_to_array(?, ','))"),
                              {ids.join(QLatin1Char(','))});
}

Result<void> PgRequestRows::appendEvents(PgDatabase& db, const ProvisioningRequest& request, qsizetype from)
{
    const QList<RequestEvent>& history = request.history();
    if (from >= history.size())
        return {};
    QSqlQuery q(db.database());
    if (!q.prepare(QStringLiteral("INSERT INTO request_events (request_id, seq, at, from_state, to_state, reason,"
                                  " attempts, cause, reason_code, reason_args) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")))
        return db.sqlError(QStringLiteral("append history"), q.lastError());
    const QString id = idText(request.id());
    for (qsizetype i = from; i < history.size(); ++i) {
        const QVariantList values = SqliteRequestRows::eventValues(id, i, history[i]);
        for (int v = 0; v < values.size(); ++v)
            q.bindValue(v, values[v]);
        if (!q.exec())
            return db.sqlError(QStringLiteral("append history"), q.lastError());
    }
    return {};
}

Result<bool> PgRequestRows::quarantine(PgDatabase& db, const SqliteRequestRow& row, const Error& why,
                                       const QDateTime& at)
{
    const QString failed = toString(RequestState::Failed);
    const QVariant details =
        why.details.isEmpty() ? QVariant() : QVariant(jsonText(QJsonObject::fromVariantMap(why.details)));
    {
        QSqlQuery q(db.database());
        if (auto ran =
                db.run(q, QStringLiteral("quarantine"),
                       QStringLiteral("UPDATE requests SET state = ?, next_attempt_at = NULL, lease_owner = NULL,"
                                      " lease_until = NULL, updated_at = ?, last_error_kind = ?,"
                                      " last_error_code = ?, last_error_message = ?, last_error_vim_fault = NULL,"
                                      " last_error_details = ? WHERE id = ? AND state = ?"),
                       {failed, at.toMSecsSinceEpoch(), toString(why.kind), why.code, why.message, details, row.id,
                        row.state});
            !ran)
            return ran.error();
        if (q.numRowsAffected() != 1)
            return false;
    }
    QSqlQuery q(db.database());
    if (auto ran = db.run(
            q, QStringLiteral("quarantine"),
            QStringLiteral("INSERT INTO request_events (request_id, seq, at, from_state, to_state, reason, attempts,"
                           " cause) SELECT id,"
                           " (SELECT coalesce(max(seq) + 1, 0) FROM request_events WHERE request_id = ?),"
                           " ?, ?, ?, ?, attempts, ? FROM requests WHERE id = ?"),
            {row.id, at.toMSecsSinceEpoch(), row.state, failed, why.message, jsonText(ErrorJson::toJson(why)), row.id});
        !ran)
        return ran.error();
    qCWarning(lcPgRows) << "request" << row.id << "quarantined as FAILED:" << why.message;
    return true;
}

QList<ProvisioningRequest> PgRequestRows::mapRead(PgDatabase& db, const QList<SqliteRequestRow>& rows,
                                                  SqliteStoredHistories& histories)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QList<ProvisioningRequest> requests;
    requests.reserve(rows.size());
    QList<std::pair<SqliteRequestRow, Error>> owed;
    for (const SqliteRequestRow& row : rows) {
        SqliteMappedRequest mapped = SqliteRequestRows::toRequest(row, histories.take(row.id), now);
        if (mapped.owesQuarantine)
            owed.append({row, *mapped.unreadable});
        requests.append(std::move(mapped.request));
    }
    if (!owed.isEmpty()) {
        // Best effort, as on SQLite: a read must not fail because the row cannot be written just now.
        auto recorded = db.transaction([&]() -> Result<void> {
            for (const auto& [row, why] : std::as_const(owed)) {
                if (auto done = quarantine(db, row, why, now); !done)
                    return done.error();
            }
            return {};
        });
        if (!recorded)
            qCWarning(lcPgRows) << "could not put unreadable requests on record:" << recorded.error().message;
    }
    return requests;
}

} // namespace dcm
