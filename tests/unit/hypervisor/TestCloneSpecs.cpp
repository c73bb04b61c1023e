#include "hypervisor/vsphere/CloneSpecBuilder.h"
#include "hypervisor/vsphere/CustomizationSpecBuilder.h"
#include "hypervisor/vsphere/InventoryBuilder.h"
#include "hypervisor/vsphere/ReadStateOperation.h"
#include "hypervisor/vsphere/ReturnValueReader.h"
#include "hypervisor/vsphere/TemplateHardware.h"
#include "hypervisor/vsphere/XmlPushParser.h"

#include <QTest>

using namespace dcm;
using namespace dcm::vsphere;

namespace {

// Parses a fragment inside one element, as vCenter would read it; nullopt when not well-formed.
std::optional<XmlValue> parse(const QByteArray& fragment)
{
    const QByteArray doc = "<root xmlns='urn:vim25' xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance' "
                           "xmlns:xsd='http://www.w3.org/2001/XMLSchema'>" +
                           fragment + "</root>";
    ReturnValueReader reader;
    XmlPushParser parser(reader);
    if (!parser.feed(doc.constData(), doc.size()) || !parser.finish() || reader.values().empty())
        return std::nullopt;
    return reader.values().front();
}

// The one element of a fragment.
std::optional<XmlValue> parseOne(const QByteArray& element)
{
    std::optional<XmlValue> root = parse(element);
    if (!root || root->children.size() != 1)
        return std::nullopt;
    return root->children.front();
}

QStringList names(const XmlValue& v)
{
    QStringList out;
    for (const XmlValue& c : v.children)
        out << QString::fromUtf8(c.name);
    return out;
}

QList<const XmlValue*> all(const XmlValue& v, std::string_view name)
{
    QList<const XmlValue*> out;
    for (const XmlValue& c : v.children) {
        if (std::string_view(c.name.constData(), size_t(c.name.size())) == name)
            out.append(&c);
    }
    return out;
}

// A template as vcsim reports it: one paravirtual controller (bus 0) with the system disk on unit 0,
// one vmxnet3 NIC on a standard portgroup.
TemplateHardware templateHardware()
{
    const std::optional<XmlValue> devices = parseOne(
        "<val xsi:type='ArrayOfVirtualDevice'>"
        "<VirtualDevice xsi:type='ParaVirtualSCSIController'><key>1000</key><busNumber>0</busNumber></VirtualDevice>"
        "<VirtualDevice xsi:type='VirtualDisk'><key>2000</key><controllerKey>1000</controllerKey>"
        "<unitNumber>0</unitNumber><capacityInKB>10485760</capacityInKB>"
        "<capacityInBytes>10737418240</capacityInBytes></VirtualDevice>"
        "<VirtualDevice xsi:type='VirtualVmxnet3'><key>4000</key><deviceInfo><label>Network adapter 1</label>"
        "<summary>VM Network</summary></deviceInfo><backing xsi:type='VirtualEthernetCardNetworkBackingInfo'>"
        "<deviceName>VM Network</deviceName></backing><controllerKey>100</controllerKey><unitNumber>7</unitNumber>"
        "</VirtualDevice>"
        "<VirtualDevice xsi:type='VirtualIDEController'><key>200</key></VirtualDevice>"
        "</val>");
    return TemplateHardware::fromDevices(devices ? &*devices : nullptr);
}

Placement placement(int nics)
{
    Placement p;
    p.datastore = MoRef{QStringLiteral("Datastore"), QStringLiteral("datastore-1")};
    p.datastoreName = QStringLiteral("LocalDS_0");
    p.pool = MoRef{QStringLiteral("ResourcePool"), QStringLiteral("resgroup-9")};
    for (int i = 0; i < nics; ++i) {
        NicPlacement n;
        n.network = MoRef{QStringLiteral("DistributedVirtualPortgroup"), QStringLiteral("dvportgroup-%1").arg(i)};
        n.networkName = QStringLiteral("pg-%1").arg(i);
        n.distributed = true;
        n.dvsUuid = QStringLiteral("50 2a");
        n.portgroupKey = n.network.value;
        n.adapterType = i == 1 ? NicSpec::e1000e : NicSpec::vmxnet3;
        p.nics.append(n);
    }
    return p;
}

VmSpec cloneSpec()
{
    VmSpec s;
    s.name = QStringLiteral("web-01");
    s.templateName = QStringLiteral("tmpl");
    s.cpus = 4;
    s.coresPerSocket = 2;
    s.memoryMiB = 4096;
    s.disks = {DiskSpec{2048, true}, DiskSpec{1024, false}};
    s.cloneDiskFormat = QStringLiteral("thin");
    return s;
}

} // namespace

class TestCloneSpecs : public QObject
{
    Q_OBJECT
private slots:
    void templateHardwareReadsControllersDisksAndNics()
    {
        const TemplateHardware hw = templateHardware();
        QCOMPARE(hw.scsiControllers.size(), 1);
        QCOMPARE(hw.disks.size(), 1);
        QCOMPARE(hw.disks[0].capacityKiB, qint64(10485760));
        QCOMPARE(hw.nics.size(), 1);
        QCOMPARE(hw.nics[0].deviceType, QByteArray("VirtualVmxnet3"));
        QCOMPARE(hw.nics[0].networkName, QStringLiteral("VM Network"));
        QCOMPARE(hw.nics[0].label, QStringLiteral("Network adapter 1"));
    }

    void hostileDevicesAreSkippedNotGuessed()
    {
        const std::optional<XmlValue> devices =
            parseOne("<val><VirtualDevice xsi:type='VirtualDisk'><controllerKey>1</controllerKey></VirtualDevice>"
                     "<VirtualDevice xsi:type='VirtualDisk'><key>99999999999999999999</key></VirtualDevice>"
                     "<VirtualDevice xsi:type='VirtualDisk'><key>7</key><capacityInBytes>x</capacityInBytes>"
                     "<capacityInKB>-5</capacityInKB></VirtualDevice>"
                     "<VirtualDevice xsi:type='VirtualE1000'><key>8</key></VirtualDevice></val>");
        QVERIFY(devices);
        const TemplateHardware hw = TemplateHardware::fromDevices(&*devices);
        QCOMPARE(hw.disks.size(), 1); // the two without a usable key are dropped
        QCOMPARE(hw.disks[0].key, 7);
        QCOMPARE(hw.disks[0].capacityKiB, qint64(0));
        QCOMPARE(hw.disks[0].unitNumber, -1);
        QCOMPARE(hw.nics.size(), 1);
        QVERIFY(hw.nics[0].networkName.isEmpty());
        QVERIFY(TemplateHardware::fromDevices(nullptr).disks.isEmpty());
    }

    void cloneSpecFollowsTheWsdlOrder()
    {
        const Result<QByteArray> xml =
            CloneSpecBuilder::build(cloneSpec(), QUuid::createUuid(), placement(2), templateHardware());
        QVERIFY(xml.ok());
        const std::optional<XmlValue> spec = parse(xml.value());
        QVERIFY(spec);
        QCOMPARE(names(*spec), (QStringList{"location", "template", "config", "powerOn"}));
        QCOMPARE(spec->textAt("template"), QStringLiteral("false"));
        QCOMPARE(spec->textAt("powerOn"), QStringLiteral("false"));
        QVERIFY(!spec->child("customization")); // a step of its own
        QCOMPARE(names(*spec->child("location")), (QStringList{"datastore", "pool", "disk"}));
        const QStringList config = names(*spec->child("config"));
        QCOMPARE(config.front(), QStringLiteral("instanceUuid"));
        QCOMPARE(config.mid(1, 3), (QStringList{"numCPUs", "numCoresPerSocket", "memoryMB"}));
        QCOMPARE(config.back(), QStringLiteral("extraConfig"));
    }

    void cloneCarriesTheKeyHardwareAndNics()
    {
        const QUuid id = QUuid::createUuid();
        const QString key = id.toString(QUuid::WithoutBraces);
        const std::optional<XmlValue> spec =
            parse(CloneSpecBuilder::build(cloneSpec(), id, placement(2), templateHardware()).value());
        QVERIFY(spec);
        const XmlValue& config = *spec->child("config");
        QCOMPARE(config.textAt("instanceUuid"), key);
        QCOMPARE(config.textAt("extraConfig.key"), QStringLiteral("dcm.requestId"));
        QCOMPARE(config.textAt("extraConfig.value"), key);
        QCOMPARE(config.textAt("numCPUs"), QStringLiteral("4"));
        QCOMPARE(config.textAt("memoryMB"), QStringLiteral("4096"));

        const QList<const XmlValue*> changes = all(config, "deviceChange");
        QStringList ops;
        for (const XmlValue* c : changes)
            ops << c->textAt("operation") + u':' + QString::fromUtf8(c->child("device")->xsiType) + u':' +
                       c->textAt("device.key");
        // The template's NIC reconnected, the second NIC added with its type, disks on free units.
        QCOMPARE(ops, (QStringList{"edit:VirtualVmxnet3:4000", "add:VirtualE1000e:-301", "add:VirtualDisk:-1000",
                                   "add:VirtualDisk:-1001"}));
        QCOMPARE(changes[0]->textAt("device.backing.port.portgroupKey"), QStringLiteral("dvportgroup-0"));
        QCOMPARE(changes[0]->textAt("device.deviceInfo.label"), QStringLiteral("Network adapter 1"));
        QCOMPARE(changes[1]->textAt("device.backing.port.portgroupKey"), QStringLiteral("dvportgroup-1"));
        QCOMPARE(changes[2]->textAt("device.controllerKey"), QStringLiteral("1000"));
        QCOMPARE(changes[2]->textAt("device.unitNumber"), QStringLiteral("1"));
        QCOMPARE(changes[3]->textAt("device.unitNumber"), QStringLiteral("2"));
        QCOMPARE(changes[3]->textAt("device.backing.thinProvisioned"), QStringLiteral("false"));

        const XmlValue* disk = spec->child("location")->child("disk");
        QCOMPARE(disk->textAt("diskId"), QStringLiteral("2000"));
        QCOMPARE(disk->textAt("diskBackingInfo.thinProvisioned"), QStringLiteral("true"));
    }

    void zeroMeansAsTheTemplateAndExtraTemplateNicsGo()
    {
        VmSpec s = cloneSpec();
        s.cpus = 0;
        s.memoryMiB = 0;
        s.disks.clear();
        s.cloneDiskFormat.clear();
        TemplateHardware hw = templateHardware();
        TemplateHardware::Nic second = hw.nics.front();
        second.key = 4001;
        hw.nics.append(second);
        const std::optional<XmlValue> spec =
            parse(CloneSpecBuilder::build(s, QUuid::createUuid(), placement(1), hw).value());
        QVERIFY(spec);
        const XmlValue& config = *spec->child("config");
        QVERIFY(!config.child("numCPUs"));
        QVERIFY(!config.child("memoryMB"));
        QVERIFY(!spec->child("location")->child("disk"));
        const QList<const XmlValue*> changes = all(config, "deviceChange");
        QCOMPARE(changes.size(), 2);
        QCOMPARE(changes[1]->textAt("operation"), QStringLiteral("remove"));
        QCOMPARE(changes[1]->textAt("device.key"), QStringLiteral("4001"));
    }

    void disksBeyondTheControllersGetNewOnesOrAClearError()
    {
        VmSpec s = cloneSpec();
        s.disks = QList<DiskSpec>(20, DiskSpec{1024, true});
        const std::optional<XmlValue> spec =
            parse(CloneSpecBuilder::build(s, QUuid::createUuid(), placement(1), templateHardware()).value());
        QVERIFY(spec);
        int controllers = 0;
        for (const XmlValue* c : all(*spec->child("config"), "deviceChange")) {
            if (c->child("device")->xsiType == "ParaVirtualSCSIController") {
                ++controllers;
                QCOMPARE(c->textAt("device.busNumber"), QStringLiteral("1")); // bus 0 is the template's
            }
        }
        QCOMPARE(controllers, 1);

        s.disks = QList<DiskSpec>(60, DiskSpec{1024, true});
        const Result<QByteArray> tooMany =
            CloneSpecBuilder::build(s, QUuid::createUuid(), placement(1), templateHardware());
        QVERIFY(!tooMany.ok());
        QCOMPARE(tooMany.error().details.value(QStringLiteral("field")).toString(), QStringLiteral("disks"));
    }

    void linuxCustomizationSpec()
    {
        GuestCustomization c;
        c.mode = GuestCustomization::Mode::Linux;
        c.hostName = QStringLiteral("web-01");
        c.domain = QStringLiteral("example.test");
        c.timeZone = QStringLiteral("Europe/Berlin");
        c.nics = {NicAddress{false, QStringLiteral("10.0.0.10"), 23, QStringLiteral("10.0.0.1")}};
        c.dnsServers = {QStringLiteral("10.0.0.2"), QStringLiteral("10.0.0.3")};
        c.dnsSuffixes = {QStringLiteral("example.test")};
        const std::optional<XmlValue> spec = parse(CustomizationSpecBuilder::forLinux(c, 2));
        QVERIFY(spec);
        QCOMPARE(names(*spec),
                 (QStringList{"options", "identity", "globalIPSettings", "nicSettingMap", "nicSettingMap"}));
        const XmlValue& identity = *spec->child("identity");
        QCOMPARE(identity.xsiType, QByteArray("CustomizationLinuxPrep"));
        QCOMPARE(names(identity), (QStringList{"hostName", "domain", "timeZone"}));
        QCOMPARE(identity.child("hostName")->xsiType, QByteArray("CustomizationFixedName"));
        QCOMPARE(identity.textAt("hostName.name"), QStringLiteral("web-01"));
        QCOMPARE(names(*spec->child("globalIPSettings")),
                 (QStringList{"dnsSuffixList", "dnsServerList", "dnsServerList"}));
        const QList<const XmlValue*> nics = all(*spec, "nicSettingMap");
        QCOMPARE(nics[0]->child("adapter")->child("ip")->xsiType, QByteArray("CustomizationFixedIp"));
        QCOMPARE(nics[0]->textAt("adapter.ip.ipAddress"), QStringLiteral("10.0.0.10"));
        QCOMPARE(nics[0]->textAt("adapter.subnetMask"), QStringLiteral("255.255.254.0"));
        QCOMPARE(nics[0]->textAt("adapter.gateway"), QStringLiteral("10.0.0.1"));
        // A NIC without typed settings uses DHCP: vCenter wants one entry per NIC.
        QCOMPARE(nics[1]->child("adapter")->child("ip")->xsiType, QByteArray("CustomizationDhcpIpGenerator"));
        QVERIFY(!nics[1]->child("adapter")->child("subnetMask"));
    }

    void typedTextIsEscaped()
    {
        GuestCustomization c;
        c.mode = GuestCustomization::Mode::Linux;
        c.hostName = QStringLiteral("a<b>&\"c");
        const std::optional<XmlValue> spec = parse(CustomizationSpecBuilder::forLinux(c, 1));
        QVERIFY(spec);
        QCOMPARE(spec->textAt("identity.hostName.name"), c.hostName);
    }

    void subnetMasks()
    {
        QCOMPARE(CustomizationSpecBuilder::subnetMask(0), QStringLiteral("0.0.0.0"));
        QCOMPARE(CustomizationSpecBuilder::subnetMask(8), QStringLiteral("255.0.0.0"));
        QCOMPARE(CustomizationSpecBuilder::subnetMask(25), QStringLiteral("255.255.255.128"));
        QCOMPARE(CustomizationSpecBuilder::subnetMask(32), QStringLiteral("255.255.255.255"));
    }

    void aSavedSpecIsWrittenBackAsItCame()
    {
        const std::optional<XmlValue> item = parseOne(
            "<returnval><info><name>win</name></info><spec>"
            "<options xsi:type='CustomizationWinOptions'><changeSID>true</changeSID></options>"
            "<identity xsi:type='CustomizationSysprep'><guiUnattended><password><value>c2VjcmV0</value>"
            "<plainText>false</plainText></password><timeZone>85</timeZone></guiUnattended></identity>"
            "<globalIPSettings/><nicSettingMap><adapter><ip xsi:type='CustomizationDhcpIpGenerator'/></adapter>"
            "</nicSettingMap><encryptionKey>AQID</encryptionKey></spec></returnval>");
        QVERIFY(item);
        const Result<QByteArray> xml = CustomizationSpecBuilder::fromSaved(*item->child("spec"));
        QVERIFY(xml.ok());
        const std::optional<XmlValue> again = parse(xml.value());
        QVERIFY(again);
        QCOMPARE(names(*again),
                 (QStringList{"options", "identity", "globalIPSettings", "nicSettingMap", "encryptionKey"}));
        QCOMPARE(again->child("identity")->xsiType, QByteArray("CustomizationSysprep"));
        QCOMPARE(again->textAt("identity.guiUnattended.password.value"), QStringLiteral("c2VjcmV0"));
        QCOMPARE(again->textAt("encryptionKey"), QStringLiteral("AQID"));
    }

    void aHostileSavedSpecIsRefused()
    {
        const std::optional<XmlValue> noIdentity = parseOne("<spec><options/></spec>");
        QVERIFY(noIdentity);
        QVERIFY(!CustomizationSpecBuilder::fromSaved(*noIdentity).ok());
        XmlValue odd = *parseOne("<spec><identity xsi:type='CustomizationLinuxPrep'/></spec>");
        odd.children.front().name = "identity foo=\"x\"";
        QVERIFY(!CustomizationSpecBuilder::fromSaved(odd).ok());
        odd.children.front().name = "identity";
        odd.children.front().xsiType = "x\" onload=\"y";
        QVERIFY(!CustomizationSpecBuilder::fromSaved(odd).ok());
    }

    void stateFromAReplyObject()
    {
        ObjectContent o;
        o.obj = MoRef{QStringLiteral("VirtualMachine"), QStringLiteral("vm-7")};
        auto leaf = [](const char* text) {
            XmlValue v;
            v.text = text;
            return v;
        };
        o.props.emplace_back("runtime.powerState", leaf("poweredOn"));
        o.props.emplace_back("config.template", leaf("false"));
        o.props.emplace_back("config.tools.pendingCustomization", leaf("imcf-1"));
        o.props.emplace_back("guest.hostName", leaf("web-01"));
        const std::optional<XmlValue> extra =
            parseOne("<val><OptionValue><key>other</key><value>x</value></OptionValue>"
                     "<OptionValue><key>dcm.requestId</key><value> 3d9f1a6e </value></OptionValue></val>");
        o.props.emplace_back("config.extraConfig", *extra);
        const VmState s = ReadStateOperation::toState(o);
        QCOMPARE(s.vm.ref, QStringLiteral("vm-7"));
        QCOMPARE(s.vm.powerState, QStringLiteral("poweredOn"));
        QVERIFY(!s.isTemplate);
        QCOMPARE(s.requestId, QStringLiteral("3d9f1a6e"));
        QCOMPARE(s.pendingCustomization, QStringLiteral("imcf-1"));
        QCOMPARE(s.guestHostName, QStringLiteral("web-01"));
        QVERIFY(s.ipAddress.isEmpty()); // not reported (yet): empty, never invented

        ObjectContent bare;
        bare.obj = o.obj;
        const VmState empty = ReadStateOperation::toState(bare);
        QVERIFY(empty.requestId.isEmpty() && empty.vm.powerState.isEmpty() && !empty.isTemplate);
    }

    void customizationSpecInfoFromTheManager()
    {
        ObjectContent o;
        o.obj = MoRef{QStringLiteral("CustomizationSpecManager"), QStringLiteral("CustomizationSpecManager")};
        o.props.emplace_back(
            "info", *parseOne("<val><CustomizationSpecInfo><name>b</name><type>Windows</type>"
                              "<lastUpdateTime>2026-01-02T03:04:05.123Z</lastUpdateTime></CustomizationSpecInfo>"
                              "<CustomizationSpecInfo><type>Linux</type></CustomizationSpecInfo>"
                              "<CustomizationSpecInfo><name>a</name><type>Linux</type><description>d</description>"
                              "<lastUpdateTime>garbage</lastUpdateTime></CustomizationSpecInfo></val>"));
        const QList<CustomizationSpecInfo> specs = InventoryBuilder::customizationSpecs(o);
        QCOMPARE(specs.size(), 2); // the nameless one is dropped
        QCOMPARE(specs[0].name, QStringLiteral("a"));
        QCOMPARE(specs[0].description, QStringLiteral("d"));
        QVERIFY(!specs[0].lastUpdated.isValid());
        QCOMPARE(specs[1].type, QStringLiteral("Windows"));
        QCOMPARE(specs[1].lastUpdated, QDateTime(QDate(2026, 1, 2), QTime(3, 4, 5, 123), Qt::UTC));
        QVERIFY(InventoryBuilder::customizationSpecs(ObjectContent()).isEmpty());
    }

    void templateDetailsNameDistributedPortgroups()
    {
        ObjectContent o;
        o.obj = MoRef{QStringLiteral("VirtualMachine"), QStringLiteral("vm-9")};
        o.props.emplace_back(
            "config.hardware.device",
            *parseOne("<val><VirtualDevice xsi:type='VirtualE1000e'><key>4000</key>"
                      "<backing xsi:type='VirtualEthernetCardDistributedVirtualPortBackingInfo'><port>"
                      "<portgroupKey>dvportgroup-14</portgroupKey></port></backing></VirtualDevice>"
                      "<VirtualDevice xsi:type='VirtualDisk'><key>2000</key><capacityInKB>2097152</capacityInKB>"
                      "</VirtualDevice></val>"));
        NetworkInfo pg;
        pg.name = QStringLiteral("DC0_DVPG0");
        pg.distributed = true;
        pg.portgroupKey = QStringLiteral("dvportgroup-14");
        TemplateInfo t;
        InventoryBuilder::fillTemplate(t, o, {pg});
        QCOMPARE(t.nicNetworks, QStringList{QStringLiteral("DC0_DVPG0")});
        QCOMPARE(t.diskSizesMiB, QList<qint64>{2048});
        InventoryBuilder::fillTemplate(t, o, {});
        QCOMPARE(t.nicNetworks, QStringList{QStringLiteral("dvportgroup-14")}); // unknown: its key, not a guess
    }
};

QTEST_GUILESS_MAIN(TestCloneSpecs)
#include "TestCloneSpecs.moc"
