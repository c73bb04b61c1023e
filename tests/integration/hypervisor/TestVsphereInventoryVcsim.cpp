#include "VcsimDriver.h"

#include <QHash>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSet>
#include <QTest>

#include "DomainQCompare.h"

using namespace dcm;

// inventory() against the simulator's own model, at a small and a larger size: counts per kind, the
// VMs by name with their fields, and paths that lead through the right folders.
class TestVsphereInventoryVcsim : public QObject
{
    Q_OBJECT
private slots:
    void matchesTheSimulatorsModel_data()
    {
        QTest::addColumn<QStringList>("flags");
        QTest::newRow("default model") << QStringList{};
        QTest::newRow("2 datacenters in a folder, 600 VMs, pools, 2 datastores, 2 portgroups")
            << QStringList{"-dc", "2",   "-cluster", "2",     "-host", "2",       "-standalone", "1",   "-vm",
                           "100", "-ds", "2",        "-pool", "2",     "-folder", "1",           "-pg", "2"};
    }
    void matchesTheSimulatorsModel()
    {
        QFETCH(QStringList, flags);
        VcsimProcess sim(flags);
        QString error;
        QVERIFY2(sim.start(&error), qPrintable(error));
        VcsimDriver driver(sim);
        QVERIFY(driver.connect().ok());
        const Result<InventorySnapshot> r = driver.inventory();
        QVERIFY2(r.ok(), qPrintable(errorText(r)));
        const InventorySnapshot& inv = r.value();

        const QJsonObject c = inventoryCounts(sim);
        QCOMPARE(inv.datacenters.size(), c.value(QStringLiteral("datacenters")).toInt());
        QCOMPARE(inv.clusters.size(), c.value(QStringLiteral("clusters")).toInt());
        QCOMPARE(inv.hosts.size(), c.value(QStringLiteral("hosts")).toInt());
        QCOMPARE(inv.datastores.size(), c.value(QStringLiteral("datastores")).toInt());
        QCOMPARE(inv.networks.size(),
                 c.value(QStringLiteral("networks")).toInt() + c.value(QStringLiteral("portgroups")).toInt());
        QCOMPARE(inv.resourcePools.size(),
                 c.value(QStringLiteral("resourcePools")).toInt() + c.value(QStringLiteral("vapps")).toInt());
        QCOMPARE(inv.vms.size(), c.value(QStringLiteral("vms")).toInt() + c.value(QStringLiteral("templates")).toInt());
        QVERIFY(inv.folders.size() >= inv.datacenters.size());
        QVERIFY(inv.folders.size() <= c.value(QStringLiteral("folders")).toInt());

        QHash<QString, const VmInfo*> byName;
        for (const VmInfo& vm : inv.vms)
            byName.insert(vm.name, &vm);
        QSet<QString> folderRefs;
        QHash<QString, QString> folderPath;
        for (const FolderInfo& f : inv.folders) {
            folderRefs.insert(f.ref);
            folderPath.insert(f.ref, f.path);
        }
        const QJsonArray simVms = sim.vms();
        QCOMPARE(simVms.size(), inv.vms.size());
        for (const QJsonValue& v : simVms) {
            const QJsonObject s = v.toObject();
            const VmInfo* vm = byName.value(s.value(QStringLiteral("name")).toString());
            QVERIFY2(vm, qPrintable(s.value(QStringLiteral("name")).toString()));
            QCOMPARE(vm->ref, s.value(QStringLiteral("moref")).toString());
            QCOMPARE(vm->cpus, s.value(QStringLiteral("cpus")).toInt());
            QCOMPARE(vm->memoryMiB, s.value(QStringLiteral("memoryMiB")).toInteger());
            QCOMPARE(vm->powerState, s.value(QStringLiteral("powerState")).toString());
            QCOMPARE(vm->guestId, s.value(QStringLiteral("guestId")).toString());
            QCOMPARE(vm->instanceUuid, s.value(QStringLiteral("instanceUuid")).toString());
            const QString folder = s.value(QStringLiteral("folder")).toString();
            QVERIFY(folderRefs.contains(folder));
            QCOMPARE(vm->parentRef, folder);
            QCOMPARE(vm->path, folderPath.value(folder) + QLatin1Char('/') + vm->name);
        }

        // Every item of every kind has a path under one of the datacenters.
        QStringList dcPaths;
        for (const DatacenterInfo& dc : inv.datacenters) {
            QVERIFY(dc.path.startsWith(QLatin1Char('/')) && dc.path.endsWith(QLatin1Char('/') + dc.name));
            dcPaths << dc.path + QLatin1Char('/');
        }
        auto underADatacenter = [&](const QString& path) {
            return std::any_of(dcPaths.begin(), dcPaths.end(), [&](const QString& p) { return path.startsWith(p); });
        };
        for (const HostInfo& h : inv.hosts)
            QVERIFY2(underADatacenter(h.path) && h.path.contains(QLatin1String("/host/")), qPrintable(h.path));
        for (const ResourcePoolInfo& p : inv.resourcePools)
            QVERIFY2(underADatacenter(p.path) && p.path.contains(QLatin1String("/Resources")), qPrintable(p.path));
        for (const DatastoreInfo& d : inv.datastores)
            QVERIFY2(underADatacenter(d.path) && d.path.contains(QLatin1String("/datastore/")), qPrintable(d.path));
        for (const NetworkInfo& n : inv.networks)
            QVERIFY2(underADatacenter(n.path) && n.path.contains(QLatin1String("/network/")), qPrintable(n.path));
        for (const ClusterInfo& cl : inv.clusters) {
            QVERIFY(!cl.rootPoolRef.isEmpty() && !cl.datacenterRef.isEmpty());
            QVERIFY(cl.totalCpuMhz > 0);
        }
        for (const NetworkInfo& n : inv.networks) {
            if (n.distributed)
                QVERIFY(!n.dvsUuid.isEmpty() && !n.portgroupKey.isEmpty());
        }
        // The view was destroyed after reading.
        QVERIFY(sim.callCount(QStringLiteral("DestroyView")) >= 1);
    }

    void oneKindAtATime()
    {
        VcsimProcess sim;
        QString error;
        QVERIFY2(sim.start(&error), qPrintable(error));
        VcsimDriver driver(sim);
        QVERIFY(driver.connect().ok());
        const Result<InventorySnapshot> r = driver.inventory(InventoryKind::Datastores);
        QVERIFY(r.ok());
        QCOMPARE(r.value().datastores.size(), inventoryCounts(sim).value(QStringLiteral("datastores")).toInt());
        QVERIFY(r.value().vms.isEmpty() && r.value().hosts.isEmpty());
    }

private:
    static QJsonObject inventoryCounts(VcsimProcess& sim)
    {
        // GET /inventory: the control API's counts of the model.
        QNetworkAccessManager nam;
        QUrl url = sim.controlUrl();
        url.setPath(QStringLiteral("/inventory"));
        QNetworkReply* reply = nam.get(QNetworkRequest(url));
        [&] { QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 30000); }();
        const QJsonObject counts = QJsonDocument::fromJson(reply->readAll()).object();
        delete reply;
        return counts.contains(QStringLiteral("inventory")) ? counts.value(QStringLiteral("inventory")).toObject()
                                                            : counts;
    }
};

QTEST_GUILESS_MAIN(TestVsphereInventoryVcsim)
#include "TestVsphereInventoryVcsim.moc"
