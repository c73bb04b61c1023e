#include "ConnectOperation.h"

#include "VimSession.h"

namespace dcm::vsphere {

void ConnectOperation::start()
{
    ensureSession([this](Result<void> r) {
        if (!r.ok())
            return fail(r.error());
        succeed(m_session.content().about);
    });
}

} // namespace dcm::vsphere
