#include "InventoryFixture.h"

#include "hypervisor/vsphere/VimRequests.h"

#include <QRegularExpression>
#include <QTest>

using namespace dcm;
using namespace dcm::vsphere;

namespace {
template <class T> QStringList paths(const QList<T>& items)
{
    QStringList out;
    for (const T& i : items)
        out << i.path;
    return out;
}
} // namespace

class TestInventoryBuilder : public QObject
{
    Q_OBJECT
private slots:
    // vcsim's VPX model: 1 datacenter, a cluster of 3 hosts and a standalone host, 2 VMs per pool.
    void everyKindWithItsPath()
    {
        const InventorySnapshot inv = recordedInventory();
        QCOMPARE(paths(inv.datacenters), QStringList{QStringLiteral("/DC0")});
        QCOMPARE(paths(inv.clusters), QStringList{QStringLiteral("/DC0/host/DC0_C0")});
        QCOMPARE(paths(inv.resourcePools), (QStringList{QStringLiteral("/DC0/host/DC0_C0/Resources"),
                                                        QStringLiteral("/DC0/host/DC0_H0/Resources")}));
        QCOMPARE(
            paths(inv.hosts),
            (QStringList{QStringLiteral("/DC0/host/DC0_C0/DC0_C0_H0"), QStringLiteral("/DC0/host/DC0_C0/DC0_C0_H1"),
                         QStringLiteral("/DC0/host/DC0_C0/DC0_C0_H2"), QStringLiteral("/DC0/host/DC0_H0/DC0_H0")}));
        QCOMPARE(paths(inv.datastores), QStringList{QStringLiteral("/DC0/datastore/LocalDS_0")});
        QCOMPARE(paths(inv.networks),
                 (QStringList{QStringLiteral("/DC0/network/DC0_DVPG0"), QStringLiteral("/DC0/network/DVS0-DVUplinks-9"),
                              QStringLiteral("/DC0/network/VM Network")}));
        QCOMPARE(paths(inv.folders), QStringList{QStringLiteral("/DC0/vm")});
        QCOMPARE(paths(inv.vms),
                 (QStringList{QStringLiteral("/DC0/vm/DC0_C0_RP0_VM0"), QStringLiteral("/DC0/vm/DC0_C0_RP0_VM1"),
                              QStringLiteral("/DC0/vm/DC0_H0_VM0"), QStringLiteral("/DC0/vm/DC0_H0_VM1")}));
    }

    void fieldsTheFormNeeds()
    {
        const InventorySnapshot inv = recordedInventory();
        const ClusterInfo& c = inv.clusters.front();
        QCOMPARE(c.datacenterRef, inv.datacenters.front().ref);
        QCOMPARE(c.rootPoolRef, inv.resourcePools.front().ref);
        QVERIFY(c.totalCpuMhz > 0 && c.totalMemoryBytes > 0);

        const HostInfo& clustered = inv.hosts.front();
        QCOMPARE(clustered.clusterRef, c.ref);
        QCOMPARE(clustered.connectionState, QStringLiteral("connected"));
        QCOMPARE(clustered.cpuCores, 2);
        QCOMPARE(clustered.cpuMhzTotal, 2 * 2294);
        QVERIFY(clustered.memoryBytes > 0);
        QVERIFY(!clustered.datastoreRefs.isEmpty());
        QVERIFY(!clustered.networkRefs.isEmpty());
        const HostInfo& standalone = inv.hosts.back();
        QVERIFY(standalone.clusterRef.isEmpty());
        QVERIFY(!standalone.computeResourceRef.isEmpty());

        const DatastoreInfo& ds = inv.datastores.front();
        QVERIFY(ds.capacityBytes > ds.freeBytes && ds.freeBytes > 0);
        QVERIFY(ds.accessible);

        const NetworkInfo& dvpg = inv.networks.front();
        QVERIFY(dvpg.distributed);
        QCOMPARE(dvpg.portgroupKey, dvpg.ref);
        QCOMPARE(dvpg.dvsUuid.size(), 36);
        QVERIFY(!inv.networks.back().distributed);

        const VmInfo& vm = inv.vms.front();
        QCOMPARE(vm.powerState, QStringLiteral("poweredOn"));
        QCOMPARE(vm.cpus, 1);
        QCOMPARE(vm.memoryMiB, 32);
        QCOMPARE(vm.guestId, QStringLiteral("otherGuest"));
        QCOMPARE(vm.instanceUuid.size(), 36);
        QVERIFY(vm.requestId.isEmpty());
        QCOMPARE(vm.parentRef, inv.folders.front().ref);
    }

    void requestIdComesFromExtraConfig()
    {
        const InventorySnapshot inv =
            recordedInventory(InventoryKind::Vms, QStringLiteral("RetrievePropertiesEx-scan.xml"));
        int ours = 0;
        for (const VmInfo& vm : inv.vms) {
            if (!vm.requestId.isEmpty()) {
                ++ours;
                QCOMPARE(vm.requestId, vm.instanceUuid); // we set both to the request UUID
            }
        }
        QCOMPARE(ours, 3);
    }

    void onlyTheKindsAskedFor()
    {
        const InventorySnapshot inv = recordedInventory(InventoryKind::Datastores | InventoryKind::Networks);
        QVERIFY(inv.vms.isEmpty() && inv.hosts.isEmpty() && inv.clusters.isEmpty() && inv.datacenters.isEmpty());
        QCOMPARE(inv.datastores.size(), 1);
        QCOMPARE(inv.networks.size(), 3);
        QCOMPARE(inv.datastores.front().path, QStringLiteral("/DC0/datastore/LocalDS_0"));
    }

    // Found by the fuzzer: a reply whose parents loop made path building recurse without end.
    void parentCyclesAndDeepChainsGiveNoPath()
    {
        const MoRef root{QStringLiteral("Folder"), QStringLiteral("group-d1")};
        InventoryBuilder builder(allInventoryKinds(), root, {});
        auto object = [](const QString& type, const QString& ref, const QString& name, const MoRef& parent) {
            ObjectContent o;
            o.obj = MoRef{type, ref};
            XmlValue n;
            n.text = name.toUtf8();
            XmlValue p;
            p.typeAttr = parent.type.toUtf8();
            p.text = parent.value.toUtf8();
            o.props.emplace_back("name", n);
            o.props.emplace_back("parent", p);
            XmlValue childType;
            XmlValue vmType;
            vmType.name = "string";
            vmType.text = "VirtualMachine";
            childType.children.push_back(vmType);
            o.props.emplace_back("childType", childType);
            return o;
        };
        const auto folder = [](int i) { return MoRef{QStringLiteral("Folder"), QStringLiteral("f-%1").arg(i)}; };
        builder.add(object(QStringLiteral("Folder"), QStringLiteral("f-1"), QStringLiteral("a"), folder(2)));
        builder.add(object(QStringLiteral("Folder"), QStringLiteral("f-2"), QStringLiteral("b"), folder(1)));
        builder.add(object(QStringLiteral("Folder"), QStringLiteral("f-3"), QStringLiteral("self"), folder(3)));
        // A chain deeper than any real inventory, hanging off the root, deepest first: walks are bounded.
        for (int i = 5000; i > 100; --i)
            builder.add(
                object(QStringLiteral("Folder"), QStringLiteral("f-%1").arg(i), QStringLiteral("d"), folder(i - 1)));
        builder.add(object(QStringLiteral("Folder"), QStringLiteral("f-100"), QStringLiteral("top"), root));
        builder.add(object(QStringLiteral("VirtualMachine"), QStringLiteral("vm-1"), QStringLiteral("vm"), folder(1)));
        const InventorySnapshot inv = builder.take();
        QCOMPARE(inv.vms.size(), 1);
        QVERIFY(inv.vms.front().path.isEmpty());
        QCOMPARE(inv.folders.size(), 4904);
        for (const FolderInfo& f : inv.folders) {
            if (f.ref == QLatin1String("f-1") || f.ref == QLatin1String("f-2") || f.ref == QLatin1String("f-3"))
                QVERIFY(f.path.isEmpty());
            if (f.ref == QLatin1String("f-100"))
                QCOMPARE(f.path, QStringLiteral("/top"));
            if (f.ref == QLatin1String("f-101"))
                QCOMPARE(f.path, QStringLiteral("/top/d"));
        }
    }

    void viewTypesFollowTheKinds()
    {
        QCOMPARE(
            InventoryBuilder::viewTypes(InventoryKind::Vms),
            (QStringList{QStringLiteral("Folder"), QStringLiteral("Datacenter"), QStringLiteral("VirtualMachine")}));
        QVERIFY(InventoryBuilder::viewTypes(InventoryKind::Hosts).contains(QStringLiteral("ComputeResource")));
    }

    // The rule of the issue: never all properties. Every PropertySpec we can send names its paths.
    void neverAsksForAllProperties()
    {
        for (int bits = 1; bits <= 0xff; ++bits) {
            for (bool requestIds : {false, true}) {
                const InventoryKinds kinds(bits);
                const auto specs = InventoryBuilder::propertySpecs(kinds, {requestIds});
                for (const PropertySpecDef& s : specs)
                    QVERIFY2(!s.pathSet.isEmpty(), s.type.constData());
                const QByteArray xml = VimRequests::retrieveFromView(
                                           MoRef{QStringLiteral("PropertyCollector"), QStringLiteral("pc")},
                                           MoRef{QStringLiteral("ContainerView"), QStringLiteral("v")}, specs, 100)
                                           .body;
                QVERIFY(!xml.contains("<all>"));
                const QRegularExpression propSet(QStringLiteral("<propSet>(.*?)</propSet>"));
                auto it = propSet.globalMatch(QString::fromUtf8(xml));
                int n = 0;
                while (it.hasNext()) {
                    ++n;
                    QVERIFY(it.next().captured(1).contains(QLatin1String("<pathSet>")));
                }
                QCOMPARE(n, specs.size());
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestInventoryBuilder)
#include "TestInventoryBuilder.moc"
