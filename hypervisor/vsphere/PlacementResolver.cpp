#include "PlacementResolver.h"

#include <QStringList>

namespace dcm::vsphere {

namespace {

Error notFound(const QString& field, const QString& value, const QString& why)
{
    Error e = Error::make(ErrorKind::Business, QStringLiteral("placement-not-found"),
                          QStringLiteral("%1 '%2' %3").arg(field, value, why));
    e.details.insert(QStringLiteral("field"), field);
    e.details.insert(QStringLiteral("value"), value);
    return e;
}

// Items of one datacenter whose path, path relative to the datacenter's `<kindFolder>`, or unique name
// matches `wanted`.
template <class T>
Result<T> pick(const QList<T>& items, const QString& dcPath, const char* kindFolder, const QString& field,
               const QString& wanted)
{
    const QString prefix = dcPath + QLatin1Char('/');
    const QString kindPrefix = prefix + QLatin1String(kindFolder) + QLatin1Char('/');
    QList<const T*> byPath;
    QList<const T*> byName;
    for (const T& item : items) {
        if (!item.path.startsWith(prefix))
            continue;
        if (item.path == wanted || item.path == kindPrefix + wanted || item.path == prefix + wanted)
            byPath.append(&item);
        else if (item.name == wanted)
            byName.append(&item);
    }
    if (byPath.size() == 1)
        return *byPath.front();
    if (byPath.isEmpty() && byName.size() == 1)
        return *byName.front();
    if (byPath.size() + byName.size() == 0)
        return notFound(field, wanted, QStringLiteral("does not exist in datacenter %1").arg(dcPath));
    QStringList paths;
    for (const T* t : byPath.isEmpty() ? byName : byPath)
        paths << t->path;
    Error e = notFound(field, wanted, QStringLiteral("is ambiguous: %1").arg(paths.join(QStringLiteral(", "))));
    e.code = QStringLiteral("placement-ambiguous");
    return e;
}

} // namespace

Result<Placement> PlacementResolver::resolve(const VmSpec& spec, const InventorySnapshot& inv)
{
    Placement p;

    const DatacenterInfo* dc = nullptr;
    for (const DatacenterInfo& d : inv.datacenters) {
        if (d.name == spec.datacenter || d.path == spec.datacenter) {
            if (dc)
                return notFound(QStringLiteral("datacenter"), spec.datacenter, QStringLiteral("is ambiguous"));
            dc = &d;
        }
    }
    if (!dc)
        return notFound(QStringLiteral("datacenter"), spec.datacenter, QStringLiteral("does not exist"));
    p.datacenter = MoRef{QStringLiteral("Datacenter"), dc->ref};
    const QString dcPath = dc->path;

    // Folder: the datacenter's root VM folder unless one is named.
    if (spec.folder.isEmpty() || spec.folder == QLatin1String("/") || spec.folder == dcPath + QLatin1String("/vm")) {
        for (const FolderInfo& f : inv.folders) {
            if (f.parentRef == dc->ref)
                p.folder = MoRef{QStringLiteral("Folder"), f.ref};
        }
        if (p.folder.isNull())
            return notFound(QStringLiteral("folder"), QStringLiteral("vm"),
                            QStringLiteral("(the root VM folder) was not found in datacenter %1").arg(dcPath));
    } else {
        QString wanted = spec.folder;
        if (wanted.startsWith(QLatin1Char('/')) && !wanted.startsWith(dcPath + QLatin1Char('/')))
            wanted = wanted.mid(1);
        Result<FolderInfo> f = pick(inv.folders, dcPath, "vm", QStringLiteral("folder"), wanted);
        if (!f)
            return f.error();
        p.folder = MoRef{QStringLiteral("Folder"), f.value().ref};
    }

    const HostInfo* host = nullptr;
    if (!spec.host.isEmpty()) {
        Result<HostInfo> h = pick(inv.hosts, dcPath, "host", QStringLiteral("host"), spec.host);
        if (!h)
            return h.error();
        for (const HostInfo& candidate : inv.hosts) {
            if (candidate.ref == h.value().ref)
                host = &candidate;
        }
        p.host = MoRef{QStringLiteral("HostSystem"), host->ref};
    }

    if (!spec.resourcePool.isEmpty()) {
        Result<ResourcePoolInfo> rp =
            pick(inv.resourcePools, dcPath, "host", QStringLiteral("resourcePool"), spec.resourcePool);
        if (!rp)
            return rp.error();
        p.pool = MoRef{QStringLiteral("ResourcePool"), rp.value().ref};
        if (host && rp.value().ownerRef != host->computeResourceRef)
            return notFound(QStringLiteral("host"), spec.host,
                            QStringLiteral("is not part of the resource pool's cluster"));
    } else if (!spec.cluster.isEmpty()) {
        Result<ClusterInfo> c = pick(inv.clusters, dcPath, "host", QStringLiteral("cluster"), spec.cluster);
        if (!c)
            return c.error();
        p.pool = MoRef{QStringLiteral("ResourcePool"), c.value().rootPoolRef};
        if (host && host->clusterRef != c.value().ref)
            return notFound(QStringLiteral("host"), spec.host,
                            QStringLiteral("is not part of cluster %1").arg(c.value().path));
    } else if (host) {
        // A standalone host: its compute resource's root pool.
        for (const ResourcePoolInfo& rp : inv.resourcePools) {
            if (rp.ownerRef == host->computeResourceRef && rp.parentRef == host->computeResourceRef)
                p.pool = MoRef{QStringLiteral("ResourcePool"), rp.ref};
        }
    }
    if (p.pool.isNull())
        return notFound(QStringLiteral("cluster"), spec.cluster,
                        QStringLiteral("gives no resource pool (name a cluster, a resource pool or a host)"));

    Result<DatastoreInfo> ds = pick(inv.datastores, dcPath, "datastore", QStringLiteral("datastore"), spec.datastore);
    if (!ds)
        return ds.error();
    if (!ds.value().accessible)
        return notFound(QStringLiteral("datastore"), spec.datastore, QStringLiteral("is not accessible"));
    if (host && !host->datastoreRefs.contains(ds.value().ref))
        return notFound(QStringLiteral("datastore"), spec.datastore,
                        QStringLiteral("is not mounted on host %1").arg(host->name));
    p.datastore = MoRef{QStringLiteral("Datastore"), ds.value().ref};
    p.datastoreName = ds.value().name;

    for (qsizetype i = 0; i < spec.nics.size(); ++i) {
        const QString field = QStringLiteral("nics[%1].network").arg(i);
        const QString& wanted = spec.nics[i].network;
        Result<NetworkInfo> net = pick(inv.networks, dcPath, "network", field, wanted);
        if (!net)
            return net.error();
        const NetworkInfo& n = net.value();
        if (n.distributed && (n.dvsUuid.isEmpty() || n.portgroupKey.isEmpty()))
            return notFound(field, wanted, QStringLiteral("is a distributed portgroup whose switch could not be read"));
        NicPlacement nic;
        nic.network =
            MoRef{n.distributed ? QStringLiteral("DistributedVirtualPortgroup") : QStringLiteral("Network"), n.ref};
        nic.networkName = n.name;
        nic.distributed = n.distributed;
        nic.dvsUuid = n.dvsUuid;
        nic.portgroupKey = n.portgroupKey;
        nic.adapterType = spec.nics[i].adapterType.isEmpty() ? NicSpec::vmxnet3 : spec.nics[i].adapterType;
        p.nics.append(nic);
    }
    return p;
}

} // namespace dcm::vsphere
