#pragma once

#include <memory>

#include <QString>

#include "domain/Result.h"
#include "domain/ports/BreakerLogPort.h"
#include "domain/ports/FleetBreakerPort.h"
#include "domain/ports/RequestStorePort.h"

namespace dcm {

// Which adapter a queue's location names, for the composition roots (dcmctl, the console): a libpq
// URI (postgresql://…) is a team database on PostgreSQL; anything else is a SQLite file, the embedded
// default that needs no set-up. `password` (the keychain's, for a team database) may be empty: libpq
// then takes PGPASSWORD or PGPASSFILE.
class RequestDatabase
{
public:
    static bool isTeamDatabase(const QString& location);
    // InvalidInput "invalid-database" when a team URI is malformed (naming what); ok for any path.
    static Result<void> check(const QString& location);
    // How the location may be shown and logged (a URI without secrets; a path as it is).
    static QString display(const QString& location);
    // How the console names the queue in its status bar: "db.example.com/dcm" (":port" when one is
    // given; "dcm on /socket/dir" over a socket) for a team database, the path for a file.
    static QString shortName(const QString& location);

    // The keychain key of a team database's password ("postgresql://user@host:port/dbname", no secret in
    // it); empty for a SQLite file or a URI that does not parse.
    static QString credentialKey(const QString& location);

    static Result<std::unique_ptr<RequestStorePort>> openStore(const QString& location, const QString& password = {});
    static Result<std::unique_ptr<BreakerLogPort>> openBreakerLog(const QString& location,
                                                                  const QString& password = {});
    // The breaker the drainers on one database share: PostgreSQL's fleet_breaker row, or, on a SQLite
    // file, none (nullptr: each process keeps its own breaker, as before team queues).
    static Result<std::unique_ptr<FleetBreakerPort>> openFleetBreaker(const QString& location,
                                                                      const QString& password = {});
};

} // namespace dcm
