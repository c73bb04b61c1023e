#pragma once

#include "VsphereOptions.h"

#include "domain/ports/HypervisorPort.h"

#include <QObject>

#include <map>
#include <memory>

class QNetworkAccessManager;

namespace dcm {

namespace vsphere {
class InventoryWatch;
class PlacementCache;
class UpdateChannel;
class VimOperation;
class VimSession;
} // namespace vsphere

// HypervisorPort over VMware vSphere's vim25 SOAP API, with Qt Network and libxml2.
//
// Lives on the thread that creates it (the service thread): it creates its own QNetworkAccessManager,
// everything is asynchronous, and every `done` and progress callback is delivered later from that
// thread's event loop — never from inside the call that started it. Destroying the adapter abandons
// calls in flight without calling their `done`.
class VsphereHypervisor final : public QObject, public HypervisorPort
{
    Q_OBJECT
public:
    explicit VsphereHypervisor(VsphereOptions options = {}, QObject* parent = nullptr);
    ~VsphereHypervisor() override;
    VsphereHypervisor(const VsphereHypervisor&) = delete;
    VsphereHypervisor& operator=(const VsphereHypervisor&) = delete;

    CallId connectTo(const ConnectionSettings& settings, Done<AboutInfo> done) override;
    CallId disconnectFrom(Done<void> done) override;
    CallId about(Done<AboutInfo> done) override;
    CallId probe(Done<QDateTime> done) override;
    CallId inventory(InventoryKinds kinds, Done<InventorySnapshot> done) override;
    CallId provision(const ProvisionOrder& order, ProgressFn progress, Done<ProvisionOutcome> done) override;
    CallId findByRequestKey(const QUuid& requestId, Done<std::optional<VmRef>> done) override;
    CallId clone(const ProvisionOrder& order, ProgressFn progress, Done<ProvisionOutcome> done) override;
    CallId customize(const QString& vmRef, const VmSpec& spec, Done<void> done) override;
    CallId operate(const QString& vmRef, VmOperation operation, Done<void> done) override;
    CallId readStateByKey(const QUuid& requestId, Done<std::optional<VmState>> done) override;
    CallId readState(const QString& vmRef, Done<std::optional<VmState>> done) override;
    CallId listVms(VmFields fields, VmPageFn onPage, Done<int> done) override;
    void cancel(CallId call) override;
    void setCallGate(CallGate gate) override;
    CallId watchInventory(InventoryKinds kinds, InventoryChangeFn onChange, Done<void> ended) override;
    void stopWatching(CallId watch) override;

    // Diagnostics for tests and the admin view.
    int pendingCalls() const { return int(m_operations.size()); }
    int loginCount() const;
    const vsphere::UpdateChannel& updateChannel() const { return *m_channel; }

private:
    template <class T> Done<T> deliverLater(CallId id, Done<T> done);
    CallId launch(CallId id, std::unique_ptr<vsphere::VimOperation> operation);
    // Progress delivered from the event loop, like `done`.
    ProgressFn queuedProgress(ProgressFn progress);

    VsphereOptions m_options;
    QNetworkAccessManager* m_nam;   // child
    vsphere::VimSession* m_session; // child
    std::unique_ptr<vsphere::PlacementCache> m_placements;
    std::map<CallId, std::unique_ptr<vsphere::VimOperation>> m_operations;
    vsphere::UpdateChannel* m_channel; // child
    std::map<CallId, std::unique_ptr<vsphere::InventoryWatch>> m_watches;
    // Ends every watch (Cancelled) and the channel: on disconnect and on new settings.
    void stopUpdates(const QString& why);
    CallId m_nextId = 1;
};

} // namespace dcm
