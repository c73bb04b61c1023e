#pragma once

#include <chrono>
#include <memory>

#include <QList>
#include <QString>
#include <QStringList>

#include "domain/ports/RequestStorePort.h"

namespace dcm {

class SqliteDatabase;

// RequestStorePort on one SQLite file (QtSql), shared safely by several processes: every write takes
// the write lock up front (BEGIN IMMEDIATE), claims are one UPDATE … RETURNING, and a lease is live
// while now < leaseUntil. Times are stored as UTC epoch milliseconds so that SQL compares them.
// Create it on the service thread and use it only there (it owns that thread's QtSql connection).
//
// Besides the port's codes: "database-damaged", "database-locked" (another process kept the write
// lock past the busy timeout; nothing was written), "database-too-new" (from open), and "not-found"
// when update() names a request that is not stored.
class SqliteRequestStore final : public RequestStorePort
{
public:
    static constexpr std::chrono::milliseconds defaultBusyTimeout{5000};

    // Opens (creating and migrating as needed) the database at `path`. A damaged file is reported as
    // "database-damaged" and left byte for byte as it was; SqliteDatabase::setAside() moves it away.
    static Result<std::unique_ptr<SqliteRequestStore>> open(const QString& path,
                                                            std::chrono::milliseconds busyTimeout = defaultBusyTimeout);

    // The schema, one entry per `user_version` step (exposed so that tests can build a database at
    // any earlier version).
    static QList<QStringList> schemaSteps();

    ~SqliteRequestStore() override;
    SqliteRequestStore(const SqliteRequestStore&) = delete;
    SqliteRequestStore& operator=(const SqliteRequestStore&) = delete;

    Result<void> insert(const ProvisioningRequest& request, const QString& owner, const QDateTime& leaseUntil) override;
    Result<void> update(const ProvisioningRequest& request, RequestState expectedState) override;
    Result<std::optional<ProvisioningRequest>> get(const QUuid& id) override;
    Result<QList<ProvisioningRequest>> list(const RequestFilter& filter) override;
    Result<QMap<RequestState, int>> countByState() override;
    Result<QList<ProvisioningRequest>> claimNext(const QString& owner, const QDateTime& leaseUntil,
                                                 const QDateTime& now, int maxCount) override;
    Result<void> renewLease(const QUuid& id, const QString& owner, const QDateTime& leaseUntil) override;
    Result<void> releaseClaim(const QUuid& id, const QString& owner) override;
    Result<QList<ProvisioningRequest>> takeOverExpired(const QString& owner, const QDateTime& leaseUntil,
                                                       const QDateTime& now) override;
    Result<void> appendBreakerEvent(const BreakerTransition& transition, const BreakerSnapshot& snapshot,
                                    const QString& owner) override;
    Result<std::optional<BreakerRecord>> lastBreakerState() override;
    Result<QList<BreakerTransition>> breakerHistory(int limit) override;

    // The connection underneath, for pragma read-back in tests and bulk loading in benchmarks.
    SqliteDatabase& database() { return *m_db; }

private:
    explicit SqliteRequestStore(std::unique_ptr<SqliteDatabase> db);

    std::unique_ptr<SqliteDatabase> m_db;
};

} // namespace dcm
