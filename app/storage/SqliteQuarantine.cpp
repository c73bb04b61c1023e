#include "app/storage/SqliteQuarantine.h"

#include <QJsonObject>
#include <QLoggingCategory>
#include <QSqlQuery>

#include "app/storage/SqliteDatabase.h"
#include "app/storage/SqliteSql.h"
#include "domain/ErrorJson.h"

Q_LOGGING_CATEGORY(lcQuarantine, "dcm.app.store.quarantine", QtInfoMsg)

namespace dcm {

using namespace sqlite;

Result<bool> SqliteQuarantine::record(const SqliteDatabase& db, const SqliteRequestRow& row, const Error& why,
                                      const QDateTime& at)
{
    const QString failed = toString(RequestState::Failed);
    const QVariant details =
        why.details.isEmpty() ? QVariant() : QVariant(jsonText(QJsonObject::fromVariantMap(why.details)));
    {
        QSqlQuery q(db.database());
        if (auto ran = run(db, q, QStringLiteral("quarantine"),
                           QStringLiteral("UPDATE requests SET state = ?, next_attempt_at = NULL, lease_owner = NULL,"
                                          " lease_until = NULL, updated_at = ?, last_error_kind = ?,"
                                          " last_error_code = ?, last_error_message = ?, last_error_vim_fault = NULL,"
                                          " last_error_details = ? WHERE id = ? AND state = ?"),
                           {failed, at.toMSecsSinceEpoch(), toString(why.kind), why.code, why.message, details, row.id,
                            row.state});
            !ran) {
            return ran.error();
        }
        if (q.numRowsAffected() != 1) {
            return false;
        }
    }
    QSqlQuery q(db.database());
    if (auto ran = run(
            db, q, QStringLiteral("quarantine"),
            QStringLiteral("INSERT INTO request_events (request_id, seq, at, from_state, to_state, reason,"
                           " attempts, cause) SELECT id,"
                           " (SELECT coalesce(max(seq) + 1, 0) FROM request_events WHERE request_id = ?),"
                           " ?, ?, ?, ?, attempts, ? FROM requests WHERE id = ?"),
            {row.id, at.toMSecsSinceEpoch(), row.state, failed, why.message, jsonText(ErrorJson::toJson(why)), row.id});
        !ran) {
        return ran.error();
    }
    qCWarning(lcQuarantine) << "request" << row.id << "quarantined as FAILED:" << why.message;
    return true;
}

} // namespace dcm
