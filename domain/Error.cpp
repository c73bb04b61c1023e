#include "domain/Error.h"

#include <array>
#include <utility>

namespace dcm {

namespace {

// One table for both directions, so a new kind cannot get a name one way only.
constexpr std::array<std::pair<ErrorKind, const char*>, 11> s_kindNames{{
    {ErrorKind::Transient, "transient"},
    {ErrorKind::SessionExpired, "session-expired"},
    {ErrorKind::Authentication, "authentication"},
    {ErrorKind::Permission, "permission"},
    {ErrorKind::Trust, "trust"},
    {ErrorKind::Business, "business"},
    {ErrorKind::OutcomeUnknown, "outcome-unknown"},
    {ErrorKind::Cancelled, "cancelled"},
    {ErrorKind::InvalidInput, "invalid-input"},
    {ErrorKind::Storage, "storage"},
    {ErrorKind::Internal, "internal"},
}};

} // namespace

QString toString(ErrorKind kind)
{
    for (const auto& [k, name] : s_kindNames) {
        if (k == kind) {
            return QString::fromLatin1(name);
        }
    }
    return QStringLiteral("internal");
}

std::optional<ErrorKind> errorKindFromString(QStringView name)
{
    for (const auto& [k, text] : s_kindNames) {
        if (name == QLatin1String(text)) {
            return k;
        }
    }
    return std::nullopt;
}

} // namespace dcm
