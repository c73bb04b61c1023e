#include "domain/FaultTaxonomy.h"

#include <algorithm>

namespace dcm {

namespace {

QList<FaultTaxonomy::VimFaultClass> buildTable()
{
    using K = ErrorKind;
    return {
        // --- session and identity: the operator (or one transparent re-login) must act; never counted.
        {"NotAuthenticated", K::SessionExpired}, // session timed out or was terminated: re-login once
        {"InvalidLogin", K::Authentication},
        {"PasswordExpired", K::Authentication}, // a subtype of InvalidLogin, listed so it is never guessed
        {"NoPermission", K::Permission},
        {"SecurityError", K::Permission},
        {"RestrictedVersion", K::Permission}, // a free-licence ESXi refuses writes: an admin must act

        // --- the hypervisor is unwell or busy: counted, retried later.
        {"SystemError", K::Transient},
        {"HostCommunication", K::Transient},
        {"HostNotConnected", K::Transient},
        {"HostNotReachable", K::Transient},
        {"HostConnectFault", K::Transient},
        // Another task holds the object (a clone of the same template, a DRS move): it ends by itself.
        // Counted: five in a row mean vCenter is not making progress, and opening then is right.
        {"TaskInProgress", K::Transient},
        // vCenter disables methods for a while during an upgrade or maintenance, and solutions (backup,
        // Lifecycle Manager) disable them on entities they hold: retrying later works.
        {"MethodDisabled", K::Transient},
        {"ConcurrentAccess", K::Transient},        // another client changed the object under us
        {"InvalidCollectorVersion", K::Transient}, // the property collector moved on: read again
        // vCenter gave up waiting on something internal; the operation may still complete, so it is
        // "sent, outcome unknown": reconcile by request key before re-sending.
        {"Timedout", K::OutcomeUnknown},

        // --- cancelled, by us or by someone in the vSphere Client.
        {"RequestCanceled", K::Cancelled},

        // --- our request was malformed for this server: a bug or an API version mismatch on our side.
        {"InvalidRequest", K::Internal},
        {"InvalidType", K::Internal},
        {"InvalidProperty", K::Internal},

        // --- the request itself cannot succeed as asked: shown to the operator, never counted/retried.
        {"InvalidArgument", K::Business},
        {"InvalidVmConfig", K::Business},
        {"VmConfigFault", K::Business},
        {"GenericVmConfigFault", K::Business},
        {"InvalidDeviceSpec", K::Business},
        {"InvalidController", K::Business},
        {"DeviceUnsupportedForVmVersion", K::Business},
        {"VirtualHardwareVersionNotSupported", K::Business},
        {"CpuIncompatible", K::Business},
        {"MemorySizeNotSupported", K::Business},
        {"NumVirtualCpusNotSupported", K::Business},
        {"DuplicateName", K::Business},
        {"AlreadyExists", K::Business},
        {"FileAlreadyExists", K::Business},
        {"InvalidName", K::Business},
        {"NotFound", K::Business},
        {"ManagedObjectNotFound", K::Business}, // a picked object was deleted or moved: refresh the inventory
        {"InvalidFolder", K::Business},
        {"InvalidDatastore", K::Business},
        {"InvalidDatastorePath", K::Business},
        {"DatastoreNotWritableOnHost", K::Business},
        {"FileFault", K::Business},
        {"FileNotFound", K::Business},
        {"CannotCreateFile", K::Business},
        {"NoDiskSpace", K::Business}, // the datastore is full: pick another, waiting will not free it
        {"InsufficientResourcesFault", K::Business},
        {"InsufficientCpuResourcesFault", K::Business},
        {"InsufficientMemoryResourcesFault", K::Business},
        {"InsufficientStorageSpace", K::Business},
        {"InsufficientHostCapacityFault", K::Business},
        {"NoCompatibleHost", K::Business},
        {"NotEnoughLicenses", K::Business},
        {"DisallowedOperationOnFailoverHost", K::Business},
        // The target (host, datastore) is in maintenance or otherwise not ready. It may clear, but nobody
        // knows when; the operator chooses another target or retries.
        {"InvalidState", K::Business},
        {"InvalidHostState", K::Business},
        {"InvalidPowerState", K::Business},
        {"OutOfBounds", K::Business},
        {"NotSupported", K::Business},
        {"NotImplemented", K::Business},
    };
}

const FaultTaxonomy::VimFaultClass* lookup(QStringView name)
{
    for (const auto& entry : FaultTaxonomy::knownVimFaults()) {
        if (name == QLatin1String(entry.faultType)) {
            return &entry;
        }
    }
    return nullptr;
}

} // namespace

const QList<FaultTaxonomy::VimFaultClass>& FaultTaxonomy::knownVimFaults()
{
    static const QList<VimFaultClass> s_table = buildTable();
    return s_table;
}

ErrorKind FaultTaxonomy::classifyVimFault(QStringView faultType)
{
    QStringView name = faultType.trimmed();
    // "vim25:InvalidLogin" (xsi:type) and "vim.fault.InvalidLogin" (pyVmomi-style) name the same type.
    const qsizetype cut = std::max(name.lastIndexOf(u':'), name.lastIndexOf(u'.'));
    if (cut >= 0) {
        name = name.mid(cut + 1);
    }
    if (name.isEmpty()) {
        // A SOAP fault without a recognisable type is a malformed reply, counted like the others.
        return ErrorKind::Transient;
    }
    if (const auto* entry = lookup(name)) {
        return entry->kind;
    }
    // The detail element is named "<Type>Fault" ("InvalidLoginFault"); types that end in "Fault"
    // themselves ("InsufficientResourcesFault") were matched exactly above.
    if (name.endsWith(u"Fault")) {
        if (const auto* entry = lookup(name.chopped(5))) {
            return entry->kind;
        }
    }
    // Unknown vim faults are Business: not counted, not retried, shown to the operator with vCenter's
    // own message. A vim fault is an answer — vCenter was reachable and understood the call — so it is
    // no evidence that the hypervisor is down, and counting it would let one odd spec (or a fault type
    // new in a later vSphere release) open the breaker and hold every operator's work. Retrying blindly
    // could repeat a call vCenter rejected on its content. The cost: a genuinely transient new fault
    // fails its request, which the operator can retry, and we add the name to this table.
    return ErrorKind::Business;
}

ErrorKind FaultTaxonomy::classifyHttpStatus(int status)
{
    if (status == 408 || status == 429 || status >= 500) {
        return ErrorKind::Transient; // includes the 503 of vCenter's reverse proxy while services restart
    }
    if (status == 401) {
        return ErrorKind::SessionExpired; // re-login once; a failed login then says Authentication
    }
    if (status == 403) {
        return ErrorKind::Permission;
    }
    if (status >= 300 && status < 500) {
        // A redirect we do not follow or a 404 on /sdk: the server address is wrong. The operator must
        // fix it, and the breaker must not call a misconfiguration an outage.
        return ErrorKind::Business;
    }
    return ErrorKind::Transient; // 1xx, or a 2xx whose body was unusable: a malformed reply
}

bool FaultTaxonomy::countsForBreaker(ErrorKind kind)
{
    return kind == ErrorKind::Transient || kind == ErrorKind::OutcomeUnknown;
}

bool FaultTaxonomy::isRetryable(ErrorKind kind)
{
    return kind == ErrorKind::Transient || kind == ErrorKind::OutcomeUnknown || kind == ErrorKind::SessionExpired;
}

bool FaultTaxonomy::provesHypervisorReachable(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::SessionExpired:
    case ErrorKind::Authentication:
    case ErrorKind::Permission:
    case ErrorKind::Trust: // a TLS handshake happened: something answers on that address
    case ErrorKind::Business:
        return true;
    case ErrorKind::Transient:
    case ErrorKind::OutcomeUnknown:
    case ErrorKind::Cancelled:
    case ErrorKind::InvalidInput:
    case ErrorKind::Storage:
    case ErrorKind::Internal:
        return false;
    }
    return false;
}

} // namespace dcm
