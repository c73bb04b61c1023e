#pragma once

#include <optional>

#include <QMetaType>
#include <QString>
#include <QStringView>

namespace dcm {

enum class BreakerState
{
    Closed,     // calls go through
    Open,       // calls fail at once; a scout is due after the cooldown
    HalfOpen,   // exactly one scout is out; everything else is rejected
    ForcedOpen, // an admin's maintenance hold: rejects everything, never scouts, until reset
};

// "CLOSED", "OPEN", "HALF_OPEN", "FORCED_OPEN": what `dcmctl breaker` prints and the store keeps.
QString toString(BreakerState state);
std::optional<BreakerState> breakerStateFromString(QStringView text);

} // namespace dcm

Q_DECLARE_METATYPE(dcm::BreakerState)
