#include "CtlInput.h"

#include <QLocale>
#include <QRegularExpression>
#include <QStringList>
#include <QVariantList>
#include <QVariantMap>

#include <cmath>
#include <limits>

namespace dcm::ctl {

namespace {

constexpr qsizetype kMaxQuoted = 200;

bool allDigits(QStringView text)
{
    if (text.isEmpty())
        return false;
    for (QChar c : text)
        if (c < u'0' || c > u'9')
            return false;
    return true;
}

bool allZeros(QStringView text)
{
    for (QChar c : text)
        if (c != u'0')
            return false;
    return true;
}

// Plain decimal notation with an optional exponent: "4", "0.5", ".5", "1.5e3". No sign, no blanks,
// no "nan" or "inf" (QString::toDouble would take those, and blanks around the number).
const QRegularExpression& decimalPattern()
{
    static const QRegularExpression re(
        QRegularExpression::anchoredPattern(QStringLiteral(R"((?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)")));
    return re;
}

} // namespace

QString quotedInput(const QString& text)
{
    QString out = QStringLiteral("\"");
    const QString shown = text.size() > kMaxQuoted ? text.left(kMaxQuoted) : text;
    for (QChar c : shown) {
        switch (c.unicode()) {
        case u'"':
            out += QStringLiteral("\\\"");
            break;
        case u'\\':
            out += QStringLiteral("\\\\");
            break;
        case u'\n':
            out += QStringLiteral("\\n");
            break;
        case u'\r':
            out += QStringLiteral("\\r");
            break;
        case u'\t':
            out += QStringLiteral("\\t");
            break;
        default:
            if (c.category() == QChar::Other_Control || c.category() == QChar::Separator_Line ||
                c.category() == QChar::Separator_Paragraph)
                out += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
            else
                out += c;
        }
    }
    out += QLatin1Char('"');
    if (shown.size() < text.size())
        out += QStringLiteral("…");
    return out;
}

std::optional<qint64> NumberOptions::whole(const QString& option, const QString& text, qint64 min, qint64 max,
                                           bool ranged)
{
    const QString range = ranged ? QStringLiteral(" (allowed: %1 to %2)").arg(min).arg(max) : QString();
    if (text.startsWith(u'-') && allDigits(QStringView(text).mid(1)) && !allZeros(QStringView(text).mid(1))) {
        refuse(option, text, QStringLiteral("is negative") + range);
        return std::nullopt;
    }
    if (!allDigits(text)) {
        refuse(option, text, QStringLiteral("is not a whole number") + range);
        return std::nullopt;
    }
    qint64 value = 0;
    for (QChar c : text) {
        const int digit = c.unicode() - u'0';
        if (value > (max - digit) / 10) {
            refuse(option, text,
                   QStringLiteral("is too large") + (ranged ? range : QStringLiteral(" (at most %1)").arg(max)));
            return std::nullopt;
        }
        value = value * 10 + digit;
    }
    if (value < min) {
        refuse(option, text,
               QStringLiteral("is too small") + (ranged ? range : QStringLiteral(" (at least %1)").arg(min)));
        return std::nullopt;
    }
    return value;
}

std::optional<qint64> NumberOptions::gibAsMib(const QString& option, const QString& text)
{
    const bool negative = text.startsWith(u'-');
    const QString digits = negative ? text.mid(1) : text;
    if (!decimalPattern().match(digits).hasMatch()) {
        refuse(option, text, QStringLiteral("is not a number"));
        return std::nullopt;
    }
    if (negative) {
        refuse(option, text, QStringLiteral("is negative"));
        return std::nullopt;
    }
    bool ok = false;
    const double gib = QLocale::c().toDouble(digits, &ok);
    // The C locale, not the operator's: "1.5" means one and a half everywhere. A failed conversion of
    // text this pattern accepts is an exponent out of range: huge (inf) or tiny (0, not whole MiB).
    const double mib = gib * 1024;
    if (!ok && !std::isinf(gib)) {
        refuse(option, text, QStringLiteral("is not a whole number of MiB"));
        return std::nullopt;
    }
    if (!std::isfinite(mib) || mib > double(maxDiskMiB)) {
        refuse(option, text, QStringLiteral("is too large (at most %1 GiB)").arg(maxDiskMiB / 1024));
        return std::nullopt;
    }
    if (std::floor(mib) != mib) {
        refuse(option, text,
               QStringLiteral("is not a whole number of MiB (it is %1 MiB)").arg(QString::number(mib, 'g', 12)));
        return std::nullopt;
    }
    return qint64(mib);
}

void NumberOptions::refuse(const QString& option, const QString& text, const QString& reason)
{
    // Concatenated, not arg(): the typed value may hold "%1".
    const QString name = QStringLiteral("--") + option;
    m_problems.append(FieldProblem{name, name + QLatin1Char(' ') + quotedInput(text) + QLatin1Char(' ') + reason});
}

Error NumberOptions::error() const
{
    QStringList messages;
    QVariantList list;
    for (const FieldProblem& p : m_problems) {
        messages.append(p.message);
        list.append(QVariantMap{{QStringLiteral("field"), p.field}, {QStringLiteral("message"), p.message}});
    }
    Error e = Error::make(ErrorKind::InvalidInput, QStringLiteral("bad-number"), messages.join(QStringLiteral("; ")));
    e.details.insert(QStringLiteral("problems"), list);
    return e;
}

std::optional<QUuid> requestIdFrom(const QString& text)
{
    static const QRegularExpression canonical(QRegularExpression::anchoredPattern(
        QStringLiteral("[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")));
    QStringView core(text);
    if (core.size() == 38 && core.startsWith(u'{') && core.endsWith(u'}'))
        core = core.mid(1, 36);
    if (!canonical.match(core.toString()).hasMatch())
        return std::nullopt;
    const QUuid id = QUuid::fromString(core);
    if (id.isNull())
        return std::nullopt;
    return id;
}

Error notARequestId(const QString& text)
{
    return Error::make(ErrorKind::InvalidInput, QStringLiteral("bad-id"),
                       QStringLiteral("not a request id: ") + quotedInput(text) +
                           QStringLiteral(" (a request id is a UUID as `dcmctl requests` lists it, e.g. "
                                          "6f1c3a52-9b0e-4d7a-8c2f-0e5d4b3a2f10)"));
}

} // namespace dcm::ctl
