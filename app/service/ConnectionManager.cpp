#include "app/service/ConnectionManager.h"

#include "domain/OutcomePolicy.h"
#include "domain/Redaction.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcConnection, "dcm.app.connection", QtInfoMsg)

namespace dcm {

ConnectionManager::ConnectionManager(CircuitBreaker& breaker, const ClockPort& clock, QObject* parent)
    : QObject(parent), m_breaker(breaker), m_clock(clock)
{}

void ConnectionManager::attach(HypervisorPort* hypervisor, std::unique_ptr<CredentialStorePort> credentials)
{
    m_hypervisor = hypervisor;
    m_credentials = std::move(credentials);
}

void ConnectionManager::attachFleet(FleetBreakerPort* fleet, const QString& owner)
{
    m_fleet = fleet;
    m_owner = owner;
}

QString ConnectionManager::credentialKey(const QUrl& server, const QString& user)
{
    // Host and port: two vCenters behind one name (or a tunnel per port) never share a password.
    const int port = server.port(server.scheme().compare(QLatin1String("http"), Qt::CaseInsensitive) == 0 ? 80 : 443);
    return QStringLiteral("%1@%2:%3").arg(user, server.host()).arg(port);
}

QString ConnectionManager::legacyCredentialKey(const QUrl& server, const QString& user)
{
    return user + QLatin1Char('@') + server.host();
}

void ConnectionManager::connectTo(const ConnectionSettings& settings)
{
    m_settings = settings;
    m_status = ConnectionStatus{};
    m_status.state = ConnectionStatus::State::Connecting;
    m_status.server = redactedUrl(settings.server);
    m_status.user = settings.user;
    Q_EMIT connectionChanged(m_status);
    if (!m_hypervisor || m_connectInFlight)
        return;
    const BreakerPermit permit = m_breaker.tryAcquire();
    if (permit.isRejected())
        return; // the scout will log in when the breaker lets it
    if (permit.isScout())
        return scout(permit); // the fleet's lease first
    attemptConnect(permit);
}

void ConnectionManager::connectWithStoredPassword(const ConnectionSettings& settings)
{
    if (!m_credentials) {
        Q_EMIT passwordRequired(redactedUrl(settings.server), settings.user, std::nullopt);
        return;
    }
    const QString key = credentialKey(settings.server, settings.user);
    m_credentials->readPassword(key, [this, settings, key](Result<QString> password) {
        if (password.ok()) {
            ConnectionSettings withPassword = settings;
            withPassword.password = password.value();
            return connectTo(withPassword);
        }
        if (!password.error().is(ErrorCode::NoPassword))
            return Q_EMIT passwordRequired(redactedUrl(settings.server), settings.user, password.error());
        // Kept by an earlier version under "user@host": move it to the host:port key once.
        const QString legacy = legacyCredentialKey(settings.server, settings.user);
        m_credentials->readPassword(
            legacy, [this, settings, key, legacy, first = password.error()](Result<QString> old) {
                if (!old.ok())
                    return Q_EMIT passwordRequired(redactedUrl(settings.server), settings.user, first);
                m_credentials->writePassword(key, old.value(), [this, legacy](Result<void> written) {
                    if (written.ok())
                        m_credentials->removePassword(legacy, [](Result<void>) {});
                });
                ConnectionSettings withPassword = settings;
                withPassword.password = old.value();
                connectTo(withPassword);
            });
    });
}

void ConnectionManager::connectWithPassword(const ConnectionSettings& settings, bool remember)
{
    if (remember && m_credentials) {
        m_credentials->writePassword(credentialKey(settings.server, settings.user), settings.password,
                                     [this](Result<void> written) {
                                         if (!written.ok())
                                             Q_EMIT credentialNotice(written.error());
                                     });
    }
    connectTo(settings);
}

void ConnectionManager::forgetPassword(const ConnectionSettings& settings)
{
    if (m_credentials)
        m_credentials->removePassword(credentialKey(settings.server, settings.user), [](Result<void>) {});
}

void ConnectionManager::disconnect()
{
    if (m_hypervisor && isConnected())
        m_hypervisor->disconnectFrom([](Result<void>) {});
}

void ConnectionManager::retryIfDisconnected()
{
    if (!m_settings || m_connectInFlight || m_status.state != ConnectionStatus::State::Connecting ||
        m_breaker.state() != BreakerState::Closed)
        return;
    const BreakerPermit permit = m_breaker.tryAcquire();
    if (permit.isAllowed())
        attemptConnect(permit);
}

bool ConnectionManager::retryRefusedCredentials()
{
    if (!m_settings || m_connectInFlight || !needsOperator() || !m_status.error ||
        m_status.error->kind == ErrorKind::Trust)
        return false;
    qCInfo(lcConnection) << "probe requested: trying the stored credentials once more";
    connectTo(*m_settings);
    return true;
}

void ConnectionManager::attemptConnect(const BreakerPermit& permit)
{
    m_connectInFlight = true;
    if (permit.isScout())
        m_scoutInFlight = true;
    const auto started = m_clock.monotonicNow();
    m_hypervisor->connectTo(*m_settings, [this, permit, started](Result<AboutInfo> result) {
        m_connectInFlight = false;
        if (permit.isScout())
            m_scoutInFlight = false;
        noteCall(permit, started, result.ok() ? nullptr : &result.error());
        if (result.ok()) {
            m_status.state = ConnectionStatus::State::Connected;
            m_status.about = result.value();
            m_status.error.reset();
            qCInfo(lcConnection).noquote() << "connected to" << m_status.server << result.value().fullName;
            Q_EMIT connectionChanged(m_status);
            Q_EMIT connected();
            return;
        }
        const Error& e = result.error();
        if (OutcomePolicy::needsOperator(e))
            return; // noteCall has stopped the connection and said why
        m_status.state = ConnectionStatus::State::Connecting;
        m_status.error = e;
        qCWarning(lcConnection) << "connecting failed:" << toString(e.kind) << e.message;
        Q_EMIT connectionChanged(m_status);
    });
}

bool ConnectionManager::takeScoutLease()
{
    if (!m_fleet)
        return true;
    auto lease = m_fleet->takeScoutLease(m_owner, m_breaker.config().cooldown);
    if (!lease.ok())
        qCInfo(lcConnection) << "no scout: the fleet's scout lease cannot be taken:" << lease.error().message;
    return lease.ok() && lease.value();
}

void ConnectionManager::scout(const BreakerPermit& permit, bool leaseHeld)
{
    if (!m_hypervisor)
        return;
    if (needsOperator()) {
        // Without credentials vCenter accepts, a scout would prove nothing and a Login is not ours to
        // send: hand the permit back unanswered; the breaker stays open until the operator acts.
        m_breaker.onFailure(permit, Error::make(ErrorKind::Cancelled, QStringLiteral("not-sent"),
                                                tr("no scout: the connection waits for the operator")));
        return;
    }
    if (m_fleet && !leaseHeld) {
        // One scout per cooldown for the whole fleet: only the holder of the lease sends it; the others
        // hand their permit back (their breakers stay open) and follow the fleet when it closes. When
        // the lease cannot be taken at all, nothing is sent: a drainer that cannot coordinate must not
        // add to what a struggling vCenter receives.
        auto lease = m_fleet->takeScoutLease(m_owner, m_breaker.config().cooldown);
        if (!lease.ok() || !lease.value()) {
            m_breaker.onFailure(
                permit,
                Error::make(
                    ErrorKind::Cancelled, QStringLiteral("not-sent"),
                    lease.ok()
                        ? tr("no scout: another drainer of the fleet holds the scout lease")
                        : tr("no scout: the fleet's scout lease cannot be taken (%1)").arg(lease.error().message)));
            Q_EMIT breakerNoted();
            Q_EMIT scoutLeaseRefused();
            return;
        }
    }
    // Not logged in yet (or any more): the login is the cheap, repeatable call.
    if (m_settings && !isConnected() && !m_connectInFlight) {
        attemptConnect(permit);
        return;
    }
    m_scoutInFlight = true;
    const auto started = m_clock.monotonicNow();
    m_hypervisor->probe([this, permit, started](Result<QDateTime> result) {
        m_scoutInFlight = false;
        noteCall(permit, started, result.ok() ? nullptr : &result.error());
    });
}

void ConnectionManager::noteCall(const BreakerPermit& permit, std::chrono::steady_clock::time_point started,
                                 const Error* error)
{
    const auto latency = std::chrono::duration_cast<std::chrono::microseconds>(m_clock.monotonicNow() - started);
    if (error)
        m_breaker.onFailure(permit, *error);
    else
        m_breaker.onSuccess(permit, latency);
    Q_EMIT breakerNoted();
    if (error && OutcomePolicy::needsOperator(*error))
        stopForOperator(*error);
}

void ConnectionManager::stopForOperator(const Error& e)
{
    // Whatever call met it — the drain, an inventory read, a task poll, a lookup, the scout — the
    // connection waits for the operator: no call of ours may send another Login with refused credentials.
    if (needsOperator() && m_status.error && m_status.error->code == e.code)
        return;
    m_status.state = ConnectionStatus::State::NeedsOperator;
    m_status.error = e;
    if (e.kind == ErrorKind::Trust)
        qCWarning(lcConnection).noquote()
            << QStringLiteral("the certificate of %1 is not trusted; nothing is sent until an operator reviews it: %2")
                   .arg(m_status.server, e.message);
    else
        qCWarning(lcConnection).noquote()
            << QStringLiteral("vCenter refused the credentials of %1; nothing is sent until the password is changed "
                              "(console: enter it again; dcmctl: `dcmctl login` or DCM_PASSWORD) or an administrator "
                              "probes. The queue is kept.")
                   .arg(m_status.user);
    Q_EMIT connectionChanged(m_status);
}

} // namespace dcm
