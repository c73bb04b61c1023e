#pragma once

#include <memory>

#include <QString>

#include "app/storage/PgLocation.h"
#include "domain/ports/RequestStorePort.h"

namespace dcm {

class PgDatabase;

// RequestStorePort on a team database (PostgreSQL through Qt's QPSQL driver), shared by the consoles
// of a team and any number of `dcmctl serve` drainers on other machines. Create it on the service
// thread and use it only there.
//
// - Claims are one statement: the oldest due rows picked with FOR UPDATE SKIP LOCKED and leased in
//   the same UPDATE, so concurrent drainers never wait on, nor take, each other's rows.
// - update() is the same compare-and-set as SQLite's (the stored state and history, read FOR UPDATE).
// - othersWrote() is LISTEN/NOTIFY: triggers notify at commit; the answer is read from what the
//   server has sent, and is true once after a reconnect so that the caller catches up.
// - The server going away is "database-unreachable" (see PgDatabase); the store reconnects by itself.
// The mapping of rows is PgRequestRows (SqliteRequestRows' columns), the schema PgRequestSchema.
class PgRequestStore final : public RequestStorePort
{
public:
    // `password`: from the keychain, or empty for libpq's own (PGPASSWORD, PGPASSFILE).
    static Result<std::unique_ptr<PgRequestStore>> open(const PgLocation& where, const QString& password = {});

    ~PgRequestStore() override;
    PgRequestStore(const PgRequestStore&) = delete;
    PgRequestStore& operator=(const PgRequestStore&) = delete;

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
    Result<bool> othersWrote() override;
    Result<int> countMatching(const RequestFilter& filter) override;

    PgDatabase& database() { return *m_db; }

    // One transaction for the batch (one synced commit); queued ones unclaimed.
    Result<void> insertAll(const QList<ProvisioningRequest>& requests, const QString& owner,
                           const QDateTime& leaseUntil) override;
    // Relaxed: SET LOCAL synchronous_commit = off in that one transaction.
    Result<void> updateAndRelease(const ProvisioningRequest& request, RequestState expectedState, const QString& owner,
                                  Durability durability = Durability::Synced) override;
    // The claim's UPDATE … FOR UPDATE SKIP LOCKED and the first writes in one transaction.
    Result<QList<ProvisioningRequest>> claimAndStart(const QString& owner, const QDateTime& leaseUntil,
                                                     const QDateTime& now, int maxCount,
                                                     const ClaimStart& start) override;

private:
    explicit PgRequestStore(std::unique_ptr<PgDatabase> db);
    // The statements of insert(), update() and releaseClaim(), run inside the caller's transaction.
    Result<void> insertRow(const ProvisioningRequest& request, const QString& owner, const QDateTime& leaseUntil);
    Result<void> updateRow(const ProvisioningRequest& request, RequestState expectedState);
    Result<void> releaseIn(const QUuid& id, const QString& owner);
    Result<QList<ProvisioningRequest>> claimWith(const QString& what, const QString& sql, const QVariantList& values,
                                                 const QDateTime& now, const ClaimStart& start = {});

    std::unique_ptr<PgDatabase> m_db;
};

} // namespace dcm
