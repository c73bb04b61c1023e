#pragma once

#include "XmlValue.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace dcm::vsphere {

// What a clone needs to know of its source's devices (config.hardware.device): the SCSI controllers
// and the units their disks take (to add data disks after them), the disks (to convert their format)
// and the NICs in device order (to reconnect them). Read from an untrusted reply: devices that lack a
// key are skipped, never guessed.
struct TemplateHardware
{
    struct Controller
    {
        int key = 0;
        int busNumber = 0;
    };
    struct Disk
    {
        int key = 0;
        int controllerKey = 0;
        int unitNumber = -1;
        qint64 capacityKiB = 0;
    };
    struct Nic
    {
        int key = 0;
        QByteArray deviceType; // "VirtualVmxnet3", "VirtualE1000", ...
        int controllerKey = 0;
        int unitNumber = -1;
        QString networkName;  // standard portgroup: the backing's deviceName
        QString portgroupKey; // distributed portgroup: the port's portgroupKey
        QString label;        // deviceInfo, echoed in an edit as clients do with the device they read
        QString summary;
    };

    QList<Controller> scsiControllers;
    QList<Disk> disks;
    QList<Nic> nics;

    static TemplateHardware fromDevices(const XmlValue* deviceArray);
    static bool isNicType(const QByteArray& xsiType);
    static bool isScsiControllerType(const QByteArray& xsiType);
};

} // namespace dcm::vsphere
