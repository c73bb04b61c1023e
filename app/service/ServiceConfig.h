#pragma once

#include "domain/BreakerConfig.h"
#include "domain/RetryPolicy.h"

#include <QString>

#include <chrono>

namespace dcm {

// What the provisioning service is tuned by. dcmctl's options and the console's settings map onto it.
struct ServiceConfig
{
    BreakerConfig breaker;
    std::chrono::milliseconds retryBase = RetryPolicy::defaultBase;
    std::chrono::milliseconds retryCap = RetryPolicy::defaultCap;
    int maxAttempts = RetryPolicy::defaultMaxAttempts;
    int drainConcurrency = 4;
    // How often the service looks at the queue, the scout and its leases. 0: never by itself (tests
    // call tick() after moving their clock).
    std::chrono::milliseconds tickInterval{1000};
    // Claims on requests are short and renewed on every tick, so that the requests of a process that
    // died are taken over within seconds.
    std::chrono::milliseconds leaseDuration{10000};
    // Queued specs are checked against inventory no older than this before they are sent.
    std::chrono::milliseconds inventoryMaxAge{15000};
    // After a clone was powered on: how often its guest is asked for its host name and address, and
    // for how long (a Linux guest customized from a template reports within a minute or two; ten minutes
    // covers a slow first boot without following a guest that never will).
    std::chrono::milliseconds guestIdentityInterval{5000};
    std::chrono::milliseconds guestIdentityTimeout{std::chrono::minutes(10)};
    // Unique per running service: who holds a claim. Empty: made from host, pid and a random part.
    QString owner;
    // Live inventory: keep the VMs current through the hypervisor's watch (HypervisorPort::watchInventory)
    // from each connection on. The console turns it on (its form shows VMs made elsewhere); a headless
    // drainer has nobody to show them to, and a watch on every VM is work for vCenter all the same (the
    // bundled simulator reads every watched VM again for each change anywhere).
    bool liveInventory = false;
    // Deltas reach inventoryChanged at most this often, coalesced; the first at once.
    std::chrono::milliseconds inventoryDeltaThrottle{1000};
};

} // namespace dcm
