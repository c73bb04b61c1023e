#pragma once

#include "CtlCommand.h"

#include <memory>

namespace dcm::ctl {

// An operator action on one request, named by its exact id: `cancel ID`, `retry ID`. Prints the request
// as it stands afterwards.
class RequestActionCommand : public CtlCommand
{
    Q_OBJECT

public:
    using CtlCommand::CtlCommand;
    ~RequestActionCommand() override;
    void start() override;

protected:
    virtual QString name() const = 0;
    // The error when the service refuses the action.
    virtual std::optional<Error> act(ProvisioningService& service, const QUuid& id) = 0;

private:
    std::unique_ptr<ProvisioningService> m_service;
};

// `dcmctl cancel ID`: a request that has not reached vCenter is CANCELLED.
class CancelCommand final : public RequestActionCommand
{
    Q_OBJECT

public:
    using RequestActionCommand::RequestActionCommand;

protected:
    QString name() const override { return QStringLiteral("cancel"); }
    std::optional<Error> act(ProvisioningService& service, const QUuid& id) override { return service.cancel(id); }
};

// `dcmctl retry ID`: a FAILED request is queued again; a queued one becomes due now.
class RetryCommand final : public RequestActionCommand
{
    Q_OBJECT

public:
    using RequestActionCommand::RequestActionCommand;

protected:
    QString name() const override { return QStringLiteral("retry"); }
    std::optional<Error> act(ProvisioningService& service, const QUuid& id) override { return service.retryNow(id); }
};

} // namespace dcm::ctl
