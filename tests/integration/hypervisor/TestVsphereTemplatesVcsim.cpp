#include "VcsimDriver.h"

#include <QJsonArray>
#include <QTest>

#include "DomainQCompare.h"

using namespace dcm;

// clone(), customize(), operate() and readState*() against the simulator started with templates: what
// the adapter did is checked through the simulator's own VM list (GET /vms), and lost replies are
// checked to leave a state that readStateByKey reports as it is.
class TestVsphereTemplatesVcsim : public QObject
{
    Q_OBJECT

    VcsimProcess m_sim{
        QStringList{QStringLiteral("-ds"), QStringLiteral("2"), QStringLiteral("-templates"), QStringLiteral("1")}};
    std::unique_ptr<VcsimDriver> m_driver;
    int m_serial = 0;

    VmSpec cloneSpec(const QString& prefix)
    {
        VmSpec s;
        s.name = QStringLiteral("%1-%2").arg(prefix).arg(++m_serial);
        s.templateName = QStringLiteral("DC0_TMPL0");
        s.cpus = 0;
        s.memoryMiB = 0;
        s.datacenter = QStringLiteral("DC0");
        s.cluster = QStringLiteral("DC0_C0");
        s.datastore = QStringLiteral("LocalDS_0");
        s.nics = {NicSpec{QStringLiteral("VM Network")}};
        return s;
    }

    QJsonObject onlySimVm(const QString& name)
    {
        const QList<QJsonObject> vms = m_driver->simVms(name);
        if (vms.size() != 1)
            qWarning("expected exactly one VM named %s, found %lld", qPrintable(name), qlonglong(vms.size()));
        return vms.size() == 1 ? vms.front() : QJsonObject();
    }

    // A clone of the template, powered off; its moref.
    QString cloned(const VmSpec& s, const QUuid& id)
    {
        const Result<ProvisionOutcome> r = m_driver->clone(ProvisionOrder{id, s});
        if (!r.ok()) {
            qWarning("clone failed: %s", qPrintable(errorText(r)));
            return {};
        }
        return r.value().vm.ref;
    }

    VmState state(const QString& vmRef)
    {
        const Result<std::optional<VmState>> r = m_driver->readState(vmRef);
        if (!r.ok() || !r.value()) {
            qWarning("no state for %s: %s", qPrintable(vmRef), qPrintable(errorText(r)));
            return {};
        }
        return *r.value();
    }

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_sim.start(&error), qPrintable(error));
    }
    void init()
    {
        m_sim.reset();
        m_driver = std::make_unique<VcsimDriver>(m_sim);
        QVERIFY(m_driver->connect().ok());
    }
    void cleanup() { m_driver.reset(); }

    void inventoryListsTemplatesAndSavedSpecs()
    {
        const Result<InventorySnapshot> r =
            m_driver->inventory(InventoryKind::Templates | InventoryKind::CustomizationSpecs);
        QVERIFY2(r.ok(), qPrintable(errorText(r)));
        const InventorySnapshot& inv = r.value();
        QCOMPARE(inv.templates.size(), 1);
        const TemplateInfo& t = inv.templates.front();
        QCOMPARE(t.name, QStringLiteral("DC0_TMPL0"));
        QCOMPARE(t.path, QStringLiteral("/DC0/vm/DC0_TMPL0"));
        QVERIFY(t.ref.startsWith(QStringLiteral("vm-")));
        QVERIFY(t.isTemplate);
        QCOMPARE(t.guestId, QStringLiteral("ubuntu64Guest"));
        QCOMPARE(t.cpus, 2);
        QCOMPARE(t.memoryMiB, qint64(2048));
        QCOMPARE(t.diskSizesMiB, QList<qint64>{10240});
        QCOMPARE(t.nicNetworks, QStringList{QStringLiteral("VM Network")});
        QCOMPARE(t.datacenterRef, m_driver->inventory(InventoryKind::Datacenters).value().datacenters.front().ref);
        QVERIFY(inv.vms.isEmpty());      // not asked for
        QVERIFY(inv.networks.isEmpty()); // read to name portgroups, not returned

        QStringList specs;
        for (const CustomizationSpecInfo& c : inv.customizationSpecs)
            specs << c.name + u':' + c.type;
        QVERIFY2(specs.contains(QStringLiteral("vcsim-linux:Linux")), qPrintable(specs.join(u',')));
        QVERIFY(specs.contains(QStringLiteral("vcsim-linux-static:Linux")));
        QVERIFY(specs.contains(QStringLiteral("vcsim-windows-static:Windows")));
        QVERIFY(inv.customizationSpecs.front().lastUpdated.isValid());

        const InventorySnapshot vms = m_driver->inventory(InventoryKind::Vms).value();
        int templates = 0;
        for (const VmInfo& v : vms.vms) {
            QCOMPARE(v.isTemplate, v.name == QLatin1String("DC0_TMPL0"));
            templates += v.isTemplate ? 1 : 0;
        }
        QCOMPARE(templates, 1);
    }

    void cloneWithLinuxCustomizationThenPowerOn()
    {
        VmSpec s = cloneSpec(QStringLiteral("web"));
        s.cpus = 4;
        s.coresPerSocket = 2;
        s.memoryMiB = 4096;
        s.disks = {DiskSpec{2048, true}};
        s.cloneDiskFormat = QStringLiteral("thick");
        s.nics = {NicSpec{QStringLiteral("DC0_DVPG0")}, NicSpec{QStringLiteral("VM Network"), NicSpec::e1000e}};
        s.customization.mode = GuestCustomization::Mode::Linux;
        s.customization.hostName = QStringLiteral("web-01");
        s.customization.domain = QStringLiteral("example.test");
        s.customization.timeZone = QStringLiteral("Europe/Berlin");
        s.customization.nics = {NicAddress{false, QStringLiteral("10.0.0.10"), 24, QStringLiteral("10.0.0.1")},
                                NicAddress{}};
        s.customization.dnsServers = {QStringLiteral("10.0.0.2")};
        s.customization.dnsSuffixes = {QStringLiteral("example.test")};
        const QUuid id = QUuid::createUuid();
        QList<ProvisionProgress> progress;
        const Result<ProvisionOutcome> r = m_driver->clone(ProvisionOrder{id, s}, &progress);
        QVERIFY2(r.ok(), qPrintable(errorText(r)));
        QVERIFY(!r.value().poweredOn);
        QCOMPARE(r.value().vm.powerState, QStringLiteral("poweredOff"));
        QCOMPARE(r.value().vm.instanceUuid, id.toString(QUuid::WithoutBraces));
        QVERIFY(!progress.isEmpty());
        QCOMPARE(progress.back().stage, QStringLiteral("cloning"));
        QCOMPARE(progress.back().percent, 100);
        const QString vm = r.value().vm.ref;

        QJsonObject sim = onlySimVm(s.name);
        QCOMPARE(sim.value(QStringLiteral("instanceUuid")).toString(), id.toString(QUuid::WithoutBraces));
        QCOMPARE(sim.value(QStringLiteral("extraConfig")).toObject().value(QStringLiteral("dcm.requestId")).toString(),
                 id.toString(QUuid::WithoutBraces));
        QCOMPARE(sim.value(QStringLiteral("cpus")).toInt(), 4);
        QCOMPARE(sim.value(QStringLiteral("coresPerSocket")).toInt(), 2);
        QCOMPARE(sim.value(QStringLiteral("memoryMiB")).toInt(), 4096);
        QCOMPARE(sim.value(QStringLiteral("template")).toBool(), false);
        const QJsonArray disks = sim.value(QStringLiteral("disks")).toArray();
        QCOMPARE(disks.size(), 2);
        QCOMPARE(disks[0].toObject().value(QStringLiteral("capacityKiB")).toInteger(), qint64(10) * 1024 * 1024);
        QCOMPARE(disks[0].toObject().value(QStringLiteral("thin")).toBool(), false); // converted to thick
        QCOMPARE(disks[1].toObject().value(QStringLiteral("capacityKiB")).toInteger(), qint64(2048) * 1024);
        QCOMPARE(disks[1].toObject().value(QStringLiteral("thin")).toBool(), true);
        QCOMPARE(sim.value(QStringLiteral("networks")).toArray(),
                 (QJsonArray{QStringLiteral("DC0_DVPG0"), QStringLiteral("VM Network")}));

        VmState st = state(vm);
        QCOMPARE(st.vm.powerState, QStringLiteral("poweredOff"));
        QCOMPARE(st.requestId, id.toString(QUuid::WithoutBraces));
        QVERIFY(!st.isTemplate);
        QVERIFY(st.pendingCustomization.isEmpty());

        const Result<void> c = m_driver->customize(vm, s);
        QVERIFY2(c.ok(), qPrintable(errorText(c)));
        st = state(vm);
        QVERIFY(!st.pendingCustomization.isEmpty());
        QVERIFY(st.guestHostName.isEmpty());

        const Result<void> on = m_driver->operate(vm, VmOperation::PowerOn);
        QVERIFY2(on.ok(), qPrintable(errorText(on)));
        st = state(vm);
        QCOMPARE(st.vm.powerState, QStringLiteral("poweredOn"));
        QVERIFY(st.pendingCustomization.isEmpty());
        QCOMPARE(st.guestHostName, QStringLiteral("web-01"));
        QCOMPARE(st.ipAddress, QStringLiteral("10.0.0.10"));

        sim = onlySimVm(s.name);
        QCOMPARE(sim.value(QStringLiteral("customizationsAccepted")).toInt(), 1);
        QCOMPARE(sim.value(QStringLiteral("customizationsApplied")).toInt(), 1);
        QCOMPARE(sim.value(QStringLiteral("guestNicAddresses")).toArray(),
                 (QJsonArray{QStringLiteral("10.0.0.10"), QString()}));

        // A running VM is never customized again: vCenter refuses, with a code the service reads.
        const Result<void> again = m_driver->customize(vm, s);
        QVERIFY(!again.ok());
        QVERIFY2(again.error().is(ErrorCode::InvalidPowerState), qPrintable(errorText(again)));
        QCOMPARE(onlySimVm(s.name).value(QStringLiteral("customizationsAccepted")).toInt(), 1);
    }

    void savedSpecificationsAreSentAsSaved_data()
    {
        QTest::addColumn<QString>("specName");
        QTest::addColumn<QString>("hostPrefix");
        QTest::newRow("linux") << "vcsim-linux-static"
                               << "vcsim-";
        QTest::newRow("windows") << "vcsim-windows-static"
                                 << "";
    }
    void savedSpecificationsAreSentAsSaved()
    {
        QFETCH(QString, specName);
        QFETCH(QString, hostPrefix);
        VmSpec s = cloneSpec(QStringLiteral("saved"));
        s.customization.mode = GuestCustomization::Mode::SavedSpec;
        s.customization.specName = specName;
        const QString vm = cloned(s, QUuid::createUuid());
        QVERIFY(!vm.isEmpty());
        const Result<void> c = m_driver->customize(vm, s);
        QVERIFY2(c.ok(), qPrintable(errorText(c)));
        QVERIFY(!state(vm).pendingCustomization.isEmpty());
        QVERIFY(m_driver->operate(vm, VmOperation::PowerOn).ok());
        const VmState st = state(vm);
        QVERIFY(st.pendingCustomization.isEmpty());
        // Both saved specifications name the guest after a prefix or the VM, with a counter.
        const QString expected = hostPrefix.isEmpty() ? s.name + u'-' : hostPrefix;
        QVERIFY2(st.guestHostName.startsWith(expected), qPrintable(st.guestHostName));
        QCOMPARE(onlySimVm(s.name).value(QStringLiteral("customizationsApplied")).toInt(), 1);
    }

    void anUnknownSavedSpecIsABusinessErrorNamingIt()
    {
        VmSpec s = cloneSpec(QStringLiteral("nospec"));
        s.customization.mode = GuestCustomization::Mode::SavedSpec;
        s.customization.specName = QStringLiteral("no-such-spec");
        const QString vm = cloned(s, QUuid::createUuid());
        QVERIFY(!vm.isEmpty());
        const Result<void> c = m_driver->customize(vm, s);
        QVERIFY(!c.ok());
        QCOMPARE(c.error().kind, ErrorKind::Business);
        QCOMPARE(c.error().code, QStringLiteral("customization-spec-not-found"));
        QCOMPARE(c.error().details.value(QStringLiteral("field")).toString(), QStringLiteral("customization.specName"));
        QVERIFY(c.error().message.contains(QStringLiteral("no-such-spec")));
        QVERIFY(state(vm).pendingCustomization.isEmpty());
    }

    void anUnknownTemplateIsABusinessErrorNamingTheField()
    {
        VmSpec s = cloneSpec(QStringLiteral("notmpl"));
        s.templateName = QStringLiteral("no-such-template");
        const Result<ProvisionOutcome> r = m_driver->clone(ProvisionOrder{QUuid::createUuid(), s});
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, ErrorKind::Business);
        QCOMPARE(r.error().code, QStringLiteral("template-not-found"));
        QCOMPARE(r.error().details.value(QStringLiteral("field")).toString(), QStringLiteral("templateName"));
        QVERIFY(m_driver->simVms(s.name).isEmpty());
    }

    void aTemplateByPathAndAVmAsSource()
    {
        VmSpec s = cloneSpec(QStringLiteral("bypath"));
        s.templateName = QStringLiteral("/DC0/vm/DC0_TMPL0");
        QVERIFY(!cloned(s, QUuid::createUuid()).isEmpty());
        VmSpec fromVm = cloneSpec(QStringLiteral("fromvm"));
        fromVm.templateName = s.name; // an ordinary (powered-off) VM as the source
        const QUuid id = QUuid::createUuid();
        QVERIFY(!cloned(fromVm, id).isEmpty());
        QCOMPARE(m_driver->simVmsWithKey(id).size(), 1);
    }

    void everyPowerOperationAndDestroy()
    {
        VmSpec s = cloneSpec(QStringLiteral("power"));
        const QUuid id = QUuid::createUuid();
        const QString vm = cloned(s, id);
        QVERIFY(!vm.isEmpty());

        const Result<void> offWhenOff = m_driver->operate(vm, VmOperation::PowerOff);
        QVERIFY(!offWhenOff.ok());
        QVERIFY2(offWhenOff.error().is(ErrorCode::InvalidPowerState), qPrintable(errorText(offWhenOff)));

        QVERIFY(m_driver->operate(vm, VmOperation::PowerOn).ok());
        QCOMPARE(state(vm).vm.powerState, QStringLiteral("poweredOn"));
        const Result<void> onWhenOn = m_driver->operate(vm, VmOperation::PowerOn);
        QVERIFY(!onWhenOn.ok());
        QVERIFY(onWhenOn.error().is(ErrorCode::InvalidPowerState));

        QVERIFY(m_driver->operate(vm, VmOperation::Reset).ok());
        QCOMPARE(state(vm).vm.powerState, QStringLiteral("poweredOn"));
        const Result<void> shutdown = m_driver->operate(vm, VmOperation::ShutdownGuest);
        QVERIFY2(shutdown.ok(), qPrintable(errorText(shutdown)));
        QCOMPARE(state(vm).vm.powerState, QStringLiteral("poweredOff"));
        QVERIFY(m_driver->operate(vm, VmOperation::PowerOn).ok());
        QVERIFY(m_driver->operate(vm, VmOperation::PowerOff).ok());
        QCOMPARE(state(vm).vm.powerState, QStringLiteral("poweredOff"));

        QVERIFY(m_driver->operate(vm, VmOperation::Destroy).ok());
        QVERIFY(m_driver->simVmsWithKey(id).isEmpty());
        const Result<std::optional<VmState>> gone = m_driver->readState(vm);
        QVERIFY2(gone.ok(), qPrintable(errorText(gone)));
        QVERIFY(!gone.value().has_value());
        const Result<std::optional<VmState>> goneByKey = m_driver->readStateByKey(id);
        QVERIFY2(goneByKey.ok(), qPrintable(errorText(goneByKey)));
        QVERIFY(!goneByKey.value().has_value());

        // Destroying (or powering) a VM that is gone says so with a code of its own.
        for (VmOperation op : {VmOperation::Destroy, VmOperation::PowerOn}) {
            const Result<void> r = m_driver->operate(vm, op);
            QVERIFY(!r.ok());
            QVERIFY2(r.error().is(ErrorCode::VmGone), qPrintable(errorText(r)));
            QCOMPARE(r.error().kind, ErrorKind::Business);
        }
    }

    void rebootGuestIsSentAsIs()
    {
        // This simulator version has no RebootGuest: the call goes out and vCenter's refusal comes back
        // as a fault, never as success.
        const QString vm = cloned(cloneSpec(QStringLiteral("reboot")), QUuid::createUuid());
        QVERIFY(!vm.isEmpty());
        QVERIFY(m_driver->operate(vm, VmOperation::PowerOn).ok());
        m_sim.post(QStringLiteral("/stats/reset"));
        const Result<void> r = m_driver->operate(vm, VmOperation::RebootGuest);
        QCOMPARE(m_sim.stats().value(QStringLiteral("calls")).toObject().value(QStringLiteral("RebootGuest")).toInt(),
                 1);
        QVERIFY(!r.ok());
        QCOMPARE(state(vm).vm.powerState, QStringLiteral("poweredOn"));
    }

    void readStateByKeyOfAnUnknownKeyIsNothing()
    {
        const Result<std::optional<VmState>> r = m_driver->readStateByKey(QUuid::createUuid());
        QVERIFY2(r.ok(), qPrintable(errorText(r)));
        QVERIFY(!r.value().has_value());
    }

    void lostRepliesLeaveAStateThatIsReadBack()
    {
        VmSpec s = cloneSpec(QStringLiteral("lost"));
        s.customization.mode = GuestCustomization::Mode::Linux;
        s.customization.hostName = QStringLiteral("lost-01");
        s.customization.domain = QStringLiteral("example.test");
        s.customization.nics = {NicAddress{false, QStringLiteral("10.1.0.5"), 16, {}}};
        const QUuid id = QUuid::createUuid();
        m_sim.post(QStringLiteral("/stats/reset"));

        auto drop = [this](const char* method) {
            m_sim.post(QStringLiteral("/drop"), QJsonObject{{QStringLiteral("method"), QLatin1String(method)}});
        };
        auto byKey = [this, id]() -> VmState {
            const Result<std::optional<VmState>> r = m_driver->readStateByKey(id);
            if (!r.ok() || !r.value())
                return {};
            return *r.value();
        };

        drop("CloneVM_Task");
        const Result<ProvisionOutcome> c = m_driver->clone(ProvisionOrder{id, s});
        QVERIFY(!c.ok());
        QCOMPARE(c.error().kind, ErrorKind::OutcomeUnknown);
        QCOMPARE(m_driver->simVmsWithKey(id).size(), 1);
        VmState st = byKey();
        const QString vm = st.vm.ref;
        QVERIFY(!vm.isEmpty());
        QCOMPARE(st.requestId, id.toString(QUuid::WithoutBraces));
        QCOMPARE(st.vm.powerState, QStringLiteral("poweredOff"));
        QVERIFY(st.pendingCustomization.isEmpty());

        drop("CustomizeVM_Task");
        const Result<void> cu = m_driver->customize(vm, s);
        QVERIFY(!cu.ok());
        QCOMPARE(cu.error().kind, ErrorKind::OutcomeUnknown);
        QVERIFY(!byKey().pendingCustomization.isEmpty());

        drop("PowerOnVM_Task");
        const Result<void> on = m_driver->operate(vm, VmOperation::PowerOn);
        QVERIFY(!on.ok());
        QCOMPARE(on.error().kind, ErrorKind::OutcomeUnknown);
        st = byKey();
        QCOMPARE(st.vm.powerState, QStringLiteral("poweredOn"));
        QVERIFY(st.pendingCustomization.isEmpty());
        QCOMPARE(st.guestHostName, QStringLiteral("lost-01"));
        QCOMPARE(st.ipAddress, QStringLiteral("10.1.0.5"));

        drop("PowerOffVM_Task");
        const Result<void> off = m_driver->operate(vm, VmOperation::PowerOff);
        QVERIFY(!off.ok());
        QCOMPARE(off.error().kind, ErrorKind::OutcomeUnknown);
        QCOMPARE(byKey().vm.powerState, QStringLiteral("poweredOff"));

        drop("Destroy_Task");
        const Result<void> destroy = m_driver->operate(vm, VmOperation::Destroy);
        QVERIFY(!destroy.ok());
        QCOMPARE(destroy.error().kind, ErrorKind::OutcomeUnknown);
        const Result<std::optional<VmState>> gone = m_driver->readStateByKey(id);
        QVERIFY2(gone.ok(), qPrintable(errorText(gone)));
        QVERIFY(!gone.value().has_value());

        const QJsonObject calls = m_sim.stats().value(QStringLiteral("calls")).toObject();
        for (const char* method :
             {"CloneVM_Task", "CustomizeVM_Task", "PowerOnVM_Task", "PowerOffVM_Task", "Destroy_Task"})
            QCOMPARE(calls.value(QLatin1String(method)).toInt(), 1); // never re-sent
    }
};

QTEST_GUILESS_MAIN(TestVsphereTemplatesVcsim)
#include "TestVsphereTemplatesVcsim.moc"
