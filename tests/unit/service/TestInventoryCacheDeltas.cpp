// The service's inventory cache applying the hypervisor's live deltas: a full delta replaces the VMs,
// later ones change, add and remove by reference, paths come from the folders already read, and
// changed() is coalesced (the first at once, the rest when the throttle runs out).
#include "DomainQCompare.h"
#include "FakeHypervisor.h"
#include "ManualClock.h"

#include "app/service/ConnectionManager.h"
#include "app/service/InventoryCache.h"

#include <QSignalSpy>
#include <QTest>

using namespace dcm;
using namespace std::chrono_literals;

namespace {

VmInfo vm(const QString& ref, const QString& name, const QString& folder = QStringLiteral("group-v3"))
{
    VmInfo v;
    v.ref = ref;
    v.name = name;
    v.parentRef = folder;
    v.powerState = QStringLiteral("poweredOn");
    return v;
}

const VmInfo* find(const InventorySnapshot& s, const QString& ref)
{
    for (const VmInfo& v : s.vms) {
        if (v.ref == ref)
            return &v;
    }
    return nullptr;
}

} // namespace

class TestInventoryCacheDeltas final : public QObject
{
    Q_OBJECT

    ManualClock m_clock;
    std::unique_ptr<CircuitBreaker> m_breaker;
    std::unique_ptr<ConnectionManager> m_connection;
    std::unique_ptr<InventoryCache> m_cache;

private slots:
    void init()
    {
        m_breaker = std::make_unique<CircuitBreaker>(m_clock);
        m_connection = std::make_unique<ConnectionManager>(*m_breaker, m_clock);
        m_cache = std::make_unique<InventoryCache>(*m_breaker, *m_connection, m_clock, 15000ms);
        m_cache->setDeltaThrottle(std::chrono::hours(1)); // only the test lets it run out
    }
    void cleanup()
    {
        m_cache.reset();
        m_connection.reset();
        m_breaker.reset();
    }

    void aChangeBeforeTheFullStateIsIgnored()
    {
        QSignalSpy changed(m_cache.get(), &InventoryCache::changed);
        InventoryDelta d;
        d.vms = {vm(QStringLiteral("vm-1"), QStringLiteral("a"))};
        m_cache->apply(d);
        QVERIFY(!m_cache->snapshot().has_value());
        QCOMPARE(changed.count(), 0);
    }

    void deltasApplyByReferenceAndAreCoalesced()
    {
        QSignalSpy changed(m_cache.get(), &InventoryCache::changed);
        InventoryDelta full;
        full.full = true;
        full.vms = {vm(QStringLiteral("vm-1"), QStringLiteral("web-1")),
                    vm(QStringLiteral("vm-2"), QStringLiteral("web-2")),
                    vm(QStringLiteral("vm-3"), QStringLiteral("web-3"))};
        m_cache->apply(full);
        QCOMPARE(changed.count(), 1); // the first at once
        QCOMPARE(m_cache->snapshot()->vms.size(), qsizetype(3));

        InventoryDelta renamed;
        renamed.vms = {vm(QStringLiteral("vm-1"), QStringLiteral("web-1-new"))};
        InventoryDelta created;
        created.vms = {vm(QStringLiteral("vm-9"), QStringLiteral("made-elsewhere"))};
        InventoryDelta removed;
        removed.removedVms = {QStringLiteral("vm-2")};
        m_cache->apply(renamed);
        m_cache->apply(created);
        m_cache->apply(removed);
        QCOMPARE(changed.count(), 1); // held back by the throttle, not lost
        const InventorySnapshot& now = *m_cache->snapshot();
        QCOMPARE(now.vms.size(), qsizetype(3));
        QCOMPARE(find(now, QStringLiteral("vm-1"))->name, QStringLiteral("web-1-new"));
        QVERIFY(find(now, QStringLiteral("vm-9")));
        QVERIFY(!find(now, QStringLiteral("vm-2")));

        m_cache->setDeltaThrottle(0ms); // the throttle runs out: one signal with all three changes
        QTRY_COMPARE(changed.count(), 2);
        const auto emitted = changed.last().at(0).value<InventorySnapshot>();
        QCOMPARE(find(emitted, QStringLiteral("vm-1"))->name, QStringLiteral("web-1-new"));
        QVERIFY(find(emitted, QStringLiteral("vm-9")));
        QVERIFY(!find(emitted, QStringLiteral("vm-2")));
    }

    void aTemplateRenamedElsewhereKeepsItsDetailsAndPaths()
    {
        FakeHypervisor hv; // one read brings the folders and the template's details
        m_connection->attach(&hv, nullptr);
        ConnectionSettings s;
        s.server = QUrl(QStringLiteral("https://vc.test/sdk"));
        s.user = QStringLiteral("operator");
        s.password = QStringLiteral("secret");
        m_connection->connectTo(s);
        QTRY_VERIFY(m_connection->isConnected());
        m_cache->attach(&hv);
        m_cache->fetch(allInventoryKinds(), nullptr);
        QTRY_VERIFY(m_cache->snapshot().has_value());
        QCOMPARE(m_cache->snapshot()->templates.size(), qsizetype(1));
        const QString ref = m_cache->snapshot()->templates.front().ref;

        VmInfo renamed = vm(ref, QStringLiteral("ubuntu-tpl-2024"), QStringLiteral("group-v3"));
        renamed.isTemplate = true;
        InventoryDelta d;
        d.vms = {renamed};
        m_cache->apply(d);
        const TemplateInfo& t = m_cache->snapshot()->templates.front();
        QCOMPARE(t.name, QStringLiteral("ubuntu-tpl-2024"));
        QCOMPARE(t.path, QStringLiteral("/DC0/vm/ubuntu-tpl-2024")); // the folder's path and the new name
        QCOMPARE(t.cpus, 2);                                         // the details stay
        QCOMPARE(find(*m_cache->snapshot(), ref)->path, QStringLiteral("/DC0/vm/ubuntu-tpl-2024"));
        m_connection->attach(nullptr, nullptr);
    }

    void aFullDeltaDropsWhatItDoesNotList()
    {
        InventoryDelta first;
        first.full = true;
        first.vms = {vm(QStringLiteral("vm-1"), QStringLiteral("a")), vm(QStringLiteral("vm-2"), QStringLiteral("b"))};
        m_cache->apply(first);
        InventoryDelta again; // after a new session: vm-2 was removed during the gap
        again.full = true;
        again.vms = {vm(QStringLiteral("vm-1"), QStringLiteral("a2"))};
        m_cache->apply(again);
        QCOMPARE(m_cache->snapshot()->vms.size(), qsizetype(1));
        QCOMPARE(m_cache->snapshot()->vms.front().name, QStringLiteral("a2"));
    }
};

QTEST_GUILESS_MAIN(TestInventoryCacheDeltas)
#include "TestInventoryCacheDeltas.moc"
