#include "app/storage/SqliteMigrations.h"

#include <QLoggingCategory>
#include <QSqlQuery>

#include "app/storage/SqliteDatabase.h"

Q_LOGGING_CATEGORY(lcMigrations, "dcm.app.sqlite.migrations", QtInfoMsg)

namespace dcm {

namespace {

Result<int> userVersion(const SqliteDatabase& db)
{
    QSqlQuery q(db.database());
    if (!q.exec(QStringLiteral("PRAGMA user_version")) || !q.next()) {
        return db.sqlError(QStringLiteral("user_version"), q.lastError());
    }
    return q.value(0).toInt();
}

Error tooNew(const QString& path, int version, int latest)
{
    Error error = Error::make(ErrorKind::Storage, QStringLiteral("database-too-new"),
                              QStringLiteral("the request database %1 has schema version %2, newer than this program "
                                             "understands (%3)")
                                  .arg(path)
                                  .arg(version)
                                  .arg(latest));
    error.details.insert(QStringLiteral("path"), path);
    return error;
}

} // namespace

Result<int> SqliteMigrations::apply(SqliteDatabase& db, const QList<QStringList>& steps)
{
    const int latest = int(steps.size());
    auto version = userVersion(db);
    if (!version) {
        return version.error();
    }
    if (version.value() > latest) {
        return tooNew(db.path(), version.value(), latest);
    }
    if (version.value() == latest) {
        return latest;
    }
    int from = version.value();
    auto migrated = db.transaction([&]() -> Result<void> {
        // Read again under the write lock: another process may have migrated since we looked.
        auto current = userVersion(db);
        if (!current) {
            return current.error();
        }
        if (current.value() > latest) {
            return tooNew(db.path(), current.value(), latest);
        }
        from = current.value();
        const QSqlDatabase conn = db.database();
        for (int step = from; step < latest; ++step) {
            for (const QString& statement : steps.at(step)) {
                QSqlQuery q(conn);
                if (!q.exec(statement)) {
                    return db.sqlError(QStringLiteral("migration to version %1").arg(step + 1), q.lastError());
                }
            }
        }
        QSqlQuery q(conn);
        if (!q.exec(QStringLiteral("PRAGMA user_version=%1").arg(latest))) {
            return db.sqlError(QStringLiteral("user_version"), q.lastError());
        }
        return {};
    });
    if (!migrated) {
        return migrated.error();
    }
    if (from < latest) {
        qCInfo(lcMigrations) << "migrated" << db.path() << "from schema" << from << "to" << latest;
    }
    return latest;
}

} // namespace dcm
