#pragma once

#include "domain/Inventory.h"

#include <QCoreApplication>
#include <QHash>
#include <QList>
#include <QSet>
#include <QString>

namespace dcm {

// An inventory snapshot arranged for the New VM pickers: what belongs to which datacenter, which hosts
// a cluster or pool runs on, which datastores and networks those hosts reach, and which VM names are
// taken per folder. Built once per snapshot in one pass over each list (20,000 VMs take a few ms).
class InventoryIndex final
{
    Q_DECLARE_TR_FUNCTIONS(dcm::InventoryIndex)

public:
    struct ComputeChoice
    {
        enum class Kind
        {
            Cluster,
            ResourcePool,
            StandaloneHost,
        };
        Kind kind = Kind::Cluster;
        QString value;    // what the spec carries: the inventory path of the cluster or pool
        QString ownerRef; // the cluster or compute resource whose hosts run it
        QString label;
        QString toolTip;
    };

    InventoryIndex() = default;
    explicit InventoryIndex(const InventorySnapshot& snapshot);

    bool isNull() const { return !m_snapshot.fetchedAt.isValid() && m_snapshot.datacenters.isEmpty(); }
    const InventorySnapshot& snapshot() const { return m_snapshot; }

    const DatacenterInfo* datacenterNamed(const QString& nameOrPath) const;
    QList<ComputeChoice> computeChoices(const QString& datacenterRef) const;
    const ClusterInfo* cluster(const QString& ref) const;
    const HostInfo* host(const QString& ref) const;
    const HostInfo* hostByPath(const QString& path) const;
    const DatastoreInfo* datastore(const QString& ref) const;
    const DatastoreInfo* datastoreByPath(const QString& path) const;
    // Hosts that run the cluster, pool or standalone compute resource `ownerRef`.
    QList<const HostInfo*> hostsOf(const QString& ownerRef) const;
    // Datastores / networks reachable from any of `hosts`; every one of the datacenter when the hosts
    // report none (an inventory fetched without host details).
    QList<const DatastoreInfo*> datastoresFor(const QList<const HostInfo*>& hosts, const QString& datacenterRef) const;
    QList<const NetworkInfo*> networksFor(const QList<const HostInfo*>& hosts, const QString& datacenterRef) const;
    // VM folders of the datacenter (its root VM folder first).
    QList<const FolderInfo*> vmFolders(const QString& datacenterRef) const;
    QString rootVmFolderRef(const QString& datacenterRef) const;
    const FolderInfo* folderByPath(const QString& path) const;
    // True when a VM of that name already sits in the folder (vCenter answers DuplicateName).
    bool isVmNameTaken(const QString& folderRef, const QString& name) const;
    int vmCount() const { return int(m_snapshot.vms.size()); }

private:
    struct PerDatacenter
    {
        QList<qsizetype> clusters, pools, hosts, datastores, networks, folders;
    };
    QString datacenterRefOf(const QString& path) const;

    InventorySnapshot m_snapshot;
    QHash<QString, PerDatacenter> m_byDatacenter; // by datacenter ref
    QHash<QString, qsizetype> m_clusterByRef, m_hostByRef, m_datastoreByRef, m_networkByRef;
    QHash<QString, qsizetype> m_hostByPath, m_datastoreByPath, m_folderByPath;
    QHash<QString, QList<qsizetype>> m_hostsByOwner;
    QHash<QString, QSet<QString>> m_vmNamesByFolder;
    QList<std::pair<QString, QString>> m_datacenterPrefixes; // ("/DC0/", ref)
};

} // namespace dcm
