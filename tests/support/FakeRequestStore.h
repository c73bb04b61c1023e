#pragma once

#include "domain/ports/RequestStorePort.h"

#include <QHash>
#include <QList>

// An in-memory RequestStorePort for service and GUI unit tests: the same contract as the SQLite store
// (claims with leases, compare-and-set updates), no disk. A test can make it fail on demand.
class FakeRequestStore final : public dcm::RequestStorePort
{
public:
    dcm::Result<void> insert(const dcm::ProvisioningRequest& request, const QString& owner,
                             const QDateTime& leaseUntil) override;
    dcm::Result<void> update(const dcm::ProvisioningRequest& request, dcm::RequestState expectedState) override;
    dcm::Result<std::optional<dcm::ProvisioningRequest>> get(const QUuid& id) override;
    dcm::Result<QList<dcm::ProvisioningRequest>> list(const dcm::RequestFilter& filter) override;
    dcm::Result<QMap<dcm::RequestState, int>> countByState() override;
    dcm::Result<QList<dcm::ProvisioningRequest>> claimNext(const QString& owner, const QDateTime& leaseUntil,
                                                           const QDateTime& now, int maxCount) override;
    dcm::Result<void> renewLease(const QUuid& id, const QString& owner, const QDateTime& leaseUntil) override;
    dcm::Result<void> releaseClaim(const QUuid& id, const QString& owner) override;
    dcm::Result<QList<dcm::ProvisioningRequest>> takeOverExpired(const QString& owner, const QDateTime& leaseUntil,
                                                                 const QDateTime& now) override;
    // All or none, as the real stores' one transaction; queued ones unclaimed.
    dcm::Result<void> insertAll(const QList<dcm::ProvisioningRequest>& requests, const QString& owner,
                                const QDateTime& leaseUntil) override;
    // A relaxed write is counted as "updateAndRelease" and kept in relaxedWrites().
    dcm::Result<void> updateAndRelease(const dcm::ProvisioningRequest& request, dcm::RequestState expectedState,
                                       const QString& owner,
                                       dcm::Durability durability = dcm::Durability::Synced) override;
    // claimNext and the first writes, all or none, counted as one "claimAndStart" commit.
    dcm::Result<QList<dcm::ProvisioningRequest>> claimAndStart(const QString& owner, const QDateTime& leaseUntil,
                                                               const QDateTime& now, int maxCount,
                                                               const ClaimStart& start) override;

    // Every write fails with a Storage error while set (reads still work).
    void setFailWrites(bool fail) { m_failWrites = fail; }
    QString leaseOwner(const QUuid& id) const { return m_rows.value(id).owner; }
    // How many times each write method was called ("insert", "insertAll", "update", "updateAndRelease",
    // "releaseClaim", "claimNext", "claimAndStart"): each is one commit in a real store.
    int writes(const QString& method) const { return m_writes.value(method); }
    int size() const { return int(m_rows.size()); }
    // Every request written with Durability::Relaxed, as written, in order.
    const QList<dcm::ProvisioningRequest>& relaxedWrites() const { return m_relaxed; }

private:
    struct Row
    {
        dcm::ProvisioningRequest request;
        QString owner;
        QDateTime leaseUntil;
        qint64 order = 0;
    };
    dcm::Error writeError() const;

    QHash<QUuid, Row> m_rows;
    qint64 m_nextOrder = 0;
    bool m_failWrites = false;
    QHash<QString, int> m_writes;
    QList<dcm::ProvisioningRequest> m_relaxed;
};
