#pragma once

#include "MoRef.h"
#include "UpdateSetReader.h"

#include "domain/Inventory.h"
#include "domain/ports/HypervisorPort.h"

#include <QHash>
#include <QSet>

namespace dcm::vsphere {

class UpdateChannel;

// One watchInventory(): a filter on the update channel over the same ContainerView and explicit VM
// property paths as the inventory read, turned into InventoryDelta. Keeps each VM as last seen, so
// that a change of one property gives the whole VmInfo; after the channel started over (a new session)
// the full state that follows replaces everything, and the VMs missing from it are reported removed.
class InventoryWatch
{
public:
    using Ended = std::function<void(Result<void>)>;

    InventoryWatch(UpdateChannel& channel, const MoRef& rootFolder, bool requestIds,
                   HypervisorPort::InventoryChangeFn onChange, Ended ended);
    ~InventoryWatch();
    InventoryWatch(const InventoryWatch&) = delete;
    InventoryWatch& operator=(const InventoryWatch&) = delete;

    // Removes the filter; `ended` is the caller's to call.
    void stop();
    Ended takeEnded() { return std::move(m_ended); }
    bool ended() const { return !m_ended; }

    // The VM as one ObjectUpdate leaves it (exposed for the unit tests).
    static void apply(VmInfo& vm, const ObjectUpdate& update);

private:
    void onFresh();
    void onUpdate(const ObjectUpdate& u);
    void onCaughtUp();

    UpdateChannel& m_channel;
    quint64 m_id = 0; // the channel's follower (UpdateChannel::Id); 0: none
    HypervisorPort::InventoryChangeFn m_onChange;
    Ended m_ended;
    QHash<QString, VmInfo> m_vms;
    QSet<QString> m_changed;
    QSet<QString> m_removed;
    QSet<QString> m_seen;
    bool m_resync = false;
};

} // namespace dcm::vsphere
