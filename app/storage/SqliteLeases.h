#pragma once

#include <functional>

#include <QDateTime>
#include <QList>
#include <QString>
#include <QUuid>

#include "domain/ProvisioningRequest.h"
#include "domain/Result.h"

namespace dcm {

class SqliteDatabase;

// Claims and leases on the requests table (RequestStorePort's claimNext, renewLease, releaseClaim,
// takeOverExpired). A lease is live while now < leaseUntil. A claim is one UPDATE … RETURNING under the
// write lock, and the claimed rows are read back (with their history) under the same lock; a claimed
// row that cannot be read is quarantined in that same transaction (SqliteQuarantine) instead of being
// handed over, so one damaged row never leaves the healthy ones of its batch claimed but undriven.
class SqliteLeases
{
public:
    explicit SqliteLeases(SqliteDatabase& db) : m_db(db) {}

    // What runs inside a claim's transaction after the claimed requests are read (it may rewrite them,
    // as claimAndStart's first write does); a refusal rolls the whole claim back.
    using Within = std::function<Result<void>(QList<ProvisioningRequest>& claimed)>;

    Result<QList<ProvisioningRequest>> claimNext(const QString& owner, const QDateTime& leaseUntil,
                                                 const QDateTime& now, int maxCount, const Within& within = {});
    Result<void> renewLease(const QUuid& id, const QString& owner, const QDateTime& leaseUntil);
    Result<void> releaseClaim(const QUuid& id, const QString& owner);
    Result<QList<ProvisioningRequest>> takeOverExpired(const QString& owner, const QDateTime& leaseUntil,
                                                       const QDateTime& now);
    // releaseClaim's statement inside the caller's transaction (a write that also gives the lease up).
    Result<void> releaseIn(const QUuid& id, const QString& owner);

private:
    Result<QList<ProvisioningRequest>> claimWith(const QString& what, const QString& sql, const QVariantList& values,
                                                 const QDateTime& now, const Within& within = {});

    SqliteDatabase& m_db;
};

} // namespace dcm
