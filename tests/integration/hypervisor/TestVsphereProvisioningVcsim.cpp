#include "VcsimDriver.h"

#include <QJsonArray>
#include <QTest>

#include "DomainQCompare.h"

using namespace dcm;

// provision() and findByRequestKey() against the simulator: what is created is read back through the
// simulator's own VM list; a lost reply is reconciled to exactly one VM.
class TestVsphereProvisioningVcsim : public QObject
{
    Q_OBJECT

    VcsimProcess m_sim{QStringList{QStringLiteral("-ds"), QStringLiteral("2")}};
    std::unique_ptr<VcsimDriver> m_driver;
    int m_serial = 0;

    VmSpec spec(const QString& prefix)
    {
        VmSpec s;
        s.name = QStringLiteral("%1-%2").arg(prefix).arg(++m_serial);
        s.cpus = 2;
        s.memoryMiB = 1024;
        s.disks = {DiskSpec{4096, true}};
        s.datacenter = QStringLiteral("DC0");
        s.cluster = QStringLiteral("DC0_C0");
        s.datastore = QStringLiteral("LocalDS_0");
        s.nics = {dcm::NicSpec{QStringLiteral("VM Network")}};
        return s;
    }

    QJsonObject onlySimVm(const QString& name)
    {
        const QList<QJsonObject> vms = m_driver->simVms(name);
        if (vms.size() != 1)
            qWarning("expected exactly one VM named %s, found %lld", qPrintable(name), qlonglong(vms.size()));
        return vms.size() == 1 ? vms.front() : QJsonObject();
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
        m_sim.post(QStringLiteral("/stats/reset"));
        m_driver = std::make_unique<VcsimDriver>(m_sim);
        QVERIFY(m_driver->connect().ok());
    }
    void cleanup() { m_driver.reset(); }

    void everyFieldReadsBack()
    {
        const InventorySnapshot inv = m_driver->inventory().value();
        VmSpec s = spec(QStringLiteral("full"));
        s.cpus = 4;
        s.coresPerSocket = 2;
        s.memoryMiB = 3072;
        s.disks = {DiskSpec{10240, true}, DiskSpec{2048, false}};
        s.nics = {dcm::NicSpec{QStringLiteral("DC0_DVPG0")}};
        s.guestId = QStringLiteral("rhel9_64Guest");
        s.annotation = QStringLiteral("owner: team <a> & b\nticket 42");
        s.powerOn = true;
        const QUuid requestId = QUuid::createUuid();
        QList<ProvisionProgress> progress;
        const Result<ProvisionOutcome> r = m_driver->provision(ProvisionOrder{requestId, s}, &progress);
        QVERIFY2(r.ok(), qPrintable(errorText(r)));
        QVERIFY(r.value().poweredOn);
        QCOMPARE(r.value().vm.name, s.name);
        QCOMPARE(r.value().vm.instanceUuid, requestId.toString(QUuid::WithoutBraces));
        QCOMPARE(r.value().vm.powerState, QStringLiteral("poweredOn"));
        QVERIFY(!r.value().taskRef.isEmpty());
        QVERIFY(!progress.isEmpty());
        QCOMPARE(progress.back().stage, QStringLiteral("powering-on"));
        QCOMPARE(progress.back().percent, 100);

        const QJsonObject vm = onlySimVm(s.name);
        QCOMPARE(vm.value(QStringLiteral("moref")).toString(), r.value().vm.ref);
        QCOMPARE(vm.value(QStringLiteral("cpus")).toInt(), 4);
        QCOMPARE(vm.value(QStringLiteral("coresPerSocket")).toInt(), 2);
        QCOMPARE(vm.value(QStringLiteral("memoryMiB")).toInt(), 3072);
        QCOMPARE(vm.value(QStringLiteral("guestId")).toString(), s.guestId);
        QCOMPARE(vm.value(QStringLiteral("annotation")).toString(), s.annotation);
        QCOMPARE(vm.value(QStringLiteral("powerState")).toString(), QStringLiteral("poweredOn"));
        QCOMPARE(vm.value(QStringLiteral("instanceUuid")).toString(), requestId.toString(QUuid::WithoutBraces));
        QCOMPARE(vm.value(QStringLiteral("extraConfig")).toObject().value(QStringLiteral("dcm.requestId")).toString(),
                 requestId.toString(QUuid::WithoutBraces));
        QCOMPARE(vm.value(QStringLiteral("networks")).toArray(), QJsonArray{QStringLiteral("DC0_DVPG0")});
        QVERIFY(vm.value(QStringLiteral("vmPathName")).toString().startsWith(QLatin1String("[LocalDS_0] ")));
        QCOMPARE(vm.value(QStringLiteral("resourcePool")).toString(), inv.clusters.front().rootPoolRef);
        QCOMPARE(vm.value(QStringLiteral("folder")).toString(), inv.folders.front().ref);
        const QJsonArray disks = vm.value(QStringLiteral("disks")).toArray();
        QCOMPARE(disks.size(), 2);
        QCOMPARE(disks[0].toObject().value(QStringLiteral("capacityKiB")).toInteger(), 10240 * 1024);
        QCOMPARE(disks[0].toObject().value(QStringLiteral("thin")).toBool(), true);
        QCOMPARE(disks[1].toObject().value(QStringLiteral("capacityKiB")).toInteger(), 2048 * 1024);
        QCOMPARE(disks[1].toObject().value(QStringLiteral("thin")).toBool(), false);
        QCOMPARE(disks[0].toObject().value(QStringLiteral("datastore")).toString(), QStringLiteral("LocalDS_0"));

        // The inventory now shows it as ours.
        const Result<InventorySnapshot> after = m_driver->inventory(InventoryKind::Vms);
        QVERIFY(after.ok());
        const auto it = std::find_if(after.value().vms.begin(), after.value().vms.end(),
                                     [&](const VmInfo& v) { return v.name == s.name; });
        QVERIFY(it != after.value().vms.end());
        QCOMPARE(it->requestId, requestId.toString(QUuid::WithoutBraces));
    }

    void standaloneHostStandardNetworkPoweredOff()
    {
        VmSpec s = spec(QStringLiteral("standalone"));
        s.cluster.clear();
        s.resourcePool = QStringLiteral("DC0_H0/Resources");
        s.host = QStringLiteral("DC0_H0");
        s.powerOn = false;
        const Result<ProvisionOutcome> r = m_driver->provision(ProvisionOrder{QUuid::createUuid(), s});
        QVERIFY2(r.ok(), qPrintable(errorText(r)));
        QVERIFY(!r.value().poweredOn);
        const QJsonObject vm = onlySimVm(s.name);
        QCOMPARE(vm.value(QStringLiteral("powerState")).toString(), QStringLiteral("poweredOff"));
        QCOMPARE(vm.value(QStringLiteral("networks")).toArray(), QJsonArray{QStringLiteral("VM Network")});
        const InventorySnapshot inv = m_driver->inventory(InventoryKind::Hosts).value();
        const auto host = std::find_if(inv.hosts.begin(), inv.hosts.end(),
                                       [](const HostInfo& h) { return h.name == QLatin1String("DC0_H0"); });
        QVERIFY(host != inv.hosts.end());
        QCOMPARE(vm.value(QStringLiteral("host")).toString(), host->ref);
        QCOMPARE(m_sim.callCount(QStringLiteral("PowerOnVM_Task")), 0);
    }

    // The reply to CreateVM_Task is lost after the VM was made: the outcome is unknown, and the request
    // key then finds exactly that one VM.
    void lostReplyIsReconciledToExactlyOneVm()
    {
        const VmSpec s = spec(QStringLiteral("lost"));
        const QUuid requestId = QUuid::createUuid();
        m_sim.post(QStringLiteral("/drop"), QJsonObject{{QStringLiteral("method"), QStringLiteral("CreateVM_Task")},
                                                        {QStringLiteral("count"), 1}});
        const Result<ProvisionOutcome> r = m_driver->provision(ProvisionOrder{requestId, s});
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, ErrorKind::OutcomeUnknown);
        QCOMPARE(m_sim.callCount(QStringLiteral("CreateVM_Task")), 1);

        const Result<std::optional<VmRef>> found = m_driver->find(requestId);
        QVERIFY2(found.ok(), qPrintable(errorText(found)));
        QVERIFY(found.value().has_value());
        const QList<QJsonObject> vms = m_driver->simVms(s.name);
        QCOMPARE(vms.size(), 1);
        QCOMPARE(found.value()->ref, vms.front().value(QStringLiteral("moref")).toString());
        QCOMPARE(found.value()->name, s.name);
        QCOMPARE(found.value()->instanceUuid, requestId.toString(QUuid::WithoutBraces));
    }

    void unknownKeyFindsNothing()
    {
        const Result<std::optional<VmRef>> found = m_driver->find(QUuid::createUuid());
        QVERIFY(found.ok());
        QVERIFY(!found.value().has_value());
        QCOMPARE(m_sim.callCount(QStringLiteral("FindByUuid")), 1);
        QVERIFY(m_sim.callCount(QStringLiteral("RetrievePropertiesEx")) >= 1); // the extraConfig scan
    }

    void duplicateNameIsBusiness()
    {
        const VmSpec s = spec(QStringLiteral("dup"));
        QVERIFY(m_driver->provision(ProvisionOrder{QUuid::createUuid(), s}).ok());
        const Result<ProvisionOutcome> r = m_driver->provision(ProvisionOrder{QUuid::createUuid(), s});
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, ErrorKind::Business);
        QCOMPARE(r.error().vimFault, QStringLiteral("DuplicateName"));
        QCOMPARE(m_driver->simVms(s.name).size(), 1);
    }

    void killedSessionIsReestablishedOnce()
    {
        m_sim.post(QStringLiteral("/session/kill"));
        const VmSpec s = spec(QStringLiteral("relogin"));
        const Result<ProvisionOutcome> r = m_driver->provision(ProvisionOrder{QUuid::createUuid(), s});
        QVERIFY2(r.ok(), qPrintable(errorText(r)));
        QCOMPARE(m_sim.callCount(QStringLiteral("Login")), 2); // init's login and exactly one more
        QCOMPARE(m_driver->hv().loginCount(), 2);
        QCOMPARE(m_driver->simVms(s.name).size(), 1);
    }

    void removedDatastoreIsABusinessError()
    {
        QVERIFY(m_sim
                    .post(QStringLiteral("/datastore/remove"),
                          QJsonObject{{QStringLiteral("name"), QStringLiteral("LocalDS_1")}})
                    .value(QStringLiteral("ok"))
                    .toBool());
        VmSpec s = spec(QStringLiteral("nods"));
        s.datastore = QStringLiteral("LocalDS_1");
        const Result<ProvisionOutcome> r = m_driver->provision(ProvisionOrder{QUuid::createUuid(), s});
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, ErrorKind::Business);
        QCOMPARE(r.error().details.value(QStringLiteral("field")).toString(), QStringLiteral("datastore"));
        QCOMPARE(m_sim.callCount(QStringLiteral("CreateVM_Task")), 0);
    }

    void eightAtATime()
    {
        QList<std::optional<Result<ProvisionOutcome>>> results(8);
        QStringList names;
        for (int i = 0; i < 8; ++i) {
            const VmSpec s = spec(QStringLiteral("par"));
            names << s.name;
            m_driver->hv().provision(ProvisionOrder{QUuid::createUuid(), s}, {},
                                     [&results, i](Result<ProvisionOutcome> r) { results[i].emplace(std::move(r)); });
        }
        QTRY_VERIFY_WITH_TIMEOUT(
            std::all_of(results.begin(), results.end(), [](const auto& r) { return r.has_value(); }), 120000);
        for (int i = 0; i < 8; ++i) {
            QVERIFY2(results[i]->ok(), qPrintable(errorText(*results[i])));
            QCOMPARE(m_driver->simVms(names[i]).size(), 1);
        }
    }
};

QTEST_GUILESS_MAIN(TestVsphereProvisioningVcsim)
#include "TestVsphereProvisioningVcsim.moc"
