#pragma once

#include "domain/Error.h"

#include <chrono>
#include <functional>

#include <QString>

namespace dcm {

// When to try a failed request again: exponential backoff with full jitter (the delay is drawn
// uniformly from [0, min(cap, base * 2^(attempt-1))]), so that requests queued by one outage do not
// all come back in the same second. After maxAttempts attempts the request is FAILED.
//
// "Attempts" are sends to the hypervisor. Waiting in the queue while the breaker is open spends none.
class RetryPolicy
{
public:
    // Uniform in [0, 1). Values outside are clamped; tests inject fixed sequences.
    using RandomSource = std::function<double()>;

    static constexpr std::chrono::milliseconds defaultBase{2000};
    static constexpr std::chrono::milliseconds defaultCap{120000};
    static constexpr int defaultMaxAttempts = 6;

    // `random` defaults to QRandomGenerator::global().
    explicit RetryPolicy(std::chrono::milliseconds base = defaultBase, std::chrono::milliseconds cap = defaultCap,
                         int maxAttempts = defaultMaxAttempts, RandomSource random = {});

    std::chrono::milliseconds base() const { return m_base; }
    std::chrono::milliseconds cap() const { return m_cap; }
    int maxAttempts() const { return m_maxAttempts; }

    // The upper bound of the delay after the given number of attempts (1 = after the first).
    std::chrono::milliseconds ceilingAfter(int attempts) const;
    // The delay to wait after `attempts` attempts before the next one.
    std::chrono::milliseconds nextDelay(int attempts) const;
    // True once `attempts` attempts have been made and failed: no further attempt.
    bool shouldGiveUp(int attempts) const { return attempts >= m_maxAttempts; }

    // "gave up after 6 attempts: SystemError: A general system error occurred: ..."
    static QString gaveUpMessage(int attempts, const Error& lastCause);
    // An Error of lastCause's kind ("gave-up") carrying that message, the cause's vim fault and details.
    static Error gaveUpError(int attempts, const Error& lastCause);

    // A reproducible source for tests and drills.
    static RandomSource seededRandom(quint32 seed);

private:
    std::chrono::milliseconds m_base;
    std::chrono::milliseconds m_cap;
    int m_maxAttempts;
    RandomSource m_random;
};

} // namespace dcm
