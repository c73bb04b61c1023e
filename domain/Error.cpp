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

constexpr std::array<std::pair<ErrorCode, const char*>, 17> s_codeNames{{
    {ErrorCode::Conflict, "conflict"},
    {ErrorCode::NotClaimed, "not-claimed"},
    {ErrorCode::DuplicateId, "duplicate-id"},
    {ErrorCode::DatabaseDamaged, "database-damaged"},
    {ErrorCode::DatabaseLocked, "database-locked"},
    {ErrorCode::DiskFull, "disk-full"},
    {ErrorCode::NoPassword, "no-password"},
    {ErrorCode::LoginRefused, "login-refused"},
    {ErrorCode::ThumbprintMismatch, "thumbprint-mismatch"},
    {ErrorCode::DuplicateName, "duplicate-name"},
    {ErrorCode::StoreClosed, "store-closed"},
    {ErrorCode::ConnectionRefused, "connection-refused"},
    {ErrorCode::Timeout, "timeout"},
    {ErrorCode::GaveUp, "gave-up"},
    {ErrorCode::VmGone, "vm-gone"},
    {ErrorCode::InvalidPowerState, "invalid-power-state"},
    {ErrorCode::ToolsUnavailable, "tools-unavailable"},
}};

} // namespace

QString toString(ErrorCode code)
{
    for (const auto& [c, name] : s_codeNames) {
        if (c == code) {
            return QString::fromLatin1(name);
        }
    }
    return QStringLiteral("unlisted");
}

ErrorCode errorCodeFromString(QStringView code)
{
    for (const auto& [c, name] : s_codeNames) {
        if (code == QLatin1String(name)) {
            return c;
        }
    }
    return ErrorCode::Unlisted;
}

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
