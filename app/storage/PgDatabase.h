#pragma once

#include <chrono>
#include <functional>
#include <memory>

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <QStringList>
#include <QVariantList>

#include "app/storage/PgLocation.h"
#include "domain/Result.h"

namespace dcm {

// One named QtSql PostgreSQL (QPSQL) connection to a team database: versioned migrations, all missing
// steps in one transaction under an advisory lock (several processes starting at once on a new
// database: one migrates, the others wait and find it done), transactions, PostgreSQL's answers as our
// errors, LISTEN on the channels its owner follows, and the way back after the server went away.
// Create and use it on one thread only (QtSql connections are per thread).
//
// The server going away (restart, network, shutdown) is "database-unreachable"
// (ErrorCode::DatabaseUnreachable), "team queue unreachable (URI): …". The next call opens a new
// connection, no sooner than a backoff (1 s doubling to 30 s) after the last failed try, so a
// fleet does not hammer a server that is starting; until then calls fail at once with the same code.
// A commit whose answer was lost is reported as failed: nothing is acknowledged before the commit.
//
// Error codes (ErrorKind::Storage): "database-unreachable", "database-too-new", "disk-full",
// "psql-driver-missing", and "storage" for anything else PostgreSQL said (SQLSTATE in
// details["sqlstate"]). Connecting can also be refused for good: "database-certificate" (ErrorKind::Trust:
// sslmode=verify-ca/verify-full and a certificate that does not chain to sslrootcert or name the host),
// "no-password" and "database-password-refused" (ErrorKind::Authentication).
class PgDatabase final
{
public:
    using Migration = QStringList;

    static constexpr std::chrono::seconds firstBackoff{1};
    static constexpr std::chrono::seconds longestBackoff{30};

    // Connects, migrates and LISTENs on `channels`. The password comes from `password` (the keychain)
    // when it is not empty, else libpq finds it (PGPASSWORD, PGPASSFILE).
    static Result<std::unique_ptr<PgDatabase>> open(const PgLocation& where, const QList<Migration>& migrations,
                                                    const QStringList& channels = {}, const QString& password = {});
    ~PgDatabase();
    PgDatabase(const PgDatabase&) = delete;
    PgDatabase& operator=(const PgDatabase&) = delete;

    QSqlDatabase database() const { return QSqlDatabase::database(m_connectionName, false); }
    const PgLocation& location() const { return m_where; }
    int schemaVersion() const { return m_schemaVersion; }

    // Runs `work` in one READ COMMITTED transaction; commits when it returns ok, rolls back otherwise.
    // A serialization failure or deadlock runs it again (up to 3 times). The queries `work` makes must be
    // finished (out of scope) when it returns.
    Result<void> transaction(const std::function<Result<void>()>& work);
    // Runs `work` in one REPEATABLE READ, READ ONLY transaction: every query sees one snapshot.
    Result<void> readTransaction(const std::function<Result<void>()>& work);

    // Prepares `sql` (positional '?' placeholders) on `q`, binds `values` in order and runs it.
    Result<void> run(QSqlQuery& q, const QString& what, const QString& sql, const QVariantList& values = {});
    // PostgreSQL's answer as ours, naming this database; a lost connection marks it for reconnecting.
    Error sqlError(const QString& what, const QSqlError& error);

    // True when another session NOTIFYed one of the channels since the last call, and once after a
    // reconnect (what happened while away is not known). Reads what the server has sent without a
    // query: no table is polled.
    Result<bool> notified();

private:
    PgDatabase(QString connectionName, PgLocation where, QStringList channels, QString password);

    Result<void> connect();
    Result<void> ensureConnected();
    Result<void> migrate(const QList<Migration>& migrations);
    Result<void> runTransaction(const QString& begin, const std::function<Result<void>()>& work);
    Error unreachable(const QString& why) const;
    // Why libpq would not connect: a refused certificate (ErrorKind::Trust, "database-certificate"), a
    // missing password (Authentication, "no-password") or a refused one ("database-password-refused"),
    // else unreachable.
    Error refused(const QString& why) const;
    void markLost(const QString& why);
    bool connectionLost() const;

    QString m_connectionName;
    PgLocation m_where;
    QStringList m_channels;
    QString m_password;
    int m_schemaVersion = 0;
    bool m_lost = false;
    bool m_reconnected = false;
    std::chrono::steady_clock::time_point m_retryAt{};
    std::chrono::seconds m_backoff{firstBackoff};
    QString m_lostBecause;
};

} // namespace dcm
