#include "domain/BreakerState.h"

namespace dcm {

QString toString(BreakerState state)
{
    switch (state) {
    case BreakerState::Closed:
        return QStringLiteral("CLOSED");
    case BreakerState::Open:
        return QStringLiteral("OPEN");
    case BreakerState::HalfOpen:
        return QStringLiteral("HALF_OPEN");
    case BreakerState::ForcedOpen:
        return QStringLiteral("FORCED_OPEN");
    }
    return QStringLiteral("CLOSED");
}

std::optional<BreakerState> breakerStateFromString(QStringView text)
{
    for (BreakerState s :
         {BreakerState::Closed, BreakerState::Open, BreakerState::HalfOpen, BreakerState::ForcedOpen}) {
        if (text.compare(toString(s), Qt::CaseInsensitive) == 0) {
            return s;
        }
    }
    return std::nullopt;
}

} // namespace dcm
