#include "TemplateHardware.h"

namespace dcm::vsphere {

namespace {
int intAt(const XmlValue& v, std::string_view name, int fallback, bool* ok = nullptr)
{
    const XmlValue* c = v.child(name);
    bool good = false;
    const qint64 n = c ? c->toLong(&good) : 0;
    const bool inRange = good && n >= std::numeric_limits<int>::min() && n <= std::numeric_limits<int>::max();
    if (ok)
        *ok = inRange;
    return inRange ? int(n) : fallback;
}
} // namespace

bool TemplateHardware::isNicType(const QByteArray& t)
{
    return t == "VirtualVmxnet3" || t == "VirtualVmxnet2" || t == "VirtualVmxnet" || t == "VirtualE1000" ||
           t == "VirtualE1000e" || t == "VirtualPCNet32" || t == "VirtualSriovEthernetCard" ||
           t == "VirtualVmxnet3Vrdma";
}

bool TemplateHardware::isScsiControllerType(const QByteArray& t)
{
    return t == "ParaVirtualSCSIController" || t == "VirtualLsiLogicController" ||
           t == "VirtualLsiLogicSASController" || t == "VirtualBusLogicController";
}

TemplateHardware TemplateHardware::fromDevices(const XmlValue* deviceArray)
{
    TemplateHardware hw;
    if (!deviceArray)
        return hw;
    for (const XmlValue& d : deviceArray->children) {
        bool keyOk = false;
        const int key = intAt(d, "key", 0, &keyOk);
        if (!keyOk)
            continue;
        if (isScsiControllerType(d.xsiType)) {
            hw.scsiControllers.append(Controller{key, intAt(d, "busNumber", 0)});
        } else if (d.xsiType == "VirtualDisk") {
            Disk disk;
            disk.key = key;
            disk.controllerKey = intAt(d, "controllerKey", 0);
            disk.unitNumber = intAt(d, "unitNumber", -1);
            bool ok = false;
            const XmlValue* bytes = d.child("capacityInBytes");
            const qint64 b = bytes ? bytes->toLong(&ok) : 0;
            if (ok && b > 0) {
                disk.capacityKiB = b / 1024;
            } else if (const XmlValue* kb = d.child("capacityInKB")) {
                disk.capacityKiB = std::max<qint64>(0, kb->toLong());
            }
            hw.disks.append(disk);
        } else if (isNicType(d.xsiType)) {
            Nic nic;
            nic.key = key;
            nic.deviceType = d.xsiType;
            nic.controllerKey = intAt(d, "controllerKey", 0);
            nic.unitNumber = intAt(d, "unitNumber", -1);
            nic.label = d.textAt("deviceInfo.label");
            nic.summary = d.textAt("deviceInfo.summary");
            if (const XmlValue* backing = d.child("backing")) {
                nic.networkName = backing->textAt("deviceName");
                nic.portgroupKey = backing->textAt("port.portgroupKey");
            }
            hw.nics.append(nic);
        }
    }
    return hw;
}

} // namespace dcm::vsphere
