#include "InventoryFixture.h"

#include "hypervisor/vsphere/PlacementResolver.h"

#include <QTest>

using namespace dcm;
using namespace dcm::vsphere;

namespace {
VmSpec baseSpec()
{
    VmSpec s;
    s.name = QStringLiteral("web-01");
    s.memoryMiB = 1024;
    s.datacenter = QStringLiteral("DC0");
    s.cluster = QStringLiteral("DC0_C0");
    s.datastore = QStringLiteral("LocalDS_0");
    s.nics = {dcm::NicSpec{QStringLiteral("VM Network")}};
    return s;
}
} // namespace

class TestPlacementResolver : public QObject
{
    Q_OBJECT
    InventorySnapshot m_inv = recordedInventory();

private slots:
    void clusterPlacement()
    {
        const Result<Placement> p = PlacementResolver::resolve(baseSpec(), m_inv);
        QVERIFY2(p.ok(), qPrintable(p.ok() ? QString() : p.error().message));
        QCOMPARE(p.value().datacenter.value, m_inv.datacenters.front().ref);
        QCOMPARE(p.value().folder.value, m_inv.folders.front().ref); // the datacenter's root VM folder
        QCOMPARE(p.value().pool.value, m_inv.clusters.front().rootPoolRef);
        QVERIFY(p.value().host.isNull());
        QCOMPARE(p.value().datastoreName, QStringLiteral("LocalDS_0"));
        QCOMPARE(p.value().nics.size(), 1);
        QCOMPARE(p.value().nics.front().network.type, QStringLiteral("Network"));
        QVERIFY(!p.value().nics.front().distributed);
        QCOMPARE(p.value().nics.front().adapterType, NicSpec::vmxnet3);
    }

    void namesAndPathsAreEquivalent_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("value");
        QTest::newRow("cluster path") << "cluster"
                                      << "/DC0/host/DC0_C0";
        QTest::newRow("cluster relative") << "cluster"
                                          << "DC0_C0";
        QTest::newRow("pool path") << "resourcePool"
                                   << "/DC0/host/DC0_C0/Resources";
        QTest::newRow("pool relative") << "resourcePool"
                                       << "DC0_C0/Resources";
        QTest::newRow("datacenter path") << "datacenter"
                                         << "/DC0";
        QTest::newRow("folder path") << "folder"
                                     << "/DC0/vm";
        QTest::newRow("datastore path") << "datastore"
                                        << "/DC0/datastore/LocalDS_0";
        QTest::newRow("network path") << "network"
                                      << "/DC0/network/VM Network";
    }
    void namesAndPathsAreEquivalent()
    {
        QFETCH(QString, field);
        QFETCH(QString, value);
        VmSpec s = baseSpec();
        if (field == QLatin1String("resourcePool")) {
            s.cluster.clear();
            s.resourcePool = value;
        } else if (field == QLatin1String("cluster")) {
            s.cluster = value;
        } else if (field == QLatin1String("datacenter")) {
            s.datacenter = value;
        } else if (field == QLatin1String("folder")) {
            s.folder = value;
        } else if (field == QLatin1String("datastore")) {
            s.datastore = value;
        } else {
            s.nics = {dcm::NicSpec{value}};
        }
        const Result<Placement> p = PlacementResolver::resolve(s, m_inv);
        QVERIFY2(p.ok(), qPrintable(p.ok() ? QString() : p.error().message));
        QCOMPARE(p.value().pool.value, m_inv.clusters.front().rootPoolRef);
    }

    void distributedPortgroupCarriesItsSwitch()
    {
        VmSpec s = baseSpec();
        s.nics = {dcm::NicSpec{QStringLiteral("DC0_DVPG0")}};
        const Result<Placement> p = PlacementResolver::resolve(s, m_inv);
        QVERIFY(p.ok());
        const NicPlacement& nic = p.value().nics.front();
        QVERIFY(nic.distributed);
        QCOMPARE(nic.dvsUuid.size(), 36);
        QCOMPARE(nic.portgroupKey, nic.network.value);
    }

    void everyNicIsResolvedInOrder()
    {
        VmSpec s = baseSpec();
        s.nics = {NicSpec{QStringLiteral("DC0_DVPG0"), NicSpec::e1000e}, NicSpec{QStringLiteral("VM Network")},
                  NicSpec{QStringLiteral("/DC0/network/DC0_DVPG0")}};
        const Result<Placement> p = PlacementResolver::resolve(s, m_inv);
        QVERIFY2(p.ok(), qPrintable(p.ok() ? QString() : p.error().message));
        QCOMPARE(p.value().nics.size(), 3);
        QVERIFY(p.value().nics[0].distributed);
        QCOMPARE(p.value().nics[0].adapterType, NicSpec::e1000e);
        QCOMPARE(p.value().nics[1].networkName, QStringLiteral("VM Network"));
        QVERIFY(!p.value().nics[1].distributed);
        QCOMPARE(p.value().nics[1].adapterType, NicSpec::vmxnet3);
        QCOMPARE(p.value().nics[2].network, p.value().nics[0].network);
    }

    void aWrongLaterNicNamesItsIndex()
    {
        VmSpec s = baseSpec();
        s.nics = {NicSpec{QStringLiteral("VM Network")}, NicSpec{QStringLiteral("no-such-net")}};
        const Result<Placement> p = PlacementResolver::resolve(s, m_inv);
        QVERIFY(!p.ok());
        QCOMPARE(p.error().details.value(QStringLiteral("field")).toString(), QStringLiteral("nics[1].network"));
        QVERIFY(p.error().message.contains(QStringLiteral("no-such-net")));
    }

    void standaloneHostUsesItsOwnPool()
    {
        VmSpec s = baseSpec();
        s.cluster.clear();
        s.host = QStringLiteral("DC0_H0");
        const Result<Placement> p = PlacementResolver::resolve(s, m_inv);
        QVERIFY2(p.ok(), qPrintable(p.ok() ? QString() : p.error().message));
        QCOMPARE(p.value().pool.value, m_inv.resourcePools.back().ref); // /DC0/host/DC0_H0/Resources
        QCOMPARE(p.value().host.value, m_inv.hosts.back().ref);
    }

    void unknownOrInconsistentPlacementIsABusinessError_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("value");
        QTest::newRow("datacenter") << "datacenter"
                                    << "DC9";
        QTest::newRow("cluster") << "cluster"
                                 << "nope";
        QTest::newRow("datastore") << "datastore"
                                   << "nope";
        QTest::newRow("network") << "nics[0].network"
                                 << "nope";
        QTest::newRow("folder") << "folder"
                                << "nope";
        QTest::newRow("host outside the cluster") << "host"
                                                  << "DC0_H0";
    }
    void unknownOrInconsistentPlacementIsABusinessError()
    {
        QFETCH(QString, field);
        QFETCH(QString, value);
        VmSpec s = baseSpec();
        if (field == QLatin1String("datacenter"))
            s.datacenter = value;
        else if (field == QLatin1String("cluster"))
            s.cluster = value;
        else if (field == QLatin1String("datastore"))
            s.datastore = value;
        else if (field == QLatin1String("nics[0].network"))
            s.nics = {dcm::NicSpec{value}};
        else if (field == QLatin1String("folder"))
            s.folder = value;
        else
            s.host = value;
        const Result<Placement> p = PlacementResolver::resolve(s, m_inv);
        QVERIFY(!p.ok());
        QVERIFY(p.error().kind == ErrorKind::Business);
        QCOMPARE(p.error().details.value(QStringLiteral("field")).toString(), field);
        QVERIFY(p.error().message.contains(value));
    }
};

QTEST_GUILESS_MAIN(TestPlacementResolver)
#include "TestPlacementResolver.moc"
