#include "VsphereHypervisor.h"

#include "AboutOperation.h"
#include "ConnectOperation.h"
#include "FindVmOperation.h"
#include "InventoryOperation.h"
#include "InventoryWatch.h"
#include "PlacementCache.h"
#include "ProbeOperation.h"
#include "ProvisionOperation.h"
#include "ReadStateOperation.h"
#include "UpdateChannel.h"
#include "VimSession.h"
#include "VmCallOperation.h"
#include "VmListOperation.h"

#include <QNetworkAccessManager>

namespace dcm {

using namespace vsphere;

VsphereHypervisor::VsphereHypervisor(VsphereOptions options, QObject* parent)
    : QObject(parent), m_options(options), m_nam(new QNetworkAccessManager(this)),
      m_session(new VimSession(m_nam, m_options, this)),
      m_placements(std::make_unique<PlacementCache>(m_options.placementCacheTtl)),
      m_channel(new UpdateChannel(*m_session, m_options, this))
{
    m_session->setUpdateChannel(m_channel);
}

VsphereHypervisor::~VsphereHypervisor()
{
    // The session and its transport go first, silently: no callback reaches an operation afterwards.
    m_watches.clear();
    m_session->setUpdateChannel(nullptr);
    delete m_channel;
    m_channel = nullptr;
    delete m_session;
    m_session = nullptr;
    m_operations.clear();
}

int VsphereHypervisor::loginCount() const
{
    return m_session->loginCount();
}

template <class T> HypervisorPort::Done<T> VsphereHypervisor::deliverLater(CallId id, Done<T> done)
{
    return [this, id, done = std::move(done)](Result<T> result) {
        QMetaObject::invokeMethod(
            this,
            [this, id, done, result = std::move(result)]() mutable {
                m_operations.erase(id);
                if (done)
                    done(std::move(result));
            },
            Qt::QueuedConnection);
    };
}

CallId VsphereHypervisor::launch(CallId id, std::unique_ptr<VimOperation> operation)
{
    VimOperation* op = operation.get();
    m_operations.emplace(id, std::move(operation));
    op->start();
    return id;
}

CallId VsphereHypervisor::connectTo(const ConnectionSettings& settings, Done<AboutInfo> done)
{
    const CallId id = m_nextId++;
    Done<AboutInfo> deliver = deliverLater(id, std::move(done));
    m_placements->invalidate();
    stopUpdates(QStringLiteral("the connection was replaced"));
    if (Result<void> configured = m_session->configure(settings); !configured.ok()) {
        deliver(configured.error());
        return id;
    }
    return launch(id, std::make_unique<ConnectOperation>(*m_session, std::move(deliver)));
}

CallId VsphereHypervisor::disconnectFrom(Done<void> done)
{
    const CallId id = m_nextId++;
    // The collector is destroyed before the session ends; no update is delivered afterwards.
    stopUpdates(QStringLiteral("disconnected"));
    m_session->logout(deliverLater(id, std::move(done)));
    return id;
}

CallId VsphereHypervisor::about(Done<AboutInfo> done)
{
    const CallId id = m_nextId++;
    return launch(id, std::make_unique<AboutOperation>(*m_session, deliverLater(id, std::move(done))));
}

CallId VsphereHypervisor::probe(Done<QDateTime> done)
{
    const CallId id = m_nextId++;
    return launch(id, std::make_unique<ProbeOperation>(*m_session, deliverLater(id, std::move(done))));
}

CallId VsphereHypervisor::inventory(InventoryKinds kinds, Done<InventorySnapshot> done)
{
    const CallId id = m_nextId++;
    return launch(
        id, std::make_unique<InventoryOperation>(*m_session, m_options, kinds, deliverLater(id, std::move(done))));
}

CallId VsphereHypervisor::listVms(VmFields fields, VmPageFn onPage, Done<int> done)
{
    const CallId id = m_nextId++;
    return launch(id, std::make_unique<VmListOperation>(*m_session, m_options, fields, std::move(onPage),
                                                        deliverLater(id, std::move(done))));
}

HypervisorPort::ProgressFn VsphereHypervisor::queuedProgress(ProgressFn progress)
{
    if (!progress)
        return {};
    return [this, progress = std::move(progress)](const ProvisionProgress& p) {
        QMetaObject::invokeMethod(
            this, [progress, p] { progress(p); }, Qt::QueuedConnection);
    };
}

CallId VsphereHypervisor::provision(const ProvisionOrder& order, ProgressFn progress, Done<ProvisionOutcome> done)
{
    const CallId id = m_nextId++;
    return launch(id, std::make_unique<ProvisionOperation>(*m_session, m_options, *m_placements, order,
                                                           queuedProgress(std::move(progress)),
                                                           deliverLater(id, std::move(done))));
}

CallId VsphereHypervisor::findByRequestKey(const QUuid& requestId, Done<std::optional<VmRef>> done)
{
    const CallId id = m_nextId++;
    return launch(
        id, std::make_unique<FindVmOperation>(*m_session, m_options, requestId, deliverLater(id, std::move(done))));
}

CallId VsphereHypervisor::clone(const ProvisionOrder& order, ProgressFn progress, Done<ProvisionOutcome> done)
{
    const CallId id = m_nextId++;
    return launch(id, std::make_unique<ProvisionOperation>(
                          *m_session, m_options, *m_placements, order, queuedProgress(std::move(progress)),
                          deliverLater(id, std::move(done)), ProvisionOperation::Mode::Clone));
}

CallId VsphereHypervisor::customize(const QString& vmRef, const VmSpec& spec, Done<void> done)
{
    const CallId id = m_nextId++;
    return launch(id, std::make_unique<CustomizeOperation>(*m_session, m_options, vmRef, spec,
                                                           deliverLater(id, std::move(done))));
}

CallId VsphereHypervisor::operate(const QString& vmRef, VmOperation operation, Done<void> done)
{
    const CallId id = m_nextId++;
    return launch(id, std::make_unique<OperateOperation>(*m_session, m_options, vmRef, operation,
                                                         deliverLater(id, std::move(done))));
}

CallId VsphereHypervisor::readStateByKey(const QUuid& requestId, Done<std::optional<VmState>> done)
{
    // Two operations under one call id: the key's VM (FindVmOperation), then its state. The second
    // starts from the event loop, once the first has been let go of.
    const CallId id = m_nextId++;
    Done<std::optional<VmState>> deliver = deliverLater(id, std::move(done));
    auto found = [this, id, deliver](Result<std::optional<VmRef>> r) {
        QMetaObject::invokeMethod(
            this,
            [this, id, deliver, r = std::move(r)] {
                if (!r.ok())
                    return deliver(r.error());
                if (!r.value())
                    return deliver(std::optional<VmState>());
                auto it = m_operations.find(id);
                if (it == m_operations.end())
                    return; // cancelled and delivered meanwhile
                it->second = std::make_unique<ReadStateOperation>(*m_session, r.value()->ref, deliver);
                it->second->start();
            },
            Qt::QueuedConnection);
    };
    return launch(id, std::make_unique<FindVmOperation>(*m_session, m_options, requestId, found));
}

CallId VsphereHypervisor::readState(const QString& vmRef, Done<std::optional<VmState>> done)
{
    const CallId id = m_nextId++;
    return launch(id, std::make_unique<ReadStateOperation>(*m_session, vmRef, deliverLater(id, std::move(done))));
}

void VsphereHypervisor::setCallGate(CallGate gate)
{
    m_session->setCallGate(std::move(gate));
}

void VsphereHypervisor::stopUpdates(const QString& why)
{
    std::map<CallId, std::unique_ptr<InventoryWatch>> watches = std::exchange(m_watches, {});
    m_channel->stop();
    for (auto& [id, watch] : watches) {
        if (InventoryWatch::Ended ended = watch->takeEnded())
            QMetaObject::invokeMethod(
                this, [ended, why] { ended(Error::make(ErrorKind::Cancelled, QStringLiteral("cancelled"), why)); },
                Qt::QueuedConnection);
    }
}

CallId VsphereHypervisor::watchInventory(InventoryKinds kinds, InventoryChangeFn onChange, Done<void> ended)
{
    const CallId id = m_nextId++;
    auto later = [this](Done<void> d) {
        return [this, d = std::move(d)](Result<void> r) {
            QMetaObject::invokeMethod(
                this, [d, r] { d(r); }, Qt::QueuedConnection);
        };
    };
    if (!(kinds & InventoryKind::Vms)) {
        later(std::move(ended))(Error::make(ErrorKind::InvalidInput, QStringLiteral("watch-kinds"),
                                            QStringLiteral("only the VMs (and templates) can be watched so far")));
        return id;
    }
    if (!m_session->isConfigured()) {
        later(std::move(ended))(Error::make(ErrorKind::Internal, QStringLiteral("not-connected"),
                                            QStringLiteral("no vCenter connection is configured (connectTo first)")));
        return id;
    }
    // The watch ends by itself only through the channel (refusal, no update channel): forget it then.
    Done<void> endedOnce = [this, id, ended = later(std::move(ended))](Result<void> r) {
        QMetaObject::invokeMethod(
            this, [this, id] { m_watches.erase(id); }, Qt::QueuedConnection);
        ended(std::move(r));
    };
    m_watches.emplace(id,
                      std::make_unique<InventoryWatch>(*m_channel, vsphere::MoRef(), m_options.requestIdsInInventory,
                                                       std::move(onChange), std::move(endedOnce)));
    return id;
}

void VsphereHypervisor::stopWatching(CallId watch)
{
    auto it = m_watches.find(watch);
    if (it == m_watches.end())
        return;
    it->second->stop();
    InventoryWatch::Ended ended = it->second->takeEnded();
    m_watches.erase(it);
    if (ended)
        QMetaObject::invokeMethod(
            this,
            [ended] {
                ended(
                    Error::make(ErrorKind::Cancelled, QStringLiteral("cancelled"), QStringLiteral("stopped watching")));
            },
            Qt::QueuedConnection);
}

void VsphereHypervisor::cancel(CallId call)
{
    if (auto it = m_operations.find(call); it != m_operations.end())
        it->second->cancel();
}

} // namespace dcm
