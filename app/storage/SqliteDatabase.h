#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

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
// an integrity check, and cumulative `user_version` migrations (SqliteMigrations).
// A damaged file is reported and never written to; setAside() moves it out of the way on request.
// Create and use it on one thread only (QtSql connections are per thread).
//
// The files: see SqliteFiles (owner-only folders and database, opening problems named with path and
// reason). A full disk: see SqliteErrors; the WAL is bounded (wal_autocheckpoint, journal_size_limit),
// and after a transaction failed for lack of space the connection checkpoints again before its next
// write until that succeeds, so a running store works again by itself once space is freed.
//
// Error codes (ErrorKind::Storage): "database-damaged", "database-locked" (another process kept the
// write lock past the busy timeout), "database-too-new", "database-unwritable", "disk-full",
// "sqlite-driver-missing", "database-journal", and "storage" for anything else the database said.
class SqliteDatabase final
{
public:
    // One migration step brings the schema from version i to i+1. Steps are never edited once shipped.
    using Migration = QStringList;

    // The WAL is checkpointed into the database every this many pages (SQLite's default, made explicit)
    // and cut back to walSizeLimitBytes after a checkpoint, so a burst does not keep its disk space.
    static constexpr int walAutocheckpointPages = 1000;
    static constexpr qint64 walSizeLimitBytes = 4 * 1024 * 1024;

    ~SqliteDatabase();
    SqliteDatabase(const SqliteDatabase&) = delete;
    SqliteDatabase& operator=(const SqliteDatabase&) = delete;

    // `countStored` is a query of one number — how many requests the file holds — for the disk-full
    // sentence ("N requests are safe"); empty: not counted.
    static Result<std::unique_ptr<SqliteDatabase>> open(const QString& path, const QList<Migration>& migrations,
                                                        std::chrono::milliseconds busyTimeout,
                                                        const QString& countStored = {});
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
    // transaction(), committed without waiting for its own sync (synchronous=NORMAL for this one commit,
    // FULL again right after): in WAL mode the commit is in the log, visible to every connection and
    // safe from the process dying, and the next FULL commit's sync of the log makes it durable too. Only
    // for the writes RequestStorePort allows Durability::Relaxed.
    Result<void> relaxedTransaction(const std::function<Result<void>()>& work);
    // Runs `work` in one read transaction: every query in it sees the same snapshot, and in WAL mode
    // it neither waits for writers nor blocks them.
    Result<void> readTransaction(const std::function<Result<void>()>& work);

    // SQLite's error as ours, naming this database (see SqliteErrors).
    Error sqlError(const QString& what, const QSqlError& error) const;

    // True while a checkpoint is owed: a transaction failed for lack of space and no checkpoint has
    // succeeded since. The next transaction tries again first.
    bool isCheckpointDue() const { return m_checkpointDue; }

private:
    SqliteDatabase(QString connectionName, QString path, QString countStored);

    Result<void> runTransaction(const QString& begin, const std::function<Result<void>()>& work, bool relaxed = false);
    // Sets synchronous=FULL back if a relaxed commit left it owed.
    Result<void> restoreFullSync();
    // Turns a "disk-full" error into the operator's sentence with the number of requests stored, and
    // owes a checkpoint; other errors pass unchanged.
    Error settle(const Error& error);
    std::optional<qint64> countStored() const;
    void checkpoint();

    QString m_connectionName;
    QString m_path;
    QString m_countStored;
    int m_schemaVersion = 0;
    bool m_checkpointDue = false;
    // synchronous=FULL could not be set back after a relaxed commit: no transaction runs until it is.
    bool m_restoreFullSync = false;
};

} // namespace dcm
