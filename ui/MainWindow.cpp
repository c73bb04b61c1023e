#include "ui/MainWindow.h"

#include "app/service/AppInfo.h"
#include "ui/AdminVmOperationDialog.h"
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
#include <QProcess>
#include <QPushButton>
#include <QStatusBar>
#include <QStyle>
#include <QTabBar>
#include <QTabWidget>
#include <QToolBar>
#include <QVBoxLayout>

namespace dcm {

namespace {

const SystemClock systemClock;

} // namespace

MainWindow::MainWindow(std::unique_ptr<ServiceClient> client, QWidget* parent)
    : QMainWindow(parent), m_settings(std::make_unique<UiSettings>()), m_client(client.release()), m_clock(&systemClock)
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
    m_adminMode->setToolTip(
        tr("Allow the breaker and queue controls, and operations on any VM of the inventory (Ctrl+Shift+A)"));

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
    layout->addWidget(m_tabs, 1);
    setCentralWidget(central);
    // Over the pages, below the tab bar, outside the layout: a message never moves the page.
    m_banners = new BannerArea(central, m_tabs->tabBar());

    m_connection = new ConnectionController(m_client, m_settings.get(), this, m_banners);
    m_notifications = new NotificationCenter(m_banners, this);
    m_countdown.setInterval(1000);
    connect(&m_countdown, &QTimer::timeout, this, &MainWindow::refreshStatus);

    buildActions();
    buildStatusBar();

    connect(m_client, &ServiceClient::initialized, this, [this](const std::optional<Error>& error) {
        if (error) {
            m_banners->showMessage(storageSubject, StateStyle::Notice::Error,
                                   tr("The request database could not be opened: %1. Nothing can be submitted until "
                                      "this is fixed.")
                                       .arg(error->message));
            return;
        }
        m_banners->clear(storageSubject);
        m_requests->reload();
    });
    connect(m_client, &ServiceClient::storageFailed, this, [this](const Error& error) {
        m_banners->showMessage(
            storageSubject, StateStyle::Notice::Error,
            tr("The request database reported a problem: %1. Requests already accepted are kept.").arg(error.message));
    });
    connect(m_client, &ServiceClient::requestSettled, m_notifications, &NotificationCenter::notifySettled);
    connect(m_client, &ServiceClient::requestChanged, m_notifications, &NotificationCenter::noteChanged);
    connect(m_client, &ServiceClient::connectionChanged, this, &MainWindow::onConnectionChanged);
    connect(m_client, &ServiceClient::breakerChanged, this, &MainWindow::onBreakerChanged);
    connect(m_client, &ServiceClient::queueDepthChanged, this, &MainWindow::updateQueueLabel);
    connect(m_client, &ServiceClient::queuePausedChanged, this, &MainWindow::updateQueueLabel);
    connect(m_connection, &ConnectionController::profileChanged, this, [this] { updateTitle(); });
    // The operator always knows which queue a submit goes to: the status bar and the title say it.
    connect(m_client, &ServiceClient::queueChanged, this, [this] { updateTitle(); });
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

    // The newest page of the history; also asked for when the service reports it is initialized: asking
    // now covers a service that is already running (a no-op while its store is not open yet).
    m_requests->reload();
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
    admin->addSeparator();
    m_adminVmOperation = admin->addAction(tr("&VM operation…"), this, &MainWindow::openAdminVmOperation);
    m_adminVmOperation->setObjectName(QStringLiteral("adminVmOperationAction"));
    m_adminVmOperation->setToolTip(
        tr("Power on, power off, restart or decommission any VM of the inventory, with a reason (admin mode)"));
    m_adminVmOperation->setEnabled(m_adminMode->isChecked());
    connect(m_adminMode, &QAction::toggled, this, [this](bool on) {
        m_adminVmOperation->setEnabled(on);
        // Leaving admin mode takes its powers along, also the one in an open dialog.
        if (!on && m_adminVmDialog)
            m_adminVmDialog->reject();
    });

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

AdminVmOperationDialog* MainWindow::adminVmOperationDialog() const
{
    return m_adminVmDialog;
}

void MainWindow::openAdminVmOperation()
{
    if (!m_adminMode->isChecked())
        return;
    if (m_adminVmDialog) {
        m_adminVmDialog->raise();
        m_adminVmDialog->activateWindow();
        return;
    }
    // Not blocking: the window keeps following the service (and the dialog the inventory) meanwhile.
    auto* dialog = new AdminVmOperationDialog(m_client, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_adminVmDialog = dialog;
    connect(dialog, &QDialog::finished, this, [this, dialog](int result) {
        m_adminVmDialog = nullptr;
        if (result != QDialog::Accepted || !dialog->isSubmittable() || !m_adminMode->isChecked())
            return;
        const OperationTarget target = dialog->target();
        showView(View::Requests);
        m_requests->submitOperation(dialog->kind(), target, target.vmName);
    });
    dialog->open();
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
    m_queueLocation = make(QStringLiteral("statusQueueLocation"), tr("Which queue"));
    statusBar()->addWidget(m_serverIcon);
    statusBar()->addWidget(m_server, 1);
    statusBar()->addPermanentWidget(m_user);
    statusBar()->addPermanentWidget(m_breakerIcon);
    statusBar()->addPermanentWidget(m_breaker);
    statusBar()->addPermanentWidget(m_queueLocation);
    statusBar()->addPermanentWidget(m_queue);
    onConnectionChanged(m_client->connection());
    if (m_client->breaker())
        onBreakerChanged(*m_client->breaker());
    updateQueueLabel();
}

void MainWindow::setClock(const ClockPort& clock)
{
    m_clock = &clock;
    // The views read ages and due times against the same clock.
    m_requests->setClock(clock);
    m_form->setClock(clock);
    m_dashboard->setClock(clock);
    refreshStatus();
}

void MainWindow::refreshStatus()
{
    const ConnectionStatus& status = m_client->connection();
    m_line = StateStyle::statusLine(status, m_client->breaker(), m_clock->utcNow());
    const QSize side(fontMetrics().height(), fontMetrics().height());
    m_serverIcon->setPixmap(StateStyle::noticeIcon(m_line.connectionNotice).pixmap(side, devicePixelRatioF()));
    m_serverIcon->setAccessibleDescription(m_line.healthy ? tr("Connected and vCenter answers")
                                                          : tr("Not everything is well: see the connection and the "
                                                               "breaker"));
    m_server->setText(m_line.connection);
    m_server->setToolTip(m_line.connectionTip);
    m_user->setText(status.user.isEmpty() ? QString() : tr("User: %1").arg(status.user));
    if (const auto& b = m_client->breaker()) {
        // The CLOSED icon (the green one) only when it means health; otherwise the state's own icon, or
        // the notice's when CLOSED says nothing good (failures counted, or not connected).
        const QIcon icon = b->state != BreakerState::Closed ? StateStyle::breakerIcon(b->state)
                           : m_line.breakerHealthy          ? StateStyle::breakerIcon(BreakerState::Closed)
                                                            : StateStyle::noticeIcon(m_line.breakerNotice);
        m_breakerIcon->setPixmap(icon.pixmap(side, devicePixelRatioF()));
    } else {
        m_breakerIcon->clear();
    }
    m_breaker->setText(m_line.breaker);
    m_breaker->setToolTip(m_line.breakerTip);
    if (m_line.counting && !m_countdown.isActive())
        m_countdown.start();
    else if (!m_line.counting)
        m_countdown.stop();
}

void MainWindow::onConnectionChanged(const ConnectionStatus& status)
{
    refreshStatus();
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
    refreshStatus();
    if (m_breakerState == snapshot.state)
        return;
    m_breakerState = snapshot.state;
    m_tabs->setTabIcon(int(View::Dashboard), StateStyle::breakerIcon(snapshot.state));
    // One message for the breaker: replaced as its state moves, gone once it is closed again.
    switch (snapshot.state) {
    case BreakerState::Closed:
        m_banners->clear(breakerSubject);
        return;
    case BreakerState::Open:
    case BreakerState::HalfOpen:
        if (m_banners->has(breakerSubject) &&
            m_banners->message(breakerSubject)->notice() == StateStyle::Notice::Warning)
            return; // the outage goes on: a scout's turn does not change what the operator should know
        m_banners->showMessage(
            breakerSubject, StateStyle::Notice::Warning,
            snapshot.lastError
                ? tr("vCenter is not answering (%1): calls are stopped and new requests wait in the queue; they are "
                     "sent once a scout finds vCenter back.")
                      .arg(snapshot.lastError->message)
                : tr("vCenter is not answering: calls are stopped and new requests wait in the queue; they are sent "
                     "once a scout finds vCenter back."));
        return;
    case BreakerState::ForcedOpen:
        m_banners->showMessage(breakerSubject, StateStyle::Notice::Info,
                               snapshot.lastReason.isEmpty()
                                   ? tr("An administrator holds the breaker open: requests wait in the queue until "
                                        "it is released.")
                                   : tr("An administrator holds the breaker open (%1): requests wait in the queue "
                                        "until it is released.")
                                         .arg(snapshot.lastReason));
        return;
    }
}

void MainWindow::updateQueueLabel()
{
    const int depth = m_client->queueDepth();
    m_queue->setText(m_client->isQueuePaused() ? tr("Queue: %1 (paused)").arg(depth) : tr("Queue: %1").arg(depth));
}

QString MainWindow::queueText() const
{
    if (m_client->queueName().isEmpty())
        return tr("Queue: not open");
    return m_client->isTeamQueue() ? tr("Queue: team database %1").arg(m_client->queueName())
                                   : tr("Queue: this workstation");
}

void MainWindow::updateTitle()
{
    const QString host = m_connection->profile().host();
    const QString queue = queueText();
    m_queueLocation->setText(queue);
    m_queueLocation->setToolTip(
        m_client->isTeamQueue()
            ? tr("Requests are kept in the team database %1, shared with the team.").arg(m_client->queueName())
            : tr("Requests are kept in a file on this workstation."));
    const QString base = host.isEmpty() ? AppInfo::displayName() : tr("%1 — %2").arg(host, AppInfo::displayName());
    setWindowTitle(m_client->queueName().isEmpty() ? base : tr("%1 (%2)").arg(base, queue));
}

QString MainWindow::statusBarText() const
{
    return QStringList{m_server->text(), m_user->text(), m_breaker->text(), m_queueLocation->text(), m_queue->text()}
        .join(QStringLiteral(" | "));
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
    if (m_startingBackground) {
        event->ignore(); // the background unit is being started: its answer decides
        return;
    }
    // Whether another console or `dcmctl serve` drains this database is not known here: whenever
    // requests wait, the operator decides.
    if (!m_quitConfirmed && m_client->queueDepth() > 0) {
        event->ignore();
        askBeforeQuitting();
        return;
    }
    m_settings->setWindow(saveGeometry(), saveState());
    m_settings->setLastView(m_tabs->currentIndex());
    m_requests->saveState();
    m_settings->sync();
    QMainWindow::closeEvent(event);
    if (!event->isAccepted())
        return;
    // The window goes at once; the calls in flight get a bounded grace, never the time a hung call takes.
    hide();
    if (Shutdown shutdown = std::exchange(m_shutdown, {}))
        shutdown(shutdownGrace);
}

QMessageBox* MainWindow::quitQuestion() const
{
    return m_quitQuestion.data();
}

void MainWindow::quitNow()
{
    m_quitConfirmed = true;
    close();
}

void MainWindow::askBeforeQuitting()
{
    if (m_quitQuestion)
        return;
    const int depth = m_client->queueDepth();
    auto* box = new QMessageBox(QMessageBox::Question, tr("Requests are waiting"),
                                depth == 1 ? tr("1 request waits in the queue for vCenter.")
                                           : tr("%1 requests wait in the queue for vCenter.").arg(depth),
                                QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("quitQuestion"));
    box->setInformativeText(
        tr("Keep draining in the background: starts %1 in your user session (and from now on at login), which sends "
           "them while the console is closed. It connects with the settings in ~/.config/dcm/serve.env and the "
           "password saved in the keychain.\n\nQuit anyway: they stay queued in the request database and are sent "
           "when the console or dcmctl serve runs next.\n\nIf another console or dcmctl serve already works on this "
           "database, it sends them either way; the console cannot tell.")
            .arg(backgroundUnit));
    QPushButton* keep = box->addButton(tr("&Keep draining in the background"), QMessageBox::AcceptRole);
    keep->setObjectName(QStringLiteral("keepDraining"));
    QPushButton* quit = box->addButton(tr("&Quit anyway"), QMessageBox::DestructiveRole);
    quit->setObjectName(QStringLiteral("quitAnyway"));
    QPushButton* stay = box->addButton(QMessageBox::Cancel);
    stay->setObjectName(QStringLiteral("stay"));
    box->setDefaultButton(stay);
    box->setEscapeButton(stay);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::WindowModal);
    connect(box, &QMessageBox::finished, this, [this, box, keep, quit] {
        QAbstractButton* chosen = box->clickedButton();
        if (chosen == keep)
            startBackgroundDrain();
        else if (chosen == quit)
            QMetaObject::invokeMethod(this, &MainWindow::quitNow, Qt::QueuedConnection);
    });
    m_quitQuestion = box;
    box->open();
}

void MainWindow::startBackgroundDrain()
{
    m_startingBackground = true;
    m_banners->showMessage(quitSubject, StateStyle::Notice::Info,
                           tr("Starting the background service (%1)…").arg(backgroundUnit));
    auto* process = new QProcess(this);
    process->setProgram(QStringLiteral("systemctl"));
    process->setArguments(
        {QStringLiteral("--user"), QStringLiteral("enable"), QStringLiteral("--now"), backgroundUnit});
    connect(process, &QProcess::errorOccurred, this, [this, process](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart)
            return; // the others end in finished()
        process->deleteLater();
        backgroundDrainFailed(tr("systemctl could not be run (%1); this session may have no systemd user manager.")
                                  .arg(process->errorString()));
    });
    // systemctl answers at once; one that hangs (a stuck session bus) must not keep the window either.
    auto* patience = new QTimer(process);
    patience->setSingleShot(true);
    connect(patience, &QTimer::timeout, process, [process] {
        process->setProperty("timedOut", true);
        process->kill();
    });
    connect(process, &QProcess::started, patience, [patience] { patience->start(backgroundStartTimeout); });
    connect(process, &QProcess::finished, this, [this, process](int code, QProcess::ExitStatus status) {
        process->deleteLater();
        if (process->property("timedOut").toBool()) {
            backgroundDrainFailed(tr("systemctl did not answer within %1 s.").arg(backgroundStartTimeout.count()));
            return;
        }
        if (status == QProcess::NormalExit && code == 0) {
            m_startingBackground = false;
            m_banners->clear(quitSubject);
            quitNow();
            return;
        }
        const QString said = QString::fromLocal8Bit(process->readAllStandardError()).trimmed();
        if (status != QProcess::NormalExit)
            backgroundDrainFailed(tr("systemctl stopped unexpectedly."));
        else
            backgroundDrainFailed(said.isEmpty() ? tr("systemctl ended with exit code %1.").arg(code)
                                                 : tr("systemctl ended with exit code %1: %2").arg(code).arg(said));
    });
    process->start();
}

void MainWindow::backgroundDrainFailed(const QString& reason)
{
    m_startingBackground = false;
    const int depth = m_client->queueDepth();
    const QString queued = depth == 1 ? tr("The waiting request stays queued in the request database.")
                                      : tr("The %1 waiting requests stay queued in the request database.").arg(depth);
    m_banners->showMessage(
        quitSubject, StateStyle::Notice::Error,
        tr("The background service (%1) could not be started: %2 %3").arg(backgroundUnit, reason, queued));
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Background service not started"),
                                tr("`systemctl --user enable --now %1` failed.").arg(backgroundUnit),
                                QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("backgroundDrainFailed"));
    box->setTextFormat(Qt::PlainText);
    box->setInformativeText(
        tr("%1\n\n%2 Quit anyway, or stay and keep the console open to send them.").arg(reason, queued));
    QPushButton* quit = box->addButton(tr("&Quit anyway"), QMessageBox::DestructiveRole);
    quit->setObjectName(QStringLiteral("quitAnyway"));
    QPushButton* stay = box->addButton(tr("&Stay"), QMessageBox::RejectRole);
    stay->setObjectName(QStringLiteral("stay"));
    box->setDefaultButton(stay);
    box->setEscapeButton(stay);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::WindowModal);
    connect(box, &QMessageBox::finished, this, [this, box, quit] {
        if (box->clickedButton() == quit)
            QMetaObject::invokeMethod(this, &MainWindow::quitNow, Qt::QueuedConnection);
    });
    m_quitQuestion = box;
    box->open();
}

} // namespace dcm
