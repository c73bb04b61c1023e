#include "BreakerCommand.h"

#include <QJsonObject>

namespace dcm::ctl {

void BreakerCommand::start()
{
    auto store = connection().openStore();
    if (!store.ok())
        return (void)fail(store.error());
    auto last = store.value()->lastBreakerState();
    if (!last.ok())
        return (void)fail(last.error());
    QJsonObject o;
    if (!last.value()) {
        o = QJsonObject{{QStringLiteral("state"), toString(BreakerState::Closed)},
                        {QStringLiteral("consecutiveFailures"), 0},
                        {QStringLiteral("threshold"), options().failureThreshold},
                        {QStringLiteral("openedAt"), QJsonValue::Null},
                        {QStringLiteral("nextProbeAt"), QJsonValue::Null},
                        {QStringLiteral("lastError"), QJsonValue::Null},
                        {QStringLiteral("recorded"), false}};
    } else {
        const BreakerRecord& rec = *last.value();
        const BreakerSnapshot& s = rec.snapshot;
        o = QJsonObject{
            {QStringLiteral("state"), toString(s.state)},
            {QStringLiteral("consecutiveFailures"), s.consecutiveFailures},
            {QStringLiteral("threshold"), s.failureThreshold},
            {QStringLiteral("openedAt"), s.openedAt.isValid() ? QJsonValue(isoTime(s.openedAt)) : QJsonValue()},
            {QStringLiteral("nextProbeAt"),
             s.nextProbeAt.isValid() ? QJsonValue(isoTime(s.nextProbeAt)) : QJsonValue()},
            {QStringLiteral("lastError"), errorJson(s.lastError)},
            {QStringLiteral("recorded"), true},
            {QStringLiteral("recordedAt"), isoTime(rec.transition.at)},
            {QStringLiteral("recordedBy"), rec.owner},
            {QStringLiteral("reason"), rec.transition.reason}};
    }
    QString text = QStringLiteral("state: %1\nconsecutive failures: %2 of %3\n")
                       .arg(o.value(QStringLiteral("state")).toString())
                       .arg(o.value(QStringLiteral("consecutiveFailures")).toInt())
                       .arg(o.value(QStringLiteral("threshold")).toInt());
    if (o.value(QStringLiteral("recorded")).toBool())
        text +=
            QStringLiteral("since: %1 (%2)\n")
                .arg(o.value(QStringLiteral("recordedAt")).toString(), o.value(QStringLiteral("reason")).toString());
    if (!o.value(QStringLiteral("nextProbeAt")).isNull())
        text += QStringLiteral("next scout: %1\n").arg(o.value(QStringLiteral("nextProbeAt")).toString());
    out().document(o, text);
    finish(ExitOk);
}

} // namespace dcm::ctl
