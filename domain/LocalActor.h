#pragma once

#include <QString>

namespace dcm {

// Who is acting here: "user@host" of the OS account running this console or dcmctl. Recorded with the
// requests it submits and the admin actions it takes, so that a shared queue says who did what.
QString localActor();

} // namespace dcm
