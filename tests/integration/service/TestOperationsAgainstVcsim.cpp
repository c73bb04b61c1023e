// Power operations and decommission through ProvisioningService + VsphereHypervisor + SqliteRequestStore
// against the bundled simulator, with its fault door playing the unreliable vCenter: each operation,
// each with the breaker open and then closed, a lost reply on Destroy_Task and on PowerOffVM_Task, a
// service that stops while its call is out (the next one takes over), and two operations on one VM in
// order. The simulator's VMs run no VMware Tools: power off is a hard PowerOffVM_Task, restart a reset.
#include "DomainQCompare.h"
#include "ManualClock.h"
#include "SimulatorSpec.h"
#include "VcsimProcess.h"

#include "app/service/ProvisioningService.h"
#include "app/storage/SqliteRequestStore.h"
#include "domain/RequestEventText.h"
#include "hypervisor/vsphere/VsphereHypervisor.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace dcm;
using namespace std::chrono_literals;

class TestOperationsAgainstVcsim final : public QObject
{
    Q_OBJECT

private:
    VcsimProcess m_sim;
    QTemporaryDir m_dir;
    ManualClock m_clock;
    std::unique_ptr<ProvisioningService> m_service;
    QString m_db;
    int m_run = 0;

    void makeService(const QString& owner)
    {
        ServiceConfig config;
        config.tickInterval = 0ms;
        config.owner = owner;
        const QString db = m_db;
        m_service = std::make_unique<ProvisioningService>(
            [] {
                VsphereOptions options;
                options.taskPollMin = 10ms;
                return std::make_unique<VsphereHypervisor>(options);
            },
            [db]() -> Result<std::unique_ptr<RequestStorePort>> {
                auto store = SqliteRequestStore::open(db);
                if (!store.ok())
                    return store.error();
                return std::unique_ptr<RequestStorePort>(std::move(store.value()));
            },
            m_clock, config);
        m_service->initialize();
        QVERIFY(m_service->isInitialized());
        ConnectionSettings s;
        s.server = m_sim.sdkUrl();
        s.user = m_sim.username();
        s.password = m_sim.password();
        s.thumbprint = m_sim.thumbprint();
        s.callTimeout = 5s;
        m_service->connectTo(s);
        QTRY_COMPARE_WITH_TIMEOUT(int(m_service->connectionStatus().state), int(ConnectionStatus::State::Connected),
                                  20000);
    }

    std::optional<ProvisioningRequest> stored(const QUuid& id)
    {
        auto store = SqliteRequestStore::open(m_db);
        if (!store.ok())
            return std::nullopt;
        auto r = store.value()->get(id);
        return r.ok() ? r.value() : std::nullopt;
    }
    RequestState stateOf(const QUuid& id)
    {
        const auto r = stored(id);
        return r ? r->state() : RequestState::Submitted;
    }
    bool settledNow(const QUuid& id) { return isSettled(stateOf(id)); }

    void tickUntil(const std::function<bool()>& done, int timeoutMs = 60000)
    {
        QDeadlineTimer deadline(timeoutMs);
        while (!done() && !deadline.hasExpired()) {
            m_service->tick();
            QTest::qWait(20);
        }
    }

    // The simulator's view of the VM with this request key (its /vms read-back); empty when none.
    QJsonObject simVm(const QUuid& key)
    {
        for (const QJsonValue& v : m_sim.vms()) {
            const QJsonObject vm = v.toObject();
            if (vm.value(QStringLiteral("extraConfig")).toObject().value(QStringLiteral("dcm.requestId")).toString() ==
                key.toString(QUuid::WithoutBraces))
                return vm;
        }
        return {};
    }
    QString powerOf(const QUuid& key) { return simVm(key).value(QStringLiteral("powerState")).toString(); }

    // A VM provisioned through the service, as an operator's earlier request made it.
    QUuid provisioned(const QString& name, bool powerOn)
    {
        VmSpec spec = simulatorSpec(name, 1, 256);
        spec.powerOn = powerOn;
        const QUuid id = m_service->submit(spec).id;
        tickUntil([&] { return settledNow(id); }, 30000);
        [&] { QCOMPARE(stateOf(id), RequestState::Provisioned); }();
        return id;
    }

    OperationTarget target(const QUuid& id)
    {
        OperationTarget t;
        t.requestId = id;
        return t;
    }

    bool hasStep(const QUuid& id, const char* code)
    {
        const auto r = stored(id);
        if (!r)
            return false;
        for (const RequestEvent& e : r->history())
            if (e.code == QLatin1String(code))
                return true;
        return false;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString error;
        QVERIFY2(m_sim.start(&error), qPrintable(error));
    }

    void init()
    {
        m_sim.reset();
        m_db = m_dir.filePath(QStringLiteral("run-%1.sqlite").arg(++m_run));
        makeService(QStringLiteral("ops-%1").arg(m_run));
    }

    void cleanup() { m_service.reset(); }

    // Pins: each operation, first with the breaker open (accepted and queued with the operator's
    // sentence, nothing sent to vCenter), then with it closed (run once, to the state it promised).
    void eachOperationQueuedWhileOpenThenRunOnce_data()
    {
        QTest::addColumn<RequestKind>("kind");
        QTest::addColumn<bool>("startsOn");
        QTest::addColumn<QString>("call");
        QTest::addColumn<QString>("endPower"); // empty: the VM is gone
        QTest::newRow("power on") << RequestKind::PowerOn << false << "PowerOnVM_Task"
                                  << "poweredOn";
        QTest::newRow("power off") << RequestKind::PowerOff << true << "PowerOffVM_Task"
                                   << "poweredOff";
        QTest::newRow("restart") << RequestKind::Restart << true << "ResetVM_Task"
                                 << "poweredOn";
        QTest::newRow("decommission") << RequestKind::Decommission << true << "Destroy_Task" << QString();
    }
    void eachOperationQueuedWhileOpenThenRunOnce()
    {
        QFETCH(RequestKind, kind);
        QFETCH(bool, startsOn);
        QFETCH(QString, call);
        QFETCH(QString, endPower);
        const QUuid vm = provisioned(QStringLiteral("ops-%1-%2").arg(m_run).arg(toString(kind)), startsOn);
        m_service->forceBreakerOpen(QStringLiteral("maintenance window"));
        m_sim.post(QStringLiteral("/stats/reset"));
        const SubmitAnswer a = m_service->submitOperation(kind, target(vm));
        QCOMPARE(int(a.outcome), int(SubmitAnswer::Outcome::Queued));
        QCOMPARE(a.message, QStringLiteral("Request accepted. It will run when the hypervisor is online."));
        for (int i = 0; i < 3; ++i)
            m_service->tick();
        QCOMPARE(stateOf(a.id), RequestState::QueuedForProvisioning);
        QCOMPARE(m_sim.callCount(call), 0);

        m_service->resetBreaker(QStringLiteral("window over"));
        tickUntil([&] { return settledNow(a.id); });
        QCOMPARE(stateOf(a.id), RequestState::Provisioned);
        QCOMPARE(m_sim.callCount(call), 1);
        if (endPower.isEmpty()) {
            QVERIFY(simVm(vm).isEmpty());
            QCOMPARE(m_sim.callCount(QStringLiteral("PowerOffVM_Task")), 1);
            QVERIFY(stored(vm)->decommissionedAt().isValid());
        } else {
            QCOMPARE(powerOf(vm), endPower);
        }
    }

    // Pins: Destroy_Task done but its reply lost: the VM is read (gone), the decommission is done, and
    // Destroy_Task was sent once.
    void aLostReplyOnDestroyIsReconciledByReadingTheVm()
    {
        const QUuid vm = provisioned(QStringLiteral("ops-lost-destroy"), false);
        m_sim.post(QStringLiteral("/stats/reset"));
        m_sim.post(QStringLiteral("/drop"),
                   {{QStringLiteral("method"), QStringLiteral("Destroy_Task")}, {QStringLiteral("count"), 1}});
        const SubmitAnswer a = m_service->submitOperation(RequestKind::Decommission, target(vm));
        tickUntil([&] { return settledNow(a.id); });
        QCOMPARE(stateOf(a.id), RequestState::Provisioned);
        QVERIFY(hasStep(a.id, RequestEventText::kNoAnswer));
        QCOMPARE(m_sim.callCount(QStringLiteral("Destroy_Task")), 1);
        QVERIFY(simVm(vm).isEmpty());
    }

    // Pins: PowerOffVM_Task done but its reply lost: read, found off, done; sent once.
    void aLostReplyOnPowerOffIsReconciledByReadingTheVm()
    {
        const QUuid vm = provisioned(QStringLiteral("ops-lost-off"), true);
        m_sim.post(QStringLiteral("/stats/reset"));
        m_sim.post(QStringLiteral("/drop"),
                   {{QStringLiteral("method"), QStringLiteral("PowerOffVM_Task")}, {QStringLiteral("count"), 1}});
        const SubmitAnswer a = m_service->submitOperation(RequestKind::PowerOff, target(vm));
        tickUntil([&] { return settledNow(a.id); });
        QCOMPARE(stateOf(a.id), RequestState::Provisioned);
        QVERIFY(hasStep(a.id, RequestEventText::kNoAnswer));
        QCOMPARE(m_sim.callCount(QStringLiteral("PowerOffVM_Task")), 1);
        QCOMPARE(powerOf(vm), QStringLiteral("poweredOff"));
    }

    // Pins: the service stops while its Destroy_Task is out (vCenter carries it out all the same); once
    // its lease lapses another service takes the decommission over, reads the VM and finishes without
    // sending Destroy_Task again.
    void aServiceStoppingMidDecommissionIsTakenOver()
    {
        const QUuid vm = provisioned(QStringLiteral("ops-stop"), false);
        m_sim.post(QStringLiteral("/stats/reset"));
        m_sim.post(QStringLiteral("/delay"),
                   {{QStringLiteral("method"), QStringLiteral("Destroy_Task")}, {QStringLiteral("ms"), 1500}});
        const SubmitAnswer a = m_service->submitOperation(RequestKind::Decommission, target(vm));
        QTRY_COMPARE_WITH_TIMEOUT(m_sim.callCount(QStringLiteral("Destroy_Task")), 1, 20000);
        m_service.reset(); // gone with its call out
        QTRY_VERIFY_WITH_TIMEOUT(simVm(vm).isEmpty(), 20000);
        QCOMPARE(stateOf(a.id), RequestState::Provisioning);

        m_clock.advance(60s); // its lease lapses
        makeService(QStringLiteral("ops-survivor-%1").arg(m_run));
        tickUntil([&] { return settledNow(a.id); });
        QCOMPARE(stateOf(a.id), RequestState::Provisioned);
        QVERIFY(hasStep(a.id, RequestEventText::kTakenOver));
        QCOMPARE(m_sim.callCount(QStringLiteral("Destroy_Task")), 1);
        QVERIFY(stored(vm)->decommissionedAt().isValid());
    }

    // Pins: two operations on one VM run in order: the power-on submitted while a power-off is out waits
    // for it, then runs; the VM ends powered on.
    void twoOperationsOnOneVmRunInOrder()
    {
        const QUuid vm = provisioned(QStringLiteral("ops-order"), true);
        m_sim.post(QStringLiteral("/delay"),
                   {{QStringLiteral("method"), QStringLiteral("PowerOffVM_Task")}, {QStringLiteral("ms"), 800}});
        const SubmitAnswer off = m_service->submitOperation(RequestKind::PowerOff, target(vm));
        const SubmitAnswer on = m_service->submitOperation(RequestKind::PowerOn, target(vm));
        QCOMPARE(int(on.outcome), int(SubmitAnswer::Outcome::Queued));
        QVERIFY(hasStep(on.id, RequestEventText::kWaitsForEarlier));
        tickUntil([&] {
            if (settledNow(off.id))
                m_clock.advance(OperationRunner::orderRecheck);
            return settledNow(on.id);
        });
        QCOMPARE(stateOf(off.id), RequestState::Provisioned);
        QCOMPARE(stateOf(on.id), RequestState::Provisioned);
        QVERIFY(stored(on.id)->history().last().at >= stored(off.id)->updatedAt());
        QCOMPARE(powerOf(vm), QStringLiteral("poweredOn"));
    }
};

QTEST_GUILESS_MAIN(TestOperationsAgainstVcsim)
#include "TestOperationsAgainstVcsim.moc"
