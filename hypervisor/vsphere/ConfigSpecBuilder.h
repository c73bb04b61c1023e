#pragma once

#include "Placement.h"

#include "domain/VmSpec.h"

#include <QByteArray>
#include <QUuid>

namespace dcm::vsphere {

class SoapWriter;

// The VirtualMachineConfigSpec for CreateVM_Task, in the WSDL's element order: name, the request UUID
// as instanceUuid, guest, annotation, files on the datastore, CPUs/cores/memory, paravirtual SCSI
// controllers (15 disks each), the disks (thin or lazy-zeroed thick), one NIC per VmSpec::nics entry
// (vmxnet3 or e1000e) on a standard or distributed portgroup, and extraConfig dcm.requestId.
class ConfigSpecBuilder
{
public:
    static constexpr int kDisksPerController = 15; // unit 7 is the controller's own
    static QByteArray build(const VmSpec& spec, const QUuid& requestId, const Placement& placement);

    // Pieces the clone spec shares.
    // The NIC device's xsi:type for an adapter type ("VirtualVmxnet3", "VirtualE1000e").
    static const char* nicDeviceType(const QString& adapterType);
    // <backing>…</backing><connectable>…</connectable> of a NIC on `nic`'s portgroup.
    static void writeNicBackingAndConnectable(SoapWriter& w, const NicPlacement& nic);
    // One deviceChange adding a NIC with the temporary key `key`.
    static void writeAddNic(SoapWriter& w, const NicPlacement& nic, int key);
    // One deviceChange creating a disk on `controllerKey`/`unit` in the placement's datastore.
    static void writeAddDisk(SoapWriter& w, const DiskSpec& disk, const Placement& placement, int key,
                             int controllerKey, int unit);
    // One deviceChange adding a paravirtual SCSI controller.
    static void writeAddScsiController(SoapWriter& w, int key, int busNumber);
    // extraConfig dcm.requestId.
    static void writeRequestKey(SoapWriter& w, const QString& requestId);
};

} // namespace dcm::vsphere
