#pragma once

#include "domain/ports/ClockPort.h"
#include "domain/ports/FleetBreakerPort.h"

#include <memory>

// The fleet's shared breaker in memory, for service unit tests that put two or more services in
// front of one hypervisor: FakeFleet is the "database" (one row), FakeFleetBreaker one member's
// connection to it. Same rules as the PostgreSQL adapter: open only from CLOSED, close only from OPEN,
// a scout lease for at most one caller per cooldown while OPEN (in the clock given, a ManualClock in
// tests), changed() true when the version moved since this member last read. `refuseAll` makes every call fail as
// an unreachable team database would.
struct FakeFleet
{
    explicit FakeFleet(const dcm::ClockPort& clock) : clock(clock) {}

    const dcm::ClockPort& clock;
    dcm::FleetBreakerState state;
    QDateTime nextScoutAt;
    QString scoutOwner;
    int leasesGranted = 0;
    bool refuseAll = false;
};

class FakeFleetBreaker final : public dcm::FleetBreakerPort
{
public:
    FakeFleetBreaker(std::shared_ptr<FakeFleet> fleet, QString member)
        : m_fleet(std::move(fleet)), m_member(std::move(member))
    {}

    dcm::Result<dcm::FleetBreakerState> read() override
    {
        if (auto refused = refusal())
            return *refused;
        m_seen = m_fleet->state.version;
        return m_fleet->state;
    }
    dcm::Result<bool> changed() override
    {
        if (auto refused = refusal())
            return *refused;
        return m_fleet->state.version != m_seen; // our own writes too: re-reading them is harmless
    }
    dcm::Result<void> open(const QString& reason, const QString& by, std::chrono::milliseconds cooldown) override
    {
        if (auto refused = refusal())
            return *refused;
        if (m_fleet->state.state == dcm::BreakerState::Closed) {
            set(dcm::BreakerState::Open, reason, by);
            m_fleet->nextScoutAt = m_fleet->clock.utcNow().addMSecs(cooldown.count());
        }
        return {};
    }
    dcm::Result<void> close(const QString& reason, const QString& by) override
    {
        if (auto refused = refusal())
            return *refused;
        if (m_fleet->state.state == dcm::BreakerState::Open)
            set(dcm::BreakerState::Closed, reason, by);
        return {};
    }
    dcm::Result<void> hold(const QString& reason, const QString& by) override
    {
        if (auto refused = refusal())
            return *refused;
        set(dcm::BreakerState::ForcedOpen, reason, by);
        return {};
    }
    dcm::Result<void> release(const QString& reason, const QString& by) override
    {
        if (auto refused = refusal())
            return *refused;
        set(dcm::BreakerState::Closed, reason, by);
        return {};
    }
    dcm::Result<void> setPaused(bool paused, const QString& reason, const QString& by) override
    {
        if (auto refused = refusal())
            return *refused;
        if (m_fleet->state.paused == paused)
            return {};
        m_fleet->state.paused = paused;
        m_fleet->state.pausedBy = by;
        m_fleet->state.pausedReason = reason;
        m_fleet->state.changedBy = by;
        ++m_fleet->state.version;
        return {};
    }
    dcm::Result<bool> takeScoutLease(const QString& owner, std::chrono::milliseconds cooldown) override
    {
        if (auto refused = refusal())
            return *refused;
        const QDateTime now = m_fleet->clock.utcNow();
        if (m_fleet->state.state != dcm::BreakerState::Open ||
            (m_fleet->nextScoutAt.isValid() && m_fleet->nextScoutAt > now))
            return false;
        m_fleet->nextScoutAt = now.addMSecs(cooldown.count());
        m_fleet->scoutOwner = owner;
        ++m_fleet->leasesGranted;
        return true;
    }

private:
    std::optional<dcm::Error> refusal() const
    {
        if (!m_fleet->refuseAll)
            return std::nullopt;
        return dcm::Error::make(dcm::ErrorKind::Storage, dcm::ErrorCode::DatabaseUnreachable,
                                QStringLiteral("team queue unreachable (fake)"));
    }
    void set(dcm::BreakerState state, const QString& reason, const QString& by)
    {
        m_fleet->state.state = state;
        m_fleet->state.since = m_fleet->clock.utcNow();
        m_fleet->state.reason = reason;
        m_fleet->state.changedBy = by;
        ++m_fleet->state.version;
        if (state != dcm::BreakerState::Open)
            m_fleet->nextScoutAt = QDateTime();
    }

    std::shared_ptr<FakeFleet> m_fleet;
    QString m_member;
    qint64 m_seen = -1;
};
