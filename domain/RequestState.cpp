#include "domain/RequestState.h"

#include <QStringList>

namespace dcm {

namespace {

constexpr std::size_t index(RequestState s)
{
    return static_cast<std::size_t>(s);
}

constexpr std::size_t stateCount = allRequestStates.size();
using Row = std::array<bool, stateCount>;

// s_allowed[from][to]. Columns in enum order:
//                   SUBMITTED PROVISIONING QUEUED RECONCILING PROVISIONED FAILED CANCELLED
constexpr std::array<Row, stateCount> s_allowed{{
    // SUBMITTED -> PROVISIONING (breaker closed, sent), QUEUED (breaker open: "accepted, will start when
    // the hypervisor is online"), CANCELLED (operator, nothing sent), FAILED (refused before sending,
    // e.g. the spec no longer validates).
    {false, true, true, false, false, true, true},
    // PROVISIONING -> PROVISIONED, QUEUED (transient failure known not to have created anything, e.g.
    // connection refused), RECONCILING (outcome unknown: timeout after sending, or a crash/lease expiry
    // while in flight), FAILED (permanent fault, or attempts exhausted). Not CANCELLED: the call may
    // have reached vCenter, so the answer must be awaited or reconciled.
    {false, false, true, true, true, true, false},
    // QUEUED -> PROVISIONING (due and the breaker lets it through), RECONCILING (its previous attempt
    // may have reached vCenter: look before re-sending), CANCELLED (operator), FAILED (gave up, or the
    // spec no longer validates).
    {false, true, false, true, false, true, true},
    // RECONCILING -> PROVISIONED (a VM carrying the request key was found and adopted), PROVISIONING
    // (none found: safe to send again right away), QUEUED (none found but the breaker is open, or the
    // lookup itself failed transiently), FAILED (attempts exhausted, or a permanent fault on lookup).
    // Not CANCELLED: until the lookup says otherwise, a VM may exist.
    {false, true, true, false, true, true, false},
    // PROVISIONED: final. Deleting the VM is not this request's business.
    {false, false, false, false, false, false, false},
    // FAILED -> QUEUED only: the operator's retry (it goes through the queue so that the breaker and the
    // reconcile-before-resend rule still apply).
    {false, false, true, false, false, false, false},
    // CANCELLED: final.
    {false, false, false, false, false, false, false},
}};

constexpr std::array<const char*, stateCount> s_names{
    "SUBMITTED", "PROVISIONING", "QUEUED_FOR_PROVISIONING", "RECONCILING", "PROVISIONED", "FAILED", "CANCELLED",
};

} // namespace

QString toString(RequestState state)
{
    return QString::fromLatin1(s_names[index(state)]);
}

Result<RequestState> requestStateFromString(QStringView text)
{
    for (RequestState s : allRequestStates) {
        if (text.compare(QLatin1String(s_names[index(s)]), Qt::CaseInsensitive) == 0) {
            return s;
        }
    }
    QStringList names;
    for (const char* name : s_names) {
        names.append(QString::fromLatin1(name));
    }
    return Error::make(ErrorKind::InvalidInput, QStringLiteral("unknown-state"),
                       QStringLiteral("Unknown request state \"%1\"; expected one of %2.")
                           .arg(text.toString(), names.join(QStringLiteral(", "))));
}

bool canTransition(RequestState from, RequestState to)
{
    return s_allowed[index(from)][index(to)];
}

bool isTerminal(RequestState state)
{
    return state == RequestState::Provisioned || state == RequestState::Cancelled;
}

bool isSettled(RequestState state)
{
    return isTerminal(state) || state == RequestState::Failed;
}

} // namespace dcm
