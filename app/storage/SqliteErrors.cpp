#include "app/storage/SqliteErrors.h"

#include <QFileInfo>
#include <QStorageInfo>

namespace dcm {

namespace {

// SQLite primary result codes. Qt's driver turns extended result codes on (SQLITE_BUSY_SNAPSHOT is
// 517, SQLITE_IOERR_SHMSIZE 4874, ...): the primary code is the low byte.
constexpr int sqliteBusy = 5;
constexpr int sqliteLocked = 6;
constexpr int sqliteIoError = 10;
constexpr int sqliteCorrupt = 11;
constexpr int sqliteFull = 13;
constexpr int sqliteCantOpen = 14;
constexpr int sqliteNotADatabase = 26;

Error storageError(const QString& code, const QString& message, const QString& path)
{
    Error error = Error::make(ErrorKind::Storage, code, message);
    if (!path.isEmpty()) {
        error.details.insert(QStringLiteral("path"), path);
    }
    return error;
}

// "the request database /x/requests.db", or "the request database" when no path is known.
QString database(const QString& path)
{
    return path.isEmpty() ? QStringLiteral("the request database")
                          : QStringLiteral("the request database %1").arg(path);
}

} // namespace

bool SqliteErrors::diskIsFull(const QString& path)
{
    if (path.isEmpty()) {
        return false;
    }
    // The folder, not the file: the file may be the thing that could not be created.
    const QStorageInfo volume(QFileInfo(path).absolutePath());
    return volume.isValid() && volume.bytesAvailable() < fullBelowBytes;
}

Error SqliteErrors::diskFull(const QString& path, std::optional<qint64> safeRequests)
{
    QString safe;
    if (!safeRequests) {
        safe = QStringLiteral("every request already stored is safe");
    } else if (*safeRequests == 1) {
        safe = QStringLiteral("1 request is safe");
    } else {
        safe = QStringLiteral("%1 requests are safe").arg(*safeRequests);
    }
    Error error = Error::make(ErrorKind::Storage, ErrorCode::DiskFull,
                              QStringLiteral("the disk holding %1 is full: %2; free space to continue")
                                  .arg(path.isEmpty() ? QStringLiteral("the request database") : path, safe));
    if (!path.isEmpty()) {
        error.details.insert(QStringLiteral("path"), path);
    }
    if (safeRequests) {
        error.details.insert(QStringLiteral("safeRequests"), *safeRequests);
    }
    return error;
}

Error SqliteErrors::fromSql(const QString& what, const QSqlError& error, const QString& path)
{
    bool numeric = false;
    const int native = error.nativeErrorCode().toInt(&numeric);
    const int primary = numeric ? (native & 0xff) : -1;
    Error result;
    if (primary == sqliteBusy || primary == sqliteLocked) {
        result = storageError(
            QStringLiteral("database-locked"),
            QStringLiteral("%1 is locked by another process (%2: %3)").arg(database(path), what, error.databaseText()),
            path);
    } else if (primary == sqliteCorrupt || primary == sqliteNotADatabase) {
        result = storageError(QStringLiteral("database-damaged"),
                              QStringLiteral("%1 is damaged (%2: %3)").arg(database(path), what, error.databaseText()),
                              path);
    } else if (primary == sqliteFull || ((primary == sqliteIoError || primary == sqliteCantOpen) && diskIsFull(path))) {
        // Counted by whoever can still read the database (SqliteDatabase): here we only know it is full.
        result = diskFull(path, std::nullopt);
    } else {
        result = storageError(QStringLiteral("storage"),
                              path.isEmpty()
                                  ? QStringLiteral("database error in %1: %2").arg(what, error.text())
                                  : QStringLiteral("database error in %1 on %2: %3").arg(what, path, error.text()),
                              path);
    }
    if (numeric) {
        result.details.insert(QStringLiteral("sqliteCode"), native);
    }
    return result;
}

} // namespace dcm
