#include "ui/InventoryIndex.h"

namespace dcm {

InventoryIndex::InventoryIndex(const InventorySnapshot& snapshot) : m_snapshot(snapshot)
{
    const InventorySnapshot& s = m_snapshot;
    for (const DatacenterInfo& dc : s.datacenters) {
        m_datacenterPrefixes.append({dc.path + QLatin1Char('/'), dc.ref});
        m_byDatacenter.insert(dc.ref, {});
    }
    const auto place = [this](const QString& path, QList<qsizetype> PerDatacenter::*list, qsizetype i) {
        const QString dc = datacenterRefOf(path);
        if (!dc.isEmpty())
            (m_byDatacenter[dc].*list).append(i);
    };
    for (qsizetype i = 0; i < s.clusters.size(); ++i) {
        m_clusterByRef.insert(s.clusters[i].ref, i);
        place(s.clusters[i].path, &PerDatacenter::clusters, i);
    }
    for (qsizetype i = 0; i < s.resourcePools.size(); ++i)
        place(s.resourcePools[i].path, &PerDatacenter::pools, i);
    for (qsizetype i = 0; i < s.hosts.size(); ++i) {
        const HostInfo& h = s.hosts[i];
        m_hostByRef.insert(h.ref, i);
        m_hostByPath.insert(h.path, i);
        if (!h.clusterRef.isEmpty())
            m_hostsByOwner[h.clusterRef].append(i);
        if (!h.computeResourceRef.isEmpty() && h.computeResourceRef != h.clusterRef)
            m_hostsByOwner[h.computeResourceRef].append(i);
        place(h.path, &PerDatacenter::hosts, i);
    }
    for (qsizetype i = 0; i < s.datastores.size(); ++i) {
        m_datastoreByRef.insert(s.datastores[i].ref, i);
        m_datastoreByPath.insert(s.datastores[i].path, i);
        place(s.datastores[i].path, &PerDatacenter::datastores, i);
    }
    for (qsizetype i = 0; i < s.networks.size(); ++i) {
        m_networkByRef.insert(s.networks[i].ref, i);
        place(s.networks[i].path, &PerDatacenter::networks, i);
    }
    for (qsizetype i = 0; i < s.folders.size(); ++i) {
        m_folderByPath.insert(s.folders[i].path, i);
        place(s.folders[i].path, &PerDatacenter::folders, i);
    }
    m_vmNamesByFolder.reserve(s.folders.size());
    for (const VmInfo& vm : s.vms)
        m_vmNamesByFolder[vm.parentRef].insert(vm.name);
}

QString InventoryIndex::datacenterRefOf(const QString& path) const
{
    for (const auto& [prefix, ref] : m_datacenterPrefixes)
        if (path.startsWith(prefix))
            return ref;
    return QString();
}

const DatacenterInfo* InventoryIndex::datacenterNamed(const QString& nameOrPath) const
{
    for (const DatacenterInfo& dc : m_snapshot.datacenters)
        if (dc.name == nameOrPath || dc.path == nameOrPath)
            return &dc;
    return nullptr;
}

QList<InventoryIndex::ComputeChoice> InventoryIndex::computeChoices(const QString& datacenterRef) const
{
    QList<ComputeChoice> choices;
    const auto found = m_byDatacenter.find(datacenterRef);
    if (found == m_byDatacenter.end())
        return choices;
    const DatacenterInfo* dc = nullptr;
    for (const DatacenterInfo& d : m_snapshot.datacenters)
        if (d.ref == datacenterRef)
            dc = &d;
    const QString hostFolder = (dc ? dc->path : QString()) + QStringLiteral("/host/");
    const auto relative = [&](const QString& path) {
        return path.startsWith(hostFolder) ? path.mid(hostFolder.size()) : path;
    };

    QSet<QString> rootPools;
    for (qsizetype i : found->clusters) {
        const ClusterInfo& c = m_snapshot.clusters[i];
        rootPools.insert(c.rootPoolRef);
        ComputeChoice choice;
        choice.kind = ComputeChoice::Kind::Cluster;
        choice.value = c.path;
        choice.ownerRef = c.ref;
        choice.label = tr("%1 (cluster)").arg(relative(c.path));
        choice.toolTip = c.path;
        choices.append(choice);
    }
    for (qsizetype i : found->pools) {
        const ResourcePoolInfo& rp = m_snapshot.resourcePools[i];
        if (rootPools.contains(rp.ref))
            continue; // a cluster's own root pool: choosing the cluster means the same
        ComputeChoice choice;
        choice.value = rp.path;
        choice.ownerRef = rp.ownerRef;
        choice.toolTip = rp.path;
        if (rp.parentRef == rp.ownerRef && !m_clusterByRef.contains(rp.ownerRef)) {
            // The root pool of a standalone host's compute resource: offered as the host.
            choice.kind = ComputeChoice::Kind::StandaloneHost;
            choice.label = tr("%1 (standalone host)").arg(relative(rp.path.section(QLatin1Char('/'), 0, -2)));
        } else {
            choice.kind = ComputeChoice::Kind::ResourcePool;
            choice.label = tr("%1 (resource pool)").arg(relative(rp.path));
        }
        choices.append(choice);
    }
    std::stable_sort(choices.begin(), choices.end(),
                     [](const ComputeChoice& a, const ComputeChoice& b) { return a.value < b.value; });
    return choices;
}

const ClusterInfo* InventoryIndex::cluster(const QString& ref) const
{
    const auto it = m_clusterByRef.find(ref);
    return it == m_clusterByRef.end() ? nullptr : &m_snapshot.clusters[*it];
}

const HostInfo* InventoryIndex::host(const QString& ref) const
{
    const auto it = m_hostByRef.find(ref);
    return it == m_hostByRef.end() ? nullptr : &m_snapshot.hosts[*it];
}

const HostInfo* InventoryIndex::hostByPath(const QString& path) const
{
    const auto it = m_hostByPath.find(path);
    return it == m_hostByPath.end() ? nullptr : &m_snapshot.hosts[*it];
}

const DatastoreInfo* InventoryIndex::datastore(const QString& ref) const
{
    const auto it = m_datastoreByRef.find(ref);
    return it == m_datastoreByRef.end() ? nullptr : &m_snapshot.datastores[*it];
}

const DatastoreInfo* InventoryIndex::datastoreByPath(const QString& path) const
{
    const auto it = m_datastoreByPath.find(path);
    return it == m_datastoreByPath.end() ? nullptr : &m_snapshot.datastores[*it];
}

const FolderInfo* InventoryIndex::folderByPath(const QString& path) const
{
    const auto it = m_folderByPath.find(path);
    return it == m_folderByPath.end() ? nullptr : &m_snapshot.folders[*it];
}

QList<const HostInfo*> InventoryIndex::hostsOf(const QString& ownerRef) const
{
    QList<const HostInfo*> hosts;
    for (qsizetype i : m_hostsByOwner.value(ownerRef))
        hosts.append(&m_snapshot.hosts[i]);
    return hosts;
}

QList<const DatastoreInfo*> InventoryIndex::datastoresFor(const QList<const HostInfo*>& hosts,
                                                          const QString& datacenterRef) const
{
    QSet<QString> reachable;
    for (const HostInfo* h : hosts)
        for (const QString& ref : h->datastoreRefs)
            reachable.insert(ref);
    QList<const DatastoreInfo*> result;
    for (qsizetype i : m_byDatacenter.value(datacenterRef).datastores) {
        const DatastoreInfo& ds = m_snapshot.datastores[i];
        if (reachable.isEmpty() || reachable.contains(ds.ref))
            result.append(&ds);
    }
    return result;
}

QList<const NetworkInfo*> InventoryIndex::networksFor(const QList<const HostInfo*>& hosts,
                                                      const QString& datacenterRef) const
{
    QSet<QString> reachable;
    for (const HostInfo* h : hosts)
        for (const QString& ref : h->networkRefs)
            reachable.insert(ref);
    QList<const NetworkInfo*> result;
    for (qsizetype i : m_byDatacenter.value(datacenterRef).networks) {
        const NetworkInfo& n = m_snapshot.networks[i];
        if (reachable.isEmpty() || reachable.contains(n.ref))
            result.append(&n);
    }
    return result;
}

QList<const FolderInfo*> InventoryIndex::vmFolders(const QString& datacenterRef) const
{
    QList<const FolderInfo*> result;
    for (qsizetype i : m_byDatacenter.value(datacenterRef).folders) {
        const FolderInfo& f = m_snapshot.folders[i];
        if (f.parentRef == datacenterRef)
            result.prepend(&f);
        else
            result.append(&f);
    }
    return result;
}

QString InventoryIndex::rootVmFolderRef(const QString& datacenterRef) const
{
    for (qsizetype i : m_byDatacenter.value(datacenterRef).folders)
        if (m_snapshot.folders[i].parentRef == datacenterRef)
            return m_snapshot.folders[i].ref;
    return QString();
}

bool InventoryIndex::isVmNameTaken(const QString& folderRef, const QString& name) const
{
    const auto it = m_vmNamesByFolder.find(folderRef);
    return it != m_vmNamesByFolder.end() && it->contains(name);
}

} // namespace dcm
