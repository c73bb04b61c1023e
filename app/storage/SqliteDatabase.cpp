#include "app/storage/SqliteDatabase.h"

#include <QAtomicInteger>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QSqlQuery>

#include "app/storage/SqliteErrors.h"
#include "app/storage/SqliteFiles.h"
#include "app/storage/SqliteMigrations.h"

Q_LOGGING_CATEGORY(lcSqlite, "dcm.app.sqlite", QtInfoMsg)

namespace dcm {

namespace {

QAtomicInteger<quint64> s_connectionCounter;

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

Result<QVariant> scalar(const QSqlDatabase& db, const QString& sql, const QString& path)
{
    QSqlQuery q(db);
    if (!q.exec(sql)) {
        return SqliteErrors::fromSql(sql, q.lastError(), path);
    }
    if (!q.next()) {
        return storageError(QStringLiteral("storage"), QStringLiteral("%1 returned nothing").arg(sql), path);
    }
    return q.value(0);
}

Error damaged(const QString& path, const QString& why)
{
    return storageError(
        QStringLiteral("database-damaged"),
        QStringLiteral("the request database %1 is damaged (%2); the file was left untouched").arg(path, why), path);
}

// A connection of its own for one job, closed and removed when it goes.
class ScratchConnection final
{
public:
    ScratchConnection(const QString& path, const QString& options) : m_name(nextConnectionName())
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(path);
        db.setConnectOptions(options);
        m_open = db.open();
        if (!m_open) {
            m_openError = db.lastError();
        }
    }
    ~ScratchConnection()
    {
        {
            QSqlDatabase db = QSqlDatabase::database(m_name, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(m_name);
    }
    ScratchConnection(const ScratchConnection&) = delete;
    ScratchConnection& operator=(const ScratchConnection&) = delete;

    bool isOpen() const { return m_open; }
    QSqlError openError() const { return m_openError; }
    QSqlDatabase db() const { return QSqlDatabase::database(m_name, false); }

private:
    QString m_name;
    bool m_open = false;
    QSqlError m_openError;
};

// Checks an existing file through a read-only connection before anything may write to it: SQLite
// writes the header when switching to WAL, and a read-write connection checkpoints on close, so a
// damaged file would not stay byte-identical otherwise.
Result<void> checkIntegrity(const QString& path, std::chrono::milliseconds busyTimeout)
{
    ScratchConnection connection(path, connectOptions(busyTimeout, true));
    if (!connection.isOpen()) {
        return SqliteErrors::fromSql(QStringLiteral("open"), connection.openError(), path);
    }
    QSqlQuery q(connection.db());
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("PRAGMA quick_check(5)"))) {
        const Error error = SqliteErrors::fromSql(QStringLiteral("quick_check"), q.lastError(), path);
        return error.is(ErrorCode::DatabaseDamaged) ? damaged(path, q.lastError().databaseText()) : error;
    }
    QStringList problems;
    while (q.next()) {
        problems.append(q.value(0).toString());
    }
    if (problems != QStringList{QStringLiteral("ok")}) {
        return damaged(path, problems.join(QStringLiteral("; ")));
    }
    return {};
}

// Counts the stored requests of a database whose disk is too full for SQLite to create its -shm, which
// every WAL reader needs: in EXCLUSIVE locking mode SQLite keeps that index in its own memory instead.
// Only when the -wal is empty: then closing has nothing to checkpoint, so nothing is written (a file
// not yet checked for damage stays byte for byte). The exclusive lock is taken without waiting and
// held for one query.
std::optional<qint64> countWithoutSharedMemory(const QString& path, const QString& countSql)
{
    if (countSql.isEmpty() || QFileInfo(path + QStringLiteral("-wal")).size() > 0) {
        return std::nullopt;
    }
    std::optional<qint64> count;
    ScratchConnection connection(path, connectOptions(std::chrono::milliseconds(0), false));
    if (connection.isOpen()) {
        QSqlQuery q(connection.db());
        if (q.exec(QStringLiteral("PRAGMA locking_mode=EXCLUSIVE")) && q.exec(countSql) && q.next()) {
            count = q.value(0).toLongLong();
        }
    }
    return count;
}

// The operator's sentence for a disk that filled up before the database could be opened.
Error openedOnFullDisk(const Error& error, const QString& path, const QString& countSql)
{
    if (!error.is(ErrorCode::DiskFull)) {
        return error;
    }
    Error full = SqliteErrors::diskFull(path, countWithoutSharedMemory(path, countSql));
    if (error.details.contains(QStringLiteral("sqliteCode"))) {
        full.details.insert(QStringLiteral("sqliteCode"), error.details.value(QStringLiteral("sqliteCode")));
    }
    return full;
}

} // namespace

SqliteDatabase::SqliteDatabase(QString connectionName, QString path, QString countStored)
    : m_connectionName(std::move(connectionName)), m_path(std::move(path)), m_countStored(std::move(countStored))
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

Error SqliteDatabase::sqlError(const QString& what, const QSqlError& error) const
{
    return SqliteErrors::fromSql(what, error, m_path);
}

Result<std::unique_ptr<SqliteDatabase>> SqliteDatabase::open(const QString& path, const QList<Migration>& migrations,
                                                             std::chrono::milliseconds busyTimeout,
                                                             const QString& countStored)
{
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE"))) {
        return storageError(QStringLiteral("sqlite-driver-missing"),
                            QStringLiteral("Qt's SQLite driver is not installed (package libqt6sql6-sqlite)"));
    }
    const QFileInfo info(path);
    const QString absolutePath = info.absoluteFilePath();
    if (auto prepared = SqliteFiles::prepare(absolutePath); !prepared) {
        qCWarning(lcSqlite) << "not opening" << absolutePath << ":" << prepared.error().message;
        return prepared.error();
    }
    // An empty file is an empty database to SQLite: nothing to check, nothing to lose.
    if (QFileInfo(absolutePath).size() > 0) {
        if (auto checked = checkIntegrity(absolutePath, busyTimeout); !checked) {
            const Error error = openedOnFullDisk(checked.error(), absolutePath, countStored);
            qCWarning(lcSqlite) << "not opening" << absolutePath << ":" << error.message;
            return error;
        }
    }

    std::unique_ptr<SqliteDatabase> self(new SqliteDatabase(nextConnectionName(), absolutePath, countStored));
    const auto failed = [&](const Error& error) { return openedOnFullDisk(error, absolutePath, countStored); };
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), self->m_connectionName);
        db.setDatabaseName(absolutePath);
        db.setConnectOptions(connectOptions(busyTimeout, false));
        if (!db.open()) {
            return failed(SqliteErrors::fromSql(QStringLiteral("open"), db.lastError(), absolutePath));
        }

        // WAL persists in the file once set, but a file made by another tool may still be in rollback
        // mode, and SQLite answers with the mode it actually uses.
        auto mode = scalar(db, QStringLiteral("PRAGMA journal_mode=WAL"), absolutePath);
        if (!mode) {
            return failed(mode.error());
        }
        if (mode.value().toString().compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0) {
            return storageError(QStringLiteral("database-journal"),
                                QStringLiteral("SQLite refused WAL mode for %1 (it said '%2')")
                                    .arg(absolutePath, mode.value().toString()),
                                absolutePath);
        }
        // FULL, not NORMAL: in WAL mode NORMAL may lose the last commits on power loss. The WAL is
        // bounded: checkpointed every walAutocheckpointPages and cut back after a checkpoint, so that
        // the space a burst took is given back to a disk that may be filling up.
        for (const QString& pragma :
             {QStringLiteral("PRAGMA synchronous=FULL"), QStringLiteral("PRAGMA foreign_keys=ON"),
              QStringLiteral("PRAGMA wal_autocheckpoint=%1").arg(walAutocheckpointPages),
              QStringLiteral("PRAGMA journal_size_limit=%1").arg(walSizeLimitBytes)}) {
            QSqlQuery q(db);
            if (!q.exec(pragma)) {
                return failed(SqliteErrors::fromSql(pragma, q.lastError(), absolutePath));
            }
        }
        auto synchronous = scalar(db, QStringLiteral("PRAGMA synchronous"), absolutePath);
        if (!synchronous) {
            return failed(synchronous.error());
        }
        if (synchronous.value().toInt() != synchronousFull) {
            return storageError(QStringLiteral("database-journal"),
                                QStringLiteral("SQLite kept synchronous=%1 for %2 instead of FULL")
                                    .arg(synchronous.value().toString(), absolutePath),
                                absolutePath);
        }
    }
    auto version = SqliteMigrations::apply(*self, migrations);
    if (!version) {
        return version.error();
    }
    self->m_schemaVersion = version.value();
    return self;
}

Result<QVariant> SqliteDatabase::pragma(const QString& name) const
{
    static const QRegularExpression identifier(QStringLiteral("^[a-z_]+$"));
    if (!identifier.match(name).hasMatch()) {
        return Error::make(ErrorKind::Internal, QStringLiteral("invalid-argument"),
                           QStringLiteral("not a pragma name: %1").arg(name));
    }
    return scalar(database(), QStringLiteral("PRAGMA ") + name, m_path);
}

Result<void> SqliteDatabase::transaction(const std::function<Result<void>()>& work)
{
    return runTransaction(QStringLiteral("BEGIN IMMEDIATE"), work);
}

Result<void> SqliteDatabase::relaxedTransaction(const std::function<Result<void>()>& work)
{
    const QSqlDatabase db = database();
    {
        QSqlQuery q(db);
        if (!q.exec(QStringLiteral("PRAGMA synchronous=NORMAL"))) {
            return sqlError(QStringLiteral("relax sync"), q.lastError());
        }
    }
    // FULL is owed from here on: runTransaction sets it back before anything else runs if this fails.
    m_restoreFullSync = true;
    Result<void> result = runTransaction(QStringLiteral("BEGIN IMMEDIATE"), work, true);
    if (auto full = restoreFullSync(); !full && result) {
        // The write itself is committed; the connection stays refused until FULL is back.
        qCWarning(lcSqlite) << "synchronous=FULL not restored:" << full.error().message;
    }
    return result;
}

Result<void> SqliteDatabase::restoreFullSync()
{
    if (!m_restoreFullSync) {
        return {};
    }
    QSqlQuery q(database());
    if (!q.exec(QStringLiteral("PRAGMA synchronous=FULL"))) {
        return sqlError(QStringLiteral("restore sync"), q.lastError());
    }
    m_restoreFullSync = false;
    return {};
}

Result<void> SqliteDatabase::readTransaction(const std::function<Result<void>()>& work)
{
    return runTransaction(QStringLiteral("BEGIN DEFERRED"), work);
}

Result<void> SqliteDatabase::runTransaction(const QString& begin, const std::function<Result<void>()>& work,
                                            bool relaxed)
{
    if (m_checkpointDue) {
        checkpoint();
    }
    // A synced write never runs on a connection left at synchronous=NORMAL by a relaxed one.
    if (!relaxed) {
        if (auto full = restoreFullSync(); !full) {
            return full;
        }
    }
    const QSqlDatabase db = database();
    {
        QSqlQuery q(db);
        if (!q.exec(begin)) {
            return settle(sqlError(QStringLiteral("begin"), q.lastError()));
        }
    }
    const Result<void> result = work();
    QSqlQuery end(db);
    if (!result) {
        // SQLite may already have rolled back on its own (e.g. after SQLITE_FULL); then this fails harmlessly.
        end.exec(QStringLiteral("ROLLBACK"));
        return settle(result.error());
    }
    if (!end.exec(QStringLiteral("COMMIT"))) {
        const Error error = sqlError(QStringLiteral("commit"), end.lastError());
        QSqlQuery(db).exec(QStringLiteral("ROLLBACK"));
        return settle(error);
    }
    return {};
}

Error SqliteDatabase::settle(const Error& error)
{
    if (!error.is(ErrorCode::DiskFull)) {
        return error;
    }
    // Rolled back, so every request that was stored before is still there: count them for the operator.
    Error full = SqliteErrors::diskFull(m_path, countStored());
    if (error.details.contains(QStringLiteral("sqliteCode"))) {
        full.details.insert(QStringLiteral("sqliteCode"), error.details.value(QStringLiteral("sqliteCode")));
    }
    qCWarning(lcSqlite) << full.message;
    // A WAL that could not grow may still hold committed pages that a checkpoint would fold into the
    // database, after which the WAL restarts from its beginning and is cut back to walSizeLimitBytes.
    // While the disk stays full the checkpoint fails too; it is then owed and tried again before every
    // transaction until it succeeds.
    m_checkpointDue = true;
    checkpoint();
    return full;
}

std::optional<qint64> SqliteDatabase::countStored() const
{
    if (m_countStored.isEmpty()) {
        return std::nullopt;
    }
    QSqlQuery q(database());
    if (!q.exec(m_countStored) || !q.next()) {
        return std::nullopt;
    }
    return q.value(0).toLongLong();
}

void SqliteDatabase::checkpoint()
{
    // PASSIVE: never waits for other connections' readers, so a busy console does not stall this one.
    QSqlQuery q(database());
    if (!q.exec(QStringLiteral("PRAGMA wal_checkpoint(PASSIVE)")) || !q.next()) {
        qCDebug(lcSqlite) << "checkpoint of" << m_path << "still failing:" << q.lastError().text();
        return;
    }
    // (busy, frames in the WAL, frames checkpointed): done when nothing was left behind.
    const bool complete = q.value(0).toInt() == 0 && q.value(1).toInt() == q.value(2).toInt();
    if (complete) {
        qCInfo(lcSqlite) << "checkpoint of" << m_path << "succeeded again";
        m_checkpointDue = false;
    }
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
