#pragma once

#include <QList>
#include <QStringList>

#include "domain/Result.h"

namespace dcm {

class SqliteDatabase;

// Versioned schema changes: step i brings a file from `user_version` i to i+1. Every step a file lacks
// is applied in one IMMEDIATE transaction together with the new user_version, so a file is always at
// exactly one version — a failing statement leaves it where it was. A file from a newer program is
// refused ("database-too-new"), never migrated backwards.
class SqliteMigrations
{
public:
    // Returns the version the file is at afterwards (steps.size()).
    static Result<int> apply(SqliteDatabase& db, const QList<QStringList>& steps);
};

} // namespace dcm
