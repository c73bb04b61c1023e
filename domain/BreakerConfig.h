#pragma once

#include <chrono>

namespace dcm {

// `dcmctl --failure-threshold N --cooldown SECONDS` and the console's settings map onto this.
struct BreakerConfig
{
    int failureThreshold = 5;                      // counted failures in a row that open the breaker (>= 1)
    std::chrono::milliseconds cooldown{30000};     // OPEN for this long before a scout is due
    std::chrono::milliseconds scoutTimeout{10000}; // a scout that has not reported by then has failed
    int latencyWindow = 100;                       // successful calls kept for the latency percentiles (>= 1)
};

} // namespace dcm
