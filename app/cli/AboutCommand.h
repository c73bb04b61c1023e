#pragma once

#include "CtlCommand.h"

#include <memory>

namespace dcm::ctl {

// `dcmctl about`: vCenter's product, version, API version and instance UUID.
class AboutCommand final : public CtlCommand
{
    Q_OBJECT

public:
    using CtlCommand::CtlCommand;
    ~AboutCommand() override;
    void start() override;

private:
    std::unique_ptr<HypervisorPort> m_hypervisor;
};

} // namespace dcm::ctl
