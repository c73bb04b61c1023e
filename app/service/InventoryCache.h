#pragma once

#include "app/service/ConnectionManager.h"
#include "domain/CircuitBreaker.h"
#include "domain/Inventory.h"
#include "domain/VmSpec.h"
#include "domain/ports/ClockPort.h"
#include "domain/ports/HypervisorPort.h"

#include <QHash>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include <chrono>
#include <functional>
#include <optional>

namespace dcm {

// The service's copy of the hypervisor's inventory: one fetch path (through the breaker) for the
// operator's refresh and the drain's re-check, its age, and the placement checks made against it.
//
// A read of fewer kinds (the drain reads placement only, never the VMs) refreshes just those kinds: the
// VMs an earlier full read brought stay, so the form's same-name check never goes blind after a drain.
class InventoryCache final : public QObject
{
    Q_OBJECT

public:
    using Done = std::function<void(std::optional<Error> failure)>;

    InventoryCache(CircuitBreaker& breaker, ConnectionManager& connection, const ClockPort& clock,
                   std::chrono::milliseconds maxAge, QObject* parent = nullptr);

    void attach(HypervisorPort* hypervisor) { m_hypervisor = hypervisor; }

    const std::optional<InventorySnapshot>& snapshot() const { return m_snapshot; }
    // Read within maxAge.
    bool isFresh() const;
    bool isFetching() const { return m_fetches > 0; }

    // Reads `kinds` through the breaker (a scout permit is spent on the scout, and the read fails at once
    // with "breaker-open"); emits changed() or failed(), then calls `done`.
    void fetch(InventoryKinds kinds, Done done);

    // Every kind in `kinds` was read within maxAge.
    bool isFresh(InventoryKinds kinds) const;

    // Why a spec's placement can no longer work against the current snapshot, if it cannot.
    std::optional<QString> vanishedPlacement(const VmSpec& spec) const;

    // Why a queued spec cannot work against the current snapshot, as the history and the error say it:
    // the event's code and arguments (RequestEventText), the error's code and the sentence. The clone's
    // template and saved customization specification are checked only once those kinds have been read.
    struct Stale
    {
        const char* eventCode = nullptr;
        QStringList args;
        QString errorCode;
        QString message;
    };
    std::optional<Stale> staleReason(const VmSpec& spec) const;

    // Live VMs: the hypervisor's watch (HypervisorPort::watchInventory) keeps the VMs (and the VM list's
    // templates flag) current between reads, so that a VM created, renamed or removed elsewhere shows
    // within about a second, and a refresh need not read the VMs again while the watch runs. changed()
    // is emitted at most once per `throttle` for deltas (the first at once, later ones coalesced).
    // Idempotent; a watch the adapter cannot offer leaves the cache reading as before.
    void startWatching();
    void stopWatching();
    bool isWatching() const { return m_watch != 0 && m_watchCurrent; }
    void setDeltaThrottle(std::chrono::milliseconds throttle) { m_throttle.setInterval(throttle); }
    // Applies one delta to the snapshot (public for the unit tests; the watch calls it).
    void apply(const InventoryDelta& delta);

Q_SIGNALS:
    void changed(const dcm::InventorySnapshot& inventory);
    void failed(const dcm::Error& error);

private:
    void merge(InventoryKinds kinds, InventorySnapshot fresh);

    CircuitBreaker& m_breaker;
    ConnectionManager& m_connection;
    const ClockPort& m_clock;
    std::chrono::milliseconds m_maxAge;
    HypervisorPort* m_hypervisor = nullptr;
    std::optional<InventorySnapshot> m_snapshot;
    std::chrono::steady_clock::time_point m_readAt;
    QHash<int, std::chrono::steady_clock::time_point> m_kindReadAt; // by InventoryKind's bit
    int m_fetches = 0;
    CallId m_watch = 0;
    bool m_watchCurrent = false;     // the watch delivered its full state: VMs are current
    bool m_watchUnsupported = false; // the adapter cannot watch: keep reading
    bool m_emitPending = false;
    QTimer m_throttle;
};

} // namespace dcm
