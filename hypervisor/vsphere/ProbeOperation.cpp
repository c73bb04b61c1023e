#include "ProbeOperation.h"

#include "VimRequests.h"
#include "VimSession.h"

#include <QRegularExpression>

namespace dcm::vsphere {

QDateTime ProbeOperation::parseDateTime(const QString& text)
{
    // Qt's ISO parser takes at most milliseconds; vCenter and Go send up to nanoseconds.
    static const QRegularExpression re(
        QStringLiteral(R"(^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?$)"));
    const QRegularExpressionMatch m = re.match(text.trimmed());
    if (!m.hasMatch())
        return {};
    QString normalized = m.captured(1);
    const QString fraction = m.captured(2);
    normalized += QLatin1Char('.') + (fraction + QStringLiteral("000")).left(3);
    normalized += m.captured(3).isEmpty() ? QStringLiteral("Z") : m.captured(3);
    QDateTime dt = QDateTime::fromString(normalized, Qt::ISODateWithMs);
    return dt.isValid() ? dt.toUTC() : QDateTime();
}

void ProbeOperation::start()
{
    ensureSession([this](Result<void> r) {
        if (!r.ok())
            return fail(r.error());
        call(VimRequests::currentTime(), m_reader, [this](Result<void> r2) {
            if (!r2.ok())
                return fail(r2.error());
            const XmlValue* rv = m_reader.first();
            const QDateTime now = rv ? parseDateTime(rv->string()) : QDateTime();
            if (!now.isValid())
                return fail(Error::make(ErrorKind::Transient, QStringLiteral("malformed-reply"),
                                        QStringLiteral("CurrentTime returned no valid time")));
            succeed(now);
        });
    });
}

} // namespace dcm::vsphere
