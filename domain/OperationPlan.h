#pragma once

#include "domain/Error.h"
#include "domain/ProvisioningRequest.h"
#include "domain/RequestEvent.h"
#include "domain/ports/HypervisorPort.h"

#include <optional>

#include <QDateTime>
#include <QString>

namespace dcm {

// The steps of an operation (power on/off, restart, decommission), decided from the request and the VM's
// state as just read: pure, no I/O. The service reads the VM's state before it sends anything — when
// an operation starts, after a lost reply, after a take-over — so every resumption continues from what
// vCenter says is true instead of repeating a call:
//   power on      gone: FAILED; on: done; else PowerOnVM_Task
//   power off     gone: FAILED; off: done; on with VMware Tools running: ShutdownGuest, then wait up to
//                 the guest timeout (shown in the request) and PowerOffVM_Task if still on; else PowerOffVM_Task
//   restart       gone or not on: FAILED; a restart already sent: done (never twice); Tools running:
//                 RebootGuest, else ResetVM_Task
//   decommission  gone: done; powered off as "power off" says, then Destroy_Task
// A VM found by moref must carry the target's request key unless the operation is in admin mode.
struct OperationStep
{
    enum class Action
    {
        Done,         // PROVISIONED ("done") with `reason`
        Fail,         // FAILED with `failure`
        Send,         // call operate(vm, `operation`)
        WaitForGuest, // the guest is shutting down: read the state again until `waitUntil`
        ReadAgain,    // the call went through: read the state to know what follows
    };
    Action action = Action::Fail;
    VmOperation operation = VmOperation::PowerOn;
    EventReason reason;
    std::optional<Error> failure;
    QDateTime waitUntil;
};

namespace OperationPlan {

inline constexpr const char* kPoweredOnState = "poweredOn";
inline constexpr const char* kPoweredOffState = "poweredOff";
inline constexpr const char* kToolsRunning = "guestToolsRunning";

// From the VM's state (nullopt: no such VM any more) at `now`.
OperationStep next(const ProvisioningRequest& operation, const std::optional<VmState>& vm, const QDateTime& now);
// After `sent` was answered with success.
OperationStep afterSent(const ProvisioningRequest& operation, VmOperation sent, const QDateTime& now);

// Stored names of the calls ("power-on", "shutdown-guest", ...), and vCenter's names for people.
QString name(VmOperation operation);
std::optional<VmOperation> fromName(const QString& name);
QString callName(VmOperation operation);

} // namespace OperationPlan

} // namespace dcm
