#pragma once

#include "domain/BreakerState.h"
#include "domain/Error.h"

#include <chrono>
#include <optional>

#include <QDateTime>
#include <QMetaType>
#include <QString>

namespace dcm {

// Everything an admin sees about the breaker at one moment. A value: it crosses to the GUI thread and
// into the store (`dcmctl breaker` prints the last one recorded).
struct BreakerSnapshot
{
    BreakerState state = BreakerState::Closed;
    int consecutiveFailures = 0;
    int failureThreshold = 5;
    QDateTime openedAt;    // UTC; when the breaker last left CLOSED; null while closed
    QDateTime nextProbeAt; // UTC; OPEN: when the next scout is due; null in other states
    QDateTime stateSince;  // UTC; when the current state was entered
    std::chrono::milliseconds timeInState{0};
    QString lastReason;             // reason of the last transition
    std::optional<Error> lastError; // last counted failure
    QDateTime lastSuccessAt;        // UTC; null before the first success

    quint64 succeeded = 0;
    quint64 failed = 0;   // counted failures (Transient, OutcomeUnknown)
    quint64 ignored = 0;  // failures the breaker does not count (business, permission, ...)
    quint64 rejected = 0; // calls refused without I/O

    // Over the last `latencyWindow` successful calls; zero when there were none.
    int latencySamples = 0;
    std::chrono::microseconds latencyP50{0};
    std::chrono::microseconds latencyP90{0};
    std::chrono::microseconds latencyP99{0};

    friend bool operator==(const BreakerSnapshot&, const BreakerSnapshot&) = default;
};

} // namespace dcm

Q_DECLARE_METATYPE(dcm::BreakerSnapshot)
