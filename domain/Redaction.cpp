#include "domain/Redaction.h"

#include <QRegularExpression>

namespace dcm {

namespace {

const QString kRedacted = QStringLiteral("(redacted)");

// Greedy up to the last "@" before a blank: a password typed with a raw "@" or "/" in it
// (https://u:p@ss/w@vc/sdk) must go as a whole, not leave its tail behind.
const QRegularExpression& userInfoPattern()
{
    static const QRegularExpression re(QStringLiteral(R"(([A-Za-z][A-Za-z0-9+.\-]*://)\S*@)"));
    return re;
}

// A query key that names a secret: password, pwd, passwd, secret, token, access_token, apiKey, ...
const QRegularExpression& secretQueryPattern()
{
    static const QRegularExpression re(
        QStringLiteral(R"(([?&;][^=&;#\s]*(?:pass|pwd|secret|token|key)[^=&;#\s]*=)[^&;#\s]*)"),
        QRegularExpression::CaseInsensitiveOption);
    return re;
}

} // namespace

QString redactedUrl(const QUrl& url)
{
    if (url.isEmpty())
        return {};
    return redactedText(url.adjusted(QUrl::RemoveUserInfo).toString());
}

QString redactedText(const QString& text)
{
    if (!text.contains(QLatin1String("://")) && !text.contains(QLatin1Char('=')))
        return text;
    QString out = text;
    out.replace(userInfoPattern(), QStringLiteral("\\1"));
    out.replace(secretQueryPattern(), QStringLiteral("\\1") + kRedacted);
    return out;
}

} // namespace dcm
