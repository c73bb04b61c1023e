#include "hypervisor/vsphere/ConfigSpecBuilder.h"
#include "hypervisor/vsphere/ReturnValueReader.h"
#include "hypervisor/vsphere/XmlPushParser.h"

#include <QTest>

using namespace dcm;
using namespace dcm::vsphere;

namespace {

Placement standardPlacement()
{
    Placement p;
    p.datastore = MoRef{QStringLiteral("Datastore"), QStringLiteral("datastore-1")};
    p.datastoreName = QStringLiteral("LocalDS_0");
    NicPlacement nic;
    nic.network = MoRef{QStringLiteral("Network"), QStringLiteral("network-7")};
    nic.networkName = QStringLiteral("VM Network");
    nic.adapterType = NicSpec::vmxnet3;
    p.nics = {nic};
    return p;
}

VmSpec fullSpec()
{
    VmSpec s;
    s.name = QStringLiteral("web <01> & co");
    s.cpus = 4;
    s.coresPerSocket = 2;
    s.memoryMiB = 4096;
    s.disks = {DiskSpec{10240, true}, DiskSpec{2048, false}};
    s.guestId = QStringLiteral("rhel9_64Guest");
    s.annotation = QStringLiteral("line 1\nline \"2\"");
    return s;
}

XmlValue parse(const QByteArray& fragment)
{
    const QByteArray doc = "<config xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance' "
                           "xmlns:xsd='http://www.w3.org/2001/XMLSchema'>" +
                           fragment + "</config>";
    ReturnValueReader reader;
    XmlPushParser parser(reader);
    if (!parser.feed(doc.constData(), doc.size()) || !parser.finish())
        qFatal("config spec is not well-formed: %s", qPrintable(parser.errorMessage()));
    return reader.values().front();
}

QList<const XmlValue*> devices(const XmlValue& config, const QByteArray& xsiType)
{
    QList<const XmlValue*> out;
    for (const XmlValue& c : config.children) {
        if (c.name == "deviceChange" && c.child("device")->xsiType == xsiType)
            out.append(&c);
    }
    return out;
}

} // namespace

class TestConfigSpecBuilder : public QObject
{
    Q_OBJECT
private slots:
    // vCenter validates the WSDL sequence: elements out of order are refused.
    void elementsFollowTheWsdlOrder()
    {
        const QUuid id = QUuid::createUuid();
        const XmlValue config = parse(ConfigSpecBuilder::build(fullSpec(), id, standardPlacement()));
        QList<QByteArray> order;
        for (const XmlValue& c : config.children) {
            if (order.isEmpty() || order.back() != c.name)
                order << c.name;
        }
        QCOMPARE(order, (QList<QByteArray>{"name", "instanceUuid", "guestId", "annotation", "files", "numCPUs",
                                           "numCoresPerSocket", "memoryMB", "deviceChange", "extraConfig"}));
        QCOMPARE(config.textAt("name"), fullSpec().name);
        QCOMPARE(config.textAt("annotation"), fullSpec().annotation);
        QCOMPARE(config.textAt("instanceUuid"), id.toString(QUuid::WithoutBraces));
        QCOMPARE(config.textAt("files.vmPathName"), QStringLiteral("[LocalDS_0]"));
        QCOMPARE(config.textAt("numCPUs"), QStringLiteral("4"));
        QCOMPARE(config.textAt("numCoresPerSocket"), QStringLiteral("2"));
        QCOMPARE(config.textAt("memoryMB"), QStringLiteral("4096"));
        QCOMPARE(config.textAt("guestId"), QStringLiteral("rhel9_64Guest"));
        const XmlValue* extra = config.child("extraConfig");
        QCOMPARE(extra->xsiType, QByteArray("OptionValue"));
        QCOMPARE(extra->textAt("key"), QStringLiteral("dcm.requestId"));
        QCOMPARE(extra->textAt("value"), id.toString(QUuid::WithoutBraces));
        QCOMPARE(extra->child("value")->xsiType, QByteArray("string"));
    }

    void disksAreThinOrThickWithTheirCapacity()
    {
        const XmlValue config = parse(ConfigSpecBuilder::build(fullSpec(), QUuid::createUuid(), standardPlacement()));
        const auto disks = devices(config, "VirtualDisk");
        QCOMPARE(disks.size(), 2);
        for (int i = 0; i < 2; ++i) {
            const XmlValue& change = *disks[i];
            QCOMPARE(change.textAt("operation"), QStringLiteral("add"));
            QCOMPARE(change.textAt("fileOperation"), QStringLiteral("create"));
            const XmlValue& disk = *change.child("device");
            QCOMPARE(disk.textAt("capacityInKB").toLongLong(), fullSpec().disks[i].sizeMiB * 1024);
            QCOMPARE(disk.textAt("capacityInBytes").toLongLong(), fullSpec().disks[i].sizeMiB * 1024 * 1024);
            QCOMPARE(disk.textAt("backing.thinProvisioned"),
                     fullSpec().disks[i].thin ? QStringLiteral("true") : QStringLiteral("false"));
            QCOMPARE(disk.textAt("backing.fileName"), QStringLiteral("[LocalDS_0]"));
            QCOMPARE(disk.textAt("controllerKey"), QStringLiteral("-100"));
            QCOMPARE(disk.textAt("unitNumber"), QString::number(i));
        }
        QCOMPARE(devices(config, "ParaVirtualSCSIController").size(), 1);
    }

    void moreThanFifteenDisksGetAnotherControllerAndSkipUnitSeven()
    {
        VmSpec s = fullSpec();
        s.disks = QList<DiskSpec>(16, DiskSpec{1024, true});
        const XmlValue config = parse(ConfigSpecBuilder::build(s, QUuid::createUuid(), standardPlacement()));
        const auto controllers = devices(config, "ParaVirtualSCSIController");
        QCOMPARE(controllers.size(), 2);
        QCOMPARE(controllers[1]->textAt("device.busNumber"), QStringLiteral("1"));
        const auto disks = devices(config, "VirtualDisk");
        QStringList units;
        for (const XmlValue* d : disks)
            units << d->textAt("device.controllerKey") + QLatin1Char(':') + d->textAt("device.unitNumber");
        QVERIFY(!units.contains(QStringLiteral("-100:7")));
        QCOMPARE(units[6], QStringLiteral("-100:6"));
        QCOMPARE(units[7], QStringLiteral("-100:8"));
        QCOMPARE(units[14], QStringLiteral("-100:15"));
        QCOMPARE(units[15], QStringLiteral("-101:0"));
    }

    void nicOnAStandardOrDistributedPortgroup()
    {
        XmlValue config = parse(ConfigSpecBuilder::build(fullSpec(), QUuid::createUuid(), standardPlacement()));
        auto nics = devices(config, "VirtualVmxnet3");
        QCOMPARE(nics.size(), 1);
        const XmlValue* backing = nics[0]->at("device.backing");
        QCOMPARE(backing->xsiType, QByteArray("VirtualEthernetCardNetworkBackingInfo"));
        QCOMPARE(backing->textAt("deviceName"), QStringLiteral("VM Network"));
        QCOMPARE(backing->child("network")->typeAttr, QByteArray("Network"));
        QCOMPARE(nics[0]->textAt("device.connectable.startConnected"), QStringLiteral("true"));

        Placement dv = standardPlacement();
        dv.nics[0].distributed = true;
        dv.nics[0].dvsUuid = QStringLiteral("50 2a 1e 4d");
        dv.nics[0].portgroupKey = QStringLiteral("dvportgroup-13");
        config = parse(ConfigSpecBuilder::build(fullSpec(), QUuid::createUuid(), dv));
        nics = devices(config, "VirtualVmxnet3");
        backing = nics[0]->at("device.backing");
        QCOMPARE(backing->xsiType, QByteArray("VirtualEthernetCardDistributedVirtualPortBackingInfo"));
        QCOMPARE(backing->textAt("port.switchUuid"), QStringLiteral("50 2a 1e 4d"));
        QCOMPARE(backing->textAt("port.portgroupKey"), QStringLiteral("dvportgroup-13"));
    }

    void oneAdapterPerNicWithItsType()
    {
        Placement p = standardPlacement();
        NicPlacement second = p.nics[0];
        second.adapterType = NicSpec::e1000e;
        second.distributed = true;
        second.dvsUuid = QStringLiteral("50 2a");
        second.portgroupKey = QStringLiteral("dvportgroup-13");
        p.nics.append(second);
        const XmlValue config = parse(ConfigSpecBuilder::build(fullSpec(), QUuid::createUuid(), p));
        const auto vmxnet3 = devices(config, "VirtualVmxnet3");
        const auto e1000e = devices(config, "VirtualE1000e");
        QCOMPARE(vmxnet3.size(), 1);
        QCOMPARE(e1000e.size(), 1);
        QCOMPARE(vmxnet3[0]->textAt("device.key"), QStringLiteral("-300"));
        QCOMPARE(e1000e[0]->textAt("device.key"), QStringLiteral("-301"));
        QCOMPARE(e1000e[0]->textAt("device.backing.port.portgroupKey"), QStringLiteral("dvportgroup-13"));
        QCOMPARE(e1000e[0]->textAt("device.addressType"), QStringLiteral("generated"));
    }

    void defaultsWhenLeftEmpty()
    {
        VmSpec s = fullSpec();
        s.guestId.clear();
        s.annotation.clear();
        s.disks.clear();
        const XmlValue config = parse(ConfigSpecBuilder::build(s, QUuid::createUuid(), standardPlacement()));
        QCOMPARE(config.textAt("guestId"), QStringLiteral("otherGuest64"));
        QVERIFY(!config.child("annotation"));
        QVERIFY(devices(config, "ParaVirtualSCSIController").isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestConfigSpecBuilder)
#include "TestConfigSpecBuilder.moc"
