#pragma once

#include "domain/VmSpec.h"

#include <QDateTime>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QSet>
#include <QString>

namespace dcm {

// Reads typed fields out of a QJsonObject and collects every type problem instead of stopping at the
// first: a hand-written spec file should be fixed in one go. Absent and null keys keep the target's
// value. Used by the domain's fromJson functions.
class JsonReader
{
public:
    // `prefix` is put before every field name in problems ("disks[2].").
    explicit JsonReader(QString prefix = {}) : m_prefix(std::move(prefix)) {}

    void readString(const QJsonObject& json, const QString& key, QString& out);
    void readBool(const QJsonObject& json, const QString& key, bool& out);
    void readInt(const QJsonObject& json, const QString& key, int& out);
    void readInt64(const QJsonObject& json, const QString& key, qint64& out);
    // ISO 8601 text, e.g. "2026-01-01T08:00:00.000Z"; read as UTC.
    void readDateTime(const QJsonObject& json, const QString& key, QDateTime& out);
    void rejectUnknownKeys(const QJsonObject& json, const QSet<QString>& known);

    void fail(const QString& key, const QString& message);
    void merge(const JsonReader& other) { m_problems.append(other.m_problems); }
    bool ok() const { return m_problems.isEmpty(); }
    const QList<FieldProblem>& problems() const { return m_problems; }

    // "the text \"abc\"", "a list", "2.5": how a wrong value is named in a problem.
    static QString describe(const QJsonValue& value);

private:
    bool readInteger(const QJsonObject& json, const QString& key, double lo, double hi, qint64& out);

    QString m_prefix;
    QList<FieldProblem> m_problems;
};

} // namespace dcm
