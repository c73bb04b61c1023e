// The New VM form's placement without widgets: datacenter -> cluster, pool or standalone host -> host ->
// the datastores and networks the candidate hosts reach, and the datacenter's VM folders; preferred
// values kept where they still exist; hosts in maintenance and inaccessible datastores listed but not
// chosen; a placement typed by hand told apart as cluster or pool.
#include "FakeHypervisor.h"

#include "ui/PlacementCascade.h"

#include <QTest>

using namespace dcm;
using Level = PlacementCascade::Level;

namespace {

// DC0: cluster C0 with two hosts that reach different datastores and networks, a pool "Web", a
// subfolder; DC1: a standalone host with its own datastore.
InventorySnapshot inventory()
{
    InventorySnapshot s = FakeHypervisor::sampleInventory();
    HostInfo h1 = s.hosts.front();
    h1.ref = QStringLiteral("host-22");
    h1.name = QStringLiteral("DC0_C0_H1");
    h1.path = QStringLiteral("/DC0/host/C0/DC0_C0_H1");
    h1.datastoreRefs = {QStringLiteral("datastore-2")};
    h1.networkRefs = {QStringLiteral("network-2")};
    s.hosts << h1;
    HostInfo h2 = h1;
    h2.ref = QStringLiteral("host-23");
    h2.name = QStringLiteral("DC0_C0_H2");
    h2.path = QStringLiteral("/DC0/host/C0/DC0_C0_H2");
    h2.inMaintenance = true;
    s.hosts << h2;
    HostInfo h3 = h1;
    h3.ref = QStringLiteral("host-24");
    h3.name = QStringLiteral("DC0_C0_H3");
    h3.path = QStringLiteral("/DC0/host/C0/DC0_C0_H3");
    h3.connectionState = QStringLiteral("disconnected");
    s.hosts << h3;
    DatastoreInfo ds2 = s.datastores.front();
    ds2.ref = QStringLiteral("datastore-2");
    ds2.name = QStringLiteral("ds2");
    ds2.path = QStringLiteral("/DC0/datastore/ds2");
    s.datastores << ds2;
    DatastoreInfo gone = ds2;
    gone.ref = QStringLiteral("datastore-3");
    gone.name = QStringLiteral("gone");
    gone.path = QStringLiteral("/DC0/datastore/gone");
    gone.accessible = false;
    s.datastores << gone;
    s.hosts[0].datastoreRefs << gone.ref;
    NetworkInfo n2 = s.networks.front();
    n2.ref = QStringLiteral("network-2");
    n2.name = QStringLiteral("Backend");
    n2.path = QStringLiteral("/DC0/network/Backend");
    n2.distributed = true;
    s.networks << n2;
    ResourcePoolInfo pool;
    pool.ref = QStringLiteral("resgroup-9");
    pool.name = QStringLiteral("Web");
    pool.path = QStringLiteral("/DC0/host/C0/Resources/Web");
    pool.parentRef = QStringLiteral("resgroup-8");
    pool.ownerRef = QStringLiteral("domain-c7");
    s.resourcePools << pool;
    FolderInfo sub;
    sub.ref = QStringLiteral("group-v10");
    sub.name = QStringLiteral("web");
    sub.path = QStringLiteral("/DC0/vm/web");
    sub.parentRef = QStringLiteral("group-v3");
    s.folders << sub;
    s.folders.front().parentRef = QStringLiteral("datacenter-2");

    DatacenterInfo dc1;
    dc1.ref = QStringLiteral("datacenter-9");
    dc1.name = QStringLiteral("DC1");
    dc1.path = QStringLiteral("/DC1");
    s.datacenters << dc1;
    ResourcePoolInfo standalone;
    standalone.ref = QStringLiteral("resgroup-50");
    standalone.name = QStringLiteral("Resources");
    standalone.path = QStringLiteral("/DC1/host/esx-solo/Resources");
    standalone.parentRef = QStringLiteral("domain-s49");
    standalone.ownerRef = QStringLiteral("domain-s49");
    s.resourcePools << standalone;
    HostInfo solo = s.hosts.front();
    solo.ref = QStringLiteral("host-51");
    solo.name = QStringLiteral("esx-solo");
    solo.path = QStringLiteral("/DC1/host/esx-solo/esx-solo");
    solo.clusterRef.clear();
    solo.computeResourceRef = QStringLiteral("domain-s49");
    solo.datastoreRefs = {QStringLiteral("datastore-60")};
    solo.networkRefs = {};
    s.hosts << solo;
    DatastoreInfo local = ds2;
    local.ref = QStringLiteral("datastore-60");
    local.name = QStringLiteral("solo-local");
    local.path = QStringLiteral("/DC1/datastore/solo-local");
    s.datastores << local;
    FolderInfo dc1vm;
    dc1vm.ref = QStringLiteral("group-v61");
    dc1vm.name = QStringLiteral("vm");
    dc1vm.path = QStringLiteral("/DC1/vm");
    dc1vm.parentRef = dc1.ref;
    s.folders << dc1vm;
    return s;
}

QStringList texts(const PlacementCascade& c, Level level)
{
    QStringList list;
    for (const PlacementChoice& choice : c.choices(level))
        list << choice.text;
    return list;
}

QStringList values(const PlacementCascade& c, Level level)
{
    QStringList list;
    for (const PlacementChoice& choice : c.choices(level))
        list << choice.value;
    return list;
}

QString currentValue(const PlacementCascade& c, Level level)
{
    const PlacementChoice* choice = c.currentChoice(level);
    return choice ? choice->value : QStringLiteral("(none)");
}

int rowOf(const PlacementCascade& c, Level level, const QString& text)
{
    return int(texts(c, level).indexOf(text));
}

QList<int> asInts(const QList<Level>& levels)
{
    QList<int> list;
    for (Level l : levels)
        list << int(l);
    return list;
}

QStringList names(const QList<const HostInfo*>& hosts)
{
    QStringList list;
    for (const HostInfo* h : hosts)
        list << h->name;
    return list;
}

} // namespace

class TestPlacementCascade final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // No inventory: nothing to pick; a typed compute path is a pool when it passes through "Resources".
    void withoutInventoryThereIsNothingToPick()
    {
        PlacementCascade c;
        QVERIFY(!c.hasInventory());
        for (Level level : PlacementCascade::levels) {
            QVERIFY(c.choices(level).isEmpty());
            QCOMPARE(c.current(level), -1);
        }
        QVERIFY(c.candidateHosts().isEmpty());
        QVERIFY(c.isCluster(QStringLiteral("/DC0/host/C0")));
        QVERIFY(c.isCluster(QStringLiteral("C0")));
        QVERIFY(!c.isCluster(QStringLiteral("/DC0/host/C0/Resources/Web")));
    }

    void eachLevelFollowsTheOneAbove()
    {
        PlacementCascade c;
        c.setIndex(InventoryIndex(inventory()));
        QCOMPARE(values(c, Level::Datacenter), (QStringList{QStringLiteral("DC0"), QStringLiteral("DC1")}));
        QCOMPARE(currentValue(c, Level::Datacenter), QStringLiteral("DC0"));
        QCOMPARE(texts(c, Level::Compute),
                 (QStringList{QStringLiteral("C0 (cluster)"), QStringLiteral("C0/Resources/Web (resource pool)")}));
        QCOMPARE(currentValue(c, Level::Compute), QStringLiteral("/DC0/host/C0"));
        QCOMPARE(texts(c, Level::Host),
                 (QStringList{QStringLiteral("Any host (vCenter places the VM)"), QStringLiteral("DC0_C0_H0"),
                              QStringLiteral("DC0_C0_H1"), QStringLiteral("DC0_C0_H2 (maintenance mode)"),
                              QStringLiteral("DC0_C0_H3 (disconnected)")}));
        QCOMPARE(currentValue(c, Level::Host), QString()); // any host
        QCOMPARE(int(c.candidateHosts().size()), 4);
        // Any host: what any of the cluster's hosts reaches.
        QCOMPARE(values(c, Level::Datastore),
                 (QStringList{QStringLiteral("/DC0/datastore/ds1"), QStringLiteral("/DC0/datastore/ds2"),
                              QStringLiteral("/DC0/datastore/gone")}));
        QCOMPARE(texts(c, Level::Network),
                 (QStringList{QStringLiteral("VM Network"), QStringLiteral("Backend (distributed)")}));
        QCOMPARE(texts(c, Level::Folder), (QStringList{QStringLiteral("vm (top level)"), QStringLiteral("web")}));
        QCOMPARE(values(c, Level::Folder), (QStringList{QString(), QStringLiteral("/DC0/vm/web")}));
        QCOMPARE(c.folderRef(), QStringLiteral("group-v3"));

        // One host: only what it reaches.
        const QList<Level> refilled = c.choose(Level::Host, rowOf(c, Level::Host, QStringLiteral("DC0_C0_H1")));
        QCOMPARE(asInts(refilled), asInts({Level::Datastore, Level::Network}));
        QCOMPARE(names(c.candidateHosts()), QStringList{QStringLiteral("DC0_C0_H1")});
        QCOMPARE(values(c, Level::Datastore), QStringList{QStringLiteral("/DC0/datastore/ds2")});
        QCOMPARE(values(c, Level::Network), QStringList{QStringLiteral("/DC0/network/Backend")});
        QCOMPARE(currentValue(c, Level::Datastore), QStringLiteral("/DC0/datastore/ds2"));
    }

    // Listed so the operator sees them, never chosen: they would refuse the VM.
    void unusableHostsAndDatastoresAreNotChosen()
    {
        PlacementCascade c;
        c.setPreferred(Level::Host, QStringLiteral("/DC0/host/C0/DC0_C0_H2"));   // in maintenance
        c.setPreferred(Level::Datastore, QStringLiteral("/DC0/datastore/gone")); // not accessible
        c.setIndex(InventoryIndex(inventory()));
        QCOMPARE(currentValue(c, Level::Host), QString());
        QCOMPARE(currentValue(c, Level::Datastore), QStringLiteral("/DC0/datastore/ds1"));
        const int maintenance = rowOf(c, Level::Host, QStringLiteral("DC0_C0_H2 (maintenance mode)"));
        QVERIFY(!c.choices(Level::Host).at(maintenance).enabled);
        QVERIFY(!c.choices(Level::Host).at(rowOf(c, Level::Host, QStringLiteral("DC0_C0_H3 (disconnected)"))).enabled);
        QVERIFY(c.choose(Level::Host, maintenance).isEmpty());
        QCOMPARE(currentValue(c, Level::Host), QString());
        const int gone = rowOf(c, Level::Datastore, QStringLiteral("gone — not accessible"));
        QVERIFY(gone >= 0);
        QVERIFY(!c.choices(Level::Datastore).at(gone).enabled);
        QVERIFY(c.choose(Level::Datastore, gone).isEmpty());
        QVERIFY(c.choose(Level::Datastore, 99).isEmpty());
        QCOMPARE(currentValue(c, Level::Datastore), QStringLiteral("/DC0/datastore/ds1"));
    }

    // The operator's picks (or the remembered ones) survive a refill when they still exist.
    void preferredValuesAreKept()
    {
        PlacementCascade c;
        c.setPreferred(Level::Compute, QStringLiteral("/DC0/host/C0/Resources/Web"));
        c.setPreferred(Level::Network, QStringLiteral("/DC0/network/Backend"));
        c.setPreferred(Level::Folder, QStringLiteral("/DC0/vm/web"));
        c.setIndex(InventoryIndex(inventory()));
        QCOMPARE(currentValue(c, Level::Compute), QStringLiteral("/DC0/host/C0/Resources/Web"));
        QVERIFY(!c.isCluster(QStringLiteral("/DC0/host/C0/Resources/Web")));
        QCOMPARE(currentValue(c, Level::Network), QStringLiteral("/DC0/network/Backend"));
        QCOMPARE(c.folderRef(), QStringLiteral("group-v10"));

        // A newer inventory without that network: the first one, and the preference stays for later.
        InventorySnapshot without = inventory();
        without.networks.removeLast();
        c.setIndex(InventoryIndex(without));
        QCOMPARE(currentValue(c, Level::Network), QStringLiteral("/DC0/network/VM Network"));
        QCOMPARE(c.preferred(Level::Network), QStringLiteral("/DC0/network/Backend"));
        c.setIndex(InventoryIndex(inventory()));
        QCOMPARE(currentValue(c, Level::Network), QStringLiteral("/DC0/network/Backend"));

        // Choosing is preferring.
        c.choose(Level::Datastore, rowOf(c, Level::Datastore, texts(c, Level::Datastore).at(1)));
        QCOMPARE(c.preferred(Level::Datastore), QStringLiteral("/DC0/datastore/ds2"));
    }

    // Another datacenter: its compute, hosts, datastores and folders; a standalone host offered as such.
    void anotherDatacenterRefillsEverythingBelow()
    {
        PlacementCascade c;
        c.setIndex(InventoryIndex(inventory()));
        const QList<Level> refilled = c.choose(Level::Datacenter, 1);
        QCOMPARE(asInts(refilled),
                 asInts({Level::Compute, Level::Folder, Level::Host, Level::Datastore, Level::Network}));
        QCOMPARE(c.datacenterRef(), QStringLiteral("datacenter-9"));
        QCOMPARE(texts(c, Level::Compute), QStringList{QStringLiteral("esx-solo (standalone host)")});
        QCOMPARE(c.currentChoice(Level::Compute)->kind, int(InventoryIndex::ComputeChoice::Kind::StandaloneHost));
        QVERIFY(!c.isCluster(QStringLiteral("/DC1/host/esx-solo/Resources")));
        QCOMPARE(names(c.candidateHosts()), QStringList{QStringLiteral("esx-solo")});
        QCOMPARE(values(c, Level::Datastore), QStringList{QStringLiteral("/DC1/datastore/solo-local")});
        QCOMPARE(texts(c, Level::Folder), QStringList{QStringLiteral("vm (top level)")});
        QCOMPARE(c.folderRef(), QStringLiteral("group-v61"));
        // Leaf levels refill nothing.
        QVERIFY(c.choose(Level::Folder, 0).isEmpty());
        QVERIFY(c.choose(Level::Network, -1).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestPlacementCascade)
#include "TestPlacementCascade.moc"
