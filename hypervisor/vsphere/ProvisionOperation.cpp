#include "ProvisionOperation.h"

#include "CloneSpecBuilder.h"
#include "ConfigSpecBuilder.h"
#include "PlacementResolver.h"
#include "VimRequests.h"
#include "VimSession.h"

#include <QLoggingCategory>

namespace dcm::vsphere {

namespace {
Q_LOGGING_CATEGORY(lcProvision, "dcm.hypervisor.provision", QtInfoMsg)

InventoryKinds placementKinds()
{
    InventoryKinds kinds = allInventoryKinds();
    kinds.setFlag(InventoryKind::Vms, false);
    kinds.setFlag(InventoryKind::Templates, false); // a clone's source is looked up by itself
    kinds.setFlag(InventoryKind::CustomizationSpecs, false);
    return kinds;
}
} // namespace

ProvisionOperation::ProvisionOperation(VimSession& session, const VsphereOptions& options, PlacementCache& cache,
                                       ProvisionOrder order, Progress progress, Done done, Mode mode)
    : TypedOperation(session, std::move(done)), m_mode(mode), m_options(options), m_cache(cache),
      m_order(std::move(order)), m_progress(std::move(progress)),
      m_inventory(placementKinds(), MoRef(), InventoryBuilder::Options{false}),
      m_query(
          session, [this](const SoapRequest& r, XmlEventHandler& h, Next n) { send(r, h, std::move(n)); },
          [this](const SoapRequest& r) { fireAndForget(r); }, options.pageSize),
      m_tracker(
          session, [this](const SoapRequest& r, ObjectContentReader& h, Next n) { retrieve(r, h, std::move(n)); },
          [this](const SoapRequest& r) { fireAndForget(r); }, options),
      m_vmReader([this](ObjectContent&& o) {
          m_vm = std::move(o);
          return true;
      })
{}

void ProvisionOperation::report(int percent, const char* stage)
{
    if (!m_progress)
        return;
    ProvisionProgress p;
    if (m_stage == Stage::TrackingPowerOn)
        p.taskRef = m_powerTask.value;
    else if (m_stage != Stage::PoweringOn)
        p.taskRef = m_createTask.value;
    p.percent = std::clamp(percent, 0, 100);
    p.stage = QString::fromLatin1(stage);
    m_progress(p);
}

Error ProvisionOperation::withVm(Error e) const
{
    e.details.insert(QStringLiteral("requestId"), m_order.requestId.toString(QUuid::WithoutBraces));
    if (!m_createTask.isNull())
        e.details.insert(QStringLiteral("createTaskRef"), m_createTask.value);
    if (!m_vmRef.isNull())
        e.details.insert(QStringLiteral("vmRef"), m_vmRef.value);
    return e;
}

void ProvisionOperation::onCancelWhileIdle()
{
    switch (m_stage) {
    case Stage::Resolving:
        fail(cancelledError());
        break;
    case Stage::TrackingCreate:
    case Stage::TrackingPowerOn:
        m_tracker.requestCancel();
        break;
    default:
        break; // looked at when the call in flight returns
    }
}

void ProvisionOperation::start()
{
    if (m_order.requestId.isNull())
        return fail(Error::make(ErrorKind::InvalidInput, QStringLiteral("invalid-request-id"),
                                QStringLiteral("a provision order needs a request UUID")));
    const QList<FieldProblem> problems = m_order.spec.validate();
    if (!problems.isEmpty())
        return fail(toError(problems));
    ensureSession([this](Result<void> r) {
        if (!r.ok())
            return fail(r.error());
        resolve();
    });
}

void ProvisionOperation::resolve()
{
    if (const InventorySnapshot* cached = m_cache.get())
        return place(*cached, true);
    if (m_cache.joinFetch(guarded([this] {
            if (cancelRequested())
                return fail(cancelledError());
            if (const InventorySnapshot* fresh = m_cache.get())
                return place(*fresh, false);
            fetchPlacementInventory(); // the shared read failed (or caching is off): try ourselves
        })))
        return;
    fetchPlacementInventory();
}

void ProvisionOperation::fetchPlacementInventory()
{
    const MoRef root = m_session.content().rootFolder;
    const InventoryKinds kinds = placementKinds();
    const InventoryBuilder::Options options{false};
    // Others that need a placement meanwhile wait for this read (their wait ends with this callback:
    // the operation ends only through it).
    m_cache.fetchStarted();
    withRelogin(
        [this, root, kinds, options](Next n) {
            m_inventory = InventoryBuilder(kinds, root, options);
            m_query.run(
                root, InventoryBuilder::viewTypes(kinds), InventoryBuilder::propertySpecs(kinds, options),
                [this](ObjectContent&& o) { return m_inventory.add(std::move(o)); }, std::move(n));
        },
        [this](Result<void> r) {
            if (!r.ok()) {
                m_cache.fetchFinished();
                return fail(r.error());
            }
            const InventorySnapshot snapshot = m_inventory.take();
            m_cache.put(snapshot);
            m_cache.fetchFinished();
            place(snapshot, false);
        });
}

void ProvisionOperation::place(const InventorySnapshot& inventory, bool cached)
{
    Result<Placement> placement = PlacementResolver::resolve(m_order.spec, inventory);
    if (!placement && cached) {
        // Something may have been added since: look again before refusing the operator's names.
        m_cache.invalidate();
        return fetchPlacementInventory();
    }
    if (!placement)
        return fail(placement.error());
    if (cancelRequested())
        return fail(cancelledError());
    if (m_mode == Mode::Clone)
        return findSource(placement.value(), inventory);
    create(placement.value());
}

void ProvisionOperation::findSource(const Placement& placement, const InventorySnapshot& inventory)
{
    m_stage = Stage::FindingSource;
    QHash<QString, QString> folderPaths;
    for (const FolderInfo& f : inventory.folders)
        folderPaths.insert(f.ref, f.path);
    QString dcPath;
    for (const DatacenterInfo& d : inventory.datacenters) {
        if (d.ref == placement.datacenter.value)
            dcPath = d.path;
    }
    // Only names, parents and the template flag of the datacenter's VMs: the source's devices are read
    // for the one VM found.
    static const QList<PropertySpecDef> vmPaths{{"VirtualMachine", {"name", "parent", "config.template"}}};
    withRelogin(
        [this, placement, folderPaths](Next n) {
            m_candidates.clear();
            m_query.run(
                placement.datacenter, {QStringLiteral("VirtualMachine")}, vmPaths,
                [this, folderPaths](ObjectContent&& o) {
                    const QString name = o.text("name");
                    const QString folder = folderPaths.value(o.ref("parent").value);
                    m_candidates.append(
                        SourceCandidate{o.obj, name, folder.isEmpty() ? QString() : folder + u'/' + name});
                    return true;
                },
                std::move(n));
        },
        [this, placement, dcPath](Result<void> r) {
            if (!r.ok())
                return fail(withVm(r.error()));
            const QString& wanted = m_order.spec.templateName;
            QList<const SourceCandidate*> byPath;
            QList<const SourceCandidate*> byName;
            for (const SourceCandidate& c : m_candidates) {
                if (!c.path.isEmpty() && (c.path == wanted || c.path == dcPath + QLatin1String("/vm/") + wanted ||
                                          c.path == dcPath + u'/' + wanted))
                    byPath.append(&c);
                else if (c.name == wanted)
                    byName.append(&c);
            }
            const QList<const SourceCandidate*>& found = byPath.isEmpty() ? byName : byPath;
            if (found.size() != 1) {
                QStringList paths;
                for (const SourceCandidate* c : found)
                    paths << (c->path.isEmpty() ? c->ref.value : c->path);
                Error e = Error::make(
                    ErrorKind::Business,
                    found.isEmpty() ? QStringLiteral("template-not-found") : QStringLiteral("template-ambiguous"),
                    found.isEmpty()
                        ? QStringLiteral("templateName '%1' does not exist in datacenter %2").arg(wanted, dcPath)
                        : QStringLiteral("templateName '%1' is ambiguous: %2")
                              .arg(wanted, paths.join(QStringLiteral(", "))));
                e.details.insert(QStringLiteral("field"), QStringLiteral("templateName"));
                e.details.insert(QStringLiteral("value"), wanted);
                return fail(withVm(e));
            }
            if (cancelRequested())
                return fail(cancelledError());
            readSource(placement, found.front()->ref);
        });
}

void ProvisionOperation::readSource(const Placement& placement, const MoRef& source)
{
    m_stage = Stage::ReadingSource;
    // The device list is the heavy path of a VM (a few kB); it is read for the source alone.
    static const QList<PropertySpecDef> paths{{"VirtualMachine", {"config.hardware.device"}}};
    m_vm = ObjectContent();
    retrieve(VimRequests::retrieveObjects(m_session.content().propertyCollector, {source}, paths), m_vmReader,
             [this, placement, source](Result<void> r) {
                 if (!r.ok()) {
                     Error e = withVm(r.error());
                     if (e.vimFault == QLatin1String("ManagedObjectNotFound")) {
                         e.code = QStringLiteral("template-not-found");
                         e.message = QStringLiteral("templateName '%1' was removed while it was being read")
                                         .arg(m_order.spec.templateName);
                         e.details.insert(QStringLiteral("field"), QStringLiteral("templateName"));
                     }
                     return fail(e);
                 }
                 const TemplateHardware hardware = TemplateHardware::fromDevices(m_vm.prop("config.hardware.device"));
                 m_vm = ObjectContent();
                 if (cancelRequested())
                     return fail(cancelledError());
                 cloneFrom(placement, source, hardware);
             });
}

void ProvisionOperation::cloneFrom(const Placement& placement, const MoRef& source, const TemplateHardware& hardware)
{
    Result<QByteArray> spec = CloneSpecBuilder::build(m_order.spec, m_order.requestId, placement, hardware);
    if (!spec)
        return fail(withVm(spec.error()));
    m_stage = Stage::Creating;
    qCInfo(lcProvision).noquote() << "cloning" << source.value << "into VM" << m_order.spec.name << "for request"
                                  << m_order.requestId.toString(QUuid::WithoutBraces);
    report(0, "cloning");
    call(VimRequests::cloneVmTask(source, placement.folder, m_order.spec.name, spec.value()), m_reader,
         [this](Result<void> r) {
             if (!r.ok()) {
                 if (r.error().kind == ErrorKind::Business)
                     m_cache.invalidate();
                 return fail(withVm(r.error()));
             }
             const XmlValue* task = m_reader.first();
             if (!task || task->text.isEmpty())
                 return fail(withVm(Error::make(ErrorKind::OutcomeUnknown, QStringLiteral("malformed-reply"),
                                                QStringLiteral("CloneVM_Task returned no task"))));
             m_createTask = MoRef{QStringLiteral("Task"), task->string()};
             track("cloning");
         });
}

void ProvisionOperation::create(const Placement& placement)
{
    m_stage = Stage::Creating;
    const QByteArray config = ConfigSpecBuilder::build(m_order.spec, m_order.requestId, placement);
    qCInfo(lcProvision).noquote() << "creating VM" << m_order.spec.name << "for request"
                                  << m_order.requestId.toString(QUuid::WithoutBraces);
    report(0, "creating");
    call(VimRequests::createVmTask(placement.folder, config, placement.pool, placement.host), m_reader,
         [this](Result<void> r) {
             if (!r.ok()) {
                 if (r.error().kind == ErrorKind::Business)
                     m_cache.invalidate(); // maybe a placement that no longer exists
                 return fail(withVm(r.error()));
             }
             const XmlValue* task = m_reader.first();
             if (!task || task->text.isEmpty())
                 return fail(withVm(Error::make(ErrorKind::OutcomeUnknown, QStringLiteral("malformed-reply"),
                                                QStringLiteral("CreateVM_Task returned no task"))));
             m_createTask = MoRef{QStringLiteral("Task"), task->string()};
             track("creating");
         });
}

void ProvisionOperation::track(const char* stage)
{
    m_stage = Stage::TrackingCreate;
    if (cancelRequested())
        m_tracker.requestCancel();
    m_tracker.track(
        m_createTask, [this, stage](int percent) { report(percent, stage); },
        [this](Result<XmlValue> result) {
            if (!result.ok()) {
                if (result.error().kind == ErrorKind::Business)
                    m_cache.invalidate();
                return fail(withVm(result.error()));
            }
            m_vmRef = MoRef{QStringLiteral("VirtualMachine"), result.value().string()};
            if (m_vmRef.isNull())
                return fail(withVm(Error::make(ErrorKind::OutcomeUnknown, QStringLiteral("malformed-reply"),
                                               QStringLiteral("%1 succeeded without a VM")
                                                   .arg(m_mode == Mode::Clone ? QStringLiteral("CloneVM_Task")
                                                                              : QStringLiteral("CreateVM_Task")))));
            // Too late to cancel: the VM exists. It stays powered off. A clone never powers on here:
            // customizing comes first, as a step of its own.
            if (m_mode == Mode::Create && m_order.spec.powerOn && !cancelRequested())
                return powerOn();
            readBack();
        });
}

void ProvisionOperation::powerOn()
{
    m_stage = Stage::PoweringOn;
    report(0, "powering-on");
    call(VimRequests::powerOnVmTask(m_vmRef), m_reader, [this](Result<void> r) {
        if (!r.ok())
            return fail(withVm(r.error()));
        const XmlValue* task = m_reader.first();
        if (!task || task->text.isEmpty())
            return fail(withVm(Error::make(ErrorKind::OutcomeUnknown, QStringLiteral("malformed-reply"),
                                           QStringLiteral("PowerOnVM_Task returned no task"))));
        m_stage = Stage::TrackingPowerOn;
        m_powerTask = MoRef{QStringLiteral("Task"), task->string()};
        if (cancelRequested())
            m_tracker.requestCancel();
        m_tracker.track(
            m_powerTask, [this](int percent) { report(percent, "powering-on"); },
            [this](Result<XmlValue> result) {
                if (!result.ok()) {
                    Error e = withVm(result.error());
                    e.details.insert(QStringLiteral("stage"), QStringLiteral("powering-on"));
                    return fail(e);
                }
                m_poweredOn = true;
                readBack();
            });
    });
}

void ProvisionOperation::readBack()
{
    m_stage = Stage::Reading;
    static const QList<PropertySpecDef> vmPaths{
        {"VirtualMachine", {"name", "config.instanceUuid", "runtime.powerState"}}};
    // A call of our own after the task ended: it passes the caller's gate like a poll, so that a read
    // that times out counts; when the gate says no, the VM is reported from what the task said.
    CallReport report;
    if (const CallGate& gate = m_session.callGate()) {
        report = gate();
        if (!report)
            return finishCreated(
                Error::make(ErrorKind::Transient, QStringLiteral("not-sent"), QStringLiteral("the breaker is open")));
    }
    retrieve(VimRequests::retrieveObjects(m_session.content().propertyCollector, {m_vmRef}, vmPaths), m_vmReader,
             [this, report](Result<void> r) {
                 if (report)
                     report(r.ok() ? nullptr : &r.error());
                 finishCreated(std::move(r));
             });
}

void ProvisionOperation::finishCreated(Result<void> r)
{
    ProvisionOutcome outcome;
    outcome.taskRef = m_createTask.value;
    outcome.poweredOn = m_poweredOn;
    outcome.vm.ref = m_vmRef.value;
    outcome.vm.name = m_order.spec.name;
    outcome.vm.instanceUuid = m_order.requestId.toString(QUuid::WithoutBraces);
    outcome.vm.powerState = m_poweredOn ? QStringLiteral("poweredOn") : QStringLiteral("poweredOff");
    if (r.ok() && !m_vm.obj.isNull()) {
        outcome.vm.name = m_vm.text("name");
        outcome.vm.instanceUuid = m_vm.text("config.instanceUuid");
        outcome.vm.powerState = m_vm.text("runtime.powerState");
    } else if (!r.ok()) {
        // The VM exists and the task said so: reading it back is a courtesy, not the result.
        qCInfo(lcProvision).noquote() << "created" << m_vmRef.value << "but could not read it back:" << r.error().code;
        outcome.readBack = false;
    }
    qCInfo(lcProvision).noquote() << "created" << outcome.vm.ref << outcome.vm.name
                                  << (m_poweredOn ? "(powered on)" : "");
    succeed(outcome);
}

} // namespace dcm::vsphere
