// Power operations and decommission through the queue, against the FakeHypervisor's VM model, an
// in-memory store and a manual clock: each operation, the breaker open and then closed, lost replies on
// Destroy_Task and PowerOffVM_Task, a service that stops mid-operation, two operations on one VM kept in
// order, a guest that does not shut down in time, a VM that is gone, and admin mode.
#include "FakeBreakerLog.h"
#include "FakeHypervisor.h"
#include "FakeHypervisorOwner.h"
#include "FakeRequestStore.h"
#include "FakeRequestStoreOwner.h"
#include "ManualClock.h"

#include "app/service/ProvisioningService.h"
#include "domain/OperationPlan.h"
#include "domain/RequestEventText.h"

#include <QCoreApplication>

#include <QSignalSpy>
#include <QTest>

using namespace dcm;
using namespace std::chrono_literals;
using Method = FakeHypervisor::Method;

namespace QTest {
inline bool qCompare(SubmitAnswer::Outcome t1, SubmitAnswer::Outcome t2, const char* actual, const char* expected,
                     const char* file, int line)
{
    return qCompare(int(t1), int(t2), actual, expected, file, line);
}
inline bool qCompare(RequestState t1, RequestState t2, const char* actual, const char* expected, const char* file,
                     int line)
{
    return qCompare(toString(t1), toString(t2), actual, expected, file, line);
}
} // namespace QTest

namespace {

VmSpec spec(const QString& name, bool powerOn)
{
    VmSpec s;
    s.name = name;
    s.cpus = 2;
    s.memoryMiB = 2048;
    s.disks = {DiskSpec{10240, true}};
    s.nics = {NicSpec{QStringLiteral("VM Network")}};
    s.datastore = QStringLiteral("ds1");
    s.datacenter = QStringLiteral("DC0");
    s.cluster = QStringLiteral("C0");
    s.powerOn = powerOn;
    return s;
}

Error lostReply(const QString& method)
{
    return Error::make(ErrorKind::OutcomeUnknown, QStringLiteral("timeout-after-send"),
                       QStringLiteral("%1 was sent; no answer before the deadline").arg(method));
}

bool hasStep(const ProvisioningRequest& r, const char* code)
{
    for (const RequestEvent& e : r.history())
        if (e.code == QLatin1String(code))
            return true;
    return false;
}

} // namespace

class TestOperations final : public QObject
{
    Q_OBJECT

private:
    ManualClock m_clock;
    std::shared_ptr<FakeHypervisor> m_hv;
    std::shared_ptr<FakeRequestStore> m_store;
    std::unique_ptr<ProvisioningService> m_service;

    std::unique_ptr<ProvisioningService> makeService(const QString& owner)
    {
        ServiceConfig config;
        config.tickInterval = 0ms; // the test ticks
        config.owner = owner;
        config.breaker.failureThreshold = 2;
        auto service = std::make_unique<ProvisioningService>(
            [hv = m_hv]() { return std::unique_ptr<HypervisorPort>(new FakeHypervisorOwner(hv)); },
            [store = m_store]() -> Result<std::unique_ptr<RequestStorePort>> {
                return std::unique_ptr<RequestStorePort>(new FakeRequestStoreOwner(store));
            },
            m_clock, config);
        service->initialize();
        return service;
    }

    void connectService(ProvisioningService& service)
    {
        ConnectionSettings s;
        s.server = QUrl(QStringLiteral("https://vc.test/sdk"));
        s.user = QStringLiteral("operator");
        s.password = QStringLiteral("secret");
        service.connectTo(s);
        QTRY_COMPARE(service.connectionStatus().state, ConnectionStatus::State::Connected);
    }

    ProvisioningRequest requestOf(const QUuid& id) { return *m_store->get(id).value(); }
    RequestState stateOf(const QUuid& id) { return requestOf(id).state(); }

    // A PROVISIONED request of ours and its VM: a blank one (no VMware Tools) or a clone of the
    // template, whose guest runs Tools once powered on.
    QUuid provisioned(const QString& name, bool poweredOn, bool withTools = false)
    {
        ProvisioningRequest r(QUuid::createUuid(), spec(name, poweredOn), m_clock.utcNow());
        bool created = false;
        QString ref;
        if (withTools) {
            VmSpec s = spec(name, false);
            s.templateName = QStringLiteral("ubuntu-tpl");
            m_hv->clone(ProvisionOrder{r.id(), s}, {}, [&](Result<ProvisionOutcome> o) {
                created = o.ok();
                ref = o.ok() ? o.value().vm.ref : QString();
            });
            [&] { QTRY_VERIFY(created); }();
            if (poweredOn) {
                bool on = false;
                m_hv->operate(ref, VmOperation::PowerOn, [&](Result<void> done) { on = done.ok(); });
                [&] { QTRY_VERIFY(on); }();
            }
        } else {
            m_hv->provision(ProvisionOrder{r.id(), r.spec()}, {}, [&](Result<ProvisionOutcome> o) {
                created = o.ok();
                ref = o.ok() ? o.value().vm.ref : QString();
            });
            [&] { QTRY_VERIFY(created); }();
        }
        const QDateTime now = m_clock.utcNow();
        (void)r.transitionTo(RequestState::Provisioning, QStringLiteral("sent"), now);
        (void)r.transitionTo(RequestState::Provisioned, QStringLiteral("created"), now);
        r.setVmRef(ref);
        (void)m_store->insert(r, {}, {});
        return r.id();
    }

    QString refOf(const QUuid& provisioningId) { return requestOf(provisioningId).vmRef(); }

    OperationTarget target(const QUuid& provisioningId, int guestTimeout = 60)
    {
        OperationTarget t;
        t.requestId = provisioningId;
        t.guestTimeoutSeconds = guestTimeout;
        return t;
    }

    SubmitAnswer submit(RequestKind kind, const OperationTarget& t) { return m_service->submitOperation(kind, t); }

    void settle(const QUuid& id) { QTRY_VERIFY2(isSettled(stateOf(id)), qPrintable(toString(stateOf(id)))); }

private Q_SLOTS:
    void init()
    {
        m_hv = std::make_shared<FakeHypervisor>();
        m_store = std::make_shared<FakeRequestStore>();
        m_service = makeService(QStringLiteral("svc-a"));
        QVERIFY(m_service->isInitialized());
    }
    void cleanup()
    {
        m_service.reset();
        m_hv.reset();
        m_store.reset();
    }

    // Pins: power on runs PowerOnVM_Task once and reads "Done"; the operation is its own request with the
    // VM as its target.
    void powerOnRunsOnceAndIsDone()
    {
        connectService(*m_service);
        const QUuid vm = provisioned(QStringLiteral("web-01"), false);
        const SubmitAnswer a = submit(RequestKind::PowerOn, target(vm));
        QCOMPARE(a.outcome, SubmitAnswer::Outcome::Started);
        settle(a.id);
        const ProvisioningRequest op = requestOf(a.id);
        QCOMPARE(op.state(), RequestState::Provisioned);
        QCOMPARE(stateLabel(op.kind(), op.state()), QStringLiteral("Done"));
        QCOMPARE(op.target().requestId, vm);
        QCOMPARE(op.target().vmName, QStringLiteral("web-01"));
        QCOMPARE(m_hv->operationsOn(refOf(vm)), QList<VmOperation>{VmOperation::PowerOn});
        QCOMPARE(m_hv->vmFor(vm)->vm.powerState, QStringLiteral("poweredOn"));
    }

    // Pins: power off without VMware Tools is one hard PowerOffVM_Task; with Tools it asks the guest first.
    void powerOffAsksTheGuestWhenToolsRun()
    {
        connectService(*m_service);
        const QUuid blank = provisioned(QStringLiteral("blank-01"), true);
        const QUuid cloned = provisioned(QStringLiteral("tpl-01"), true, true);
        const SubmitAnswer hard = submit(RequestKind::PowerOff, target(blank));
        const SubmitAnswer soft = submit(RequestKind::PowerOff, target(cloned));
        settle(hard.id);
        QCOMPARE(m_hv->operationsOn(refOf(blank)), QList<VmOperation>{VmOperation::PowerOff});
        // The guest was asked (after the power-on that booted the clone); the operation waits for it and
        // reads the VM again on the next poll.
        const QList<VmOperation> asked{VmOperation::PowerOn, VmOperation::ShutdownGuest};
        QTRY_COMPARE(m_hv->operationsOn(refOf(cloned)), asked);
        QTRY_COMPARE(stateOf(soft.id), RequestState::Reconciling);
        QVERIFY(hasStep(requestOf(soft.id), RequestEventText::kGuestShutdownWaiting));
        m_clock.advance(OperationRunner::guestPollInterval);
        m_service->tick();
        settle(soft.id);
        QCOMPARE(stateOf(soft.id), RequestState::Provisioned);
        QVERIFY(hasStep(requestOf(soft.id), RequestEventText::kPoweredOff));
        QCOMPARE(m_hv->operationsOn(refOf(cloned)), asked);
    }

    // Pins: a guest still running when its timeout is over gets a hard power-off; the timeout is in the
    // request and in the step the operator reads.
    void aGuestThatDoesNotShutDownInTimeIsPoweredOffHard()
    {
        connectService(*m_service);
        const QUuid vm = provisioned(QStringLiteral("stubborn-01"), true, true);
        const QString ref = refOf(vm);
        const SubmitAnswer a = submit(RequestKind::PowerOff, target(vm, 30));
        QTRY_COMPARE(stateOf(a.id), RequestState::Reconciling);
        // The guest ignores the request: it is running again before anyone looks.
        bool on = false;
        m_hv->operate(ref, VmOperation::PowerOn, [&](Result<void> r) { on = r.ok(); });
        QTRY_VERIFY(on);
        for (int i = 1; i <= 5; ++i) {
            const int reads = m_hv->calls(Method::ReadStateByKey);
            m_clock.advance(OperationRunner::guestPollInterval);
            m_service->tick();
            QTRY_COMPARE(m_hv->calls(Method::ReadStateByKey), reads + 1);
            QCoreApplication::processEvents();
            QCOMPARE(stateOf(a.id), RequestState::Reconciling); // up to 25 s: still waiting for the guest
        }
        const RequestEvent waiting = requestOf(a.id).history().last();
        QCOMPARE(waiting.code, QString::fromLatin1(RequestEventText::kGuestShutdownWaiting));
        QCOMPARE(waiting.args.at(1), QStringLiteral("30"));
        m_clock.advance(OperationRunner::guestPollInterval);
        m_service->tick();
        settle(a.id);
        QCOMPARE(stateOf(a.id), RequestState::Provisioned);
        // Booted by the test, asked to shut down, started again by the "guest", powered off hard.
        QCOMPARE(m_hv->operationsOn(ref), (QList<VmOperation>{VmOperation::PowerOn, VmOperation::ShutdownGuest,
                                                              VmOperation::PowerOn, VmOperation::PowerOff}));
        QCOMPARE(m_hv->vmFor(vm)->vm.powerState, QStringLiteral("poweredOff"));
    }

    // Pins: restart is a guest reboot when Tools run, else a reset; one call each.
    void restartRebootsTheGuestOrResets()
    {
        connectService(*m_service);
        const QUuid blank = provisioned(QStringLiteral("blank-01"), true);
        const QUuid cloned = provisioned(QStringLiteral("tpl-01"), true, true);
        const SubmitAnswer reset = submit(RequestKind::Restart, target(blank));
        const SubmitAnswer reboot = submit(RequestKind::Restart, target(cloned));
        settle(reset.id);
        settle(reboot.id);
        QCOMPARE(stateOf(reset.id), RequestState::Provisioned);
        QCOMPARE(stateOf(reboot.id), RequestState::Provisioned);
        QCOMPARE(m_hv->operationsOn(refOf(blank)), QList<VmOperation>{VmOperation::Reset});
        QCOMPARE(m_hv->operationsOn(refOf(cloned)),
                 (QList<VmOperation>{VmOperation::PowerOn, VmOperation::RebootGuest}));
    }

    // Pins: decommission powers the VM off, then destroys it; the provisioning request shows when and by
    // whom.
    void decommissionPowersOffThenDestroys()
    {
        connectService(*m_service);
        const QUuid vm = provisioned(QStringLiteral("old-01"), true);
        const QString ref = refOf(vm);
        const SubmitAnswer a = submit(RequestKind::Decommission, target(vm));
        settle(a.id);
        QCOMPARE(stateOf(a.id), RequestState::Provisioned);
        QCOMPARE(m_hv->operationsOn(ref), (QList<VmOperation>{VmOperation::PowerOff, VmOperation::Destroy}));
        QCOMPARE(m_hv->vmFor(vm), nullptr);
        QVERIFY(hasStep(requestOf(a.id), RequestEventText::kDestroyed));
        const ProvisioningRequest p = requestOf(vm);
        QCOMPARE(p.decommissionedAt(), requestOf(a.id).updatedAt());
        QCOMPARE(p.decommissionedBy(), requestOf(a.id).requestedBy());
        QVERIFY(!p.decommissionedBy().isEmpty());
        // Nothing more can be asked of that VM.
        const SubmitAnswer after = submit(RequestKind::PowerOn, target(vm));
        QCOMPARE(after.outcome, SubmitAnswer::Outcome::Rejected);
        QVERIFY2(after.message.contains(QStringLiteral("decommissioned")), qPrintable(after.message));
    }

    // Pins: re-checked at drain: a VM already gone is a decommission done (nothing sent), and a power-on
    // FAILED with the reason.
    void aVmThatIsGoneAtDrain()
    {
        connectService(*m_service);
        const QUuid vm = provisioned(QStringLiteral("gone-01"), false);
        bool destroyed = false;
        m_hv->operate(refOf(vm), VmOperation::Destroy, [&](Result<void> r) { destroyed = r.ok(); });
        QTRY_VERIFY(destroyed);
        const int before = m_hv->calls(Method::Operate);
        const SubmitAnswer dec = submit(RequestKind::Decommission, target(vm));
        settle(dec.id);
        QCOMPARE(stateOf(dec.id), RequestState::Provisioned);
        QVERIFY(hasStep(requestOf(dec.id), RequestEventText::kAlreadyGone));

        const QUuid other = provisioned(QStringLiteral("gone-02"), false);
        m_hv->operate(refOf(other), VmOperation::Destroy, [](Result<void>) {});
        QTRY_VERIFY(m_hv->vmFor(other) == nullptr);
        const SubmitAnswer on = submit(RequestKind::PowerOn, target(other));
        settle(on.id);
        QCOMPARE(stateOf(on.id), RequestState::Failed);
        QCOMPARE(requestOf(on.id).lastError()->code, QStringLiteral("vm-gone"));
        QVERIFY(requestOf(on.id).lastError()->message.contains(QStringLiteral("gone-02")));
        QCOMPARE(m_hv->calls(Method::Operate), before + 1); // only the test's own destroy
    }

    // Pins: with the breaker open the operation is accepted and queued with the sentence the operator
    // reads; nothing is sent until the breaker closes, then it runs once.
    void queuedWhileTheBreakerIsOpenThenRun()
    {
        connectService(*m_service);
        const QUuid vm = provisioned(QStringLiteral("web-01"), true);
        m_service->forceBreakerOpen(QStringLiteral("maintenance window"));
        const int before = m_hv->calls(Method::Operate) + m_hv->calls(Method::ReadStateByKey);
        const SubmitAnswer a = submit(RequestKind::PowerOff, target(vm));
        QCOMPARE(a.outcome, SubmitAnswer::Outcome::Queued);
        QCOMPARE(a.message, QStringLiteral("Request accepted. It will run when the hypervisor is online."));
        QCOMPARE(stateOf(a.id), RequestState::QueuedForProvisioning);
        m_service->tick();
        QCoreApplication::processEvents();
        QCOMPARE(m_hv->calls(Method::Operate) + m_hv->calls(Method::ReadStateByKey), before);
        m_service->resetBreaker(QStringLiteral("over"));
        m_service->tick();
        settle(a.id);
        QCOMPARE(stateOf(a.id), RequestState::Provisioned);
        QCOMPARE(m_hv->operationsOn(refOf(vm)), QList<VmOperation>{VmOperation::PowerOff});
    }

    // Pins: a lost reply on Destroy_Task: the VM's state is read before anything is sent again; gone means done.
    void aLostReplyOnDestroyIsReconciledByReadingTheVm()
    {
        connectService(*m_service);
        const QUuid vm = provisioned(QStringLiteral("old-01"), false);
        const QString ref = refOf(vm);
        m_hv->failNext(Method::Operate, lostReply(QStringLiteral("Destroy_Task")), 1,
                       FakeHypervisor::Effect::TookEffect);
        const SubmitAnswer a = submit(RequestKind::Decommission, target(vm));
        settle(a.id);
        QCOMPARE(stateOf(a.id), RequestState::Provisioned);
        QCOMPARE(m_hv->operationsOn(ref), QList<VmOperation>{VmOperation::Destroy});
        const ProvisioningRequest op = requestOf(a.id);
        QVERIFY(hasStep(op, RequestEventText::kNoAnswer));
        QVERIFY(hasStep(op, RequestEventText::kDestroyed));
        QVERIFY(requestOf(vm).decommissionedAt().isValid());
    }

    // Pins: a lost reply on PowerOffVM_Task: read, found off, done; never sent twice.
    void aLostReplyOnPowerOffIsReconciledByReadingTheVm()
    {
        connectService(*m_service);
        const QUuid vm = provisioned(QStringLiteral("web-01"), true);
        m_hv->failNext(Method::Operate, lostReply(QStringLiteral("PowerOffVM_Task")), 1,
                       FakeHypervisor::Effect::TookEffect);
        const SubmitAnswer a = submit(RequestKind::PowerOff, target(vm));
        settle(a.id);
        QCOMPARE(stateOf(a.id), RequestState::Provisioned);
        QCOMPARE(m_hv->operationsOn(refOf(vm)), QList<VmOperation>{VmOperation::PowerOff});
        QVERIFY(hasStep(requestOf(a.id), RequestEventText::kNoAnswer));
    }

    // Pins: a service that stopped mid-operation (its call sent, its outcome never recorded) is taken
    // over once its lease lapses: the VM's state is read first, so a restart is not sent a second time
    // and a decommission whose power-off went through goes on with Destroy_Task.
    void aServiceStoppingMidOperationIsTakenOverWithoutRepeatingACall()
    {
        connectService(*m_service);
        const QUuid restarted = provisioned(QStringLiteral("web-01"), true);
        const QUuid halfGone = provisioned(QStringLiteral("old-01"), true);
        const auto orphan = [&](RequestKind kind, const QUuid& vm, VmOperation sent) {
            OperationTarget t = target(vm);
            t.vmRef = refOf(vm);
            t.vmName = requestOf(vm).spec().name;
            ProvisioningRequest op = ProvisioningRequest::operation(QUuid::createUuid(), kind, t, m_clock.utcNow());
            [&] { QVERIFY(m_store->insert(op, QStringLiteral("dead-process"), m_clock.utcNow().addSecs(5)).ok()); }();
            (void)op.transitionTo(RequestState::Provisioning, QStringLiteral("started"), m_clock.utcNow());
            op.setOperationSent(OperationPlan::name(sent), m_clock.utcNow());
            [&] { QVERIFY(m_store->update(op, RequestState::Submitted).ok()); }();
            // vCenter carried the call out; the process that sent it stopped before it heard back.
            bool done = false;
            m_hv->operate(t.vmRef, sent, [&](Result<void> r) { done = r.ok(); });
            [&] { QTRY_VERIFY(done); }();
            return op.id();
        };
        const QUuid restart = orphan(RequestKind::Restart, restarted, VmOperation::Reset);
        const QUuid decommission = orphan(RequestKind::Decommission, halfGone, VmOperation::PowerOff);
        const QString halfGoneRef = refOf(halfGone);

        m_service->tick();
        QCOMPARE(stateOf(restart), RequestState::Provisioning); // lease still live: not ours
        m_clock.advance(6s);
        m_service->tick();
        settle(restart);
        settle(decommission);
        QCOMPARE(stateOf(restart), RequestState::Provisioned);
        QVERIFY(hasStep(requestOf(restart), RequestEventText::kTakenOver));
        QVERIFY(hasStep(requestOf(restart), RequestEventText::kRestartSentBefore));
        QCOMPARE(m_hv->operationsOn(refOf(restarted)), QList<VmOperation>{VmOperation::Reset});
        QCOMPARE(stateOf(decommission), RequestState::Provisioned);
        QCOMPARE(m_hv->operationsOn(halfGoneRef), (QList<VmOperation>{VmOperation::PowerOff, VmOperation::Destroy}));
    }

    // Pins: two operations on one VM run in order: the later waits (and says for which) while the earlier
    // one is unfinished, never racing it.
    void twoOperationsOnOneVmRunInOrder()
    {
        connectService(*m_service);
        const QUuid vm = provisioned(QStringLiteral("web-01"), true);
        const QString ref = refOf(vm);
        m_hv->setHoldCalls(true);
        // All three within the same millisecond: they still run in the order they were asked for.
        const SubmitAnswer off = submit(RequestKind::PowerOff, target(vm));
        const SubmitAnswer dec = submit(RequestKind::Decommission, target(vm));
        const SubmitAnswer on = submit(RequestKind::PowerOn, target(vm));
        QVERIFY(requestOf(off.id).createdAt() < requestOf(dec.id).createdAt());
        QVERIFY(requestOf(dec.id).createdAt() < requestOf(on.id).createdAt());
        QCOMPARE(off.outcome, SubmitAnswer::Outcome::Started);
        QCOMPARE(dec.outcome, SubmitAnswer::Outcome::Queued);
        QCOMPARE(on.outcome, SubmitAnswer::Outcome::Queued);
        QCOMPARE(requestOf(dec.id).history().last().code, QString::fromLatin1(RequestEventText::kWaitsForEarlier));
        QCOMPARE(requestOf(dec.id).history().last().args, QStringList{off.id.toString(QUuid::WithoutBraces)});
        m_service->tick(); // the later ones are claimed, see the earlier one unfinished, and wait
        QCoreApplication::processEvents();
        QCOMPARE(stateOf(dec.id), RequestState::QueuedForProvisioning);
        m_hv->setHoldCalls(false);
        m_hv->completeAllHeld();
        settle(off.id);
        for (int i = 0; i < 4 && !isSettled(stateOf(on.id)); ++i) {
            m_clock.advance(OperationRunner::orderRecheck);
            m_service->tick();
            QTRY_VERIFY(!m_service->inFlightCount() || isSettled(stateOf(on.id)));
        }
        settle(dec.id);
        settle(on.id);
        QCOMPARE(stateOf(dec.id), RequestState::Provisioned);
        // The power-on came after the decommission: its VM is gone.
        QCOMPARE(stateOf(on.id), RequestState::Failed);
        QCOMPARE(requestOf(on.id).lastError()->code, QStringLiteral("vm-gone"));
        QCOMPARE(m_hv->operationsOn(ref), (QList<VmOperation>{VmOperation::PowerOff, VmOperation::Destroy}));
    }

    // Pins: admin mode acts on a VM by moref with the reason recorded; the provisioning request that VM
    // carries the key of is marked decommissioned too. Without a reason it is refused, naming the field.
    void adminModeNeedsAReasonAndIsRecorded()
    {
        connectService(*m_service);
        const QUuid vm = provisioned(QStringLiteral("legacy-01"), false);
        OperationTarget t;
        t.vmRef = refOf(vm);
        t.vmName = QStringLiteral("legacy-01");
        const SubmitAnswer refused = submit(RequestKind::Decommission, t);
        QCOMPARE(refused.outcome, SubmitAnswer::Outcome::Rejected);
        QCOMPARE(refused.problems.first().field, QStringLiteral("target.adminReason"));
        t.adminReason = QStringLiteral("left behind by the old tooling");
        const SubmitAnswer a = submit(RequestKind::Decommission, t);
        QCOMPARE(a.outcome, SubmitAnswer::Outcome::Started);
        settle(a.id);
        QCOMPARE(stateOf(a.id), RequestState::Provisioned);
        QCOMPARE(requestOf(a.id).target().adminReason, t.adminReason);
        QCOMPARE(m_hv->calls(Method::ReadState), 1); // by moref, not by key
        QVERIFY(requestOf(vm).decommissionedAt().isValid());
    }

    // Pins: only a PROVISIONED provisioning request has a VM to act on.
    void anOperationNeedsAProvisionedRequest()
    {
        const SubmitAnswer unknown = submit(RequestKind::PowerOn, target(QUuid::createUuid()));
        QCOMPARE(unknown.outcome, SubmitAnswer::Outcome::Rejected);
        QVERIFY(unknown.message.startsWith(QStringLiteral("target.requestId")));
        ProvisioningRequest queued(QUuid::createUuid(), spec(QStringLiteral("q-01"), false), m_clock.utcNow());
        QVERIFY(m_store->insert(queued, {}, {}).ok());
        const SubmitAnswer notYet = submit(RequestKind::PowerOn, target(queued.id()));
        QCOMPARE(notYet.outcome, SubmitAnswer::Outcome::Rejected);
        QVERIFY2(notYet.message.contains(QStringLiteral("SUBMITTED")), qPrintable(notYet.message));
        QCOMPARE(m_store->list({}).value().size(), 1); // nothing stored
    }
};

QTEST_GUILESS_MAIN(TestOperations)
#include "TestOperations.moc"
