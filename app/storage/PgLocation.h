#pragma once

#include <QString>

#include "domain/Result.h"

namespace dcm {

// Where a team queue lives: a libpq URI as `--db`/`DCM_DB` or a console profile gives it,
//   postgresql://[user@]host[:port]/dbname[?sslmode=…&sslrootcert=…]
//   postgresql:///dbname?host=/socket/dir[&port=N]
// checked and taken apart for Qt's QPSQL driver. A password is refused wherever it stands (in the
// URI's user part or as `password=`): a --db value shows in process lists and logs. libpq takes it
// from PGPASSWORD or PGPASSFILE (~/.pgpass) by itself; the console may hand one from the keychain.
struct PgLocation
{
    QString host;     // a name, an address, or a socket folder (starts with '/'); empty: libpq's default
    int port = -1;    // -1: libpq's default (5432 or PGPORT)
    QString database; // never empty
    QString user;     // empty: libpq's default (PGUSER or the OS account)
    // key=value options for libpq (sslmode, sslrootcert, …), joined with ';' as QPSQL takes them.
    QString connectOptions;
    QString sslmode; // as given; empty: libpq's default

    // True when `location` is meant as a team database (a postgresql:// or postgres:// URI), false for
    // a file path (SQLite).
    static bool isTeamDatabase(const QString& location);
    // Parses a URI; InvalidInput "invalid-database" naming what is wrong otherwise.
    static Result<PgLocation> parse(const QString& uri);

    // The URI as it may be shown and logged: no password (there is none), the options it was given.
    QString display() const;
};

} // namespace dcm
