#pragma once

#include "CtlOptions.h"
#include "CtlOutput.h"

#include "app/service/ProvisioningService.h"
#include "domain/ports/ClockPort.h"

#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>

namespace dcm::ctl {

// Runs one dcmctl command on the main thread's event loop and ends it with the command's exit code.
// The composition (which adapter, which store) is given by the factories from main.cpp.
class CtlRunner final : public QObject
{
    Q_OBJECT

public:
    struct Factories
    {
        std::function<std::unique_ptr<HypervisorPort>()> hypervisor;
        std::function<Result<std::unique_ptr<RequestStorePort>>(const QString& path)> store;
        std::function<Result<std::unique_ptr<BreakerLogPort>>(const QString& path)> breakerLog;
        std::function<std::unique_ptr<CredentialStorePort>()> credentials;
    };

    CtlRunner(CtlOptions options, Factories factories, QObject* parent = nullptr);
    ~CtlRunner() override;

    // Starts the command; QCoreApplication::exit(code) ends it.
    void start();
    // SIGINT/SIGTERM: a graceful stop (serve), or an interrupted command.
    void interrupt();

private:
    void finish(int exitCode);
    int fail(const Error& error);
    void withPassword(std::function<void(ConnectionSettings)> next);

    void about();
    void inventory();
    void submit();
    void requests();
    void breaker();
    void serve();
    void cancelOrRetry(bool cancel);
    void login();

    std::unique_ptr<ProvisioningService> makeService(bool autoTick);
    Result<std::unique_ptr<RequestStorePort>> openStore();

    CtlOptions m_options;
    Factories m_factories;
    CtlOutput m_out;
    SystemClock m_clock;
    std::unique_ptr<HypervisorPort> m_hypervisor;
    std::unique_ptr<CredentialStorePort> m_credentials;
    std::unique_ptr<ProvisioningService> m_service;
    QTimer m_deadline;
    QUuid m_waitFor;
    bool m_serving = false;
    bool m_finished = false;
};

} // namespace dcm::ctl
