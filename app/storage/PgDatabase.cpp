#include "app/storage/PgDatabase.h"

#include <algorithm>
#include <atomic>

#include <QLoggingCategory>
#include <QSqlDriver>
#include <QVariant>

#include <libpq-fe.h>

Q_LOGGING_CATEGORY(lcPg, "dcm.app.store.pg", QtInfoMsg)

namespace dcm {

namespace {

// The advisory lock that serialises migrations of one database: any constant no other program uses.
constexpr qint64 s_migrationLock = 0x64636d5f736368; // "dcm_sch"

std::atomic<int> s_connections{0};

bool isConnectionState(const QString& sqlstate)
{
    // 08xxx: connection exceptions; 57P01..03: the server is shutting down or starting.
    return sqlstate.startsWith(QLatin1String("08")) || sqlstate == QLatin1String("57P01") ||
           sqlstate == QLatin1String("57P02") || sqlstate == QLatin1String("57P03");
}

// libpq's connection under a QPSQL connection; null when there is none. Qt names its type after the
// struct behind libpq's typedef ("pg_conn*"); older builds said "PGconn*".
PGconn* libpqConnection(const QSqlDatabase& db)
{
    if (!db.isValid() || !db.driver())
        return nullptr;
    QVariant handle = db.driver()->handle();
    if (!handle.isValid() ||
        (qstrcmp(handle.typeName(), "pg_conn*") != 0 && qstrcmp(handle.typeName(), "PGconn*") != 0))
        return nullptr;
    return *static_cast<PGconn**>(handle.data());
}

bool isRetryable(const Error& error)
{
    const QString state = error.details.value(QStringLiteral("sqlstate")).toString();
    return state == QLatin1String("40001") || state == QLatin1String("40P01");
}

} // namespace

PgDatabase::PgDatabase(QString connectionName, PgLocation where, QStringList channels, QString password)
    : m_connectionName(std::move(connectionName)), m_where(std::move(where)), m_channels(std::move(channels)),
      m_password(std::move(password))
{}

PgDatabase::~PgDatabase()
{
    {
        QSqlDatabase db = database();
        if (db.isValid())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

Result<std::unique_ptr<PgDatabase>> PgDatabase::open(const PgLocation& where, const QList<Migration>& migrations,
                                                     const QStringList& channels, const QString& password)
{
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL"))) {
        return Error::make(ErrorKind::Storage, QStringLiteral("psql-driver-missing"),
                           QStringLiteral("Qt's PostgreSQL driver (QPSQL) is not installed; install libqt6sql6-psql "
                                          "to use a team database"));
    }
    const QString name = QStringLiteral("dcm-pg-%1").arg(++s_connections);
    std::unique_ptr<PgDatabase> db(new PgDatabase(name, where, channels, password));
    {
        QSqlDatabase handle = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
        if (!where.host.isEmpty())
            handle.setHostName(where.host);
        if (where.port > 0)
            handle.setPort(where.port);
        handle.setDatabaseName(where.database);
        if (!where.user.isEmpty())
            handle.setUserName(where.user);
        if (!password.isEmpty())
            handle.setPassword(password);
        handle.setConnectOptions(where.connectOptions);
    }
    if (auto connected = db->connect(); !connected)
        return connected.error();
    if (auto migrated = db->migrate(migrations); !migrated)
        return migrated.error();
    return db;
}

Result<void> PgDatabase::connect()
{
    QSqlDatabase db = database();
    if (db.isOpen())
        db.close();
    if (!db.open()) {
        const QString why = db.lastError().text().trimmed();
        db.close();
        return refused(why);
    }
    for (const QString& channel : std::as_const(m_channels)) {
        QSqlQuery q(db);
        // Channel names are ours (identifiers), never user input.
        if (!q.exec(QStringLiteral("LISTEN %1").arg(channel)))
            return sqlError(QStringLiteral("listen"), q.lastError());
    }
    return {};
}

Error PgDatabase::unreachable(const QString& why) const
{
    Error error =
        Error::make(ErrorKind::Storage, ErrorCode::DatabaseUnreachable,
                    QStringLiteral("team queue unreachable (%1): %2").arg(m_where.display(), why.simplified()));
    error.details.insert(QStringLiteral("database"), m_where.display());
    return error;
}

Error PgDatabase::refused(const QString& why) const
{
    // libpq's words are the only signal; they name the host and the user, never a password. A refused
    // certificate or password is not "unreachable": trying again will not help, the operator must act.
    const QString text = why.simplified();
    Error error;
    if (text.contains(QLatin1String("certificate"), Qt::CaseInsensitive)) {
        error = Error::make(
            ErrorKind::Trust, QStringLiteral("database-certificate"),
            QStringLiteral("team queue refused (%1): the server's TLS certificate was not accepted "
                           "(sslmode=%2): %3")
                .arg(m_where.display(), m_where.sslmode.isEmpty() ? QStringLiteral("prefer") : m_where.sslmode, text));
    } else if (text.contains(QLatin1String("no password supplied"), Qt::CaseInsensitive)) {
        error = Error::make(ErrorKind::Authentication, ErrorCode::NoPassword,
                            QStringLiteral("team queue %1 asks for a password and none was found (keychain, "
                                           "PGPASSWORD, PGPASSFILE)")
                                .arg(m_where.display()));
    } else if (text.contains(QLatin1String("password authentication failed"), Qt::CaseInsensitive)) {
        error = Error::make(ErrorKind::Authentication, QStringLiteral("database-password-refused"),
                            QStringLiteral("team queue %1 refused the password: %2").arg(m_where.display(), text));
    } else {
        return unreachable(why);
    }
    error.details.insert(QStringLiteral("database"), m_where.display());
    return error;
}

bool PgDatabase::connectionLost() const
{
    const QSqlDatabase db = database();
    if (!db.isValid() || !db.isOpen())
        return true;
    PGconn* conn = libpqConnection(db);
    return conn == nullptr || PQstatus(conn) == CONNECTION_BAD;
}

void PgDatabase::markLost(const QString& why)
{
    if (m_lost)
        return;
    m_lost = true;
    m_lostBecause = why;
    m_retryAt = std::chrono::steady_clock::now(); // the first try at once: a restart is often quick
    m_backoff = firstBackoff;
    qCWarning(lcPg).noquote()
        << QStringLiteral("team queue unreachable (%1): %2; reconnecting with backoff").arg(m_where.display(), why);
}

Result<void> PgDatabase::ensureConnected()
{
    if (!m_lost)
        return {};
    const auto now = std::chrono::steady_clock::now();
    if (now < m_retryAt) {
        const auto wait = std::chrono::duration_cast<std::chrono::seconds>(m_retryAt - now).count() + 1;
        return unreachable(QStringLiteral("%1; trying again in %2 s").arg(m_lostBecause).arg(wait));
    }
    if (auto connected = connect(); !connected) {
        m_lostBecause = connected.error().message;
        m_retryAt = std::chrono::steady_clock::now() + m_backoff;
        m_backoff = std::min(m_backoff * 2, std::chrono::seconds(longestBackoff));
        return connected;
    }
    m_lost = false;
    m_reconnected = true;
    m_backoff = firstBackoff;
    qCInfo(lcPg).noquote() << QStringLiteral("team queue reachable again (%1)").arg(m_where.display());
    return {};
}

Error PgDatabase::sqlError(const QString& what, const QSqlError& error)
{
    const QString sqlstate = error.nativeErrorCode();
    const QString text = error.text().simplified(); // libpq's messages span lines; a log line must not
    if (error.type() == QSqlError::ConnectionError || isConnectionState(sqlstate) || connectionLost()) {
        markLost(text);
        Error lost = unreachable(QStringLiteral("%1: %2").arg(what, text));
        lost.details.insert(QStringLiteral("sqlstate"), sqlstate);
        return lost;
    }
    Error mapped = sqlstate == QLatin1String("53100")
                       ? Error::make(ErrorKind::Storage, ErrorCode::DiskFull,
                                     QStringLiteral("the team database (%1) has no disk space left: nothing was "
                                                    "written, everything stored is safe")
                                         .arg(m_where.display()))
                       : Error::make(ErrorKind::Storage, QStringLiteral("storage"),
                                     QStringLiteral("%1 failed on %2: %3").arg(what, m_where.display(), text));
    mapped.details.insert(QStringLiteral("sqlstate"), sqlstate);
    mapped.details.insert(QStringLiteral("database"), m_where.display());
    return mapped;
}

Result<void> PgDatabase::run(QSqlQuery& q, const QString& what, const QString& sql, const QVariantList& values)
{
    // Without values, one round trip and no server-side statement (PREPARE cannot take DDL either).
    if (values.isEmpty()) {
        if (!q.exec(sql))
            return sqlError(what, q.lastError());
        return {};
    }
    if (!q.prepare(sql))
        return sqlError(what, q.lastError());
    for (const QVariant& value : values)
        q.addBindValue(value);
    if (!q.exec())
        return sqlError(what, q.lastError());
    return {};
}

Result<void> PgDatabase::runTransaction(const QString& begin, const std::function<Result<void>()>& work)
{
    for (int attempt = 1;; ++attempt) {
        if (auto up = ensureConnected(); !up)
            return up;
        const QSqlDatabase db = database();
        {
            QSqlQuery q(db);
            if (!q.exec(begin))
                return sqlError(QStringLiteral("begin"), q.lastError());
        }
        Result<void> done = work();
        if (done) {
            QSqlQuery q(db);
            if (q.exec(QStringLiteral("COMMIT")))
                return {};
            done = sqlError(QStringLiteral("commit"), q.lastError());
        }
        if (!connectionLost()) {
            QSqlQuery q(db);
            (void)q.exec(QStringLiteral("ROLLBACK"));
        }
        if (attempt >= 3 || !isRetryable(done.error()))
            return done;
    }
}

Result<void> PgDatabase::transaction(const std::function<Result<void>()>& work)
{
    return runTransaction(QStringLiteral("BEGIN"), work);
}

Result<void> PgDatabase::readTransaction(const std::function<Result<void>()>& work)
{
    return runTransaction(QStringLiteral("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"), work);
}

Result<bool> PgDatabase::notified()
{
    if (auto up = ensureConnected(); !up)
        return up.error();
    PGconn* conn = libpqConnection(database());
    if (conn == nullptr || PQconsumeInput(conn) == 0) {
        markLost(conn ? QString::fromLocal8Bit(PQerrorMessage(conn)).trimmed() : QStringLiteral("no connection"));
        return unreachable(m_lostBecause);
    }
    bool others = std::exchange(m_reconnected, false);
    const int self = PQbackendPID(conn);
    while (PGnotify* note = PQnotifies(conn)) {
        if (note->be_pid != self)
            others = true;
        PQfreemem(note);
    }
    return others;
}

Result<void> PgDatabase::migrate(const QList<Migration>& migrations)
{
    const QSqlDatabase db = database();
    const auto readVersion = [&](int& version) -> Result<void> {
        QSqlQuery q(db);
        // pg_tables through the statement's snapshot, not to_regclass(): a name lookup may answer from
        // a catalog cache that the advisory lock does not refresh, and miss a table committed while
        // this session waited for the lock.
        if (auto ran = run(q, QStringLiteral("read schema version"),
                           QStringLiteral("SELECT count(*) FROM pg_catalog.pg_tables"
                                          " WHERE schemaname = current_schema() AND tablename = 'dcm_schema'"));
            !ran)
            return ran;
        const bool missing = q.next() && q.value(0).toInt() == 0;
        q.finish();
        if (missing) {
            version = 0;
            return {};
        }
        QSqlQuery v(db);
        if (auto ran = run(v, QStringLiteral("read schema version"), QStringLiteral("SELECT version FROM dcm_schema"));
            !ran)
            return ran;
        version = v.next() ? v.value(0).toInt() : 0;
        return {};
    };
    const auto tooNew = [&](int version) {
        return Error::make(ErrorKind::Storage, QStringLiteral("database-too-new"),
                           QStringLiteral("the team database %1 has schema version %2; this program knows up to %3: "
                                          "update it")
                               .arg(m_where.display())
                               .arg(version)
                               .arg(migrations.size()));
    };
    int version = 0;
    if (auto read = readVersion(version); !read)
        return read;
    if (version == migrations.size()) {
        m_schemaVersion = version;
        return {};
    }
    if (version > migrations.size())
        return tooNew(version);
    // Several processes may start at once on a new database: the advisory lock lets one migrate while
    // the others wait, and they read the version again once they hold it.
    return transaction([&]() -> Result<void> {
        {
            QSqlQuery q(db);
            if (auto ran = run(q, QStringLiteral("lock for migration"),
                               QStringLiteral("SELECT pg_advisory_xact_lock(%1)").arg(s_migrationLock));
                !ran)
                return ran;
        }
        int current = 0;
        if (auto read = readVersion(current); !read)
            return read;
        if (current > migrations.size())
            return tooNew(current);
        if (current == 0) {
            QSqlQuery q(db);
            if (auto ran = run(q, QStringLiteral("migrate"),
                               QStringLiteral("CREATE TABLE IF NOT EXISTS dcm_schema (version integer NOT NULL)"));
                !ran)
                return ran;
            QSqlQuery i(db);
            if (auto ran = run(i, QStringLiteral("migrate"),
                               QStringLiteral("INSERT INTO dcm_schema (version) SELECT 0"
                                              " WHERE NOT EXISTS (SELECT 1 FROM dcm_schema)"));
                !ran)
                return ran;
        }
        for (int step = current; step < migrations.size(); ++step) {
            for (const QString& statement : migrations[step]) {
                QSqlQuery q(db);
                if (!q.exec(statement))
                    return sqlError(QStringLiteral("migrate to version %1").arg(step + 1), q.lastError());
            }
        }
        QSqlQuery q(db);
        if (auto ran = run(q, QStringLiteral("migrate"), QStringLiteral("UPDATE dcm_schema SET version = ?"),
                           {int(migrations.size())});
            !ran)
            return ran;
        if (current != migrations.size())
            qCInfo(lcPg).noquote() << QStringLiteral("team database %1 migrated from schema %2 to %3")
                                          .arg(m_where.display())
                                          .arg(current)
                                          .arg(migrations.size());
        m_schemaVersion = int(migrations.size());
        return {};
    });
}

} // namespace dcm
