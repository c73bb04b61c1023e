#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QSqlQuery>
#include <QString>
#include <QUuid>
#include <QVariant>
#include <QVariantList>

#include "domain/Result.h"

namespace dcm {

class SqliteDatabase;

// Small helpers the store's SQL shares: how values are bound and read back (times as UTC epoch
// milliseconds, so that SQL compares them; empty text as NULL), and one way to run a statement.
namespace sqlite {

QString idText(const QUuid& id);
QVariant msOrNull(const QDateTime& at);
QDateTime dateAt(const QSqlQuery& q, int column);
QVariant textOrNull(const QString& text);
// A NOT NULL text column: Qt binds a null QString as SQL NULL.
QString nonNull(const QString& text);
QString jsonText(const QJsonObject& json);
// A JSON object from stored UTF-8, or why not (message only; the caller says what was unreadable).
Result<QJsonObject> parseObject(const QByteArray& utf8);
// "?, ?, ?"
QString placeholders(qsizetype count);
// A caller's mistake (ErrorKind::Internal, "invalid-argument").
Error invalidArgument(const QString& message);

// Prepares `sql` on `q`, binds `values` in order and runs it, forward only; `what` names the operation
// in errors, which name the database too.
Result<void> run(const SqliteDatabase& db, QSqlQuery& q, const QString& what, const QString& sql,
                 const QVariantList& values = {});

} // namespace sqlite

} // namespace dcm
