#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace dcm {

// The schema of the request database — requests, their history, the breaker's transitions — as
// versioned migration steps (SqliteMigrations applies them). The queue (SqliteRequestStore) and the
// breaker log (SqliteBreakerLog) open the same file with the same steps, whichever comes first.
class SqliteRequestSchema
{
public:
    // One entry per `user_version` step; exposed so that tests can build a database at any earlier
    // version. Steps are never edited once shipped: a change is a new step.
    static QList<QStringList> steps();
    // How many requests the file holds: the N of "N requests are safe" when the disk is full.
    static QString countRequests();
};

} // namespace dcm
