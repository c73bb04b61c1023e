#include "InventoryBuilder.h"

#include "TemplateHardware.h"

#include <QDateTime>

#include <algorithm>

namespace dcm::vsphere {

namespace {

bool has(InventoryKinds kinds, InventoryKind k)
{
    return kinds.testFlag(k);
}

bool computeNeeded(InventoryKinds kinds)
{
    return has(kinds, InventoryKind::Clusters) || has(kinds, InventoryKind::ResourcePools) ||
           has(kinds, InventoryKind::Hosts);
}

QStringList refsOf(const XmlValue* array)
{
    QStringList refs;
    if (!array)
        return refs;
    for (const XmlValue& c : array->children)
        refs << c.string();
    return refs;
}

template <class T> void sortByPath(QList<T>& items)
{
    std::sort(items.begin(), items.end(),
              [](const T& a, const T& b) { return a.path != b.path ? a.path < b.path : a.ref < b.ref; });
}

} // namespace

InventoryBuilder::InventoryBuilder(InventoryKinds kinds, MoRef rootFolder, Options options)
    : m_kinds(kinds), m_root(std::move(rootFolder)), m_options(options)
{}

QStringList InventoryBuilder::viewTypes(InventoryKinds kinds)
{
    QStringList types{QStringLiteral("Folder"), QStringLiteral("Datacenter")};
    if (computeNeeded(kinds))
        types << QStringLiteral("ComputeResource");
    if (has(kinds, InventoryKind::ResourcePools))
        types << QStringLiteral("ResourcePool");
    if (has(kinds, InventoryKind::Hosts))
        types << QStringLiteral("HostSystem");
    if (has(kinds, InventoryKind::Datastores))
        types << QStringLiteral("Datastore");
    if (has(kinds, InventoryKind::Networks))
        types << QStringLiteral("Network") << QStringLiteral("DistributedVirtualSwitch");
    if (has(kinds, InventoryKind::Vms) || has(kinds, InventoryKind::Templates))
        types << QStringLiteral("VirtualMachine");
    return types;
}

QList<PropertySpecDef> InventoryBuilder::propertySpecs(InventoryKinds kinds, Options options)
{
    // A PropertySpec applies to subtypes too (ClusterComputeResource is a ComputeResource, a
    // DistributedVirtualPortgroup a Network), so the subtype specs below only add their own paths.
    QList<PropertySpecDef> specs;
    specs.append({"Folder", {"name", "parent", "childType"}});
    specs.append({"Datacenter", {"name", "parent"}});
    if (computeNeeded(kinds))
        specs.append(
            {"ComputeResource", {"name", "parent", "resourcePool", "summary.totalCpu", "summary.totalMemory"}});
    if (has(kinds, InventoryKind::ResourcePools))
        specs.append({"ResourcePool", {"name", "parent", "owner"}});
    if (has(kinds, InventoryKind::Hosts))
        specs.append(
            {"HostSystem",
             {"name", "parent", "runtime.connectionState", "runtime.inMaintenanceMode", "summary.hardware.numCpuCores",
              "summary.hardware.cpuMhz", "summary.hardware.memorySize", "summary.quickStats.overallCpuUsage",
              "summary.quickStats.overallMemoryUsage", "datastore", "network"}});
    if (has(kinds, InventoryKind::Datastores))
        specs.append(
            {"Datastore",
             {"name", "parent", "summary.type", "summary.capacity", "summary.freeSpace", "summary.accessible"}});
    if (has(kinds, InventoryKind::Networks)) {
        specs.append({"Network", {"name", "parent"}});
        specs.append({"DistributedVirtualPortgroup", {"key", "config.distributedVirtualSwitch"}});
        specs.append({"DistributedVirtualSwitch", {"uuid", "config.uplinkPortgroup"}});
    }
    if (has(kinds, InventoryKind::Vms)) {
        PropertySpecDef vm{"VirtualMachine",
                           {"name", "parent", "runtime.powerState", "config.hardware.numCPU",
                            "config.hardware.memoryMB", "config.guestId", "config.instanceUuid", "config.template"}};
        if (options.vmRequestIds)
            vm.pathSet << "config.extraConfig";
        specs.append(vm);
    } else if (has(kinds, InventoryKind::Templates)) {
        // Which VMs are templates: one boolean each. Their details are read for the templates alone
        // (templateDetailSpecs()).
        specs.append({"VirtualMachine", {"name", "parent", "config.template"}});
    }
    return specs;
}

QList<PropertySpecDef> InventoryBuilder::templateDetailSpecs()
{
    // config.hardware.device is a VM's heaviest path (every device with its backing, a few kB) but the
    // only one that gives disk sizes and NIC networks in device order; summary.config has the counts
    // only, `network` is unordered. It is read for templates alone, typically a handful among
    // thousands of VMs.
    return {{"VirtualMachine",
             {"config.guestId", "config.guestFullName", "config.hardware.numCPU", "config.hardware.memoryMB",
              "config.hardware.device"}}};
}

void InventoryBuilder::fillTemplate(TemplateInfo& t, const ObjectContent& o, const QList<NetworkInfo>& networks)
{
    t.guestId = o.text("config.guestId");
    t.guestFullName = o.text("config.guestFullName");
    t.cpus = int(std::clamp<qint64>(o.number("config.hardware.numCPU"), 0, 1 << 20));
    t.memoryMiB = std::max<qint64>(0, o.number("config.hardware.memoryMB"));
    const TemplateHardware hw = TemplateHardware::fromDevices(o.prop("config.hardware.device"));
    t.diskSizesMiB.clear();
    for (const TemplateHardware::Disk& d : hw.disks)
        t.diskSizesMiB.append(d.capacityKiB / 1024);
    t.nicNetworks.clear();
    for (const TemplateHardware::Nic& n : hw.nics) {
        QString name = n.networkName;
        if (name.isEmpty() && !n.portgroupKey.isEmpty()) {
            name = n.portgroupKey;
            for (const NetworkInfo& net : networks) {
                if (net.distributed && net.portgroupKey == n.portgroupKey)
                    name = net.name;
            }
        }
        t.nicNetworks.append(name);
    }
}

QList<CustomizationSpecInfo> InventoryBuilder::customizationSpecs(const ObjectContent& manager)
{
    QList<CustomizationSpecInfo> out;
    const XmlValue* info = manager.prop("info");
    if (!info)
        return out;
    for (const XmlValue& item : info->children) {
        CustomizationSpecInfo c;
        c.name = item.textAt("name");
        if (c.name.isEmpty())
            continue;
        c.type = item.textAt("type");
        c.description = item.textAt("description");
        c.lastUpdated = QDateTime::fromString(item.textAt("lastUpdateTime"), Qt::ISODateWithMs);
        out.append(c);
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    return out;
}

void InventoryBuilder::reset()
{
    m_nodes.clear();
    m_paths.clear();
    m_dvsUuid.clear();
    m_portgroupDvs.clear();
    m_uplinkPortgroups.clear();
    m_vmFolders.clear();
    m_snapshot = InventorySnapshot();
    m_objects = 0;
}

bool InventoryBuilder::add(ObjectContent&& o)
{
    ++m_objects;
    const QString& type = o.obj.type;
    const QString& ref = o.obj.value;
    const MoRef parent = o.ref("parent");
    const bool isDvs = type.contains(QLatin1String("DistributedVirtualSwitch"));
    if (isDvs) {
        m_dvsUuid.insert(ref, o.text("uuid"));
        for (const QString& pg : refsOf(o.prop("config.uplinkPortgroup")))
            m_uplinkPortgroups.insert(pg);
        return true;
    }
    Node node{o.text("name"), parent.value, type};

    auto fill = [&](InventoryItem& item) {
        item.ref = ref;
        item.name = node.name;
        item.parentRef = parent.value;
    };

    if (type == QLatin1String("Folder") || type == QLatin1String("StoragePod")) {
        const XmlValue* childTypes = o.prop("childType");
        bool vmFolder = false;
        if (childTypes) {
            for (const XmlValue& c : childTypes->children)
                vmFolder = vmFolder || c.text == "VirtualMachine";
        }
        if (vmFolder && has(m_kinds, InventoryKind::Folders)) {
            FolderInfo f;
            fill(f);
            m_snapshot.folders.append(f);
        }
    } else if (type == QLatin1String("Datacenter")) {
        if (has(m_kinds, InventoryKind::Datacenters)) {
            DatacenterInfo d;
            fill(d);
            m_snapshot.datacenters.append(d);
        }
    } else if (type == QLatin1String("ClusterComputeResource")) {
        if (has(m_kinds, InventoryKind::Clusters)) {
            ClusterInfo c;
            fill(c);
            c.rootPoolRef = o.ref("resourcePool").value;
            c.totalCpuMhz = o.number("summary.totalCpu");
            c.totalMemoryBytes = o.number("summary.totalMemory");
            m_snapshot.clusters.append(c);
        }
    } else if (type == QLatin1String("ComputeResource")) {
        // A standalone host's wrapper: part of paths, not listed.
    } else if (type == QLatin1String("ResourcePool") || type == QLatin1String("VirtualApp")) {
        if (has(m_kinds, InventoryKind::ResourcePools)) {
            ResourcePoolInfo p;
            fill(p);
            p.ownerRef = o.ref("owner").value;
            m_snapshot.resourcePools.append(p);
        }
    } else if (type == QLatin1String("HostSystem")) {
        if (has(m_kinds, InventoryKind::Hosts)) {
            HostInfo h;
            fill(h);
            h.computeResourceRef = parent.value;
            if (parent.type == QLatin1String("ClusterComputeResource"))
                h.clusterRef = parent.value;
            h.connectionState = o.text("runtime.connectionState");
            if (const XmlValue* m = o.prop("runtime.inMaintenanceMode"))
                h.inMaintenance = m->toBool();
            h.cpuCores = int(o.number("summary.hardware.numCpuCores"));
            h.cpuMhzTotal = h.cpuCores * o.number("summary.hardware.cpuMhz");
            h.cpuMhzUsed = o.number("summary.quickStats.overallCpuUsage");
            h.memoryBytes = o.number("summary.hardware.memorySize");
            h.memoryUsedMiB = o.number("summary.quickStats.overallMemoryUsage");
            h.datastoreRefs = refsOf(o.prop("datastore"));
            h.networkRefs = refsOf(o.prop("network"));
            m_snapshot.hosts.append(h);
        }
    } else if (type == QLatin1String("Datastore")) {
        if (has(m_kinds, InventoryKind::Datastores)) {
            DatastoreInfo d;
            fill(d);
            d.type = o.text("summary.type");
            d.capacityBytes = o.number("summary.capacity");
            d.freeBytes = o.number("summary.freeSpace");
            if (const XmlValue* a = o.prop("summary.accessible"))
                d.accessible = a->toBool();
            m_snapshot.datastores.append(d);
        }
    } else if (type == QLatin1String("Network") || type == QLatin1String("DistributedVirtualPortgroup") ||
               type == QLatin1String("OpaqueNetwork")) {
        if (has(m_kinds, InventoryKind::Networks)) {
            NetworkInfo n;
            fill(n);
            if (type == QLatin1String("DistributedVirtualPortgroup")) {
                n.distributed = true;
                n.portgroupKey = o.text("key");
                m_portgroupDvs.insert(ref, o.ref("config.distributedVirtualSwitch").value);
            }
            m_snapshot.networks.append(n);
        }
    } else if (type == QLatin1String("VirtualMachine")) {
        const XmlValue* templateFlag = o.prop("config.template");
        const bool isTemplate = templateFlag && templateFlag->toBool();
        if (isTemplate && has(m_kinds, InventoryKind::Templates)) {
            TemplateInfo t;
            fill(t);
            m_snapshot.templates.append(t);
        }
        if (has(m_kinds, InventoryKind::Vms)) {
            VmInfo v;
            fill(v);
            v.isTemplate = isTemplate;
            v.powerState = o.text("runtime.powerState");
            v.cpus = int(o.number("config.hardware.numCPU"));
            v.memoryMiB = o.number("config.hardware.memoryMB");
            v.guestId = o.text("config.guestId");
            v.instanceUuid = o.text("config.instanceUuid");
            if (const XmlValue* extra = o.prop("config.extraConfig")) {
                for (const XmlValue& option : extra->children) {
                    const XmlValue* key = option.child("key");
                    if (key && key->text == kRequestIdKey) {
                        v.requestId = option.textAt("value");
                        break;
                    }
                }
            }
            m_snapshot.vms.append(v);
        }
        // VMs are leaves: nobody's path goes through them.
        return true;
    }
    m_nodes.insert(ref, std::move(node));
    return true;
}

QString InventoryBuilder::pathOf(const QString& ref)
{
    // Up from `ref` to the root folder (or an already known path), then the names on the way down.
    // A reply is untrusted input: a parent chain that loops, runs too deep or breaks off gives no path.
    constexpr int kMaxDepth = 256;
    QStringList chain;
    QString base;
    bool reachable = false;
    QString current = ref;
    for (int depth = 0; depth <= kMaxDepth; ++depth) {
        if (current == m_root.value) {
            reachable = true;
            break;
        }
        if (auto known = m_paths.constFind(current); known != m_paths.constEnd()) {
            base = *known;
            reachable = !base.isEmpty();
            break;
        }
        auto node = m_nodes.constFind(current);
        if (node == m_nodes.constEnd() || chain.contains(current) || depth == kMaxDepth)
            break;
        chain.append(current);
        current = node->parent;
    }
    QString path = base;
    for (qsizetype i = chain.size() - 1; i >= 0; --i) {
        path = reachable ? path + QLatin1Char('/') + m_nodes.value(chain[i]).name : QString();
        m_paths.insert(chain[i], path);
    }
    return ref == m_root.value ? QString() : m_paths.value(ref);
}

QString InventoryBuilder::datacenterOf(const QString& ref) const
{
    QString current = ref;
    for (int guard = 0; guard < 256 && !current.isEmpty(); ++guard) {
        auto it = m_nodes.constFind(current);
        if (it == m_nodes.constEnd())
            return QString();
        if (it->type == QLatin1String("Datacenter"))
            return current;
        current = it->parent;
    }
    return QString();
}

InventorySnapshot InventoryBuilder::take()
{
    auto childPath = [this](InventoryItem& item) {
        const QString parentPath = item.parentRef == m_root.value ? QString() : pathOf(item.parentRef);
        if (item.parentRef == m_root.value)
            item.path = QLatin1Char('/') + item.name;
        else
            item.path = parentPath.isEmpty() ? QString() : parentPath + QLatin1Char('/') + item.name;
    };
    for (auto& d : m_snapshot.datacenters)
        childPath(d);
    for (auto& f : m_snapshot.folders)
        childPath(f);
    for (auto& c : m_snapshot.clusters) {
        childPath(c);
        c.datacenterRef = datacenterOf(c.ref);
    }
    for (auto& p : m_snapshot.resourcePools)
        childPath(p);
    for (auto& h : m_snapshot.hosts)
        childPath(h);
    for (auto& d : m_snapshot.datastores)
        childPath(d);
    QList<NetworkInfo> networks;
    networks.reserve(m_snapshot.networks.size());
    for (auto& n : m_snapshot.networks) {
        if (m_uplinkPortgroups.contains(n.ref))
            continue; // uplink portgroups carry host uplinks, never a VM
        childPath(n);
        if (n.distributed)
            n.dvsUuid = m_dvsUuid.value(m_portgroupDvs.value(n.ref));
        networks.append(n);
    }
    m_snapshot.networks = std::move(networks);
    for (auto& v : m_snapshot.vms)
        childPath(v);
    for (auto& t : m_snapshot.templates) {
        childPath(t);
        t.datacenterRef = datacenterOf(t.parentRef);
    }

    sortByPath(m_snapshot.datacenters);
    sortByPath(m_snapshot.folders);
    sortByPath(m_snapshot.clusters);
    sortByPath(m_snapshot.resourcePools);
    sortByPath(m_snapshot.hosts);
    sortByPath(m_snapshot.datastores);
    sortByPath(m_snapshot.networks);
    sortByPath(m_snapshot.vms);
    sortByPath(m_snapshot.templates);
    m_snapshot.fetchedAt = QDateTime::currentDateTimeUtc();
    InventorySnapshot out = std::move(m_snapshot);
    reset();
    return out;
}

} // namespace dcm::vsphere
