#pragma once

#include <QString>

#include "domain/Result.h"

namespace dcm {

// The files of one SQLite database on disk, before SQLite touches them: the folders the store creates
// are owner-only (0700) and so is a database it creates (0600) — SQLite gives the -wal and -shm the
// database file's mode — because the queue names the operator's VMs, hosts and networks. Folders and
// files that exist already keep the mode an administrator gave them (several accounts may share one
// queue on purpose).
//
// Whatever stands in the way is named with its path and the reason, before SQLite could only say
// "unable to open database file": "cannot create PATH: the folder FOLDER is not writable", "cannot open
// PATH: the file is read-only", ... (ErrorKind::Storage, code "database-unwritable"; "disk-full" when no
// space is left for a new folder).
class SqliteFiles
{
public:
    // Makes sure `path` can be opened read-write by SQLite: creates its missing folders (0700) and, when
    // the database does not exist yet, an empty database file (0600; SQLite takes an empty file for an
    // empty database). `path` must be absolute.
    static Result<void> prepare(const QString& path);
};

} // namespace dcm
