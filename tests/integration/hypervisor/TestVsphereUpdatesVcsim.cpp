#include "VcsimDriver.h"

#include "SimulatorSpec.h"

#include "hypervisor/vsphere/UpdateChannel.h"

#include <QTest>

#include "DomainQCompare.h"

using namespace dcm;
using namespace std::chrono_literals;

namespace {

// What a watcher knows: deltas applied as the service's cache applies them.
struct Watcher
{
    QHash<QString, VmInfo> vms;
    int deltas = 0;
    int fullDeltas = 0;
    std::optional<Result<void>> ended;
    CallId id = 0;

    void start(HypervisorPort& hv)
    {
        id = hv.watchInventory(
            InventoryKinds(InventoryKind::Vms),
            [this](const InventoryDelta& d) {
                ++deltas;
                if (d.full) {
                    ++fullDeltas;
                    vms.clear();
                }
                for (const VmInfo& vm : d.vms)
                    vms.insert(vm.ref, vm);
                for (const QString& ref : d.removedVms)
                    vms.remove(ref);
            },
            [this](Result<void> r) { ended.emplace(std::move(r)); });
    }
    QString refNamed(const QString& name) const
    {
        for (const VmInfo& vm : vms) {
            if (vm.name == name)
                return vm.ref;
        }
        return {};
    }
};

// The simulator's breaker stand-in: says no while `closed`, counts what it was asked and told.
struct Gate
{
    bool closed = false;
    int asked = 0;
    int refused = 0;
    int reports = 0;
    CallGate gate()
    {
        return [this]() -> CallReport {
            ++asked;
            if (closed) {
                ++refused;
                return {};
            }
            return [this](const Error*) { ++reports; };
        };
    }
};

} // namespace

// The update channel against the simulator: a PropertyCollector filter over the VMs and WaitForUpdatesEx.
// Changes made elsewhere (another client, the simulator's own API) reach the watcher; the watch survives
// a killed session without losing what changed meanwhile; nothing is sent while the gate says no; a
// disconnect ends it cleanly.
class TestVsphereUpdatesVcsim : public QObject
{
    Q_OBJECT

    VcsimProcess m_sim;
    std::unique_ptr<VcsimDriver> m_driver;

    // RetrievePropertiesEx calls of one provision whose task has ended before its first read.
    int retrievesForOneProvision(const QString& name)
    {
        m_sim.post(QStringLiteral("/stats/reset"));
        const Result<ProvisionOutcome> r =
            m_driver->provision(ProvisionOrder{QUuid::createUuid(), simulatorSpec(name)});
        if (!r.ok())
            return -1;
        return m_sim.callCount(QStringLiteral("RetrievePropertiesEx"));
    }

    static VsphereOptions quickOptions()
    {
        VsphereOptions o;
        o.updateWaitSeconds = 2; // a killed session or a closed gate is noticed within seconds
        o.taskPollMax = 200ms;
        return o;
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
        m_driver = std::make_unique<VcsimDriver>(m_sim, quickOptions());
    }
    void cleanup() { m_driver.reset(); }

    void createdRenamedAndRemovedElsewhereAreSeen()
    {
        QVERIFY(m_driver->connect().ok());
        Watcher w;
        w.start(m_driver->hv());
        QTRY_COMPARE_WITH_TIMEOUT(w.fullDeltas, 1, 30000);
        QCOMPARE(w.vms.size(), qsizetype(m_sim.vms().size()));
        // Only the paths asked for: the watch is as complete as the inventory read.
        const Result<InventorySnapshot> read = m_driver->inventory(InventoryKinds(InventoryKind::Vms));
        QVERIFY(read.ok());
        for (const VmInfo& vm : read.value().vms) {
            QVERIFY2(w.vms.contains(vm.ref), qPrintable(vm.ref));
            QCOMPARE(w.vms.value(vm.ref).name, vm.name);
            QCOMPARE(w.vms.value(vm.ref).powerState, vm.powerState);
            QCOMPARE(w.vms.value(vm.ref).cpus, vm.cpus);
            QCOMPARE(w.vms.value(vm.ref).instanceUuid, vm.instanceUuid);
            QCOMPARE(w.vms.value(vm.ref).isTemplate, vm.isTemplate);
        }

        // Created by another client.
        VcsimDriver other(m_sim);
        QVERIFY(other.connect().ok());
        const QUuid key = QUuid::createUuid();
        const Result<ProvisionOutcome> made =
            other.provision(ProvisionOrder{key, simulatorSpec(QStringLiteral("upd-created"))});
        QVERIFY2(made.ok(), qPrintable(made.ok() ? QString() : made.error().message));
        QTRY_VERIFY_WITH_TIMEOUT(!w.refNamed(QStringLiteral("upd-created")).isEmpty(), 15000);
        const QString ref = w.refNamed(QStringLiteral("upd-created"));
        QCOMPARE(ref, made.value().vm.ref);
        QTRY_COMPARE_WITH_TIMEOUT(w.vms.value(ref).requestId, key.toString(QUuid::WithoutBraces), 15000);

        // Renamed and removed by an administrator.
        m_sim.post(QStringLiteral("/vm/rename"), {{QStringLiteral("name"), QStringLiteral("upd-created")},
                                                  {QStringLiteral("newName"), QStringLiteral("upd-renamed")}});
        QTRY_COMPARE_WITH_TIMEOUT(w.vms.value(ref).name, QStringLiteral("upd-renamed"), 15000);
        m_sim.post(QStringLiteral("/vm/destroy"), {{QStringLiteral("name"), QStringLiteral("upd-renamed")}});
        QTRY_VERIFY_WITH_TIMEOUT(!w.vms.contains(ref), 15000);
        QCOMPARE(w.fullDeltas, 1); // deltas, not full reads again
        QVERIFY(!w.ended.has_value());
        // One collector and one filter for the session, never one per change.
        QCOMPARE(m_sim.callCount(QStringLiteral("CreatePropertyCollector")), 1);
        QCOMPARE(m_sim.callCount(QStringLiteral("CreateFilter")), 1);
    }

    void aKilledSessionLosesNothing()
    {
        Gate gate;
        m_driver->hv().setCallGate(gate.gate());
        QVERIFY(m_driver->connect().ok());
        VcsimDriver other(m_sim);
        QVERIFY(other.connect().ok());
        QVERIFY(
            other.provision(ProvisionOrder{QUuid::createUuid(), simulatorSpec(QStringLiteral("gap-renamed"))}).ok());
        QVERIFY(
            other.provision(ProvisionOrder{QUuid::createUuid(), simulatorSpec(QStringLiteral("gap-removed"))}).ok());
        Watcher w;
        w.start(m_driver->hv());
        QTRY_COMPARE_WITH_TIMEOUT(w.fullDeltas, 1, 30000);
        const QString renamed = w.refNamed(QStringLiteral("gap-renamed"));
        const QString removed = w.refNamed(QStringLiteral("gap-removed"));
        QVERIFY(!renamed.isEmpty() && !removed.isEmpty());
        const int logins = m_driver->hv().loginCount();

        // A gap with no wait in flight (the breaker held it back): the session ends server-side with the
        // collector and its filter, and meanwhile things change.
        gate.closed = true;
        QTRY_VERIFY_WITH_TIMEOUT(!m_driver->hv().updateChannel().waiting(), 15000);
        QVERIFY(m_sim.post(QStringLiteral("/session/kill")).value(QStringLiteral("killed")).toInt() >= 1);
        m_sim.post(QStringLiteral("/vm/rename"), {{QStringLiteral("name"), QStringLiteral("gap-renamed")},
                                                  {QStringLiteral("newName"), QStringLiteral("gap-renamed-2")}});
        m_sim.post(QStringLiteral("/vm/destroy"), {{QStringLiteral("name"), QStringLiteral("gap-removed")}});
        QCOMPARE(w.vms.value(renamed).name, QStringLiteral("gap-renamed"));
        gate.closed = false;

        // The channel logs in again, recreates its collector and filter and starts from an empty version:
        // the full state that follows carries both changes.
        QTRY_VERIFY_WITH_TIMEOUT(m_driver->hv().loginCount() > logins, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(w.fullDeltas, 2, 30000);
        QCOMPARE(w.vms.value(renamed).name, QStringLiteral("gap-renamed-2"));
        QVERIFY(!w.vms.contains(removed));
        QVERIFY(!w.ended.has_value());
        QCOMPARE(m_sim.callCount(QStringLiteral("CreatePropertyCollector")), 2);

        // And it keeps following in the new session.
        m_sim.post(QStringLiteral("/vm/rename"), {{QStringLiteral("name"), QStringLiteral("gap-renamed-2")},
                                                  {QStringLiteral("newName"), QStringLiteral("gap-renamed-3")}});
        QTRY_COMPARE_WITH_TIMEOUT(w.vms.value(renamed).name, QStringLiteral("gap-renamed-3"), 30000);
        QCOMPARE(w.fullDeltas, 2);
    }

    void aClosedGateStopsTheChannel()
    {
        Gate gate;
        m_driver->hv().setCallGate(gate.gate());
        QVERIFY(m_driver->connect().ok());
        VcsimDriver other(m_sim);
        QVERIFY(other.connect().ok());
        QVERIFY(other.provision(ProvisionOrder{QUuid::createUuid(), simulatorSpec(QStringLiteral("gate-vm"))}).ok());
        Watcher w;
        w.start(m_driver->hv());
        QTRY_COMPARE_WITH_TIMEOUT(w.fullDeltas, 1, 30000);
        const QString ref = w.refNamed(QStringLiteral("gate-vm"));
        QVERIFY(!ref.isEmpty());
        QVERIFY(gate.reports > 0); // the channel's calls were reported to the gate

        // The breaker opens: the wait in flight ends (maxWaitSeconds), and no other one goes out.
        gate.closed = true;
        QTRY_VERIFY_WITH_TIMEOUT(!m_driver->hv().updateChannel().waiting(), 15000);
        m_sim.post(QStringLiteral("/stats/reset"));
        m_sim.post(QStringLiteral("/vm/rename"), {{QStringLiteral("name"), QStringLiteral("gate-vm")},
                                                  {QStringLiteral("newName"), QStringLiteral("gate-vm-2")}});
        const int refusedBefore = gate.refused;
        QTRY_VERIFY_WITH_TIMEOUT(gate.refused >= refusedBefore + 5, 15000); // it kept asking, and was told no
        QCOMPARE(m_sim.callCount(QStringLiteral("WaitForUpdatesEx")), 0);
        QCOMPARE(w.vms.value(ref).name, QStringLiteral("gate-vm"));

        // The breaker closes: the channel resumes from its version and the change arrives.
        gate.closed = false;
        QTRY_COMPARE_WITH_TIMEOUT(w.vms.value(ref).name, QStringLiteral("gate-vm-2"), 15000);
        QVERIFY(m_sim.callCount(QStringLiteral("WaitForUpdatesEx")) >= 1);
        QCOMPARE(w.fullDeltas, 1); // resumed, not restarted
    }

    void disconnectEndsTheWatchCleanly()
    {
        QVERIFY(m_driver->connect().ok());
        Watcher w;
        w.start(m_driver->hv());
        QTRY_COMPARE_WITH_TIMEOUT(w.fullDeltas, 1, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(m_driver->hv().updateChannel().waiting(), 15000);
        const Result<void> off = m_driver->run<void>([&](auto done) { m_driver->hv().disconnectFrom(done); });
        QVERIFY(off.ok());
        QTRY_VERIFY(w.ended.has_value());
        QVERIFY(!w.ended->ok());
        QCOMPARE(w.ended->error().kind, ErrorKind::Cancelled);
        QCOMPARE(m_driver->hv().updateChannel().followers(), 0);
        QVERIFY(!m_driver->hv().updateChannel().waiting());
        QTRY_COMPARE(m_sim.callCount(QStringLiteral("DestroyPropertyCollector")), 1);
        const int deltas = w.deltas;
        // A change after the disconnect reaches nobody: a new session and a full read later, still none.
        m_sim.post(QStringLiteral("/vm/destroy"),
                   {{QStringLiteral("name"), m_sim.vms().at(0).toObject().value(QStringLiteral("name")).toString()}});
        QVERIFY(m_driver->connect().ok());
        QVERIFY(m_driver->inventory(InventoryKinds(InventoryKind::Vms)).ok());
        QCOMPARE(w.deltas, deltas);
    }

    // A provision whose CreateVM_Task stays running for a second: read once (still running), then
    // followed through a filter on the channel — no poll — and the filter destroyed once it ended.
    void aRunningTaskIsFollowedByUpdates()
    {
        VsphereOptions o = quickOptions();
        o.placementCacheTtl = 0ms; // every provision reads the same, so their calls compare
        m_driver = std::make_unique<VcsimDriver>(m_sim, o);
        QVERIFY(m_driver->connect().ok());
        const int before = retrievesForOneProvision(QStringLiteral("dcm-upd-task-0"));
        QVERIFY(before > 0);

        m_sim.post(QStringLiteral("/door/task-delay"),
                   QJsonObject{{QStringLiteral("ms"), 1000},
                               {QStringLiteral("methods"), QJsonArray{QStringLiteral("CreateVM_Task")}}});
        m_sim.post(QStringLiteral("/tasks/completed/reset"));
        m_sim.post(QStringLiteral("/stats/reset"));
        const Result<ProvisionOutcome> r =
            m_driver->provision(ProvisionOrder{QUuid::createUuid(), simulatorSpec(QStringLiteral("dcm-upd-task-1"))});
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));

        // The task was held: it ended after the reply, as the simulator reports.
        const QJsonArray completed =
            m_sim.get(QStringLiteral("/tasks/completed")).value(QStringLiteral("completed")).toArray();
        QCOMPARE(completed.size(), 1);
        QCOMPARE(completed.at(0).toObject().value(QStringLiteral("entityName")).toString(),
                 QStringLiteral("dcm-upd-task-1"));
        QCOMPARE(completed.at(0).toObject().value(QStringLiteral("entity")).toString(), r.value().vm.ref);

        // One read of the task (the first, which found it running) and no poll: as many reads as a
        // provision whose task had already ended; the rest came through WaitForUpdatesEx.
        QCOMPARE(m_sim.callCount(QStringLiteral("RetrievePropertiesEx")), before);
        QVERIFY(m_sim.callCount(QStringLiteral("WaitForUpdatesEx")) >= 1);
        QCOMPARE(m_sim.callCount(QStringLiteral("CreateFilter")), 1);
        QTRY_COMPARE(m_sim.callCount(QStringLiteral("DestroyPropertyFilter")), 1);
    }

    // The same held task with tasksByUpdates off is polled: more reads, no filter.
    void aRunningTaskIsPolledWithoutUpdates()
    {
        VsphereOptions o = quickOptions();
        o.placementCacheTtl = 0ms;
        o.tasksByUpdates = false;
        m_driver = std::make_unique<VcsimDriver>(m_sim, o);
        QVERIFY(m_driver->connect().ok());
        const int before = retrievesForOneProvision(QStringLiteral("dcm-poll-task-0"));

        m_sim.post(QStringLiteral("/door/task-delay"),
                   QJsonObject{{QStringLiteral("ms"), 1000},
                               {QStringLiteral("methods"), QJsonArray{QStringLiteral("CreateVM_Task")}}});
        m_sim.post(QStringLiteral("/stats/reset"));
        const Result<ProvisionOutcome> r =
            m_driver->provision(ProvisionOrder{QUuid::createUuid(), simulatorSpec(QStringLiteral("dcm-poll-task-1"))});
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
        // Polls at 0, 50, 100, 200, 200, ... ms over a second: several reads beyond the first.
        QVERIFY2(m_sim.callCount(QStringLiteral("RetrievePropertiesEx")) >= before + 3,
                 qPrintable(QStringLiteral("%1 reads vs %2 for an ended task")
                                .arg(m_sim.callCount(QStringLiteral("RetrievePropertiesEx")))
                                .arg(before)));
        QCOMPARE(m_sim.callCount(QStringLiteral("WaitForUpdatesEx")), 0);
        QCOMPARE(m_sim.callCount(QStringLiteral("CreateFilter")), 0);
    }

    void stopWatchingDestroysTheFilter()
    {
        QVERIFY(m_driver->connect().ok());
        Watcher w;
        w.start(m_driver->hv());
        QTRY_COMPARE_WITH_TIMEOUT(w.fullDeltas, 1, 30000);
        m_driver->hv().stopWatching(w.id);
        QTRY_VERIFY(w.ended.has_value());
        QCOMPARE(w.ended->error().kind, ErrorKind::Cancelled);
        QTRY_COMPARE(m_sim.callCount(QStringLiteral("DestroyPropertyFilter")), 1);
        QTRY_COMPARE(m_sim.callCount(QStringLiteral("DestroyView")), 1);
    }
};

QTEST_GUILESS_MAIN(TestVsphereUpdatesVcsim)
#include "TestVsphereUpdatesVcsim.moc"
