#include "app/storage/PgRequestStore.h"

#include <algorithm>

#include <QLoggingCategory>
#include <QSqlQuery>

#include "app/storage/PgDatabase.h"
#include "app/storage/PgRequestRows.h"
#include "app/storage/PgRequestSchema.h"
#include "app/storage/SqliteSql.h"

namespace dcm {

using namespace sqlite;

PgRequestStore::PgRequestStore(std::unique_ptr<PgDatabase> db) : m_db(std::move(db))
{}

PgRequestStore::~PgRequestStore() = default;

Result<std::unique_ptr<PgRequestStore>> PgRequestStore::open(const PgLocation& where, const QString& password)
{
    auto db = PgDatabase::open(where, PgRequestSchema::steps(),
                               {PgRequestSchema::requestsChannel(), PgRequestSchema::breakerChannel()}, password);
    if (!db)
        return db.error();
    return std::unique_ptr<PgRequestStore>(new PgRequestStore(std::move(db).value()));
}

namespace {

Result<void> checkInsertable(const ProvisioningRequest& request, const QString& owner, const QDateTime& leaseUntil)
{
    if (request.isNull() || !request.createdAt().isValid())
        return invalidArgument(QStringLiteral("a request needs an id and a creation time to be stored"));
    if (!owner.isEmpty() && !leaseUntil.isValid())
        return invalidArgument(QStringLiteral("a claimed request needs a lease expiry"));
    return {};
}

} // namespace

Result<void> PgRequestStore::insert(const ProvisioningRequest& request, const QString& owner,
                                    const QDateTime& leaseUntil)
{
    if (auto valid = checkInsertable(request, owner, leaseUntil); !valid)
        return valid;
    return m_db->transaction([&]() -> Result<void> { return insertRow(request, owner, leaseUntil); });
}

Result<void> PgRequestStore::insertAll(const QList<ProvisioningRequest>& requests, const QString& owner,
                                       const QDateTime& leaseUntil)
{
    for (const ProvisioningRequest& request : requests) {
        if (auto valid = checkInsertable(request, owner, leaseUntil); !valid)
            return valid;
    }
    if (requests.isEmpty())
        return {};
    // As on SQLite: one commit for the batch, all of it or none.
    return m_db->transaction([&]() -> Result<void> {
        for (const ProvisioningRequest& request : requests) {
            const bool queued = request.state() == RequestState::QueuedForProvisioning;
            if (auto stored = insertRow(request, queued ? QString() : owner, queued ? QDateTime() : leaseUntil);
                !stored)
                return stored;
        }
        return {};
    });
}

Result<void> PgRequestStore::insertRow(const ProvisioningRequest& request, const QString& owner,
                                       const QDateTime& leaseUntil)
{
    const QString id = idText(request.id());
    QSqlQuery q(m_db->database());
    QVariantList values{id, msOrNull(request.createdAt()), textOrNull(owner),
                        owner.isEmpty() ? QVariant() : msOrNull(leaseUntil)};
    values.append(SqliteRequestRows::contentValues(request));
    const QString sql =
        QStringLiteral("INSERT INTO requests (id, created_at, lease_owner, lease_until, %1)"
                       " VALUES (%2) ON CONFLICT (id) DO NOTHING")
            .arg(SqliteRequestRows::contentColumns().join(QStringLiteral(", ")), placeholders(values.size()));
    if (auto ran = m_db->run(q, QStringLiteral("insert"), sql, values); !ran)
        return ran;
    if (q.numRowsAffected() != 1) {
        Error error = Error::make(ErrorKind::Storage, ErrorCode::DuplicateId,
                                  QStringLiteral("a request with id %1 is already stored").arg(id));
        error.details.insert(QStringLiteral("requestId"), id);
        return error;
    }
    q.finish();
    return PgRequestRows::appendEvents(*m_db, request, 0);
}

Result<void> PgRequestStore::update(const ProvisioningRequest& request, RequestState expectedState)
{
    if (request.isNull())
        return invalidArgument(QStringLiteral("a null request cannot be stored"));
    return m_db->transaction([&]() -> Result<void> { return updateRow(request, expectedState); });
}

Result<void> PgRequestStore::updateAndRelease(const ProvisioningRequest& request, RequestState expectedState,
                                              const QString& owner, Durability durability)
{
    if (request.isNull())
        return invalidArgument(QStringLiteral("a null request cannot be stored"));
    return m_db->transaction([&]() -> Result<void> {
        if (durability == Durability::Relaxed) {
            // This transaction only: its commit returns before the WAL is flushed; the next synced
            // commit flushes the WAL past it.
            QSqlQuery q(m_db->database());
            if (auto relaxed =
                    m_db->run(q, QStringLiteral("relax commit"), QStringLiteral("SET LOCAL synchronous_commit = off"));
                !relaxed)
                return relaxed;
        }
        if (auto written = updateRow(request, expectedState); !written)
            return written;
        return releaseIn(request.id(), owner);
    });
}

Result<void> PgRequestStore::updateRow(const ProvisioningRequest& request, RequestState expectedState)
{
    const QString id = idText(request.id());
    const QSqlDatabase db = m_db->database();
    auto conflict = [&](const QString& why) {
        Error error = Error::make(ErrorKind::Storage, ErrorCode::Conflict,
                                  QStringLiteral("request %1 moved meanwhile: %2").arg(id, why));
        error.details.insert(QStringLiteral("requestId"), id);
        return error;
    };
    {
        // FOR UPDATE: the compare and the set see the same row; a concurrent writer waits.
        QSqlQuery q(db);
        if (auto ran = m_db->run(q, QStringLiteral("update"),
                                 QStringLiteral("SELECT state, spec FROM requests WHERE id = ? FOR UPDATE"), {id});
            !ran)
            return ran;
        if (!q.next()) {
            Error error = Error::make(ErrorKind::Storage, QStringLiteral("not-found"),
                                      QStringLiteral("request %1 is not stored").arg(id));
            error.details.insert(QStringLiteral("requestId"), id);
            return error;
        }
        const QString stored = q.value(0).toString();
        if (stored != toString(expectedState))
            return conflict(QStringLiteral("it is %1, not %2").arg(stored, toString(expectedState)));
        // A quarantined request is shown with what could be read of its spec: writing that back
        // would destroy the stored original that someone may still repair.
        if (const auto problem = SqliteRequestRows::specProblem(q.value(1).toString().toUtf8())) {
            Error error = Error::make(ErrorKind::Storage, QStringLiteral("stored-request-unreadable"),
                                      QStringLiteral("request %1 cannot be changed: its stored spec is unreadable "
                                                     "(%2); it is kept as it is")
                                          .arg(id, *problem));
            error.details.insert(QStringLiteral("requestId"), id);
            return error;
        }
    }
    // As on SQLite: the caller's history must extend what is stored (QUEUED after a round trip is
    // not the QUEUED the caller read).
    qsizetype storedEvents = 0;
    {
        QSqlQuery q(db);
        if (auto ran = m_db->run(q, QStringLiteral("update"),
                                 QStringLiteral("SELECT seq, at, from_state, to_state FROM request_events"
                                                " WHERE request_id = ? ORDER BY seq DESC LIMIT 1"),
                                 {id});
            !ran)
            return ran;
        if (q.next()) {
            storedEvents = q.value(0).toLongLong() + 1;
            const QList<RequestEvent>& history = request.history();
            if (history.size() < storedEvents)
                return conflict(QStringLiteral("%1 history events are stored, the update carries %2")
                                    .arg(storedEvents)
                                    .arg(history.size()));
            const RequestEvent& mine = history[storedEvents - 1];
            if (msOrNull(mine.at).toLongLong() != q.value(1).toLongLong() ||
                toString(mine.from) != q.value(2).toString() || toString(mine.to) != q.value(3).toString())
                return conflict(QStringLiteral("its stored history differs from the update's"));
        }
    }
    QSqlQuery q(db);
    QVariantList values = SqliteRequestRows::contentValues(request);
    values.append(id);
    QStringList assignments;
    for (const QString& column : SqliteRequestRows::contentColumns())
        assignments.append(column + QStringLiteral(" = ?"));
    if (auto ran = m_db->run(
            q, QStringLiteral("update"),
            QStringLiteral("UPDATE requests SET %1 WHERE id = ?").arg(assignments.join(QStringLiteral(", "))), values);
        !ran)
        return ran;
    q.finish();
    return PgRequestRows::appendEvents(*m_db, request, storedEvents);
}

Result<std::optional<ProvisioningRequest>> PgRequestStore::get(const QUuid& id)
{
    const QSqlDatabase db = m_db->database();
    QList<SqliteRequestRow> rows;
    SqliteStoredHistories histories;
    auto read = m_db->readTransaction([&]() -> Result<void> {
        QSqlQuery q(db);
        if (auto ran = m_db->run(q, QStringLiteral("get"),
                                 QStringLiteral("SELECT %1 FROM requests WHERE id = ?").arg(PgRequestRows::columns()),
                                 {idText(id)});
            !ran)
            return ran;
        auto found = PgRequestRows::readRows(*m_db, q, QStringLiteral("get"));
        if (!found)
            return found.error();
        rows = std::move(found).value();
        if (rows.isEmpty())
            return {};
        auto history = PgRequestRows::readHistories(*m_db, QStringLiteral("?"), {idText(id)});
        if (!history)
            return history.error();
        histories = std::move(history).value();
        return {};
    });
    if (!read)
        return read.error();
    if (rows.isEmpty())
        return std::optional<ProvisioningRequest>();
    return std::optional<ProvisioningRequest>(PgRequestRows::mapRead(*m_db, rows, histories).first());
}

namespace {

// strpos finds a part of the case-folded name; requests_created orders by (created_at, seq).
const RequestListDialect& pgDialect()
{
    static const RequestListDialect dialect{QStringLiteral("strpos(name_key, ?) > 0"),
                                            QStringLiteral("left(batch_id, ?) = ?"), QStringLiteral("seq"), false};
    return dialect;
}

} // namespace

Result<int> PgRequestStore::countMatching(const RequestFilter& filter)
{
    const auto [conditions, bound] = requestListConditions(filter, false, pgDialect());
    const QVariantList values = bound;
    QString sql = QStringLiteral("SELECT count(*) FROM requests");
    if (!conditions.isEmpty())
        sql += QStringLiteral(" WHERE ") + conditions.join(QStringLiteral(" AND "));
    int count = 0;
    auto read = m_db->readTransaction([&]() -> Result<void> {
        QSqlQuery q(m_db->database());
        if (auto ran = m_db->run(q, QStringLiteral("count"), sql, values); !ran)
            return ran;
        if (!q.next())
            return m_db->sqlError(QStringLiteral("count"), q.lastError());
        count = q.value(0).toInt();
        return {};
    });
    if (!read)
        return read.error();
    return count;
}

Result<QList<ProvisioningRequest>> PgRequestStore::list(const RequestFilter& filter)
{
    const auto [conditions, bound] = requestListConditions(filter, true, pgDialect());
    QVariantList values = bound;
    QString selection;
    if (!conditions.isEmpty())
        selection += QStringLiteral(" WHERE ") + conditions.join(QStringLiteral(" AND "));
    selection += QStringLiteral(" ORDER BY created_at DESC, seq DESC");
    if (filter.limit > 0) {
        selection += QStringLiteral(" LIMIT ?");
        values.append(filter.limit);
    }
    const QString sql = QStringLiteral("SELECT %1 FROM requests").arg(PgRequestRows::columns()) + selection;
    const bool everything = conditions.isEmpty() && filter.limit <= 0;
    const QString historyIds = everything ? QString() : QStringLiteral("SELECT id FROM requests") + selection;

    const QSqlDatabase db = m_db->database();
    QList<SqliteRequestRow> rows;
    SqliteStoredHistories histories;
    auto read = m_db->readTransaction([&]() -> Result<void> {
        QSqlQuery q(db);
        if (auto ran = m_db->run(q, QStringLiteral("list"), sql, values); !ran)
            return ran;
        auto found = PgRequestRows::readRows(*m_db, q, QStringLiteral("list"));
        if (!found)
            return found.error();
        rows = std::move(found).value();
        auto history = PgRequestRows::readHistories(*m_db, historyIds, everything ? QVariantList() : values);
        if (!history)
            return history.error();
        histories = std::move(history).value();
        return {};
    });
    if (!read)
        return read.error();
    return PgRequestRows::mapRead(*m_db, rows, histories);
}

Result<QMap<RequestState, int>> PgRequestStore::countByState()
{
    QMap<RequestState, int> counts;
    for (RequestState state : allRequestStates)
        counts.insert(state, 0);
    auto read = m_db->readTransaction([&]() -> Result<void> {
        QSqlQuery q(m_db->database());
        if (auto ran = m_db->run(q, QStringLiteral("count"),
                                 QStringLiteral("SELECT state, count(*) FROM requests GROUP BY state"));
            !ran)
            return ran;
        while (q.next()) {
            // A state this program does not know is an unreadable request: listed as FAILED, so counted so.
            const auto state = SqliteRequestRows::storedState(q.value(0).toString());
            counts[state.value_or(RequestState::Failed)] += q.value(1).toInt();
        }
        return {};
    });
    if (!read)
        return read.error();
    return counts;
}

Result<bool> PgRequestStore::othersWrote()
{
    return m_db->notified();
}

Result<QList<ProvisioningRequest>> PgRequestStore::claimWith(const QString& what, const QString& sql,
                                                             const QVariantList& values, const QDateTime& now,
                                                             const ClaimStart& start)
{
    QList<ProvisioningRequest> claimed;
    auto done = m_db->transaction([&]() -> Result<void> {
        claimed.clear();
        QList<SqliteRequestRow> rows;
        {
            QSqlQuery q(m_db->database());
            if (auto ran = m_db->run(q, what, sql, values); !ran)
                return ran;
            auto read = PgRequestRows::readRows(*m_db, q, what);
            if (!read)
                return read.error();
            rows = std::move(read).value();
        }
        // RETURNING gives rows in no promised order.
        std::sort(rows.begin(), rows.end(), [](const SqliteRequestRow& a, const SqliteRequestRow& b) {
            return std::pair(a.createdAt.toMSecsSinceEpoch(), a.rowid) <
                   std::pair(b.createdAt.toMSecsSinceEpoch(), b.rowid);
        });
        auto histories = PgRequestRows::readHistories(*m_db, rows);
        if (!histories)
            return histories.error();
        for (const SqliteRequestRow& row : std::as_const(rows)) {
            SqliteMappedRequest mapped = SqliteRequestRows::toRequest(row, histories.value().take(row.id), now);
            if (!mapped.unreadable) {
                claimed.append(std::move(mapped.request));
                continue;
            }
            // Not handed over: on record as FAILED (lease dropped) in this same transaction.
            if (auto recorded = PgRequestRows::quarantine(*m_db, row, *mapped.unreadable, now); !recorded)
                return recorded.error();
        }
        if (!start)
            return {};
        for (ProvisioningRequest& request : claimed) {
            std::optional<ProvisioningRequest> started = start(request);
            if (!started)
                continue;
            if (started->isNull() || started->id() != request.id())
                return invalidArgument(QStringLiteral("a claim's first write must be the claimed request"));
            // The claimed rows are locked by this transaction: the state compared is the one just claimed.
            if (auto written = updateRow(*started, request.state()); !written)
                return written;
            request = std::move(*started);
        }
        return {};
    });
    if (!done)
        return done.error();
    return claimed;
}

Result<QList<ProvisioningRequest>> PgRequestStore::claimNext(const QString& owner, const QDateTime& leaseUntil,
                                                             const QDateTime& now, int maxCount)
{
    return claimAndStart(owner, leaseUntil, now, maxCount, {});
}

Result<QList<ProvisioningRequest>> PgRequestStore::claimAndStart(const QString& owner, const QDateTime& leaseUntil,
                                                                 const QDateTime& now, int maxCount,
                                                                 const ClaimStart& start)
{
    if (owner.isEmpty() || !leaseUntil.isValid() || !now.isValid())
        return invalidArgument(QStringLiteral("a claim needs an owner, a lease expiry and the current time"));
    if (maxCount <= 0)
        return QList<ProvisioningRequest>();
    // The states are literal (ours, not input) so that the planner matches requests_claimable's
    // predicate even for a generic plan of this prepared statement.
    const QString sql =
        QStringLiteral("WITH picked AS (SELECT id AS picked_id FROM requests"
                       " WHERE state IN ('QUEUED_FOR_PROVISIONING', 'SUBMITTED')"
                       " AND (state = 'SUBMITTED' OR next_attempt_at IS NULL OR next_attempt_at <= ?)"
                       " AND (lease_until IS NULL OR lease_until <= ?)"
                       " ORDER BY created_at, seq LIMIT ? FOR UPDATE SKIP LOCKED)"
                       " UPDATE requests SET lease_owner = ?, lease_until = ? FROM picked WHERE id = picked_id"
                       " RETURNING %1")
            .arg(PgRequestRows::columns());
    const qint64 nowMs = now.toMSecsSinceEpoch();
    return claimWith(QStringLiteral("claim"), sql, {nowMs, nowMs, maxCount, owner, leaseUntil.toMSecsSinceEpoch()}, now,
                     start);
}

Result<void> PgRequestStore::renewLease(const QUuid& id, const QString& owner, const QDateTime& leaseUntil)
{
    if (owner.isEmpty() || !leaseUntil.isValid())
        return invalidArgument(QStringLiteral("renewing a lease needs its owner and a new expiry"));
    bool held = false;
    auto renewed = m_db->transaction([&]() -> Result<void> {
        QSqlQuery q(m_db->database());
        // An expired lease nobody else took is still the caller's: nobody can have driven the request since.
        if (auto ran = m_db->run(q, QStringLiteral("renew lease"),
                                 QStringLiteral("UPDATE requests SET lease_until = ? WHERE id = ? AND lease_owner = ?"),
                                 {leaseUntil.toMSecsSinceEpoch(), idText(id), owner});
            !ran)
            return ran;
        held = q.numRowsAffected() == 1;
        return {};
    });
    if (!renewed)
        return renewed;
    if (!held) {
        Error error = Error::make(ErrorKind::Storage, ErrorCode::NotClaimed,
                                  QStringLiteral("%1 does not hold the lease on request %2").arg(owner, idText(id)));
        error.details.insert(QStringLiteral("requestId"), idText(id));
        return error;
    }
    return {};
}

Result<void> PgRequestStore::releaseClaim(const QUuid& id, const QString& owner)
{
    return m_db->transaction([&]() -> Result<void> { return releaseIn(id, owner); });
}

Result<void> PgRequestStore::releaseIn(const QUuid& id, const QString& owner)
{
    QSqlQuery q(m_db->database());
    return m_db->run(q, QStringLiteral("release lease"),
                     QStringLiteral("UPDATE requests SET lease_owner = NULL, lease_until = NULL"
                                    " WHERE id = ? AND lease_owner = ?"),
                     {idText(id), owner});
}

Result<QList<ProvisioningRequest>> PgRequestStore::takeOverExpired(const QString& owner, const QDateTime& leaseUntil,
                                                                   const QDateTime& now)
{
    if (owner.isEmpty() || !leaseUntil.isValid() || !now.isValid())
        return invalidArgument(QStringLiteral("a take-over needs an owner, a lease expiry and the current time"));
    const QString sql = QStringLiteral("WITH picked AS (SELECT id AS picked_id FROM requests"
                                       " WHERE state IN ('PROVISIONING', 'RECONCILING')"
                                       " AND (lease_until IS NULL OR lease_until <= ?) FOR UPDATE SKIP LOCKED)"
                                       " UPDATE requests SET lease_owner = ?, lease_until = ? FROM picked"
                                       " WHERE id = picked_id RETURNING %1")
                            .arg(PgRequestRows::columns());
    return claimWith(QStringLiteral("take over"), sql, {now.toMSecsSinceEpoch(), owner, leaseUntil.toMSecsSinceEpoch()},
                     now);
}

} // namespace dcm
