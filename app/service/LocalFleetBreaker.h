#pragma once

#include "domain/ports/FleetBreakerPort.h"

namespace dcm {

// The fleet of one: a process alone on its database (SQLite). The lease is always granted — this
// process's own breaker already spaces its scouts — and nobody else changes the state, so the service
// behaves exactly as it did before breakers were shared.
class LocalFleetBreaker final : public FleetBreakerPort
{
public:
    Result<FleetBreakerState> read() override { return m_state; }
    Result<bool> changed() override { return false; }
    Result<void> open(const QString& reason, const QString& by, std::chrono::milliseconds) override
    {
        if (m_state.state == BreakerState::Closed)
            set(BreakerState::Open, reason, by);
        return {};
    }
    Result<void> close(const QString& reason, const QString& by) override
    {
        if (m_state.state == BreakerState::Open)
            set(BreakerState::Closed, reason, by);
        return {};
    }
    Result<void> hold(const QString& reason, const QString& by) override
    {
        set(BreakerState::ForcedOpen, reason, by);
        return {};
    }
    Result<void> release(const QString& reason, const QString& by) override
    {
        set(BreakerState::Closed, reason, by);
        return {};
    }
    Result<void> setPaused(bool paused, const QString& reason, const QString& by) override
    {
        m_state.paused = paused;
        m_state.pausedBy = by;
        m_state.pausedReason = reason;
        ++m_state.version;
        return {};
    }
    Result<bool> takeScoutLease(const QString&, std::chrono::milliseconds) override { return true; }

private:
    void set(BreakerState state, const QString& reason, const QString& by)
    {
        m_state.state = state;
        m_state.since = QDateTime::currentDateTimeUtc();
        m_state.reason = reason;
        m_state.changedBy = by;
        ++m_state.version;
    }

    FleetBreakerState m_state;
};

} // namespace dcm
