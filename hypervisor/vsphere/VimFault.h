#pragma once

#include "domain/Error.h"

#include <QString>
#include <QVariantMap>

namespace dcm::vsphere {

// A fault as vCenter reported it: a SOAP fault, a task's error, or a missing property's fault.
struct VimFault
{
    QString type;       // vim type name, e.g. "DuplicateName"; empty for a SOAP fault without detail
    QString message;    // faultstring / localizedMessage
    QString faultCode;  // SOAP faultcode ("ServerFaultCode"), empty for task errors
    QVariantMap fields; // the fault object's scalar fields ("name", "invalidProperty", ...)

    // The domain error for this fault (kind from the fault taxonomy, code "vim-fault").
    Error toError() const;
};

} // namespace dcm::vsphere
