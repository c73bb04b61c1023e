// Pins the New VM form's capacity advice without widgets: one host's free memory, CPU and cores; the best
// of several hosts; a VM that needs more memory or vCPUs than a host has; a datastore that cannot take
// the thick disks and the swap file, or could fill up when thin disks grow; unknown figures say nothing.
// Memory beyond the largest host's size and vCPUs beyond its cores are what the form refuses.
#include "domain/CapacityAdvisor.h"

#include <QTest>

using namespace dcm;

namespace {

constexpr qint64 GiB = qint64(1024) * 1024 * 1024;

HostInfo host(const QString& name, qint64 memoryGiB, qint64 usedMiB, int cores)
{
    HostInfo h;
    h.ref = QStringLiteral("host-") + name;
    h.name = name;
    h.memoryBytes = memoryGiB * GiB;
    h.memoryUsedMiB = usedMiB;
    h.cpuCores = cores;
    h.cpuMhzTotal = 4000;
    h.cpuMhzUsed = 500;
    return h;
}

VmSpec spec(qint64 memoryMiB, int cpus, QList<DiskSpec> disks = {})
{
    VmSpec s;
    s.memoryMiB = memoryMiB;
    s.cpus = cpus;
    s.disks = std::move(disks);
    return s;
}

DatastoreInfo datastore(qint64 freeBytes, bool accessible = true)
{
    DatastoreInfo ds;
    ds.name = QStringLiteral("ds1");
    ds.capacityBytes = 100 * GiB;
    ds.freeBytes = freeBytes;
    ds.accessible = accessible;
    return ds;
}

} // namespace

class TestCapacityAdvisor final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void noHostsSayNothing()
    {
        const HostFit fit = CapacityAdvisor::hosts(spec(1 << 20, 700), {});
        QCOMPARE(int(fit.scope), int(HostFit::Scope::NoHosts));
        QVERIFY(!fit.memoryShort);
        QVERIFY(!fit.coresShort);
    }

    void oneHostGivesItsOwnFigures()
    {
        const HostInfo h = host(QStringLiteral("esx-1"), 4, 1024, 2);
        const HostFit fit = CapacityAdvisor::hosts(spec(2048, 2), {&h});
        QCOMPARE(int(fit.scope), int(HostFit::Scope::OneHost));
        QCOMPARE(fit.hostName, QStringLiteral("esx-1"));
        QCOMPARE(fit.totalMemoryMiB, qint64(4096));
        QCOMPARE(fit.freeMemoryMiB, qint64(3072));
        QCOMPARE(fit.totalCpuMhz, qint64(4000));
        QCOMPARE(fit.freeCpuMhz, qint64(3500));
        QCOMPARE(fit.cores, 2);
        QVERIFY(!fit.memoryShort);
        QVERIFY(!fit.coresShort);
    }

    void oneHostTooSmall_data()
    {
        QTest::addColumn<qint64>("memoryMiB");
        QTest::addColumn<int>("cpus");
        QTest::addColumn<bool>("memoryShort");
        QTest::addColumn<bool>("coresShort");
        QTest::newRow("exactly the free memory") << qint64(3072) << 2 << false << false;
        QTest::newRow("4 MiB more than free") << qint64(3076) << 2 << true << false;
        QTest::newRow("one vCPU more than cores") << qint64(1024) << 3 << false << true;
        QTest::newRow("both") << qint64(8192) << 4 << true << true;
    }
    void oneHostTooSmall()
    {
        QFETCH(qint64, memoryMiB);
        QFETCH(int, cpus);
        const HostInfo h = host(QStringLiteral("esx-1"), 4, 1024, 2);
        const HostFit fit = CapacityAdvisor::hosts(spec(memoryMiB, cpus), {&h});
        QTEST(fit.memoryShort, "memoryShort");
        QTEST(fit.coresShort, "coresShort");
    }

    // Overcommitted hosts report more memory in use than they have: nothing is free, not less than nothing.
    void overcommittedHostHasNoMemoryFree()
    {
        const HostInfo h = host(QStringLiteral("esx-1"), 4, 6000, 2);
        const HostFit fit = CapacityAdvisor::hosts(spec(4, 1), {&h});
        QCOMPARE(fit.freeMemoryMiB, qint64(0));
        QVERIFY(fit.memoryShort);
    }

    void severalHostsOfferTheBestOfThem()
    {
        const HostInfo small = host(QStringLiteral("small"), 4, 1024, 2);
        const HostInfo big = host(QStringLiteral("big"), 16, 2048, 8);
        const HostInfo busy = host(QStringLiteral("busy"), 32, 30 * 1024, 16);
        const HostFit fit = CapacityAdvisor::hosts(spec(8192, 12), {&small, &big, &busy});
        QCOMPARE(int(fit.scope), int(HostFit::Scope::BestOfHosts));
        QCOMPARE(fit.hostCount, 3);
        QCOMPARE(fit.hostName, QStringLiteral("big"));
        QCOMPARE(fit.freeMemoryMiB, qint64(14 * 1024));
        QCOMPARE(fit.cores, 16); // the most cores of any host, even a busy one
        QVERIFY(!fit.memoryShort);
        QVERIFY(!fit.coresShort);
        QVERIFY(CapacityAdvisor::hosts(spec(15 * 1024, 1), {&small, &big, &busy}).memoryShort);
        QVERIFY(CapacityAdvisor::hosts(spec(1024, 17), {&small, &big, &busy}).coresShort);
    }

    // What no candidate host can ever run, against what may not fit now: memory beyond the largest host's
    // size (not its free memory), and the host that sets each limit.
    void theLargestHostSetsTheLimits()
    {
        const HostInfo h = host(QStringLiteral("esx-1"), 4, 1024, 2);
        HostFit one = CapacityAdvisor::hosts(spec(3076, 2), {&h});
        QVERIFY(one.memoryShort);        // more than the 3 GiB free ...
        QVERIFY(!one.memoryExceedsHost); // ... but less than the host's 4 GiB
        QCOMPARE(one.largestMemoryHost, QStringLiteral("esx-1"));
        QCOMPARE(one.largestCoresHost, QStringLiteral("esx-1"));
        one = CapacityAdvisor::hosts(spec(4100, 2), {&h});
        QVERIFY(one.memoryExceedsHost);
        QVERIFY(!CapacityAdvisor::hosts(spec(4096, 2), {&h}).memoryExceedsHost); // exactly the host's size

        const HostInfo small = host(QStringLiteral("small"), 4, 0, 2);
        const HostInfo wide = host(QStringLiteral("wide"), 8, 7 * 1024, 32);    // most cores, 1 GiB free
        const HostInfo large = host(QStringLiteral("large"), 64, 62 * 1024, 8); // most memory, 2 GiB free
        const HostFit several = CapacityAdvisor::hosts(spec(16 * 1024, 16), {&small, &wide, &large});
        QCOMPARE(several.totalMemoryMiB, qint64(64 * 1024));
        QCOMPARE(several.largestMemoryHost, QStringLiteral("large"));
        QCOMPARE(several.cores, 32);
        QCOMPARE(several.largestCoresHost, QStringLiteral("wide"));
        QCOMPARE(several.hostName, QStringLiteral("small")); // the most memory free
        QVERIFY(several.memoryShort);
        QVERIFY(!several.memoryExceedsHost);
        QVERIFY(!several.coresShort);
        QVERIFY(CapacityAdvisor::hosts(spec(65 * 1024, 1), {&small, &wide, &large}).memoryExceedsHost);
        QVERIFY(CapacityAdvisor::hosts(spec(1024, 33), {&small, &wide, &large}).coresShort);
    }

    // An inventory fetched without host details: no memory size, no core count, no verdict.
    void unknownFiguresGiveNoWarning()
    {
        const HostInfo h = host(QStringLiteral("bare"), 0, 0, 0);
        const HostFit one = CapacityAdvisor::hosts(spec(1 << 20, 700), {&h});
        QVERIFY(!one.memoryKnown);
        QVERIFY(!one.memoryShort);
        QVERIFY(!one.memoryExceedsHost);
        QVERIFY(!one.coresShort);
        const HostInfo h2 = host(QStringLiteral("bare-2"), 0, 0, 0);
        const HostFit several = CapacityAdvisor::hosts(spec(1 << 20, 700), {&h, &h2});
        QVERIFY(!several.memoryShort);
        QVERIFY(!several.memoryExceedsHost);
        QVERIFY(!several.coresShort);
    }

    void datastoreVerdicts_data()
    {
        QTest::addColumn<qint64>("freeGiB");
        QTest::addColumn<qint64>("thinGiB");
        QTest::addColumn<qint64>("thickGiB");
        QTest::addColumn<int>("verdict");
        // The VM has 1 GiB of memory: a 1 GiB swap file on the datastore.
        QTest::newRow("everything fits") << qint64(20) << qint64(10) << qint64(5) << int(DatastoreFit::Verdict::Fits);
        QTest::newRow("full size exactly") << qint64(16) << qint64(10) << qint64(5) << int(DatastoreFit::Verdict::Fits);
        QTest::newRow("thin disks could fill it")
            << qint64(10) << qint64(10) << qint64(5) << int(DatastoreFit::Verdict::MayFillUp);
        QTest::newRow("thick and swap exactly")
            << qint64(6) << qint64(0) << qint64(5) << int(DatastoreFit::Verdict::Fits);
        QTest::newRow("thick disk alone too big")
            << qint64(20) << qint64(0) << qint64(30) << int(DatastoreFit::Verdict::WillNotFit);
        QTest::newRow("the swap file tips it")
            << qint64(5) << qint64(0) << qint64(5) << int(DatastoreFit::Verdict::WillNotFit);
    }
    void datastoreVerdicts()
    {
        QFETCH(qint64, freeGiB);
        QFETCH(qint64, thinGiB);
        QFETCH(qint64, thickGiB);
        QList<DiskSpec> disks;
        if (thinGiB > 0)
            disks << DiskSpec{thinGiB * 1024, true};
        if (thickGiB > 0)
            disks << DiskSpec{thickGiB * 1024, false};
        const DatastoreFit fit = CapacityAdvisor::datastore(spec(1024, 1, disks), datastore(freeGiB * GiB));
        QCOMPARE(fit.thickMiB, thickGiB * 1024);
        QCOMPARE(fit.disksMiB, (thinGiB + thickGiB) * 1024);
        QCOMPARE(fit.swapMiB, qint64(1024));
        QCOMPARE(fit.freeMiB, freeGiB * 1024);
        QTEST(int(fit.verdict), "verdict");
    }

    // Overcommitted thin disks can make vSphere report negative free space: it counts as none.
    void negativeFreeSpaceIsNone()
    {
        const DatastoreFit fit =
            CapacityAdvisor::datastore(spec(4, 1, {DiskSpec{1, true}}), datastore(-5 * GiB, false));
        QCOMPARE(fit.freeMiB, qint64(0));
        QCOMPARE(int(fit.verdict), int(DatastoreFit::Verdict::WillNotFit));
        QVERIFY(!fit.accessible);
    }
};

QTEST_APPLESS_MAIN(TestCapacityAdvisor)
#include "TestCapacityAdvisor.moc"
