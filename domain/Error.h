#pragma once

#include <optional>

#include <QMetaType>
#include <QString>
#include <QStringView>
#include <QVariantMap>

namespace dcm {

// One classification of everything that can go wrong talking to a hypervisor or storing a request.
// The breaker and the service decide on `kind`, never on message text.
enum class ErrorKind
{
    Transient,      // connection refused/reset, timeout, HTTP 5xx, malformed reply, "system" vim faults
    SessionExpired, // NotAuthenticated: re-login once, retry once
    Authentication, // InvalidLogin: the operator must fix credentials
    Permission,     // NoPermission: the operator/admin must act
    Trust,          // certificate not trusted / thumbprint mismatch: a security stop, never retried
    Business,       // permanent: InvalidArgument, DuplicateName, InvalidVmConfig, NotFound, ...
    OutcomeUnknown, // the call was sent and no reply came: reconcile before re-sending
    Cancelled,      // cancelled by us or by the operator
    InvalidInput,   // rejected before any I/O (spec validation, bad option)
    Storage,        // local database problems
    Internal,       // a bug or an unexpected state
};

struct Error
{
    ErrorKind kind = ErrorKind::Internal;
    QString code;        // short machine-readable code, e.g. "connection-refused", "timeout", "http-503", "vim-fault"
    QString message;     // human-readable detail (vCenter's faultstring, the socket error, ...)
    QString vimFault;    // vim fault type name when the hypervisor said so (e.g. "DuplicateName"), else empty
    QVariantMap details; // structured extras, e.g. {"expectedThumbprint":..,"actualThumbprint":..}

    static Error make(ErrorKind kind, QString code, QString message, QString vimFault = {})
    {
        return Error{kind, std::move(code), std::move(message), std::move(vimFault), {}};
    }

    friend bool operator==(const Error&, const Error&) = default;
};

QString toString(ErrorKind kind);
// The inverse of toString(ErrorKind); nullopt for an unknown name.
std::optional<ErrorKind> errorKindFromString(QStringView name);

} // namespace dcm

Q_DECLARE_METATYPE(dcm::Error)
