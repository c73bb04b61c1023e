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

// The codes that layers decide on. An Error carries its code as text (`code`: stable, written to JSON,
// the database and dcmctl's output); these are the ones a caller may branch on, through Error::is(),
// so that a branch cannot drift from the text by a typo. Every other code is information only.
enum class ErrorCode
{
    Unlisted,           // any code not below
    Conflict,           // "conflict": an optimistic update lost; the stored state stands
    NotClaimed,         // "not-claimed": the caller no longer holds the request's lease
    DuplicateId,        // "duplicate-id": a request with that id exists already
    DatabaseDamaged,    // "database-damaged"
    DatabaseLocked,     // "database-locked"
    DiskFull,           // "disk-full": the disk holding the database has no space left
    NoPassword,         // "no-password": no password is stored for that account
    LoginRefused,       // "login-refused": vCenter refused these credentials; no login until they change
    ThumbprintMismatch, // "thumbprint-mismatch": the certificate is not the pinned one
    DuplicateName,      // "duplicate-name": vCenter's DuplicateName (vimFault keeps vCenter's name)
    StoreClosed,        // "store-closed"
    ConnectionRefused,  // "connection-refused": nothing listens at vCenter's address (down, restarting, firewall)
    Timeout,            // "timeout": no complete reply within the call's deadline
    GaveUp,             // "gave-up": the attempts ran out; details "lastCode" and "attempts" say on what
    VmGone,             // "vm-gone": the VM no longer exists (vCenter's ManagedObjectNotFound for it)
    InvalidPowerState,  // "invalid-power-state": the VM is not in a power state that allows the call
    ToolsUnavailable,   // "tools-unavailable": a guest operation needs VMware Tools running in the guest
};

// The text of a listed code, and back (Unlisted for any other text).
QString toString(ErrorCode code);
ErrorCode errorCodeFromString(QStringView code);

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
    static Error make(ErrorKind kind, ErrorCode code, QString message, QString vimFault = {})
    {
        return Error{kind, toString(code), std::move(message), std::move(vimFault), {}};
    }
    // True when `code` is that listed code.
    bool is(ErrorCode listed) const { return errorCodeFromString(code) == listed; }

    friend bool operator==(const Error&, const Error&) = default;
};

QString toString(ErrorKind kind);
// The inverse of toString(ErrorKind); nullopt for an unknown name.
std::optional<ErrorKind> errorKindFromString(QStringView name);

} // namespace dcm

Q_DECLARE_METATYPE(dcm::Error)
