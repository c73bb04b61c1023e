#include "app/storage/SqliteFiles.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStringList>

#include "app/storage/SqliteErrors.h"

namespace dcm {

namespace {

constexpr QFileDevice::Permissions ownerOnlyFolder =
    QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner;
constexpr QFileDevice::Permissions ownerOnlyFile = QFileDevice::ReadOwner | QFileDevice::WriteOwner;

Error unwritable(const QString& path, const QString& message)
{
    Error error = Error::make(ErrorKind::Storage, QStringLiteral("database-unwritable"), message);
    error.details.insert(QStringLiteral("path"), path);
    return error;
}

// Why `folder` (which exists) cannot take a new entry, or an empty string when it can.
QString folderProblem(const QFileInfo& folder)
{
    if (!folder.isDir()) {
        return QStringLiteral("%1 is a file, not a folder").arg(folder.absoluteFilePath());
    }
    if (!folder.isWritable()) {
        return QStringLiteral("the folder %1 is not writable").arg(folder.absoluteFilePath());
    }
    return {};
}

// Creates the missing folders above `path`, outermost first, each owner-only.
Result<void> createFolders(const QString& path, const QString& folder)
{
    QStringList missing;
    QFileInfo existing(folder);
    while (!existing.exists()) {
        missing.prepend(existing.absoluteFilePath());
        const QString parent = existing.absolutePath();
        if (parent == existing.absoluteFilePath()) {
            break; // the root itself is missing: nothing above to create it in
        }
        existing = QFileInfo(parent);
    }
    for (const QString& dir : std::as_const(missing)) {
        const QFileInfo parent(QFileInfo(dir).absolutePath());
        if (const QString problem = folderProblem(parent); !problem.isEmpty()) {
            return unwritable(path, QStringLiteral("cannot create the folder %1 for %2: %3").arg(dir, path, problem));
        }
        if (!QDir().mkdir(dir, ownerOnlyFolder) && !QFileInfo(dir).isDir()) {
            if (SqliteErrors::diskIsFull(parent.absoluteFilePath())) {
                return SqliteErrors::diskFull(path, 0);
            }
            return unwritable(path, QStringLiteral("cannot create the folder %1 for %2").arg(dir, path));
        }
    }
    return {};
}

} // namespace

Result<void> SqliteFiles::prepare(const QString& path)
{
    const QFileInfo file(path);
    const QString folder = file.absolutePath();
    if (auto created = createFolders(path, folder); !created.ok()) {
        return created;
    }
    const QFileInfo folderInfo(folder);
    if (!folderInfo.isDir()) {
        return unwritable(path, QStringLiteral("cannot create %1: %2 is a file, not a folder").arg(path, folder));
    }
    const QString folderIssue = folderProblem(folderInfo);

    if (file.exists()) {
        if (file.isDir()) {
            return unwritable(path, QStringLiteral("cannot open %1: it is a folder, not a database file").arg(path));
        }
        if (!file.isReadable()) {
            return unwritable(path, QStringLiteral("cannot open %1: the file is not readable").arg(path));
        }
        if (!file.isWritable()) {
            return unwritable(path, QStringLiteral("cannot open %1: the file is read-only").arg(path));
        }
        // SQLite keeps its -wal and -shm beside the database and creates them on first use.
        if (!folderIssue.isEmpty() &&
            (!QFile::exists(path + QStringLiteral("-wal")) || !QFile::exists(path + QStringLiteral("-shm")))) {
            return unwritable(
                path,
                QStringLiteral("cannot open %1: %2 (SQLite keeps %1-wal and %1-shm beside it)").arg(path, folderIssue));
        }
        return {};
    }

    if (!folderIssue.isEmpty()) {
        return unwritable(path, QStringLiteral("cannot create %1: %2").arg(path, folderIssue));
    }
    QFile create(path);
    // NewOnly: another process creating the same database at the same moment wins, and that is fine.
    if (!create.open(QIODevice::WriteOnly | QIODevice::NewOnly, ownerOnlyFile) && !QFile::exists(path)) {
        if (SqliteErrors::diskIsFull(path)) {
            return SqliteErrors::diskFull(path, 0);
        }
        return unwritable(path, QStringLiteral("cannot create %1: %2").arg(path, create.errorString()));
    }
    return {};
}

} // namespace dcm
