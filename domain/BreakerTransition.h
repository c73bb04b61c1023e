#pragma once

#include "domain/BreakerState.h"

#include <QDateTime>
#include <QMetaType>
#include <QString>

namespace dcm {

// One change of the breaker's state, as shown live to admins and recorded in the store.
struct BreakerTransition
{
    QDateTime at; // UTC
    BreakerState from = BreakerState::Closed;
    BreakerState to = BreakerState::Closed;
    QString reason; // "5 consecutive failures; last: ...", "scout timed out after 10 s", an admin's words

    friend bool operator==(const BreakerTransition&, const BreakerTransition&) = default;
};

} // namespace dcm

Q_DECLARE_METATYPE(dcm::BreakerTransition)
