#pragma once

#include "MoRef.h"

#include <QList>
#include <QString>

namespace dcm::vsphere {

// The network of one NIC, as vCenter references: a standard portgroup by name and moref, a
// distributed one by its switch's UUID and its key (what a NIC backing needs).
struct NicPlacement
{
    MoRef network;
    QString networkName;
    bool distributed = false;
    QString dvsUuid;
    QString portgroupKey;
    QString adapterType; // NicSpec::vmxnet3 or NicSpec::e1000e
};

// Where a new VM goes, as vCenter references.
struct Placement
{
    MoRef datacenter;
    MoRef folder;
    MoRef pool;
    MoRef host; // null: vCenter (DRS) picks
    MoRef datastore;
    QString datastoreName;
    QList<NicPlacement> nics; // one per VmSpec::nics entry, in order
};

} // namespace dcm::vsphere
