#include "CtlConnection.h"

#include <cstdlib>
#include <cstring>

namespace dcm::ctl {

QString takePasswordFromEnvironment()
{
    char* raw = std::getenv("DCM_PASSWORD");
    if (!raw)
        return {};
    const QString password = QString::fromLocal8Bit(raw);
    // The bytes belong to the environment block (or to an earlier setenv copy); both are writable.
    std::memset(raw, 0, std::strlen(raw));
    qunsetenv("DCM_PASSWORD");
    return password;
}

CtlConnection::CtlConnection(CtlContext context) : m_context(std::move(context))
{}

CtlConnection::~CtlConnection() = default;

void CtlConnection::withPassword(std::function<void(Result<ConnectionSettings>)> next)
{
    ConnectionSettings c = m_context.options.connection;
    if (c.server.isEmpty())
        return next(Error::make(ErrorKind::InvalidInput, QStringLiteral("missing-server"),
                                QStringLiteral("no server: give --server URL or set DCM_SERVER")));
    if (c.user.isEmpty())
        return next(Error::make(ErrorKind::InvalidInput, QStringLiteral("missing-user"),
                                QStringLiteral("no user: give --user NAME or set DCM_USER")));
    if (!m_context.environmentPassword.isEmpty()) {
        c.password = m_context.environmentPassword;
        return next(c);
    }
    CredentialStorePort* keychain = credentials();
    if (!keychain)
        return next(Error::make(ErrorKind::Authentication, QStringLiteral("missing-password"),
                                QStringLiteral("no password: set DCM_PASSWORD or store one with `dcmctl login`")));
    keychain->readPassword(ProvisioningService::credentialKey(c.server, c.user), [c, next = std::move(next)](
                                                                                     Result<QString> password) mutable {
        if (!password.ok() || password.value().isEmpty())
            return next(Error::make(ErrorKind::Authentication, QStringLiteral("missing-password"),
                                    QStringLiteral("no password: set DCM_PASSWORD or store one "
                                                   "with `dcmctl login` (%1)")
                                        .arg(password.ok() ? QStringLiteral("empty") : password.error().message)));
        c.password = password.value();
        next(c);
    });
}

std::unique_ptr<HypervisorPort> CtlConnection::makeHypervisor() const
{
    return m_context.factories.hypervisor();
}

Result<std::unique_ptr<RequestStorePort>> CtlConnection::openStore() const
{
    return m_context.factories.store(m_context.options.database);
}

Result<std::unique_ptr<BreakerLogPort>> CtlConnection::openBreakerLog() const
{
    if (!m_context.factories.breakerLog)
        return std::unique_ptr<BreakerLogPort>();
    return m_context.factories.breakerLog(m_context.options.database);
}

std::unique_ptr<ProvisioningService> CtlConnection::makeService(bool autoTick)
{
    const CtlOptions& o = m_context.options;
    ServiceConfig config;
    config.breaker.failureThreshold = o.failureThreshold;
    config.breaker.cooldown = std::chrono::seconds(o.cooldownSeconds);
    config.drainConcurrency = o.drainConcurrency;
    config.leaseDuration = std::chrono::seconds(o.leaseSeconds);
    if (!autoTick)
        config.tickInterval = std::chrono::milliseconds(0);
    auto service = std::make_unique<ProvisioningService>(
        m_context.factories.hypervisor, [this] { return openStore(); }, m_clock, config);
    service->setCredentialStoreFactory(m_context.factories.credentials);
    service->setBreakerLogFactory([this] { return openBreakerLog(); });
    if (m_context.factories.fleetBreaker)
        service->setFleetBreakerFactory(
            [this] { return m_context.factories.fleetBreaker(m_context.options.database); });
    return service;
}

CredentialStorePort* CtlConnection::credentials()
{
    if (!m_credentials && m_context.factories.credentials)
        m_credentials = m_context.factories.credentials();
    return m_credentials.get();
}

std::optional<Error> CtlConnection::refusedCredentials(const Error& error, const QUrl& server, const QString& user)
{
    const QString account = ProvisioningService::credentialKey(server, user);
    Error refused;
    if (error.kind == ErrorKind::Authentication) {
        refused = Error::make(ErrorKind::Authentication, ErrorCode::LoginRefused,
                              QStringLiteral("vCenter refused the credentials of %1; store a new password with "
                                             "`dcmctl login` or set DCM_PASSWORD; the queue is kept")
                                  .arg(account));
    } else if (error.kind == ErrorKind::Permission) {
        refused = Error::make(ErrorKind::Authentication, QStringLiteral("permission-refused"),
                              QStringLiteral("vCenter refused %1 a permission it needs; grant it in vCenter or use "
                                             "another account with --user or DCM_USER; the queue is kept")
                                  .arg(account));
    } else {
        return std::nullopt;
    }
    refused.vimFault = error.vimFault;
    refused.details.insert(QStringLiteral("account"), account);
    refused.details.insert(QStringLiteral("cause"), error.message);
    return refused;
}

} // namespace dcm::ctl
