// The fake hypervisor's VM model: what the service and GUI tests rely on when they script clones,
// customizations and power operations. A fake that drifted from vCenter's rules would let a service
// bug (a second customization, a power-on of a running VM) pass unseen.
#include "DomainQCompare.h"
#include "FakeHypervisor.h"

#include <QSignalSpy>
#include <QTest>

#include <optional>

using namespace dcm;

namespace {

ProvisionOrder cloneOrder(const QUuid& id)
{
    ProvisionOrder order;
    order.requestId = id;
    order.spec.name = QStringLiteral("web-01");
    order.spec.templateName = QStringLiteral("ubuntu-tpl");
    order.spec.customization.mode = GuestCustomization::Mode::Linux;
    order.spec.customization.hostName = QStringLiteral("web01");
    order.spec.customization.domain = QStringLiteral("example.com");
    order.spec.customization.nics = {NicAddress{false, QStringLiteral("10.0.0.11"), 24, QStringLiteral("10.0.0.1")}};
    return order;
}

// Waits for one asynchronous answer of the fake (delivered on the event loop).
template <class T> struct Answer
{
    std::optional<Result<T>> value;
    auto sink()
    {
        return [this](Result<T> r) { value.emplace(std::move(r)); };
    }
    bool wait()
    {
        return QTest::qWaitFor([this] { return value.has_value(); });
    }
};

} // namespace

class TestFakeHypervisor final : public QObject
{
    Q_OBJECT

private:
    QString cloneVm(FakeHypervisor& hv, const QUuid& id)
    {
        Answer<ProvisionOutcome> a;
        hv.clone(cloneOrder(id), {}, a.sink());
        if (!a.wait() || !a.value->ok())
            return {};
        return a.value->value().vm.ref;
    }
    std::optional<Error> run(FakeHypervisor& hv, const QString& ref, VmOperation op)
    {
        Answer<void> a;
        hv.operate(ref, op, a.sink());
        if (!a.wait())
            return Error{};
        if (a.value->ok())
            return std::nullopt;
        return a.value->error();
    }
    std::optional<Error> customize(FakeHypervisor& hv, const QString& ref, const QUuid& id)
    {
        Answer<void> a;
        hv.customize(ref, cloneOrder(id).spec, a.sink());
        if (!a.wait())
            return Error{};
        if (a.value->ok())
            return std::nullopt;
        return a.value->error();
    }
    std::optional<VmState> read(FakeHypervisor& hv, const QString& ref)
    {
        Answer<std::optional<VmState>> a;
        hv.readState(ref, a.sink());
        if (!a.wait() || !a.value->ok())
            return std::nullopt;
        return a.value->value();
    }

private slots:
    void cloneCreatesAPoweredOffVmCarryingTheKey()
    {
        FakeHypervisor hv;
        const QUuid id = QUuid::createUuid();
        const QString ref = cloneVm(hv, id);
        QVERIFY(!ref.isEmpty());
        QCOMPARE(hv.calls(FakeHypervisor::Method::Clone), 1);
        QCOMPARE(hv.calls(FakeHypervisor::Method::Provision), 0);
        QCOMPARE(hv.clonesFor(id), 1);

        Answer<std::optional<VmState>> byKey;
        hv.readStateByKey(id, byKey.sink());
        QVERIFY(byKey.wait());
        QVERIFY(byKey.value->ok());
        QVERIFY(byKey.value->value().has_value());
        QCOMPARE(byKey.value->value()->vm.ref, ref);
        QCOMPARE(byKey.value->value()->vm.powerState, QStringLiteral("poweredOff"));
        QCOMPARE(byKey.value->value()->requestId, id.toString(QUuid::WithoutBraces));
        QCOMPARE(hv.calls(FakeHypervisor::Method::ReadStateByKey), 1);
    }

    void cloneOfAMissingTemplateIsRefused()
    {
        FakeHypervisor hv;
        hv.removeTemplate(QStringLiteral("ubuntu-tpl"));
        Answer<ProvisionOutcome> a;
        hv.clone(cloneOrder(QUuid::createUuid()), {}, a.sink());
        QVERIFY(a.wait());
        QVERIFY(!a.value->ok());
        QCOMPARE(a.value->error().kind, ErrorKind::Business);
        QCOMPARE(a.value->error().code, QStringLiteral("not-found"));
        QCOMPARE(hv.vmCount(), 0);
    }

    void customizationWaitsForTheBootAndIsAppliedOnce()
    {
        FakeHypervisor hv;
        const QUuid id = QUuid::createUuid();
        const QString ref = cloneVm(hv, id);
        QVERIFY(!customize(hv, ref, id));
        QVERIFY(!hv.vmByRef(ref)->pendingCustomization.isEmpty());
        QCOMPARE(hv.vmByRef(ref)->customizationsApplied, 0);

        QVERIFY(!run(hv, ref, VmOperation::PowerOn));
        QVERIFY(hv.vmByRef(ref)->pendingCustomization.isEmpty());
        QCOMPARE(hv.vmByRef(ref)->customizationsApplied, 1);

        // A running VM is not customized (CustomizeVM_Task's rule) and not powered on twice.
        const auto refused = customize(hv, ref, id);
        QVERIFY(refused);
        QCOMPARE(refused->code, QStringLiteral("invalid-power-state"));
        QCOMPARE(run(hv, ref, VmOperation::PowerOn)->code, QStringLiteral("invalid-power-state"));
        QCOMPARE(hv.vmByRef(ref)->customizationsAccepted, 1);
        QCOMPARE(hv.calls(FakeHypervisor::Method::Customize), 2);
        QCOMPARE(hv.calls(FakeHypervisor::Method::Operate), 2);
    }

    void theGuestReportsTheCustomizedIdentityWhenItRuns()
    {
        FakeHypervisor hv;
        hv.setGuestIdentityAfterReads(2);
        const QUuid id = QUuid::createUuid();
        const QString ref = cloneVm(hv, id);
        QVERIFY(!customize(hv, ref, id));
        QVERIFY(read(hv, ref)->guestHostName.isEmpty()); // off: no guest
        QVERIFY(!run(hv, ref, VmOperation::PowerOn));
        QVERIFY(read(hv, ref)->ipAddress.isEmpty());
        QVERIFY(read(hv, ref)->ipAddress.isEmpty());
        const auto state = read(hv, ref);
        QCOMPARE(state->guestHostName, QStringLiteral("web01.example.com"));
        QCOMPARE(state->ipAddress, QStringLiteral("10.0.0.11"));
        QCOMPARE(state->toolsRunningStatus, QStringLiteral("guestToolsRunning"));
    }

    void aLostReplyStillTakesEffect_data()
    {
        QTest::addColumn<int>("step");
        QTest::newRow("clone") << 0;
        QTest::newRow("customize") << 1;
        QTest::newRow("power-on") << 2;
    }

    void aLostReplyStillTakesEffect()
    {
        QFETCH(int, step);
        FakeHypervisor hv;
        const Error lost =
            Error::make(ErrorKind::OutcomeUnknown, QStringLiteral("timeout"), QStringLiteral("no reply"));
        const QUuid id = QUuid::createUuid();
        if (step == 0) {
            hv.failNext(FakeHypervisor::Method::Clone, lost, 1, FakeHypervisor::Effect::TookEffect);
            Answer<ProvisionOutcome> a;
            hv.clone(cloneOrder(id), {}, a.sink());
            QVERIFY(a.wait());
            QCOMPARE(a.value->error().kind, ErrorKind::OutcomeUnknown);
            QCOMPARE(hv.clonesFor(id), 1);
            QVERIFY(hv.vmFor(id));
            return;
        }
        const QString ref = cloneVm(hv, id);
        if (step == 1) {
            hv.failNext(FakeHypervisor::Method::Customize, lost, 1, FakeHypervisor::Effect::TookEffect);
            QCOMPARE(customize(hv, ref, id)->kind, ErrorKind::OutcomeUnknown);
            QVERIFY(!hv.vmByRef(ref)->pendingCustomization.isEmpty());
            return;
        }
        hv.failNext(FakeHypervisor::Method::Operate, lost, 1, FakeHypervisor::Effect::TookEffect);
        QCOMPARE(run(hv, ref, VmOperation::PowerOn)->kind, ErrorKind::OutcomeUnknown);
        QCOMPARE(hv.vmByRef(ref)->vm.powerState, QStringLiteral("poweredOn"));
    }

    void aScriptedFailureWithoutEffectChangesNothing()
    {
        FakeHypervisor hv;
        const QUuid id = QUuid::createUuid();
        const QString ref = cloneVm(hv, id);
        hv.failNext(FakeHypervisor::Method::Customize,
                    Error::make(ErrorKind::Transient, QStringLiteral("http-503"), QStringLiteral("busy")));
        QCOMPARE(customize(hv, ref, id)->code, QStringLiteral("http-503"));
        QVERIFY(hv.vmByRef(ref)->pendingCustomization.isEmpty());
    }

    void heldCallsAnswerInOrderAndActOnlyThen()
    {
        FakeHypervisor hv;
        const QUuid id = QUuid::createUuid();
        const QString ref = cloneVm(hv, id);
        hv.setHoldCalls(true);
        Answer<void> a;
        hv.operate(ref, VmOperation::PowerOn, a.sink());
        QCOMPARE(hv.heldCount(), 1);
        QCOMPARE(hv.vmByRef(ref)->vm.powerState, QStringLiteral("poweredOff"));
        QVERIFY(hv.completeHeld());
        QVERIFY(a.value.has_value());
        QVERIFY(a.value->ok());
        QCOMPARE(hv.vmByRef(ref)->vm.powerState, QStringLiteral("poweredOn"));
    }

    void destroyRemovesTheVmButNotWhileItRuns()
    {
        FakeHypervisor hv;
        const QUuid id = QUuid::createUuid();
        const QString ref = cloneVm(hv, id);
        QVERIFY(!run(hv, ref, VmOperation::PowerOn));
        QCOMPARE(run(hv, ref, VmOperation::Destroy)->code, QStringLiteral("invalid-power-state"));
        QVERIFY(!run(hv, ref, VmOperation::PowerOff));
        QVERIFY(!run(hv, ref, VmOperation::Destroy));
        QCOMPARE(hv.vmCountFor(id), 0);
        QVERIFY(!hv.vmFor(id));
        QCOMPARE(hv.clonesFor(id), 1);
        Answer<std::optional<VmState>> gone;
        hv.readState(ref, gone.sink());
        QVERIFY(gone.wait());
        QVERIFY(gone.value->ok());
        QVERIFY(!gone.value->value().has_value());
        QList<int> ops;
        for (VmOperation op : hv.operationsOn(ref))
            ops.append(int(op));
        QCOMPARE(ops, (QList<int>{int(VmOperation::PowerOn), int(VmOperation::Destroy), int(VmOperation::PowerOff),
                                  int(VmOperation::Destroy)}));
    }

    void aBlankVmPoweredOnAtCreationHasNoGuest()
    {
        FakeHypervisor hv;
        ProvisionOrder order;
        order.requestId = QUuid::createUuid();
        order.spec.name = QStringLiteral("blank");
        order.spec.powerOn = true;
        Answer<ProvisionOutcome> a;
        hv.provision(order, {}, a.sink());
        QVERIFY(a.wait());
        QVERIFY(a.value->ok());
        const auto state = read(hv, a.value->value().vm.ref);
        QCOMPARE(state->vm.powerState, QStringLiteral("poweredOn"));
        QVERIFY(state->guestHostName.isEmpty());
        QCOMPARE(run(hv, a.value->value().vm.ref, VmOperation::ShutdownGuest)->code,
                 QStringLiteral("tools-unavailable"));
    }

    // Pins the fake's listVms as the port describes it: every VM in pages, then the count; a scripted
    // failure after the first page, and nothing after the failure.
    void listVmsHandsOverPagesThenTheCountOrFailsMidway()
    {
        FakeHypervisor hv;
        InventorySnapshot inventory;
        for (int i = 0; i < 5; ++i) {
            VmInfo v;
            v.ref = QStringLiteral("vm-%1").arg(i);
            v.name = QStringLiteral("list-%1").arg(i);
            v.requestId = QStringLiteral("key-%1").arg(i);
            inventory.vms.append(v);
        }
        hv.setInventory(inventory);
        hv.setListPageSize(2);

        QList<int> pages;
        QStringList names;
        Answer<int> listed;
        hv.listVms(
            VmField::PowerState,
            [&](QList<VmInfo>&& page) {
                pages.append(int(page.size()));
                for (const VmInfo& v : page) {
                    names.append(v.name);
                    QVERIFY(v.requestId.isEmpty()); // not asked for
                }
            },
            listed.sink());
        QVERIFY(listed.wait());
        QVERIFY(listed.value->ok());
        QCOMPARE(listed.value->value(), 5);
        QCOMPARE(pages, (QList<int>{2, 2, 1}));
        QCOMPARE(names.size(), 5);
        QCOMPARE(names.first(), QStringLiteral("list-0"));

        pages.clear();
        hv.failNext(FakeHypervisor::Method::ListVms,
                    Error::make(ErrorKind::Transient, QStringLiteral("connection-closed"), QStringLiteral("cut")));
        Answer<int> broken;
        hv.listVms(
            VmField::RequestId, [&](QList<VmInfo>&& page) { pages.append(int(page.size())); }, broken.sink());
        QVERIFY(broken.wait());
        QVERIFY(!broken.value->ok());
        QCOMPARE(broken.value->error().code, QStringLiteral("connection-closed"));
        QCOMPARE(pages, QList<int>{2});
    }
};

QTEST_GUILESS_MAIN(TestFakeHypervisor)
#include "TestFakeHypervisor.moc"
