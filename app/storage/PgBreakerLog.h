#pragma once

#include <memory>

#include "app/storage/PgLocation.h"
#include "domain/ports/BreakerLogPort.h"

namespace dcm {

class PgDatabase;

// BreakerLogPort on the team database: the breaker_events table (append-only; its insert NOTIFYs
// dcm_breaker, so every console shows another's transitions and admin actions within a tick). A
// connection of its own, as on SQLite. Create and use it on one thread.
class PgBreakerLog final : public BreakerLogPort
{
public:
    static Result<std::unique_ptr<PgBreakerLog>> open(const PgLocation& where, const QString& password = {});
    ~PgBreakerLog() override;
    PgBreakerLog(const PgBreakerLog&) = delete;
    PgBreakerLog& operator=(const PgBreakerLog&) = delete;

    Result<void> appendBreakerEvent(const BreakerTransition& transition, const BreakerSnapshot& snapshot,
                                    const QString& owner) override;
    Result<std::optional<BreakerRecord>> lastBreakerState() override;
    Result<QList<BreakerTransition>> breakerHistory(int limit) override;

private:
    explicit PgBreakerLog(std::unique_ptr<PgDatabase> db);
    std::unique_ptr<PgDatabase> m_db;
};

} // namespace dcm
