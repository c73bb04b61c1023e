#pragma once

#include "CtlCommand.h"

#include <QTimer>
#include <QUuid>

#include <memory>

namespace dcm::ctl {

// `dcmctl submit SPEC [--wait SECONDS]`: validates the spec and makes the request durable. Without
// --wait it is left for whichever service drains the queue (exit 3); with --wait this process drives
// it until it settles or the wait elapses.
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

    std::unique_ptr<ProvisioningService> m_service;
    QTimer m_deadline;
    QUuid m_waitFor;
};

} // namespace dcm::ctl
