#include "ConfigSpecBuilder.h"

#include "InventoryBuilder.h"
#include "SoapWriter.h"

#include "domain/GuestOsCatalog.h"

namespace dcm::vsphere {

const char* ConfigSpecBuilder::nicDeviceType(const QString& adapterType)
{
    return adapterType == NicSpec::e1000e ? "VirtualE1000e" : "VirtualVmxnet3";
}

void ConfigSpecBuilder::writeNicBackingAndConnectable(SoapWriter& w, const NicPlacement& nic)
{
    if (nic.distributed) {
        w.open("backing", "VirtualEthernetCardDistributedVirtualPortBackingInfo")
            .open("port")
            .text("switchUuid", nic.dvsUuid)
            .text("portgroupKey", nic.portgroupKey)
            .close("port")
            .close("backing");
    } else {
        w.open("backing", "VirtualEthernetCardNetworkBackingInfo")
            .text("deviceName", nic.networkName)
            .moref("network", nic.network)
            .close("backing");
    }
    w.open("connectable")
        .boolean("startConnected", true)
        .boolean("allowGuestControl", true)
        .boolean("connected", false)
        .close("connectable");
}

void ConfigSpecBuilder::writeAddNic(SoapWriter& w, const NicPlacement& nic, int key)
{
    w.open("deviceChange").text("operation", QStringLiteral("add"));
    w.open("device", nicDeviceType(nic.adapterType)).number("key", key);
    writeNicBackingAndConnectable(w, nic);
    w.text("addressType", QStringLiteral("generated"));
    w.close("device").close("deviceChange");
}

void ConfigSpecBuilder::writeAddDisk(SoapWriter& w, const DiskSpec& disk, const Placement& placement, int key,
                                     int controllerKey, int unit)
{
    w.open("deviceChange").text("operation", QStringLiteral("add")).text("fileOperation", QStringLiteral("create"));
    w.open("device", "VirtualDisk").number("key", key);
    // "[datastore]" alone: vCenter names the file after the VM, in the VM's folder.
    w.open("backing", "VirtualDiskFlatVer2BackingInfo")
        .text("fileName", QStringLiteral("[%1]").arg(placement.datastoreName))
        .moref("datastore", placement.datastore)
        .text("diskMode", QStringLiteral("persistent"))
        .boolean("thinProvisioned", disk.thin);
    if (!disk.thin)
        w.boolean("eagerlyScrub", false);
    w.close("backing");
    w.number("controllerKey", controllerKey).number("unitNumber", unit);
    w.number("capacityInKB", disk.sizeMiB * 1024).number("capacityInBytes", disk.sizeMiB * 1024 * 1024);
    w.close("device").close("deviceChange");
}

void ConfigSpecBuilder::writeAddScsiController(SoapWriter& w, int key, int busNumber)
{
    w.open("deviceChange").text("operation", QStringLiteral("add"));
    w.open("device", "ParaVirtualSCSIController")
        .number("key", key)
        .number("busNumber", busNumber)
        .text("sharedBus", QStringLiteral("noSharing"))
        .close("device");
    w.close("deviceChange");
}

void ConfigSpecBuilder::writeRequestKey(SoapWriter& w, const QString& requestId)
{
    w.open("extraConfig", "OptionValue")
        .text("key", QString::fromLatin1(InventoryBuilder::kRequestIdKey))
        .text("value", requestId, "xsd:string")
        .close("extraConfig");
}

QByteArray ConfigSpecBuilder::build(const VmSpec& spec, const QUuid& requestId, const Placement& placement)
{
    const QString datastorePath = QStringLiteral("[%1]").arg(placement.datastoreName);
    const QString uuid = requestId.toString(QUuid::WithoutBraces);
    SoapWriter w = SoapWriter::fragment();
    w.text("name", spec.name);
    w.text("instanceUuid", uuid);
    w.text("guestId", spec.guestId.isEmpty() ? GuestOsCatalog::defaultId() : spec.guestId);
    if (!spec.annotation.isEmpty())
        w.text("annotation", spec.annotation);
    // "[datastore]" alone: vCenter makes a folder named after the VM and puts the .vmx in it.
    w.open("files").text("vmPathName", datastorePath).close("files");
    w.number("numCPUs", spec.cpus);
    w.number("numCoresPerSocket", std::max(1, spec.coresPerSocket));
    w.number("memoryMB", spec.memoryMiB);

    // Temporary negative keys tie disks to their controller within this spec; vCenter assigns real ones.
    const int controllers = int((spec.disks.size() + kDisksPerController - 1) / kDisksPerController);
    for (int c = 0; c < controllers; ++c)
        writeAddScsiController(w, -100 - c, c);
    for (qsizetype i = 0; i < spec.disks.size(); ++i) {
        const int controller = int(i / kDisksPerController);
        int unit = int(i % kDisksPerController);
        if (unit >= 7)
            ++unit;
        writeAddDisk(w, spec.disks[i], placement, -1000 - int(i), -100 - controller, unit);
    }
    for (qsizetype i = 0; i < placement.nics.size(); ++i)
        writeAddNic(w, placement.nics[i], -300 - int(i));

    writeRequestKey(w, uuid);
    return w.take();
}

} // namespace dcm::vsphere
