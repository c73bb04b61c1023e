// ProvisioningService + VsphereHypervisor + SqliteRequestStore against the bundled simulator over HTTPS:
// the resilience story end to end, with the fault door playing the unreliable vCenter.
#include "DomainQCompare.h"
#include "ManualClock.h"
#include "SimulatorSpec.h"
#include "VcsimProcess.h"

#include "app/service/ProvisioningService.h"
#include "app/storage/SqliteRequestStore.h"
#include "hypervisor/vsphere/VsphereHypervisor.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace dcm;
using namespace std::chrono_literals;

class TestServiceAgainstVcsim final : public QObject
{
    Q_OBJECT

private:
    VcsimProcess m_sim;
    QTemporaryDir m_dir;
    ManualClock m_clock;
    std::unique_ptr<ProvisioningService> m_service;
    int m_run = 0;

    void makeService(std::chrono::milliseconds callTimeout = 5s, bool liveInventory = false,
                     const std::function<void()>& beforeConnect = {})
    {
        ServiceConfig config;
        config.liveInventory = liveInventory;
        config.tickInterval = 0ms;
        config.owner = QStringLiteral("integration-%1").arg(++m_run);
        const QString db = m_dir.filePath(QStringLiteral("run-%1.sqlite").arg(m_run));
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
        if (beforeConnect)
            beforeConnect();
        ConnectionSettings s;
        s.server = m_sim.sdkUrl();
        s.user = m_sim.username();
        s.password = m_sim.password();
        s.thumbprint = m_sim.thumbprint();
        s.callTimeout = callTimeout;
        m_service->connectTo(s);
        QTRY_COMPARE_WITH_TIMEOUT(int(m_service->connectionStatus().state), int(ConnectionStatus::State::Connected),
                                  20000);
    }

    VmSpec spec(const QString& name) const { return simulatorSpec(name, 2, 512); }

    RequestState stateOf(const QUuid& id)
    {
        RequestState state = RequestState::Submitted;
        // The service publishes every change; the last published state is what the store holds.
        for (const auto& r : m_seen)
            if (r.id() == id)
                state = r.state();
        return state;
    }

    QList<ProvisioningRequest> m_seen;
    void watch()
    {
        m_seen.clear();
        connect(m_service.get(), &ProvisioningService::requestChanged, this,
                [this](const ProvisioningRequest& r) { m_seen.append(r); });
    }

    void tickUntil(const std::function<bool()>& done, int timeoutMs = 60000)
    {
        QDeadlineTimer deadline(timeoutMs);
        while (!done() && !deadline.hasExpired()) {
            m_service->tick();
            QTest::qWait(20);
        }
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
        makeService();
        watch();
    }

    void cleanup() { m_service.reset(); }

    // The console's inventory stays current by the live watch: a VM renamed and one removed by an
    // administrator elsewhere reach inventoryChanged without a refresh, through WaitForUpdatesEx.
    void vmsChangedElsewhereReachTheConsoleWithoutARefresh()
    {
        m_service.reset();
        std::unique_ptr<QSignalSpy> spy;
        makeService(5s, true, [&] { // as the console runs it
            spy = std::make_unique<QSignalSpy>(m_service.get(), &ProvisioningService::inventoryChanged);
            m_sim.post(QStringLiteral("/stats/reset"));
        });
        watch();
        QSignalSpy& changed = *spy;
        const auto names = [&] {
            QStringList out;
            if (!changed.isEmpty())
                for (const VmInfo& vm : changed.last().at(0).value<InventorySnapshot>().vms)
                    out << vm.name;
            return out;
        };
        const QJsonArray vms = m_sim.vms();
        QVERIFY(vms.size() >= 2);
        const QString renamed = vms.at(0).toObject().value(QStringLiteral("name")).toString();
        const QString removed = vms.at(1).toObject().value(QStringLiteral("name")).toString();
        QTRY_VERIFY_WITH_TIMEOUT(names().contains(renamed) && names().contains(removed), 30000);
        QTRY_COMPARE_WITH_TIMEOUT(m_sim.callCount(QStringLiteral("CreateFilter")), 1, 30000);
        m_sim.post(QStringLiteral("/stats/reset"));

        m_sim.post(QStringLiteral("/vm/rename"), {{QStringLiteral("name"), renamed},
                                                  {QStringLiteral("newName"), renamed + QStringLiteral("-elsewhere")}});
        m_sim.post(QStringLiteral("/vm/destroy"), {{QStringLiteral("name"), removed}});
        QTRY_VERIFY_WITH_TIMEOUT(names().contains(renamed + QStringLiteral("-elsewhere")) && !names().contains(removed),
                                 30000);
        QVERIFY(!names().contains(renamed));
        QVERIFY(m_sim.callCount(QStringLiteral("WaitForUpdatesEx")) >= 1);
        QCOMPARE(m_sim.callCount(QStringLiteral("RetrievePropertiesEx")), 0); // nothing was read again
    }

    void provisionsEndToEndExactlyOnce()
    {
        const SubmitAnswer a = m_service->submit(spec(QStringLiteral("svc-e2e")));
        QCOMPARE(int(a.outcome), int(SubmitAnswer::Outcome::Started));
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(a.id), RequestState::Provisioned, 30000);
        QCOMPARE(m_sim.vmsPerRequestKey().value(a.id.toString(QUuid::WithoutBraces)), 1);
    }

    void outageOpensTheBreakerQueuesWithoutIoAndOneScoutDrainsEverythingOnce()
    {
        QSignalSpy transitions(m_service.get(), &ProvisioningService::breakerTransitioned);
        m_sim.post(QStringLiteral("/door/down"));
        QList<QUuid> ids;
        for (int i = 0; i < 5; ++i) {
            ids << m_service->submit(spec(QStringLiteral("svc-outage-%1").arg(i))).id;
            const QUuid id = ids.last();
            QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), RequestState::QueuedForProvisioning, 20000);
        }
        // Opened by exactly the threshold of counted failures, and nothing was tried once it was open.
        QCOMPARE(m_service->breakerSnapshot().state, BreakerState::Open);
        QCOMPARE(m_service->breakerSnapshot().failed, quint64(5));
        QCOMPARE(transitions.count(), 1);

        // vCenter is back, but the breaker does not know yet: new requests queue with no I/O at all.
        m_sim.post(QStringLiteral("/door/up"));
        m_sim.post(QStringLiteral("/stats/reset"));
        for (int i = 0; i < 3; ++i) {
            const SubmitAnswer a = m_service->submit(spec(QStringLiteral("svc-while-open-%1").arg(i)));
            QCOMPARE(int(a.outcome), int(SubmitAnswer::Outcome::Queued));
            QCOMPARE(a.message,
                     QStringLiteral("Request accepted. Provisioning will start when the hypervisor is online."));
            ids << a.id;
        }
        m_clock.advance(29s);
        m_service->tick();
        QTest::qWait(200);
        QCOMPARE(m_sim.stats().value(QStringLiteral("total")).toInt(), 0);

        m_clock.advance(2s);
        m_service->tick(); // the scout
        QTRY_COMPARE_WITH_TIMEOUT(m_service->breakerSnapshot().state, BreakerState::Closed, 20000);
        QCOMPARE(m_sim.callCount(QStringLiteral("CurrentTime")), 1);
        tickUntil([&] {
            return std::all_of(ids.cbegin(), ids.cend(),
                               [&](const QUuid& id) { return stateOf(id) == RequestState::Provisioned; });
        });
        const auto counts = m_sim.vmsPerRequestKey();
        for (const QUuid& id : std::as_const(ids)) {
            QCOMPARE(stateOf(id), RequestState::Provisioned);
            QCOMPARE(counts.value(id.toString(QUuid::WithoutBraces)), 1);
        }
        QCOMPARE(m_sim.callCount(QStringLiteral("CurrentTime")), 1); // one scout per cooldown
    }

    void flappingVCenterLosesNothingAndDuplicatesNothing()
    {
        QList<QUuid> ids;
        for (int round = 0; round < 4; ++round) {
            m_sim.post(round % 2 ? QStringLiteral("/door/up") : QStringLiteral("/door/down"));
            for (int i = 0; i < 3; ++i)
                ids << m_service->submit(spec(QStringLiteral("svc-flap-%1-%2").arg(round).arg(i))).id;
            for (int t = 0; t < 5; ++t) {
                m_service->tick();
                QTest::qWait(50);
            }
            m_clock.advance(31s);
        }
        m_sim.post(QStringLiteral("/door/up"));
        tickUntil([&] {
            m_clock.advance(31s);
            return std::all_of(ids.cbegin(), ids.cend(),
                               [&](const QUuid& id) { return stateOf(id) == RequestState::Provisioned; });
        });
        const auto counts = m_sim.vmsPerRequestKey();
        for (const QUuid& id : std::as_const(ids)) {
            QCOMPARE(stateOf(id), RequestState::Provisioned);
            QCOMPARE(counts.value(id.toString(QUuid::WithoutBraces)), 1);
        }
    }

    void hangingVCenterTimesOutAndTheRequestIsReconciledNotDuplicated()
    {
        m_service.reset();
        makeService(2s);
        watch();
        m_sim.post(QStringLiteral("/door/hang"));
        const QUuid id = m_service->submit(spec(QStringLiteral("svc-hang"))).id;
        QTRY_VERIFY_WITH_TIMEOUT(
            stateOf(id) == RequestState::Reconciling || stateOf(id) == RequestState::QueuedForProvisioning, 20000);
        m_sim.post(QStringLiteral("/door/normal"));
        tickUntil([&] {
            m_clock.advance(31s);
            return stateOf(id) == RequestState::Provisioned;
        });
        QCOMPARE(stateOf(id), RequestState::Provisioned);
        QCOMPARE(m_sim.vmsPerRequestKey().value(id.toString(QUuid::WithoutBraces)), 1);
    }

    void lostCreateVmReplyIsAdoptedNotRecreated()
    {
        m_sim.post(QStringLiteral("/drop"),
                   {{QStringLiteral("method"), QStringLiteral("CreateVM_Task")}, {QStringLiteral("count"), 1}});
        const QUuid id = m_service->submit(spec(QStringLiteral("svc-lost-reply"))).id;
        tickUntil([&] { return stateOf(id) == RequestState::Provisioned; });
        QCOMPARE(stateOf(id), RequestState::Provisioned);
        QCOMPARE(m_sim.vmsPerRequestKey().value(id.toString(QUuid::WithoutBraces)), 1);
        QCOMPARE(m_sim.callCount(QStringLiteral("CreateVM_Task")) >= 1, true);
        bool reconciled = false;
        for (const ProvisioningRequest& r : std::as_const(m_seen))
            reconciled = reconciled || (r.id() == id && r.state() == RequestState::Reconciling);
        QVERIFY(reconciled);
    }

    void sessionKilledMidDrainIsReestablishedOnce()
    {
        m_service->forceBreakerOpen(QStringLiteral("hold while we kill the session"));
        QList<QUuid> ids;
        for (int i = 0; i < 3; ++i)
            ids << m_service->submit(spec(QStringLiteral("svc-session-%1").arg(i))).id;
        m_sim.post(QStringLiteral("/session/kill"));
        m_sim.post(QStringLiteral("/stats/reset"));
        m_service->resetBreaker(QStringLiteral("release"));
        tickUntil([&] {
            return std::all_of(ids.cbegin(), ids.cend(),
                               [&](const QUuid& id) { return stateOf(id) == RequestState::Provisioned; });
        });
        for (const QUuid& id : std::as_const(ids))
            QCOMPARE(stateOf(id), RequestState::Provisioned);
        QCOMPARE(m_sim.callCount(QStringLiteral("Login")), 1);
        QCOMPARE(m_service->breakerSnapshot().consecutiveFailures, 0);
    }

    void queuedRequestWhoseDatastoreVanishedFailsWithThatReason()
    {
        m_service->forceBreakerOpen(QStringLiteral("maintenance"));
        m_sim.post(QStringLiteral("/stats/reset"));
        const QUuid id = m_service->submit(spec(QStringLiteral("svc-vanished"))).id;
        QCOMPARE(stateOf(id), RequestState::QueuedForProvisioning);
        // Last test of the suite: it removes the datastore every spec here names.
        const QJsonObject removed =
            m_sim.post(QStringLiteral("/datastore/remove"), {{QStringLiteral("name"), QStringLiteral("LocalDS_0")}});
        QVERIFY(removed.value(QStringLiteral("ok")).toBool());
        m_service->resetBreaker(QStringLiteral("maintenance over"));
        tickUntil([&] { return stateOf(id) == RequestState::Failed; }, 20000);
        QCOMPARE(stateOf(id), RequestState::Failed);
        QString message;
        for (const ProvisioningRequest& r : std::as_const(m_seen))
            if (r.id() == id && r.lastError())
                message = r.lastError()->message;
        QVERIFY2(message.contains(QStringLiteral("LocalDS_0")), qPrintable(message));
        QCOMPARE(m_sim.callCount(QStringLiteral("CreateVM_Task")), 0);
    }
};

QTEST_GUILESS_MAIN(TestServiceAgainstVcsim)
#include "TestServiceAgainstVcsim.moc"
