#include "domain/BreakerSnapshotJson.h"

#include "domain/ErrorJson.h"
#include "domain/JsonReader.h"

#include <limits>

namespace dcm {

namespace {

const QString kState = QStringLiteral("state");
const QString kConsecutiveFailures = QStringLiteral("consecutiveFailures");
const QString kFailureThreshold = QStringLiteral("failureThreshold");
const QString kOpenedAt = QStringLiteral("openedAt");
const QString kNextProbeAt = QStringLiteral("nextProbeAt");
const QString kStateSince = QStringLiteral("stateSince");
const QString kTimeInStateMs = QStringLiteral("timeInStateMs");
const QString kLastReason = QStringLiteral("lastReason");
const QString kLastError = QStringLiteral("lastError");
const QString kLastSuccessAt = QStringLiteral("lastSuccessAt");
const QString kSucceeded = QStringLiteral("succeeded");
const QString kFailed = QStringLiteral("failed");
const QString kIgnored = QStringLiteral("ignored");
const QString kRejected = QStringLiteral("rejected");
const QString kLatencySamples = QStringLiteral("latencySamples");
const QString kLatencyP50Us = QStringLiteral("latencyP50Us");
const QString kLatencyP90Us = QStringLiteral("latencyP90Us");
const QString kLatencyP99Us = QStringLiteral("latencyP99Us");

QJsonValue dateValue(const QDateTime& at)
{
    return at.isValid() ? QJsonValue(at.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue(QJsonValue::Null);
}

// A count or a duration: a whole number, never negative.
void readCount(JsonReader& reader, const QJsonObject& json, const QString& key, qint64& out)
{
    qint64 value = out;
    reader.readInt64(json, key, value);
    if (value < 0) {
        reader.fail(key, QStringLiteral("expected a number of zero or more, got %1").arg(value));
        return;
    }
    out = value;
}

void readCount(JsonReader& reader, const QJsonObject& json, const QString& key, int& out)
{
    qint64 value = out;
    readCount(reader, json, key, value);
    if (value > std::numeric_limits<int>::max()) {
        reader.fail(key, QStringLiteral("the number %1 is out of range").arg(value));
        return;
    }
    out = int(value);
}

} // namespace

QStringList BreakerSnapshotJson::keys()
{
    return {kState,
            kConsecutiveFailures,
            kFailureThreshold,
            kOpenedAt,
            kNextProbeAt,
            kStateSince,
            kTimeInStateMs,
            kLastReason,
            kLastError,
            kLastSuccessAt,
            kSucceeded,
            kFailed,
            kIgnored,
            kRejected,
            kLatencySamples,
            kLatencyP50Us,
            kLatencyP90Us,
            kLatencyP99Us};
}

QJsonObject BreakerSnapshotJson::toJson(const BreakerSnapshot& s)
{
    return QJsonObject{
        {kState, toString(s.state)},
        {kConsecutiveFailures, s.consecutiveFailures},
        {kFailureThreshold, s.failureThreshold},
        {kOpenedAt, dateValue(s.openedAt)},
        {kNextProbeAt, dateValue(s.nextProbeAt)},
        {kStateSince, dateValue(s.stateSince)},
        {kTimeInStateMs, qint64(s.timeInState.count())},
        {kLastReason, s.lastReason},
        {kLastError, s.lastError ? QJsonValue(ErrorJson::toJson(*s.lastError)) : QJsonValue(QJsonValue::Null)},
        {kLastSuccessAt, dateValue(s.lastSuccessAt)},
        {kSucceeded, qint64(s.succeeded)},
        {kFailed, qint64(s.failed)},
        {kIgnored, qint64(s.ignored)},
        {kRejected, qint64(s.rejected)},
        {kLatencySamples, s.latencySamples},
        {kLatencyP50Us, qint64(s.latencyP50.count())},
        {kLatencyP90Us, qint64(s.latencyP90.count())},
        {kLatencyP99Us, qint64(s.latencyP99.count())},
    };
}

Result<BreakerSnapshot> BreakerSnapshotJson::fromJson(const QJsonObject& json)
{
    JsonReader reader;
    const QStringList known = keys();
    reader.rejectUnknownKeys(json, QSet<QString>(known.cbegin(), known.cend()));

    BreakerSnapshot s;
    const QJsonValue state = json.value(kState);
    if (state.isUndefined() || state.isNull()) {
        reader.fail(kState, QStringLiteral("missing"));
    } else if (!state.isString()) {
        reader.fail(kState, QStringLiteral("expected text, got %1").arg(JsonReader::describe(state)));
    } else if (const auto parsed = breakerStateFromString(state.toString())) {
        s.state = *parsed;
    } else {
        reader.fail(kState, QStringLiteral("unknown breaker state \"%1\"").arg(state.toString()));
    }

    readCount(reader, json, kConsecutiveFailures, s.consecutiveFailures);
    readCount(reader, json, kFailureThreshold, s.failureThreshold);
    reader.readDateTime(json, kOpenedAt, s.openedAt);
    reader.readDateTime(json, kNextProbeAt, s.nextProbeAt);
    reader.readDateTime(json, kStateSince, s.stateSince);
    qint64 timeInState = 0;
    readCount(reader, json, kTimeInStateMs, timeInState);
    s.timeInState = std::chrono::milliseconds(timeInState);
    reader.readString(json, kLastReason, s.lastReason);
    const QJsonValue lastError = json.value(kLastError);
    if (lastError.isObject()) {
        Error error;
        if (auto parsed = ErrorJson::fromJson(lastError.toObject(), error); parsed.ok()) {
            s.lastError = std::move(error);
        } else {
            reader.fail(kLastError, parsed.error().message);
        }
    } else if (!lastError.isUndefined() && !lastError.isNull()) {
        reader.fail(kLastError, QStringLiteral("expected an object, got %1").arg(JsonReader::describe(lastError)));
    }
    reader.readDateTime(json, kLastSuccessAt, s.lastSuccessAt);

    qint64 counts[4] = {0, 0, 0, 0};
    readCount(reader, json, kSucceeded, counts[0]);
    readCount(reader, json, kFailed, counts[1]);
    readCount(reader, json, kIgnored, counts[2]);
    readCount(reader, json, kRejected, counts[3]);
    s.succeeded = quint64(counts[0]);
    s.failed = quint64(counts[1]);
    s.ignored = quint64(counts[2]);
    s.rejected = quint64(counts[3]);

    readCount(reader, json, kLatencySamples, s.latencySamples);
    qint64 latencies[3] = {0, 0, 0};
    readCount(reader, json, kLatencyP50Us, latencies[0]);
    readCount(reader, json, kLatencyP90Us, latencies[1]);
    readCount(reader, json, kLatencyP99Us, latencies[2]);
    s.latencyP50 = std::chrono::microseconds(latencies[0]);
    s.latencyP90 = std::chrono::microseconds(latencies[1]);
    s.latencyP99 = std::chrono::microseconds(latencies[2]);

    if (!reader.ok()) {
        return toError(reader.problems(), QStringLiteral("invalid-breaker-snapshot"));
    }
    return s;
}

} // namespace dcm
