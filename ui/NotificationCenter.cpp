#include "ui/NotificationCenter.h"

#include "ui/Banner.h"
#include "ui/StateStyle.h"

#include <QApplication>
#include <QSystemTrayIcon>
#include <QWidget>

namespace dcm {

NotificationCenter::NotificationCenter(BannerArea* banners, QWidget* window)
    : QObject(window), m_banners(banners), m_window(window)
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(coalesceMs);
    connect(&m_timer, &QTimer::timeout, this, &NotificationCenter::flush);
}

void NotificationCenter::setTrayAllowed(bool allowed)
{
    m_trayAllowed = allowed;
    if (!allowed && m_tray)
        m_tray->hide();
}

bool NotificationCenter::usesTray() const
{
    return m_trayAllowed && QSystemTrayIcon::isSystemTrayAvailable() && QSystemTrayIcon::supportsMessages();
}

QString NotificationCenter::subjectOf(const QUuid& id)
{
    return QStringLiteral("request:%1").arg(id.toString(QUuid::WithoutBraces));
}

void NotificationCenter::noteChanged(const ProvisioningRequest& request)
{
    const auto it = m_announced.constFind(request.id());
    if (it == m_announced.cend() || *it == request.state())
        return;
    // "Failed" must not stay up while the request is queued or sent again.
    m_announced.erase(it);
    m_banners->clear(subjectOf(request.id()));
}

void NotificationCenter::notifySettled(const ProvisioningRequest& request)
{
    // Only requests that waited: an operator who just submitted sees the outcome in the window anyway.
    const QList<RequestEvent>& history = request.history();
    const bool waited = std::any_of(history.cbegin(), history.cend(),
                                    [](const RequestEvent& e) { return e.to == RequestState::QueuedForProvisioning; });
    if (!waited || request.state() == RequestState::Cancelled)
        return;

    m_pending.append(request);
    if (!m_timer.isActive())
        m_timer.start();
}

void NotificationCenter::flush()
{
    m_timer.stop();
    if (m_pending.isEmpty())
        return;
    const QList<ProvisioningRequest> settled = std::exchange(m_pending, {});
    m_count += int(settled.size());
    m_lastId = settled.back().id();
    if (settled.size() == 1) {
        const ProvisioningRequest& r = settled.front();
        const bool ok = r.state() == RequestState::Provisioned;
        if (!usesTray())
            m_announced.insert(r.id(), r.state());
        show(subjectOf(r.id()), ok ? tr("VM provisioned") : tr("VM request failed"),
             ok ? tr("“%1” was created after waiting in the queue.").arg(r.spec().name)
                : tr("“%1” failed: %2")
                      .arg(r.spec().name, r.lastError() ? r.lastError()->message : StateStyle::requestText(r.state())),
             ok);
        return;
    }
    const auto provisioned = std::count_if(settled.cbegin(), settled.cend(), [](const ProvisioningRequest& r) {
        return r.state() == RequestState::Provisioned;
    });
    const qsizetype failed = settled.size() - provisioned;
    // The summary tells of these requests now: their own older banners go.
    for (const ProvisioningRequest& r : settled) {
        m_announced.remove(r.id());
        m_banners->clear(subjectOf(r.id()));
    }
    if (failed == 0)
        show(summarySubject, tr("VMs provisioned"),
             tr("%1 requests that waited in the queue were created.").arg(provisioned), true);
    else
        show(summarySubject, tr("Queued requests finished"),
             tr("%1 provisioned, %2 failed. See the Requests view for the errors.").arg(provisioned).arg(failed),
             false);
}

void NotificationCenter::show(const QString& subject, const QString& title, const QString& body, bool ok)
{
    m_lastMessage = title + QStringLiteral(": ") + body;
    if (usesTray()) {
        if (!m_tray) {
            m_tray = new QSystemTrayIcon(QApplication::windowIcon(), this);
            m_tray->setToolTip(QApplication::applicationDisplayName());
            connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] {
                m_window->showNormal();
                m_window->raise();
                m_window->activateWindow();
                if (!m_lastId.isNull())
                    Q_EMIT showRequestRequested(m_lastId);
            });
            m_tray->show();
        }
        m_tray->showMessage(title, body, ok ? QSystemTrayIcon::Information : QSystemTrayIcon::Warning, 10000);
        return;
    }
    const QUuid shown = m_lastId;
    m_banners->showMessage(
        subject, ok ? StateStyle::Notice::Success : StateStyle::Notice::Error, m_lastMessage, tr("Show request"),
        [this, shown] { Q_EMIT showRequestRequested(shown); }, ok ? 15000 : 0);
}

} // namespace dcm
