// ProvisioningService against a scriptable fake hypervisor, an in-memory store and a manual clock:
// every path of the resilience rules (breaker, durable queue, reconcile before resend), with no sleeps and no network.
#include "DomainQCompare.h"
#include "FakeBreakerLog.h"
#include "FakeHypervisor.h"
#include "FakeHypervisorOwner.h"
#include "FakeRequestStore.h"
#include "FakeRequestStoreOwner.h"
#include "ManualClock.h"

#include "app/service/ProvisioningService.h"

#include <QSignalSpy>
#include <QTest>

using namespace dcm;
using namespace std::chrono_literals;

namespace QTest {
inline bool qCompare(ConnectionStatus::State t1, ConnectionStatus::State t2, const char* actual, const char* expected,
                     const char* file, int line)
{
    return qCompare(int(t1), int(t2), actual, expected, file, line);
}
inline bool qCompare(SubmitAnswer::Outcome t1, SubmitAnswer::Outcome t2, const char* actual, const char* expected,
                     const char* file, int line)
{
    return qCompare(int(t1), int(t2), actual, expected, file, line);
}
} // namespace QTest

namespace {

VmSpec validSpec(const QString& name = QStringLiteral("web-01"))
{
    VmSpec s;
    s.name = name;
    s.cpus = 2;
    s.coresPerSocket = 1;
    s.memoryMiB = 2048;
    s.disks = {DiskSpec{10240, true}};
    s.nics = {dcm::NicSpec{QStringLiteral("VM Network")}};
    s.datastore = QStringLiteral("ds1");
    s.datacenter = QStringLiteral("DC0");
    s.cluster = QStringLiteral("C0");
    s.guestId = QStringLiteral("otherLinux64Guest");
    return s;
}

Error systemError()
{
    return Error::make(ErrorKind::Transient, QStringLiteral("vim-fault"), QStringLiteral("A general system error"),
                       QStringLiteral("SystemError"));
}

} // namespace

class TestProvisioningService final : public QObject
{
    Q_OBJECT

private:
    ManualClock m_clock;
    FakeHypervisor* m_hv = nullptr; // owned by the service
    FakeRequestStore* m_store = nullptr;
    std::shared_ptr<FakeBreakerLog> m_breakerLog;
    std::unique_ptr<ProvisioningService> m_service;

    void makeService(ServiceConfig config = {})
    {
        config.tickInterval = 0ms; // the test ticks
        config.owner = QStringLiteral("test-owner");
        auto hv = std::make_unique<FakeHypervisor>();
        auto store = std::make_unique<FakeRequestStore>();
        m_hv = hv.get();
        m_store = store.get();
        m_service = std::make_unique<ProvisioningService>(
            [hv = std::shared_ptr<FakeHypervisor>(hv.release())]() mutable {
                return std::unique_ptr<HypervisorPort>(new FakeHypervisorOwner(hv));
            },
            [store = std::shared_ptr<FakeRequestStore>(
                 store.release())]() mutable -> Result<std::unique_ptr<RequestStorePort>> {
                return std::unique_ptr<RequestStorePort>(new FakeRequestStoreOwner(store));
            },
            m_clock, config);
        m_breakerLog = std::make_shared<FakeBreakerLog>();
        m_service->setBreakerLogFactory([log = m_breakerLog]() -> Result<std::unique_ptr<BreakerLogPort>> {
            return std::unique_ptr<BreakerLogPort>(new FakeBreakerLogOwner(log));
        });
        m_service->initialize();
        QVERIFY(m_service->isInitialized());
    }

    void connectService()
    {
        ConnectionSettings s;
        s.server = QUrl(QStringLiteral("https://vc.test/sdk"));
        s.user = QStringLiteral("operator");
        s.password = QStringLiteral("secret");
        m_service->connectTo(s);
        QTRY_COMPARE(m_service->connectionStatus().state, ConnectionStatus::State::Connected);
    }

    // A full inventory read, so that the drain's placement check needs none.
    void freshInventory()
    {
        QSignalSpy read(m_service.get(), &ProvisioningService::inventoryChanged);
        m_service->refreshInventory();
        QTRY_COMPARE(read.count(), 1);
    }

    RequestState stateOf(const QUuid& id)
    {
        auto r = m_store->get(id);
        return r.ok() && r.value() ? r.value()->state() : RequestState::Submitted;
    }

    ProvisioningRequest requestOf(const QUuid& id) { return *m_store->get(id).value(); }

    // Opens the breaker the way an outage does: `threshold` counted failures in a row.
    QList<QUuid> tripBreakerWithFailedSubmissions(int threshold)
    {
        m_hv->setUnreachable(true);
        QList<QUuid> ids;
        for (int i = 0; i < threshold; ++i) {
            const SubmitAnswer a = m_service->submit(validSpec(QStringLiteral("trip-%1").arg(i)));
            ids << a.id;
            [&] { QTRY_COMPARE(stateOf(a.id), RequestState::QueuedForProvisioning); }();
        }
        return ids;
    }

private Q_SLOTS:
    void init() { makeService(); }
    void cleanup()
    {
        m_service.reset();
        m_hv = nullptr;
        m_store = nullptr;
    }

    void submitWhileClosedProvisionsExactlyOneVm()
    {
        connectService();
        QSignalSpy answers(m_service.get(), &ProvisioningService::submitAnswered);
        const SubmitAnswer a = m_service->submit(validSpec(), 42);
        QCOMPARE(a.outcome, SubmitAnswer::Outcome::Started);
        QCOMPARE(a.token, quint64(42));
        QCOMPARE(answers.count(), 1);
        QTRY_COMPARE(stateOf(a.id), RequestState::Provisioned);
        QCOMPARE(m_hv->vmCountFor(a.id), 1);
        const ProvisioningRequest r = requestOf(a.id);
        QCOMPARE(r.attempts(), 1);
        QVERIFY(r.vmRef().startsWith(QStringLiteral("vm-")));
        QCOMPARE(m_hv->provisionOrders().constFirst().requestId, a.id); // the idempotency key goes along
        QVERIFY(m_store->leaseOwner(a.id).isEmpty());                   // claim released when settled
    }

    void submitIsDurableBeforeItIsAcknowledged()
    {
        connectService();
        m_hv->setHoldCalls(true);
        const SubmitAnswer a = m_service->submit(validSpec());
        QVERIFY(a.accepted());
        QVERIFY(m_store->get(a.id).value().has_value()); // stored at the moment of the answer
        m_hv->completeAllHeld();
    }

    void invalidSpecIsRejectedWithEveryProblemAndNothingStored()
    {
        connectService();
        VmSpec bad = validSpec();
        bad.name.clear();
        bad.cpus = 0;
        const SubmitAnswer a = m_service->submit(bad);
        QCOMPARE(a.outcome, SubmitAnswer::Outcome::Rejected);
        QVERIFY(a.problems.size() >= 2);
        QCOMPARE(m_store->size(), 0);
        QCOMPARE(m_hv->calls(FakeHypervisor::Method::Provision), 0);
    }

    void storageFailureMeansNotAccepted()
    {
        connectService();
        m_store->setFailWrites(true);
        QSignalSpy storage(m_service.get(), &ProvisioningService::storageFailed);
        const SubmitAnswer a = m_service->submit(validSpec());
        QCOMPARE(a.outcome, SubmitAnswer::Outcome::Failed);
        QVERIFY(!a.accepted());
        QVERIFY(a.message.contains(QStringLiteral("not accepted")));
        QCOMPARE(storage.count(), 1);
        QCOMPARE(m_hv->calls(FakeHypervisor::Method::Provision), 0);
    }

    void breakerOpensAfterExactlyTheThresholdAndLaterSubmissionsQueueWithoutIo()
    {
        connectService();
        QSignalSpy transitions(m_service.get(), &ProvisioningService::breakerTransitioned);
        tripBreakerWithFailedSubmissions(4);
        QCOMPARE(m_service->breakerSnapshot().state, BreakerState::Closed);
        tripBreakerWithFailedSubmissions(1);
        QCOMPARE(m_service->breakerSnapshot().state, BreakerState::Open);
        QCOMPARE(transitions.count(), 1);

        const int callsBefore = m_hv->totalCalls();
        const SubmitAnswer queued = m_service->submit(validSpec(QStringLiteral("while-open")));
        QCOMPARE(queued.outcome, SubmitAnswer::Outcome::Queued);
        QCOMPARE(queued.message,
                 QStringLiteral("Request accepted. Provisioning will start when the hypervisor is online."));
        QCOMPARE(stateOf(queued.id), RequestState::QueuedForProvisioning);
        m_service->tick();
        QCOMPARE(m_hv->totalCalls(), callsBefore); // no I/O while open, not even a scout before the cooldown
        QVERIFY(m_breakerLog->lastBreakerState().value().has_value()); // the transition was recorded
    }

    // Pins: a transition goes to the breaker log (not the request store), with the snapshot right after
    // it and this service as its owner; a log that refuses an append is reported, and the breaker still
    // moves.
    void breakerTransitionsAreRecordedInTheBreakerLog()
    {
        connectService();
        QSignalSpy storage(m_service.get(), &ProvisioningService::storageFailed);
        tripBreakerWithFailedSubmissions(5);
        QCOMPARE(m_breakerLog->records().size(), 1);
        const BreakerRecord& opened = m_breakerLog->records().first();
        QCOMPARE(opened.transition.from, BreakerState::Closed);
        QCOMPARE(opened.transition.to, BreakerState::Open);
        QCOMPARE(opened.snapshot.state, BreakerState::Open);
        QCOMPARE(opened.snapshot.consecutiveFailures, 5);
        QCOMPARE(opened.owner, QStringLiteral("test-owner"));
        QCOMPARE(storage.count(), 0);

        m_breakerLog->setFailAppends(true);
        m_service->resetBreaker(QStringLiteral("admin"));
        QCOMPARE(m_service->breakerSnapshot().state, BreakerState::Closed);
        QCOMPARE(storage.count(), 1);
        QCOMPARE(m_breakerLog->records().size(), 1);
    }

    // Pins: a breaker log that cannot be opened does not stop the service: it is reported once, and
    // requests are accepted as before.
    void aBreakerLogThatCannotOpenIsReportedAndTheServiceRuns()
    {
        m_service.reset();
        ServiceConfig config;
        config.tickInterval = 0ms;
        config.owner = QStringLiteral("test-owner");
        auto store = std::make_shared<FakeRequestStore>();
        m_store = store.get();
        m_service = std::make_unique<ProvisioningService>(
            [] { return std::unique_ptr<HypervisorPort>(new FakeHypervisor()); },
            [store]() -> Result<std::unique_ptr<RequestStorePort>> {
                return std::unique_ptr<RequestStorePort>(new FakeRequestStoreOwner(store));
            },
            m_clock, config);
        const Error refused =
            Error::make(ErrorKind::Storage, QStringLiteral("database-unwritable"), QStringLiteral("cannot open"));
        m_service->setBreakerLogFactory([refused]() -> Result<std::unique_ptr<BreakerLogPort>> { return refused; });
        QSignalSpy initialized(m_service.get(), &ProvisioningService::initialized);
        QSignalSpy storage(m_service.get(), &ProvisioningService::storageFailed);
        m_service->initialize();
        QVERIFY(m_service->isInitialized());
        QCOMPARE(initialized.count(), 1);
        QVERIFY(!initialized.at(0).at(0).value<std::optional<Error>>().has_value());
        QCOMPARE(storage.count(), 1);
        QCOMPARE(storage.at(0).at(0).value<Error>(), refused);
        QVERIFY(m_service->submit(validSpec()).accepted());
    }

    void oneScoutAfterTheCooldownThenTheDrainProvisionsEveryQueuedRequestOnce()
    {
        connectService();
        QList<QUuid> ids = tripBreakerWithFailedSubmissions(5);
        for (int i = 0; i < 3; ++i)
            ids << m_service->submit(validSpec(QStringLiteral("queued-%1").arg(i))).id;
        m_hv->setUnreachable(false);

        m_clock.advance(29s);
        m_service->tick();
        QCOMPARE(m_hv->calls(FakeHypervisor::Method::Probe), 0);
        m_clock.advance(2s);
        m_service->tick();
        QCOMPARE(m_hv->calls(FakeHypervisor::Method::Probe), 1);
        QTRY_COMPARE(m_service->breakerSnapshot().state, BreakerState::Closed);
        // The drain runs by itself once closed; ticks keep it going as slots free up.
        for (const QUuid& id : std::as_const(ids)) {
            QTRY_COMPARE_WITH_TIMEOUT((m_service->tick(), stateOf(id)), RequestState::Provisioned, 10000);
            QCOMPARE(m_hv->vmCountFor(id), 1);
        }
        QCOMPARE(m_hv->calls(FakeHypervisor::Method::Probe), 1);
        QCOMPARE(m_hv->vmCount(), ids.size());
    }

    void aFailedScoutReopensWithANewCooldown()
    {
        connectService();
        tripBreakerWithFailedSubmissions(5);
        m_clock.advance(31s);
        m_service->tick();
        QCOMPARE(m_hv->calls(FakeHypervisor::Method::Probe), 1);
        QTRY_COMPARE(m_service->breakerSnapshot().state, BreakerState::Open);
        m_clock.advance(10s);
        m_service->tick();
        QCOMPARE(m_hv->calls(FakeHypervisor::Method::Probe), 1);
    }

    void aScoutThatNeverAnswersTimesOut()
    {
        connectService();
        tripBreakerWithFailedSubmissions(5);
        m_hv->setHoldCalls(true);
        m_clock.advance(31s);
        m_service->tick();
        QCOMPARE(m_service->breakerSnapshot().state, BreakerState::HalfOpen);
        m_clock.advance(11s); // past the scout's own deadline
        m_service->tick();
        QCOMPARE(m_service->breakerSnapshot().state, BreakerState::Open);
        m_hv->setHoldCalls(false);
        m_hv->completeAllHeld();
    }

    void transientFailureRequeuesWithBackoffThenGivesUp()
    {
        ServiceConfig config;
        config.maxAttempts = 3;
        config.breaker.failureThreshold = 100; // keep the breaker out of this test
        makeService(config);
        connectService();
        m_hv->failNext(FakeHypervisor::Method::Provision, systemError(), 3);
        const QUuid id = m_service->submit(validSpec()).id;
        QTRY_COMPARE(stateOf(id), RequestState::QueuedForProvisioning);
        QVERIFY(requestOf(id).nextAttemptAt() >= m_clock.utcNow());
        QCOMPARE(requestOf(id).lastError()->vimFault, QStringLiteral("SystemError"));
        for (int i = 0; i < 20 && stateOf(id) != RequestState::Failed; ++i) {
            m_clock.advance(120s);
            m_service->tick();
            QTest::qWait(0);
            QCoreApplication::processEvents();
            QTRY_VERIFY(m_service->inFlightCount() == 0);
        }
        QCOMPARE(stateOf(id), RequestState::Failed);
        QCOMPARE(requestOf(id).attempts(), 3);
        QVERIFY2(requestOf(id).lastError()->message.contains(QStringLiteral("gave up after 3 attempts")),
                 qPrintable(requestOf(id).lastError()->message));
        QCOMPARE(m_hv->vmCountFor(id), 0);
    }

    void permanentFaultFailsWithTheHypervisorsMessage()
    {
        connectService();
        m_hv->failNext(FakeHypervisor::Method::Provision,
                       Error::make(ErrorKind::Business, QStringLiteral("vim-fault"),
                                   QStringLiteral("Insufficient resources on the target"),
                                   QStringLiteral("InsufficientResourcesFault")));
        const QUuid id = m_service->submit(validSpec()).id;
        QTRY_COMPARE(stateOf(id), RequestState::Failed);
        QVERIFY(requestOf(id).lastError()->message.contains(QStringLiteral("Insufficient resources")));
        QCOMPARE(m_service->breakerSnapshot().consecutiveFailures, 0); // business faults do not count
    }

    void lostReplyIsReconciledAndTheVmAdoptedNotCreatedTwice()
    {
        connectService();
        m_hv->failNext(FakeHypervisor::Method::Provision,
                       Error::make(ErrorKind::OutcomeUnknown, QStringLiteral("connection-dropped"),
                                   QStringLiteral("connection closed after the request was sent")),
                       1, FakeHypervisor::Effect::CreateVm);
        const QUuid id = m_service->submit(validSpec()).id;
        QTRY_COMPARE(stateOf(id), RequestState::Provisioned);
        QCOMPARE(m_hv->vmCountFor(id), 1);
        QCOMPARE(m_hv->calls(FakeHypervisor::Method::Provision), 1);
        QCOMPARE(m_hv->calls(FakeHypervisor::Method::FindByRequestKey), 1);
        const ProvisioningRequest r = requestOf(id);
        bool sawReconciling = false;
        for (const RequestEvent& e : r.history())
            sawReconciling = sawReconciling || e.to == RequestState::Reconciling;
        QVERIFY(sawReconciling);
    }

    void lostRequestWithNoVmIsSentAgainOnce()
    {
        connectService();
        m_hv->failNext(FakeHypervisor::Method::Provision,
                       Error::make(ErrorKind::OutcomeUnknown, QStringLiteral("timeout"), QStringLiteral("timed out")));
        const QUuid id = m_service->submit(validSpec()).id;
        QTRY_COMPARE(stateOf(id), RequestState::Provisioned);
        QCOMPARE(m_hv->vmCountFor(id), 1);
        QCOMPARE(m_hv->calls(FakeHypervisor::Method::Provision), 2);
        QCOMPARE(requestOf(id).attempts(), 2);
    }

    void queuedSpecWhoseDatastoreVanishedFailsWithThatReason()
    {
        connectService();
        m_service->forceBreakerOpen(QStringLiteral("maintenance"));
        const QUuid id = m_service->submit(validSpec()).id;
        QCOMPARE(stateOf(id), RequestState::QueuedForProvisioning);
        InventorySnapshot inv = FakeHypervisor::sampleInventory();
        inv.datastores.clear();
        m_hv->setInventory(inv);
        m_service->resetBreaker(QStringLiteral("maintenance over"));
        QTRY_COMPARE(stateOf(id), RequestState::Failed);
        QVERIFY2(requestOf(id).lastError()->message.contains(QStringLiteral("datastore 'ds1'")),
                 qPrintable(requestOf(id).lastError()->message));
        QCOMPARE(m_hv->calls(FakeHypervisor::Method::Provision), 0);
    }

    void drainConcurrencyIsBounded()
    {
        connectService();
        m_service->setQueuePaused(true);
        QList<QUuid> ids;
        for (int i = 0; i < 10; ++i)
            ids << m_service->submit(validSpec(QStringLiteral("vm-%1").arg(i))).id;
        m_hv->setHoldCalls(true);
        m_service->setQueuePaused(false);
        QTRY_COMPARE(m_hv->heldCount(), 1); // the inventory check first
        m_hv->completeHeld();
        QTRY_COMPARE(m_hv->calls(FakeHypervisor::Method::Provision), 4);
        m_service->tick();
        QCOMPARE(m_hv->calls(FakeHypervisor::Method::Provision), 4);
        m_hv->setHoldCalls(false);
        m_hv->completeAllHeld();
        for (const QUuid& id : std::as_const(ids))
            QTRY_COMPARE(stateOf(id), RequestState::Provisioned);
        QCOMPARE(m_hv->vmCount(), 10);
    }

    void drainIsOldestFirst()
    {
        connectService();
        m_service->setQueuePaused(true);
        QList<QUuid> ids;
        for (int i = 0; i < 6; ++i) {
            ids << m_service->submit(validSpec(QStringLiteral("order-%1").arg(i))).id;
            m_clock.advance(1s);
        }
        m_service->setQueuePaused(false);
        for (const QUuid& id : std::as_const(ids))
            QTRY_COMPARE(stateOf(id), RequestState::Provisioned);
        QList<QUuid> sent;
        for (const ProvisionOrder& o : m_hv->provisionOrders())
            sent << o.requestId;
        QCOMPARE(sent, ids);
    }

    void cancelBeforeSendingAndRefusedOnceSent()
    {
        connectService();
        m_service->forceBreakerOpen(QStringLiteral("hold"));
        const QUuid queued = m_service->submit(validSpec(QStringLiteral("a"))).id;
        QCOMPARE(m_service->cancel(queued), std::nullopt);
        QCOMPARE(stateOf(queued), RequestState::Cancelled);
        QVERIFY(m_service->cancel(queued).has_value()); // cancelled already: refused

        m_service->resetBreaker(QStringLiteral("go"));
        m_hv->setHoldCalls(true);
        const QUuid sent = m_service->submit(validSpec(QStringLiteral("b"))).id;
        QCOMPARE(stateOf(sent), RequestState::Provisioning);
        const auto refused = m_service->cancel(sent);
        QVERIFY(refused.has_value());
        QCOMPARE(refused->code, QStringLiteral("already-sent"));
        m_hv->setHoldCalls(false);
        m_hv->completeAllHeld();
        QTRY_COMPARE(stateOf(sent), RequestState::Provisioned);
        QCOMPARE(m_hv->vmCountFor(queued), 0);
    }

    void retryNowRequeuesAFailedRequestAndLooksBeforeSending()
    {
        connectService();
        m_hv->failNext(FakeHypervisor::Method::Provision,
                       Error::make(ErrorKind::Business, QStringLiteral("vim-fault"), QStringLiteral("bad config"),
                                   QStringLiteral("InvalidVmConfig")));
        const QUuid id = m_service->submit(validSpec()).id;
        QTRY_COMPARE(stateOf(id), RequestState::Failed);
        QCOMPARE(m_service->retryNow(id), std::nullopt);
        QTRY_COMPARE((m_service->tick(), stateOf(id)), RequestState::Provisioned);
        QCOMPARE(m_hv->calls(FakeHypervisor::Method::FindByRequestKey), 1);
        QCOMPARE(m_hv->vmCountFor(id), 1);
    }

    void pausedQueueAcceptsAndHolds()
    {
        connectService();
        QSignalSpy paused(m_service.get(), &ProvisioningService::queuePausedChanged);
        m_service->setQueuePaused(true);
        QCOMPARE(paused.count(), 1);
        const SubmitAnswer a = m_service->submit(validSpec());
        QCOMPARE(a.outcome, SubmitAnswer::Outcome::Queued);
        m_service->tick();
        QCOMPARE(m_hv->calls(FakeHypervisor::Method::Provision), 0);
        m_service->setQueuePaused(false);
        QTRY_COMPARE(stateOf(a.id), RequestState::Provisioned);
    }

    void forcedOpenNeverScoutsAndResetDrains()
    {
        connectService();
        m_service->forceBreakerOpen(QStringLiteral("vCenter upgrade"));
        const QUuid id = m_service->submit(validSpec()).id;
        m_clock.advance(10min);
        m_service->tick();
        m_service->probeNow();
        QCOMPARE(m_hv->calls(FakeHypervisor::Method::Probe), 0);
        QCOMPARE(stateOf(id), RequestState::QueuedForProvisioning);
        QCOMPARE(m_service->breakerSnapshot().state, BreakerState::ForcedOpen);
        m_service->resetBreaker(QStringLiteral("upgrade done"));
        QTRY_COMPARE(stateOf(id), RequestState::Provisioned);
    }

    void probeNowScoutsBeforeTheCooldown()
    {
        connectService();
        tripBreakerWithFailedSubmissions(5);
        m_hv->setUnreachable(false);
        m_service->probeNow();
        QCOMPARE(m_hv->calls(FakeHypervisor::Method::Probe), 1);
        QTRY_COMPARE(m_service->breakerSnapshot().state, BreakerState::Closed);
    }

    void requestsOfADeadServiceAreTakenOverAndReconciled()
    {
        connectService();
        // Another process sent this one, created the VM, and died before recording the outcome.
        ProvisioningRequest orphan(QUuid::createUuid(), validSpec(QStringLiteral("orphan")), m_clock.utcNow());
        QVERIFY(m_store->insert(orphan, QStringLiteral("dead-process"), m_clock.utcNow().addSecs(5)).ok());
        QVERIFY(orphan.transitionTo(RequestState::Provisioning, QStringLiteral("sent"), m_clock.utcNow()).ok());
        QVERIFY(m_store->update(orphan, RequestState::Submitted).ok());
        m_hv->failNext(FakeHypervisor::Method::Provision, systemError(), 1, FakeHypervisor::Effect::CreateVm);
        m_hv->provision(ProvisionOrder{orphan.id(), orphan.spec()}, {}, [](Result<ProvisionOutcome>) {});
        QTRY_COMPARE(m_hv->vmCountFor(orphan.id()), 1);

        m_service->tick();
        QCOMPARE(stateOf(orphan.id()), RequestState::Provisioning); // lease still live: not ours
        m_clock.advance(6s);
        m_service->tick();
        QTRY_COMPARE(stateOf(orphan.id()), RequestState::Provisioned);
        QCOMPARE(m_hv->vmCountFor(orphan.id()), 1);
        // Adopted: the VM the dead process created, found by the request key it carries.
        QCOMPARE(requestOf(orphan.id()).vmRef(), m_hv->vmsFor(orphan.id()).front().ref);
    }

    void rejectedCredentialsNeedTheOperatorAndAreNotRetried()
    {
        m_hv->failNext(FakeHypervisor::Method::Connect,
                       Error::make(ErrorKind::Authentication, QStringLiteral("vim-fault"),
                                   QStringLiteral("Cannot complete login due to an incorrect user name or password."),
                                   QStringLiteral("InvalidLogin")));
        ConnectionSettings s;
        s.server = QUrl(QStringLiteral("https://vc.test/sdk"));
        s.user = QStringLiteral("operator");
        s.password = QStringLiteral("wrong");
        m_service->connectTo(s);
        QTRY_COMPARE(m_service->connectionStatus().state, ConnectionStatus::State::NeedsOperator);
        for (int i = 0; i < 5; ++i) {
            m_clock.advance(1min);
            m_service->tick();
        }
        QCOMPARE(m_hv->calls(FakeHypervisor::Method::Connect), 1); // no account lock-out by retrying
        QCOMPARE(m_service->breakerSnapshot().state, BreakerState::Closed);
        const SubmitAnswer a = m_service->submit(validSpec());
        QCOMPARE(a.outcome, SubmitAnswer::Outcome::Queued); // accepted all the same
    }

    // The drain re-reads placement only (never the VMs); the inventory it publishes keeps the VMs of the
    // operator's last full read, so the form's same-name check never goes blind after a drain.
    void aDrainsPlacementReadKeepsTheVmsOfTheLastFullRead()
    {
        connectService();
        InventorySnapshot inventory = FakeHypervisor::sampleInventory();
        for (int i = 0; i < 3; ++i) {
            VmInfo vm;
            vm.ref = QStringLiteral("vm-%1").arg(i);
            vm.name = QStringLiteral("existing-%1").arg(i);
            inventory.vms.append(vm);
        }
        m_hv->setInventory(inventory);
        QSignalSpy changed(m_service.get(), &ProvisioningService::inventoryChanged);
        m_service->refreshInventory();
        QTRY_COMPARE(changed.count(), 1);
        QCOMPARE(changed.last().at(0).value<InventorySnapshot>().vms.size(), 3);
        const QDateTime fullRead = m_clock.utcNow();
        QCOMPARE(changed.last().at(0).value<InventorySnapshot>().fetchedAt, fullRead);
        QCOMPARE(changed.last().at(0).value<InventorySnapshot>().vmsFetchedAt, fullRead);

        m_service->setQueuePaused(true);
        const QUuid id = m_service->submit(validSpec()).id;
        m_clock.advance(m_service->config().inventoryMaxAge + 1s); // stale: the drain reads again
        m_service->setQueuePaused(false);
        m_service->tick();
        QTRY_COMPARE(stateOf(id), RequestState::Provisioned);
        QCOMPARE(changed.count(), 2);
        QCOMPARE(changed.last().at(0).value<InventorySnapshot>().vms.size(), 3);
        // The VMs are as old as the read they came from, whatever the placement's age.
        QCOMPARE(changed.last().at(0).value<InventorySnapshot>().vmsFetchedAt, fullRead);
        QVERIFY(changed.last().at(0).value<InventorySnapshot>().fetchedAt > fullRead);
        QCOMPARE(m_hv->calls(FakeHypervisor::Method::Inventory), 2);
    }

    // With a hypervisor that can watch, the service watches the VMs from the connection on: a VM created
    // elsewhere reaches inventoryChanged without a refresh, and a disconnect ends the watch.
    void theServiceWatchesTheVmsOnceConnected()
    {
        ServiceConfig live;
        live.liveInventory = true;
        makeService(live);
        m_hv->setWatchable(true);
        InventorySnapshot inventory = FakeHypervisor::sampleInventory();
        VmInfo existing;
        existing.ref = QStringLiteral("vm-1");
        existing.name = QStringLiteral("existing");
        inventory.vms = {existing};
        m_hv->setInventory(inventory);
        QSignalSpy changed(m_service.get(), &ProvisioningService::inventoryChanged);
        connectService();
        QTRY_COMPARE(m_hv->watchesStarted(), 1);
        QTRY_VERIFY(changed.count() >= 1);
        QCOMPARE(changed.last().at(0).value<InventorySnapshot>().vms.size(), 1);

        InventoryDelta made;
        VmInfo elsewhere;
        elsewhere.ref = QStringLiteral("vm-2");
        elsewhere.name = QStringLiteral("made-elsewhere");
        made.vms = {elsewhere};
        m_hv->pushInventoryDelta(made);
        QTRY_COMPARE(changed.last().at(0).value<InventorySnapshot>().vms.size(), 2);
        QCOMPARE(m_hv->calls(FakeHypervisor::Method::Inventory), 0); // no read was needed

        m_service->shutdown(); // disconnects
        QTRY_COMPARE(m_hv->watchCount(), 0);
    }

    // Refused credentials met by the drain's inventory read stop the connection: nothing more is sent,
    // nothing counts, the request stays queued.
    void credentialsRefusedToTheDrainStopTheConnection()
    {
        connectService();
        m_service->setQueuePaused(true);
        const QUuid id = m_service->submit(validSpec()).id;
        m_hv->failNext(FakeHypervisor::Method::Inventory,
                       Error::make(ErrorKind::Authentication, ErrorCode::LoginRefused,
                                   QStringLiteral("vCenter refused the credentials of operator at vc.test")));
        m_clock.advance(m_service->config().inventoryMaxAge + 1s);
        m_service->setQueuePaused(false);
        m_service->tick();
        QTRY_COMPARE(m_service->connectionStatus().state, ConnectionStatus::State::NeedsOperator);
        for (int i = 0; i < 60; ++i) {
            m_clock.advance(1s);
            m_service->tick();
        }
        QCOMPARE(m_hv->calls(FakeHypervisor::Method::Inventory), 1);
        QCOMPARE(m_hv->calls(FakeHypervisor::Method::Provision), 0);
        QCOMPARE(m_service->breakerSnapshot().consecutiveFailures, 0);
        QCOMPARE(stateOf(id), RequestState::QueuedForProvisioning);
    }

    void unreachableAtStartOpensTheBreakerAndTheScoutLogsIn()
    {
        m_hv->setUnreachable(true);
        ConnectionSettings s;
        s.server = QUrl(QStringLiteral("https://vc.test/sdk"));
        s.user = QStringLiteral("operator");
        s.password = QStringLiteral("secret");
        m_service->connectTo(s);
        for (int i = 0; i < 10 && m_service->breakerSnapshot().state == BreakerState::Closed; ++i) {
            QTRY_VERIFY(m_hv->calls(FakeHypervisor::Method::Connect) == i + 1);
            QTest::qWait(0);
            m_service->tick();
        }
        QCOMPARE(m_service->breakerSnapshot().state, BreakerState::Open);
        QCOMPARE(m_hv->calls(FakeHypervisor::Method::Connect), 5);
        const QUuid id = m_service->submit(validSpec()).id;
        m_hv->setUnreachable(false);
        m_clock.advance(31s);
        m_service->tick();
        QTRY_COMPARE(m_service->connectionStatus().state, ConnectionStatus::State::Connected);
        QTRY_COMPARE((m_service->tick(), stateOf(id)), RequestState::Provisioned);
    }

    // Pins: a batch is one commit. The VMs that start are stored PROVISIONING and leased to this
    // service, the others already QUEUED_FOR_PROVISIONING and unclaimed (no insert + update + release
    // per VM); every settling write gives the lease up itself (no releaseClaim), and the waiting VMs
    // are claimed and written PROVISIONING in the claims' own commits (no update of their own).
    void aBatchIsOneCommitAndSettlingReleasesTheLeaseInTheSameWrite()
    {
        connectService();
        freshInventory();
        m_hv->setHoldCalls(true);
        VmSpec pattern = validSpec(QStringLiteral("batch-{nn}"));
        const QList<SubmitAnswer> answers = m_service->submitBatch(pattern, 10, 5);
        QCOMPARE(answers.size(), 10);
        QCOMPARE(m_store->writes(QStringLiteral("insertAll")), 1);
        QCOMPARE(m_store->writes(QStringLiteral("insert")), 0);
        QCOMPARE(m_store->writes(QStringLiteral("update")), 0);
        QCOMPARE(m_store->writes(QStringLiteral("releaseClaim")), 0);
        for (int i = 0; i < answers.size(); ++i) {
            const SubmitAnswer& a = answers.at(i);
            const bool starts = i < 4; // drainConcurrency
            QCOMPARE(a.outcome, starts ? SubmitAnswer::Outcome::Started : SubmitAnswer::Outcome::Queued);
            QCOMPARE(stateOf(a.id), starts ? RequestState::Provisioning : RequestState::QueuedForProvisioning);
            QCOMPARE(m_store->leaseOwner(a.id), starts ? QStringLiteral("test-owner") : QString());
        }
        QCOMPARE(m_hv->calls(FakeHypervisor::Method::Provision), 4); // sent after the one commit

        m_hv->setHoldCalls(false);
        m_hv->completeAllHeld();
        for (const SubmitAnswer& a : answers)
            QTRY_COMPARE(stateOf(a.id), RequestState::Provisioned);
        for (const SubmitAnswer& a : answers)
            QVERIFY(m_store->leaseOwner(a.id).isEmpty());
        QCOMPARE(m_hv->vmCount(), 10);
        QCOMPARE(m_store->writes(QStringLiteral("insertAll")), 1);
        QCOMPARE(m_store->writes(QStringLiteral("updateAndRelease")), 10);
        // The PROVISIONING of the six that waited was written by the claims that took them.
        QCOMPARE(m_store->writes(QStringLiteral("update")), 0);
        QCOMPARE(m_store->writes(QStringLiteral("claimNext")), 0);
        QVERIFY(m_store->writes(QStringLiteral("claimAndStart")) >= 1);
        QCOMPARE(m_store->writes(QStringLiteral("releaseClaim")), 0);
    }

    // Pins: slots freed in one turn of the event loop are filled by one claim — one transaction that
    // claims the queued requests and writes their PROVISIONING — and each of those is PROVISIONING,
    // leased to this service, when its call goes out (the calls are held here, so the store is seen as
    // it was when they were made); no update of its own is written for them.
    void slotsFreedInOneTurnAreFilledByOneClaimThatWritesProvisioningFirst()
    {
        connectService();
        freshInventory(); // else the claim waits for the drain's placement read, and writes on its own
        m_hv->setHoldCalls(true);
        const QList<SubmitAnswer> answers = m_service->submitBatch(validSpec(QStringLiteral("turn-{nn}")), 8, 5);
        QCOMPARE(answers.size(), 8);
        QCOMPARE(m_hv->heldCount(), 4);
        QCoreApplication::processEvents();
        const int claimsBefore = m_store->writes(QStringLiteral("claimAndStart"));
        const int updatesBefore = m_store->writes(QStringLiteral("update"));
        for (int i = 4; i < 8; ++i)
            QCOMPARE(stateOf(answers.at(i).id), RequestState::QueuedForProvisioning);

        m_hv->completeAllHeld(); // four answers in this one turn
        QTRY_COMPARE(m_hv->calls(FakeHypervisor::Method::Provision), 8);
        QCOMPARE(m_store->writes(QStringLiteral("claimAndStart")), claimsBefore + 1);
        QCOMPARE(m_store->writes(QStringLiteral("claimNext")), 0);
        QCOMPARE(m_store->writes(QStringLiteral("update")), updatesBefore);
        QCOMPARE(m_hv->heldCount(), 4);
        for (int i = 4; i < 8; ++i) {
            const ProvisioningRequest r = requestOf(answers.at(i).id);
            QCOMPARE(r.state(), RequestState::Provisioning);
            QCOMPARE(r.attempts(), 1);
            QCOMPARE(m_store->leaseOwner(r.id()), QStringLiteral("test-owner"));
        }
        QList<QUuid> sent;
        for (const ProvisionOrder& o : m_hv->provisionOrders())
            sent << o.requestId;
        QCOMPARE(sent.mid(4), (QList<QUuid>{answers.at(4).id, answers.at(5).id, answers.at(6).id, answers.at(7).id}));

        m_hv->setHoldCalls(false);
        m_hv->completeAllHeld();
        for (const SubmitAnswer& a : answers)
            QTRY_COMPARE(stateOf(a.id), RequestState::Provisioned);
        QCOMPARE(m_hv->vmCount(), 8);
    }

    // Pins: a claim whose commit fails sends nothing and leaves the queue as it was (unclaimed,
    // queued); the next drain once the store works again sends each request once.
    void aClaimThatCannotBeCommittedSendsNothing()
    {
        connectService();
        freshInventory();
        m_service->setQueuePaused(true);
        const QUuid a = m_service->submit(validSpec(QStringLiteral("claim-a"))).id;
        const QUuid b = m_service->submit(validSpec(QStringLiteral("claim-b"))).id;
        QSignalSpy storage(m_service.get(), &ProvisioningService::storageFailed);
        m_store->setFailWrites(true);
        m_service->setQueuePaused(false);
        QTRY_VERIFY(storage.count() >= 1);
        QCOMPARE(m_hv->calls(FakeHypervisor::Method::Provision), 0);
        for (const QUuid& id : {a, b}) {
            QCOMPARE(stateOf(id), RequestState::QueuedForProvisioning);
            QVERIFY(m_store->leaseOwner(id).isEmpty());
        }
        m_store->setFailWrites(false);
        m_service->tick();
        QTRY_COMPARE(stateOf(a), RequestState::Provisioned);
        QTRY_COMPARE(stateOf(b), RequestState::Provisioned);
        QCOMPARE(m_hv->calls(FakeHypervisor::Method::Provision), 2);
        QCOMPARE(m_hv->vmCount(), 2);
    }

    // Pins: only a blank VM's PROVISIONED is written with Durability::Relaxed; a failure, a requeue
    // after a transient fault and the adoption after a lost reply are synced.
    void onlyABlankVmsProvisionedIsARelaxedWrite()
    {
        connectService();
        const SubmitAnswer ok = m_service->submit(validSpec(QStringLiteral("relaxed-ok")));
        QTRY_COMPARE(stateOf(ok.id), RequestState::Provisioned);
        QCOMPARE(m_store->relaxedWrites().size(), 1);
        QCOMPARE(m_store->relaxedWrites().first().id(), ok.id);
        QCOMPARE(m_store->relaxedWrites().first().state(), RequestState::Provisioned);

        m_hv->failNext(FakeHypervisor::Method::Provision,
                       Error::make(ErrorKind::Business, QStringLiteral("vim-fault"), QStringLiteral("bad config"),
                                   QStringLiteral("InvalidVmConfig")));
        const SubmitAnswer failed = m_service->submit(validSpec(QStringLiteral("relaxed-fail")));
        QTRY_COMPARE(stateOf(failed.id), RequestState::Failed);

        m_hv->failNext(FakeHypervisor::Method::Provision, systemError());
        const SubmitAnswer requeued = m_service->submit(validSpec(QStringLiteral("relaxed-requeue")));
        QTRY_COMPARE(stateOf(requeued.id), RequestState::QueuedForProvisioning);

        m_hv->failNext(FakeHypervisor::Method::Provision,
                       Error::make(ErrorKind::OutcomeUnknown, QStringLiteral("connection-dropped"),
                                   QStringLiteral("connection closed after the request was sent")),
                       1, FakeHypervisor::Effect::CreateVm);
        const SubmitAnswer adopted = m_service->submit(validSpec(QStringLiteral("relaxed-adopted")));
        QTRY_COMPARE(stateOf(adopted.id), RequestState::Provisioned);

        QCOMPARE(m_store->relaxedWrites().size(), 1);
        for (const ProvisioningRequest& r : m_store->relaxedWrites()) {
            QCOMPARE(r.state(), RequestState::Provisioned);
            QVERIFY(!r.isOperation());
            QVERIFY(!r.spec().isClone());
        }
    }

    // Pins: a single submit that starts at once is one commit before its call (stored PROVISIONING);
    // one that waits (paused queue) is stored queued and unclaimed, and nothing else is written.
    void aSubmitIsOneCommitWhetherItStartsOrWaits()
    {
        connectService();
        m_hv->setHoldCalls(true);
        const SubmitAnswer started = m_service->submit(validSpec(QStringLiteral("now")));
        QCOMPARE(started.outcome, SubmitAnswer::Outcome::Started);
        QCOMPARE(stateOf(started.id), RequestState::Provisioning);
        QCOMPARE(requestOf(started.id).attempts(), 1);
        m_service->setQueuePaused(true);
        const SubmitAnswer waiting = m_service->submit(validSpec(QStringLiteral("later")));
        QCOMPARE(waiting.outcome, SubmitAnswer::Outcome::Queued);
        QCOMPARE(stateOf(waiting.id), RequestState::QueuedForProvisioning);
        QVERIFY(m_store->leaseOwner(waiting.id).isEmpty());
        QCOMPARE(m_store->writes(QStringLiteral("insertAll")), 2);
        QCOMPARE(m_store->writes(QStringLiteral("update")), 0);
        QCOMPARE(m_store->writes(QStringLiteral("releaseClaim")), 0);
        m_hv->setHoldCalls(false);
        m_hv->completeAllHeld();
        QTRY_COMPARE(stateOf(started.id), RequestState::Provisioned);
        QCOMPARE(stateOf(waiting.id), RequestState::QueuedForProvisioning);
    }
};

QTEST_GUILESS_MAIN(TestProvisioningService)
#include "TestProvisioningService.moc"
