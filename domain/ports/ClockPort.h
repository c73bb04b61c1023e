#pragma once

#include <QDateTime>

#include <chrono>

namespace dcm {

// Time for the domain and the service. Tests inject a manual clock and never sleep.
class ClockPort
{
public:
    virtual ~ClockPort() = default;
    // Monotonic time for durations (cooldowns, deadlines, latency).
    virtual std::chrono::steady_clock::time_point monotonicNow() const = 0;
    // Wall-clock time for records shown to people.
    virtual QDateTime utcNow() const = 0;
};

class SystemClock final : public ClockPort
{
public:
    std::chrono::steady_clock::time_point monotonicNow() const override { return std::chrono::steady_clock::now(); }
    QDateTime utcNow() const override { return QDateTime::currentDateTimeUtc(); }
};

} // namespace dcm
