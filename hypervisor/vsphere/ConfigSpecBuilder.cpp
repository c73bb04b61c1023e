#include "ConfigSpecBuilder.h"

#include "InventoryBuilder.h"
#include "SoapWriter.h"

#include "domain/GuestOsCatalog.h"

namespace dcm::vsphere {

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
    for (int c = 0; c < controllers; ++c) {
        w.open("deviceChange").text("operation", QStringLiteral("add"));
        w.open("device", "ParaVirtualSCSIController")
            .number("key", -100 - c)
            .number("busNumber", c)
            .text("sharedBus", QStringLiteral("noSharing"))
            .close("device");
        w.close("deviceChange");
    }
    for (qsizetype i = 0; i < spec.disks.size(); ++i) {
        const DiskSpec& disk = spec.disks[i];
        const int controller = int(i / kDisksPerController);
        int unit = int(i % kDisksPerController);
        if (unit >= 7)
            ++unit;
        w.open("deviceChange").text("operation", QStringLiteral("add")).text("fileOperation", QStringLiteral("create"));
        w.open("device", "VirtualDisk").number("key", -1000 - int(i));
        w.open("backing", "VirtualDiskFlatVer2BackingInfo")
            .text("fileName", datastorePath)
            .moref("datastore", placement.datastore)
            .text("diskMode", QStringLiteral("persistent"))
            .boolean("thinProvisioned", disk.thin);
        if (!disk.thin)
            w.boolean("eagerlyScrub", false);
        w.close("backing");
        w.number("controllerKey", -100 - controller).number("unitNumber", unit);
        w.number("capacityInKB", disk.sizeMiB * 1024).number("capacityInBytes", disk.sizeMiB * 1024 * 1024);
        w.close("device").close("deviceChange");
    }

    w.open("deviceChange").text("operation", QStringLiteral("add"));
    w.open("device", "VirtualVmxnet3").number("key", -300);
    if (placement.distributed) {
        w.open("backing", "VirtualEthernetCardDistributedVirtualPortBackingInfo")
            .open("port")
            .text("switchUuid", placement.dvsUuid)
            .text("portgroupKey", placement.portgroupKey)
            .close("port")
            .close("backing");
    } else {
        w.open("backing", "VirtualEthernetCardNetworkBackingInfo")
            .text("deviceName", placement.networkName)
            .moref("network", placement.network)
            .close("backing");
    }
    w.open("connectable")
        .boolean("startConnected", true)
        .boolean("allowGuestControl", true)
        .boolean("connected", false)
        .close("connectable");
    w.text("addressType", QStringLiteral("generated"));
    w.close("device").close("deviceChange");

    w.open("extraConfig", "OptionValue")
        .text("key", QString::fromLatin1(InventoryBuilder::kRequestIdKey))
        .text("value", uuid, "xsd:string")
        .close("extraConfig");
    return w.take();
}

} // namespace dcm::vsphere
