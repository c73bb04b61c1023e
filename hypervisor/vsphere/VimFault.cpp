#include "VimFault.h"

#include "domain/FaultTaxonomy.h"

namespace dcm::vsphere {

Error VimFault::toError() const
{
    Error e;
    e.kind = FaultTaxonomy::classifyVimFault(type);
    if (type.isEmpty()) {
        e.code = QStringLiteral("soap-fault");
    } else {
        // DuplicateName is the one vim fault the service decides on: give it its own code.
        e.code =
            type == QLatin1String("DuplicateName") ? toString(ErrorCode::DuplicateName) : QStringLiteral("vim-fault");
        e.vimFault = type;
    }
    e.message = message.isEmpty() ? (type.isEmpty() ? QStringLiteral("SOAP fault %1").arg(faultCode) : type) : message;
    e.details = fields;
    return e;
}

} // namespace dcm::vsphere
