#include "AboutOperation.h"

#include "ServiceContent.h"
#include "VimRequests.h"
#include "VimSession.h"

namespace dcm::vsphere {

void AboutOperation::start()
{
    ensureSession([this](Result<void> r) {
        if (!r.ok())
            return fail(r.error());
        call(VimRequests::retrieveServiceContent(), m_reader, [this](Result<void> r2) {
            if (!r2.ok())
                return fail(r2.error());
            const XmlValue* rv = m_reader.first();
            const std::optional<ServiceContent> content = rv ? ServiceContent::fromReturnValue(*rv) : std::nullopt;
            if (!content)
                return fail(Error::make(ErrorKind::Transient, QStringLiteral("malformed-reply"),
                                        QStringLiteral("ServiceContent has no about information")));
            succeed(content->about);
        });
    });
}

} // namespace dcm::vsphere
