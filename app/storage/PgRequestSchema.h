#pragma once

#include <QList>
#include <QStringList>

namespace dcm {

// The team database's schema (PostgreSQL), as PgDatabase's migration steps. Steps are never edited
// once shipped; a new column is a new step (and one line in SqliteRequestRows' content columns, which
// both adapters write — see PgRequestRows).
//
// Tables: requests and request_events (as SQLite's: times as UTC epoch milliseconds, the spec as JSON
// text), breaker_events (the breaker's append-only log), fleet_breaker (one row: the breaker the
// drainers share, its scout lease and the queue's pause). Rows are never deleted and history never
// changes (triggers refuse it). Triggers NOTIFY the channels a console LISTENs on, so that every
// console sees others' writes within its next tick without reading a table to find out.
class PgRequestSchema
{
public:
    static QList<QStringList> steps();

    // The NOTIFY channels: a request written (state or content; not a lease renewal), a breaker
    // transition or admin action recorded, the fleet's breaker row changed.
    static QString requestsChannel() { return QStringLiteral("dcm_requests"); }
    static QString breakerChannel() { return QStringLiteral("dcm_breaker"); }
    static QString fleetChannel() { return QStringLiteral("dcm_fleet"); }
};

} // namespace dcm
