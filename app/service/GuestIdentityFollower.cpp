#include "app/service/GuestIdentityFollower.h"

#include "domain/RequestEventText.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcGuest, "dcm.app.guest", QtInfoMsg)

namespace dcm {

namespace Why = RequestEventText;

GuestIdentityFollower::GuestIdentityFollower(CircuitBreaker& breaker, ConnectionManager& connection,
                                             const ClockPort& clock, std::chrono::milliseconds interval,
                                             std::chrono::milliseconds timeout, QObject* parent)
    : QObject(parent), m_breaker(breaker), m_connection(connection), m_clock(clock), m_interval(interval),
      m_timeout(timeout)
{}

void GuestIdentityFollower::attach(HypervisorPort* hypervisor, RequestStorePort* store, Writer writer)
{
    m_hypervisor = hypervisor;
    m_store = store;
    m_writer = std::move(writer);
}

bool GuestIdentityFollower::wants(const ProvisioningRequest& request)
{
    return request.state() == RequestState::Provisioned && request.spec().isClone() && request.spec().powerOn &&
           !request.vmRef().isEmpty() && (request.guestHostName().isEmpty() || request.ipAddress().isEmpty());
}

void GuestIdentityFollower::follow(const ProvisioningRequest& request, const QDateTime& since)
{
    if (!wants(request) || m_followed.contains(request.id()))
        return;
    const auto now = m_clock.monotonicNow();
    auto deadline = now + m_timeout;
    if (since.isValid()) {
        const qint64 spent = std::max<qint64>(0, since.msecsTo(m_clock.utcNow()));
        if (spent >= m_timeout.count())
            return; // its wait is over already
        deadline = now + (m_timeout - std::chrono::milliseconds(spent));
    }
    // The first read at once: a guest customized from a template often reports within seconds.
    m_followed.insert(request.id(), Followed{request.vmRef(), now, deadline, false});
}

void GuestIdentityFollower::poll()
{
    if (!m_hypervisor || m_followed.isEmpty())
        return;
    const auto now = m_clock.monotonicNow();
    const QList<QUuid> ids = m_followed.keys();
    for (const QUuid& id : ids) {
        auto it = m_followed.find(id);
        if (it == m_followed.end() || it->reading)
            continue;
        if (now >= it->deadline) {
            giveUp(id);
            continue;
        }
        if (now < it->nextAt || !m_connection.isConnected() || m_connection.needsOperator())
            continue;
        const BreakerPermit permit = m_breaker.tryAcquire();
        if (!permit.isAllowed() || permit.isScout()) {
            // The scout is the cheap probe, never a state read; the rest wait for the next turn.
            if (permit.isScout() && !m_connection.scoutInFlight())
                m_connection.scout(permit);
            else if (permit.isScout())
                m_breaker.onFailure(permit, Error::make(ErrorKind::Cancelled, QStringLiteral("not-sent"),
                                                        QStringLiteral("a scout is already out")));
            return;
        }
        it->reading = true;
        const auto started = m_clock.monotonicNow();
        m_hypervisor->readState(it->vmRef, [this, id, permit, started](Result<std::optional<VmState>> result) {
            onRead(id, permit, started, std::move(result));
        });
    }
}

void GuestIdentityFollower::onRead(const QUuid& id, const BreakerPermit& permit,
                                   std::chrono::steady_clock::time_point started, Result<std::optional<VmState>> result)
{
    m_connection.noteCall(permit, started, result.ok() ? nullptr : &result.error());
    auto it = m_followed.find(id);
    if (it == m_followed.end())
        return;
    it->reading = false;
    it->nextAt = m_clock.monotonicNow() + m_interval;
    if (!result.ok()) {
        // Asked again at the next interval; the deadline bounds it.
        qCDebug(lcGuest) << "guest state of" << id << "not read:" << result.error().message;
        return;
    }
    if (!result.value()) {
        qCInfo(lcGuest) << "the VM of" << id << "is gone; no guest identity to wait for";
        m_followed.remove(id);
        return;
    }
    const VmState& state = *result.value();
    if (state.guestHostName.isEmpty() && state.ipAddress.isEmpty())
        return;
    if (!record(id, state.guestHostName, state.ipAddress))
        m_followed.remove(id);
}

bool GuestIdentityFollower::record(const QUuid& id, const QString& hostName, const QString& address)
{
    auto stored = m_store->get(id);
    if (!stored.ok() || !stored.value())
        return false;
    ProvisioningRequest request = *stored.value();
    if (request.state() != RequestState::Provisioned)
        return false;
    const QString host = hostName.isEmpty() ? request.guestHostName() : hostName;
    const QString ip = address.isEmpty() ? request.ipAddress() : address;
    if (host == request.guestHostName() && ip == request.ipAddress())
        return true; // nothing new
    request.setGuestHostName(host);
    request.setIpAddress(ip);
    const QString unknown = QStringLiteral("-");
    if (!request
             .note(Why::reason(Why::kGuestReported, {host.isEmpty() ? unknown : host, ip.isEmpty() ? unknown : ip}),
                   m_clock.utcNow())
             .ok() ||
        !m_writer(request, RequestState::Provisioned))
        return false;
    if (!host.isEmpty() && !ip.isEmpty())
        m_followed.remove(id);
    return true;
}

void GuestIdentityFollower::giveUp(const QUuid& id)
{
    m_followed.remove(id);
    auto stored = m_store->get(id);
    if (!stored.ok() || !stored.value())
        return;
    ProvisioningRequest request = *stored.value();
    if (request.state() != RequestState::Provisioned || !request.ipAddress().isEmpty())
        return;
    const qint64 minutes = std::chrono::duration_cast<std::chrono::minutes>(m_timeout).count();
    if (request.note(Why::reason(Why::kGuestSilent, {QString::number(minutes)}), m_clock.utcNow()).ok())
        m_writer(request, RequestState::Provisioned);
}

} // namespace dcm
