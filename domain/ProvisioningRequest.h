#pragma once

#include "domain/Error.h"
#include "domain/RequestEvent.h"
#include "domain/RequestState.h"
#include "domain/Result.h"
#include "domain/VmSpec.h"

#include <optional>

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QUuid>

namespace dcm {

// How far the provisioning of a clone got, as persisted after each step succeeded: the drain continues
// from here after a crash, a lost reply or a breaker trip (with what the VM itself shows), so that a
// clone is never made twice and a guest never customized twice. A blank VM is one call and stays None.
enum class ProvisionStep
{
    None,       // nothing known to be done
    Cloned,     // the clone exists (powered off, carrying the request key)
    Customized, // CustomizeVM_Task accepted: the customization waits for the first boot
    PoweredOn,  // powered on (the customization, if any, applies at this boot)
};

QString toString(ProvisionStep step); // "", "cloned", "customized", "powered-on"
std::optional<ProvisionStep> provisionStepFromString(QStringView text);

// One operator request for one VM, and the state machine it lives by. A copyable value: the service
// changes its copy and writes it back through RequestStorePort::update.
//
// The id is the idempotency key: it is written into the VM (instance UUID and extraConfig
// "dcm.requestId"), so a retry after an unknown outcome finds the VM instead of creating a second one.
class ProvisioningRequest
{
public:
    ProvisioningRequest() = default; // a null request (null id), for containers and metatypes

    // A new request in SUBMITTED.
    ProvisioningRequest(const QUuid& id, VmSpec spec, const QDateTime& createdAt);

    // Rebuilds a stored request. The history is the proof of the state: every step must be allowed
    // and follow on from the previous one, starting at SUBMITTED and ending at `state`; else a Storage
    // error (a damaged row is reported, never silently "repaired"). attempts and updatedAt come from
    // the last event; the references, lastError and nextAttemptAt are set afterwards with the setters.
    static Result<ProvisioningRequest> restore(const QUuid& id, VmSpec spec, const QDateTime& createdAt,
                                               RequestState state, QList<RequestEvent> history);

    bool isNull() const { return m_id.isNull(); }
    const QUuid& id() const { return m_id; }
    const VmSpec& spec() const { return m_spec; }
    RequestState state() const { return m_state; }
    int attempts() const { return m_attempts; }
    const QDateTime& nextAttemptAt() const { return m_nextAttemptAt; } // meaningful in QUEUED only
    const std::optional<Error>& lastError() const { return m_lastError; }
    const QString& taskRef() const { return m_taskRef; }
    const QString& vmRef() const { return m_vmRef; }
    const QString& instanceUuid() const { return m_instanceUuid; }
    // Who asked for it: the OS account and host of the console or dcmctl that submitted it ("user@host").
    const QString& requestedBy() const { return m_requestedBy; }
    // The batch it was submitted in ("N VMs from this spec"); null for a single request.
    const QUuid& batchId() const { return m_batchId; }
    // What the guest reported once it ran (guest.hostName, guest.ipAddress); empty until then.
    const QString& guestHostName() const { return m_guestHostName; }
    const QString& ipAddress() const { return m_ipAddress; }
    ProvisionStep provisionStep() const { return m_step; }
    const QDateTime& createdAt() const { return m_createdAt; }
    const QDateTime& updatedAt() const { return m_updatedAt; }
    const QList<RequestEvent>& history() const { return m_history; }
    bool isTerminal() const { return dcm::isTerminal(m_state); }
    bool isSettled() const { return dcm::isSettled(m_state); }

    // Moves to `to` if the lifecycle allows it, else InvalidInput ("illegal-transition") and nothing
    // changes. Bookkeeping that must never be forgotten happens here:
    //  - entering PROVISIONING counts an attempt;
    //  - FAILED -> QUEUED (the operator's retry) starts a fresh budget of attempts;
    //  - leaving QUEUED clears nextAttemptAt;
    //  - with a cause, lastError becomes the cause and the event keeps it.
    Result<void> transitionTo(RequestState to, const QString& reason, const QDateTime& at);
    Result<void> transitionTo(RequestState to, const QString& reason, const QDateTime& at, const Error& cause);
    // The same, with the reason as data (what the service writes).
    Result<void> transitionTo(RequestState to, const EventReason& reason, const QDateTime& at);
    Result<void> transitionTo(RequestState to, const EventReason& reason, const QDateTime& at, const Error& cause);
    // A step inside the current state, kept in the history (from = to = state): a clone step done, the
    // guest's identity reported. Not a transition: attempts, lastError and nextAttemptAt stay.
    Result<void> note(const EventReason& reason, const QDateTime& at);

    void setNextAttemptAt(const QDateTime& at) { m_nextAttemptAt = at; }
    void setLastError(const std::optional<Error>& error) { m_lastError = error; }
    void setTaskRef(const QString& taskRef) { m_taskRef = taskRef; }
    void setVmRef(const QString& vmRef) { m_vmRef = vmRef; }
    void setInstanceUuid(const QString& instanceUuid) { m_instanceUuid = instanceUuid; }
    void setRequestedBy(const QString& who) { m_requestedBy = who; }
    void setBatchId(const QUuid& batchId) { m_batchId = batchId; }
    void setGuestHostName(const QString& name) { m_guestHostName = name; }
    void setIpAddress(const QString& address) { m_ipAddress = address; }
    void setProvisionStep(ProvisionStep step) { m_step = step; }
    // Setters above leave updatedAt alone (they carry no time); a store that stamps writes uses this.
    void setUpdatedAt(const QDateTime& at) { m_updatedAt = at; }

    // Everything, for `dcmctl requests --json` and for stores that keep a document per request.
    QJsonObject toJson() const;
    static Result<ProvisioningRequest> fromJson(const QJsonObject& json);

    friend bool operator==(const ProvisioningRequest&, const ProvisioningRequest&) = default;

private:
    Result<void> apply(RequestState to, const EventReason& coded, const QString& reason, const QDateTime& at,
                       const std::optional<Error>& cause);

    QUuid m_id;
    VmSpec m_spec;
    RequestState m_state = RequestState::Submitted;
    int m_attempts = 0;
    QDateTime m_nextAttemptAt;
    std::optional<Error> m_lastError;
    QString m_taskRef;
    QString m_vmRef;
    QString m_instanceUuid;
    QString m_requestedBy;
    QUuid m_batchId;
    QString m_guestHostName;
    QString m_ipAddress;
    ProvisionStep m_step = ProvisionStep::None;
    QDateTime m_createdAt;
    QDateTime m_updatedAt;
    QList<RequestEvent> m_history;
};

} // namespace dcm

Q_DECLARE_METATYPE(dcm::ProvisioningRequest)
