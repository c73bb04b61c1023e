// Refused credentials and a hung vCenter, end to end: the service with the real vSphere adapter and the
// real SQLite store against the bundled simulator, whose fault door expires sessions on demand (old
// cookies stay dead) and refuses Login with InvalidLogin — a service account whose password was changed.
//
// What must hold: one refused Login per credential, whatever paths meet the expired session at once;
// credentials never count towards the breaker and never fail a request; a task whose poll met the refusal
// stays "sent, outcome pending" and is adopted by its key once the credentials work; every timed-out poll
// counts as it happens, and no poll goes out while the breaker is open.
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

class TestCredentialsAgainstVcsim final : public QObject
{
    Q_OBJECT

private:
    VcsimProcess m_sim;
    QTemporaryDir m_dir;
    ManualClock m_clock;
    std::unique_ptr<ProvisioningService> m_service;
    QHash<QUuid, ProvisioningRequest> m_last;
    int m_run = 0;

    ConnectionSettings settings(std::chrono::milliseconds callTimeout) const
    {
        ConnectionSettings s;
        s.server = m_sim.sdkUrl();
        s.user = m_sim.username();
        s.password = m_sim.password();
        s.thumbprint = m_sim.thumbprint();
        s.callTimeout = callTimeout;
        return s;
    }

    void makeService(int threshold = 5, std::chrono::milliseconds callTimeout = 5s)
    {
        ServiceConfig config;
        config.tickInterval = 0ms;
        config.drainConcurrency = 8;
        config.breaker.failureThreshold = threshold;
        config.owner = QStringLiteral("credentials-%1").arg(++m_run);
        const QString db = m_dir.filePath(QStringLiteral("run-%1.sqlite").arg(m_run));
        m_service = std::make_unique<ProvisioningService>(
            [] {
                VsphereOptions options;
                options.taskPollMin = 10ms;
                options.taskPollMax = 200ms;
                return std::make_unique<VsphereHypervisor>(options);
            },
            [db]() -> Result<std::unique_ptr<RequestStorePort>> {
                auto store = SqliteRequestStore::open(db);
                if (!store.ok())
                    return store.error();
                return std::unique_ptr<RequestStorePort>(std::move(store.value()));
            },
            m_clock, config);
        m_last.clear();
        connect(m_service.get(), &ProvisioningService::requestChanged, this,
                [this](const ProvisioningRequest& r) { m_last.insert(r.id(), r); });
        m_service->initialize();
        QVERIFY(m_service->isInitialized());
        m_service->connectTo(settings(callTimeout));
        QTRY_COMPARE_WITH_TIMEOUT(int(m_service->connectionStatus().state), int(ConnectionStatus::State::Connected),
                                  20000);
    }

    RequestState stateOf(const QUuid& id) const
    {
        return m_last.contains(id) ? m_last.value(id).state() : RequestState::Submitted;
    }

    bool allIn(const QList<QUuid>& ids, RequestState state) const
    {
        return std::all_of(ids.cbegin(), ids.cend(), [&](const QUuid& id) { return stateOf(id) == state; });
    }

    // The service's timer, by hand: `seconds` ticks, one simulated second apart, each followed by a turn
    // of the event loop so that replies in flight are handled.
    void runFor(int seconds)
    {
        for (int i = 0; i < seconds; ++i) {
            m_clock.advance(1s);
            m_service->tick();
            QTest::qWait(20);
        }
    }

    void refuseLogins()
    {
        m_sim.post(QStringLiteral("/session/expire"), QJsonObject{{QStringLiteral("on"), true}});
        m_sim.post(QStringLiteral("/fault"),
                   QJsonObject{{QStringLiteral("method"), QStringLiteral("Login")},
                               {QStringLiteral("fault"), QStringLiteral("InvalidLogin")},
                               {QStringLiteral("message"), QStringLiteral("Cannot complete login due to an incorrect "
                                                                          "user name or password.")},
                               {QStringLiteral("count"), 1000}});
    }

    void expectStoppedForTheOperator()
    {
        const ConnectionStatus& c = m_service->connectionStatus();
        QCOMPARE(int(c.state), int(ConnectionStatus::State::NeedsOperator));
        QVERIFY(c.error.has_value());
        QVERIFY2(c.error->is(ErrorCode::LoginRefused), qPrintable(c.error->code));
        QVERIFY(c.error->message.contains(m_sim.username()));
        // Credentials never move the breaker.
        QCOMPARE(m_service->breakerSnapshot().state, BreakerState::Closed);
        QCOMPARE(m_service->breakerSnapshot().consecutiveFailures, 0);
    }

    // New credentials (here: the same password, accepted again): exactly one Login, then everything flows.
    void fixCredentialsAndDrain(const QList<QUuid>& ids)
    {
        m_sim.reset();
        m_sim.post(QStringLiteral("/stats/reset"));
        m_service->connectTo(settings(5s));
        QTRY_COMPARE_WITH_TIMEOUT(int(m_service->connectionStatus().state), int(ConnectionStatus::State::Connected),
                                  20000);
        QDeadlineTimer deadline(60000);
        while (!allIn(ids, RequestState::Provisioned) && !deadline.hasExpired())
            runFor(1);
        const auto counts = m_sim.vmsPerRequestKey();
        for (const QUuid& id : ids) {
            QCOMPARE(stateOf(id), RequestState::Provisioned);
            QCOMPARE(counts.value(id.toString(QUuid::WithoutBraces)), 1);
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
        m_sim.post(QStringLiteral("/stats/reset"));
    }

    void cleanup()
    {
        m_service.reset();
        m_sim.post(QStringLiteral("/session/expire"), QJsonObject{{QStringLiteral("on"), false}});
        m_sim.reset();
    }

    // Six submissions meet an expired session at once, the new Login is refused: one Login in all, over a
    // minute of ticks; nothing fails, nothing counts; the queue is kept and drains once credentials work.
    void refusedLoginIsSentOnceForEverythingInFlight()
    {
        makeService();
        refuseLogins();
        m_sim.post(QStringLiteral("/stats/reset"));
        QList<QUuid> ids;
        for (int i = 0; i < 6; ++i)
            ids << m_service->submit(simulatorSpec(QStringLiteral("cred-burst-%1").arg(i), 1, 256)).id;
        QTRY_COMPARE_WITH_TIMEOUT(int(m_service->connectionStatus().state), int(ConnectionStatus::State::NeedsOperator),
                                  20000);
        runFor(60);

        QCOMPARE(m_sim.callCount(QStringLiteral("Login")), 1);
        QCOMPARE(m_sim.callCount(QStringLiteral("CreateVM_Task")), 0);
        expectStoppedForTheOperator();
        for (const QUuid& id : std::as_const(ids))
            QCOMPARE(stateOf(id), RequestState::QueuedForProvisioning);

        fixCredentialsAndDrain(ids);
        QCOMPARE(m_sim.callCount(QStringLiteral("Login")), 1); // the new credentials' one
    }

    // The session expires while six CreateVM tasks are being followed and the new Login is refused: the
    // polls share one refused Login; the requests stay "sent, outcome pending" (never FAILED, never
    // counted); with working credentials each is found by its key and adopted — no VM created twice.
    void refusalWhileTasksAreFollowedKeepsThemPendingAndAdoptsThem()
    {
        makeService();
        // Polls (and placement reads) answer slowly, so that the tasks are still followed when the
        // session expires.
        m_sim.post(QStringLiteral("/delay"),
                   QJsonObject{{QStringLiteral("method"), QStringLiteral("RetrievePropertiesEx")},
                               {QStringLiteral("ms"), 2500}});
        QList<QUuid> ids;
        for (int i = 0; i < 6; ++i)
            ids << m_service->submit(simulatorSpec(QStringLiteral("cred-tasks-%1").arg(i), 1, 256)).id;
        QTRY_COMPARE_WITH_TIMEOUT(m_sim.callCount(QStringLiteral("CreateVM_Task")), 6, 30000);
        refuseLogins();
        m_sim.post(QStringLiteral("/stats/reset"));

        QTRY_VERIFY_WITH_TIMEOUT(allIn(ids, RequestState::QueuedForProvisioning), 30000);
        runFor(60);
        QCOMPARE(m_sim.callCount(QStringLiteral("Login")), 1);
        QCOMPARE(m_sim.callCount(QStringLiteral("CreateVM_Task")), 0);
        expectStoppedForTheOperator();
        for (const QUuid& id : std::as_const(ids)) {
            QCOMPARE(stateOf(id), RequestState::QueuedForProvisioning);
            QVERIFY(m_last.value(id).lastError().has_value());
            QCOMPARE(m_last.value(id).lastError()->kind, ErrorKind::Authentication);
        }

        m_sim.post(
            QStringLiteral("/delay"),
            QJsonObject{{QStringLiteral("method"), QStringLiteral("RetrievePropertiesEx")}, {QStringLiteral("ms"), 0}});
        fixCredentialsAndDrain(ids);
        QCOMPARE(m_sim.callCount(QStringLiteral("CreateVM_Task")), 0); // adopted, never re-sent
    }

    // An administrator's explicit probe tries the refused credentials once more — one Login — and
    // nothing else does.
    void probeByAnAdministratorTriesTheCredentialsOnce()
    {
        makeService();
        refuseLogins();
        m_sim.post(QStringLiteral("/stats/reset"));
        const QUuid id = m_service->submit(simulatorSpec(QStringLiteral("cred-probe"), 1, 256)).id;
        QTRY_COMPARE_WITH_TIMEOUT(int(m_service->connectionStatus().state), int(ConnectionStatus::State::NeedsOperator),
                                  20000);
        QCOMPARE(m_sim.callCount(QStringLiteral("Login")), 1);
        m_service->probeNow();
        QTRY_COMPARE_WITH_TIMEOUT(m_sim.callCount(QStringLiteral("Login")), 2, 20000);
        runFor(30);
        QCOMPARE(m_sim.callCount(QStringLiteral("Login")), 2);
        expectStoppedForTheOperator();
        QCOMPARE(stateOf(id), RequestState::QueuedForProvisioning);
    }

    // vCenter stops answering while tasks are followed: every timed-out poll counts as it happens, so the
    // breaker opens after exactly `threshold` timeouts; while it is open no poll goes out; once the scout
    // closes it the tasks are followed again and each request ends PROVISIONED with one VM.
    void hungVCenterOpensTheBreakerFromPollsAndPollingResumesAfterTheScout()
    {
        makeService(2, 1500ms);
        m_sim.post(QStringLiteral("/delay"),
                   QJsonObject{{QStringLiteral("method"), QStringLiteral("RetrievePropertiesEx")},
                               {QStringLiteral("ms"), 600}});
        QList<QUuid> ids;
        for (int i = 0; i < 3; ++i)
            ids << m_service->submit(simulatorSpec(QStringLiteral("hang-poll-%1").arg(i), 1, 256)).id;
        QTRY_COMPARE_WITH_TIMEOUT(m_sim.callCount(QStringLiteral("CreateVM_Task")), 3, 30000);
        QSignalSpy transitions(m_service.get(), &ProvisioningService::breakerTransitioned);
        m_sim.post(QStringLiteral("/door/hang"));
        QTRY_COMPARE_WITH_TIMEOUT(m_service->breakerSnapshot().state, BreakerState::Open, 20000);
        QVERIFY(m_service->breakerSnapshot().lastError.has_value());
        QCOMPARE(m_service->breakerSnapshot().lastError->code, QStringLiteral("timeout"));

        // Open: no poll reaches vCenter, however long the tasks wait (short of the scout's cooldown).
        m_sim.post(QStringLiteral("/door/normal"));
        m_sim.post(QStringLiteral("/stats/reset"));
        for (int i = 0; i < 25; ++i) {
            m_clock.advance(1s);
            m_service->tick();
            QTest::qWait(40);
        }
        QCOMPARE(m_sim.callCount(QStringLiteral("RetrievePropertiesEx")), 0);
        QCOMPARE(m_service->breakerSnapshot().state, BreakerState::Open);

        m_sim.post(
            QStringLiteral("/delay"),
            QJsonObject{{QStringLiteral("method"), QStringLiteral("RetrievePropertiesEx")}, {QStringLiteral("ms"), 0}});
        m_clock.advance(10s);
        m_service->tick(); // the scout
        QTRY_COMPARE_WITH_TIMEOUT(m_service->breakerSnapshot().state, BreakerState::Closed, 20000);
        QDeadlineTimer deadline(60000);
        while (!allIn(ids, RequestState::Provisioned) && !deadline.hasExpired())
            runFor(1);
        const auto counts = m_sim.vmsPerRequestKey();
        for (const QUuid& id : std::as_const(ids)) {
            QCOMPARE(stateOf(id), RequestState::Provisioned);
            QCOMPARE(counts.value(id.toString(QUuid::WithoutBraces)), 1);
        }
        QVERIFY(transitions.count() >= 2); // opened, then closed by the scout
    }
};

QTEST_GUILESS_MAIN(TestCredentialsAgainstVcsim)
#include "TestCredentialsAgainstVcsim.moc"
