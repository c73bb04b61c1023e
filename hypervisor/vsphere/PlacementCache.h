#pragma once

#include "domain/Inventory.h"

#include <QDeadlineTimer>

#include <chrono>
#include <functional>
#include <optional>
#include <vector>

namespace dcm::vsphere {

// The non-VM inventory that placement is resolved against, kept for a short while: a burst of
// provisions (the queue draining after an outage) then costs one inventory read, not one each.
// A name that does not resolve against a cached copy is looked up again in a fresh one. Provisions
// that start together share one read (the first reads, the others wait for it).
class PlacementCache
{
public:
    explicit PlacementCache(std::chrono::milliseconds ttl) : m_ttl(ttl) {}

    const InventorySnapshot* get() const { return m_snapshot && !m_validUntil.hasExpired() ? &*m_snapshot : nullptr; }
    void put(InventorySnapshot snapshot)
    {
        if (m_ttl.count() <= 0)
            return;
        m_snapshot = std::move(snapshot);
        m_validUntil = QDeadlineTimer(m_ttl);
    }
    void invalidate() { m_snapshot.reset(); }

    // True when a read is in flight: `then` runs once it is over (whatever its outcome).
    bool joinFetch(std::function<void()> then)
    {
        if (!m_fetching)
            return false;
        m_waiters.push_back(std::move(then));
        return true;
    }
    void fetchStarted() { m_fetching = true; }
    void fetchFinished()
    {
        m_fetching = false;
        std::vector<std::function<void()>> waiters = std::exchange(m_waiters, {});
        for (auto& w : waiters)
            w();
    }

private:
    std::chrono::milliseconds m_ttl;
    std::optional<InventorySnapshot> m_snapshot;
    QDeadlineTimer m_validUntil;
    bool m_fetching = false;
    std::vector<std::function<void()>> m_waiters;
};

} // namespace dcm::vsphere
