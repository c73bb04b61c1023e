#include "domain/OperationPlan.h"

#include "domain/RequestEventText.h"

#include <array>
#include <utility>

namespace dcm::OperationPlan {

namespace {

namespace Why = RequestEventText;
using Action = OperationStep::Action;

constexpr std::array<std::pair<VmOperation, const char*>, 6> s_names{{
    {VmOperation::PowerOn, "power-on"},
    {VmOperation::PowerOff, "power-off"},
    {VmOperation::ShutdownGuest, "shutdown-guest"},
    {VmOperation::RebootGuest, "reboot-guest"},
    {VmOperation::Reset, "reset"},
    {VmOperation::Destroy, "destroy"},
}};

OperationStep done(const char* code, const QStringList& args)
{
    OperationStep step;
    step.action = Action::Done;
    step.reason = Why::reason(code, args);
    return step;
}

OperationStep send(VmOperation operation)
{
    OperationStep step;
    step.action = Action::Send;
    step.operation = operation;
    return step;
}

OperationStep fail(const QString& code, const QString& message, const QString& vmName)
{
    OperationStep step;
    step.action = Action::Fail;
    Error e = Error::make(ErrorKind::Business, code, message);
    e.details.insert(QStringLiteral("vm"), vmName);
    step.failure = e;
    return step;
}

OperationStep readAgain()
{
    OperationStep step;
    step.action = Action::ReadAgain;
    return step;
}

QString shown(const ProvisioningRequest& op, const std::optional<VmState>& vm)
{
    if (vm && !vm->vm.name.isEmpty())
        return vm->vm.name;
    return op.target().vmName.isEmpty() ? op.target().vmRef : op.target().vmName;
}

// Power off, or the power-off half of a decommission, on a VM that is not powered off.
OperationStep powerOff(const ProvisioningRequest& op, const VmState& vm, const QDateTime& now)
{
    const bool on = vm.vm.powerState == QLatin1String(kPoweredOnState);
    const bool shutdownSent = op.operationSent() == name(VmOperation::ShutdownGuest) && op.operationSentAt().isValid();
    if (on && shutdownSent) {
        const QDateTime deadline = op.operationSentAt().addSecs(op.target().guestTimeoutSeconds);
        if (now < deadline) {
            OperationStep step;
            step.action = Action::WaitForGuest;
            step.waitUntil = deadline;
            return step;
        }
        return send(VmOperation::PowerOff); // the guest had its time
    }
    if (on && vm.toolsRunningStatus == QLatin1String(kToolsRunning) &&
        op.operationSent() != name(VmOperation::PowerOff))
        return send(VmOperation::ShutdownGuest);
    return send(VmOperation::PowerOff); // no Tools to ask, or suspended
}

} // namespace

QString name(VmOperation operation)
{
    for (const auto& [o, n] : s_names)
        if (o == operation)
            return QString::fromLatin1(n);
    return {};
}

std::optional<VmOperation> fromName(const QString& text)
{
    for (const auto& [o, n] : s_names)
        if (text == QLatin1String(n))
            return o;
    return std::nullopt;
}

QString callName(VmOperation operation)
{
    switch (operation) {
    case VmOperation::PowerOn:
        return QStringLiteral("PowerOnVM_Task");
    case VmOperation::PowerOff:
        return QStringLiteral("PowerOffVM_Task");
    case VmOperation::ShutdownGuest:
        return QStringLiteral("ShutdownGuest");
    case VmOperation::RebootGuest:
        return QStringLiteral("RebootGuest");
    case VmOperation::Reset:
        return QStringLiteral("ResetVM_Task");
    case VmOperation::Destroy:
        return QStringLiteral("Destroy_Task");
    }
    return {};
}

OperationStep next(const ProvisioningRequest& op, const std::optional<VmState>& vm, const QDateTime& now)
{
    const QString vmName = shown(op, vm);
    const RequestKind kind = op.kind();
    if (!vm) {
        if (kind == RequestKind::Decommission)
            return op.operationSent() == name(VmOperation::Destroy) ? done(Why::kDestroyed, {vmName})
                                                                    : done(Why::kAlreadyGone, {vmName});
        return fail(QStringLiteral("vm-gone"),
                    QStringLiteral("the VM %1 no longer exists, so it cannot be %2")
                        .arg(vmName, kind == RequestKind::PowerOn    ? QStringLiteral("powered on")
                                     : kind == RequestKind::PowerOff ? QStringLiteral("powered off")
                                                                     : QStringLiteral("restarted")),
                    vmName);
    }
    const OperationTarget& target = op.target();
    if (!target.isAdmin() && (target.requestId.isNull() || QUuid::fromString(vm->requestId) != target.requestId))
        return fail(QStringLiteral("vm-not-ours"),
                    QStringLiteral("the VM %1 does not carry the request key of the request that provisioned it; "
                                   "only an administrator can act on it (admin mode, with a reason)")
                        .arg(vmName),
                    vmName);
    const QString power = vm->vm.powerState;
    const bool on = power == QLatin1String(kPoweredOnState);
    const bool off = power == QLatin1String(kPoweredOffState);
    switch (kind) {
    case RequestKind::Provision:
        break;
    case RequestKind::PowerOn:
        return on ? done(Why::kPoweredOn, {vmName}) : send(VmOperation::PowerOn);
    case RequestKind::Restart: {
        if (!on)
            return fail(QStringLiteral("vm-not-running"),
                        QStringLiteral("the VM %1 is not running (%2): power it on instead of restarting it")
                            .arg(vmName, power.isEmpty() ? QStringLiteral("power state unknown") : power),
                        vmName);
        const auto sent = fromName(op.operationSent());
        if (sent == VmOperation::RebootGuest || sent == VmOperation::Reset)
            return done(Why::kRestartSentBefore, {vmName});
        return send(vm->toolsRunningStatus == QLatin1String(kToolsRunning) ? VmOperation::RebootGuest
                                                                           : VmOperation::Reset);
    }
    case RequestKind::PowerOff:
        return off ? done(Why::kPoweredOff, {vmName}) : powerOff(op, *vm, now);
    case RequestKind::Decommission:
        return off ? send(VmOperation::Destroy) : powerOff(op, *vm, now);
    }
    return fail(QStringLiteral("not-an-operation"), QStringLiteral("a provisioning request is not an operation"),
                vmName);
}

OperationStep afterSent(const ProvisioningRequest& op, VmOperation sent, const QDateTime& now)
{
    const QString vmName = shown(op, std::nullopt);
    switch (sent) {
    case VmOperation::PowerOn:
        return done(Why::kPoweredOn, {vmName});
    case VmOperation::RebootGuest:
        return done(Why::kRestarted, {vmName, QStringLiteral("guest reboot")});
    case VmOperation::Reset:
        return done(Why::kRestarted, {vmName, QStringLiteral("reset")});
    case VmOperation::ShutdownGuest: {
        OperationStep step;
        step.action = Action::WaitForGuest;
        step.waitUntil =
            (op.operationSentAt().isValid() ? op.operationSentAt() : now).addSecs(op.target().guestTimeoutSeconds);
        return step;
    }
    case VmOperation::PowerOff:
        return op.kind() == RequestKind::Decommission ? readAgain() : done(Why::kPoweredOff, {vmName});
    case VmOperation::Destroy:
        return done(Why::kDestroyed, {vmName});
    }
    return readAgain();
}

} // namespace dcm::OperationPlan
