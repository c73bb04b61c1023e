#pragma once

#include "app/service/ServiceTypes.h"
#include "ui/ConnectionProfile.h"

#include <QMainWindow>

#include <memory>
#include <optional>

class QAction;
class QLabel;
class QTabWidget;

namespace dcm {

class Banner;
class BreakerDashboard;
class ConnectionController;
class NotificationCenter;
class RequestsPage;
class ServiceClient;
class UiSettings;
class VmSpecForm;

// The operator console's window: the requests, the New VM form and the breaker dashboard as tabs, a
// status bar that always shows server, user, breaker state and queue depth, and the connection flow.
// It talks to the service (on its own thread) only through ServiceClient, which it owns.
class MainWindow final : public QMainWindow
{
    Q_OBJECT

public:
    enum class View
    {
        Requests = 0,
        NewVm = 1,
        Dashboard = 2,
    };

    explicit MainWindow(std::unique_ptr<ServiceClient> client, QWidget* parent = nullptr);
    ~MainWindow() override;

    // Connects once the window is up: with the environment's password when given, else the keychain's.
    void connectAtStart(const ConnectionProfile& profile, const std::optional<QString>& password, bool persist);
    // Reconnects to the last profile of the settings, if there is one.
    bool connectToLastProfile();

    void showView(View view);
    View currentView() const;
    QWidget* view(View view) const;

    ServiceClient* client() const { return m_client; }
    RequestsPage* requestsPage() const { return m_requests; }
    VmSpecForm* vmSpecForm() const { return m_form; }
    BreakerDashboard* dashboard() const { return m_dashboard; }
    ConnectionController* connectionController() const { return m_connection; }
    NotificationCenter* notifications() const { return m_notifications; }
    Banner* banner() const { return m_banner; }
    QAction* adminModeAction() const { return m_adminMode; }
    QString statusBarText() const;

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildActions();
    void buildStatusBar();
    void onConnectionChanged(const ConnectionStatus& status);
    void onBreakerChanged(const BreakerSnapshot& snapshot);
    void updateQueueLabel();
    void updateTitle();
    void about();

    std::unique_ptr<UiSettings> m_settings;
    ServiceClient* m_client;
    QTabWidget* m_tabs;
    Banner* m_banner;
    RequestsPage* m_requests;
    VmSpecForm* m_form;
    BreakerDashboard* m_dashboard;
    ConnectionController* m_connection;
    NotificationCenter* m_notifications;
    QAction* m_adminMode;
    QAction* m_connect;
    QAction* m_refresh;
    QLabel* m_serverIcon;
    QLabel* m_server;
    QLabel* m_user;
    QLabel* m_breakerIcon;
    QLabel* m_breaker;
    QLabel* m_queue;
    QString m_connectedServer;
    std::optional<BreakerState> m_breakerState;
};

} // namespace dcm
