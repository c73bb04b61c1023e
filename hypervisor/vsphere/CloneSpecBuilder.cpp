#include "CloneSpecBuilder.h"

#include "ConfigSpecBuilder.h"
#include "SoapWriter.h"

#include <QSet>

#include <algorithm>

namespace dcm::vsphere {

namespace {

struct Slot
{
    int controllerKey = 0;
    int unit = 0;
};

// Free (controller, unit) pairs for `count` new disks: the source's SCSI controllers in bus order, then
// new paravirtual controllers on free buses (written into `w`).
Result<QList<Slot>> diskSlots(SoapWriter& w, const TemplateHardware& source, int count)
{
    QList<Slot> places;
    if (count == 0)
        return places;
    QList<TemplateHardware::Controller> controllers = source.scsiControllers;
    std::sort(controllers.begin(), controllers.end(),
              [](const auto& a, const auto& b) { return a.busNumber < b.busNumber; });
    QSet<QPair<int, int>> used;
    for (const TemplateHardware::Disk& d : source.disks)
        used.insert({d.controllerKey, d.unitNumber});
    auto fill = [&](int controllerKey) {
        for (int unit = 0; unit <= ConfigSpecBuilder::kDisksPerController && places.size() < count; ++unit) {
            if (unit == 7 || used.contains({controllerKey, unit}))
                continue;
            places.append(Slot{controllerKey, unit});
        }
    };
    QSet<int> busesTaken;
    for (const TemplateHardware::Controller& c : controllers) {
        busesTaken.insert(c.busNumber);
        fill(c.key);
    }
    int newKey = -100;
    for (int bus = 0; bus < CloneSpecBuilder::kMaxScsiBuses && places.size() < count; ++bus) {
        if (busesTaken.contains(bus))
            continue;
        ConfigSpecBuilder::writeAddScsiController(w, newKey, bus);
        fill(newKey);
        --newKey;
    }
    if (places.size() < count) {
        Error e = Error::make(ErrorKind::Business, QStringLiteral("too-many-disks"),
                              QStringLiteral("The template's SCSI controllers leave room for %1 more disk(s), not %2.")
                                  .arg(places.size())
                                  .arg(count));
        e.details.insert(QStringLiteral("field"), QStringLiteral("disks"));
        return e;
    }
    return places;
}

} // namespace

Result<QByteArray> CloneSpecBuilder::build(const VmSpec& spec, const QUuid& requestId, const Placement& placement,
                                           const TemplateHardware& source)
{
    const QString uuid = requestId.toString(QUuid::WithoutBraces);
    SoapWriter w = SoapWriter::fragment();

    w.open("location");
    w.moref("datastore", placement.datastore);
    w.moref("pool", placement.pool);
    if (!placement.host.isNull())
        w.moref("host", placement.host);
    if (!spec.cloneDiskFormat.isEmpty()) {
        const bool thin = spec.cloneDiskFormat == QLatin1String("thin");
        for (const TemplateHardware::Disk& d : source.disks) {
            w.open("disk").number("diskId", d.key).moref("datastore", placement.datastore);
            w.open("diskBackingInfo", "VirtualDiskFlatVer2BackingInfo")
                .text("fileName", QString())
                .text("diskMode", QStringLiteral("persistent"))
                .boolean("thinProvisioned", thin);
            if (!thin)
                w.boolean("eagerlyScrub", false);
            w.close("diskBackingInfo").close("disk");
        }
    }
    w.close("location");
    w.boolean("template", false);

    w.open("config");
    w.text("instanceUuid", uuid);
    if (!spec.annotation.isEmpty())
        w.text("annotation", spec.annotation);
    if (spec.cpus > 0) {
        w.number("numCPUs", spec.cpus);
        w.number("numCoresPerSocket", std::max(1, spec.coresPerSocket));
    }
    if (spec.memoryMiB > 0)
        w.number("memoryMB", spec.memoryMiB);

    const qsizetype reconnect = std::min(source.nics.size(), placement.nics.size());
    for (qsizetype i = 0; i < reconnect; ++i) {
        const TemplateHardware::Nic& nic = source.nics[i];
        w.open("deviceChange").text("operation", QStringLiteral("edit"));
        w.open("device", nic.deviceType.constData()).number("key", nic.key);
        if (!nic.label.isEmpty())
            w.open("deviceInfo").text("label", nic.label).text("summary", nic.summary).close("deviceInfo");
        ConfigSpecBuilder::writeNicBackingAndConnectable(w, placement.nics[i]);
        if (nic.controllerKey != 0)
            w.number("controllerKey", nic.controllerKey);
        if (nic.unitNumber >= 0)
            w.number("unitNumber", nic.unitNumber);
        w.text("addressType", QStringLiteral("generated"));
        w.close("device").close("deviceChange");
    }
    for (qsizetype i = reconnect; i < source.nics.size(); ++i) {
        w.open("deviceChange").text("operation", QStringLiteral("remove"));
        w.open("device", source.nics[i].deviceType.constData()).number("key", source.nics[i].key).close("device");
        w.close("deviceChange");
    }
    for (qsizetype i = reconnect; i < placement.nics.size(); ++i)
        ConfigSpecBuilder::writeAddNic(w, placement.nics[i], -300 - int(i));

    Result<QList<Slot>> places = diskSlots(w, source, int(spec.disks.size()));
    if (!places)
        return places.error();
    for (qsizetype i = 0; i < spec.disks.size(); ++i) {
        const Slot& s = places.value()[i];
        ConfigSpecBuilder::writeAddDisk(w, spec.disks[i], placement, -1000 - int(i), s.controllerKey, s.unit);
    }
    ConfigSpecBuilder::writeRequestKey(w, uuid);
    w.close("config");
    w.boolean("powerOn", false);
    return w.take();
}

} // namespace dcm::vsphere
