#pragma once

#include <optional>

#include <QSqlError>
#include <QString>

#include "domain/Error.h"

namespace dcm {

// How SQLite's answers become the store's errors (ErrorKind::Storage):
//  - SQLITE_BUSY/LOCKED: "database-locked" (another process kept the write lock past the busy timeout);
//  - SQLITE_CORRUPT/NOTADB: "database-damaged";
//  - SQLITE_FULL, and an I/O error or a file SQLite could not create (-wal, -shm) while the disk holding
//    the database has less than fullBelowBytes free: "disk-full" (ErrorCode::DiskFull). SQLite reports a
//    -shm or -wal that cannot grow as SQLITE_IOERR_SHMSIZE, _WRITE or _TRUNCATE ("disk I/O error"),
//    which would send the operator looking for a broken disk rather than a full one;
//  - anything else: "storage".
// The SQLite code is kept in details["sqliteCode"], the database in details["path"].
class SqliteErrors
{
public:
    // Below this many free bytes an I/O error is taken for a full disk: SQLite grows the -shm 32 KiB and
    // the -wal a page (4 KiB) at a time, so a disk that refused one of them has about that much left.
    static constexpr qint64 fullBelowBytes = 1024 * 1024;

    // `path` (may be empty) is the database file; it is named in the message and its disk is asked
    // for free space when SQLite reports an I/O error.
    static Error fromSql(const QString& what, const QSqlError& error, const QString& path = {});

    // True when the disk (volume) holding `path` has less than fullBelowBytes available.
    static bool diskIsFull(const QString& path);

    // The operator's sentence: "the disk holding PATH is full: N requests are safe; free space to
    // continue". `safeRequests` is how many requests are stored (and stay stored); nullopt when they
    // could not be counted.
    static Error diskFull(const QString& path, std::optional<qint64> safeRequests);
};

} // namespace dcm
