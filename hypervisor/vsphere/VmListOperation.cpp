#include "VmListOperation.h"

#include "VimSession.h"

#include <QLoggingCategory>

namespace dcm::vsphere {

namespace {
Q_LOGGING_CATEGORY(lcVmList, "dcm.hypervisor.vmlist", QtInfoMsg)

constexpr InventoryKinds kFolderKinds = InventoryKinds(InventoryKind::Folders) | InventoryKind::Datacenters;
constexpr qsizetype kHandOver = 1000;
constexpr size_t kParallelReads = 2;
} // namespace

VmListOperation::VmListOperation(VimSession& session, const VsphereOptions& options, VmFields fields,
                                 HypervisorPort::VmPageFn onPage, Done done)
    : TypedOperation(session, std::move(done)), m_fields(fields), m_onPage(std::move(onPage)),
      m_folderBuilder(kFolderKinds, MoRef(), InventoryBuilder::Options{false}),
      m_query(
          session, [this](const SoapRequest& r, XmlEventHandler& h, Next n) { send(r, h, std::move(n)); },
          [this](const SoapRequest& r) { fireAndForget(r); }, options.pageSize)
{
    for (size_t i = 0; i < kParallelReads; ++i) {
        m_slots.push_back(std::make_unique<ContainerQuery>(
            session, [this](const SoapRequest& r, XmlEventHandler& h, Next n) { send(r, h, std::move(n)); },
            [this](const SoapRequest& r) { fireAndForget(r); }, options.pageSize));
        // A page is handed over as soon as its reply has been read, before the next page is asked for.
        m_slots.back()->setPageEnd([this] { flushPage(); });
    }
}

QList<QByteArray> VmListOperation::vmPaths(VmFields fields)
{
    QList<QByteArray> paths{QByteArrayLiteral("name"), QByteArrayLiteral("parent")};
    if (fields.testFlag(VmField::PowerState))
        paths << QByteArrayLiteral("runtime.powerState");
    if (fields.testFlag(VmField::Hardware))
        paths << QByteArrayLiteral("config.hardware.numCPU") << QByteArrayLiteral("config.hardware.memoryMB");
    if (fields.testFlag(VmField::GuestId))
        paths << QByteArrayLiteral("config.guestId");
    if (fields.testFlag(VmField::InstanceUuid))
        paths << QByteArrayLiteral("config.instanceUuid");
    if (fields.testFlag(VmField::TemplateFlag))
        paths << QByteArrayLiteral("config.template");
    if (fields.testFlag(VmField::RequestId))
        paths << QByteArrayLiteral("config.extraConfig");
    return paths;
}

void VmListOperation::start()
{
    ensureSession([this](Result<void> r) {
        if (!r.ok())
            return fail(r.error());
        m_clock.start();
        readFolders();
    });
}

void VmListOperation::readFolders()
{
    withRelogin(
        [this](Next n) {
            const MoRef root = m_session.content().rootFolder;
            m_folderBuilder = InventoryBuilder(kFolderKinds, root, InventoryBuilder::Options{false});
            m_computeResources.clear();
            QStringList types = InventoryBuilder::viewTypes(kFolderKinds);
            types << QStringLiteral("ComputeResource"); // clusters too: a view type takes its subtypes
            QList<PropertySpecDef> specs =
                InventoryBuilder::propertySpecs(kFolderKinds, InventoryBuilder::Options{false});
            specs.append(PropertySpecDef{"ComputeResource", {"name"}});
            m_query.run(
                root, types, specs, [this](ObjectContent&& o) { return addFolderObject(std::move(o)); }, std::move(n));
        },
        [this](Result<void> r) {
            if (!r.ok())
                return fail(r.error());
            const InventorySnapshot folders = m_folderBuilder.take();
            m_folderPaths.clear();
            for (const FolderInfo& f : folders.folders)
                m_folderPaths.insert(f.ref, f.path);
            m_page.clear(); // the folder read's pages carried no VM
            readVms();
        });
}

void VmListOperation::readVms()
{
    withRelogin(
        [this](Next n) {
            if (m_pagesDelivered > 0) {
                // The session was lost after VMs went out: reading again would deliver them twice.
                return n(Error::make(ErrorKind::SessionExpired, QStringLiteral("listing-interrupted"),
                                     QStringLiteral("the vCenter session ended after %1 VMs had been listed; the "
                                                    "listing is incomplete")
                                         .arg(m_delivered)));
            }
            m_page.clear();
            m_seen.clear();
            m_failure.reset();
            m_vmsRead = std::move(n);
            m_containers =
                m_computeResources.size() >= 2 ? m_computeResources : QList<MoRef>{m_session.content().rootFolder};
            m_nextContainer = 0;
            m_activeSlots = std::min(m_slots.size(), size_t(m_containers.size()));
            for (size_t slot = 0, started = m_activeSlots; slot < started; ++slot)
                runSlot(slot);
        },
        [this](Result<void> r) {
            if (!r.ok())
                return fail(r.error());
            flushPage();
            int pages = m_query.pages();
            for (const auto& q : m_slots)
                pages += q->pages();
            qCInfo(lcVmList).noquote() << "listed" << m_delivered << "VMs from" << m_containers.size()
                                       << "container(s) in" << pages << "page(s)," << m_clock.elapsed() << "ms";
            succeed(m_delivered);
        });
}

void VmListOperation::runSlot(size_t slot)
{
    if (m_failure || m_nextContainer >= m_containers.size()) {
        // Retired; the last one out reports, once every query in flight has ended.
        if (--m_activeSlots == 0) {
            Next next = std::move(m_vmsRead);
            next(m_failure ? Result<void>(*m_failure) : Result<void>());
        }
        return;
    }
    const MoRef container = m_containers.at(m_nextContainer++);
    const PropertySpecDef spec{"VirtualMachine", vmPaths(m_fields)};
    m_slots[slot]->run(
        container, {QStringLiteral("VirtualMachine")}, {spec},
        [this](ObjectContent&& o) { return addVm(std::move(o)); },
        [this, slot](Result<void> r) {
            if (!r.ok() && !m_failure)
                m_failure = r.error();
            runSlot(slot);
        });
}

bool VmListOperation::addFolderObject(ObjectContent&& o)
{
    if (o.obj.type == QLatin1String("ComputeResource") || o.obj.type == QLatin1String("ClusterComputeResource")) {
        m_computeResources.append(o.obj);
        return true;
    }
    return m_folderBuilder.add(std::move(o));
}

bool VmListOperation::addVm(ObjectContent&& o)
{
    if (o.obj.type != QLatin1String("VirtualMachine"))
        return true;
    if (m_seen.contains(o.obj.value))
        return true;
    m_seen.insert(o.obj.value);
    VmInfo v;
    v.ref = o.obj.value;
    v.name = o.text("name");
    v.parentRef = o.ref("parent").value;
    // A VM in a vApp has no parent folder: no path, as in the full inventory.
    if (const auto folder = m_folderPaths.constFind(v.parentRef); folder != m_folderPaths.constEnd())
        v.path = folder->isEmpty() ? QString() : *folder + QLatin1Char('/') + v.name;
    v.powerState = o.text("runtime.powerState");
    v.cpus = int(o.number("config.hardware.numCPU"));
    v.memoryMiB = o.number("config.hardware.memoryMB");
    v.guestId = o.text("config.guestId");
    v.instanceUuid = o.text("config.instanceUuid");
    if (const XmlValue* flag = o.prop("config.template"))
        v.isTemplate = flag->toBool();
    if (const XmlValue* extra = o.prop("config.extraConfig")) {
        for (const XmlValue& option : extra->children) {
            const XmlValue* key = option.child("key");
            if (key && key->text == InventoryBuilder::kRequestIdKey) {
                v.requestId = option.textAt("value");
                break;
            }
        }
    }
    m_page.append(std::move(v));
    // vCenter pages at most `pageSize` objects, but a server may send everything in one reply (the
    // simulator ignores maxObjects): VMs are handed on every kHandOver as they are decoded all the same,
    // so memory holds a page's worth whatever the server does.
    if (m_page.size() >= kHandOver)
        flushPage();
    return true;
}

void VmListOperation::flushPage()
{
    if (m_page.isEmpty() || finished())
        return;
    m_delivered += int(m_page.size());
    ++m_pagesDelivered;
    QList<VmInfo> page = std::exchange(m_page, {});
    m_onPage(std::move(page));
}

} // namespace dcm::vsphere
