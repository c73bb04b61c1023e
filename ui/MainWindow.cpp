#include "ui/MainWindow.h"

#include "app/service/AppInfo.h"
#include "ui/Banner.h"
#include "ui/BreakerDashboard.h"
#include "ui/ConnectionController.h"
#include "ui/NotificationCenter.h"
#include "ui/RequestsPage.h"
#include "ui/ServiceClient.h"
#include "ui/StateStyle.h"
#include "ui/UiSettings.h"
#include "ui/VmSpecForm.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QToolBar>
#include <QVBoxLayout>

namespace dcm {

MainWindow::MainWindow(std::unique_ptr<ServiceClient> client, QWidget* parent)
    : QMainWindow(parent), m_settings(std::make_unique<UiSettings>()), m_client(client.release())
{
    Q_ASSERT(m_client);
    m_client->setParent(this);
    StateStyle::ensureResources();
    setObjectName(QStringLiteral("mainWindow"));
    QIcon appIcon;
    for (int size : {16, 32, 48, 64, 128, 256})
        appIcon.addFile(QStringLiteral(":/icons/org.dcm.OperatorConsole-%1.png").arg(size), QSize(size, size));
    setWindowIcon(appIcon);
    if (QApplication::windowIcon().isNull() || QApplication::windowIcon().availableSizes().isEmpty())
        QApplication::setWindowIcon(appIcon); // the tray notification's icon

    m_adminMode = new QAction(StateStyle::breakerIcon(BreakerState::ForcedOpen), tr("&Admin mode"), this);
    m_adminMode->setObjectName(QStringLiteral("adminMode"));
    m_adminMode->setCheckable(true);
    m_adminMode->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A));
    m_adminMode->setToolTip(tr("Allow the breaker and queue controls (Ctrl+Shift+A)"));

    m_banner = new Banner;
    m_requests = new RequestsPage(m_client, m_settings.get());
    m_form = new VmSpecForm(m_client, m_settings.get());
    m_dashboard = new BreakerDashboard(m_client, m_adminMode);
    m_tabs = new QTabWidget;
    m_tabs->setObjectName(QStringLiteral("views"));
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_requests, StateStyle::requestIcon(RequestState::Provisioning), tr("&Requests"));
    m_tabs->addTab(m_form, style()->standardIcon(QStyle::SP_FileDialogNewFolder), tr("&New VM"));
    m_tabs->addTab(m_dashboard, StateStyle::breakerIcon(BreakerState::Closed), tr("&Breaker && queue"));
    m_tabs->setTabToolTip(0, tr("Every request and its live state (Ctrl+1)"));
    m_tabs->setTabToolTip(1, tr("Ask for a new VM (Ctrl+N)"));
    m_tabs->setTabToolTip(2, tr("The circuit breaker and the queue (Ctrl+3)"));

    auto* central = new QWidget;
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    auto* bannerBox = new QVBoxLayout;
    bannerBox->setContentsMargins(8, 6, 8, 0);
    bannerBox->addWidget(m_banner);
    layout->addLayout(bannerBox);
    layout->addWidget(m_tabs, 1);
    setCentralWidget(central);

    m_connection = new ConnectionController(m_client, m_settings.get(), this);
    m_notifications = new NotificationCenter(m_banner, this);

    buildActions();
    buildStatusBar();

    connect(m_client, &ServiceClient::initialized, this, [this](const std::optional<Error>& error) {
        if (error) {
            m_banner->showMessage(StateStyle::Notice::Error,
                                  tr("The request database could not be opened: %1. Nothing can be submitted until "
                                     "this is fixed.")
                                      .arg(error->message));
            return;
        }
        m_client->loadRequests();
    });
    connect(m_client, &ServiceClient::storageFailed, this, [this](const Error& error) {
        m_banner->showMessage(
            StateStyle::Notice::Error,
            tr("The request database reported a problem: %1. Requests already accepted are kept.").arg(error.message));
    });
    connect(m_client, &ServiceClient::requestSettled, m_notifications, &NotificationCenter::notifySettled);
    connect(m_client, &ServiceClient::connectionChanged, this, &MainWindow::onConnectionChanged);
    connect(m_client, &ServiceClient::breakerChanged, this, &MainWindow::onBreakerChanged);
    connect(m_client, &ServiceClient::queueDepthChanged, this, &MainWindow::updateQueueLabel);
    connect(m_client, &ServiceClient::queuePausedChanged, this, &MainWindow::updateQueueLabel);
    connect(m_connection, &ConnectionController::notice, this,
            [this](StateStyle::Notice notice, const QString& text) { m_banner->showMessage(notice, text); });
    connect(m_connection, &ConnectionController::profileChanged, this, [this] { updateTitle(); });
    const auto showRequest = [this](const QUuid& id) {
        showView(View::Requests);
        m_requests->selectRequest(id);
    };
    connect(m_form, &VmSpecForm::showRequestRequested, this, showRequest);
    connect(m_notifications, &NotificationCenter::showRequestRequested, this, showRequest);
    connect(m_requests, &RequestsPage::editRequested, this, [this](const VmSpec& spec, const QUuid& from) {
        m_form->loadSpec(spec, from);
        showView(View::NewVm);
    });
    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int index) {
        if (index == int(View::NewVm))
            m_form->focusFirstField();
    });

    resize(1240, 820);
    restoreGeometry(m_settings->windowGeometry());
    restoreState(m_settings->windowState());
    m_tabs->setCurrentIndex(std::clamp(m_settings->lastView(), 0, 2));
    updateTitle();

    // Also asked for when the service reports it is initialized; asking now covers a service that is
    // already running (a no-op while its store is not open yet).
    m_client->loadRequests();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildActions()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    m_connect = file->addAction(style()->standardIcon(QStyle::SP_DriveNetIcon), tr("&Connect…"), this,
                                [this] { m_connection->showConnectDialog(); });
    m_connect->setObjectName(QStringLiteral("connectAction"));
    m_connect->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    m_connect->setToolTip(tr("Choose or edit the vCenter connection (Ctrl+Shift+O)"));
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);

    QMenu* request = menuBar()->addMenu(tr("&Request"));
    QAction* newVm = request->addAction(style()->standardIcon(QStyle::SP_FileDialogNewFolder), tr("&New VM…"), this,
                                        [this] { showView(View::NewVm); });
    newVm->setObjectName(QStringLiteral("newVmAction"));
    newVm->setShortcut(QKeySequence::New);
    newVm->setToolTip(tr("Ask for a new VM (Ctrl+N)"));
    request->addSeparator();
    request->addAction(m_requests->cancelAction());
    request->addAction(m_requests->retryAction());
    request->addAction(m_requests->copyIdAction());
    request->addSeparator();
    QAction* find = request->addAction(tr("&Find request…"), this, [this] {
        showView(View::Requests);
        m_requests->focusSearch();
    });
    find->setShortcut(QKeySequence::Find);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    const QList<std::pair<View, QString>> views{
        {View::Requests, tr("&Requests")}, {View::NewVm, tr("&New VM")}, {View::Dashboard, tr("&Breaker and queue")}};
    for (const auto& [v, text] : views) {
        QAction* a = view->addAction(text, this, [this, v = v] { showView(v); });
        a->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + int(v))));
    }
    view->addSeparator();
    m_refresh = view->addAction(style()->standardIcon(QStyle::SP_BrowserReload), tr("Re&fresh inventory"), this,
                                [this] { m_form->refreshInventory(); });
    m_refresh->setObjectName(QStringLiteral("refreshInventoryAction"));
    m_refresh->setShortcut(QKeySequence::Refresh);
    m_refresh->setToolTip(tr("Fetch the inventory from vCenter again (F5)"));

    QMenu* admin = menuBar()->addMenu(tr("&Admin"));
    admin->addAction(m_adminMode);
    admin->addAction(tr("Show &breaker and queue"), this, [this] { showView(View::Dashboard); });

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* aboutAction = help->addAction(tr("&About %1").arg(AppInfo::displayName()), this, &MainWindow::about);
    aboutAction->setMenuRole(QAction::AboutRole);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);

    QToolBar* bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->setMovable(false);
    bar->addAction(m_connect);
    bar->addAction(newVm);
    bar->addAction(m_refresh);
    bar->addSeparator();
    bar->addAction(m_adminMode);
}

void MainWindow::buildStatusBar()
{
    const auto make = [this](const QString& name, const QString& accessible) {
        auto* label = new QLabel;
        label->setObjectName(name);
        label->setAccessibleName(accessible);
        label->setContentsMargins(6, 0, 6, 0);
        return label;
    };
    m_serverIcon = make(QStringLiteral("statusServerIcon"), tr("Connection state"));
    m_server = make(QStringLiteral("statusServer"), tr("Server"));
    m_user = make(QStringLiteral("statusUser"), tr("User"));
    m_breakerIcon = make(QStringLiteral("statusBreakerIcon"), tr("Breaker state icon"));
    m_breaker = make(QStringLiteral("statusBreaker"), tr("Circuit breaker"));
    m_queue = make(QStringLiteral("statusQueue"), tr("Queue depth"));
    statusBar()->addWidget(m_serverIcon);
    statusBar()->addWidget(m_server, 1);
    statusBar()->addPermanentWidget(m_user);
    statusBar()->addPermanentWidget(m_breakerIcon);
    statusBar()->addPermanentWidget(m_breaker);
    statusBar()->addPermanentWidget(m_queue);
    onConnectionChanged(m_client->connection());
    if (m_client->breaker())
        onBreakerChanged(*m_client->breaker());
    else
        m_breaker->setText(tr("Breaker: —"));
    updateQueueLabel();
}

void MainWindow::onConnectionChanged(const ConnectionStatus& status)
{
    const int side = fontMetrics().height();
    StateStyle::Notice notice = StateStyle::Notice::Info;
    switch (status.state) {
    case ConnectionStatus::State::Connected:
        notice = StateStyle::Notice::Success;
        break;
    case ConnectionStatus::State::Connecting:
        notice = StateStyle::Notice::Info;
        break;
    case ConnectionStatus::State::NeedsOperator:
        notice = StateStyle::Notice::Error;
        break;
    case ConnectionStatus::State::Disconnected:
        notice = StateStyle::Notice::Warning;
        break;
    }
    m_serverIcon->setPixmap(StateStyle::noticeIcon(notice).pixmap(QSize(side, side), devicePixelRatioF()));
    const QString host = QUrl(status.server).host();
    QString text = host.isEmpty() ? StateStyle::connectionText(status.state)
                                  : tr("%1 — %2").arg(host, StateStyle::connectionText(status.state));
    if (status.state == ConnectionStatus::State::Connected && !status.about.fullName.isEmpty())
        text += tr(" (%1)").arg(status.about.fullName);
    m_server->setText(text);
    m_server->setToolTip(status.error ? tr("Last error: %1").arg(status.error->message) : status.server);
    m_user->setText(status.user.isEmpty() ? QString() : tr("User: %1").arg(status.user));

    if (status.state == ConnectionStatus::State::Connected) {
        // A new session (first connection, another server, or back after an outage): fresh inventory.
        if (!m_client->inventory() || m_connectedServer != status.server)
            m_form->refreshInventory();
        m_connectedServer = status.server;
    }
    updateTitle();
}

void MainWindow::onBreakerChanged(const BreakerSnapshot& snapshot)
{
    if (m_breakerState == snapshot.state)
        return;
    m_breakerState = snapshot.state;
    const int side = fontMetrics().height();
    m_breakerIcon->setPixmap(StateStyle::breakerIcon(snapshot.state).pixmap(QSize(side, side), devicePixelRatioF()));
    m_breaker->setText(tr("Breaker: %1").arg(StateStyle::breakerText(snapshot.state)));
    m_breaker->setToolTip(StateStyle::breakerDescription(snapshot.state));
    m_tabs->setTabIcon(int(View::Dashboard), StateStyle::breakerIcon(snapshot.state));
}

void MainWindow::updateQueueLabel()
{
    const int depth = m_client->queueDepth();
    m_queue->setText(m_client->isQueuePaused() ? tr("Queue: %1 (paused)").arg(depth) : tr("Queue: %1").arg(depth));
}

void MainWindow::updateTitle()
{
    const QString host = m_connection->profile().host();
    setWindowTitle(host.isEmpty() ? AppInfo::displayName() : tr("%1 — %2").arg(host, AppInfo::displayName()));
}

QString MainWindow::statusBarText() const
{
    return QStringList{m_server->text(), m_user->text(), m_breaker->text(), m_queue->text()}.join(
        QStringLiteral(" | "));
}

void MainWindow::connectAtStart(const ConnectionProfile& profile, const std::optional<QString>& password, bool persist)
{
    if (password)
        m_connection->connectWithPassword(profile, *password);
    else
        m_connection->connectProfile(profile, persist);
}

bool MainWindow::connectToLastProfile()
{
    const auto last = m_settings->profile(m_settings->lastProfileName());
    if (!last)
        return false;
    m_connection->connectProfile(*last, true);
    return true;
}

void MainWindow::showView(View view)
{
    m_tabs->setCurrentIndex(int(view));
}

MainWindow::View MainWindow::currentView() const
{
    return View(m_tabs->currentIndex());
}

QWidget* MainWindow::view(View view) const
{
    return m_tabs->widget(int(view));
}

void MainWindow::about()
{
    QMessageBox::about(this, tr("About %1").arg(AppInfo::displayName()),
                       tr("<h3>%1 %2</h3><p>Provisions virtual machines on VMware vCenter, behind a circuit breaker "
                          "and a durable queue: no request is lost while vCenter is down.</p><p>Qt %3</p>")
                           .arg(AppInfo::displayName(), AppInfo::version(), QString::fromLatin1(qVersion())));
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    m_settings->setWindow(saveGeometry(), saveState());
    m_settings->setLastView(m_tabs->currentIndex());
    m_requests->saveState();
    m_settings->sync();
    QMainWindow::closeEvent(event);
}

} // namespace dcm
