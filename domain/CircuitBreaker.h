#pragma once

#include "domain/BreakerConfig.h"
#include "domain/BreakerPermit.h"
#include "domain/BreakerSnapshot.h"
#include "domain/BreakerState.h"
#include "domain/BreakerTransition.h"
#include "domain/Error.h"
#include "domain/ports/ClockPort.h"

#include <chrono>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

#include <QDateTime>
#include <QString>

namespace dcm {

// Keeps calls away from a hypervisor that is down, and finds out when it is back.
//
//   CLOSED --(failureThreshold counted failures in a row)--> OPEN
//   OPEN --(cooldown elapsed, or probeNow(); the next tryAcquire() is the scout)--> HALF_OPEN
//   HALF_OPEN --(scout succeeds, or the hypervisor answers it at all)--> CLOSED
//   HALF_OPEN --(scout fails, or does not report within scoutTimeout)--> OPEN, with a new cooldown
//   any --forceOpen()--> FORCED_OPEN (no scouts);  any --reset()--> CLOSED
//
// Which failures count is FaultTaxonomy::countsForBreaker's decision. Time comes only from the
// ClockPort (monotonic for decisions, wall time for records), so tests drive it with a manual clock.
// Deadlines are evaluated whenever the breaker is called; the service's timer calls isScoutDue() at
// nextDeadlineIn() so that a silent scout is timed out promptly even when nothing else happens.
//
// Thread-safe. tryAcquire() takes one uncontended mutex and reads the monotonic clock; while OPEN it
// allocates nothing and does no I/O. Permits report late results safely: a result for a permit granted
// before the last transition updates the counters but never the state.
class CircuitBreaker
{
public:
    using TransitionListener = std::function<void(const BreakerTransition&)>;

    // `clock` must outlive the breaker.
    explicit CircuitBreaker(const ClockPort& clock, BreakerConfig config = {});
    CircuitBreaker(const CircuitBreaker&) = delete;
    CircuitBreaker& operator=(const CircuitBreaker&) = delete;

    BreakerPermit tryAcquire();
    void onSuccess(const BreakerPermit& permit, std::chrono::microseconds latency);
    void onFailure(const BreakerPermit& permit, const Error& error);

    // Admin controls. forceOpen holds the breaker open (maintenance) until reset(); reset closes it from
    // any state and clears the failure count. The reasons are recorded with the transitions.
    void forceOpen(const QString& reason);
    void reset(const QString& reason);
    // Another process in front of the same hypervisor found it down (the fleet's breaker opened):
    // CLOSED -> OPEN with a full cooldown, as if this breaker had counted the failures itself. No effect
    // in other states (HALF_OPEN has its own scout out; FORCED_OPEN is the administrator's).
    void open(const QString& reason);
    // OPEN only: makes the scout due now instead of at the end of the cooldown. False when it had no
    // effect (CLOSED, a scout already out, or FORCED_OPEN, which never scouts).
    bool probeNow();

    // OPEN only: the scout is not this breaker's to send this time (another process of the fleet sends
    // it); it is due again a full cooldown from now. No transition. False in other states.
    bool deferScout();
    // For the service's timer: OPEN and the scout is due (the next tryAcquire() returns the scout).
    bool isScoutDue();
    // OPEN: time until the scout is due (zero if due). Empty in other states.
    std::optional<std::chrono::milliseconds> nextScoutIn();
    // When the breaker next changes by itself: the scout becoming due (OPEN) or the scout's deadline
    // (HALF_OPEN). Empty in CLOSED and FORCED_OPEN.
    std::optional<std::chrono::milliseconds> nextDeadlineIn();

    BreakerState state();
    BreakerSnapshot snapshot();
    BreakerConfig config() const { return m_config; }

    // Called once per transition, in order, after the breaker's lock is released, on the thread whose
    // call caused it (or on a thread already delivering earlier transitions). It may call back into the
    // breaker; transitions that causes are delivered after it returns. Keep it short: the service emits
    // a queued signal from it.
    void setTransitionListener(TransitionListener listener);

private:
    using TimePoint = std::chrono::steady_clock::time_point;

    void expireScoutLocked(TimePoint now);
    void changeStateLocked(BreakerState to, TimePoint at, TimePoint now, QString reason);
    void openLocked(TimePoint at, TimePoint now, QString reason);
    QDateTime wallAt(TimePoint at, TimePoint now) const;
    void recordLatencyLocked(std::chrono::microseconds latency);
    void deliver(std::unique_lock<std::mutex>& lock);

    const ClockPort& m_clock;
    const BreakerConfig m_config;

    std::mutex m_mutex;
    BreakerState m_state = BreakerState::Closed;
    quint64 m_epoch = 1;
    int m_consecutiveFailures = 0;
    TimePoint m_stateSince;
    QDateTime m_stateSinceWall;
    TimePoint m_probeAt;       // OPEN: when the scout is due
    TimePoint m_scoutDeadline; // HALF_OPEN: when the outstanding scout counts as failed
    bool m_probeRequested = false;
    QDateTime m_openedAt;
    QString m_lastReason;
    std::optional<Error> m_lastError;
    std::optional<TimePoint> m_lastSuccess;

    quint64 m_succeeded = 0;
    quint64 m_failed = 0;
    quint64 m_ignored = 0;
    quint64 m_rejected = 0;

    std::vector<qint64> m_latencyUs; // ring buffer, sized once: recording never allocates
    std::size_t m_latencyNext = 0;
    std::size_t m_latencyCount = 0;

    TransitionListener m_listener;
    std::deque<BreakerTransition> m_pending;
    bool m_delivering = false;
};

} // namespace dcm
