#pragma once

#include <chrono>
#include <memory>

#include <QString>

#include "domain/ports/BreakerLogPort.h"

namespace dcm {

class SqliteDatabase;

// BreakerLogPort on the request database's `breaker_events` table (append-only: the file's triggers
// refuse updates and deletes), through a connection of its own to the same file, so that the queue
// and the log never share a transaction. Snapshots are kept in the domain's one JSON encoding
// (BreakerSnapshotJson). Create and use it on one thread; opening it creates and migrates the
// database like SqliteRequestStore::open, whichever comes first.
class SqliteBreakerLog final : public BreakerLogPort
{
public:
    static constexpr std::chrono::milliseconds defaultBusyTimeout{5000};

    static Result<std::unique_ptr<SqliteBreakerLog>> open(const QString& path,
                                                          std::chrono::milliseconds busyTimeout = defaultBusyTimeout);

    ~SqliteBreakerLog() override;
    SqliteBreakerLog(const SqliteBreakerLog&) = delete;
    SqliteBreakerLog& operator=(const SqliteBreakerLog&) = delete;

    Result<void> appendBreakerEvent(const BreakerTransition& transition, const BreakerSnapshot& snapshot,
                                    const QString& owner) override;
    Result<std::optional<BreakerRecord>> lastBreakerState() override;
    Result<QList<BreakerTransition>> breakerHistory(int limit) override;

    SqliteDatabase& database() { return *m_db; }

private:
    explicit SqliteBreakerLog(std::unique_ptr<SqliteDatabase> db);

    std::unique_ptr<SqliteDatabase> m_db;
};

} // namespace dcm
