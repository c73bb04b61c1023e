#include "app/service/ServiceHost.h"

#include <QSemaphore>

#include <memory>

namespace dcm {

ServiceHost::ServiceHost(ProvisioningService::HypervisorFactory hypervisor, ProvisioningService::StoreFactory store,
                         ProvisioningService::CredentialFactory credentials, const ClockPort& clock,
                         ServiceConfig config, QObject* parent)
    : QObject(parent), m_thread(new QThread(this))
{
    m_thread->setObjectName(QStringLiteral("dcm-service"));
    auto* service = new ProvisioningService(std::move(hypervisor), std::move(store), clock, std::move(config));
    service->setCredentialStoreFactory(std::move(credentials));
    service->moveToThread(m_thread);
    // Deleted in its own thread once the thread's loop has ended.
    connect(m_thread, &QThread::finished, service, &QObject::deleteLater);
    m_service = service;
}

ServiceHost::~ServiceHost()
{
    stop();
}

void ServiceHost::start()
{
    m_thread->start();
    QMetaObject::invokeMethod(m_service, &ProvisioningService::initialize, Qt::QueuedConnection);
}

void ServiceHost::stop(std::chrono::milliseconds grace)
{
    if (m_stopped)
        return;
    m_stopped = true;
    if (!m_thread->isRunning())
        return;
    if (m_service) {
        // Stop new work, then give calls in flight up to `grace` to land, so that their outcome is
        // recorded now rather than reconciled by the next service. The semaphore is released in the
        // service thread when nothing is in flight any more.
        auto idle = std::make_shared<QSemaphore>();
        QMetaObject::invokeMethod(
            m_service,
            [service = m_service, idle] {
                service->shutdown();
                service->whenIdle([idle] { idle->release(); });
            },
            Qt::QueuedConnection);
        idle->tryAcquire(1, int(grace.count()));
    }
    m_thread->quit();
    m_thread->wait();
}

} // namespace dcm
