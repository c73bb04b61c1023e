#pragma once

#include "CtlCommand.h"

#include <memory>

namespace dcm::ctl {

// `dcmctl serve`: the service headless — drain, probe, reconcile — until SIGINT/SIGTERM, then a graceful
// stop. Ends on its own (exit 5, 4) only when vCenter needs the operator: refused credentials or an
// untrusted certificate, which retrying would not fix (and, for a password, could lock the account).
class ServeCommand final : public CtlCommand
{
    Q_OBJECT

public:
    using CtlCommand::CtlCommand;
    ~ServeCommand() override;
    void start() override;
    void interrupt() override;

private:
    void serve(const ConnectionSettings& settings);
    void onConnectionChanged(const ConnectionStatus& status, const ConnectionSettings& settings);

    std::unique_ptr<ProvisioningService> m_service;
    bool m_serving = false;
};

} // namespace dcm::ctl
