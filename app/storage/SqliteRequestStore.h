#pragma once

#include <chrono>
#include <memory>

#include <QList>
#include <QString>
#include <QStringList>

#include "domain/ports/RequestStorePort.h"

namespace dcm {

class SqliteDatabase;
class SqliteLeases;

// RequestStorePort on one SQLite file (QtSql), shared safely by several processes: every write takes
// the write lock up front (BEGIN IMMEDIATE), claims are one UPDATE … RETURNING (SqliteLeases), and
// times are stored as UTC epoch milliseconds so that SQL compares them. Create it on the service
// thread and use it only there (it owns that thread's QtSql connection).
//
// Its parts: the file and its connection (SqliteDatabase, SqliteFiles, SqliteErrors), the schema and
// its migrations (SqliteRequestSchema, SqliteMigrations), row <-> request (SqliteRequestRows,
// SqliteQuarantine), claims and leases (SqliteLeases). The breaker's log is SqliteBreakerLog, on a
// connection of its own to the same file.
//
// Besides the port's codes: "database-damaged", "database-locked" (another process kept the write
// lock past the busy timeout; nothing was written), "database-too-new" and "database-unwritable"
// (from open).
class SqliteRequestStore final : public RequestStorePort
{
public:
    static constexpr std::chrono::milliseconds defaultBusyTimeout{5000};

    // Opens (creating and migrating as needed) the database at `path`. A damaged file is reported as
    // "database-damaged" and left byte for byte as it was; SqliteDatabase::setAside() moves it away.
    static Result<std::unique_ptr<SqliteRequestStore>> open(const QString& path,
                                                            std::chrono::milliseconds busyTimeout = defaultBusyTimeout);

    ~SqliteRequestStore() override;
    SqliteRequestStore(const SqliteRequestStore&) = delete;
    SqliteRequestStore& operator=(const SqliteRequestStore&) = delete;

    Result<void> insert(const ProvisioningRequest& request, const QString& owner, const QDateTime& leaseUntil) override;
    Result<void> update(const ProvisioningRequest& request, RequestState expectedState) override;
    Result<std::optional<ProvisioningRequest>> get(const QUuid& id) override;
    Result<QList<ProvisioningRequest>> list(const RequestFilter& filter) override;
    Result<QMap<RequestState, int>> countByState() override;
    // PRAGMA data_version: it moves when another connection commits to the file, never for our own.
    Result<bool> othersWrote() override;
    Result<int> countMatching(const RequestFilter& filter) override;
    Result<QList<ProvisioningRequest>> claimNext(const QString& owner, const QDateTime& leaseUntil,
                                                 const QDateTime& now, int maxCount) override;
    Result<void> renewLease(const QUuid& id, const QString& owner, const QDateTime& leaseUntil) override;
    Result<void> releaseClaim(const QUuid& id, const QString& owner) override;
    Result<QList<ProvisioningRequest>> takeOverExpired(const QString& owner, const QDateTime& leaseUntil,
                                                       const QDateTime& now) override;

    // The connection underneath, for pragma read-back in tests and bulk loading in benchmarks.
    SqliteDatabase& database() { return *m_db; }

    // One transaction for the batch (one synced commit); queued ones unclaimed.
    Result<void> insertAll(const QList<ProvisioningRequest>& requests, const QString& owner,
                           const QDateTime& leaseUntil) override;
    // Relaxed: this one commit at synchronous=NORMAL (SqliteDatabase::relaxedTransaction).
    Result<void> updateAndRelease(const ProvisioningRequest& request, RequestState expectedState, const QString& owner,
                                  Durability durability = Durability::Synced) override;
    // The claim's UPDATE … RETURNING and the first writes in one IMMEDIATE transaction.
    Result<QList<ProvisioningRequest>> claimAndStart(const QString& owner, const QDateTime& leaseUntil,
                                                     const QDateTime& now, int maxCount,
                                                     const ClaimStart& start) override;

private:
    explicit SqliteRequestStore(std::unique_ptr<SqliteDatabase> db);
    // The statements of insert() and update(), run inside the caller's transaction.
    Result<void> insertRow(const ProvisioningRequest& request, const QString& owner, const QDateTime& leaseUntil);
    Result<void> updateRow(const ProvisioningRequest& request, RequestState expectedState);

    std::unique_ptr<SqliteDatabase> m_db;
    std::unique_ptr<SqliteLeases> m_leases;
    qint64 m_dataVersion = -1;
};

} // namespace dcm
