#include "domain/Error.h"

namespace dcm {

QString toString(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::Transient:
        return QStringLiteral("transient");
    case ErrorKind::SessionExpired:
        return QStringLiteral("session-expired");
    case ErrorKind::Authentication:
        return QStringLiteral("authentication");
    case ErrorKind::Permission:
        return QStringLiteral("permission");
    case ErrorKind::Trust:
        return QStringLiteral("trust");
    case ErrorKind::Business:
        return QStringLiteral("business");
    case ErrorKind::OutcomeUnknown:
        return QStringLiteral("outcome-unknown");
    case ErrorKind::Cancelled:
        return QStringLiteral("cancelled");
    case ErrorKind::InvalidInput:
        return QStringLiteral("invalid-input");
    case ErrorKind::Storage:
        return QStringLiteral("storage");
    case ErrorKind::Internal:
        return QStringLiteral("internal");
    }
    return QStringLiteral("internal");
}

} // namespace dcm
