#pragma once

#include "app/service/ServiceTypes.h"
#include "domain/CircuitBreaker.h"
#include "domain/ports/ClockPort.h"
#include "domain/ports/CredentialStorePort.h"
#include "domain/ports/FleetBreakerPort.h"
#include "domain/ports/HypervisorPort.h"

#include <QObject>

#include <chrono>
#include <memory>
#include <optional>

namespace dcm {

// The service's connection to the hypervisor: the settings and the password (in memory, from the
// operator or the keychain), the login, the breaker's scout, and the rule that credentials vCenter
// refused, or a certificate it cannot trust, stop the connection for the operator — whichever call met
// them — until the operator gives new ones or an administrator probes. The adapter's session shares one
// Login among every call that finds the session gone (single flight) and remembers a refusal, so that
// nothing here or there can send a second Login with refused credentials.
//
// Every call's outcome is reported to the breaker through noteCall(), on the service thread.
class ConnectionManager final : public QObject
{
    Q_OBJECT

public:
    ConnectionManager(CircuitBreaker& breaker, const ClockPort& clock, QObject* parent = nullptr);

    // The adapter (not owned) and the keychain (may be null), once the service is initialized.
    void attach(HypervisorPort* hypervisor, std::unique_ptr<CredentialStorePort> credentials);
    // The breaker the fleet shares (not owned; may be null: every scout is this process's own), and
    // who this service is in its scout lease.
    void attachFleet(FleetBreakerPort* fleet, const QString& owner);
    // The keychain (null without one): the service also keeps a team database's password there.
    CredentialStorePort* credentials() const { return m_credentials.get(); }

    const ConnectionStatus& status() const { return m_status; }
    bool isConnected() const { return m_status.state == ConnectionStatus::State::Connected; }
    bool needsOperator() const { return m_status.state == ConnectionStatus::State::NeedsOperator; }
    bool scoutInFlight() const { return m_scoutInFlight; }

    // "<user>@<host>:<port>": the keychain key for a server and user.
    static QString credentialKey(const QUrl& server, const QString& user);
    // "<user>@<host>": where earlier versions kept it; read once and moved.
    static QString legacyCredentialKey(const QUrl& server, const QString& user);

    void connectTo(const ConnectionSettings& settings);
    void connectWithStoredPassword(const ConnectionSettings& settings);
    void connectWithPassword(const ConnectionSettings& settings, bool remember);
    void forgetPassword(const ConnectionSettings& settings);
    // Logs out when connected (best effort).
    void disconnect();

    // The timer's turn: not logged in yet while the breaker is closed -> try again (failures count).
    void retryIfDisconnected();
    // The breaker's scout, with its permit: the login when not logged in, else the cheap probe. Waiting
    // for the operator, it sends nothing and hands the permit back; so it does when another drainer of
    // the fleet holds the scout lease (or the lease cannot be taken): one scout per cooldown per fleet.
    void scout(const BreakerPermit& permit, bool leaseHeld = false);
    // The fleet's scout lease for this service (true without a fleet). Taken before the scout permit
    // where possible, so that a member that is not to scout leaves its breaker OPEN (deferScout)
    // instead of going HALF_OPEN and back for nothing.
    bool takeScoutLease();
    // An administrator's explicit probe while the connection waits for the operator: the refused
    // credentials are tried once more (one Login). False when the connection does not wait for that.
    bool retryRefusedCredentials();

    // Reports a call's outcome to the breaker; credentials or trust failures stop the connection.
    void noteCall(const BreakerPermit& permit, std::chrono::steady_clock::time_point started, const Error* error);

Q_SIGNALS:
    void connectionChanged(const dcm::ConnectionStatus& status);
    void connected();
    void passwordRequired(const QString& server, const QString& user, const std::optional<dcm::Error>& reason);
    void credentialNotice(const dcm::Error& notice);
    // The breaker heard an outcome (the service publishes its snapshot).
    void breakerNoted();
    // A scout was not sent because another drainer holds the fleet's scout lease: the fleet's state is
    // worth a look (it may have closed meanwhile).
    void scoutLeaseRefused();

private:
    void attemptConnect(const BreakerPermit& permit);
    void stopForOperator(const Error& e);

    CircuitBreaker& m_breaker;
    const ClockPort& m_clock;
    HypervisorPort* m_hypervisor = nullptr;
    std::unique_ptr<CredentialStorePort> m_credentials;
    FleetBreakerPort* m_fleet = nullptr;
    QString m_owner;
    ConnectionStatus m_status;
    std::optional<ConnectionSettings> m_settings;
    bool m_connectInFlight = false;
    bool m_scoutInFlight = false;
};

} // namespace dcm
