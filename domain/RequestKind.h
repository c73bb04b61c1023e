#pragma once

#include "domain/RequestState.h"
#include "domain/Result.h"
#include "domain/VmSpec.h"

#include <QDateTime>
#include <QJsonObject>
#include <QMetaType>
#include <QString>
#include <QStringView>
#include <QUuid>

namespace dcm {

// What a request asks for: a new VM (provision), or an operation on a VM that exists. Operations go
// through the same durable queue, breaker and lifecycle states as provisioning; the names ("provision",
// "power-on", ...) are stored and printed by `dcmctl requests`: keep them stable.
enum class RequestKind
{
    Provision,
    PowerOn,
    PowerOff,     // guest shutdown when VMware Tools run, a hard power-off after the guest timeout
    Restart,      // guest reboot when VMware Tools run, else a reset
    Decommission, // power off as above, then Destroy_Task
};

QString toString(RequestKind kind);
// Accepts the stored names, case-insensitively; else InvalidInput naming them.
Result<RequestKind> requestKindFromString(QStringView text);
inline bool isOperation(RequestKind kind)
{
    return kind != RequestKind::Provision;
}
// Operations that may shut the guest down first (and so have a guest timeout).
inline bool shutsGuestDown(RequestKind kind)
{
    return kind == RequestKind::PowerOff || kind == RequestKind::Decommission;
}

// Which VM an operation acts on. Normally the VM of one of our provisioning requests, found by that
// request's key (never by name: two VMs may share one). In admin mode, any VM chosen from inventory by
// its moref, with the administrator's reason recorded.
struct OperationTarget
{
    static constexpr int defaultGuestTimeoutSeconds = 120;
    static constexpr int maxGuestTimeoutSeconds = 3600;

    QUuid requestId;     // the provisioning request whose VM this is; null in admin mode
    QString vmRef;       // the VM's moref when the operation was asked for (admin mode: the one it acts on)
    QString vmName;      // the VM's name then, for people
    QString adminReason; // non-empty: admin mode
    // Power off and decommission: how long the guest gets to shut down before a hard power-off.
    int guestTimeoutSeconds = defaultGuestTimeoutSeconds;

    bool isAdmin() const { return !adminReason.isEmpty(); }
    bool isNull() const { return requestId.isNull() && vmRef.isEmpty(); }
    // Both name the same VM: the same provisioning request, or the same moref.
    bool sameVm(const OperationTarget& other) const;
    // Bad fields named ("target.requestId", "target.adminReason", "target.guestTimeoutSeconds").
    QList<FieldProblem> problems() const;

    QJsonObject toJson() const;
    static Result<OperationTarget> fromJson(const QJsonObject& json);

    friend bool operator==(const OperationTarget&, const OperationTarget&) = default;
};

// How a state reads for people, for a request of this kind: a provisioning request keeps the stored
// names' meaning; an operation reads "Powering off", "Done", ...
QString stateLabel(RequestKind kind, RequestState state);
// The verb of an operation ("power on", "decommission"), for messages.
QString operationVerb(RequestKind kind);

} // namespace dcm

Q_DECLARE_METATYPE(dcm::RequestKind)
Q_DECLARE_METATYPE(dcm::OperationTarget)
