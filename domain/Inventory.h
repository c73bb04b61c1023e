#pragma once

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QUuid>

namespace dcm {

// Inventory as the pickers need it. Every item carries its hypervisor reference (`ref`, a vSphere
// moref such as "vm-42"), its display name and its inventory path ("/DC0/host/DC0_C0").
struct InventoryItem
{
    QString ref;
    QString name;
    QString path;
    QString parentRef;
};

struct DatacenterInfo : InventoryItem
{};

struct ClusterInfo : InventoryItem
{
    QString datacenterRef;
    QString rootPoolRef;
    qint64 totalCpuMhz = 0;
    qint64 totalMemoryBytes = 0;
};

struct ResourcePoolInfo : InventoryItem
{
    QString ownerRef; // the cluster or standalone compute resource
};

struct HostInfo : InventoryItem
{
    QString clusterRef; // empty for a standalone host
    QString computeResourceRef;
    QString connectionState;
    bool inMaintenance = false;
    int cpuCores = 0;
    qint64 cpuMhzTotal = 0;
    qint64 cpuMhzUsed = 0;
    qint64 memoryBytes = 0;
    qint64 memoryUsedMiB = 0;
    QStringList datastoreRefs;
    QStringList networkRefs;
};

struct DatastoreInfo : InventoryItem
{
    QString type;
    qint64 capacityBytes = 0;
    qint64 freeBytes = 0;
    bool accessible = true;
};

struct NetworkInfo : InventoryItem
{
    bool distributed = false; // a distributed portgroup
    QString dvsUuid;          // for distributed portgroups: the switch's UUID
    QString portgroupKey;     // for distributed portgroups
};

struct FolderInfo : InventoryItem
{};

struct VmInfo : InventoryItem
{
    bool isTemplate = false; // config.template
    QString powerState;
    int cpus = 0;
    qint64 memoryMiB = 0;
    QString guestId;
    QString instanceUuid;
    QString requestId; // extraConfig "dcm.requestId", empty when not ours
};

// What a clone starts from: a template (or, optionally, an existing VM) with what the form shows.
struct TemplateInfo : InventoryItem
{
    bool isTemplate = true; // false: an ordinary VM offered as a clone source
    QString guestId;
    QString guestFullName;
    int cpus = 0;
    qint64 memoryMiB = 0;
    QList<qint64> diskSizesMiB; // the template's virtual disks, in device order
    QStringList nicNetworks;    // the networks of the template's NICs, in device order (names)
    QString datacenterRef;
};

// A guest customization specification saved in vCenter (CustomizationSpecManager.info). Only its
// name and kind are read here; its content, Windows passwords included, stays inside vCenter.
struct CustomizationSpecInfo
{
    QString name;
    QString type; // "Linux" or "Windows"
    QString description;
    QDateTime lastUpdated;
};

enum class InventoryKind
{
    Datacenters = 0x01,
    Clusters = 0x02,
    ResourcePools = 0x04,
    Hosts = 0x08,
    Datastores = 0x10,
    Networks = 0x20,
    Folders = 0x40,
    Vms = 0x80,
    Templates = 0x100,
    CustomizationSpecs = 0x200,
};
Q_DECLARE_FLAGS(InventoryKinds, InventoryKind)
Q_DECLARE_OPERATORS_FOR_FLAGS(InventoryKinds)

inline constexpr InventoryKinds allInventoryKinds()
{
    return InventoryKinds(0x3ff);
}

struct InventorySnapshot
{
    QDateTime fetchedAt;
    // When the VM list was read: a read of the placement only keeps the VMs of an earlier read, so the
    // VMs can be older than fetchedAt. Invalid: as old as fetchedAt.
    QDateTime vmsFetchedAt;
    QList<DatacenterInfo> datacenters;
    QList<ClusterInfo> clusters;
    QList<ResourcePoolInfo> resourcePools;
    QList<HostInfo> hosts;
    QList<DatastoreInfo> datastores;
    QList<NetworkInfo> networks;
    QList<FolderInfo> folders;
    QList<VmInfo> vms;
    QList<TemplateInfo> templates;
    QList<CustomizationSpecInfo> customizationSpecs;
};

// What changed since a watch's previous delta (HypervisorPort::watchInventory).
struct InventoryDelta
{
    // The first delta of a watch, and the first after it had to start over (a new session): `vms` is
    // then every VM (templates included) and a VM not in it is gone.
    bool full = false;
    QList<VmInfo> vms;      // entered or changed, as they are now; `path` is left empty (the receiver
                            // knows the folders' paths)
    QStringList removedVms; // refs of the VMs that left
};

} // namespace dcm

Q_DECLARE_METATYPE(dcm::InventorySnapshot)
Q_DECLARE_METATYPE(dcm::InventoryDelta)
