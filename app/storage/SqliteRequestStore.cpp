#include "app/storage/SqliteRequestStore.h"

#include <utility>

#include <QLoggingCategory>
#include <QSqlQuery>

#include "app/storage/SqliteDatabase.h"
#include "app/storage/SqliteLeases.h"
#include "app/storage/SqliteQuarantine.h"
#include "app/storage/SqliteRequestRows.h"
#include "app/storage/SqliteRequestSchema.h"
#include "app/storage/SqliteSql.h"

Q_LOGGING_CATEGORY(lcStore, "dcm.app.store", QtInfoMsg)

namespace dcm {

using namespace sqlite;

SqliteRequestStore::SqliteRequestStore(std::unique_ptr<SqliteDatabase> db)
    : m_db(std::move(db)), m_leases(std::make_unique<SqliteLeases>(*m_db))
{}

SqliteRequestStore::~SqliteRequestStore() = default;

Result<std::unique_ptr<SqliteRequestStore>> SqliteRequestStore::open(const QString& path,
                                                                     std::chrono::milliseconds busyTimeout)
{
    auto db =
        SqliteDatabase::open(path, SqliteRequestSchema::steps(), busyTimeout, SqliteRequestSchema::countRequests());
    if (!db) {
        return db.error();
    }
    qCDebug(lcStore) << "request store open:" << db.value()->path() << "schema" << db.value()->schemaVersion();
    return std::unique_ptr<SqliteRequestStore>(new SqliteRequestStore(std::move(db).value()));
}

namespace {

Result<void> checkInsertable(const ProvisioningRequest& request, const QString& owner, const QDateTime& leaseUntil)
{
    if (request.isNull() || !request.createdAt().isValid()) {
        return invalidArgument(QStringLiteral("a request needs an id and a creation time to be stored"));
    }
    if (!owner.isEmpty() && !leaseUntil.isValid()) {
        return invalidArgument(QStringLiteral("a claimed request needs a lease expiry"));
    }
    return {};
}

} // namespace

Result<void> SqliteRequestStore::insert(const ProvisioningRequest& request, const QString& owner,
                                        const QDateTime& leaseUntil)
{
    if (auto valid = checkInsertable(request, owner, leaseUntil); !valid) {
        return valid;
    }
    return m_db->transaction([&]() -> Result<void> { return insertRow(request, owner, leaseUntil); });
}

Result<void> SqliteRequestStore::insertAll(const QList<ProvisioningRequest>& requests, const QString& owner,
                                           const QDateTime& leaseUntil)
{
    for (const ProvisioningRequest& request : requests) {
        if (auto valid = checkInsertable(request, owner, leaseUntil); !valid) {
            return valid;
        }
    }
    if (requests.isEmpty()) {
        return {};
    }
    // One transaction: one synced commit for the batch, and a refusal half-way rolls back the ones
    // before it, so the caller never has to tell which of its VMs were accepted.
    return m_db->transaction([&]() -> Result<void> {
        for (const ProvisioningRequest& request : requests) {
            const bool queued = request.state() == RequestState::QueuedForProvisioning;
            if (auto stored = insertRow(request, queued ? QString() : owner, queued ? QDateTime() : leaseUntil);
                !stored) {
                return stored;
            }
        }
        return {};
    });
}

Result<void> SqliteRequestStore::insertRow(const ProvisioningRequest& request, const QString& owner,
                                           const QDateTime& leaseUntil)
{
    const QString id = idText(request.id());
    const QSqlDatabase db = m_db->database();
    {
        QSqlQuery q(db);
        if (auto ran =
                run(*m_db, q, QStringLiteral("insert"), QStringLiteral("SELECT 1 FROM requests WHERE id = ?"), {id});
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
    values.append(SqliteRequestRows::contentValues(request));
    const QString sql =
        QStringLiteral("INSERT INTO requests (id, created_at, lease_owner, lease_until, %1) VALUES (%2)")
            .arg(SqliteRequestRows::contentColumns().join(QStringLiteral(", ")), placeholders(values.size()));
    if (auto ran = run(*m_db, q, QStringLiteral("insert"), sql, values); !ran) {
        return ran;
    }
    return SqliteRequestRows::appendEvents(*m_db, request, 0);
}

Result<void> SqliteRequestStore::update(const ProvisioningRequest& request, RequestState expectedState)
{
    if (request.isNull()) {
        return invalidArgument(QStringLiteral("a null request cannot be stored"));
    }
    return m_db->transaction([&]() -> Result<void> { return updateRow(request, expectedState); });
}

Result<void> SqliteRequestStore::updateAndRelease(const ProvisioningRequest& request, RequestState expectedState,
                                                  const QString& owner, Durability durability)
{
    if (request.isNull()) {
        return invalidArgument(QStringLiteral("a null request cannot be stored"));
    }
    const auto work = [&]() -> Result<void> {
        if (auto written = updateRow(request, expectedState); !written) {
            return written;
        }
        return m_leases->releaseIn(request.id(), owner);
    };
    return durability == Durability::Relaxed ? m_db->relaxedTransaction(work) : m_db->transaction(work);
}

Result<QList<ProvisioningRequest>> SqliteRequestStore::claimAndStart(const QString& owner, const QDateTime& leaseUntil,
                                                                     const QDateTime& now, int maxCount,
                                                                     const ClaimStart& start)
{
    return m_leases->claimNext(
        owner, leaseUntil, now, maxCount, [&](QList<ProvisioningRequest>& claimed) -> Result<void> {
            for (ProvisioningRequest& request : claimed) {
                std::optional<ProvisioningRequest> started = start ? start(request) : std::nullopt;
                if (!started) {
                    continue;
                }
                if (started->isNull() || started->id() != request.id()) {
                    return invalidArgument(QStringLiteral("a claim's first write must be the claimed request"));
                }
                // Under the write lock taken by the claim: the state compared is the one just claimed.
                if (auto written = updateRow(*started, request.state()); !written) {
                    return written;
                }
                request = std::move(*started);
            }
            return Result<void>{};
        });
}

Result<void> SqliteRequestStore::updateRow(const ProvisioningRequest& request, RequestState expectedState)
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
        QSqlQuery q(db);
        if (auto ran = run(*m_db, q, QStringLiteral("update"),
                           QStringLiteral("SELECT state, CAST(spec AS BLOB) FROM requests WHERE id = ?"), {id});
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
        // A quarantined request is shown with whatever could be read of its spec: writing that back
        // would destroy the stored original that someone may still repair.
        if (const auto problem = SqliteRequestRows::specProblem(q.value(1).toByteArray())) {
            Error error = Error::make(ErrorKind::Storage, QStringLiteral("stored-request-unreadable"),
                                      QStringLiteral("request %1 cannot be changed: its stored spec is unreadable "
                                                     "(%2); it is kept as it is")
                                          .arg(id, *problem));
            error.details.insert(QStringLiteral("requestId"), id);
            return error;
        }
    }
    // The state alone cannot tell QUEUED from QUEUED-after-a-round-trip: the caller's history must
    // also extend what is stored, or "its new events" would mean events someone else never saw.
    qsizetype storedEvents = 0;
    {
        QSqlQuery q(db);
        if (auto ran = run(*m_db, q, QStringLiteral("update"),
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
    QVariantList values = SqliteRequestRows::contentValues(request);
    values.append(id);
    values.append(toString(expectedState));
    QStringList assignments;
    for (const QString& column : SqliteRequestRows::contentColumns()) {
        assignments.append(column + QStringLiteral(" = ?"));
    }
    if (auto ran = run(*m_db, q, QStringLiteral("update"),
                       QStringLiteral("UPDATE requests SET %1 WHERE id = ? AND state = ?")
                           .arg(assignments.join(QStringLiteral(", "))),
                       values);
        !ran) {
        return ran;
    }
    return SqliteRequestRows::appendEvents(*m_db, request, storedEvents);
}

namespace {

// Maps rows read by list() or get(). Quarantined rows that are not on record yet are put there now, so
// that counts, other readers and the next claim agree with what this listing shows — best effort: a
// read must not fail because the database cannot be written just now (the next claim that meets the
// row records it then).
QList<ProvisioningRequest> mapRead(SqliteDatabase& db, const QList<SqliteRequestRow>& rows,
                                   SqliteStoredHistories& histories)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QList<ProvisioningRequest> requests;
    requests.reserve(rows.size());
    QList<std::pair<SqliteRequestRow, Error>> owed;
    for (const SqliteRequestRow& row : rows) {
        SqliteMappedRequest mapped = SqliteRequestRows::toRequest(row, histories.take(row.id), now);
        if (mapped.owesQuarantine) {
            owed.append({row, *mapped.unreadable});
        }
        requests.append(std::move(mapped.request));
    }
    if (!owed.isEmpty()) {
        auto recorded = db.transaction([&]() -> Result<void> {
            for (const auto& [row, why] : std::as_const(owed)) {
                if (auto done = SqliteQuarantine::record(db, row, why, now); !done) {
                    return done.error();
                }
            }
            return {};
        });
        if (!recorded) {
            qCWarning(lcStore) << "could not put unreadable requests on record:" << recorded.error().message;
        }
    }
    return requests;
}

} // namespace

Result<std::optional<ProvisioningRequest>> SqliteRequestStore::get(const QUuid& id)
{
    const QSqlDatabase db = m_db->database();
    QList<SqliteRequestRow> rows;
    SqliteStoredHistories histories;
    auto read = m_db->readTransaction([&]() -> Result<void> {
        QSqlQuery q(db);
        if (auto ran = run(*m_db, q, QStringLiteral("get"),
                           QStringLiteral("SELECT %1 FROM requests WHERE id = ?").arg(SqliteRequestRows::columns()),
                           {idText(id)});
            !ran) {
            return ran;
        }
        auto found = SqliteRequestRows::readRows(*m_db, q, QStringLiteral("get"));
        if (!found) {
            return found.error();
        }
        rows = std::move(found).value();
        if (rows.isEmpty()) {
            return {};
        }
        auto history = SqliteRequestRows::readHistories(*m_db, QStringLiteral("?"), {idText(id)});
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
    return std::optional<ProvisioningRequest>(mapRead(*m_db, rows, histories).first());
}

Result<bool> SqliteRequestStore::othersWrote()
{
    auto version = m_db->pragma(QStringLiteral("data_version"));
    if (!version.ok()) {
        return version.error();
    }
    const qint64 now = version.value().toLongLong();
    const bool moved = m_dataVersion >= 0 && now != m_dataVersion;
    m_dataVersion = now;
    return moved;
}

namespace {

// instr finds a part of the case-folded name; SQLite appends the rowid to every index, so the created_at
// indexes hold the listing's order with it.
const RequestListDialect& sqliteDialect()
{
    static const RequestListDialect dialect{QStringLiteral("instr(name_key, ?) > 0"),
                                            QStringLiteral("substr(batch_id, 1, ?) = ?"), QStringLiteral("rowid"),
                                            true};
    return dialect;
}

} // namespace

Result<int> SqliteRequestStore::countMatching(const RequestFilter& filter)
{
    const auto [conditions, bound] = requestListConditions(filter, false, sqliteDialect());
    const QVariantList values = bound;
    QString sql = QStringLiteral("SELECT count(*) FROM requests");
    if (!conditions.isEmpty()) {
        sql += QStringLiteral(" WHERE ") + conditions.join(QStringLiteral(" AND "));
    }
    int count = 0;
    auto read = m_db->readTransaction([&]() -> Result<void> {
        QSqlQuery q(m_db->database());
        if (auto ran = run(*m_db, q, QStringLiteral("count"), sql, values); !ran) {
            return ran;
        }
        if (!q.next()) {
            return m_db->sqlError(QStringLiteral("count"), q.lastError());
        }
        count = q.value(0).toInt();
        return {};
    });
    if (!read) {
        return read.error();
    }
    return count;
}

Result<QList<ProvisioningRequest>> SqliteRequestStore::list(const RequestFilter& filter)
{
    const auto [conditions, bound] = requestListConditions(filter, true, sqliteDialect());
    QVariantList values = bound;
    QString selection;
    if (!conditions.isEmpty()) {
        selection += QStringLiteral(" WHERE ") + conditions.join(QStringLiteral(" AND "));
    }
    // The unary + on created_at too: else SQLite walks the created_at index for the order and reads
    // every row to find the few written lately (~100 ms at 100,000 requests, each time others wrote).
    selection += filter.updatedAfter.isValid() ? QStringLiteral(" ORDER BY +created_at DESC, rowid DESC")
                                               : QStringLiteral(" ORDER BY created_at DESC, rowid DESC");
    if (filter.limit > 0) {
        selection += QStringLiteral(" LIMIT ?");
        values.append(filter.limit);
    }
    const QString sql = QStringLiteral("SELECT %1 FROM requests").arg(SqliteRequestRows::columns()) + selection;
    // The history query selects the same requests again (one snapshot: same answer) rather than
    // passing 10k ids back in; with no filter it reads the whole history table in key order.
    const bool everything = conditions.isEmpty() && filter.limit <= 0;
    const QString historyIds = everything ? QString() : QStringLiteral("SELECT id FROM requests") + selection;

    const QSqlDatabase db = m_db->database();
    QList<SqliteRequestRow> rows;
    SqliteStoredHistories histories;
    auto read = m_db->readTransaction([&]() -> Result<void> {
        QSqlQuery q(db);
        if (auto ran = run(*m_db, q, QStringLiteral("list"), sql, values); !ran) {
            return ran;
        }
        auto found = SqliteRequestRows::readRows(*m_db, q, QStringLiteral("list"));
        if (!found) {
            return found.error();
        }
        rows = std::move(found).value();
        auto history = SqliteRequestRows::readHistories(*m_db, historyIds, everything ? QVariantList() : values);
        if (!history) {
            return history.error();
        }
        histories = std::move(history).value();
        return {};
    });
    if (!read) {
        return read.error();
    }
    return mapRead(*m_db, rows, histories);
}

Result<QMap<RequestState, int>> SqliteRequestStore::countByState()
{
    QMap<RequestState, int> counts;
    for (RequestState state : allRequestStates) {
        counts.insert(state, 0);
    }
    auto read = m_db->readTransaction([&]() -> Result<void> {
        QSqlQuery q(m_db->database());
        if (auto ran = run(*m_db, q, QStringLiteral("count"),
                           QStringLiteral("SELECT state, count(*) FROM requests GROUP BY state"));
            !ran) {
            return ran;
        }
        while (q.next()) {
            // A state this program does not know is an unreadable request: listed as FAILED, so counted so.
            const auto state = SqliteRequestRows::storedState(q.value(0).toString());
            counts[state.value_or(RequestState::Failed)] += q.value(1).toInt();
        }
        if (q.lastError().isValid()) {
            return m_db->sqlError(QStringLiteral("count"), q.lastError());
        }
        return {};
    });
    if (!read) {
        return read.error();
    }
    return counts;
}

Result<QList<ProvisioningRequest>> SqliteRequestStore::claimNext(const QString& owner, const QDateTime& leaseUntil,
                                                                 const QDateTime& now, int maxCount)
{
    return m_leases->claimNext(owner, leaseUntil, now, maxCount);
}

Result<void> SqliteRequestStore::renewLease(const QUuid& id, const QString& owner, const QDateTime& leaseUntil)
{
    return m_leases->renewLease(id, owner, leaseUntil);
}

Result<void> SqliteRequestStore::releaseClaim(const QUuid& id, const QString& owner)
{
    return m_leases->releaseClaim(id, owner);
}

Result<QList<ProvisioningRequest>>
SqliteRequestStore::takeOverExpired(const QString& owner, const QDateTime& leaseUntil, const QDateTime& now)
{
    return m_leases->takeOverExpired(owner, leaseUntil, now);
}

} // namespace dcm
