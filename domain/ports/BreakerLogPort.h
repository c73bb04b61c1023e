#pragma once

#include "domain/BreakerSnapshot.h"
#include "domain/BreakerTransition.h"
#include "domain/Result.h"

#include <optional>

#include <QList>
#include <QString>

namespace dcm {

// The breaker as last recorded by any service on this database: what `dcmctl breaker` prints.
struct BreakerRecord
{
    BreakerTransition transition; // the last transition
    BreakerSnapshot snapshot;     // the breaker right after it
    QString owner;                // the service that recorded it
};

// The breaker's transitions, kept for the admin view and `dcmctl breaker`: an append-only log beside
// the request queue (RequestStorePort), usually in the same database but on a connection of its own.
// Synchronous, on the service thread like the queue; every method returns at once with a Result.
//
// Errors: ErrorKind::Storage; "disk-full" when the disk holding the log has no space left (nothing
// recorded is lost); "corrupt-breaker-event" when a stored transition cannot be read back.
class BreakerLogPort
{
public:
    virtual ~BreakerLogPort() = default;

    virtual Result<void> appendBreakerEvent(const BreakerTransition& transition, const BreakerSnapshot& snapshot,
                                            const QString& owner) = 0;
    virtual Result<std::optional<BreakerRecord>> lastBreakerState() = 0;
    // Newest first; limit <= 0: all of them.
    virtual Result<QList<BreakerTransition>> breakerHistory(int limit) = 0;
};

} // namespace dcm
