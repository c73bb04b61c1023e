#pragma once

#include "FakeRequestStore.h"

#include <memory>

// The service owns its RequestStorePort; this owner forwards to a FakeRequestStore that the test keeps,
// so that the test can read back (and make fail) the store the service writes to.
class FakeRequestStoreOwner final : public dcm::RequestStorePort
{
public:
    explicit FakeRequestStoreOwner(std::shared_ptr<FakeRequestStore> store) : m_s(std::move(store)) {}

    dcm::Result<void> insert(const dcm::ProvisioningRequest& r, const QString& o, const QDateTime& l) override
    {
        return m_s->insert(r, o, l);
    }
    dcm::Result<void> update(const dcm::ProvisioningRequest& r, dcm::RequestState e) override
    {
        return m_s->update(r, e);
    }
    dcm::Result<std::optional<dcm::ProvisioningRequest>> get(const QUuid& id) override { return m_s->get(id); }
    dcm::Result<QList<dcm::ProvisioningRequest>> list(const dcm::RequestFilter& f) override { return m_s->list(f); }
    dcm::Result<QMap<dcm::RequestState, int>> countByState() override { return m_s->countByState(); }
    dcm::Result<QList<dcm::ProvisioningRequest>> claimNext(const QString& o, const QDateTime& l, const QDateTime& n,
                                                           int m) override
    {
        return m_s->claimNext(o, l, n, m);
    }
    dcm::Result<void> renewLease(const QUuid& id, const QString& o, const QDateTime& l) override
    {
        return m_s->renewLease(id, o, l);
    }
    dcm::Result<void> releaseClaim(const QUuid& id, const QString& o) override { return m_s->releaseClaim(id, o); }
    dcm::Result<QList<dcm::ProvisioningRequest>> takeOverExpired(const QString& o, const QDateTime& l,
                                                                 const QDateTime& n) override
    {
        return m_s->takeOverExpired(o, l, n);
    }
    dcm::Result<void> insertAll(const QList<dcm::ProvisioningRequest>& r, const QString& o, const QDateTime& l) override
    {
        return m_s->insertAll(r, o, l);
    }
    dcm::Result<void> updateAndRelease(const dcm::ProvisioningRequest& r, dcm::RequestState e, const QString& o,
                                       dcm::Durability d = dcm::Durability::Synced) override
    {
        return m_s->updateAndRelease(r, e, o, d);
    }
    dcm::Result<QList<dcm::ProvisioningRequest>> claimAndStart(const QString& o, const QDateTime& l, const QDateTime& n,
                                                               int m, const ClaimStart& s) override
    {
        return m_s->claimAndStart(o, l, n, m, s);
    }

private:
    std::shared_ptr<FakeRequestStore> m_s;
};
