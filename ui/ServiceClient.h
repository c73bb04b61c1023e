#pragma once

#include "app/service/ServiceTypes.h"
#include "domain/RequestKind.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>
#include <optional>

namespace dcm {

class ProvisioningService;
class ServiceHost;

// The GUI's one handle on the provisioning service, which lives on its own thread. Every call is posted
// to the service (QueuedConnection) and returns at once; answers come back as the service's signals,
// re-emitted here on the GUI thread, or as a reply callback run on the GUI thread. It also keeps the
// latest connection, breaker, queue and inventory values so that views created later can start from them.
// The service itself is never handed out: the widgets see value types (ServiceTypes.h) and this class
// only, so no widget can call into an object that lives on another thread.
//
// breakerChanged and queueDepthChanged come after every call and every submit: in a burst (a queue of
// 1,000 draining) they are passed on at most every `stateThrottleMs`, the latest value always last.
class ServiceClient final : public QObject
{
    Q_OBJECT

public:
    using Reply = std::function<void(const std::optional<Error>&)>;
    struct LatencySample
    {
        std::chrono::microseconds p50{0}, p90{0}, p99{0};
    };
    static constexpr int maxLatencySamples = 240;
    static constexpr int stateThrottleMs = 100;

    // The console: the service on ServiceHost's thread.
    explicit ServiceClient(ServiceHost& host, QObject* parent = nullptr);
    // A service on this thread (the GUI tests drive its clock and ticks themselves); the calls are still
    // posted, so that every answer arrives later through the event loop as it does in the console.
    explicit ServiceClient(ProvisioningService& service, QObject* parent = nullptr);
    ~ServiceClient() override;

    const ConnectionStatus& connection() const { return m_connection; }
    const std::optional<BreakerSnapshot>& breaker() const { return m_breaker; }
    int queueDepth() const { return m_queueDepth; }
    bool isQueuePaused() const { return m_paused; }
    const std::optional<InventorySnapshot>& inventory() const { return m_inventory; }
    // The breaker's latency percentiles after every successful call (collected before the throttling of
    // breakerChanged). `sequence` is the caller's cursor: samples after it are returned and it advances.
    QList<LatencySample> latencySince(quint64& sequence) const;

    void connectTo(const ConnectionSettings& settings);
    void connectWithStoredPassword(const ConnectionSettings& settings);
    void connectWithPassword(const ConnectionSettings& settings, bool remember);
    void forgetPassword(const ConnectionSettings& settings);
    // Moves the service to another queue (ProvisioningService::useQueue); `password` typed by the operator.
    void useQueue(const QString& location, const std::optional<QString>& password = std::nullopt,
                  bool remember = false);
    // The queue in use, as the service last said ("" until it has).
    const QString& queueLocation() const { return m_queueLocation; }
    bool isTeamQueue() const { return m_teamQueue; }
    const QString& queueName() const { return m_queueName; }
    // Returns the token that the matching submitAnswered carries.
    quint64 submit(const VmSpec& spec);
    // An operation on a VM (power, restart, decommission); answered by submitAnswered with the token.
    quint64 submitOperation(RequestKind kind, const OperationTarget& target);
    // `count` VMs from one pattern (name "web-{nn}", addresses counting up), all accepted or none: one
    // submitAnswered per VM (or the refusal), each with the returned token.
    quint64 submitBatch(const VmSpec& pattern, int count);
    void cancel(const QUuid& id, Reply reply = {});
    void retryNow(const QUuid& id, Reply reply = {});
    void setQueuePaused(bool paused, const QString& reason = {});
    void forceBreakerOpen(const QString& reason);
    void resetBreaker(const QString& reason);
    void probeNow(const QString& reason = {});
    void refreshInventory();
    // One page of the history (ProvisioningService::loadRequestPage); answered by requestPageLoaded
    // with the returned token.
    quint64 loadRequestPage(const RequestFilter& filter);

Q_SIGNALS:
    void initialized(const std::optional<dcm::Error>& error);
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
    void credentialNotice(const dcm::Error& notice);
    void queueChanged(const QString& location, bool team, const QString& name);
    void queuePasswordRequired(const QString& location, const QString& name, const std::optional<dcm::Error>& reason);
    void queueSwitchFailed(const QString& location, const dcm::Error& error);
    void storageFailed(const dcm::Error& error);
    void requestSettled(const dcm::ProvisioningRequest& request);

private:
    template <class F> void post(F&& call);
    void publishState();
    void postWithReply(std::function<std::optional<Error>(ProvisioningService*)> call, Reply reply);

    QPointer<ProvisioningService> m_service;
    ConnectionStatus m_connection;
    std::optional<BreakerSnapshot> m_breaker;
    std::optional<InventorySnapshot> m_inventory;
    int m_queueDepth = 0;
    bool m_paused = false;
    QString m_queueLocation;
    QString m_queueName;
    bool m_teamQueue = false;
    quint64 m_nextToken = 1;
    QList<LatencySample> m_latency;
    quint64 m_latencySequence = 0; // samples ever collected
    bool m_breakerDirty = false;
    bool m_queueDirty = false;
    QElapsedTimer m_sincePublished;
    QTimer m_publishTimer;
};

} // namespace dcm
