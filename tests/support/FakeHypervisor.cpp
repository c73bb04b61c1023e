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
    TemplateInfo t;
    t.ref = QStringLiteral("vm-50");
    t.name = QStringLiteral("ubuntu-tpl");
    t.path = QStringLiteral("/DC0/vm/ubuntu-tpl");
    t.guestId = QStringLiteral("ubuntu64Guest");
    t.guestFullName = QStringLiteral("Ubuntu Linux (64-bit)");
    t.cpus = 2;
    t.memoryMiB = 2048;
    t.diskSizesMiB << 10240;
    t.nicNetworks << n.name;
    t.datacenterRef = dc.ref;
    s.templates << t;
    CustomizationSpecInfo linux;
    linux.name = QStringLiteral("linux-dhcp");
    linux.type = QStringLiteral("Linux");
    s.customizationSpecs << linux;
    CustomizationSpecInfo windows;
    windows.name = QStringLiteral("win-domain");
    windows.type = QStringLiteral("Windows");
    s.customizationSpecs << windows;
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
    ++m_unanswered;
    answer = [this, answer = std::move(answer)] {
        --m_unanswered;
        answer();
    };
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
    endWatches(QStringLiteral("disconnected"));
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
        if (!kinds.testFlag(InventoryKind::Templates))
            s.templates.clear();
        if (!kinds.testFlag(InventoryKind::CustomizationSpecs))
            s.customizationSpecs.clear();
        s.fetchedAt = QDateTime::currentDateTimeUtc();
        done(s);
    });
}

CallId FakeHypervisor::listVms(VmFields fields, VmPageFn onPage, Done<int> done)
{
    auto script = takeScript(Method::ListVms);
    const bool down = m_unreachable;
    return dispatch(Method::ListVms, [this, fields, onPage = std::move(onPage), done = std::move(done), script, down] {
        if (down)
            return done(refused());
        const QList<VmInfo> all = m_inventory.vms;
        int delivered = 0;
        for (qsizetype from = 0; from < all.size(); from += m_listPageSize) {
            QList<VmInfo> page = all.mid(from, m_listPageSize);
            for (VmInfo& v : page) {
                // As the real adapter: a field not asked for is not read.
                if (!fields.testFlag(VmField::RequestId))
                    v.requestId.clear();
                if (!fields.testFlag(VmField::PowerState))
                    v.powerState.clear();
            }
            delivered += int(page.size());
            onPage(std::move(page));
            if (script)
                return done(script->error);
        }
        if (script)
            return done(script->error);
        done(delivered);
    });
}

CallId FakeHypervisor::provision(const ProvisionOrder& order, ProgressFn progress, Done<ProvisionOutcome> done)
{
    progress = guard(std::move(progress));
    done = guard(std::move(done));
    m_orders.append(order);
    auto script = takeScript(Method::Provision);
    const bool down = m_unreachable;
    if (!down && !script)
        m_openProvisions.insert(order.requestId, progress);
    return dispatch(Method::Provision,
                    [this, order, progress = std::move(progress), done = std::move(done), script, down] {
                        m_openProvisions.remove(order.requestId);
                        if (down)
                            return done(refused());
                        const auto create = [&] { return createVm(order, false); };
                        if (script) {
                            if (script->effect != Effect::None)
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
    done = guard(std::move(done));
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

Error notFound(const QString& what)
{
    return Error::make(ErrorKind::Business, QStringLiteral("not-found"), QStringLiteral("%1 was not found.").arg(what),
                       QStringLiteral("ManagedObjectNotFound"));
}

Error invalidPowerState(const QString& message)
{
    return Error::make(ErrorKind::Business, QStringLiteral("invalid-power-state"), message,
                       QStringLiteral("InvalidPowerState"));
}

const QString kPoweredOn = QStringLiteral("poweredOn");
const QString kPoweredOff = QStringLiteral("poweredOff");

} // namespace

bool FakeHypervisor::hasTemplate(const QString& name) const
{
    for (const TemplateInfo& t : m_inventory.templates) {
        if (t.name == name || t.path == name)
            return true;
    }
    return false;
}

void FakeHypervisor::setGuestIdentityAfterReads(int reads)
{
    m_guestIdentityAfterReads = reads;
    for (FakeVm& vm : m_vms)
        vm.guestReadsUntilIdentity = reads;
}

void FakeHypervisor::removeTemplate(const QString& name)
{
    m_inventory.templates.removeIf([&](const TemplateInfo& t) { return t.name == name || t.path == name; });
}

const FakeHypervisor::FakeVm* FakeHypervisor::vmFor(const QUuid& requestId) const
{
    const QList<VmRef> vms = m_vmsByRequest.value(requestId);
    if (vms.isEmpty())
        return nullptr;
    return vmByRef(vms.front().ref);
}

const FakeHypervisor::FakeVm* FakeHypervisor::vmByRef(const QString& ref) const
{
    const auto it = m_vms.constFind(ref);
    return it == m_vms.cend() ? nullptr : &*it;
}

VmRef FakeHypervisor::createVm(const ProvisionOrder& order, bool cloned)
{
    FakeVm model;
    model.vm.ref = QStringLiteral("vm-%1").arg(m_vmSerial++);
    model.vm.name = order.spec.name;
    model.vm.instanceUuid = order.requestId.toString(QUuid::WithoutBraces);
    model.vm.powerState = kPoweredOff;
    model.requestId = order.requestId;
    model.spec = order.spec;
    model.cloned = cloned;
    model.guestReadsUntilIdentity = m_guestIdentityAfterReads;
    if (cloned) {
        m_clonesByRequest[order.requestId] += 1;
    } else if (order.spec.powerOn) {
        boot(model); // CreateVM with power-on: one call, as the adapter's provision
    }
    m_vms.insert(model.vm.ref, model);
    m_vmsByRequest[order.requestId].append(model.vm);
    return model.vm;
}

void FakeHypervisor::boot(FakeVm& vm)
{
    vm.vm.powerState = kPoweredOn;
    vm.powerOns += 1;
    if (!vm.pendingCustomization.isEmpty()) {
        vm.applied = vm.pendingSpec;
        vm.customizationsApplied += 1;
        vm.pendingCustomization.clear();
        vm.pendingSpec = {};
    }
    // Keep the per-request list (what findByRequestKey answers) in step with the model.
    for (VmRef& r : m_vmsByRequest[vm.requestId]) {
        if (r.ref == vm.vm.ref)
            r.powerState = vm.vm.powerState;
    }
}

VmState FakeHypervisor::stateOf(const FakeVm& vm, bool guestRead)
{
    VmState state;
    state.vm = vm.vm;
    state.requestId = vm.requestId.toString(QUuid::WithoutBraces);
    state.pendingCustomization = vm.pendingCustomization;
    const bool guestRuns = vm.cloned && vm.vm.powerState == kPoweredOn; // a blank VM has no guest yet
    state.toolsRunningStatus = guestRuns ? QStringLiteral("guestToolsRunning") : QStringLiteral("guestToolsNotRunning");
    if (!guestRuns)
        return state;
    FakeVm& live = m_vms[vm.vm.ref];
    if (live.guestReadsUntilIdentity != 0) {
        if (guestRead && live.guestReadsUntilIdentity > 0)
            live.guestReadsUntilIdentity -= 1;
        return state;
    }
    // The guest names itself after the customization it applied, or keeps the template's identity.
    const GuestCustomization& c = vm.applied;
    if (c.mode == GuestCustomization::Mode::Linux) {
        state.guestHostName = c.domain.isEmpty() ? c.hostName : c.hostName + u'.' + c.domain;
        if (!c.nics.isEmpty() && !c.nics.front().dhcp)
            state.ipAddress = c.nics.front().address;
    } else if (c.mode == GuestCustomization::Mode::SavedSpec) {
        state.guestHostName = vm.vm.name;
    } else {
        state.guestHostName = QStringLiteral("localhost");
    }
    if (state.ipAddress.isEmpty())
        state.ipAddress = QStringLiteral("192.168.0.%1").arg(2 + vm.vm.ref.mid(3).toInt() % 250);
    return state;
}

std::optional<Error> FakeHypervisor::applyCustomize(const QString& ref, const VmSpec& spec)
{
    auto it = m_vms.find(ref);
    if (it == m_vms.end())
        return notFound(ref);
    if (it->vm.powerState != kPoweredOff)
        return invalidPowerState(QStringLiteral("The VM must be powered off to be customized."));
    it->pendingCustomization = QStringLiteral("C:\\Windows\\TEMP\\vmware-imc\\guestcust-%1").arg(ref);
    it->pendingSpec = spec.customization;
    it->customizationsAccepted += 1;
    return std::nullopt;
}

std::optional<Error> FakeHypervisor::applyOperation(const QString& ref, VmOperation operation)
{
    auto it = m_vms.find(ref);
    if (it == m_vms.end())
        return notFound(ref);
    m_operations[ref].append(operation);
    FakeVm& vm = *it;
    const bool on = vm.vm.powerState == kPoweredOn;
    const bool guestRuns = on && vm.cloned;
    const auto setOff = [&] {
        vm.vm.powerState = kPoweredOff;
        for (VmRef& r : m_vmsByRequest[vm.requestId]) {
            if (r.ref == vm.vm.ref)
                r.powerState = kPoweredOff;
        }
    };
    switch (operation) {
    case VmOperation::PowerOn:
        if (on)
            return invalidPowerState(QStringLiteral("The VM is powered on already."));
        boot(vm);
        return std::nullopt;
    case VmOperation::PowerOff:
        if (!on)
            return invalidPowerState(QStringLiteral("The VM is powered off already."));
        setOff();
        return std::nullopt;
    case VmOperation::ShutdownGuest:
        if (!guestRuns)
            return Error::make(ErrorKind::Business, QStringLiteral("tools-unavailable"),
                               QStringLiteral("VMware Tools are not running in the guest."),
                               QStringLiteral("ToolsUnavailable"));
        setOff();
        return std::nullopt;
    case VmOperation::RebootGuest:
        if (!guestRuns)
            return Error::make(ErrorKind::Business, QStringLiteral("tools-unavailable"),
                               QStringLiteral("VMware Tools are not running in the guest."),
                               QStringLiteral("ToolsUnavailable"));
        boot(vm); // a reboot is a boot: a pending customization applies
        return std::nullopt;
    case VmOperation::Reset:
        if (!on)
            return invalidPowerState(QStringLiteral("The VM is powered off."));
        boot(vm);
        return std::nullopt;
    case VmOperation::Destroy: {
        if (on)
            return invalidPowerState(QStringLiteral("The VM must be powered off to be deleted."));
        const QUuid key = vm.requestId;
        m_vmsByRequest[key].removeIf([&](const VmRef& r) { return r.ref == ref; });
        if (m_vmsByRequest[key].isEmpty())
            m_vmsByRequest.remove(key);
        m_vms.erase(it);
        return std::nullopt;
    }
    }
    return std::nullopt;
}

CallId FakeHypervisor::clone(const ProvisionOrder& order, ProgressFn progress, Done<ProvisionOutcome> done)
{
    progress = guard(std::move(progress));
    done = guard(std::move(done));
    m_orders.append(order);
    auto script = takeScript(Method::Clone);
    const bool down = m_unreachable;
    if (!down && !script)
        m_openProvisions.insert(order.requestId, progress);
    return dispatch(Method::Clone, [this, order, progress = std::move(progress), done = std::move(done), script, down] {
        m_openProvisions.remove(order.requestId);
        if (down)
            return done(refused());
        if (script) {
            if (script->effect != Effect::None && hasTemplate(order.spec.templateName))
                createVm(order, true);
            return done(script->error);
        }
        if (!hasTemplate(order.spec.templateName))
            return done(notFound(QStringLiteral("The template \"%1\"").arg(order.spec.templateName)));
        if (progress) {
            progress(ProvisionProgress{QStringLiteral("task-1"), 0, QStringLiteral("cloning")});
            progress(ProvisionProgress{QStringLiteral("task-1"), 60, QStringLiteral("cloning")});
        }
        ProvisionOutcome outcome;
        outcome.vm = createVm(order, true);
        outcome.taskRef = QStringLiteral("task-1");
        outcome.poweredOn = false;
        done(outcome);
    });
}

CallId FakeHypervisor::customize(const QString& vmRef, const VmSpec& spec, Done<void> done)
{
    done = guard(std::move(done));
    auto script = takeScript(Method::Customize);
    const bool down = m_unreachable;
    return dispatch(Method::Customize, [this, vmRef, spec, done = std::move(done), script, down] {
        if (down)
            return done(refused());
        if (script) {
            if (script->effect != Effect::None)
                applyCustomize(vmRef, spec);
            return done(script->error);
        }
        if (auto error = applyCustomize(vmRef, spec))
            return done(*error);
        done({});
    });
}

CallId FakeHypervisor::operate(const QString& vmRef, VmOperation operation, Done<void> done)
{
    done = guard(std::move(done));
    auto script = takeScript(Method::Operate);
    const bool down = m_unreachable;
    return dispatch(Method::Operate, [this, vmRef, operation, done = std::move(done), script, down] {
        if (down)
            return done(refused());
        if (script) {
            if (script->effect != Effect::None)
                applyOperation(vmRef, operation);
            return done(script->error);
        }
        if (auto error = applyOperation(vmRef, operation))
            return done(*error);
        done({});
    });
}

CallId FakeHypervisor::readStateByKey(const QUuid& requestId, Done<std::optional<VmState>> done)
{
    done = guard(std::move(done));
    auto script = takeScript(Method::ReadStateByKey);
    const bool down = m_unreachable;
    return dispatch(Method::ReadStateByKey, [this, requestId, done = std::move(done), script, down] {
        if (down)
            return done(refused());
        if (script)
            return done(script->error);
        const FakeVm* vm = vmFor(requestId);
        if (!vm)
            return done(std::optional<VmState>{});
        done(std::optional<VmState>{stateOf(*vm, false)});
    });
}

CallId FakeHypervisor::readState(const QString& vmRef, Done<std::optional<VmState>> done)
{
    done = guard(std::move(done));
    auto script = takeScript(Method::ReadState);
    const bool down = m_unreachable;
    return dispatch(Method::ReadState, [this, vmRef, done = std::move(done), script, down] {
        if (down)
            return done(refused());
        if (script)
            return done(script->error);
        const FakeVm* vm = vmByRef(vmRef);
        if (!vm)
            return done(std::optional<VmState>{});
        done(std::optional<VmState>{stateOf(*vm, true)});
    });
}

void FakeHypervisor::cancel(CallId call)
{
    m_cancelled.append(call);
}

CallId FakeHypervisor::watchInventory(InventoryKinds kinds, InventoryChangeFn onChange, Done<void> ended)
{
    (void)kinds;
    const CallId id = m_nextCall++;
    if (!m_watchable) {
        QTimer::singleShot(0, this, [ended = std::move(ended)] {
            if (ended)
                ended(Error::make(ErrorKind::Business, QStringLiteral("watch-unsupported"),
                                  QStringLiteral("this fake was not asked to offer watches")));
        });
        return id;
    }
    ++m_watchesStarted;
    m_watches.insert(id, Watch{std::move(onChange), std::move(ended)});
    InventoryDelta full;
    full.full = true;
    full.vms = m_inventory.vms;
    QTimer::singleShot(0, this, [this, id, full] {
        if (auto it = m_watches.find(id); it != m_watches.end() && it->onChange)
            it->onChange(full);
    });
    return id;
}

void FakeHypervisor::stopWatching(CallId watch)
{
    Watch w = m_watches.take(watch);
    if (w.ended)
        QTimer::singleShot(0, this, [ended = std::move(w.ended)] {
            ended(Error::make(ErrorKind::Cancelled, QStringLiteral("cancelled"), QStringLiteral("stopped watching")));
        });
}

void FakeHypervisor::pushInventoryDelta(const InventoryDelta& delta)
{
    for (const VmInfo& vm : delta.vms) {
        auto it = std::find_if(m_inventory.vms.begin(), m_inventory.vms.end(),
                               [&](const VmInfo& v) { return v.ref == vm.ref; });
        if (it != m_inventory.vms.end())
            *it = vm;
        else
            m_inventory.vms.append(vm);
    }
    m_inventory.vms.removeIf([&](const VmInfo& v) { return delta.removedVms.contains(v.ref); });
    const QList<CallId> ids = m_watches.keys();
    QTimer::singleShot(0, this, [this, ids, delta] {
        for (CallId id : ids) {
            if (auto it = m_watches.find(id); it != m_watches.end() && it->onChange)
                it->onChange(delta);
        }
    });
}

void FakeHypervisor::endWatches(const QString& why)
{
    const QHash<CallId, Watch> watches = std::exchange(m_watches, {});
    for (const Watch& w : watches) {
        if (w.ended)
            QTimer::singleShot(0, this, [ended = w.ended, why] {
                ended(Error::make(ErrorKind::Cancelled, QStringLiteral("cancelled"), why));
            });
    }
}
