#pragma once

#include "domain/BreakerState.h"
#include "domain/Result.h"

#include <chrono>

#include <QDateTime>
#include <QString>

namespace dcm {

// The breaker as the fleet shares it: every drainer (and console) on one team database in front of
// one vCenter.
struct FleetBreakerState
{
    BreakerState state = BreakerState::Closed; // CLOSED, OPEN or FORCED_OPEN (never HALF_OPEN)
    QDateTime since;                           // when the fleet entered it
    QString reason;                            // why, in the words of whoever moved it
    QString changedBy;                         // the service (its owner id) or the administrator (user@host)
    bool paused = false;                       // the queue paused for the whole fleet
    QString pausedBy;
    QString pausedReason;
    qint64 version = 0; // moves on every change

    friend bool operator==(const FleetBreakerState&, const FleetBreakerState&) = default;
};

// One breaker view for a fleet of drainers. Each service keeps its own CircuitBreaker (its permits,
// counters and latencies are its calls'), and through this port:
//  - when its breaker opens on its own failures the fleet opens, and the others follow (their breakers
//    open too) — vCenter is not hammered by the ones that have not yet counted their failures;
//  - a scout is sent only by the service that takes the scout lease: at most one caller per cooldown
//    for the whole fleet gets it, so ten drainers do not send ten scouts per cooldown;
//  - when that scout succeeds the fleet closes, and every drainer resumes;
//  - an administrator's hold, release and pause act on the fleet, with who and why.
// A process alone on its database (SQLite) uses a single-process implementation that always grants
// the lease: its own breaker already spaces its scouts (LocalFleetBreaker in app/service).
//
// Synchronous, on the service thread, like the other storage ports. Errors: ErrorKind::Storage
// ("database-unreachable" when the team database cannot be reached: then no lease is granted, so no
// scout is sent by a service that cannot coordinate).
class FleetBreakerPort
{
public:
    virtual ~FleetBreakerPort() = default;

    virtual Result<FleetBreakerState> read() = 0;
    // True when someone else changed the fleet's breaker since the last call (and once after a
    // reconnect, when what changed meanwhile is not known). A cheap question asked every tick.
    virtual Result<bool> changed() = 0;

    // This service's breaker opened on its own calls: CLOSED -> OPEN for the fleet, its first scout
    // due a cooldown from now. No effect when the fleet is OPEN or held already.
    virtual Result<void> open(const QString& reason, const QString& by, std::chrono::milliseconds cooldown) = 0;
    // A scout succeeded: OPEN -> CLOSED for the fleet. A hold stays until released.
    virtual Result<void> close(const QString& reason, const QString& by) = 0;
    // An administrator: hold open (FORCED_OPEN), release (CLOSED), pause or resume the queue.
    virtual Result<void> hold(const QString& reason, const QString& by) = 0;
    virtual Result<void> release(const QString& reason, const QString& by) = 0;
    virtual Result<void> setPaused(bool paused, const QString& reason, const QString& by) = 0;

    // True for at most one caller per `cooldown` across the fleet while it is OPEN: that caller sends
    // the scout. False while another holds it, and when the fleet is not OPEN.
    virtual Result<bool> takeScoutLease(const QString& owner, std::chrono::milliseconds cooldown) = 0;
};

} // namespace dcm
