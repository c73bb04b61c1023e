#pragma once

#include "app/service/ServiceTypes.h"
#include "domain/ports/ClockPort.h"
#include "ui/ConnectionProfile.h"
#include "ui/StateStyle.h"

#include <QMainWindow>
#include <QPointer>
#include <QTimer>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

class QAction;
class QLabel;
class QMessageBox;
class QTabWidget;

namespace dcm {

class AdminVmOperationDialog;
class BannerArea;
class BreakerDashboard;
class ConnectionController;
class NotificationCenter;
class RequestsPage;
class ServiceClient;
class UiSettings;
class VmSpecForm;

// The operator console's window: the requests, the New VM form and the breaker dashboard as tabs, a
// status bar that shows the connection and the breaker apart (green only when both are well), the queue
// depth, the window's banners (one per subject), and the connection flow. It talks to the service (on
// its own thread) only through ServiceClient, which it owns.
//
// Closing: with requests waiting in the queue it asks whether to keep draining them in the background
// (the dcm-serve systemd user unit), quit anyway, or stay. Once it closes, the window goes at once and
// the service gets `shutdownGrace` for the calls in flight (setShutdown), never more.
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
    using Shutdown = std::function<void(std::chrono::milliseconds grace)>;
    // What calls in flight get to land when the window closes: long enough for an answer on its way,
    // short enough that a hung call never keeps the process. A call cut off is reconciled by whoever
    // drains next (its lease lapses).
    static constexpr std::chrono::milliseconds shutdownGrace{2000};
    static inline const QString breakerSubject = QStringLiteral("breaker");
    static inline const QString storageSubject = QStringLiteral("storage");
    static inline const QString quitSubject = QStringLiteral("quit");
    // The unit `Keep draining in the background` enables and starts (packaging/systemd).
    static inline const QString backgroundUnit = QStringLiteral("dcm-serve.service");
    static constexpr std::chrono::seconds backgroundStartTimeout{15};

    explicit MainWindow(std::unique_ptr<ServiceClient> client, QWidget* parent = nullptr);
    ~MainWindow() override;

    // The clock the service runs on: the scout's countdown is read against it. (Default: the system's.)
    void setClock(const ClockPort& clock);
    // Called once, after the window has closed and is hidden, with `shutdownGrace`.
    void setShutdown(Shutdown shutdown) { m_shutdown = std::move(shutdown); }

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
    BannerArea* banner() const { return m_banners; }
    QAction* adminModeAction() const { return m_adminMode; }
    // Admin > VM operation…: enabled only in admin mode; opens the dialog below.
    QAction* adminVmOperationAction() const { return m_adminVmOperation; }
    // The admin VM operation dialog while it is open, else null.
    AdminVmOperationDialog* adminVmOperationDialog() const;
    QString statusBarText() const;
    // "Queue: this workstation" / "Queue: team database db.example.com/dcm", as the status bar shows it.
    QString queueText() const;
    // What the status bar shows now (connection and breaker, apart, and whether all is well).
    const StateStyle::StatusLine& statusLine() const { return m_line; }
    // The open question on closing, or its follow-up after a failed start of the background unit.
    QMessageBox* quitQuestion() const;

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildActions();
    void buildStatusBar();
    void onConnectionChanged(const ConnectionStatus& status);
    void onBreakerChanged(const BreakerSnapshot& snapshot);
    void refreshStatus();
    void updateQueueLabel();
    void updateTitle();
    void about();
    void openAdminVmOperation();
    void askBeforeQuitting();
    void startBackgroundDrain();
    void backgroundDrainFailed(const QString& reason);
    void quitNow();

    std::unique_ptr<UiSettings> m_settings;
    ServiceClient* m_client;
    const ClockPort* m_clock;
    QTabWidget* m_tabs;
    BannerArea* m_banners;
    RequestsPage* m_requests;
    VmSpecForm* m_form;
    BreakerDashboard* m_dashboard;
    ConnectionController* m_connection;
    NotificationCenter* m_notifications;
    QAction* m_adminMode;
    QAction* m_adminVmOperation;
    QPointer<AdminVmOperationDialog> m_adminVmDialog;
    QAction* m_connect;
    QAction* m_refresh;
    QLabel* m_serverIcon;
    QLabel* m_server;
    QLabel* m_user;
    QLabel* m_breakerIcon;
    QLabel* m_breaker;
    QLabel* m_queue;
    QLabel* m_queueLocation;
    QString m_connectedServer;
    std::optional<BreakerState> m_breakerState;
    StateStyle::StatusLine m_line;
    QTimer m_countdown; // moves the scout's countdown while the breaker is open
    Shutdown m_shutdown;
    QPointer<QMessageBox> m_quitQuestion;
    bool m_quitConfirmed = false;
    bool m_startingBackground = false;
};

} // namespace dcm
