#pragma once

#include <chrono>
#include <functional>
#include <memory>

#include <QList>
#include <QSqlDatabase>
#include <QSqlError>
#include <QString>
#include <QStringList>
#include <QVariant>

#include "domain/Result.h"

namespace dcm {

// One named QtSql SQLite connection, opened for durability: WAL with synchronous=FULL (a commit is
// on disk before we tell anyone it happened), a busy timeout for other processes on the same file,
// an integrity check, and cumulative `user_version` migrations applied in one transaction.
// A damaged file is reported and never written to; setAside() moves it out of the way on request.
// Create and use it on one thread only (QtSql connections are per thread).
//
// Error codes (ErrorKind::Storage): "database-damaged", "database-locked" (another process kept the
// write lock past the busy timeout), "database-too-new", "database-unwritable", "sqlite-driver-missing",
// "database-journal", and "storage" for anything else the database said.
class SqliteDatabase final
{
public:
    // One migration step brings the schema from version i to i+1. Steps are never edited once shipped.
    using Migration = QStringList;

    ~SqliteDatabase();
    SqliteDatabase(const SqliteDatabase&) = delete;
    SqliteDatabase& operator=(const SqliteDatabase&) = delete;

    static Result<std::unique_ptr<SqliteDatabase>> open(const QString& path, const QList<Migration>& migrations,
                                                        std::chrono::milliseconds busyTimeout);
    // Renames a damaged database (and its -wal/-shm) to "<path>.damaged-<UTC time>"; returns the new name.
    static Result<QString> setAside(const QString& path);

    QSqlDatabase database() const { return QSqlDatabase::database(m_connectionName, false); }
    QString path() const { return m_path; }
    int schemaVersion() const { return m_schemaVersion; }

    // Reads a pragma back ("journal_mode", "synchronous", ...): what is in force, not what was asked for.
    Result<QVariant> pragma(const QString& name) const;

    // Runs `work` in one IMMEDIATE transaction (taking the write lock up front, so two processes
    // never deadlock upgrading read locks); commits when it returns ok, rolls back otherwise.
    // The queries `work` makes must be finished (out of scope) when it returns.
    Result<void> transaction(const std::function<Result<void>()>& work);
    // Runs `work` in one read transaction: every query in it sees the same snapshot, and in WAL mode
    // it neither waits for writers nor blocks them.
    Result<void> readTransaction(const std::function<Result<void>()>& work);

    static Error sqlError(const QString& what, const QSqlError& error);

private:
    SqliteDatabase(QString connectionName, QString path);

    Result<void> runTransaction(const QString& begin, const std::function<Result<void>()>& work);

    QString m_connectionName;
    QString m_path;
    int m_schemaVersion = 0;
};

} // namespace dcm
