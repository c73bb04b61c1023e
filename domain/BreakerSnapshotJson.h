#pragma once

#include "domain/BreakerSnapshot.h"
#include "domain/Result.h"

#include <QJsonObject>

namespace dcm {

// The one JSON form of a BreakerSnapshot: what the store keeps with every breaker transition and what
// `dcmctl breaker --json` prints. Times are ISO 8601 UTC text with milliseconds (null when unset),
// durations are whole numbers in the unit their key names ("timeInStateMs", "latencyP50Us"):
//
//   {"state":"OPEN","consecutiveFailures":5,"failureThreshold":5,"openedAt":"2026-01-01T08:00:00.000Z",
//    "nextProbeAt":..,"stateSince":..,"timeInStateMs":1234,"lastReason":"..","lastError":{..}|null,
//    "lastSuccessAt":..|null,"succeeded":10,"failed":5,"ignored":2,"rejected":7,"latencySamples":10,
//    "latencyP50Us":1500,"latencyP90Us":4000,"latencyP99Us":9000}
class BreakerSnapshotJson
{
public:
    // Every key, always (absent values as null), so that readers need no defaults.
    static QJsonObject toJson(const BreakerSnapshot& snapshot);
    // Strict: "state" is required; an unknown key, a value of the wrong type, a negative count or
    // duration, or an unknown state is refused, every problem at once (code "invalid-breaker-snapshot",
    // each problem naming its key). Absent or null keys keep BreakerSnapshot's defaults.
    static Result<BreakerSnapshot> fromJson(const QJsonObject& json);
    // The keys toJson writes, for printers that add their own beside them.
    static QStringList keys();
};

} // namespace dcm
