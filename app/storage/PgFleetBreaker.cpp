#include "app/storage/PgFleetBreaker.h"

#include <QSqlQuery>

#include "app/storage/PgDatabase.h"
#include "app/storage/PgRequestSchema.h"
#include "app/storage/SqliteSql.h"

namespace dcm {

using namespace sqlite;

PgFleetBreaker::PgFleetBreaker(std::unique_ptr<PgDatabase> db) : m_db(std::move(db))
{}

PgFleetBreaker::~PgFleetBreaker() = default;

Result<std::unique_ptr<PgFleetBreaker>> PgFleetBreaker::open(const PgLocation& where, const QString& password)
{
    auto db = PgDatabase::open(where, PgRequestSchema::steps(), {PgRequestSchema::fleetChannel()}, password);
    if (!db)
        return db.error();
    return std::unique_ptr<PgFleetBreaker>(new PgFleetBreaker(std::move(db).value()));
}

Result<FleetBreakerState> PgFleetBreaker::read()
{
    FleetBreakerState state;
    auto read = m_db->readTransaction([&]() -> Result<void> {
        QSqlQuery q(m_db->database());
        if (auto ran = m_db->run(q, QStringLiteral("read the fleet's breaker"),
                                 QStringLiteral("SELECT state, (extract(epoch FROM since) * 1000)::bigint, reason,"
                                                " changed_by, paused, paused_by, paused_reason, version"
                                                " FROM fleet_breaker WHERE id = 1"));
            !ran)
            return ran;
        if (!q.next())
            return Error::make(ErrorKind::Storage, QStringLiteral("storage"),
                               QStringLiteral("the team database has no fleet breaker row"));
        const auto parsed = breakerStateFromString(q.value(0).toString());
        if (!parsed)
            return Error::make(
                ErrorKind::Storage, QStringLiteral("corrupt-breaker-event"),
                QStringLiteral("the fleet's breaker is in an unknown state \"%1\"").arg(q.value(0).toString()));
        state.state = *parsed;
        state.since = dateAt(q, 1);
        state.reason = q.value(2).toString();
        state.changedBy = q.value(3).toString();
        state.paused = q.value(4).toBool();
        state.pausedBy = q.value(5).toString();
        state.pausedReason = q.value(6).toString();
        state.version = q.value(7).toLongLong();
        return {};
    });
    if (!read)
        return read.error();
    return state;
}

Result<bool> PgFleetBreaker::changed()
{
    return m_db->notified();
}

Result<int> PgFleetBreaker::write(const QString& what, const QString& sql, const QVariantList& values)
{
    int rows = 0;
    auto done = m_db->transaction([&]() -> Result<void> {
        QSqlQuery q(m_db->database());
        if (auto ran = m_db->run(q, what, sql, values); !ran)
            return ran;
        rows = q.numRowsAffected();
        return {};
    });
    if (!done)
        return done.error();
    return rows;
}

Result<void> PgFleetBreaker::open(const QString& reason, const QString& by, std::chrono::milliseconds cooldown)
{
    auto done = write(QStringLiteral("open the fleet's breaker"),
                      QStringLiteral("UPDATE fleet_breaker SET state = 'OPEN', since = clock_timestamp(), reason = ?,"
                                     " changed_by = ?, next_scout_at = clock_timestamp() + CAST(? AS bigint)"
                                     " * interval '1 millisecond', scout_owner = NULL, version = version + 1"
                                     " WHERE id = 1 AND state = 'CLOSED'"),
                      {textOrNull(reason), textOrNull(by), qint64(cooldown.count())});
    if (!done)
        return done.error();
    return {};
}

Result<void> PgFleetBreaker::close(const QString& reason, const QString& by)
{
    auto done = write(QStringLiteral("close the fleet's breaker"),
                      QStringLiteral("UPDATE fleet_breaker SET state = 'CLOSED', since = clock_timestamp(), reason = ?,"
                                     " changed_by = ?, next_scout_at = NULL, version = version + 1"
                                     " WHERE id = 1 AND state = 'OPEN'"),
                      {textOrNull(reason), textOrNull(by)});
    if (!done)
        return done.error();
    return {};
}

Result<void> PgFleetBreaker::hold(const QString& reason, const QString& by)
{
    auto done = write(QStringLiteral("hold the fleet's breaker open"),
                      QStringLiteral("UPDATE fleet_breaker SET state = 'FORCED_OPEN', since = clock_timestamp(),"
                                     " reason = ?, changed_by = ?, next_scout_at = NULL, version = version + 1"
                                     " WHERE id = 1"),
                      {textOrNull(reason), textOrNull(by)});
    if (!done)
        return done.error();
    return {};
}

Result<void> PgFleetBreaker::release(const QString& reason, const QString& by)
{
    auto done = write(QStringLiteral("release the fleet's breaker"),
                      QStringLiteral("UPDATE fleet_breaker SET state = 'CLOSED', since = clock_timestamp(), reason = ?,"
                                     " changed_by = ?, next_scout_at = NULL, version = version + 1 WHERE id = 1"),
                      {textOrNull(reason), textOrNull(by)});
    if (!done)
        return done.error();
    return {};
}

Result<void> PgFleetBreaker::setPaused(bool paused, const QString& reason, const QString& by)
{
    auto done = write(QStringLiteral("pause the fleet's queue"),
                      QStringLiteral("UPDATE fleet_breaker SET paused = ?, paused_by = ?, paused_reason = ?,"
                                     " version = version + 1 WHERE id = 1 AND paused <> ?"),
                      {paused, textOrNull(by), textOrNull(reason), paused});
    if (!done)
        return done.error();
    return {};
}

Result<bool> PgFleetBreaker::takeScoutLease(const QString& owner, std::chrono::milliseconds cooldown)
{
    // One UPDATE: of drainers racing for the same lease, the row lock lets one through and the others
    // re-check the WHERE against its write and find the lease taken.
    auto done = write(QStringLiteral("take the scout lease"),
                      QStringLiteral("UPDATE fleet_breaker SET next_scout_at = clock_timestamp() + CAST(? AS bigint)"
                                     " * interval '1 millisecond', scout_owner = ?"
                                     " WHERE id = 1 AND state = 'OPEN'"
                                     " AND (next_scout_at IS NULL OR next_scout_at <= clock_timestamp())"),
                      {qint64(cooldown.count()), owner});
    if (!done)
        return done.error();
    return done.value() == 1;
}

} // namespace dcm
