#include "app/storage/SqliteLeases.h"

#include <algorithm>
#include <utility>

#include <QLoggingCategory>
#include <QSqlQuery>

#include "app/storage/SqliteDatabase.h"
#include "app/storage/SqliteQuarantine.h"
#include "app/storage/SqliteRequestRows.h"
#include "app/storage/SqliteSql.h"

Q_LOGGING_CATEGORY(lcLeases, "dcm.app.store.leases", QtInfoMsg)

namespace dcm {

using namespace sqlite;

Result<QList<ProvisioningRequest>> SqliteLeases::claimWith(const QString& what, const QString& sql,
                                                           const QVariantList& values, const QDateTime& now,
                                                           const Within& within)
{
    QList<SqliteRequestRow> rows;
    QList<ProvisioningRequest> claimed;
    auto done = m_db.transaction([&]() -> Result<void> {
        rows.clear();
        claimed.clear();
        {
            QSqlQuery q(m_db.database());
            if (auto ran = run(m_db, q, what, sql, values); !ran) {
                return ran;
            }
            auto read = SqliteRequestRows::readRows(m_db, q, what);
            if (!read) {
                return read.error();
            }
            rows = std::move(read).value();
        }
        // RETURNING gives rows in no promised order.
        std::sort(rows.begin(), rows.end(), [](const SqliteRequestRow& a, const SqliteRequestRow& b) {
            return std::pair(a.createdAt.toMSecsSinceEpoch(), a.rowid) <
                   std::pair(b.createdAt.toMSecsSinceEpoch(), b.rowid);
        });
        auto histories = SqliteRequestRows::readHistories(m_db, rows);
        if (!histories) {
            return histories.error();
        }
        for (const SqliteRequestRow& row : std::as_const(rows)) {
            SqliteMappedRequest mapped = SqliteRequestRows::toRequest(row, histories.value().take(row.id), now);
            if (!mapped.unreadable) {
                claimed.append(std::move(mapped.request));
                continue;
            }
            // Not handed over: on record as FAILED (lease dropped) in this same transaction.
            if (auto recorded = SqliteQuarantine::record(m_db, row, *mapped.unreadable, now); !recorded) {
                return recorded.error();
            }
        }
        if (within) {
            return within(claimed);
        }
        return {};
    });
    if (!done) {
        return done.error();
    }
    if (!claimed.isEmpty()) {
        qCDebug(lcLeases) << what << "claimed" << claimed.size() << "request(s)";
    }
    return claimed;
}

Result<QList<ProvisioningRequest>> SqliteLeases::claimNext(const QString& owner, const QDateTime& leaseUntil,
                                                           const QDateTime& now, int maxCount, const Within& within)
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
            .arg(SqliteRequestRows::columns());
    const QVariantList values{owner,     leaseUntil.toMSecsSinceEpoch(),
                              queued,    nowMs,
                              nowMs,     maxCount,
                              submitted, nowMs,
                              maxCount,  maxCount,
                              queued,    nowMs,
                              submitted, nowMs};
    return claimWith(QStringLiteral("claim"), sql, values, now, within);
}

Result<void> SqliteLeases::renewLease(const QUuid& id, const QString& owner, const QDateTime& leaseUntil)
{
    if (owner.isEmpty() || !leaseUntil.isValid()) {
        return invalidArgument(QStringLiteral("renewing a lease needs its owner and a new expiry"));
    }
    bool held = false;
    auto renewed = m_db.transaction([&]() -> Result<void> {
        QSqlQuery q(m_db.database());
        // An expired lease nobody else took is still the caller's: nobody can have driven the request since.
        if (auto ran = run(m_db, q, QStringLiteral("renew lease"),
                           QStringLiteral("UPDATE requests SET lease_until = ? WHERE id = ? AND lease_owner = ?"),
                           {leaseUntil.toMSecsSinceEpoch(), idText(id), owner});
            !ran) {
            return ran;
        }
        held = q.numRowsAffected() == 1;
        return {};
    });
    if (!renewed) {
        return renewed;
    }
    if (!held) {
        Error error = Error::make(ErrorKind::Storage, ErrorCode::NotClaimed,
                                  QStringLiteral("%1 does not hold the lease on request %2").arg(owner, idText(id)));
        error.details.insert(QStringLiteral("requestId"), idText(id));
        return error;
    }
    return {};
}

Result<void> SqliteLeases::releaseClaim(const QUuid& id, const QString& owner)
{
    return m_db.transaction([&]() -> Result<void> { return releaseIn(id, owner); });
}

Result<void> SqliteLeases::releaseIn(const QUuid& id, const QString& owner)
{
    QSqlQuery q(m_db.database());
    return run(m_db, q, QStringLiteral("release lease"),
               QStringLiteral("UPDATE requests SET lease_owner = NULL, lease_until = NULL"
                              " WHERE id = ? AND lease_owner = ?"),
               {idText(id), owner});
}

Result<QList<ProvisioningRequest>> SqliteLeases::takeOverExpired(const QString& owner, const QDateTime& leaseUntil,
                                                                 const QDateTime& now)
{
    if (owner.isEmpty() || !leaseUntil.isValid() || !now.isValid()) {
        return invalidArgument(QStringLiteral("a take-over needs an owner, a lease expiry and the current time"));
    }
    const QString sql = QStringLiteral("UPDATE requests SET lease_owner = ?, lease_until = ?"
                                       " WHERE state IN (?, ?) AND (lease_until IS NULL OR lease_until <= ?)"
                                       " RETURNING %1")
                            .arg(SqliteRequestRows::columns());
    return claimWith(QStringLiteral("take over"), sql,
                     {owner, leaseUntil.toMSecsSinceEpoch(), toString(RequestState::Provisioning),
                      toString(RequestState::Reconciling), now.toMSecsSinceEpoch()},
                     now);
}

} // namespace dcm
