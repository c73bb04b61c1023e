#pragma once

#include "app/service/ConnectionManager.h"
#include "app/service/InventoryCache.h"
#include "app/service/OperationRunner.h"
#include "app/service/ServiceConfig.h"
#include "app/service/ServiceTypes.h"
#include "domain/CircuitBreaker.h"
#include "domain/OutcomePolicy.h"
#include "domain/ProvisioningRequest.h"
#include "domain/ports/ClockPort.h"
#include "domain/ports/HypervisorPort.h"
#include "domain/ports/RequestStorePort.h"

#include <QHash>
#include <QObject>

#include <chrono>
#include <functional>
#include <optional>

namespace dcm {

// The queue's worker: it claims due requests (oldest first, at most drainConcurrency, each under a
// lease), renews the leases of what it drives, takes over requests whose driver died, checks each
// spec against fresh inventory, sends it through the breaker, and carries out the OutcomePolicy's
// decision on every answer. A request that was ever sent is looked up by its key before it is sent
// again: one request, at most one VM.
//
// A clone is a sequence of port calls, each behind the breaker like a blank VM's one call: clone ->
// customize (when the spec has a customization) -> power on (when asked) -> PROVISIONED. The step
// reached is written after each call succeeds (ProvisionStep, with a note in the history). After a lost
// reply, a crash or a breaker trip at any step the request is reconciled by readStateByKey and goes on
// from what the VM shows and what was written: never a second clone; never a second customization (a
// VM with a customization pending, one already powered on, or a request whose step says customized is
// not customized again).
//
// It also keeps the store's words for the service: every write goes through store() (compare-and-set
// on the expected state) and is published.
class QueueDrainer final : public QObject
{
    Q_OBJECT

public:
    QueueDrainer(CircuitBreaker& breaker, ConnectionManager& connection, InventoryCache& inventory,
                 const ClockPort& clock, const ServiceConfig& config, QString owner, const RetryPolicy& retry,
                 QObject* parent = nullptr);

    void attach(HypervisorPort* hypervisor, RequestStorePort* store);
    // Operations on a VM (power, restart, decommission) are drained by their own runner.
    OperationRunner& operations() { return *m_operations; }

    const QString& owner() const { return m_owner; }
    QDateTime leaseUntil() const;
    bool isPaused() const { return m_paused; }
    // False when the pause state did not change.
    bool setPaused(bool paused);
    int inFlightCount() const { return int(m_inFlight.size()); }
    // The request is being sent (a provisioning call is out): it can no longer be cancelled.
    bool isSending(const QUuid& id) const;
    // This service holds the request (claimed, sending or looking it up).
    bool isDriving(const QUuid& id) const { return m_inFlight.contains(id); }
    void whenIdle(std::function<void()> idle);

    // The timer's turns: leases first (renew ours, take over the dead's), then the drain.
    void keepLeases();
    void drain();
    // While the breaker is not CLOSED: requests others left SUBMITTED (dcmctl submit) are moved to
    // QUEUED_FOR_PROVISIONING with the breaker as the reason, so that every front tells the truth.
    void queueSubmittedWhileAway();
    void scheduleDrain();
    // Releases what waits for inventory; calls in flight keep their lease.
    void shutdown();

    // A request just stored as SUBMITTED: send it now with `permit`, or queue it for `reason`.
    void dispatch(ProvisioningRequest request, const BreakerPermit& permit);
    // A request whose PROVISIONING state is already stored and leased to this service (a submit that
    // wrote it so in its one commit): send it now with `permit`.
    void sendStored(ProvisioningRequest request, const BreakerPermit& permit);
    void queue(ProvisioningRequest request, RequestState expected, const EventReason& reason,
               std::optional<Error> cause, std::chrono::milliseconds delay);

    // Writes the request if it is still in `expected` (publishing it); a conflict keeps the stored one.
    bool store(ProvisioningRequest& request, RequestState expected);
    // The same, and the lease given up in the same commit (the request settles or goes back to the
    // queue). When nothing could be written the lease is given up on its own.
    // `durability` Relaxed only where RequestStorePort allows it: a blank VM's PROVISIONED.
    bool storeAndRelease(ProvisioningRequest& request, RequestState expected,
                         Durability durability = Durability::Synced);
    void publish(const ProvisioningRequest& request);
    void publishQueueDepth();
    void reportStorageError(const Error& error);

Q_SIGNALS:
    void requestChanged(const dcm::ProvisioningRequest& request);
    void requestProgress(const dcm::RequestProgress& progress);
    void requestSettled(const dcm::ProvisioningRequest& request);
    void queueDepthChanged(int depth);
    void storageFailed(const dcm::Error& error);

private:
    // OperationRunner shares the in-flight list (leases, concurrency) and the settling steps.
    friend class OperationRunner;

    struct InFlight
    {
        ProvisioningRequest request;
        CallId call = 0;
        bool reconciling = false;
        std::optional<Error> duplicateName; // a DuplicateName answer that sent it to reconcile
    };

    enum class CloneCall
    {
        Clone,
        Customize,
        PowerOn,
        Done,
    };
    static CloneCall nextCloneCall(const ProvisioningRequest& request);

    void onProvisioned(const QUuid& id, const BreakerPermit& permit, std::chrono::steady_clock::time_point started,
                       Result<ProvisionOutcome> result);
    // The failure of a call that may have sent something (a provision or a clone step).
    void onSendFailed(const QUuid& id, const Error& e);
    // The clone's next step with `permit`, or with one asked for now (none: queued, looked up later).
    void continueClone(const QUuid& id, std::optional<BreakerPermit> permit);
    void onCloneStep(const QUuid& id, CloneCall call, const BreakerPermit& permit,
                     std::chrono::steady_clock::time_point started, const std::optional<Error>& failure,
                     const std::optional<ProvisionOutcome>& cloned);
    void finishClone(ProvisioningRequest request, RequestState expected, const EventReason& reason);
    void onCloneReconciled(const QUuid& id, const BreakerPermit& permit, std::chrono::steady_clock::time_point started,
                           Result<std::optional<VmState>> result);
    void onNothingFound(const QUuid& id);
    // Gives an unused permit back without counting it either way.
    void returnPermit(const BreakerPermit& permit);
    void reconcile(ProvisioningRequest request);
    void onReconciled(const QUuid& id, const BreakerPermit& permit, std::chrono::steady_clock::time_point started,
                      Result<std::optional<VmRef>> result);
    void fail(ProvisioningRequest request, RequestState expected, const EventReason& reason, const Error& cause);
    void settle(const QUuid& id);
    // settle() for a request whose lease is already given up (storeAndRelease).
    void settleReleased(const QUuid& id);
    void release(const QUuid& id);
    void dispatchClaimed(QList<ProvisioningRequest> claimed);
    // Inside the claim's transaction: the PROVISIONING to write for a claimed request that can go out
    // at once (a provisioning request, inventory fresh and still matching, never sent, a permit), its
    // permit kept in `permits`; nullopt leaves it to dispatchClaimed's path.
    std::optional<ProvisioningRequest> startInClaim(const ProvisioningRequest& claimed,
                                                    QHash<QUuid, BreakerPermit>& permits,
                                                    std::optional<BreakerPermit>& refused);
    void renewLeases();
    void takeOverOrphans();
    void notifyIfIdle();

    CircuitBreaker& m_breaker;
    ConnectionManager& m_connection;
    InventoryCache& m_inventory;
    const ClockPort& m_clock;
    const ServiceConfig& m_config;
    QString m_owner;
    OutcomePolicy m_policy;
    HypervisorPort* m_hypervisor = nullptr;
    RequestStorePort* m_store = nullptr;

    OperationRunner* m_operations;
    QHash<QUuid, InFlight> m_inFlight;
    QList<ProvisioningRequest> m_awaitingInventory;
    QList<std::function<void()>> m_idleWaiters;
    bool m_paused = false;
    bool m_drainScheduled = false;
    bool m_shuttingDown = false;
    int m_lastQueueDepth = -1;
    QDateTime m_lastRenewal; // when the leases of what is in flight were last renewed
};

} // namespace dcm
