#pragma once

#include <QDateTime>
#include <QList>

#include "app/storage/SqliteRequestRows.h"
#include "domain/Result.h"

namespace dcm {

class SqliteDatabase;

// Puts a stored request that cannot be read on record as FAILED, so that it is never claimed again and
// never blocks the requests around it: its state becomes FAILED with the reason as its last error, its
// lease is dropped, and one step "<state> -> FAILED" is appended to its history. Its spec and its
// earlier history stay exactly as they were, for whoever repairs it. A compare-and-set on the state it
// was read in: if it moved meanwhile, nothing is written.
class SqliteQuarantine
{
public:
    // Inside a transaction the caller holds. Returns whether the row was written.
    static Result<bool> record(const SqliteDatabase& db, const SqliteRequestRow& row, const Error& why,
                               const QDateTime& at);
};

} // namespace dcm
