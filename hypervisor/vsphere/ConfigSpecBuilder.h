#pragma once

#include "Placement.h"

#include "domain/VmSpec.h"

#include <QByteArray>
#include <QUuid>

namespace dcm::vsphere {

// The VirtualMachineConfigSpec for CreateVM_Task, in the WSDL's element order: name, the request UUID
// as instanceUuid, guest, annotation, files on the datastore, CPUs/cores/memory, paravirtual SCSI
// controllers (15 disks each), the disks (thin or lazy-zeroed thick), one vmxnet3 NIC on a standard or
// distributed portgroup, and extraConfig dcm.requestId.
class ConfigSpecBuilder
{
public:
    static constexpr int kDisksPerController = 15; // unit 7 is the controller's own
    static QByteArray build(const VmSpec& spec, const QUuid& requestId, const Placement& placement);
};

} // namespace dcm::vsphere
