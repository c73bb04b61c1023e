#pragma once

#include "app/service/ProvisioningService.h"

#include <QObject>
#include <QPointer>
#include <QThread>

#include <chrono>

namespace dcm {

// Owns the one named service thread and the ProvisioningService living in it. The service's adapter,
// store and keychain are created inside that thread (initialize()). Callers reach the service only
// through queued invocations and its signals (which arrive queued on the caller's thread).
class ServiceHost final : public QObject
{
    Q_OBJECT

public:
    ServiceHost(ProvisioningService::HypervisorFactory hypervisor, ProvisioningService::StoreFactory store,
                ProvisioningService::CredentialFactory credentials, const ClockPort& clock, ServiceConfig config,
                QObject* parent = nullptr);
    // Shuts the service down, quits the thread and waits for it.
    ~ServiceHost() override;
    ServiceHost(const ServiceHost&) = delete;
    ServiceHost& operator=(const ServiceHost&) = delete;

    // The service: connect to its signals; call it with QMetaObject::invokeMethod(..., Qt::QueuedConnection).
    ProvisioningService* service() const { return m_service; }
    QThread* thread() const { return m_thread; }

    // Starts the thread and initializes the service in it.
    void start();
    // Stops new work and lets calls in flight finish for up to `grace`, then ends the thread.
    void stop(std::chrono::milliseconds grace = std::chrono::seconds(5));

private:
    QThread* m_thread = nullptr;
    QPointer<ProvisioningService> m_service;
    bool m_stopped = false;
};

} // namespace dcm
