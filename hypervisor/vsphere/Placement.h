#pragma once

#include "MoRef.h"

#include <QString>

namespace dcm::vsphere {

// Where a new VM goes, as vCenter references.
struct Placement
{
    MoRef datacenter;
    MoRef folder;
    MoRef pool;
    MoRef host; // null: vCenter (DRS) picks
    MoRef datastore;
    QString datastoreName;
    MoRef network;
    QString networkName;
    bool distributed = false;
    QString dvsUuid;
    QString portgroupKey;
};

} // namespace dcm::vsphere
