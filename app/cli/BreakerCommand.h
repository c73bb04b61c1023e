#pragma once

#include "CtlCommand.h"

namespace dcm::ctl {

// `dcmctl breaker`: the circuit breaker as last recorded by any service on this database.
class BreakerCommand final : public CtlCommand
{
    Q_OBJECT

public:
    using CtlCommand::CtlCommand;
    void start() override;
};

} // namespace dcm::ctl
