#include "app/storage/RequestDatabase.h"

#include "app/storage/PgBreakerLog.h"
#include "app/storage/PgFleetBreaker.h"
#include "app/storage/PgLocation.h"
#include "app/storage/PgRequestStore.h"
#include "app/storage/SqliteBreakerLog.h"
#include "app/storage/SqliteRequestStore.h"

namespace dcm {

bool RequestDatabase::isTeamDatabase(const QString& location)
{
    return PgLocation::isTeamDatabase(location);
}

Result<void> RequestDatabase::check(const QString& location)
{
    if (!isTeamDatabase(location))
        return {};
    auto where = PgLocation::parse(location);
    if (!where)
        return where.error();
    return {};
}

QString RequestDatabase::display(const QString& location)
{
    if (!isTeamDatabase(location))
        return location;
    auto where = PgLocation::parse(location);
    return where ? where.value().display() : QStringLiteral("postgresql://(invalid)");
}

QString RequestDatabase::shortName(const QString& location)
{
    if (!isTeamDatabase(location))
        return location;
    auto where = PgLocation::parse(location);
    if (!where)
        return QStringLiteral("(invalid)");
    const PgLocation& w = where.value();
    if (w.host.isEmpty() || w.host.startsWith(QLatin1Char('/')))
        return QStringLiteral("%1 on %2")
            .arg(w.database, w.host.isEmpty() ? QStringLiteral("the local socket") : w.host);
    return w.port > 0 ? QStringLiteral("%1:%2/%3").arg(w.host).arg(w.port).arg(w.database)
                      : QStringLiteral("%1/%2").arg(w.host, w.database);
}

QString RequestDatabase::credentialKey(const QString& location)
{
    if (!isTeamDatabase(location))
        return {};
    auto where = PgLocation::parse(location);
    if (!where)
        return {};
    PgLocation key = where.value();
    key.sslmode.clear(); // the same account whatever the TLS mode
    return key.display();
}

Result<std::unique_ptr<RequestStorePort>> RequestDatabase::openStore(const QString& location, const QString& password)
{
    if (isTeamDatabase(location)) {
        auto where = PgLocation::parse(location);
        if (!where)
            return where.error();
        auto store = PgRequestStore::open(where.value(), password);
        if (!store)
            return store.error();
        return std::unique_ptr<RequestStorePort>(std::move(store).value());
    }
    auto store = SqliteRequestStore::open(location);
    if (!store)
        return store.error();
    return std::unique_ptr<RequestStorePort>(std::move(store).value());
}

Result<std::unique_ptr<BreakerLogPort>> RequestDatabase::openBreakerLog(const QString& location,
                                                                        const QString& password)
{
    if (isTeamDatabase(location)) {
        auto where = PgLocation::parse(location);
        if (!where)
            return where.error();
        auto log = PgBreakerLog::open(where.value(), password);
        if (!log)
            return log.error();
        return std::unique_ptr<BreakerLogPort>(std::move(log).value());
    }
    auto log = SqliteBreakerLog::open(location);
    if (!log)
        return log.error();
    return std::unique_ptr<BreakerLogPort>(std::move(log).value());
}

Result<std::unique_ptr<FleetBreakerPort>> RequestDatabase::openFleetBreaker(const QString& location,
                                                                            const QString& password)
{
    if (!isTeamDatabase(location))
        return std::unique_ptr<FleetBreakerPort>();
    auto where = PgLocation::parse(location);
    if (!where)
        return where.error();
    auto fleet = PgFleetBreaker::open(where.value(), password);
    if (!fleet)
        return fleet.error();
    return std::unique_ptr<FleetBreakerPort>(std::move(fleet).value());
}

} // namespace dcm
