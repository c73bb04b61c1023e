#pragma once

#include "CtlCommand.h"

#include <QTimer>
#include <QUuid>

#include <memory>

namespace dcm::ctl {

// `dcmctl submit SPEC [--count N] [--wait SECONDS]`: validates the spec and makes the request durable.
// Without --wait it is left for whichever service drains the queue (exit 3); with --wait this process
// drives it until it settles or the wait elapses. With --count, N requests from the spec (one batch,
// validated all or nothing); `--json` then prints an array of {"id","name","state"}.
class SubmitCommand final : public CtlCommand
{
    Q_OBJECT

public:
    using CtlCommand::CtlCommand;
    ~SubmitCommand() override;
    void start() override;

private:
    void store();
    void drive(const ConnectionSettings& settings);
    void report(const ProvisioningRequest& request);
    void reportBatch(const QList<ProvisioningRequest>& requests);
    bool isBatch() const { return options().count > 0; }

    std::unique_ptr<ProvisioningService> m_service;
    QTimer m_deadline;
    QUuid m_waitFor;
    QList<VmSpec> m_specs;       // the batch's VMs, in order
    QList<QUuid> m_batchWaitFor; // their requests, in order
};

} // namespace dcm::ctl
