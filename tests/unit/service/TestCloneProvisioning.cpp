// A clone's step sequence (clone -> customize -> power on -> PROVISIONED) against the fake hypervisor's
// VM model, an in-memory store and a manual clock: every step once, a lost reply and a crash at each
// step (one VM, customized once), a breaker trip between steps, re-validation at drain (template, saved
// spec, network gone), the guest identity follower, and batches.
#include "DomainQCompare.h"
#include "FakeHypervisor.h"
#include "FakeHypervisorOwner.h"
#include "FakeRequestStore.h"
#include "FakeRequestStoreOwner.h"
#include "ManualClock.h"

#include "app/service/ProvisioningService.h"
#include "domain/RequestEventText.h"

#include <QSignalSpy>
#include <QTest>

using namespace dcm;
using namespace std::chrono_literals;
namespace Why = dcm::RequestEventText;

namespace {

VmSpec cloneSpec(const QString& name = QStringLiteral("web-01"))
{
    VmSpec s;
    s.name = name;
    s.templateName = QStringLiteral("ubuntu-tpl");
    s.cpus = 0;
    s.memoryMiB = 0;
    s.nics = {NicSpec{QStringLiteral("VM Network")}};
    s.datastore = QStringLiteral("ds1");
    s.datacenter = QStringLiteral("DC0");
    s.cluster = QStringLiteral("C0");
    s.powerOn = true;
    s.customization.mode = GuestCustomization::Mode::Linux;
    s.customization.hostName = QStringLiteral("web01");
    s.customization.domain = QStringLiteral("example.com");
    s.customization.nics = {NicAddress{false, QStringLiteral("10.0.0.11"), 24, QStringLiteral("10.0.0.1")}};
    return s;
}

Error lostReply()
{
    return Error::make(ErrorKind::OutcomeUnknown, QStringLiteral("connection-dropped"),
                       QStringLiteral("connection closed after the request was sent"));
}

QStringList codesOf(const ProvisioningRequest& r)
{
    QStringList codes;
    for (const RequestEvent& e : r.history())
        codes.append(e.code);
    return codes;
}

} // namespace

class TestCloneProvisioning final : public QObject
{
    Q_OBJECT

private:
    ManualClock m_clock;
    std::shared_ptr<FakeHypervisor> m_hv;
    std::shared_ptr<FakeRequestStore> m_store;
    std::unique_ptr<ProvisioningService> m_service;
    int m_serviceSerial = 0;

    // A service (a process) on the shared fake vCenter and store; a second one is another process.
    void makeService(ServiceConfig config = {})
    {
        config.tickInterval = 0ms; // the test ticks
        config.owner = QStringLiteral("service-%1").arg(++m_serviceSerial);
        config.guestIdentityInterval = 5s;
        config.guestIdentityTimeout = 60s;
        m_service = std::make_unique<ProvisioningService>(
            [hv = m_hv]() { return std::unique_ptr<HypervisorPort>(new FakeHypervisorOwner(hv)); },
            [store = m_store]() -> Result<std::unique_ptr<RequestStorePort>> {
                return std::unique_ptr<RequestStorePort>(new FakeRequestStoreOwner(store));
            },
            m_clock, config);
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

    // One turn of the service, and every call it made answered.
    void tickAndSettle()
    {
        m_service->tick();
        QTRY_COMPARE(m_hv->unanswered(), 0);
    }

    ProvisioningRequest requestOf(const QUuid& id) { return *m_store->get(id).value(); }
    RequestState stateOf(const QUuid& id)
    {
        auto r = m_store->get(id);
        return r.ok() && r.value() ? r.value()->state() : RequestState::Submitted;
    }

    // Exactly once, step by step: one clone, its customization accepted and applied once, running.
    void verifyOneVmCustomizedOnce(const QUuid& id)
    {
        QCOMPARE(stateOf(id), RequestState::Provisioned);
        QCOMPARE(m_hv->clonesFor(id), 1);
        QCOMPARE(m_hv->vmCountFor(id), 1);
        const FakeHypervisor::FakeVm* vm = m_hv->vmFor(id);
        QVERIFY(vm);
        QCOMPARE(vm->customizationsAccepted, 1);
        QCOMPARE(vm->customizationsApplied, 1);
        QCOMPARE(vm->powerOns, 1);
        QCOMPARE(vm->vm.powerState, QStringLiteral("poweredOn"));
        const ProvisioningRequest r = requestOf(id);
        QCOMPARE(r.vmRef(), vm->vm.ref);
        QCOMPARE(int(r.provisionStep()), int(ProvisionStep::PoweredOn));
    }

private Q_SLOTS:
    void init()
    {
        m_hv = std::make_shared<FakeHypervisor>();
        m_store = std::make_shared<FakeRequestStore>();
        makeService();
    }
    void cleanup()
    {
        m_service.reset();
        m_hv.reset();
        m_store.reset();
    }

    void everyStepRunsOnceInOrderWithItsProgress()
    {
        connectService();
        QSignalSpy progress(m_service.get(), &ProvisioningService::requestProgress);
        const SubmitAnswer a = m_service->submit(cloneSpec());
        QCOMPARE(a.outcome, SubmitAnswer::Outcome::Started);
        QTRY_COMPARE(stateOf(a.id), RequestState::Provisioned);
        verifyOneVmCustomizedOnce(a.id);
        QCOMPARE(m_hv->calls(FakeHypervisor::Method::Clone), 1);
        QCOMPARE(m_hv->calls(FakeHypervisor::Method::Customize), 1);
        QCOMPARE(m_hv->calls(FakeHypervisor::Method::Operate), 1);
        QCOMPARE(m_hv->calls(FakeHypervisor::Method::Provision), 0);
        QCOMPARE(m_hv->calls(FakeHypervisor::Method::ReadStateByKey), 0);
        QCOMPARE(m_hv->operationsOn(m_hv->vmFor(a.id)->vm.ref).size(), 1);

        const ProvisioningRequest r = requestOf(a.id);
        QCOMPARE(codesOf(r), (QStringList{QLatin1String(Why::kSent), QLatin1String(Why::kCloned),
                                          QLatin1String(Why::kCustomizationSent), QLatin1String(Why::kPoweredOn)}));
        QCOMPARE(r.history().at(1).from, RequestState::Provisioning); // the steps are notes inside PROVISIONING
        QCOMPARE(r.history().at(1).to, RequestState::Provisioning);
        QCOMPARE(r.history().at(1).args, (QStringList{r.vmRef(), QStringLiteral("ubuntu-tpl")}));
        QCOMPARE(r.history().last().to, RequestState::Provisioned);
        QCOMPARE(r.attempts(), 1);

        QStringList stages;
        for (const QList<QVariant>& signal : std::as_const(progress)) {
            const QString stage = signal.at(0).value<RequestProgress>().stage;
            if (stages.isEmpty() || stages.last() != stage)
                stages.append(stage);
        }
        QCOMPARE(stages, (QStringList{QStringLiteral("cloning"), QStringLiteral("customizing"),
                                      QStringLiteral("powering-on")}));
    }

    void aCloneWithoutCustomizationOrPowerOnIsOneCall()
    {
        connectService();
        VmSpec spec = cloneSpec();
        spec.customization = {};
        spec.powerOn = false;
        const QUuid id = m_service->submit(spec).id;
        QTRY_COMPARE(stateOf(id), RequestState::Provisioned);
        QCOMPARE(m_hv->calls(FakeHypervisor::Method::Clone), 1);
        QCOMPARE(m_hv->calls(FakeHypervisor::Method::Customize), 0);
        QCOMPARE(m_hv->calls(FakeHypervisor::Method::Operate), 0);
        QCOMPARE(m_hv->vmFor(id)->vm.powerState, QStringLiteral("poweredOff"));
        const ProvisioningRequest r = requestOf(id);
        QCOMPARE(r.history().last().code, QLatin1String(Why::kCloned));
        QCOMPARE(int(r.provisionStep()), int(ProvisionStep::Cloned));
        m_service->tick();
        QCOMPARE(m_hv->calls(FakeHypervisor::Method::ReadState), 0); // no guest to follow when not powered on
    }

    // A lost reply at each step, whether the call took effect or not: the request is reconciled by its
    // key and goes on from what the VM shows.
    void aLostReplyAtAnyStepEndsWithOneVmCustomizedOnce_data()
    {
        QTest::addColumn<int>("method");
        QTest::addColumn<bool>("tookEffect");
        QTest::addColumn<int>("customizeCalls");
        QTest::addColumn<int>("operateCalls");
        const int clone = int(FakeHypervisor::Method::Clone);
        const int customize = int(FakeHypervisor::Method::Customize);
        const int operate = int(FakeHypervisor::Method::Operate);
        QTest::newRow("clone, made") << clone << true << 1 << 1;
        QTest::newRow("clone, not made") << clone << false << 1 << 1;
        QTest::newRow("customize, accepted") << customize << true << 1 << 1;
        QTest::newRow("customize, not accepted") << customize << false << 2 << 1;
        QTest::newRow("power-on, done") << operate << true << 1 << 1;
        QTest::newRow("power-on, not done") << operate << false << 1 << 2;
    }

    void aLostReplyAtAnyStepEndsWithOneVmCustomizedOnce()
    {
        QFETCH(int, method);
        QFETCH(bool, tookEffect);
        QFETCH(int, customizeCalls);
        QFETCH(int, operateCalls);
        connectService();
        m_hv->failNext(FakeHypervisor::Method(method), lostReply(), 1,
                       tookEffect ? FakeHypervisor::Effect::TookEffect : FakeHypervisor::Effect::None);
        const QUuid id = m_service->submit(cloneSpec()).id;
        QTRY_COMPARE(stateOf(id), RequestState::Provisioned);
        verifyOneVmCustomizedOnce(id);
        QCOMPARE(m_hv->calls(FakeHypervisor::Method::Customize), customizeCalls);
        QCOMPARE(m_hv->calls(FakeHypervisor::Method::Operate), operateCalls);
        QCOMPARE(m_hv->calls(FakeHypervisor::Method::ReadStateByKey), 1);
        QCOMPARE(m_hv->calls(FakeHypervisor::Method::FindByRequestKey), 0);
        QVERIFY(codesOf(requestOf(id)).contains(QLatin1String(Why::kNoAnswer)));
    }

    // The process dies while step `step` is out (its call still takes effect at vCenter); another
    // process takes the request over once the lease lapsed and finishes it.
    void aCrashAtAnyStepIsTakenOverAndFinishedOnce_data()
    {
        QTest::addColumn<int>("step");
        QTest::newRow("during clone") << 0;
        QTest::newRow("during customize") << 1;
        QTest::newRow("during power-on") << 2;
    }

    void aCrashAtAnyStepIsTakenOverAndFinishedOnce()
    {
        QFETCH(int, step);
        connectService();
        m_hv->setHoldCalls(true);
        const QUuid id = m_service->submit(cloneSpec()).id;
        for (int i = 0; i < step; ++i)
            QVERIFY(m_hv->completeHeld()); // that step answers; the next one goes out (held)
        QCOMPARE(m_hv->heldCount(), 1);
        QCOMPARE(stateOf(id), RequestState::Provisioning);

        m_hv->forgetCallers();
        m_service.reset();       // the crash: its lease stays in the store
        m_hv->completeAllHeld(); // what vCenter was doing gets done
        m_hv->setHoldCalls(false);

        makeService();
        connectService();
        m_service->tick();
        QCOMPARE(stateOf(id), RequestState::Provisioning); // the dead one's lease still holds it
        m_clock.advance(11s);
        m_service->tick();
        QTRY_COMPARE(stateOf(id), RequestState::Provisioned);
        verifyOneVmCustomizedOnce(id);
        QCOMPARE(m_hv->calls(FakeHypervisor::Method::Clone), 1);
        QCOMPARE(m_hv->calls(FakeHypervisor::Method::Customize), 1);
        QCOMPARE(m_hv->calls(FakeHypervisor::Method::Operate), 1);
        QVERIFY(codesOf(requestOf(id)).contains(QLatin1String(Why::kTakenOver)));
    }

    void aBreakerTripBetweenStepsQueuesAndResumesFromTheStepReached()
    {
        connectService();
        m_hv->setHoldCalls(true);
        const QUuid id = m_service->submit(cloneSpec()).id;
        QVERIFY(m_hv->completeHeld()); // cloned; customize goes out
        m_service->forceBreakerOpen(QStringLiteral("maintenance window"));
        QVERIFY(m_hv->completeHeld()); // customized; the power-on may not go out
        QCOMPARE(m_hv->heldCount(), 0);
        QCOMPARE(stateOf(id), RequestState::QueuedForProvisioning);
        QCOMPARE(int(requestOf(id).provisionStep()), int(ProvisionStep::Customized));
        QCOMPARE(requestOf(id).history().last().code, QLatin1String(Why::kOfflineWillLook));
        m_hv->setHoldCalls(false);

        m_service->resetBreaker(QStringLiteral("window over"));
        m_service->tick();
        QTRY_COMPARE(stateOf(id), RequestState::Provisioned);
        verifyOneVmCustomizedOnce(id);
        QCOMPARE(m_hv->calls(FakeHypervisor::Method::Clone), 1);
        QCOMPARE(m_hv->calls(FakeHypervisor::Method::Customize), 1);
        QCOMPARE(m_hv->calls(FakeHypervisor::Method::ReadStateByKey), 1);
        QVERIFY(codesOf(requestOf(id)).contains(QLatin1String(Why::kResuming)));
    }

    // The written step wins over a VM that shows nothing pending (a customization vCenter has since
    // dropped, or a guest that cleared it): never customized twice.
    void aWrittenCustomizedStepIsNeverCustomizedAgain()
    {
        connectService();
        m_hv->setHoldCalls(true);
        const QUuid id = m_service->submit(cloneSpec()).id;
        QVERIFY(m_hv->completeHeld()); // cloned
        QVERIFY(m_hv->completeHeld()); // customized, written; power-on held
        m_hv->forgetCallers();
        m_service.reset();
        m_hv->completeAllHeld(); // the VM boots: the customization applies and pending clears
        m_hv->setHoldCalls(false);
        QVERIFY(m_hv->vmFor(id)->pendingCustomization.isEmpty());

        makeService();
        connectService();
        m_clock.advance(11s);
        m_service->tick();
        QTRY_COMPARE(stateOf(id), RequestState::Provisioned);
        verifyOneVmCustomizedOnce(id);
        QCOMPARE(requestOf(id).history().last().code, QLatin1String(Why::kAdopted));
    }

    void aStepTheServiceCannotRepeatFailsWithVcentersWords()
    {
        connectService();
        m_hv->failNext(FakeHypervisor::Method::Customize,
                       Error::make(ErrorKind::Business, QStringLiteral("vim-fault"),
                                   QStringLiteral("The customization specification is not valid for this guest"),
                                   QStringLiteral("CustomizationFault")));
        const QUuid id = m_service->submit(cloneSpec()).id;
        QTRY_COMPARE(stateOf(id), RequestState::Failed);
        QVERIFY(requestOf(id).lastError()->message.contains(QStringLiteral("not valid for this guest")));
        QCOMPARE(int(requestOf(id).provisionStep()), int(ProvisionStep::Cloned)); // the clone stays, known
        QCOMPARE(m_hv->calls(FakeHypervisor::Method::Operate), 0);

        // The operator's retry goes on from the clone: no second one.
        QVERIFY(!m_service->retryNow(id));
        m_service->tick();
        QTRY_COMPARE(stateOf(id), RequestState::Provisioned);
        verifyOneVmCustomizedOnce(id);
        QCOMPARE(m_hv->calls(FakeHypervisor::Method::Clone), 1);
    }

    void aCloneDeletedBehindOurBackIsNotClonedAgain()
    {
        connectService();
        m_hv->failNext(FakeHypervisor::Method::Customize, lostReply()); // it never reached vCenter
        m_hv->setHoldCalls(true);
        const QUuid id = m_service->submit(cloneSpec()).id;
        QVERIFY(m_hv->completeHeld()); // cloned, written; customize held
        m_hv->setHoldCalls(false);
        const QString ref = m_hv->vmFor(id)->vm.ref;
        bool destroyed = false;
        m_hv->operate(ref, VmOperation::Destroy, [&](Result<void> r) { destroyed = r.ok(); });
        QTRY_VERIFY(destroyed);
        QVERIFY(m_hv->completeHeld()); // the lost reply: looked up by its key, and gone
        QTRY_COMPARE(stateOf(id), RequestState::Failed);
        QCOMPARE(requestOf(id).lastError()->code, QStringLiteral("clone-gone"));
        QCOMPARE(m_hv->clonesFor(id), 1);
    }

    void aQueuedCloneIsCheckedAgainstFreshInventory_data()
    {
        QTest::addColumn<QString>("gone");
        QTest::addColumn<QString>("errorCode");
        QTest::addColumn<QString>("eventCode");
        QTest::newRow("template") << QStringLiteral("template") << QStringLiteral("template-vanished")
                                  << QString::fromLatin1(Why::kTemplateVanished);
        QTest::newRow("saved spec") << QStringLiteral("spec") << QStringLiteral("customization-spec-vanished")
                                    << QString::fromLatin1(Why::kCustomizationSpecVanished);
        QTest::newRow("network") << QStringLiteral("network") << QStringLiteral("placement-vanished")
                                 << QString::fromLatin1(Why::kPlacementVanished);
    }

    void aQueuedCloneIsCheckedAgainstFreshInventory()
    {
        QFETCH(QString, gone);
        QFETCH(QString, errorCode);
        QFETCH(QString, eventCode);
        VmSpec spec = cloneSpec();
        if (gone == QLatin1String("spec")) {
            spec.customization = {};
            spec.customization.mode = GuestCustomization::Mode::SavedSpec;
            spec.customization.specName = QStringLiteral("linux-dhcp");
        }
        // Not connected: accepted and queued.
        const SubmitAnswer a = m_service->submit(spec);
        QCOMPARE(a.outcome, SubmitAnswer::Outcome::Queued);
        InventorySnapshot inventory = m_hv->inventorySnapshot();
        if (gone == QLatin1String("template"))
            inventory.templates.clear();
        else if (gone == QLatin1String("spec"))
            inventory.customizationSpecs.clear();
        else
            inventory.networks.clear();
        m_hv->setInventory(inventory);
        connectService();
        m_service->tick();
        QTRY_COMPARE(stateOf(a.id), RequestState::Failed);
        const ProvisioningRequest r = requestOf(a.id);
        QCOMPARE(r.lastError()->code, errorCode);
        QCOMPARE(r.history().last().code, eventCode);
        QCOMPARE(m_hv->calls(FakeHypervisor::Method::Clone), 0);
    }

    void theGuestsIdentityIsRecordedWithoutHoldingADrainSlot()
    {
        connectService();
        m_hv->setGuestIdentityAfterReads(2);
        const QUuid id = m_service->submit(cloneSpec()).id;
        QTRY_COMPARE(stateOf(id), RequestState::Provisioned);
        QCOMPARE(m_service->inFlightCount(), 0);
        QSignalSpy changed(m_service.get(), &ProvisioningService::requestChanged);

        tickAndSettle();
        QCOMPARE(m_hv->calls(FakeHypervisor::Method::ReadState), 1);
        tickAndSettle(); // not due yet: one read per interval
        QCOMPARE(m_hv->calls(FakeHypervisor::Method::ReadState), 1);
        m_clock.advance(5s);
        tickAndSettle();
        QCOMPARE(m_hv->calls(FakeHypervisor::Method::ReadState), 2);
        QVERIFY(requestOf(id).ipAddress().isEmpty());
        m_clock.advance(5s);
        tickAndSettle();
        QTRY_COMPARE(requestOf(id).ipAddress(), QStringLiteral("10.0.0.11"));
        const ProvisioningRequest r = requestOf(id);
        QCOMPARE(r.guestHostName(), QStringLiteral("web01.example.com"));
        QCOMPARE(r.history().last().code, QLatin1String(Why::kGuestReported));
        QCOMPARE(r.history().last().args,
                 (QStringList{QStringLiteral("web01.example.com"), QStringLiteral("10.0.0.11")}));
        QCOMPARE(r.state(), RequestState::Provisioned);
        QVERIFY(!changed.isEmpty()); // the views hear of it

        m_clock.advance(5s);
        tickAndSettle();
        QCOMPARE(m_hv->calls(FakeHypervisor::Method::ReadState), 3); // known: no more reads
    }

    void aSilentGuestIsFollowedOnlyUntilTheTimeout()
    {
        connectService();
        m_hv->setGuestIdentityAfterReads(-1);
        const QUuid id = m_service->submit(cloneSpec()).id;
        QTRY_COMPARE(stateOf(id), RequestState::Provisioned);
        for (int i = 0; i < 20; ++i) { // 100 s, well past the 60 s timeout
            tickAndSettle();
            m_clock.advance(5s);
        }
        const int reads = m_hv->calls(FakeHypervisor::Method::ReadState);
        QCOMPARE(reads, 12); // at 0, 5, ..., 55 s: every 5 s for 60 s
        const ProvisioningRequest r = requestOf(id);
        QCOMPARE(r.history().last().code, QLatin1String(Why::kGuestSilent));
        QCOMPARE(r.history().last().args, QStringList{QStringLiteral("1")});
        QVERIFY(r.ipAddress().isEmpty());
    }

    void theFollowerSendsNothingWhileTheBreakerIsOpen()
    {
        connectService();
        m_hv->setGuestIdentityAfterReads(-1);
        const QUuid id = m_service->submit(cloneSpec()).id;
        QTRY_COMPARE(stateOf(id), RequestState::Provisioned);
        m_service->forceBreakerOpen(QStringLiteral("hold"));
        for (int i = 0; i < 3; ++i) {
            tickAndSettle();
            m_clock.advance(5s);
        }
        QCOMPARE(m_hv->calls(FakeHypervisor::Method::ReadState), 0);
    }

    void aRestartedServiceFollowsTheGuestsLeftToFollow()
    {
        connectService();
        m_hv->setGuestIdentityAfterReads(-1);
        const QUuid id = m_service->submit(cloneSpec()).id;
        QTRY_COMPARE(stateOf(id), RequestState::Provisioned);
        m_service.reset();
        m_hv->setGuestIdentityAfterReads(0);
        makeService();
        connectService();
        m_service->tick();
        QTRY_COMPARE(requestOf(id).ipAddress(), QStringLiteral("10.0.0.11"));
    }

    void aBatchIsOneRequestPerVmWithConsecutiveAddresses()
    {
        ServiceConfig config;
        config.drainConcurrency = 2;
        makeService(config);
        connectService();
        QSignalSpy answered(m_service.get(), &ProvisioningService::submitAnswered);
        VmSpec pattern = cloneSpec(QStringLiteral("web-{nn}"));
        pattern.customization.hostName = QStringLiteral("web{nn}");
        const QList<SubmitAnswer> answers = m_service->submitBatch(pattern, 5, 7);
        QCOMPARE(answers.size(), 5);
        QCOMPARE(answered.count(), 5);
        QCOMPARE(answers.at(0).outcome, SubmitAnswer::Outcome::Started);
        QCOMPARE(answers.at(1).outcome, SubmitAnswer::Outcome::Started);
        QCOMPARE(answers.at(2).outcome, SubmitAnswer::Outcome::Queued); // no more in flight than the drain
        QUuid batch;
        for (int i = 0; i < 5; ++i) {
            const SubmitAnswer& a = answers.at(i);
            QCOMPARE(a.token, quint64(7));
            QVERIFY(a.accepted());
            const ProvisioningRequest r = requestOf(a.id);
            QCOMPARE(r.spec().name, QStringLiteral("web-%1").arg(i + 1, 2, 10, QLatin1Char('0')));
            QVERIFY(!r.batchId().isNull());
            if (i == 0)
                batch = r.batchId();
            QCOMPARE(r.batchId(), batch);
        }
        for (int round = 0; round < 5; ++round)
            tickAndSettle();
        for (int i = 0; i < 5; ++i) {
            const QUuid id = answers.at(i).id;
            QTRY_COMPARE(stateOf(id), RequestState::Provisioned);
            verifyOneVmCustomizedOnce(id);
            QCOMPARE(m_hv->vmFor(id)->applied.nics.at(0).address, QStringLiteral("10.0.0.%1").arg(11 + i));
        }
    }

    void aBatchIsValidatedAllOrNothing()
    {
        connectService();
        QSignalSpy answered(m_service.get(), &ProvisioningService::submitAnswered);
        VmSpec pattern = cloneSpec(QStringLiteral("web-{nn}"));
        pattern.customization.hostName = QStringLiteral("web{nn}");
        pattern.customization.nics[0].address = QStringLiteral("10.0.0.250");
        const QList<SubmitAnswer> answers = m_service->submitBatch(pattern, 10, 3);
        QCOMPARE(answers.size(), 1);
        QCOMPARE(answered.count(), 1);
        QCOMPARE(answers.at(0).outcome, SubmitAnswer::Outcome::Rejected);
        QCOMPARE(answers.at(0).token, quint64(3));
        QVERIFY(!answers.at(0).problems.isEmpty());
        QCOMPARE(answers.at(0).problems.at(0).field, QStringLiteral("customization.nics[0].address"));
        QCOMPARE(m_store->size(), 0);
        QCOMPARE(m_hv->totalCalls(), m_hv->calls(FakeHypervisor::Method::Connect));
    }
};

QTEST_GUILESS_MAIN(TestCloneProvisioning)
#include "TestCloneProvisioning.moc"
