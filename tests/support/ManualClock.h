#pragma once

#include "domain/ports/ClockPort.h"

#include <atomic>
#include <chrono>

// A clock that moves only when a test says so: cooldowns and deadlines without sleeping.
class ManualClock final : public dcm::ClockPort
{
public:
    ManualClock() : m_wallStart(QDateTime(QDate(2026, 1, 1), QTime(8, 0), Qt::UTC)) {}

    std::chrono::steady_clock::time_point monotonicNow() const override
    {
        return std::chrono::steady_clock::time_point(std::chrono::milliseconds(m_elapsedMs.load()));
    }
    QDateTime utcNow() const override { return m_wallStart.addMSecs(m_elapsedMs.load()); }

    void advance(std::chrono::milliseconds by) { m_elapsedMs += by.count(); }

private:
    QDateTime m_wallStart;
    std::atomic<qint64> m_elapsedMs{1'000'000};
};
