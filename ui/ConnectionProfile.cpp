#include "ui/ConnectionProfile.h"

#include <QRegularExpression>

namespace dcm {

QUrl ConnectionProfile::normalizedServer(const QString& typed)
{
    const QString text = typed.trimmed();
    if (text.isEmpty())
        return QUrl();
    QUrl url = QUrl::fromUserInput(text.contains(QStringLiteral("://")) ? text : QStringLiteral("https://") + text);
    if (url.scheme().isEmpty())
        url.setScheme(QStringLiteral("https"));
    if (url.path().isEmpty() || url.path() == QLatin1String("/"))
        url.setPath(QStringLiteral("/sdk"));
    return url;
}

QString ConnectionProfile::normalizedThumbprint(const QString& typed)
{
    QString hex = typed.trimmed();
    hex.remove(QLatin1Char(':'));
    hex.remove(QLatin1Char(' '));
    static const QRegularExpression sha256(QStringLiteral("^[0-9A-Fa-f]{64}$"));
    if (!sha256.match(hex).hasMatch())
        return QString();
    return QString::fromLatin1(QByteArray::fromHex(hex.toLatin1()).toHex(':').toUpper());
}

QUrl ConnectionProfile::serverUrl() const
{
    return normalizedServer(server);
}

ConnectionSettings ConnectionProfile::toSettings() const
{
    ConnectionSettings s;
    s.server = serverUrl();
    s.user = user.trimmed();
    s.thumbprint = normalizedThumbprint(thumbprint);
    return s;
}

QString ConnectionProfile::displayName() const
{
    if (!name.trimmed().isEmpty())
        return name.trimmed();
    return QStringLiteral("%1@%2").arg(user.trimmed(), host());
}

} // namespace dcm
