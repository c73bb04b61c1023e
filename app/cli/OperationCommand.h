#pragma once

#include "CtlCommand.h"

#include <QTimer>
#include <QUuid>

#include <memory>

namespace dcm::ctl {

// `dcmctl power ID on|off|restart` and `dcmctl decommission ID --yes`: an operation on the VM of
// provisioning request ID, made durable through the same queue as provisioning (exit 3: accepted; a
// service runs it). With --wait this process drives it until it ends (0 done, 1 failed) or the wait
// elapses (3). `--vm NAME --admin --reason TEXT` instead of ID: a VM this product did not provision,
// looked up by name (exactly one) or moref in vCenter's inventory.
class OperationCommand final : public CtlCommand
{
    Q_OBJECT

public:
    OperationCommand(CtlContext context, bool decommission);
    ~OperationCommand() override;
    void start() override;

private:
    void resolveVm(const ConnectionSettings& settings);
    void submit(const OperationTarget& target, std::optional<ConnectionSettings> drive);
    void report(const ProvisioningRequest& request);

    bool m_decommission;
    RequestKind m_kind = RequestKind::Decommission;
    std::unique_ptr<HypervisorPort> m_lookup;
    std::unique_ptr<ProvisioningService> m_service;
    QTimer m_deadline;
    QUuid m_waitFor;
};

} // namespace dcm::ctl
