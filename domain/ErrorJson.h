#pragma once

#include "domain/Error.h"
#include "domain/Result.h"

#include <QJsonObject>

namespace dcm {

// An Error as JSON: {"kind":"transient","code":..,"message":..,"vimFault":..,"details":{..}}. What the
// store keeps as a request's lastError and what `dcmctl --json` prints under "error". Details must
// hold JSON-compatible values.
class ErrorJson
{
public:
    static QJsonObject toJson(const Error& error);
    // Fills `out`; Result<Error> cannot exist (a Result's error is an Error), hence the out parameter.
    static Result<void> fromJson(const QJsonObject& json, Error& out);
};

} // namespace dcm
