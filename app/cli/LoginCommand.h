#pragma once

#include "CtlCommand.h"

namespace dcm::ctl {

// `dcmctl login`: stores the password read from stdin (not echoed on a terminal) in the keychain,
// under "<user>@<host>".
class LoginCommand final : public CtlCommand
{
    Q_OBJECT

public:
    using CtlCommand::CtlCommand;
    void start() override;
};

} // namespace dcm::ctl
