#pragma once

#include "CtlCommand.h"

namespace dcm::ctl {

// `dcmctl requests [--state S] [--id ID]`: the requests on this database, or one with its history.
class RequestsCommand final : public CtlCommand
{
    Q_OBJECT

public:
    using CtlCommand::CtlCommand;
    void start() override;
};

} // namespace dcm::ctl
