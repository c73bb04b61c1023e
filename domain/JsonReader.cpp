#include "domain/JsonReader.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace dcm {

namespace {

bool absent(const QJsonValue& v)
{
    return v.isUndefined() || v.isNull();
}

// JSON numbers are doubles: beyond 2^53 they are no longer exact integers.
constexpr double exactIntegerLimit = 9007199254740992.0;

} // namespace

void JsonReader::readString(const QJsonObject& json, const QString& key, QString& out)
{
    const QJsonValue v = json.value(key);
    if (absent(v)) {
        return;
    }
    if (!v.isString()) {
        fail(key, QStringLiteral("expected text, got %1").arg(describe(v)));
        return;
    }
    out = v.toString();
}

void JsonReader::readBool(const QJsonObject& json, const QString& key, bool& out)
{
    const QJsonValue v = json.value(key);
    if (absent(v)) {
        return;
    }
    if (!v.isBool()) {
        fail(key, QStringLiteral("expected true or false, got %1").arg(describe(v)));
        return;
    }
    out = v.toBool();
}

void JsonReader::readInt(const QJsonObject& json, const QString& key, int& out)
{
    qint64 value = out;
    if (readInteger(json, key, double(std::numeric_limits<int>::min()), double(std::numeric_limits<int>::max()),
                    value)) {
        out = int(value);
    }
}

void JsonReader::readInt64(const QJsonObject& json, const QString& key, qint64& out)
{
    readInteger(json, key, -exactIntegerLimit, exactIntegerLimit, out);
}

bool JsonReader::readInteger(const QJsonObject& json, const QString& key, double lo, double hi, qint64& out)
{
    const QJsonValue v = json.value(key);
    if (absent(v)) {
        return false;
    }
    if (!v.isDouble()) {
        fail(key, QStringLiteral("expected a whole number, got %1").arg(describe(v)));
        return false;
    }
    const double d = v.toDouble();
    if (!std::isfinite(d) || std::floor(d) != d) {
        fail(key, QStringLiteral("expected a whole number, got %1").arg(describe(v)));
        return false;
    }
    // Qt keeps a JSON integer that fits in 64 bits exactly; its double may round into the range
    // (2^53 + 1 becomes 2^53), so the exact value is what is checked and kept.
    const bool fits = d >= -9223372036854775808.0 && d < 9223372036854775808.0;
    const qint64 exact = fits ? v.toInteger() : 0;
    if (!fits || exact < static_cast<qint64>(lo) || exact > static_cast<qint64>(hi)) {
        fail(key, QStringLiteral("the number %1 is out of range (a whole number from %2 to %3)")
                      .arg(describe(v))
                      .arg(static_cast<qint64>(lo))
                      .arg(static_cast<qint64>(hi)));
        return false;
    }
    out = exact;
    return true;
}

void JsonReader::readDateTime(const QJsonObject& json, const QString& key, QDateTime& out)
{
    const QJsonValue v = json.value(key);
    if (absent(v)) {
        return;
    }
    const QDateTime parsed = v.isString() ? QDateTime::fromString(v.toString(), Qt::ISODateWithMs) : QDateTime();
    if (!parsed.isValid()) {
        fail(key,
             QStringLiteral("expected a date and time like \"2026-01-01T08:00:00.000Z\", got %1").arg(describe(v)));
        return;
    }
    out = parsed.toUTC();
}

void JsonReader::rejectUnknownKeys(const QJsonObject& json, const QSet<QString>& known)
{
    for (auto it = json.begin(); it != json.end(); ++it) {
        if (!known.contains(it.key())) {
            fail(it.key(), QStringLiteral("unknown field"));
        }
    }
}

void JsonReader::fail(const QString& key, const QString& message)
{
    m_problems.append(FieldProblem{m_prefix + key, message});
}

QString JsonReader::describe(const QJsonValue& value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double: {
        // A whole number as written (exactly, even beyond 2^53), anything else as its double.
        const double d = value.toDouble();
        if (std::floor(d) == d && d >= -9223372036854775808.0 && d < 9223372036854775808.0)
            return QString::number(value.toInteger());
        return QString::number(d, 'g', 17);
    }
    case QJsonValue::String:
        return QStringLiteral("the text \"%1\"").arg(value.toString().left(40));
    case QJsonValue::Array:
        return QStringLiteral("a list");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("nothing");
}

} // namespace dcm
