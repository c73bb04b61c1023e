#pragma once

#include "MoRef.h"
#include "ReturnValueReader.h"
#include "TaskTracker.h"
#include "TypedOperation.h"
#include "VsphereOptions.h"

#include "domain/GuestCustomization.h"
#include "domain/ports/HypervisorPort.h"

namespace dcm::vsphere {

// One call on one VM that changes it — a power operation, Destroy_Task, CustomizeVM_Task — sent at most
// once (a lost reply is OutcomeUnknown: the caller reads the VM's state before anything is sent again),
// and, for the calls that return a task, the task followed to its end through the CallGate like
// provision()'s. vCenter's answers that a caller decides on get listed codes: ManagedObjectNotFound for
// the VM is "vm-gone", InvalidPowerState "invalid-power-state", ToolsUnavailable "tools-unavailable".
class VmCallOperation : public TypedOperation<void>
{
public:
    VmCallOperation(VimSession& session, const VsphereOptions& options, QString vmRef, Done done);

    static Error classify(Error e, const QString& vmRef);

protected:
    void onCancelWhileIdle() override;
    bool stopsOnCancel() const override { return !m_sent; }
    // Sends `request`; a task is followed when `returnsTask`.
    void run(const SoapRequest& request, bool returnsTask);

    MoRef m_vm;
    ReturnValueReader m_reader;
    TaskTracker m_tracker;

private:
    bool m_sent = false;
    bool m_tracking = false;
};

// operate(): PowerOnVM_Task, PowerOffVM_Task, ShutdownGuest, RebootGuest, ResetVM_Task or Destroy_Task.
class OperateOperation final : public VmCallOperation
{
public:
    OperateOperation(VimSession& session, const VsphereOptions& options, QString vmRef, VmOperation operation,
                     Done done);
    void start() override;
    static const char* methodOf(VmOperation operation);
    static bool returnsTask(VmOperation operation);

private:
    VmOperation m_operation;
};

// customize(): CustomizeVM_Task with typed Linux settings, or with a specification saved in vCenter —
// read by name (GetCustomizationSpec) and sent back as it came, so that its secrets stay vCenter's.
class CustomizeOperation final : public VmCallOperation
{
public:
    CustomizeOperation(VimSession& session, const VsphereOptions& options, QString vmRef, VmSpec spec, Done done);
    void start() override;

private:
    void readSaved();
    VmSpec m_spec;
    ReturnValueReader m_specReader;
};

} // namespace dcm::vsphere
