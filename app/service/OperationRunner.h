#pragma once

#include "app/service/ConnectionManager.h"
#include "domain/CircuitBreaker.h"
#include "domain/OperationPlan.h"
#include "domain/OutcomePolicy.h"
#include "domain/ProvisioningRequest.h"
#include "domain/ports/ClockPort.h"
#include "domain/ports/HypervisorPort.h"
#include "domain/ports/RequestStorePort.h"

#include <QHash>
#include <QObject>

#include <chrono>
#include <optional>

namespace dcm {

class QueueDrainer;

// Drives the operations on a VM (power on/off, restart, decommission) that the queue hands it, with
// the queue's rules: each call passes the breaker, every answer goes through the OutcomePolicy, and the
// request is written (compare-and-set) through the drainer, whose leases and in-flight count cover it.
//
// Exactly once: the VM's state is read before anything is sent — when an operation starts, after a
// lost reply, after a take-over — and OperationPlan decides from it; the call about to be sent is
// written first (operationSent), so a restart is never sent twice and a guest's shutdown keeps its
// deadline. In order per VM: an operation waits while an older unfinished one on the same VM exists.
class OperationRunner final : public QObject
{
    Q_OBJECT

public:
    // How often a VM whose guest is shutting down is read again.
    static constexpr std::chrono::seconds guestPollInterval{5};
    // How long an operation that waits for an earlier one on its VM stays queued before it looks again.
    static constexpr std::chrono::seconds orderRecheck{5};

    OperationRunner(QueueDrainer& drainer, CircuitBreaker& breaker, ConnectionManager& connection,
                    const ClockPort& clock, const RetryPolicy& retry, QObject* parent = nullptr);

    void attach(HypervisorPort* hypervisor, RequestStorePort* store);

    // An operation on the same VM that `request` must wait for: one that runs, or an older one that has
    // not finished. `justSubmitted`: `request` is the newest there is, so every unfinished one counts.
    std::optional<ProvisioningRequest> earlierOnSameVm(const ProvisioningRequest& request,
                                                       bool justSubmitted = false) const;

    // When the newest unfinished operation on `target`'s VM was created (null: none). A new one is
    // created after it, even within the same millisecond, so that age is the order they run in.
    QDateTime newestOnSameVm(const OperationTarget& target) const;

    // A stored operation in SUBMITTED or QUEUED: waits for an earlier one on its VM, or starts with
    // `permit` (already granted by the breaker).
    void start(ProvisioningRequest request, const BreakerPermit& permit);
    // The drainer claimed it: the same, asking the breaker itself. False when the breaker refused (the
    // claim is released): the caller stops dispatching.
    bool startClaimed(ProvisioningRequest request);
    // RECONCILING (a lost reply, a take-over, waiting for a guest): read the VM's state, then decide.
    void resume(ProvisioningRequest request);
    // The timer's turn: read again the VMs whose guests are shutting down.
    void poll();
    void forget(const QUuid& id) { m_running.remove(id); }

private:
    struct Running
    {
        ProvisioningRequest request;
        QString vmRef;       // as last read
        QString vmKey;       // the request key the VM carries, as last read (admin mode: maybe one of ours)
        bool busy = false;   // a call is out
        QDateTime waitUntil; // waiting for the guest: when the hard power-off is due
        QDateTime nextPollAt;
    };

    Running& track(const ProvisioningRequest& request);
    void readVm(const QUuid& id, const BreakerPermit& permit);
    void onRead(const QUuid& id, const BreakerPermit& permit, std::chrono::steady_clock::time_point started,
                Result<std::optional<VmState>> result);
    void act(const QUuid& id, const OperationStep& step);
    void send(const QUuid& id, VmOperation operation);
    void onSent(const QUuid& id, VmOperation operation, const BreakerPermit& permit,
                std::chrono::steady_clock::time_point started, Result<void> result);
    void failed(const QUuid& id, const Error& e, bool wasRead);
    void done(const QUuid& id, const EventReason& reason);
    void waitForGuest(const QUuid& id, const QDateTime& until);
    // The breaker's permit for the next call, or the request goes back to the queue (false).
    std::optional<BreakerPermit> permitOrQueue(const QUuid& id);
    void queue(const QUuid& id, const EventReason& reason, std::optional<Error> cause, std::chrono::milliseconds delay);
    void markDecommissioned(const ProvisioningRequest& operation, const QString& vmKey);
    bool write(Running& running, RequestState expected);

    QueueDrainer& m_drainer;
    CircuitBreaker& m_breaker;
    ConnectionManager& m_connection;
    const ClockPort& m_clock;
    OutcomePolicy m_policy;
    HypervisorPort* m_hypervisor = nullptr;
    RequestStorePort* m_store = nullptr;
    QHash<QUuid, Running> m_running;
};

} // namespace dcm
