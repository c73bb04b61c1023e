#include "ServeCommand.h"

#include "domain/Redaction.h"

#include <QTimer>

#include <cstdio>

namespace dcm::ctl {

ServeCommand::~ServeCommand()
{
    m_service.reset();
}

void ServeCommand::start()
{
    connection().withPassword([this](Result<ConnectionSettings> c) {
        if (!c.ok())
            return (void)fail(c.error());
        serve(c.value());
    });
}

void ServeCommand::serve(const ConnectionSettings& settings)
{
    m_service = connection().makeService(true);
    m_serving = true;
    connect(m_service.get(), &ProvisioningService::initialized, this, [this, settings](std::optional<Error> e) {
        if (e)
            return (void)fail(*e);
        std::fprintf(stderr, "dcmctl: serving %s as %s (database %s)\n", qPrintable(redactedUrl(settings.server)),
                     qPrintable(m_service->owner()), qPrintable(options().databaseShown));
        m_service->connectTo(settings);
    });
    connect(m_service.get(), &ProvisioningService::connectionChanged, this,
            [this, settings](const ConnectionStatus& s) { onConnectionChanged(s, settings); });
    connect(m_service.get(), &ProvisioningService::requestSettled, this, [this](const ProvisioningRequest& r) {
        if (!options().json)
            std::fprintf(stderr, "dcmctl: %s %s %s\n", qPrintable(r.id().toString(QUuid::WithoutBraces)),
                         qPrintable(r.spec().name), qPrintable(toString(r.state())));
    });
    m_service->initialize();
}

void ServeCommand::onConnectionChanged(const ConnectionStatus& s, const ConnectionSettings& settings)
{
    if (s.state != ConnectionStatus::State::NeedsOperator || !s.error || !m_serving)
        return;
    // Wrong credentials or an untrusted certificate: retrying would not help (and, for a password,
    // could lock the account out). Nothing more is sent; every request stays in the queue for a
    // service that can log in.
    m_serving = false;
    m_service->shutdown();
    const std::optional<Error> refused = CtlConnection::refusedCredentials(*s.error, settings.server, settings.user);
    fail(refused.value_or(*s.error));
}

void ServeCommand::interrupt()
{
    if (!m_serving || !m_service)
        return CtlCommand::interrupt();
    std::fprintf(stderr, "dcmctl: stopping; letting calls in flight finish\n");
    m_serving = false;
    m_service->shutdown();
    m_service->whenIdle([this] { finish(ExitOk); });
    // Calls that do not land in time keep their lease, which lapses: the next service reconciles them.
    QTimer::singleShot(std::chrono::seconds(10), this, [this] { finish(ExitOk); });
}

} // namespace dcm::ctl
