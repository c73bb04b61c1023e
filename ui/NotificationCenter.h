#pragma once

#include "domain/ProvisioningRequest.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

class QSystemTrayIcon;
class QWidget;

namespace dcm {

class BannerArea;

// Tells the operator when a request that had to wait in the queue is finally provisioned or fails:
// a desktop notification through the system tray where the desktop has one, else a banner in the window.
// A burst (a queue draining after an outage) becomes one summary, not a storm of messages. In the window
// each request has its own banner subject ("request:<id>", the summary "settled"): a request's newer
// outcome replaces its older one, and a banner whose request moved on (retried, queued again) goes.
class NotificationCenter final : public QObject
{
    Q_OBJECT

public:
    NotificationCenter(BannerArea* banners, QWidget* window);

    static QString subjectOf(const QUuid& id);
    static inline const QString summarySubject = QStringLiteral("settled");

    // For tests and desktops whose tray misbehaves: always use the banner.
    void setTrayAllowed(bool allowed);
    bool usesTray() const;
    void notifySettled(const ProvisioningRequest& request);
    // Every change of a request: its banner goes once the request is no longer in the state it tells of.
    void noteChanged(const ProvisioningRequest& request);
    // Shows what is pending now (tests; the timer does it otherwise).
    void flush();
    QString lastMessage() const { return m_lastMessage; }
    // Requests announced so far.
    int count() const { return m_count; }
    static constexpr int coalesceMs = 400;

Q_SIGNALS:
    void showRequestRequested(const QUuid& id);

private:
    void show(const QString& subject, const QString& title, const QString& body, bool ok);

    BannerArea* m_banners;
    QHash<QUuid, RequestState> m_announced; // requests with a banner, and the state it tells of
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
