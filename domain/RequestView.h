#pragma once

#include "domain/ProvisioningRequest.h"

#include <QJsonObject>

namespace dcm {

// A request as people and scripts read it — `dcmctl requests --json` and the console's "Copy as JSON"
// give the same document: id, name, state, attempts, lastError, vmMoref, instanceUuid, requestedBy,
// source (the template cloned, or "blank"), guestHostName, ipAddress, batchId (null for a single request),
// createdAt, updatedAt (nextAttemptAt while queued); with the history, also spec and history (each step
// with its sentence in the reader's language, and for a step the service took its reasonCode and
// reasonArgs). Not the storage form (ProvisioningRequest::toJson), which keeps only data.
namespace RequestView {

QJsonObject toJson(const ProvisioningRequest& request, bool withHistory);

} // namespace RequestView

} // namespace dcm
