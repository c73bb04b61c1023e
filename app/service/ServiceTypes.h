#pragma once

// The value types the fronts (console, dcmctl) receive from the service: plain data, copied across
// threads through queued signals. A front includes this header, never the service's own.

#include "app/service/SubmitAnswer.h"
#include "domain/BreakerSnapshot.h"
#include "domain/BreakerTransition.h"
#include "domain/Error.h"
#include "domain/Inventory.h"
#include "domain/ProvisioningRequest.h"
#include "domain/ports/HypervisorPort.h"
#include "domain/ports/RequestStorePort.h"

#include <QMetaType>
#include <QString>
#include <QUuid>

#include <optional>

namespace dcm {

// Live progress of a request's running hypervisor task (not stored: it changes by the second).
struct RequestProgress
{
    QUuid id;
    int percent = 0;
    QString stage;
    QString taskRef;
};

// How the service stands with the hypervisor.
struct ConnectionStatus
{
    enum class State
    {
        Disconnected,
        Connecting,
        Connected,
        NeedsOperator, // untrusted certificate or rejected credentials: nothing is retried by itself
    };
    State state = State::Disconnected;
    QString server;
    QString user;
    AboutInfo about;
    std::optional<Error> error;
};

// One page of the request history, as a view asked for it (ProvisioningService::loadRequestPage).
struct RequestPage
{
    quint64 token = 0;    // the asker's, given back: a view drops the answers to questions it no longer asks
    RequestFilter filter; // what was asked; olderThan unset: the first page
    QList<ProvisioningRequest> requests; // newest first
    int total = -1;                      // how many the filter matches in all (first pages only; -1: not counted)
    bool more = false;                   // a full page: older ones may follow
};

} // namespace dcm

Q_DECLARE_METATYPE(dcm::RequestProgress)
Q_DECLARE_METATYPE(dcm::RequestPage)
Q_DECLARE_METATYPE(dcm::ConnectionStatus)
