#include "ui/UiFormat.h"

#include <cmath>
#include <cstdlib>

#include "domain/ErrorJson.h"
#include "domain/RequestEventText.h"
#include "domain/RequestView.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QLocale>
#include <QStringList>

namespace dcm::UiFormat {

namespace {

QString trUi(const char* text, int n = -1)
{
    return QCoreApplication::translate("dcm::UiFormat", text, nullptr, n);
}

} // namespace

const ClockPort& systemClock()
{
    static const SystemClock s_clock;
    return s_clock;
}

QString bytes(qint64 value)
{
    static constexpr const char* units[] = {
        QT_TRANSLATE_NOOP("dcm::UiFormat", "%1 B"),   QT_TRANSLATE_NOOP("dcm::UiFormat", "%1 KiB"),
        QT_TRANSLATE_NOOP("dcm::UiFormat", "%1 MiB"), QT_TRANSLATE_NOOP("dcm::UiFormat", "%1 GiB"),
        QT_TRANSLATE_NOOP("dcm::UiFormat", "%1 TiB"), QT_TRANSLATE_NOOP("dcm::UiFormat", "%1 PiB")};
    double v = double(value);
    int unit = 0;
    while (std::abs(v) >= 1024.0 && unit < 5) {
        v /= 1024.0;
        ++unit;
    }
    const QLocale locale;
    const QString number = unit == 0 ? locale.toString(value) : locale.toString(v, 'f', v < 10 ? 2 : 1);
    return trUi(units[unit]).arg(number);
}

QString mebibytes(qint64 mib)
{
    return bytes(mib * 1024 * 1024);
}

QString megahertz(qint64 mhz)
{
    const QLocale locale;
    if (std::abs(mhz) >= 1000)
        return trUi("%1 GHz").arg(locale.toString(double(mhz) / 1000.0, 'f', 1));
    return trUi("%1 MHz").arg(locale.toString(mhz));
}

QString age(const QDateTime& at, const QDateTime& now)
{
    if (!at.isValid())
        return QString();
    const QDateTime reference = now.isValid() ? now : QDateTime::currentDateTimeUtc();
    const qint64 seconds = at.secsTo(reference);
    if (seconds < 5)
        return trUi("just now");
    if (seconds < 60)
        return trUi("%n s ago", int(seconds));
    if (seconds < 3600)
        return trUi("%n min ago", int(seconds / 60));
    if (seconds < 86400)
        return trUi("%n h ago", int(seconds / 3600));
    return trUi("%n d ago", int(seconds / 86400));
}

QString countdown(std::chrono::milliseconds remaining)
{
    const qint64 total = std::max<qint64>(0, (remaining.count() + 999) / 1000);
    const qint64 h = total / 3600;
    const qint64 m = (total % 3600) / 60;
    const qint64 s = total % 60;
    if (h > 0)
        return QStringLiteral("%1:%2:%3").arg(h).arg(m, 2, 10, QLatin1Char('0')).arg(s, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(m, 2, 10, QLatin1Char('0')).arg(s, 2, 10, QLatin1Char('0'));
}

QString localTime(const QDateTime& utc)
{
    if (!utc.isValid())
        return QString();
    const QDateTime local = utc.toLocalTime();
    if (local.date() == QDate::currentDate())
        return local.toString(QStringLiteral("HH:mm:ss"));
    return local.toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

QString localDateTime(const QDateTime& utc)
{
    if (!utc.isValid())
        return QString();
    return utc.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QString thumbprintForDisplay(const QString& thumbprint)
{
    QString hex = thumbprint.trimmed().toUpper();
    hex.remove(QLatin1Char(':'));
    hex.remove(QLatin1Char(' '));
    QStringList pairs;
    for (qsizetype i = 0; i + 1 < hex.size(); i += 2)
        pairs << hex.mid(i, 2);
    if (pairs.size() <= 16)
        return pairs.join(QLatin1Char(':'));
    return pairs.mid(0, 16).join(QLatin1Char(':')) + QStringLiteral(":\n") + pairs.mid(16).join(QLatin1Char(':'));
}

QString latency(std::chrono::microseconds value)
{
    const QLocale locale;
    if (value.count() >= 1000)
        return trUi("%1 ms").arg(locale.toString(double(value.count()) / 1000.0, 'f', value.count() >= 100000 ? 0 : 1));
    return trUi("%1 µs").arg(locale.toString(qint64(value.count())));
}

QString leafName(const QString& path)
{
    const qsizetype slash = path.lastIndexOf(QLatin1Char('/'));
    return slash < 0 ? path : path.mid(slash + 1);
}

QString errorLine(const Error& error, const FaultContext& context)
{
    const QString sentence = FaultSentence::of(error, context);
    return error.vimFault.isEmpty() ? sentence : QStringLiteral("%1 (%2)").arg(sentence, error.vimFault);
}

QString errorReport(const Error& error, const FaultContext& context)
{
    return errorLine(error, context) + QStringLiteral("\n\n") + FaultSentence::raw(error);
}

QDateTime startedAt(const ProvisioningRequest& request)
{
    for (const RequestEvent& e : request.history())
        if (e.to == RequestState::Provisioning)
            return e.at;
    return {};
}

QDateTime finishedAt(const ProvisioningRequest& request)
{
    // A settled request's last step is the one that settled it (a retry leaves FAILED again).
    if (!request.isSettled() || request.history().isEmpty())
        return {};
    return request.history().back().at;
}

QJsonObject requestJson(const ProvisioningRequest& r)
{
    // The very document `dcmctl requests --id ID --json` prints for it.
    return RequestView::toJson(r, true);
}

} // namespace dcm::UiFormat
