#include "domain/CircuitBreaker.h"

#include "domain/FaultTaxonomy.h"

#include <algorithm>
#include <cmath>

namespace dcm {

namespace {

BreakerConfig sanitized(BreakerConfig config)
{
    config.failureThreshold = std::max(config.failureThreshold, 1);
    config.cooldown = std::max(config.cooldown, std::chrono::milliseconds(0));
    config.scoutTimeout = std::max(config.scoutTimeout, std::chrono::milliseconds(1));
    config.latencyWindow = std::max(config.latencyWindow, 1);
    return config;
}

QString formatDuration(std::chrono::milliseconds d)
{
    if (d.count() % 1000 == 0) {
        return QStringLiteral("%1 s").arg(d.count() / 1000);
    }
    return QStringLiteral("%1 ms").arg(d.count());
}

QString describe(const Error& error)
{
    QString text = error.message.isEmpty() ? error.code : error.message;
    if (!error.vimFault.isEmpty()) {
        text = error.vimFault + QStringLiteral(": ") + text;
    }
    return QStringLiteral("%1 (%2)").arg(text, toString(error.kind));
}

std::chrono::milliseconds ceilMs(std::chrono::steady_clock::duration d)
{
    return std::max(std::chrono::ceil<std::chrono::milliseconds>(d), std::chrono::milliseconds(0));
}

std::chrono::microseconds percentile(const std::vector<qint64>& sorted, double p)
{
    if (sorted.empty()) {
        return std::chrono::microseconds(0);
    }
    // Nearest rank: the smallest sample with at least p% of the samples at or below it.
    const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * double(sorted.size())));
    const std::size_t index = std::clamp<std::size_t>(rank, 1, sorted.size()) - 1;
    return std::chrono::microseconds(sorted[index]);
}

} // namespace

CircuitBreaker::CircuitBreaker(const ClockPort& clock, BreakerConfig config)
    : m_clock(clock), m_config(sanitized(config)), m_stateSince(clock.monotonicNow()), m_stateSinceWall(clock.utcNow()),
      m_latencyUs(std::size_t(m_config.latencyWindow), 0)
{}

BreakerPermit CircuitBreaker::tryAcquire()
{
    std::unique_lock lock(m_mutex);
    const TimePoint now = m_clock.monotonicNow();
    expireScoutLocked(now);
    BreakerPermit permit;
    switch (m_state) {
    case BreakerState::Closed:
        return BreakerPermit(BreakerPermit::Kind::Call, m_epoch);
    case BreakerState::Open:
        if (now >= m_probeAt) {
            const QString reason =
                m_probeRequested
                    ? QStringLiteral("probe requested: scout sent")
                    : QStringLiteral("cooldown of %1 elapsed: scout sent").arg(formatDuration(m_config.cooldown));
            changeStateLocked(BreakerState::HalfOpen, now, now, reason);
            m_scoutDeadline = now + m_config.scoutTimeout;
            permit = BreakerPermit(BreakerPermit::Kind::Scout, m_epoch);
            break;
        }
        ++m_rejected;
        break;
    case BreakerState::HalfOpen:
    case BreakerState::ForcedOpen:
        ++m_rejected;
        break;
    }
    deliver(lock);
    return permit;
}

void CircuitBreaker::onSuccess(const BreakerPermit& permit, std::chrono::microseconds latency)
{
    std::unique_lock lock(m_mutex);
    const TimePoint now = m_clock.monotonicNow();
    expireScoutLocked(now);
    if (permit.isRejected()) {
        deliver(lock); // the scout may just have expired
        return;
    }
    ++m_succeeded;
    m_lastSuccess = now;
    recordLatencyLocked(latency);
    if (permit.m_epoch == m_epoch) {
        if (permit.kind() == BreakerPermit::Kind::Call && m_state == BreakerState::Closed) {
            m_consecutiveFailures = 0;
        } else if (permit.isScout() && m_state == BreakerState::HalfOpen) {
            changeStateLocked(BreakerState::Closed, now, now, QStringLiteral("scout succeeded"));
        }
    }
    deliver(lock);
}

void CircuitBreaker::onFailure(const BreakerPermit& permit, const Error& error)
{
    std::unique_lock lock(m_mutex);
    const TimePoint now = m_clock.monotonicNow();
    expireScoutLocked(now);
    if (permit.isRejected()) {
        deliver(lock);
        return;
    }
    const bool counted = FaultTaxonomy::countsForBreaker(error.kind);
    if (counted) {
        ++m_failed;
        m_lastError = error;
    } else {
        ++m_ignored;
    }
    if (permit.m_epoch == m_epoch) {
        if (permit.kind() == BreakerPermit::Kind::Call && m_state == BreakerState::Closed && counted) {
            ++m_consecutiveFailures;
            if (m_consecutiveFailures >= m_config.failureThreshold) {
                openLocked(now, now,
                           QStringLiteral("%1 consecutive failures (threshold %2); last: %3")
                               .arg(m_consecutiveFailures)
                               .arg(m_config.failureThreshold)
                               .arg(describe(error)));
            }
        } else if (permit.isScout() && m_state == BreakerState::HalfOpen) {
            if (FaultTaxonomy::provesHypervisorReachable(error.kind)) {
                // It answered: the hypervisor is up. What went wrong is for the operator, not the breaker.
                changeStateLocked(
                    BreakerState::Closed, now, now,
                    QStringLiteral("scout answered with %1: the hypervisor is reachable").arg(describe(error)));
            } else {
                openLocked(now, now, QStringLiteral("scout failed: %1").arg(describe(error)));
            }
        }
    }
    deliver(lock);
}

void CircuitBreaker::forceOpen(const QString& reason)
{
    std::unique_lock lock(m_mutex);
    const TimePoint now = m_clock.monotonicNow();
    expireScoutLocked(now);
    if (m_state != BreakerState::ForcedOpen) {
        changeStateLocked(BreakerState::ForcedOpen, now, now,
                          reason.isEmpty() ? QStringLiteral("forced open") : reason);
    }
    deliver(lock);
}

void CircuitBreaker::open(const QString& reason)
{
    std::unique_lock lock(m_mutex);
    const TimePoint now = m_clock.monotonicNow();
    expireScoutLocked(now);
    if (m_state == BreakerState::Closed) {
        openLocked(now, now, reason.isEmpty() ? QStringLiteral("opened") : reason);
    }
    deliver(lock);
}

void CircuitBreaker::reset(const QString& reason)
{
    std::unique_lock lock(m_mutex);
    const TimePoint now = m_clock.monotonicNow();
    expireScoutLocked(now);
    if (m_state != BreakerState::Closed) {
        changeStateLocked(BreakerState::Closed, now, now, reason.isEmpty() ? QStringLiteral("reset") : reason);
    }
    m_consecutiveFailures = 0;
    deliver(lock);
}

bool CircuitBreaker::probeNow()
{
    std::unique_lock lock(m_mutex);
    const TimePoint now = m_clock.monotonicNow();
    expireScoutLocked(now);
    const bool accepted = m_state == BreakerState::Open;
    if (accepted) {
        m_probeAt = std::min(m_probeAt, now);
        m_probeRequested = true;
    }
    deliver(lock);
    return accepted;
}

bool CircuitBreaker::deferScout()
{
    std::unique_lock lock(m_mutex);
    const TimePoint now = m_clock.monotonicNow();
    expireScoutLocked(now);
    const bool open = m_state == BreakerState::Open;
    if (open) {
        m_probeAt = now + m_config.cooldown;
        m_probeRequested = false;
    }
    deliver(lock);
    return open;
}

bool CircuitBreaker::isScoutDue()
{
    std::unique_lock lock(m_mutex);
    const TimePoint now = m_clock.monotonicNow();
    expireScoutLocked(now);
    const bool due = m_state == BreakerState::Open && now >= m_probeAt;
    deliver(lock);
    return due;
}

std::optional<std::chrono::milliseconds> CircuitBreaker::nextScoutIn()
{
    std::unique_lock lock(m_mutex);
    const TimePoint now = m_clock.monotonicNow();
    expireScoutLocked(now);
    std::optional<std::chrono::milliseconds> in;
    if (m_state == BreakerState::Open) {
        in = ceilMs(m_probeAt - now);
    }
    deliver(lock);
    return in;
}

std::optional<std::chrono::milliseconds> CircuitBreaker::nextDeadlineIn()
{
    std::unique_lock lock(m_mutex);
    const TimePoint now = m_clock.monotonicNow();
    expireScoutLocked(now);
    std::optional<std::chrono::milliseconds> in;
    if (m_state == BreakerState::Open) {
        in = ceilMs(m_probeAt - now);
    } else if (m_state == BreakerState::HalfOpen) {
        in = ceilMs(m_scoutDeadline - now);
    }
    deliver(lock);
    return in;
}

BreakerState CircuitBreaker::state()
{
    std::unique_lock lock(m_mutex);
    expireScoutLocked(m_clock.monotonicNow());
    const BreakerState state = m_state;
    deliver(lock);
    return state;
}

BreakerSnapshot CircuitBreaker::snapshot()
{
    std::unique_lock lock(m_mutex);
    const TimePoint now = m_clock.monotonicNow();
    expireScoutLocked(now);
    BreakerSnapshot s;
    s.state = m_state;
    s.consecutiveFailures = m_consecutiveFailures;
    s.failureThreshold = m_config.failureThreshold;
    s.openedAt = m_openedAt;
    if (m_state == BreakerState::Open) {
        s.nextProbeAt = wallAt(std::max(m_probeAt, now), now);
    }
    s.stateSince = m_stateSinceWall;
    s.timeInState = std::chrono::duration_cast<std::chrono::milliseconds>(now - m_stateSince);
    s.lastReason = m_lastReason;
    s.lastError = m_lastError;
    if (m_lastSuccess) {
        s.lastSuccessAt = wallAt(*m_lastSuccess, now);
    }
    s.succeeded = m_succeeded;
    s.failed = m_failed;
    s.ignored = m_ignored;
    s.rejected = m_rejected;

    std::vector<qint64> samples(m_latencyUs.begin(), m_latencyUs.begin() + std::ptrdiff_t(m_latencyCount));
    deliver(lock);
    lock.unlock();

    std::sort(samples.begin(), samples.end());
    s.latencySamples = int(samples.size());
    s.latencyP50 = percentile(samples, 50);
    s.latencyP90 = percentile(samples, 90);
    s.latencyP99 = percentile(samples, 99);
    return s;
}

void CircuitBreaker::setTransitionListener(TransitionListener listener)
{
    std::lock_guard lock(m_mutex);
    m_listener = std::move(listener);
}

void CircuitBreaker::expireScoutLocked(TimePoint now)
{
    if (m_state == BreakerState::HalfOpen && now >= m_scoutDeadline) {
        // Counted like any failed scout: silence from the hypervisor is what an outage looks like.
        ++m_failed;
        m_lastError = Error::make(
            ErrorKind::OutcomeUnknown, QStringLiteral("scout-timeout"),
            QStringLiteral("the scout did not report within %1").arg(formatDuration(m_config.scoutTimeout)));
        openLocked(m_scoutDeadline, now,
                   QStringLiteral("scout timed out after %1").arg(formatDuration(m_config.scoutTimeout)));
    }
}

void CircuitBreaker::openLocked(TimePoint at, TimePoint now, QString reason)
{
    changeStateLocked(BreakerState::Open, at, now, std::move(reason));
    m_probeAt = at + m_config.cooldown;
}

void CircuitBreaker::changeStateLocked(BreakerState to, TimePoint at, TimePoint now, QString reason)
{
    const BreakerState from = m_state;
    const QDateTime wall = wallAt(at, now);
    m_state = to;
    ++m_epoch; // outstanding permits from the old state can no longer move the breaker
    m_stateSince = at;
    m_stateSinceWall = wall;
    m_probeRequested = false;
    m_lastReason = reason;
    if (from == BreakerState::Closed) {
        m_openedAt = wall;
    }
    if (to == BreakerState::Closed) {
        m_openedAt = QDateTime();
        m_consecutiveFailures = 0;
    }
    m_pending.push_back(BreakerTransition{wall, from, to, std::move(reason)});
}

QDateTime CircuitBreaker::wallAt(TimePoint at, TimePoint now) const
{
    const auto ago = std::chrono::duration_cast<std::chrono::milliseconds>(now - at);
    return m_clock.utcNow().addMSecs(-ago.count());
}

void CircuitBreaker::recordLatencyLocked(std::chrono::microseconds latency)
{
    m_latencyUs[m_latencyNext] = std::max<qint64>(latency.count(), 0);
    m_latencyNext = (m_latencyNext + 1) % m_latencyUs.size();
    m_latencyCount = std::min(m_latencyCount + 1, m_latencyUs.size());
}

void CircuitBreaker::deliver(std::unique_lock<std::mutex>& lock)
{
    // One deliverer at a time, in order. Whoever finds transitions pending and nobody delivering
    // becomes the deliverer and drains the queue, including transitions other threads (or the listener
    // itself) add meanwhile; the flag is only read and written under the lock, so nothing is stranded.
    if (m_pending.empty() || m_delivering) {
        return;
    }
    m_delivering = true;
    while (!m_pending.empty()) {
        const BreakerTransition transition = std::move(m_pending.front());
        m_pending.pop_front();
        const TransitionListener listener = m_listener;
        lock.unlock();
        try {
            if (listener) {
                listener(transition);
            }
        } catch (...) {
            lock.lock();
            m_delivering = false;
            throw;
        }
        lock.lock();
    }
    m_delivering = false;
}

} // namespace dcm
