#pragma once

#include "FakeHypervisor.h"

#include <memory>

// The service owns its HypervisorPort; this owner forwards to a FakeHypervisor that the test keeps, so
// that the test can script the fake while the service holds the port.
class FakeHypervisorOwner final : public dcm::HypervisorPort
{
public:
    explicit FakeHypervisorOwner(std::shared_ptr<FakeHypervisor> hv) : m_hv(std::move(hv)) {}

    dcm::CallId connectTo(const dcm::ConnectionSettings& s, Done<dcm::AboutInfo> d) override
    {
        return m_hv->connectTo(s, std::move(d));
    }
    dcm::CallId disconnectFrom(Done<void> d) override { return m_hv->disconnectFrom(std::move(d)); }
    dcm::CallId about(Done<dcm::AboutInfo> d) override { return m_hv->about(std::move(d)); }
    dcm::CallId probe(Done<QDateTime> d) override { return m_hv->probe(std::move(d)); }
    dcm::CallId inventory(dcm::InventoryKinds k, Done<dcm::InventorySnapshot> d) override
    {
        return m_hv->inventory(k, std::move(d));
    }
    dcm::CallId provision(const dcm::ProvisionOrder& o, ProgressFn p, Done<dcm::ProvisionOutcome> d) override
    {
        return m_hv->provision(o, std::move(p), std::move(d));
    }
    dcm::CallId findByRequestKey(const QUuid& id, Done<std::optional<dcm::VmRef>> d) override
    {
        return m_hv->findByRequestKey(id, std::move(d));
    }
    dcm::CallId clone(const dcm::ProvisionOrder& o, ProgressFn p, Done<dcm::ProvisionOutcome> d) override
    {
        return m_hv->clone(o, std::move(p), std::move(d));
    }
    dcm::CallId customize(const QString& vm, const dcm::VmSpec& s, Done<void> d) override
    {
        return m_hv->customize(vm, s, std::move(d));
    }
    dcm::CallId operate(const QString& vm, dcm::VmOperation op, Done<void> d) override
    {
        return m_hv->operate(vm, op, std::move(d));
    }
    dcm::CallId readStateByKey(const QUuid& id, Done<std::optional<dcm::VmState>> d) override
    {
        return m_hv->readStateByKey(id, std::move(d));
    }
    dcm::CallId readState(const QString& vm, Done<std::optional<dcm::VmState>> d) override
    {
        return m_hv->readState(vm, std::move(d));
    }
    void cancel(dcm::CallId c) override { m_hv->cancel(c); }
    void setCallGate(dcm::CallGate gate) override { m_hv->setCallGate(std::move(gate)); }
    dcm::CallId listVms(dcm::VmFields f, VmPageFn onPage, Done<int> done) override
    {
        return m_hv->listVms(f, std::move(onPage), std::move(done));
    }
    dcm::CallId watchInventory(dcm::InventoryKinds k, InventoryChangeFn c, Done<void> e) override
    {
        return m_hv->watchInventory(k, std::move(c), std::move(e));
    }
    void stopWatching(dcm::CallId w) override { m_hv->stopWatching(w); }

private:
    std::shared_ptr<FakeHypervisor> m_hv;
};
