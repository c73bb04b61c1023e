#pragma once

#include "domain/Error.h"
#include "domain/RequestState.h"

#include <optional>

#include <QDateTime>
#include <QString>

namespace dcm {

// One step of a request's history: shown in the request's detail view and kept for ever.
struct RequestEvent
{
    QDateTime at; // UTC
    RequestState from = RequestState::Submitted;
    RequestState to = RequestState::Submitted;
    QString reason;             // why, in the service's words ("breaker open", "operator retry", ...)
    int attempts = 0;           // attempts made once the step was taken
    std::optional<Error> cause; // the failure that drove the step, if any

    friend bool operator==(const RequestEvent&, const RequestEvent&) = default;
};

} // namespace dcm
