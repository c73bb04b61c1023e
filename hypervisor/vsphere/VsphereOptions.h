#pragma once

#include <QtGlobal>

#include <chrono>

namespace dcm {

// Tuning of the vSphere adapter that is not part of a connection (ConnectionSettings is).
struct VsphereOptions
{
    // Upper bound on one reply's bytes. Replies are streamed, so this bounds time and decoded results
    // rather than a buffer. We ask for pages of `pageSize` objects (~1-2 MB), but servers that do not
    // page (vcsim, some hosts) send a whole inventory at once: vCenter 8's maximum of 45,000 registered
    // VMs at ~1.3 kB each with our property sets is ~60 MB, so 128 MiB leaves 2x headroom.
    qint64 maxReplyBytes = 128LL * 1024 * 1024;
    // maxObjects for RetrievePropertiesEx; the rest comes through ContinueRetrievePropertiesEx.
    int pageSize = 1000;
    // vCenter drops idle sessions after 30 minutes by default.
    std::chrono::milliseconds keepaliveInterval{std::chrono::minutes(10)};
    // Deadline for one vCenter task (CreateVM_Task, PowerOnVM_Task) to finish once started.
    std::chrono::milliseconds taskTimeout{std::chrono::minutes(30)};
    // Task polling: first poll at once, then from `taskPollMin` doubling up to `taskPollMax`.
    std::chrono::milliseconds taskPollMin{50};
    std::chrono::milliseconds taskPollMax{2000};
    // Consecutive failed polls tolerated before the task's outcome is declared unknown.
    int taskPollFailuresTolerated = 3;
    // How long the inventory used to resolve placements (datacenters, clusters, pools, hosts,
    // datastores, networks, folders) is reused between provisions. 0: read it for every provision.
    std::chrono::milliseconds placementCacheTtl{std::chrono::seconds(30)};
    // Read each VM's extraConfig for dcm.requestId in inventory(). The PropertyCollector cannot select
    // one extraConfig key, so this costs the VMs' whole extraConfig on the wire (kept: one value).
    bool requestIdsInInventory = true;
    // The update channel (UpdateChannel): how long vCenter may hold one WaitForUpdatesEx when nothing
    // changes (its call timeout is the connection's plus this), and how many object updates one reply
    // may carry before it is truncated and the rest is asked for at once.
    int updateWaitSeconds = 20;
    int maxObjectUpdates = 1000;
    // Follow tasks through the update channel instead of polling them (polling stays the fallback).
    bool tasksByUpdates = true;
};

} // namespace dcm
