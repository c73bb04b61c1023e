#pragma once

#include "CtlCommand.h"

#include <memory>

namespace dcm::ctl {

// `dcmctl inventory [KIND...]`: name, path, moref and the form's fields of every object of the kinds
// asked for (all kinds without arguments).
class InventoryCommand final : public CtlCommand
{
    Q_OBJECT

public:
    using CtlCommand::CtlCommand;
    ~InventoryCommand() override;
    void start() override;

private:
    void print(const InventorySnapshot& snapshot, InventoryKinds wanted);

    std::unique_ptr<HypervisorPort> m_hypervisor;
};

} // namespace dcm::ctl
