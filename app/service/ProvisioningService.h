#pragma once

#include "app/service/ConnectionManager.h"
#include "app/service/GuestIdentityFollower.h"
#include "app/service/InventoryCache.h"
#include "app/service/QueueDrainer.h"
#include "app/service/ServiceConfig.h"
#include "app/service/ServiceTypes.h"
#include "app/service/SubmitAnswer.h"
#include "domain/BreakerSnapshot.h"
#include "domain/BreakerTransition.h"
#include "domain/CircuitBreaker.h"
#include "domain/Inventory.h"
#include "domain/ProvisioningRequest.h"
#include "domain/RetryPolicy.h"
#include "domain/ports/BreakerLogPort.h"
#include "domain/ports/ClockPort.h"
#include "domain/ports/CredentialStorePort.h"
#include "domain/ports/FleetBreakerPort.h"
#include "domain/ports/HypervisorPort.h"
#include "domain/ports/RequestStorePort.h"

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

namespace dcm {

// The provisioning service, the facade of the service layer. Lives on one service thread; the GUI and
// dcmctl reach it only through queued slots and the value-typed signals below. It owns the breaker, the
// adapter and the store, and hands the work to four rooms with one job each:
//   ConnectionManager  the login, the keychain, the scout; refused credentials stop it for the operator
//   InventoryCache     one inventory read path through the breaker, its age, the placement checks
//   QueueDrainer       claims, leases, sending, and the OutcomePolicy's decision on every answer
//   OutcomePolicy      (domain) what a failure means for a request: requeue, reconcile, fail, wait
//   GuestIdentityFollower  after a clone ran: its guest's host name and address, bounded, off the drain
//
// submit(): validate -> durable SUBMITTED -> breaker lets it through: PROVISIONING; breaker open (or the
// queue paused): QUEUED_FOR_PROVISIONING. A request that has been sent before is always looked up by its
// key before it is sent again: one request, at most one VM.
//
// tick() (a timer in production, called by hand in tests) renews leases, takes over requests left by a
// dead process, sends the breaker's scout when it is due, and drains the queue.
class ProvisioningService final : public QObject
{
    Q_OBJECT

public:
    using HypervisorFactory = std::function<std::unique_ptr<HypervisorPort>()>;
    using StoreFactory = std::function<Result<std::unique_ptr<RequestStorePort>>()>;
    using CredentialFactory = std::function<std::unique_ptr<CredentialStorePort>()>;
    using BreakerLogFactory = std::function<Result<std::unique_ptr<BreakerLogPort>>()>;
    using FleetBreakerFactory = std::function<Result<std::unique_ptr<FleetBreakerPort>>()>;

    // The factories run in initialize(), on the service thread: the adapter's network manager and the
    // store's database connection are born there. `clock` must outlive the service.
    ProvisioningService(HypervisorFactory hypervisor, StoreFactory store, const ClockPort& clock, ServiceConfig config,
                        QObject* parent = nullptr);
    ~ProvisioningService() override;

    // Optional, before initialize(): where passwords are kept (the OS keychain in production).
    void setCredentialStoreFactory(CredentialFactory factory) { m_credentialFactory = std::move(factory); }
    // Optional, before initialize(): where breaker transitions are recorded (for `dcmctl breaker` and
    // the admin view). Without one they are only logged; if it cannot be opened, storageFailed says so
    // and the service runs on without it.
    void setBreakerLogFactory(BreakerLogFactory factory) { m_breakerLogFactory = std::move(factory); }
    // Optional, before initialize(): the breaker the drainers on a team database share (one scout per
    // cooldown for the fleet; open, close, hold, release and pause for all). Without one (or when it
    // gives none, as for a SQLite file) the service is a fleet of one (LocalFleetBreaker). If it cannot
    // be opened, storageFailed says so and the service runs as a fleet of one.
    void setFleetBreakerFactory(FleetBreakerFactory factory) { m_fleetFactory = std::move(factory); }
    // The stores of one queue, opened together on the service thread. `fleet` may be null (a SQLite
    // file: a fleet of one).
    struct QueueStores
    {
        std::unique_ptr<RequestStorePort> store;
        std::unique_ptr<BreakerLogPort> breakerLog;
        std::unique_ptr<FleetBreakerPort> fleet;
    };
    // How the composition root opens a queue by its location ("" is this workstation's SQLite file; a
    // postgresql:// URI a team database), which keychain key holds a team database's password (empty:
    // none is needed), and how the location is named to the operator.
    struct QueueOpener
    {
        std::function<Result<QueueStores>(const QString& location, const QString& password)> open;
        std::function<QString(const QString& location)> credentialKey;
        std::function<QString(const QString& location)> name;
    };
    // Optional, before initialize(): lets useQueue() switch queues. `current` is the location the store
    // factory opens.
    void setQueueOpener(QueueOpener opener, const QString& current)
    {
        m_queueOpener = std::move(opener);
        m_queueLocation = current;
    }
    const QString& queueLocation() const { return m_queueLocation; }
    bool isSwitchingQueue() const { return m_switching.has_value(); }

    // "<user>@<host>:<port>": the keychain key for a server and user.
    static QString credentialKey(const QUrl& server, const QString& user);

    const ServiceConfig& config() const { return m_config; }
    QString owner() const;
    bool isInitialized() const { return m_store != nullptr; }
    bool isQueuePaused() const;
    BreakerSnapshot breakerSnapshot() { return m_breaker.snapshot(); }
    const ConnectionStatus& connectionStatus() const;
    int inFlightCount() const;
    // Calls `idle` once nothing is in flight (at once if nothing is). For a graceful shutdown.
    void whenIdle(std::function<void()> idle);

    static void registerMetaTypes();

public Q_SLOTS:
    // Creates the adapter and opens the store; emits initialized() with the outcome.
    void initialize();
    // Logs in (through the breaker) and then works the queue; settings carry the password in memory.
    void connectTo(const dcm::ConnectionSettings& settings);
    // Connects with the password kept in the keychain for this server and user; when there is none
    // (or no keychain), emits passwordRequired instead.
    void connectWithStoredPassword(const dcm::ConnectionSettings& settings);
    // Connects with the password typed by the operator, and keeps it in the keychain when asked.
    void connectWithPassword(const dcm::ConnectionSettings& settings, bool remember);
    void forgetPassword(const dcm::ConnectionSettings& settings);
    // Finishes the calls it can, logs out, stops the timer. Requests in flight keep their lease, which
    // lapses: the next service reconciles them.
    void shutdown();

    // Also emits submitAnswered(answer). Durable before it returns an accepted answer.
    dcm::SubmitAnswer submit(const dcm::VmSpec& spec, quint64 token = 0);
    // An operation on a VM (power on/off, restart, decommission) through the same queue: durable
    // before it returns an accepted answer, queued while the breaker is open ("It will run when the
    // hypervisor is online."), after any older unfinished operation on the same VM. The target is a
    // PROVISIONED request of ours (its VM found by its key), or in admin mode a VM by moref with a
    // reason. Also emits submitAnswered(answer).
    dcm::SubmitAnswer submitOperation(dcm::RequestKind kind, const dcm::OperationTarget& target, quint64 token = 0);
    // "N VMs from this spec" (domain/BatchPlan's expandBatch): validated all or nothing — one Rejected
    // answer naming the fields when any VM would be refused. Otherwise each VM is its own request with a
    // shared batchId, in order; as many start at once as the drain has free slots, the rest are queued
    // (due now) for the drain. Emits submitAnswered for each answer, all with `token`.
    QList<dcm::SubmitAnswer> submitBatch(const dcm::VmSpec& pattern, int count, quint64 token = 0);
    // Not yet sent (SUBMITTED, QUEUED) -> CANCELLED. Returns the error when refused.
    std::optional<dcm::Error> cancel(const QUuid& id);
    // FAILED -> QUEUED, due now; a QUEUED request becomes due now.
    std::optional<dcm::Error> retryNow(const QUuid& id);
    // Admin actions: each is recorded in the breaker's history with the reason and who took it
    // (localActor(): the OS user@host running this service's front).
    void setQueuePaused(bool paused, const QString& reason = {});
    void forceBreakerOpen(const QString& reason);
    void resetBreaker(const QString& reason);
    void probeNow(const QString& reason = {});
    void refreshInventory();
    // Emits requestPageLoaded with one page of the history: the filter's newest `filter.limit` requests
    // (after filter.olderThan when set), and for a first page also how many match in all. A view of a
    // history of 100,000 reads it so, page by page, never all at once.
    void loadRequestPage(const dcm::RequestFilter& filter, quint64 token);

    void tick();

    // Moves this service to another queue without a restart: the vCenter session, the breaker and the
    // calls in flight stay. The password of a team database is `password` when given (typed by the
    // operator; written to the keychain once it worked when `remember`), else the keychain's, else
    // none (libpq reads PGPASSWORD, then PGPASSFILE). The new stores are opened first: when that fails
    // nothing changes (queueSwitchFailed, or queuePasswordRequired when the server wants a password it
    // did not get). Then nothing new is claimed or accepted until what is in flight has landed in the
    // old queue (its leases are renewed meanwhile), and the stores are swapped: queueChanged, upon which
    // a view reads the new queue's first page (loadRequestPage).
    void useQueue(const QString& location, const std::optional<QString>& password = std::nullopt,
                  bool remember = false);

Q_SIGNALS:
    // The queue in use changed (and once at start when a queue opener is set): `name` as shown.
    void queueChanged(const QString& location, bool team, const QString& name);
    void queuePasswordRequired(const QString& location, const QString& name, const std::optional<dcm::Error>& reason);
    void queueSwitchFailed(const QString& location, const dcm::Error& error);
    void initialized(std::optional<dcm::Error> error);
    void submitAnswered(const dcm::SubmitAnswer& answer);
    void requestChanged(const dcm::ProvisioningRequest& request);
    void requestProgress(const dcm::RequestProgress& progress);
    void requestPageLoaded(const dcm::RequestPage& page);
    void breakerChanged(const dcm::BreakerSnapshot& snapshot);
    void breakerTransitioned(const dcm::BreakerTransition& transition);
    void queueDepthChanged(int depth);
    void queuePausedChanged(bool paused);
    void inventoryChanged(const dcm::InventorySnapshot& inventory);
    void inventoryFailed(const dcm::Error& error);
    void connectionChanged(const dcm::ConnectionStatus& status);
    void passwordRequired(const QString& server, const QString& user, const std::optional<dcm::Error>& reason);
    // Something about credentials the operator should know, e.g. "no keychain: kept for this session only".
    void credentialNotice(const dcm::Error& notice);
    // The store failed: shown prominently; nothing already accepted is lost (it stays in the database).
    void storageFailed(const dcm::Error& error);
    // A request reached PROVISIONED, FAILED or CANCELLED (for notifications).
    void requestSettled(const dcm::ProvisioningRequest& request);

private:
    // A new request and what its submit decided before storing it: started (a permit to send it
    // with), queued (the answer says why), and the breaker's probe when the request waits for it.
    struct PlannedSubmit
    {
        dcm::ProvisioningRequest request;
        dcm::SubmitAnswer answer;
        std::optional<dcm::BreakerPermit> permit;
        std::optional<dcm::BreakerPermit> scout;
    };
    // Stores validated specs in one commit and starts or queues each; the first `startLimit` that the
    // breaker lets through start, the others are queued for a drain slot. One answer per spec.
    QList<dcm::SubmitAnswer> submitValid(const QList<dcm::VmSpec>& specs, quint64 token, const QUuid& batchId,
                                         int startLimit);
    // Gives a new request the state it is stored in (PROVISIONING, or QUEUED with a reason).
    void planSubmitted(PlannedSubmit& plan, bool mayStart);
    // Makes a new request durable and shows it; false (the answer says why) when the store refused it.
    bool storeSubmitted(dcm::ProvisioningRequest& request, dcm::SubmitAnswer& answer);
    // Queues a just-stored request with the reason the operator reads.
    void queueSubmitted(dcm::ProvisioningRequest& request, dcm::SubmitAnswer& answer, const dcm::EventReason& reason,
                        const QString& message);
    // Follows again the guests of clones provisioned within the follower's timeout (after a restart).
    void resumeFollowingGuests();
    void sendScout();
    void followOtherWriters();
    // What another member of the fleet did to the shared breaker, applied to ours (when it changed,
    // or at once when `force`).
    void followFleet(bool force = false);
    void applyFleet(const FleetBreakerState& fleet);
    // Records an admin action that moves no state (pause, resume, probe) in the breaker's history.
    void recordAdminAction(const QString& what, const QString& reason);
    static QString byWhom(const QString& what, const QString& reason);
    void onBreakerTransition(const BreakerTransition& transition);
    void publishBreaker();
    void openQueue(const QString& location, const QString& password, bool typed, bool remember);
    void installQueue(const QString& location, QueueStores stores);

    HypervisorFactory m_hypervisorFactory;
    StoreFactory m_storeFactory;
    const ClockPort& m_clock;
    ServiceConfig m_config;
    CircuitBreaker m_breaker;
    RetryPolicy m_retry;

    std::unique_ptr<HypervisorPort> m_hypervisor;
    std::unique_ptr<RequestStorePort> m_store;
    CredentialFactory m_credentialFactory;
    BreakerLogFactory m_breakerLogFactory;
    std::unique_ptr<BreakerLogPort> m_breakerLog;
    FleetBreakerFactory m_fleetFactory;
    std::unique_ptr<FleetBreakerPort> m_fleet;
    qint64 m_fleetVersion = -1;    // the fleet state last applied; -1: none yet
    bool m_followingFleet = false; // our breaker is moving because the fleet's did
    // What others wrote is read from here on (their requests; their breaker transitions).
    QDateTime m_othersWatermark;
    QDateTime m_othersBreakerSeen;
    QTimer* m_timer = nullptr;
    bool m_shuttingDown = false;
    QueueOpener m_queueOpener;
    QString m_queueLocation;
    // While switching: the location being switched to (nothing new is claimed or accepted).
    std::optional<QString> m_switching;

    // The rooms: children, so that they move to the service thread with the service.
    ConnectionManager* m_connection;
    InventoryCache* m_inventory;
    QueueDrainer* m_drainer;
    GuestIdentityFollower* m_follower;
};

} // namespace dcm
