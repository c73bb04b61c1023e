// The steps of a power operation or a decommission, decided from the request and the VM's state alone:
// each kind against each power state, VMware Tools running or not, the guest's shutdown timeout, a VM
// that is gone, a VM that is not ours, a restart already sent, and how states read for people.
#include "DomainQCompare.h"

#include "domain/OperationPlan.h"
#include "domain/RequestEventText.h"
#include "domain/RequestView.h"

#include <QTest>

using namespace dcm;
using Action = OperationStep::Action;

Q_DECLARE_METATYPE(dcm::OperationStep::Action)
Q_DECLARE_METATYPE(dcm::VmOperation)

namespace QTest {
inline bool qCompare(Action t1, Action t2, const char* actual, const char* expected, const char* file, int line)
{
    return qCompare(int(t1), int(t2), actual, expected, file, line);
}
inline bool qCompare(VmOperation t1, VmOperation t2, const char* actual, const char* expected, const char* file,
                     int line)
{
    return qCompare(int(t1), int(t2), actual, expected, file, line);
}
} // namespace QTest

namespace {

const QDateTime t0(QDate(2026, 3, 1), QTime(9, 0), Qt::UTC);
const QUuid provisioningId = QUuid::fromString(QStringLiteral("6f1c3a52-9b0e-4d7a-8c2f-0e5d4b3a2f10"));

ProvisioningRequest op(RequestKind kind, int guestTimeout = 60)
{
    OperationTarget target;
    target.requestId = provisioningId;
    target.vmRef = QStringLiteral("vm-42");
    target.vmName = QStringLiteral("web-01");
    target.guestTimeoutSeconds = guestTimeout;
    return ProvisioningRequest::operation(QUuid::createUuid(), kind, target, t0);
}

VmState vm(const QString& power, bool tools, const QString& key = provisioningId.toString(QUuid::WithoutBraces))
{
    VmState s;
    s.vm.ref = QStringLiteral("vm-42");
    s.vm.name = QStringLiteral("web-01");
    s.vm.powerState = power;
    s.requestId = key;
    s.toolsRunningStatus = tools ? QStringLiteral("guestToolsRunning") : QStringLiteral("guestToolsNotRunning");
    return s;
}

const QString on = QStringLiteral("poweredOn");
const QString off = QStringLiteral("poweredOff");
const QString suspended = QStringLiteral("suspended");

} // namespace

class TestOperationPlan : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Pins: what each kind does first, for each power state and Tools state.
    void firstStep_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("power");
        QTest::addColumn<bool>("tools");
        QTest::addColumn<Action>("action");
        QTest::addColumn<VmOperation>("operation");
        QTest::addColumn<QString>("reasonCode");
        const int pOn = int(RequestKind::PowerOn), pOff = int(RequestKind::PowerOff), rst = int(RequestKind::Restart),
                  dec = int(RequestKind::Decommission);
        const auto op0 = VmOperation::PowerOn;
        QTest::newRow("power on, off") << pOn << off << false << Action::Send << VmOperation::PowerOn << QString();
        QTest::newRow("power on, suspended")
            << pOn << suspended << false << Action::Send << VmOperation::PowerOn << QString();
        QTest::newRow("power on, already on") << pOn << on << true << Action::Done << op0 << "powered-on";
        QTest::newRow("power off, Tools")
            << pOff << on << true << Action::Send << VmOperation::ShutdownGuest << QString();
        QTest::newRow("power off, no Tools")
            << pOff << on << false << Action::Send << VmOperation::PowerOff << QString();
        QTest::newRow("power off, suspended")
            << pOff << suspended << false << Action::Send << VmOperation::PowerOff << QString();
        QTest::newRow("power off, already off") << pOff << off << false << Action::Done << op0 << "powered-off";
        QTest::newRow("restart, Tools") << rst << on << true << Action::Send << VmOperation::RebootGuest << QString();
        QTest::newRow("restart, no Tools") << rst << on << false << Action::Send << VmOperation::Reset << QString();
        QTest::newRow("restart, off") << rst << off << false << Action::Fail << op0 << QString();
        QTest::newRow("decommission, on with Tools")
            << dec << on << true << Action::Send << VmOperation::ShutdownGuest << QString();
        QTest::newRow("decommission, on without Tools")
            << dec << on << false << Action::Send << VmOperation::PowerOff << QString();
        QTest::newRow("decommission, off") << dec << off << false << Action::Send << VmOperation::Destroy << QString();
    }
    void firstStep()
    {
        QFETCH(int, kind);
        QFETCH(QString, power);
        QFETCH(bool, tools);
        QFETCH(Action, action);
        QFETCH(VmOperation, operation);
        QFETCH(QString, reasonCode);
        const OperationStep step = OperationPlan::next(op(RequestKind(kind)), vm(power, tools), t0);
        QCOMPARE(step.action, action);
        if (action == Action::Send)
            QCOMPARE(step.operation, operation);
        if (!reasonCode.isEmpty())
            QCOMPARE(step.reason.code, reasonCode);
        if (action == Action::Fail) {
            QVERIFY(step.failure.has_value());
            QCOMPARE(step.failure->code, QStringLiteral("vm-not-running"));
        }
    }

    // Pins: a VM that no longer exists fails power on/off and restart, with its name in the reason; a
    // decommission of it is done ("already gone"), and after our own Destroy_Task it reads "destroyed".
    void aVmThatIsGone()
    {
        for (RequestKind kind : {RequestKind::PowerOn, RequestKind::PowerOff, RequestKind::Restart}) {
            const OperationStep step = OperationPlan::next(op(kind), std::nullopt, t0);
            QCOMPARE(step.action, Action::Fail);
            QCOMPARE(step.failure->code, QStringLiteral("vm-gone"));
            QCOMPARE(step.failure->kind, ErrorKind::Business);
            QVERIFY2(step.failure->message.contains(QStringLiteral("web-01")), qPrintable(step.failure->message));
        }
        ProvisioningRequest decommission = op(RequestKind::Decommission);
        OperationStep step = OperationPlan::next(decommission, std::nullopt, t0);
        QCOMPARE(step.action, Action::Done);
        QCOMPARE(step.reason.code, QString::fromLatin1(RequestEventText::kAlreadyGone));
        decommission.setOperationSent(OperationPlan::name(VmOperation::Destroy), t0);
        step = OperationPlan::next(decommission, std::nullopt, t0);
        QCOMPARE(step.action, Action::Done);
        QCOMPARE(step.reason.code, QString::fromLatin1(RequestEventText::kDestroyed));
    }

    // Pins: a VM without the target's request key is refused unless the operation is in admin mode.
    void aVmWithoutOurKeyNeedsAdminMode()
    {
        const OperationStep refused = OperationPlan::next(op(RequestKind::Decommission), vm(off, false, {}), t0);
        QCOMPARE(refused.action, Action::Fail);
        QCOMPARE(refused.failure->code, QStringLiteral("vm-not-ours"));
        const OperationStep otherKey = OperationPlan::next(
            op(RequestKind::Decommission), vm(off, false, QUuid::createUuid().toString(QUuid::WithoutBraces)), t0);
        QCOMPARE(otherKey.action, Action::Fail);

        OperationTarget admin;
        admin.vmRef = QStringLiteral("vm-42");
        admin.vmName = QStringLiteral("web-01");
        admin.adminReason = QStringLiteral("orphan from the old tooling");
        const ProvisioningRequest adminOp =
            ProvisioningRequest::operation(QUuid::createUuid(), RequestKind::Decommission, admin, t0);
        const OperationStep allowed = OperationPlan::next(adminOp, vm(off, false, {}), t0);
        QCOMPARE(allowed.action, Action::Send);
        QCOMPARE(allowed.operation, VmOperation::Destroy);
    }

    // Pins: after the guest was asked to shut down, the operation waits until the timeout and then sends
    // a hard power-off; the deadline is counted from when the shutdown was sent, so a resumed operation
    // keeps it.
    void guestShutdownTimesOutIntoAHardPowerOff()
    {
        ProvisioningRequest r = op(RequestKind::PowerOff, 90);
        r.setOperationSent(OperationPlan::name(VmOperation::ShutdownGuest), t0);
        OperationStep step = OperationPlan::afterSent(r, VmOperation::ShutdownGuest, t0);
        QCOMPARE(step.action, Action::WaitForGuest);
        QCOMPARE(step.waitUntil, t0.addSecs(90));
        step = OperationPlan::next(r, vm(on, true), t0.addSecs(89));
        QCOMPARE(step.action, Action::WaitForGuest);
        QCOMPARE(step.waitUntil, t0.addSecs(90));
        step = OperationPlan::next(r, vm(on, true), t0.addSecs(90));
        QCOMPARE(step.action, Action::Send);
        QCOMPARE(step.operation, VmOperation::PowerOff);
        step = OperationPlan::next(r, vm(off, true), t0.addSecs(30));
        QCOMPARE(step.action, Action::Done);
        QCOMPARE(step.reason.code, QString::fromLatin1(RequestEventText::kPoweredOff));
    }

    // Pins: a restart already sent (its reply lost, or the service stopped) is never sent again while the
    // VM runs.
    void aRestartIsNeverSentTwice()
    {
        for (VmOperation sent : {VmOperation::RebootGuest, VmOperation::Reset}) {
            ProvisioningRequest r = op(RequestKind::Restart);
            r.setOperationSent(OperationPlan::name(sent), t0);
            const OperationStep step = OperationPlan::next(r, vm(on, true), t0.addSecs(5));
            QCOMPARE(step.action, Action::Done);
            QCOMPARE(step.reason.code, QString::fromLatin1(RequestEventText::kRestartSentBefore));
        }
    }

    // Pins: a decommission reads the VM again after its power-off, then destroys it; what follows the
    // other calls.
    void afterEachCall()
    {
        const ProvisioningRequest dec = op(RequestKind::Decommission);
        QCOMPARE(OperationPlan::afterSent(dec, VmOperation::PowerOff, t0).action, Action::ReadAgain);
        QCOMPARE(OperationPlan::afterSent(dec, VmOperation::Destroy, t0).action, Action::Done);
        QCOMPARE(OperationPlan::afterSent(op(RequestKind::PowerOff), VmOperation::PowerOff, t0).action, Action::Done);
        const OperationStep restarted = OperationPlan::afterSent(op(RequestKind::Restart), VmOperation::Reset, t0);
        QCOMPARE(restarted.action, Action::Done);
        QCOMPARE(restarted.reason.args, (QStringList{QStringLiteral("web-01"), QStringLiteral("reset")}));
    }

    // Pins: the stored names of the calls read back; an unknown one is refused.
    void callNamesRoundTrip()
    {
        for (VmOperation o : {VmOperation::PowerOn, VmOperation::PowerOff, VmOperation::ShutdownGuest,
                              VmOperation::RebootGuest, VmOperation::Reset, VmOperation::Destroy})
            QCOMPARE(OperationPlan::fromName(OperationPlan::name(o)), std::optional<VmOperation>(o));
        QVERIFY(!OperationPlan::fromName(QStringLiteral("explode")).has_value());
    }

    // Pins: how an operation's states read for people, and what `dcmctl requests --json` says of it.
    void statesReadForPeopleAndTheJsonSaysKindAndTarget()
    {
        QCOMPARE(stateLabel(RequestKind::PowerOff, RequestState::Provisioning), QStringLiteral("Powering off"));
        QCOMPARE(stateLabel(RequestKind::Decommission, RequestState::Provisioning), QStringLiteral("Decommissioning"));
        QCOMPARE(stateLabel(RequestKind::PowerOn, RequestState::Provisioned), QStringLiteral("Done"));
        QCOMPARE(stateLabel(RequestKind::Provision, RequestState::Provisioned), QStringLiteral("PROVISIONED"));

        const QJsonObject json = RequestView::toJson(op(RequestKind::Decommission, 75), true);
        QCOMPARE(json.value(QStringLiteral("kind")).toString(), QStringLiteral("decommission"));
        const QJsonObject target = json.value(QStringLiteral("target")).toObject();
        QCOMPARE(target.value(QStringLiteral("requestId")).toString(), provisioningId.toString(QUuid::WithoutBraces));
        QCOMPARE(target.value(QStringLiteral("vmName")).toString(), QStringLiteral("web-01"));
        QCOMPARE(target.value(QStringLiteral("guestShutdownTimeoutSeconds")).toInt(), 75);
        QVERIFY(!json.contains(QStringLiteral("spec")));

        ProvisioningRequest provisioned(provisioningId, VmSpec{}, t0);
        provisioned.setDecommissioned(t0.addSecs(60), QStringLiteral("ops@host"));
        const QJsonObject p = RequestView::toJson(provisioned, false);
        QCOMPARE(p.value(QStringLiteral("kind")).toString(), QStringLiteral("provision"));
        QVERIFY(p.value(QStringLiteral("target")).isNull());
        QCOMPARE(p.value(QStringLiteral("decommissionedBy")).toString(), QStringLiteral("ops@host"));
    }

    // Pins: the storage form keeps kind, target and the call sent; a bad target is refused by field.
    void storageJsonRoundTrips()
    {
        ProvisioningRequest r = op(RequestKind::Restart);
        r.setOperationSent(QStringLiteral("reboot-guest"), t0.addSecs(3));
        auto back = ProvisioningRequest::fromJson(r.toJson());
        QVERIFY(back.ok());
        QVERIFY(back.value() == r);

        QJsonObject broken = r.toJson();
        broken.insert(QStringLiteral("kind"), QStringLiteral("explode"));
        auto refused = ProvisioningRequest::fromJson(broken);
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().message.contains(QStringLiteral("kind")), qPrintable(refused.error().message));

        OperationTarget noReason;
        noReason.vmRef = QStringLiteral("vm-9");
        QCOMPARE(noReason.problems().size(), 1);
        QCOMPARE(noReason.problems().first().field, QStringLiteral("target.adminReason"));
        OperationTarget slow = op(RequestKind::PowerOff).target();
        slow.guestTimeoutSeconds = 0;
        QCOMPARE(slow.problems().first().field, QStringLiteral("target.guestTimeoutSeconds"));
    }
};

QTEST_GUILESS_MAIN(TestOperationPlan)
#include "TestOperationPlan.moc"
