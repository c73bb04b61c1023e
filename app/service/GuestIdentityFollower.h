#pragma once

#include "app/service/ConnectionManager.h"
#include "domain/CircuitBreaker.h"
#include "domain/ProvisioningRequest.h"
#include "domain/ports/ClockPort.h"
#include "domain/ports/HypervisorPort.h"
#include "domain/ports/RequestStorePort.h"

#include <QHash>
#include <QObject>

#include <chrono>
#include <functional>

namespace dcm {

// After a clone was powered on and became PROVISIONED, its guest takes a while (boot, customization,
// VMware Tools) to report its host name and address. The follower reads the VM's state (readState)
// every `interval`, through the breaker like any call, and records what the guest reports on the
// request, with a history note ("guest reported …"); it stops once both are known, when the VM is gone,
// or after `timeout` (then a note says the guest stayed silent). It never holds a drain slot: it is
// turned by the service's tick (poll()), so that tests drive it with a ManualClock, and at most one
// read per followed request is out at a time.
class GuestIdentityFollower final : public QObject
{
    Q_OBJECT

public:
    // Writes the request if it is still PROVISIONED (compare-and-set), publishing it.
    using Writer = std::function<bool(ProvisioningRequest& request, RequestState expected)>;

    GuestIdentityFollower(CircuitBreaker& breaker, ConnectionManager& connection, const ClockPort& clock,
                          std::chrono::milliseconds interval, std::chrono::milliseconds timeout,
                          QObject* parent = nullptr);

    void attach(HypervisorPort* hypervisor, RequestStorePort* store, Writer writer);

    // True for what the follower would follow: a clone powered on, PROVISIONED, its VM known.
    static bool wants(const ProvisioningRequest& request);
    // Starts following (no-op when it does not want it or already follows it). `since`: when it became
    // PROVISIONED (the timeout counts from there; a resumed service follows what is left of it).
    void follow(const ProvisioningRequest& request, const QDateTime& since = {});
    bool isFollowing(const QUuid& id) const { return m_followed.contains(id); }
    int followedCount() const { return int(m_followed.size()); }

    // One turn: a read for every followed request that is due and has none out.
    void poll();
    void shutdown() { m_followed.clear(); }

private:
    struct Followed
    {
        QString vmRef;
        std::chrono::steady_clock::time_point nextAt;
        std::chrono::steady_clock::time_point deadline;
        bool reading = false;
    };
    void onRead(const QUuid& id, const BreakerPermit& permit, std::chrono::steady_clock::time_point started,
                Result<std::optional<VmState>> result);
    // Records what the guest reported; false when the request can no longer be written (moved on).
    bool record(const QUuid& id, const QString& hostName, const QString& address);
    void giveUp(const QUuid& id);

    CircuitBreaker& m_breaker;
    ConnectionManager& m_connection;
    const ClockPort& m_clock;
    std::chrono::milliseconds m_interval;
    std::chrono::milliseconds m_timeout;
    HypervisorPort* m_hypervisor = nullptr;
    RequestStorePort* m_store = nullptr;
    Writer m_writer;
    QHash<QUuid, Followed> m_followed;
};

} // namespace dcm
