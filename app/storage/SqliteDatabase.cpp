#include "app/storage/SqliteDatabase.h"

#include <QAtomicInteger>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QSqlQuery>

Q_LOGGING_CATEGORY(lcSqlite, "dcm.app.sqlite", QtInfoMsg)

namespace dcm {

namespace {

QAtomicInteger<quint64> s_connectionCounter;

// SQLite primary result codes. Qt's driver turns extended result codes on (SQLITE_BUSY_SNAPSHOT is
// 517, SQLITE_CONSTRAINT_PRIMARYKEY 1555, ...): the primary code is the low byte.
constexpr int sqliteBusy = 5;
constexpr int sqliteLocked = 6;
constexpr int sqliteCorrupt = 11;
constexpr int sqliteNotADatabase = 26;

// FULL as PRAGMA synchronous reports it.
constexpr int synchronousFull = 2;

Error storageError(const QString& code, const QString& message, const QString& path = {})
{
    Error error = Error::make(ErrorKind::Storage, code, message);
    if (!path.isEmpty()) {
        error.details.insert(QStringLiteral("path"), path);
    }
    return error;
}

QString nextConnectionName()
{
    return QStringLiteral("dcm-sqlite-%1").arg(s_connectionCounter.fetchAndAddRelaxed(1));
}

QString connectOptions(std::chrono::milliseconds busyTimeout, bool readOnly)
{
    QString options = QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(busyTimeout.count());
    if (readOnly) {
        options += QStringLiteral(";QSQLITE_OPEN_READONLY");
    }
    return options;
}

Result<QVariant> scalar(const QSqlDatabase& db, const QString& sql)
{
    QSqlQuery q(db);
    if (!q.exec(sql)) {
        return SqliteDatabase::sqlError(sql, q.lastError());
    }
    if (!q.next()) {
        return storageError(QStringLiteral("storage"), QStringLiteral("%1 returned nothing").arg(sql));
    }
    return q.value(0);
}

Error damaged(const QString& path, const QString& why)
{
    return storageError(
        QStringLiteral("database-damaged"),
        QStringLiteral("the request database %1 is damaged (%2); the file was left untouched").arg(path, why), path);
}

// Checks an existing file through a read-only connection before anything may write to it: SQLite
// writes the header when switching to WAL, and a read-write connection checkpoints on close, so a
// damaged file would not stay byte-identical otherwise.
Result<void> checkIntegrity(const QString& path, std::chrono::milliseconds busyTimeout)
{
    const QString name = nextConnectionName();
    Result<void> result;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        db.setConnectOptions(connectOptions(busyTimeout, true));
        if (!db.open()) {
            result = SqliteDatabase::sqlError(QStringLiteral("open"), db.lastError());
        } else {
            QSqlQuery q(db);
            q.setForwardOnly(true);
            if (!q.exec(QStringLiteral("PRAGMA quick_check(5)"))) {
                result = SqliteDatabase::sqlError(QStringLiteral("quick_check"), q.lastError());
                if (result.error().is(ErrorCode::DatabaseDamaged)) {
                    result = damaged(path, q.lastError().databaseText());
                }
            } else {
                QStringList problems;
                while (q.next()) {
                    problems.append(q.value(0).toString());
                }
                if (problems != QStringList{QStringLiteral("ok")}) {
                    result = damaged(path, problems.join(QStringLiteral("; ")));
                }
            }
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return result;
}

} // namespace

Error SqliteDatabase::sqlError(const QString& what, const QSqlError& error)
{
    bool numeric = false;
    const int native = error.nativeErrorCode().toInt(&numeric);
    const int primary = numeric ? (native & 0xff) : -1;
    Error result;
    if (primary == sqliteBusy || primary == sqliteLocked) {
        result = storageError(QStringLiteral("database-locked"),
                              QStringLiteral("the request database is locked by another process (%1: %2)")
                                  .arg(what, error.databaseText()));
    } else if (primary == sqliteCorrupt || primary == sqliteNotADatabase) {
        result =
            storageError(QStringLiteral("database-damaged"),
                         QStringLiteral("the request database is damaged (%1: %2)").arg(what, error.databaseText()));
    } else {
        result =
            storageError(QStringLiteral("storage"), QStringLiteral("database error in %1: %2").arg(what, error.text()));
    }
    if (numeric) {
        result.details.insert(QStringLiteral("sqliteCode"), native);
    }
    return result;
}

SqliteDatabase::SqliteDatabase(QString connectionName, QString path)
    : m_connectionName(std::move(connectionName)), m_path(std::move(path))
{}

SqliteDatabase::~SqliteDatabase()
{
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        if (db.isOpen()) {
            db.close();
        }
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

Result<std::unique_ptr<SqliteDatabase>> SqliteDatabase::open(const QString& path, const QList<Migration>& migrations,
                                                             std::chrono::milliseconds busyTimeout)
{
    const QFileInfo info(path);
    if (!QDir().mkpath(info.absolutePath())) {
        return storageError(QStringLiteral("database-unwritable"),
                            QStringLiteral("cannot create the folder %1").arg(info.absolutePath()), path);
    }
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE"))) {
        return storageError(QStringLiteral("sqlite-driver-missing"),
                            QStringLiteral("Qt's SQLite driver is not installed (package libqt6sql6-sqlite)"));
    }
    const QString absolutePath = info.absoluteFilePath();
    // An empty file is an empty database to SQLite: nothing to check, nothing to lose.
    if (info.exists() && info.size() > 0) {
        if (auto checked = checkIntegrity(absolutePath, busyTimeout); !checked) {
            qCWarning(lcSqlite) << "not opening" << absolutePath << ":" << checked.error().message;
            return checked.error();
        }
    }

    std::unique_ptr<SqliteDatabase> self(new SqliteDatabase(nextConnectionName(), absolutePath));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), self->m_connectionName);
        db.setDatabaseName(absolutePath);
        db.setConnectOptions(connectOptions(busyTimeout, false));
        if (!db.open()) {
            return sqlError(QStringLiteral("open"), db.lastError());
        }

        // WAL persists in the file once set, but a file made by another tool may still be in rollback
        // mode, and SQLite answers with the mode it actually uses.
        auto mode = scalar(db, QStringLiteral("PRAGMA journal_mode=WAL"));
        if (!mode) {
            return mode.error();
        }
        if (mode.value().toString().compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0) {
            return storageError(QStringLiteral("database-journal"),
                                QStringLiteral("SQLite refused WAL mode for %1 (it said '%2')")
                                    .arg(absolutePath, mode.value().toString()),
                                absolutePath);
        }
        // FULL, not NORMAL: in WAL mode NORMAL may lose the last commits on power loss.
        for (const QString& pragma :
             {QStringLiteral("PRAGMA synchronous=FULL"), QStringLiteral("PRAGMA foreign_keys=ON")}) {
            QSqlQuery q(db);
            if (!q.exec(pragma)) {
                return sqlError(pragma, q.lastError());
            }
        }
        auto synchronous = scalar(db, QStringLiteral("PRAGMA synchronous"));
        if (!synchronous) {
            return synchronous.error();
        }
        if (synchronous.value().toInt() != synchronousFull) {
            return storageError(QStringLiteral("database-journal"),
                                QStringLiteral("SQLite kept synchronous=%1 for %2 instead of FULL")
                                    .arg(synchronous.value().toString(), absolutePath),
                                absolutePath);
        }

        auto version = scalar(db, QStringLiteral("PRAGMA user_version"));
        if (!version) {
            return version.error();
        }
        self->m_schemaVersion = version.value().toInt();
    }
    const int latest = int(migrations.size());
    if (self->m_schemaVersion > latest) {
        return storageError(QStringLiteral("database-too-new"),
                            QStringLiteral("the request database %1 has schema version %2, newer than this program "
                                           "understands (%3)")
                                .arg(absolutePath)
                                .arg(self->m_schemaVersion)
                                .arg(latest),
                            absolutePath);
    }
    if (self->m_schemaVersion < latest) {
        const int from = self->m_schemaVersion;
        auto migrated = self->transaction([&]() -> Result<void> {
            const QSqlDatabase db = self->database();
            // Read again under the write lock: another process may have migrated since we looked.
            auto current = scalar(db, QStringLiteral("PRAGMA user_version"));
            if (!current) {
                return current.error();
            }
            for (int step = current.value().toInt(); step < latest; ++step) {
                for (const QString& statement : migrations.at(step)) {
                    QSqlQuery q(db);
                    if (!q.exec(statement)) {
                        return sqlError(QStringLiteral("migration to version %1").arg(step + 1), q.lastError());
                    }
                }
            }
            QSqlQuery q(db);
            if (!q.exec(QStringLiteral("PRAGMA user_version=%1").arg(latest))) {
                return sqlError(QStringLiteral("user_version"), q.lastError());
            }
            return {};
        });
        if (!migrated) {
            return migrated.error();
        }
        qCInfo(lcSqlite) << "migrated" << absolutePath << "from schema" << from << "to" << latest;
        self->m_schemaVersion = latest;
    }
    return self;
}

Result<QVariant> SqliteDatabase::pragma(const QString& name) const
{
    static const QRegularExpression identifier(QStringLiteral("^[a-z_]+$"));
    if (!identifier.match(name).hasMatch()) {
        return Error::make(ErrorKind::Internal, QStringLiteral("invalid-argument"),
                           QStringLiteral("not a pragma name: %1").arg(name));
    }
    return scalar(database(), QStringLiteral("PRAGMA ") + name);
}

Result<void> SqliteDatabase::transaction(const std::function<Result<void>()>& work)
{
    return runTransaction(QStringLiteral("BEGIN IMMEDIATE"), work);
}

Result<void> SqliteDatabase::readTransaction(const std::function<Result<void>()>& work)
{
    return runTransaction(QStringLiteral("BEGIN DEFERRED"), work);
}

Result<void> SqliteDatabase::runTransaction(const QString& begin, const std::function<Result<void>()>& work)
{
    const QSqlDatabase db = database();
    {
        QSqlQuery q(db);
        if (!q.exec(begin)) {
            return sqlError(QStringLiteral("begin"), q.lastError());
        }
    }
    const Result<void> result = work();
    QSqlQuery end(db);
    if (!result) {
        // SQLite may already have rolled back on its own (e.g. after SQLITE_FULL); then this fails harmlessly.
        end.exec(QStringLiteral("ROLLBACK"));
        return result;
    }
    if (!end.exec(QStringLiteral("COMMIT"))) {
        const Error error = sqlError(QStringLiteral("commit"), end.lastError());
        QSqlQuery(db).exec(QStringLiteral("ROLLBACK"));
        return error;
    }
    return {};
}

Result<QString> SqliteDatabase::setAside(const QString& path)
{
    const QString stamp = QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss-zzz"));
    const QString target = path + QStringLiteral(".damaged-") + stamp;
    // The -wal first: left behind, it would be replayed into whatever database is created at `path`
    // next (SQLite matches WAL frames against the WAL header, not against the database file).
    QStringList moved;
    for (const QString& suffix : {QStringLiteral("-wal"), QStringLiteral("-shm"), QString()}) {
        const QString from = path + suffix;
        if (!suffix.isEmpty() && !QFile::exists(from)) {
            continue;
        }
        if (!QFile::rename(from, target + suffix)) {
            for (const QString& done : std::as_const(moved)) {
                QFile::rename(target + done, path + done);
            }
            return storageError(QStringLiteral("database-set-aside"),
                                QStringLiteral("cannot move %1 aside to %2").arg(from, target + suffix), path);
        }
        moved.append(suffix);
    }
    qCWarning(lcSqlite) << "moved the damaged database" << path << "aside to" << target;
    return target;
}

} // namespace dcm
