#include "VsphereHypervisor.h"

#include "AboutOperation.h"
#include "ConnectOperation.h"
#include "FindVmOperation.h"
#include "InventoryOperation.h"
#include "PlacementCache.h"
#include "ProbeOperation.h"
#include "ProvisionOperation.h"
#include "VimSession.h"

#include <QNetworkAccessManager>

namespace dcm {

using namespace vsphere;

VsphereHypervisor::VsphereHypervisor(VsphereOptions options, QObject* parent)
    : QObject(parent), m_options(options), m_nam(new QNetworkAccessManager(this)),
      m_session(new VimSession(m_nam, m_options, this)),
      m_placements(std::make_unique<PlacementCache>(m_options.placementCacheTtl))
{}

VsphereHypervisor::~VsphereHypervisor()
{
    // The session and its transport go first, silently: no callback reaches an operation afterwards.
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
    if (Result<void> configured = m_session->configure(settings); !configured.ok()) {
        deliver(configured.error());
        return id;
    }
    return launch(id, std::make_unique<ConnectOperation>(*m_session, std::move(deliver)));
}

CallId VsphereHypervisor::disconnectFrom(Done<void> done)
{
    const CallId id = m_nextId++;
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

CallId VsphereHypervisor::provision(const ProvisionOrder& order, ProgressFn progress, Done<ProvisionOutcome> done)
{
    const CallId id = m_nextId++;
    ProgressFn later;
    if (progress) {
        later = [this, progress = std::move(progress)](const ProvisionProgress& p) {
            QMetaObject::invokeMethod(
                this, [progress, p] { progress(p); }, Qt::QueuedConnection);
        };
    }
    return launch(id, std::make_unique<ProvisionOperation>(*m_session, m_options, *m_placements, order,
                                                           std::move(later), deliverLater(id, std::move(done))));
}

CallId VsphereHypervisor::findByRequestKey(const QUuid& requestId, Done<std::optional<VmRef>> done)
{
    const CallId id = m_nextId++;
    return launch(
        id, std::make_unique<FindVmOperation>(*m_session, m_options, requestId, deliverLater(id, std::move(done))));
}

namespace {
// Placeholder answers for the clone and lifecycle calls until their operations exist.
template <class T> CallId notYet(QObject* context, CallId id, HypervisorPort::Done<T> done)
{
    QMetaObject::invokeMethod(
        context,
        [done = std::move(done)] {
            done(Error::make(ErrorKind::Internal, QStringLiteral("not-implemented"),
                             QStringLiteral("This vCenter call is not implemented yet.")));
        },
        Qt::QueuedConnection);
    return id;
}
} // namespace

CallId VsphereHypervisor::clone(const ProvisionOrder&, ProgressFn, Done<ProvisionOutcome> done)
{
    return notYet(this, m_nextId++, std::move(done));
}

CallId VsphereHypervisor::customize(const QString&, const VmSpec&, Done<void> done)
{
    return notYet(this, m_nextId++, std::move(done));
}

CallId VsphereHypervisor::operate(const QString&, VmOperation, Done<void> done)
{
    return notYet(this, m_nextId++, std::move(done));
}

CallId VsphereHypervisor::readStateByKey(const QUuid&, Done<std::optional<VmState>> done)
{
    return notYet(this, m_nextId++, std::move(done));
}

CallId VsphereHypervisor::readState(const QString&, Done<std::optional<VmState>> done)
{
    return notYet(this, m_nextId++, std::move(done));
}

void VsphereHypervisor::setCallGate(CallGate gate)
{
    m_session->setCallGate(std::move(gate));
}

void VsphereHypervisor::cancel(CallId call)
{
    if (auto it = m_operations.find(call); it != m_operations.end())
        it->second->cancel();
}

} // namespace dcm
