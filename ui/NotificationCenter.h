#pragma once

#include "domain/ProvisioningRequest.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

class QSystemTrayIcon;
class QWidget;

namespace dcm {

class Banner;

// Tells the operator when a request that had to wait in the queue is finally provisioned or fails:
// a desktop notification through the system tray where the desktop has one, else a banner in the window.
// A burst (a queue draining after an outage) becomes one summary, not a storm of messages.
class NotificationCenter final : public QObject
{
    Q_OBJECT

public:
    NotificationCenter(Banner* banner, QWidget* window);

    // For tests and desktops whose tray misbehaves: always use the banner.
    void setTrayAllowed(bool allowed);
    bool usesTray() const;
    void notifySettled(const ProvisioningRequest& request);
    // Shows what is pending now (tests; the timer does it otherwise).
    void flush();
    QString lastMessage() const { return m_lastMessage; }
    // Requests announced so far.
    int count() const { return m_count; }
    static constexpr int coalesceMs = 400;

Q_SIGNALS:
    void showRequestRequested(const QUuid& id);

private:
    void show(const QString& title, const QString& body, bool ok);

    Banner* m_banner;
    QList<ProvisioningRequest> m_pending;
    QTimer m_timer;
    QWidget* m_window;
    QPointer<QSystemTrayIcon> m_tray;
    bool m_trayAllowed = true;
    QString m_lastMessage;
    QUuid m_lastId;
    int m_count = 0;
};

} // namespace dcm
