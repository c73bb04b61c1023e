#include "FakeHypervisor.h"

#include <QTimer>

using namespace dcm;

namespace {

Error refused()
{
    return Error::make(ErrorKind::Transient, QStringLiteral("connection-refused"),
                       QStringLiteral("Connection refused (fake hypervisor unreachable)"));
}

} // namespace

FakeHypervisor::FakeHypervisor(QObject* parent) : QObject(parent), m_inventory(sampleInventory())
{}

InventorySnapshot FakeHypervisor::sampleInventory()
{
    InventorySnapshot s;
    s.fetchedAt = QDateTime::currentDateTimeUtc();
    DatacenterInfo dc;
    dc.ref = QStringLiteral("datacenter-2");
    dc.name = QStringLiteral("DC0");
    dc.path = QStringLiteral("/DC0");
    s.datacenters << dc;
    ClusterInfo c;
    c.ref = QStringLiteral("domain-c7");
    c.name = QStringLiteral("C0");
    c.path = QStringLiteral("/DC0/host/C0");
    c.datacenterRef = dc.ref;
    c.rootPoolRef = QStringLiteral("resgroup-8");
    c.totalCpuMhz = 3 * 2 * 2000;
    c.totalMemoryBytes = qint64(3) * 4096 * 1024 * 1024;
    s.clusters << c;
    ResourcePoolInfo rp;
    rp.ref = QStringLiteral("resgroup-8");
    rp.name = QStringLiteral("Resources");
    rp.path = QStringLiteral("/DC0/host/C0/Resources");
    rp.ownerRef = c.ref;
    s.resourcePools << rp;
    HostInfo h;
    h.ref = QStringLiteral("host-21");
    h.name = QStringLiteral("DC0_C0_H0");
    h.path = QStringLiteral("/DC0/host/C0/DC0_C0_H0");
    h.clusterRef = c.ref;
    h.connectionState = QStringLiteral("connected");
    h.cpuCores = 2;
    h.cpuMhzTotal = 4000;
    h.cpuMhzUsed = 500;
    h.memoryBytes = qint64(4096) * 1024 * 1024;
    h.memoryUsedMiB = 1024;
    h.datastoreRefs << QStringLiteral("datastore-1");
    h.networkRefs << QStringLiteral("network-1");
    s.hosts << h;
    DatastoreInfo ds;
    ds.ref = QStringLiteral("datastore-1");
    ds.name = QStringLiteral("ds1");
    ds.path = QStringLiteral("/DC0/datastore/ds1");
    ds.type = QStringLiteral("VMFS");
    ds.capacityBytes = qint64(1) << 40;
    ds.freeBytes = qint64(1) << 39;
    s.datastores << ds;
    NetworkInfo n;
    n.ref = QStringLiteral("network-1");
    n.name = QStringLiteral("VM Network");
    n.path = QStringLiteral("/DC0/network/VM Network");
    s.networks << n;
    FolderInfo f;
    f.ref = QStringLiteral("group-v3");
    f.name = QStringLiteral("vm");
    f.path = QStringLiteral("/DC0/vm");
    s.folders << f;
    return s;
}

void FakeHypervisor::failNext(Method method, const Error& error, int count, Effect effect)
{
    for (int i = 0; i < count; ++i)
        m_scripts[method].enqueue(Script{error, effect});
}

std::optional<FakeHypervisor::Script> FakeHypervisor::takeScript(Method method)
{
    auto it = m_scripts.find(method);
    if (it == m_scripts.end() || it->isEmpty())
        return std::nullopt;
    return it->dequeue();
}

CallId FakeHypervisor::dispatch(Method method, std::function<void()> answer)
{
    m_calls[method] += 1;
    m_lastCallThread = QThread::currentThread();
    const CallId id = m_nextCall++;
    if (m_hold) {
        m_held.append({id, std::move(answer)});
        return id;
    }
    QTimer::singleShot(0, this, std::move(answer));
    return id;
}

bool FakeHypervisor::completeHeld()
{
    if (m_held.isEmpty())
        return false;
    auto call = m_held.takeFirst();
    call.second();
    return true;
}

void FakeHypervisor::completeAllHeld()
{
    while (completeHeld()) {
    }
}

int FakeHypervisor::totalCalls() const
{
    int total = 0;
    for (int n : m_calls)
        total += n;
    return total;
}

int FakeHypervisor::vmCount() const
{
    int total = 0;
    for (const QList<VmRef>& vms : m_vmsByRequest)
        total += int(vms.size());
    return total;
}

bool FakeHypervisor::reportProgress(const QUuid& requestId, int percent, const QString& stage)
{
    const auto it = m_openProvisions.constFind(requestId);
    if (it == m_openProvisions.cend() || !*it)
        return false;
    (*it)(ProvisionProgress{QStringLiteral("task-%1").arg(requestId.toString(QUuid::WithoutBraces).left(8)), percent,
                            stage});
    return true;
}

CallId FakeHypervisor::connectTo(const ConnectionSettings& settings, Done<AboutInfo> done)
{
    m_settings = settings;
    auto script = takeScript(Method::Connect);
    const bool down = m_unreachable;
    return dispatch(Method::Connect, [done = std::move(done), script, down] {
        if (down)
            return done(refused());
        if (script)
            return done(script->error);
        AboutInfo a;
        a.name = QStringLiteral("Fake vCenter");
        a.fullName = QStringLiteral("Fake vCenter 8.0");
        a.version = QStringLiteral("8.0.0");
        a.apiType = QStringLiteral("VirtualCenter");
        a.apiVersion = QStringLiteral("8.0");
        a.instanceUuid = QStringLiteral("fake-instance");
        done(a);
    });
}

CallId FakeHypervisor::disconnectFrom(Done<void> done)
{
    return dispatch(Method::Disconnect, [done = std::move(done)] { done({}); });
}

CallId FakeHypervisor::about(Done<AboutInfo> done)
{
    const bool down = m_unreachable;
    return dispatch(Method::About, [done = std::move(done), down] {
        if (down)
            return done(refused());
        AboutInfo a;
        a.name = QStringLiteral("Fake vCenter");
        done(a);
    });
}

CallId FakeHypervisor::probe(Done<QDateTime> done)
{
    auto script = takeScript(Method::Probe);
    const bool down = m_unreachable;
    return dispatch(Method::Probe, [done = std::move(done), script, down] {
        if (down)
            return done(refused());
        if (script)
            return done(script->error);
        done(QDateTime::currentDateTimeUtc());
    });
}

CallId FakeHypervisor::inventory(InventoryKinds kinds, Done<InventorySnapshot> done)
{
    auto script = takeScript(Method::Inventory);
    const bool down = m_unreachable;
    return dispatch(Method::Inventory, [this, kinds, done = std::move(done), script, down] {
        if (down)
            return done(refused());
        if (script)
            return done(script->error);
        InventorySnapshot s = m_inventory;
        if (!kinds.testFlag(InventoryKind::Vms))
            s.vms.clear(); // as the real adapter: only the kinds asked for
        s.fetchedAt = QDateTime::currentDateTimeUtc();
        done(s);
    });
}

CallId FakeHypervisor::provision(const ProvisionOrder& order, ProgressFn progress, Done<ProvisionOutcome> done)
{
    m_orders.append(order);
    auto script = takeScript(Method::Provision);
    const bool down = m_unreachable;
    if (!down && !script)
        m_openProvisions.insert(order.requestId, progress);
    return dispatch(
        Method::Provision, [this, order, progress = std::move(progress), done = std::move(done), script, down] {
            m_openProvisions.remove(order.requestId);
            if (down)
                return done(refused());
            const auto create = [&] {
                VmRef vm;
                vm.ref = QStringLiteral("vm-%1").arg(m_vmSerial++);
                vm.name = order.spec.name;
                vm.instanceUuid = order.requestId.toString(QUuid::WithoutBraces);
                vm.powerState = order.spec.powerOn ? QStringLiteral("poweredOn") : QStringLiteral("poweredOff");
                m_vmsByRequest[order.requestId].append(vm);
                return vm;
            };
            if (script) {
                if (script->effect == Effect::CreateVm)
                    create();
                return done(script->error);
            }
            if (progress) {
                progress(ProvisionProgress{QStringLiteral("task-1"), 0, QStringLiteral("creating")});
                progress(ProvisionProgress{QStringLiteral("task-1"), 60, QStringLiteral("creating")});
            }
            ProvisionOutcome outcome;
            outcome.vm = create();
            outcome.taskRef = QStringLiteral("task-1");
            outcome.poweredOn = order.spec.powerOn;
            done(outcome);
        });
}

CallId FakeHypervisor::findByRequestKey(const QUuid& requestId, Done<std::optional<VmRef>> done)
{
    auto script = takeScript(Method::FindByRequestKey);
    const bool down = m_unreachable;
    return dispatch(Method::FindByRequestKey, [this, requestId, done = std::move(done), script, down] {
        if (down)
            return done(refused());
        if (script)
            return done(script->error);
        // The VM that carries the key: the first one created for the request (there is at most one
        // unless the service sent a request twice, which the tests count with vmCountFor()).
        const QList<VmRef> vms = m_vmsByRequest.value(requestId);
        if (vms.isEmpty())
            return done(std::optional<VmRef>{});
        done(std::optional<VmRef>{vms.front()});
    });
}

namespace {
dcm::Error notScripted()
{
    return dcm::Error::make(dcm::ErrorKind::Internal, QStringLiteral("not-implemented"),
                            QStringLiteral("FakeHypervisor does not script this call yet."));
}
} // namespace

CallId FakeHypervisor::clone(const ProvisionOrder&, ProgressFn, Done<ProvisionOutcome> done)
{
    return dispatch(Method::Provision, [done = std::move(done)] { done(notScripted()); });
}

CallId FakeHypervisor::customize(const QString&, const VmSpec&, Done<void> done)
{
    return dispatch(Method::Provision, [done = std::move(done)] { done(notScripted()); });
}

CallId FakeHypervisor::operate(const QString&, VmOperation, Done<void> done)
{
    return dispatch(Method::Provision, [done = std::move(done)] { done(notScripted()); });
}

CallId FakeHypervisor::readStateByKey(const QUuid&, Done<std::optional<VmState>> done)
{
    return dispatch(Method::FindByRequestKey, [done = std::move(done)] { done(notScripted()); });
}

CallId FakeHypervisor::readState(const QString&, Done<std::optional<VmState>> done)
{
    return dispatch(Method::FindByRequestKey, [done = std::move(done)] { done(notScripted()); });
}

void FakeHypervisor::cancel(CallId call)
{
    m_cancelled.append(call);
}
