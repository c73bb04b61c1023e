#pragma once

#include <memory>

#include "app/storage/PgLocation.h"
#include "domain/ports/FleetBreakerPort.h"

namespace dcm {

class PgDatabase;

// FleetBreakerPort on the team database: the one row of fleet_breaker, on a connection of its own
// that LISTENs on dcm_fleet. Every change is one UPDATE with its condition in the WHERE clause (open
// only from CLOSED, close only from OPEN), so concurrent drainers cannot undo each other. The scout
// lease is `next_scout_at`, compared and moved in the database's clock (clock_timestamp()), so
// machines whose clocks differ still grant it once per cooldown.
class PgFleetBreaker final : public FleetBreakerPort
{
public:
    static Result<std::unique_ptr<PgFleetBreaker>> open(const PgLocation& where, const QString& password = {});
    ~PgFleetBreaker() override;
    PgFleetBreaker(const PgFleetBreaker&) = delete;
    PgFleetBreaker& operator=(const PgFleetBreaker&) = delete;

    Result<FleetBreakerState> read() override;
    Result<bool> changed() override;
    Result<void> open(const QString& reason, const QString& by, std::chrono::milliseconds cooldown) override;
    Result<void> close(const QString& reason, const QString& by) override;
    Result<void> hold(const QString& reason, const QString& by) override;
    Result<void> release(const QString& reason, const QString& by) override;
    Result<void> setPaused(bool paused, const QString& reason, const QString& by) override;
    Result<bool> takeScoutLease(const QString& owner, std::chrono::milliseconds cooldown) override;

private:
    explicit PgFleetBreaker(std::unique_ptr<PgDatabase> db);
    Result<int> write(const QString& what, const QString& sql, const QVariantList& values);

    std::unique_ptr<PgDatabase> m_db;
};

} // namespace dcm
