#include "app/storage/SqliteSql.h"

#include <QJsonDocument>
#include <QStringList>

#include "app/storage/SqliteDatabase.h"

namespace dcm::sqlite {

QString idText(const QUuid& id)
{
    return id.toString(QUuid::WithoutBraces);
}

QVariant msOrNull(const QDateTime& at)
{
    return at.isValid() ? QVariant(at.toMSecsSinceEpoch()) : QVariant();
}

QDateTime dateAt(const QSqlQuery& q, int column)
{
    return q.isNull(column) ? QDateTime() : QDateTime::fromMSecsSinceEpoch(q.value(column).toLongLong(), Qt::UTC);
}

QVariant textOrNull(const QString& text)
{
    return text.isEmpty() ? QVariant() : QVariant(text);
}

QString nonNull(const QString& text)
{
    return text.isNull() ? QStringLiteral("") : text;
}

QString jsonText(const QJsonObject& json)
{
    return QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Compact));
}

Result<QJsonObject> parseObject(const QByteArray& utf8)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(utf8, &parseError);
    if (!doc.isObject()) {
        return Error::make(ErrorKind::Storage, QStringLiteral("corrupt-json"),
                           parseError.error == QJsonParseError::NoError
                               ? QStringLiteral("not a JSON object")
                               : QStringLiteral("%1 at byte %2").arg(parseError.errorString()).arg(parseError.offset));
    }
    return doc.object();
}

QString placeholders(qsizetype count)
{
    QStringList marks;
    marks.fill(QStringLiteral("?"), count);
    return marks.join(QStringLiteral(", "));
}

Error invalidArgument(const QString& message)
{
    return Error::make(ErrorKind::Internal, QStringLiteral("invalid-argument"), message);
}

Result<void> run(const SqliteDatabase& db, QSqlQuery& q, const QString& what, const QString& sql,
                 const QVariantList& values)
{
    q.setForwardOnly(true);
    if (!q.prepare(sql)) {
        return db.sqlError(what, q.lastError());
    }
    for (const QVariant& value : values) {
        q.addBindValue(value);
    }
    if (!q.exec()) {
        return db.sqlError(what, q.lastError());
    }
    return {};
}

} // namespace dcm::sqlite
