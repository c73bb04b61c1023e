#include "BreakerCommand.h"

#include "domain/BreakerSnapshotJson.h"

#include <QJsonObject>

namespace dcm::ctl {

void BreakerCommand::start()
{
    auto log = connection().openBreakerLog();
    if (!log.ok())
        return (void)fail(log.error());
    auto last = log.value()->lastBreakerState();
    if (!last.ok())
        return (void)fail(last.error());
    // The breaker's one JSON form (BreakerSnapshotJson), and beside it who recorded it, when and why.
    BreakerSnapshot s;
    s.failureThreshold = options().failureThreshold;
    if (last.value())
        s = last.value()->snapshot;
    QJsonObject o = BreakerSnapshotJson::toJson(s);
    o.insert(QStringLiteral("recorded"), last.value().has_value());
    QString text = QStringLiteral("state: %1\nconsecutive failures: %2 of %3\n")
                       .arg(toString(s.state))
                       .arg(s.consecutiveFailures)
                       .arg(s.failureThreshold);
    if (last.value()) {
        const BreakerRecord& rec = *last.value();
        o.insert(QStringLiteral("recordedAt"), isoTime(rec.transition.at));
        o.insert(QStringLiteral("recordedBy"), rec.owner);
        o.insert(QStringLiteral("reason"), rec.transition.reason);
        text += QStringLiteral("since: %1 (%2)\n").arg(isoTime(rec.transition.at), rec.transition.reason);
    }
    if (s.nextProbeAt.isValid())
        text += QStringLiteral("next scout: %1\n").arg(isoTime(s.nextProbeAt));
    out().document(o, text);
    finish(ExitOk);
}

} // namespace dcm::ctl
