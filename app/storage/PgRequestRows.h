#pragma once

#include <QDateTime>
#include <QList>
#include <QSqlQuery>
#include <QString>
#include <QVariantList>

#include "app/storage/SqliteRequestRows.h"
#include "domain/ProvisioningRequest.h"
#include "domain/Result.h"

namespace dcm {

class PgDatabase;

// Row <-> ProvisioningRequest on PostgreSQL, in one place. The team database has SQLite's columns
// with the same names and encodings (times as UTC epoch milliseconds, the spec as JSON text), so the
// mapping itself is SqliteRequestRows': what is selected (columns(), with PostgreSQL's spellings of
// SQLite's rowid and CAST … AS BLOB), what insert and update write (contentColumns(), contentValues()),
// how a row and a history step are read back, and the quarantine of a row that cannot be.
//
// Adding a request column is therefore: SqliteRequestRows as for SQLite, plus one step in
// PgRequestSchema (ALTER TABLE requests ADD COLUMN …). The contract suite, run on both adapters, fails
// for the one that does not round-trip it.
class PgRequestRows
{
public:
    static const QString& columns();

    static Result<QList<SqliteRequestRow>> readRows(PgDatabase& db, QSqlQuery& q, const QString& what);
    // The histories of the requests that `requestIds` selects (an SQL expression yielding ids, with its
    // bound values; empty: every request).
    static Result<SqliteStoredHistories> readHistories(PgDatabase& db, const QString& requestIds,
                                                       const QVariantList& values);
    static Result<SqliteStoredHistories> readHistories(PgDatabase& db, const QList<SqliteRequestRow>& rows);
    // The histories of the steps `condition` (an SQL condition on request_events, with its bound
    // values; empty: all) selects.
    static Result<SqliteStoredHistories> readHistoriesWhere(PgDatabase& db, const QString& condition,
                                                            const QVariantList& values);
    static Result<void> appendEvents(PgDatabase& db, const ProvisioningRequest& request, qsizetype from);
    // Puts an unreadable row on record as FAILED (lease dropped), as SqliteQuarantine does; false when
    // the row moved meanwhile.
    static Result<bool> quarantine(PgDatabase& db, const SqliteRequestRow& row, const Error& why, const QDateTime& at);
    // Maps rows read by list() or get(), putting quarantined rows on record (best effort).
    static QList<ProvisioningRequest> mapRead(PgDatabase& db, const QList<SqliteRequestRow>& rows,
                                              SqliteStoredHistories& histories);
};

} // namespace dcm
