#pragma once

#include "domain/Error.h"
#include "domain/RequestState.h"

#include <optional>

#include <QDateTime>
#include <QString>
#include <QStringList>

namespace dcm {

// Why a step was taken, as data: a code (see RequestEventText) and its arguments (names, refs,
// vCenter's own words). Kept as such, so that the sentence is made in the reader's language, never
// in the language of whichever process wrote the step.
struct EventReason
{
    QString code;
    QStringList args;
};

// One step of a request's history: shown in the request's detail view and kept for ever.
struct RequestEvent
{
    QDateTime at; // UTC
    RequestState from = RequestState::Submitted;
    RequestState to = RequestState::Submitted;
    QString reason;             // free text: an operator's words, or a step written before codes existed
    int attempts = 0;           // attempts made once the step was taken
    std::optional<Error> cause; // the failure that drove the step, if any
    QString code;               // the EventReason's code, when the service took the step
    QStringList args;           // its arguments

    friend bool operator==(const RequestEvent&, const RequestEvent&) = default;
};

} // namespace dcm
