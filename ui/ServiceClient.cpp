#include "ui/ServiceClient.h"

// The one ui source that names the service: everything else in ui/ sees ServiceClient and value types.
#include "app/service/ProvisioningService.h"
#include "app/service/ServiceHost.h"

#include <QCoreApplication>

namespace dcm {

ServiceClient::ServiceClient(ServiceHost& host, QObject* parent) : ServiceClient(*host.service(), parent)
{}

ServiceClient::ServiceClient(ProvisioningService& service, QObject* parent) : QObject(parent), m_service(&service)
{
    using PS = ProvisioningService;
    // Across threads these connections are queued: every slot below runs on the GUI thread.
    connect(&service, &PS::initialized, this, &ServiceClient::initialized);
    connect(&service, &PS::submitAnswered, this, &ServiceClient::submitAnswered);
    connect(&service, &PS::requestChanged, this, &ServiceClient::requestChanged);
    connect(&service, &PS::requestProgress, this, &ServiceClient::requestProgress);
    connect(&service, &PS::requestPageLoaded, this, &ServiceClient::requestPageLoaded);
    m_publishTimer.setSingleShot(true);
    connect(&m_publishTimer, &QTimer::timeout, this, &ServiceClient::publishState);
    connect(&service, &PS::breakerChanged, this, [this](const BreakerSnapshot& snapshot) {
        if (snapshot.latencySamples > 0 && (!m_breaker || snapshot.succeeded != m_breaker->succeeded)) {
            m_latency.append({snapshot.latencyP50, snapshot.latencyP90, snapshot.latencyP99});
            if (m_latency.size() > maxLatencySamples)
                m_latency.removeFirst();
            ++m_latencySequence;
        }
        m_breaker = snapshot;
        m_breakerDirty = true;
        publishState();
    });
    connect(&service, &PS::breakerTransitioned, this, &ServiceClient::breakerTransitioned);
    connect(&service, &PS::queueDepthChanged, this, [this](int depth) {
        m_queueDepth = depth;
        m_queueDirty = true;
        publishState();
    });
    connect(&service, &PS::queuePausedChanged, this, [this](bool paused) {
        m_paused = paused;
        Q_EMIT queuePausedChanged(paused);
    });
    connect(&service, &PS::inventoryChanged, this, [this](const InventorySnapshot& inventory) {
        m_inventory = inventory;
        Q_EMIT inventoryChanged(inventory);
    });
    connect(&service, &PS::inventoryFailed, this, &ServiceClient::inventoryFailed);
    connect(&service, &PS::connectionChanged, this, [this](const ConnectionStatus& status) {
        m_connection = status;
        Q_EMIT connectionChanged(status);
    });
    connect(&service, &PS::passwordRequired, this, &ServiceClient::passwordRequired);
    connect(&service, &PS::queueChanged, this, [this](const QString& location, bool team, const QString& name) {
        m_queueLocation = location;
        m_teamQueue = team;
        m_queueName = name;
        Q_EMIT queueChanged(location, team, name);
    });
    connect(&service, &PS::queuePasswordRequired, this, &ServiceClient::queuePasswordRequired);
    connect(&service, &PS::queueSwitchFailed, this, &ServiceClient::queueSwitchFailed);
    connect(&service, &PS::credentialNotice, this, &ServiceClient::credentialNotice);
    connect(&service, &PS::storageFailed, this, &ServiceClient::storageFailed);
    connect(&service, &PS::requestSettled, this, &ServiceClient::requestSettled);
}

ServiceClient::~ServiceClient() = default;

QList<ServiceClient::LatencySample> ServiceClient::latencySince(quint64& sequence) const
{
    const quint64 fresh =
        std::min<quint64>(m_latencySequence - std::min(sequence, m_latencySequence), m_latency.size());
    sequence = m_latencySequence;
    return m_latency.mid(m_latency.size() - qsizetype(fresh));
}

void ServiceClient::publishState()
{
    if (!m_breakerDirty && !m_queueDirty)
        return;
    if (m_sincePublished.isValid() && m_sincePublished.elapsed() < stateThrottleMs) {
        if (!m_publishTimer.isActive())
            m_publishTimer.start(int(stateThrottleMs - m_sincePublished.elapsed()));
        return;
    }
    m_sincePublished.start();
    if (std::exchange(m_breakerDirty, false) && m_breaker)
        Q_EMIT breakerChanged(*m_breaker);
    if (std::exchange(m_queueDirty, false))
        Q_EMIT queueDepthChanged(m_queueDepth);
}

template <class F> void ServiceClient::post(F&& call)
{
    if (!m_service)
        return;
    QMetaObject::invokeMethod(
        m_service.data(), [service = m_service.data(), call = std::forward<F>(call)] { call(service); },
        Qt::QueuedConnection);
}

void ServiceClient::postWithReply(std::function<std::optional<Error>(ProvisioningService*)> call, Reply reply)
{
    QPointer<ServiceClient> self(this);
    post([call = std::move(call), reply = std::move(reply), self](ProvisioningService* service) {
        const std::optional<Error> error = call(service);
        if (!reply)
            return;
        // The answer goes back through the application object, which outlives every window: the check
        // of `self` then happens on the GUI thread.
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [reply, error, self] {
                if (self)
                    reply(error);
            },
            Qt::QueuedConnection);
    });
}

void ServiceClient::connectTo(const ConnectionSettings& settings)
{
    post([settings](ProvisioningService* s) { s->connectTo(settings); });
}

void ServiceClient::connectWithStoredPassword(const ConnectionSettings& settings)
{
    post([settings](ProvisioningService* s) { s->connectWithStoredPassword(settings); });
}

void ServiceClient::connectWithPassword(const ConnectionSettings& settings, bool remember)
{
    post([settings, remember](ProvisioningService* s) { s->connectWithPassword(settings, remember); });
}

void ServiceClient::forgetPassword(const ConnectionSettings& settings)
{
    post([settings](ProvisioningService* s) { s->forgetPassword(settings); });
}

void ServiceClient::useQueue(const QString& location, const std::optional<QString>& password, bool remember)
{
    post([location, password, remember](ProvisioningService* s) { s->useQueue(location, password, remember); });
}

quint64 ServiceClient::submit(const VmSpec& spec)
{
    const quint64 token = m_nextToken++;
    post([spec, token](ProvisioningService* s) { (void)s->submit(spec, token); });
    return token;
}

quint64 ServiceClient::submitOperation(RequestKind kind, const OperationTarget& target)
{
    const quint64 token = m_nextToken++;
    post([kind, target, token](ProvisioningService* s) { (void)s->submitOperation(kind, target, token); });
    return token;
}

quint64 ServiceClient::submitBatch(const VmSpec& pattern, int count)
{
    const quint64 token = m_nextToken++;
    post([pattern, count, token](ProvisioningService* s) { (void)s->submitBatch(pattern, count, token); });
    return token;
}

void ServiceClient::cancel(const QUuid& id, Reply reply)
{
    postWithReply([id](ProvisioningService* s) { return s->cancel(id); }, std::move(reply));
}

void ServiceClient::retryNow(const QUuid& id, Reply reply)
{
    postWithReply([id](ProvisioningService* s) { return s->retryNow(id); }, std::move(reply));
}

void ServiceClient::setQueuePaused(bool paused, const QString& reason)
{
    post([paused, reason](ProvisioningService* s) { s->setQueuePaused(paused, reason); });
}

void ServiceClient::forceBreakerOpen(const QString& reason)
{
    post([reason](ProvisioningService* s) { s->forceBreakerOpen(reason); });
}

void ServiceClient::resetBreaker(const QString& reason)
{
    post([reason](ProvisioningService* s) { s->resetBreaker(reason); });
}

void ServiceClient::probeNow(const QString& reason)
{
    post([reason](ProvisioningService* s) { s->probeNow(reason); });
}

void ServiceClient::refreshInventory()
{
    post([](ProvisioningService* s) { s->refreshInventory(); });
}

quint64 ServiceClient::loadRequestPage(const RequestFilter& filter)
{
    const quint64 token = m_nextToken++;
    post([filter, token](ProvisioningService* s) { s->loadRequestPage(filter, token); });
    return token;
}

} // namespace dcm
