#pragma once

#include "CtlOptions.h"

#include "app/service/ProvisioningService.h"
#include "domain/ports/BreakerLogPort.h"
#include "domain/ports/ClockPort.h"
#include "domain/ports/CredentialStorePort.h"
#include "domain/ports/FleetBreakerPort.h"
#include "domain/ports/HypervisorPort.h"
#include "domain/ports/RequestStorePort.h"

#include <functional>
#include <memory>
#include <optional>

namespace dcm::ctl {

// The composition main.cpp chooses: which adapter, which store, which keychain.
struct CtlFactories
{
    std::function<std::unique_ptr<HypervisorPort>()> hypervisor;
    std::function<Result<std::unique_ptr<RequestStorePort>>(const QString& path)> store;
    std::function<Result<std::unique_ptr<BreakerLogPort>>(const QString& path)> breakerLog;
    // The keychain key of a team database's password (empty for a SQLite file; unset: none).
    std::function<QString(const QString& location)> databaseCredentialKey;
    // The breaker the drainers on one team database share; may be unset or give none (SQLite).
    std::function<Result<std::unique_ptr<FleetBreakerPort>>(const QString& path)> fleetBreaker;
    std::function<std::unique_ptr<CredentialStorePort>()> credentials;
};

// Everything a command starts from.
struct CtlContext
{
    CtlOptions options;
    CtlFactories factories;
    QString environmentPassword; // DCM_PASSWORD as read at startup; no longer in the environment
};

// Reads DCM_PASSWORD once and removes it from this process's environment, overwriting its bytes first:
// unsetenv only drops the entry from `environ`, while the text itself stays in the block the process
// started with, which /proc/PID/environ shows. No child process started later inherits it either.
// Empty when the variable is unset or empty.
QString takePasswordFromEnvironment();

// What the commands share to reach vCenter and the request database: the connection settings with
// their password (DCM_PASSWORD, else the keychain), the service, the store.
class CtlConnection
{
public:
    explicit CtlConnection(CtlContext context);
    ~CtlConnection();
    CtlConnection(const CtlConnection&) = delete;
    CtlConnection& operator=(const CtlConnection&) = delete;

    const CtlOptions& options() const { return m_context.options; }
    const CtlFactories& factories() const { return m_context.factories; }
    const ClockPort& clock() const { return m_clock; }

    // Server and user from the options, the password from DCM_PASSWORD or else the keychain entry for
    // "<user>@<host>". The error names what is missing (InvalidInput, or Authentication for the password).
    void withPassword(std::function<void(Result<ConnectionSettings>)> next);
    std::unique_ptr<HypervisorPort> makeHypervisor() const;
    // autoTick false: no timer (for one-shot operator actions such as cancel and retry).
    std::unique_ptr<ProvisioningService> makeService(bool autoTick);
    Result<std::unique_ptr<RequestStorePort>> openStore() const;
    // The breaker's log on the same database (a connection of its own).
    Result<std::unique_ptr<BreakerLogPort>> openBreakerLog() const;
    // Created on first use; null when main.cpp composes no keychain.
    CredentialStorePort* credentials();

    // A login vCenter refused (Authentication or Permission), turned into the one line an operator
    // acts on — naming the account, what to do, and that the queue is kept — with exit code 5.
    // nullopt for any other error.
    static std::optional<Error> refusedCredentials(const Error& error, const QUrl& server, const QString& user);

private:
    CtlContext m_context;
    SystemClock m_clock;
    std::unique_ptr<CredentialStorePort> m_credentials;
};

} // namespace dcm::ctl
