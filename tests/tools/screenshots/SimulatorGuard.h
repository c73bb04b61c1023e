#pragma once

#include "domain/Result.h"

#include <QString>
#include <QUrl>

namespace dcm {

// Where the screenshot tool may connect: the bundled simulator, as described by the state file that
// scripts/vcsim-fixture.sh writes when it starts one (STATE_DIR/vcsim.json, mode 600, with vcsim.pid and
// vcsim.bin beside it).
struct SimulatorTarget
{
    QUrl server;
    QString thumbprint;
    QString user;
    QString password;
    QUrl control;
    qint64 pid = 0;
};

// The screenshot tool fills the New VM form and submits requests. It must never do that to a real
// vCenter, so it connects only where this check agrees: the state file is the fixture's (owner-only,
// its pid file names the same process), that process is running the simulator binary the fixture
// started (its argv[0] is the path in vcsim.bin, named dcm-vcsim), the SDK and control URLs are on a
// loopback address, and DCM_SERVER, when set, names that same URL. Anything else is refused with the
// reason, naming the file and what did not match.
Result<SimulatorTarget> checkSimulatorState(const QString& stateFile);

} // namespace dcm
