// The whole console window against the real service (fake hypervisor and store, manual clock): the
// queued answer and QUEUED row while the breaker is open, the drain turning rows PROVISIONED, breaker
// transitions on the dashboard and in the status bar, admin actions reaching the service, the operator's
// request actions, and the in-window notification when a queued request settles.
#include "GuiHarness.h"
#include "domain/LocalActor.h"

#include "ui/Banner.h"
#include "ui/BreakerDashboard.h"
#include "ui/LatencyChart.h"
#include "ui/MainWindow.h"
#include "ui/NotificationCenter.h"
#include "ui/RequestDetailsPane.h"
#include "ui/RequestFilterProxy.h"
#include "ui/RequestTableModel.h"
#include "ui/RequestsPage.h"
#include "ui/ServiceClient.h"
#include "ui/VmSpecForm.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace dcm;
using namespace std::chrono_literals;

namespace {

const QString queuedMessage =
    QStringLiteral("Request accepted. Provisioning will start when the hypervisor is online.");

} // namespace

class TestMainWindow final : public QObject
{
    Q_OBJECT

private:
    IsolatedSettings m_settingsDir;
    std::unique_ptr<GuiHarness> m_h;
    std::unique_ptr<MainWindow> m_w;

    RequestTableModel* model() { return m_w->requestsPage()->model(); }
    // The state the table shows for a VM name ("(absent)" when there is no such row).
    QString stateOf(const QString& name)
    {
        for (int r = 0; r < model()->rowCount(); ++r)
            if (model()->requestAt(r)->spec().name == name)
                return toString(model()->requestAt(r)->state());
        return QStringLiteral("(absent)");
    }
    QUuid idOf(const QString& name)
    {
        for (int r = 0; r < model()->rowCount(); ++r)
            if (model()->requestAt(r)->spec().name == name)
                return model()->requestAt(r)->id();
        return {};
    }
    template <class T> T* child(const char* name)
    {
        auto* w = m_w->findChild<T*>(QLatin1String(name));
        if (!w)
            qFatal("no widget %s", name);
        return w;
    }

    // Types a valid spec into the form and presses Submit; returns the service's answer.
    SubmitAnswer submitThroughForm(const QString& name)
    {
        m_w->showView(MainWindow::View::NewVm);
        auto* nameEdit = m_w->vmSpecForm()->findChild<QLineEdit*>(QStringLiteral("name"));
        nameEdit->clear();
        QTest::keyClicks(nameEdit, name);
        auto* submit = m_w->vmSpecForm()->findChild<QPushButton*>(QStringLiteral("submit"));
        [&] { QTRY_VERIFY(submit->isEnabled()); }();
        QSignalSpy answered(m_w->client(), &ServiceClient::submitAnswered);
        QTest::mouseClick(submit, Qt::LeftButton);
        [&] { QTRY_COMPARE(answered.count(), 1); }();
        return answered.isEmpty() ? SubmitAnswer{} : answered.at(0).at(0).value<SubmitAnswer>();
    }

    // Opens the breaker as an outage does: counted failures in a row, here from requests sent while the
    // hypervisor refuses connections.
    void tripBreaker()
    {
        m_h->hypervisor->setUnreachable(true);
        for (int i = 0; i < 5; ++i)
            (void)m_h->service->submit(validSpec(QStringLiteral("trip-%1").arg(i)));
        QTRY_COMPARE(m_h->service->breakerSnapshot().state, BreakerState::Open);
    }

    // The outage ends; the cooldown passes; the scout succeeds and the queue drains.
    void recoverAndDrain()
    {
        m_h->hypervisor->setUnreachable(false);
        m_h->clock.advance(31s);
        m_h->service->tick();
    }

private Q_SLOTS:
    void init()
    {
        m_h = std::make_unique<GuiHarness>();
        m_w = std::make_unique<MainWindow>(m_h->client());
        m_w->notifications()->setTrayAllowed(false);
        m_w->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_w.get()));
        QVERIFY(m_h->connect());
        QTRY_VERIFY(m_w->vmSpecForm()->hasInventory()); // fetched on connecting
    }
    void cleanup()
    {
        m_w.reset();
        m_h.reset();
    }

    void statusBarShowsServerUserBreakerAndQueue()
    {
        QTRY_VERIFY(m_w->statusBarText().contains(QStringLiteral("vc.test")));
        const QString text = m_w->statusBarText();
        QVERIFY2(text.contains(QStringLiteral("Connected")), qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("User: operator")));
        QVERIFY(text.contains(QStringLiteral("Breaker: CLOSED")));
        QVERIFY(text.contains(QStringLiteral("Queue: 0")));
    }

    // Breaker open: the form shows the service's exact sentence and the table a QUEUED row.
    void submitWhileBreakerOpenShowsQueuedMessageAndQueuedRow()
    {
        tripBreaker();
        const SubmitAnswer answer = submitThroughForm(QStringLiteral("queued-01"));
        QCOMPARE(answer.outcome, SubmitAnswer::Outcome::Queued);
        QCOMPARE(answer.message, queuedMessage);
        QCOMPARE(m_w->vmSpecForm()->feedbackText(), queuedMessage);
        QTRY_COMPARE(stateOf(QStringLiteral("queued-01")), toString(RequestState::QueuedForProvisioning));
        const int row = model()->rowOf(answer.id);
        QCOMPARE(model()->index(row, RequestTableModel::StateColumn).data().toString(), QStringLiteral("Queued"));
        QVERIFY(!model()->index(row, RequestTableModel::StateColumn).data(Qt::DecorationRole).value<QIcon>().isNull());
        QTRY_VERIFY(m_w->statusBarText().contains(QStringLiteral("Queue: 6")));
        QVERIFY(m_w->statusBarText().contains(QStringLiteral("Breaker: OPEN")));
    }

    // The scout succeeds, the breaker closes and the drain turns the queued rows PROVISIONED, with the
    // running task's progress shown meanwhile: the hypervisor reports it through the ProgressFn of the
    // provision call, the service forwards it, and the table shows it.
    void drainTurnsRowsProvisionedWithProgress()
    {
        tripBreaker();
        const SubmitAnswer answer = submitThroughForm(QStringLiteral("queued-02"));
        QCOMPARE(answer.outcome, SubmitAnswer::Outcome::Queued);

        m_h->hypervisor->setHoldCalls(true);
        recoverAndDrain();
        // Let the calls through one by one until our request's provisioning call is the one held.
        // The store is the truth here: the table shows changes a moment later (it coalesces bursts).
        const auto stored = [this](const QUuid& id) { return m_h->store->get(id).value()->state(); };
        QTRY_VERIFY(stored(answer.id) == RequestState::Provisioning || (m_h->hypervisor->completeHeld(), false));
        QTRY_COMPARE(stateOf(QStringLiteral("queued-02")), toString(RequestState::Provisioning));
        const int row = model()->rowOf(answer.id);
        QCOMPARE(model()->index(row, RequestTableModel::ProgressColumn).data(RequestTableModel::ProgressRole).toInt(),
                 0);
        // vCenter reports task progress while CreateVM_Task runs: so does the fake, for the call it holds.
        QVERIFY(m_h->hypervisor->reportProgress(answer.id, 60, QStringLiteral("creating")));
        QTRY_COMPARE(
            model()->index(row, RequestTableModel::ProgressColumn).data(RequestTableModel::ProgressRole).toInt(), 60);
        QVERIFY(
            model()->index(row, RequestTableModel::ProgressColumn).data().toString().contains(QStringLiteral("60%")));

        m_h->hypervisor->setHoldCalls(false);
        m_h->hypervisor->completeAllHeld();
        QTRY_COMPARE(stateOf(QStringLiteral("queued-02")), toString(RequestState::Provisioned));
        for (int i = 0; i < 5; ++i)
            QTRY_COMPARE(stateOf(QStringLiteral("trip-%1").arg(i)), toString(RequestState::Provisioned));
        QCOMPARE(model()->index(row, RequestTableModel::ProgressColumn).data(RequestTableModel::ProgressRole).toInt(),
                 -1);
        QTRY_VERIFY(m_w->statusBarText().contains(QStringLiteral("Queue: 0")));

        // The details pane tells the story: submitted, queued and why, the attempt, the result.
        m_w->requestsPage()->selectRequest(answer.id);
        RequestDetailsPane* details = m_w->requestsPage()->details();
        QCOMPARE(details->shownId(), answer.id);
        QStringList timeline;
        for (int i = 0; i < details->timelineCount(); ++i)
            timeline << details->timelineText(i);
        QVERIFY2(timeline.size() >= 3, qPrintable(timeline.join(QLatin1Char('\n'))));
        QVERIFY(timeline.join(QLatin1Char('\n')).contains(QStringLiteral("Queued")));
        QVERIFY(timeline.back().startsWith(QStringLiteral("Provisioned")));
    }

    // Open, then half-open, then closed: each transition shows on the dashboard as it happens.
    void breakerTransitionsShowOnTheDashboard()
    {
        BreakerDashboard* dashboard = m_w->dashboard();
        QCOMPARE(dashboard->stateText(), QStringLiteral("CLOSED"));
        tripBreaker();
        QTRY_COMPARE(dashboard->stateText(), QStringLiteral("OPEN"));
        QVERIFY2(dashboard->countdownText().startsWith(QStringLiteral("next scout in 00:")),
                 qPrintable(dashboard->countdownText()));
        QTRY_COMPARE(dashboard->transitionCount(), 1);
        QVERIFY(dashboard->transitionText(0).startsWith(QStringLiteral("CLOSED → OPEN")));
        QVERIFY(child<QLabel>("consecutiveFailures")->text().startsWith(QStringLiteral("5 of 5")));
        QVERIFY(child<QLabel>("lastError")->text().contains(QStringLiteral("connection-refused")));

        recoverAndDrain();
        QTRY_COMPARE(dashboard->stateText(), QStringLiteral("CLOSED"));
        QTRY_COMPARE(dashboard->transitionCount(), 3);
        QVERIFY(dashboard->transitionText(1).startsWith(QStringLiteral("OPEN → HALF_OPEN")));
        QVERIFY(dashboard->transitionText(0).startsWith(QStringLiteral("HALF_OPEN → CLOSED")));
        QTRY_VERIFY(dashboard->chart()->pointCount() > 0);
    }

    // Admin actions are disabled until admin mode is on; then each reaches the service, each with its
    // own reason (the field is cleared after every action).
    void adminActionsReachTheService()
    {
        m_w->showView(MainWindow::View::Dashboard);
        auto* hold = child<QPushButton>("holdBreaker");
        auto* release = child<QPushButton>("releaseBreaker");
        auto* probe = child<QPushButton>("probeNow");
        auto* pause = child<QPushButton>("pauseQueue");
        QVERIFY(!hold->isEnabled());
        QVERIFY(!pause->isEnabled());
        m_w->adminModeAction()->trigger();
        QVERIFY(m_w->dashboard()->isAdminMode());
        QVERIFY(hold->isEnabled());

        QTest::keyClicks(child<QLineEdit>("adminReason"), QStringLiteral("patching vCenter"));
        QTest::mouseClick(hold, Qt::LeftButton);
        QTRY_COMPARE(m_h->service->breakerSnapshot().state, BreakerState::ForcedOpen);
        // Recorded with who held it (the OS user@host running the console).
        QCOMPARE(m_h->service->breakerSnapshot().lastReason,
                 QStringLiteral("held open by %1: patching vCenter").arg(localActor()));
        QTRY_COMPARE(m_w->dashboard()->stateText(), QStringLiteral("FORCED_OPEN"));
        QVERIFY(!probe->isEnabled()); // a hold never scouts
        QCOMPARE(child<QLineEdit>("adminReason")->text(), QString());

        QTRY_VERIFY(release->isEnabled());
        QTest::keyClicks(child<QLineEdit>("adminReason"), QStringLiteral("patch done"));
        QTest::mouseClick(release, Qt::LeftButton);
        QTRY_COMPARE(m_h->service->breakerSnapshot().state, BreakerState::Closed);

        QSignalSpy recorded(m_h->service.get(), &ProvisioningService::breakerTransitioned);
        QTest::keyClicks(child<QLineEdit>("adminReason"), QStringLiteral("storage migration"));
        QTest::mouseClick(pause, Qt::LeftButton);
        QTRY_VERIFY(m_h->service->isQueuePaused());
        // A pause moves no breaker state, yet it is recorded in its history with who and why.
        QTRY_COMPARE(recorded.size(), 1);
        QCOMPARE(recorded.first().at(0).value<BreakerTransition>().reason,
                 QStringLiteral("queue paused by %1: storage migration").arg(localActor()));
        QTRY_VERIFY(m_w->statusBarText().contains(QStringLiteral("(paused)")));
        QCOMPARE(pause->text(), QStringLiteral("Res&ume queue"));
        QTest::keyClicks(child<QLineEdit>("adminReason"), QStringLiteral("migration done"));
        QTest::mouseClick(pause, Qt::LeftButton);
        QTRY_VERIFY(!m_h->service->isQueuePaused());

        tripBreaker();
        QTRY_VERIFY(probe->isEnabled());
        const int probes = m_h->hypervisor->calls(FakeHypervisor::Method::Probe);
        QTest::keyClicks(child<QLineEdit>("adminReason"), QStringLiteral("vCenter is back"));
        QTest::mouseClick(probe, Qt::LeftButton);
        QTRY_VERIFY(m_h->hypervisor->calls(FakeHypervisor::Method::Probe) > probes);

        m_w->adminModeAction()->trigger();
        QVERIFY(!hold->isEnabled());
        QVERIFY(!release->isEnabled());
    }

    // Cancel a queued request, retry a failed one, copy an id.
    void requestActionsCancelRetryAndCopyId()
    {
        m_h->service->forceBreakerOpen(QStringLiteral("test hold"));
        const QUuid queued = m_h->service->submit(validSpec(QStringLiteral("to-cancel"))).id;
        QTRY_VERIFY(model()->rowOf(queued) >= 0);
        m_w->showView(MainWindow::View::Requests);
        RequestsPage* page = m_w->requestsPage();
        page->selectRequest(queued);
        QVERIFY(page->cancelAction()->isEnabled());
        page->cancelAction()->trigger();
        QTRY_VERIFY(page->cancelQuestion()); // it asks first, naming the VM
        QVERIFY(page->cancelQuestion()->text().contains(QStringLiteral("to-cancel")));
        QTest::mouseClick(page->cancelQuestion()->findChild<QPushButton*>(QStringLiteral("confirmCancelButton")),
                          Qt::LeftButton);
        QTRY_COMPARE(stateOf(QStringLiteral("to-cancel")), toString(RequestState::Cancelled));
        QTRY_VERIFY(!page->cancelAction()->isEnabled());

        page->copyIdAction()->trigger();
        QCOMPARE(QApplication::clipboard()->text(), queued.toString(QUuid::WithoutBraces));

        m_h->service->resetBreaker(QStringLiteral("test over"));
        m_h->hypervisor->failNext(FakeHypervisor::Method::Provision,
                                  Error::make(ErrorKind::Business, QStringLiteral("vim-fault"),
                                              QStringLiteral("The name 'x' already exists."),
                                              QStringLiteral("DuplicateName")));
        const QUuid failed = m_h->service->submit(validSpec(QStringLiteral("to-retry"))).id;
        QTRY_COMPARE(stateOf(QStringLiteral("to-retry")), toString(RequestState::Failed));
        page->selectRequest(failed);
        QVERIFY(model()
                    ->index(model()->rowOf(failed), RequestTableModel::LastErrorColumn)
                    .data()
                    .toString()
                    .contains(QStringLiteral("DuplicateName")));
        QVERIFY(page->retryAction()->isEnabled());
        page->retryAction()->trigger();
        QTRY_COMPARE(stateOf(QStringLiteral("to-retry")), toString(RequestState::Provisioned));
    }

    // A request that waited in the queue and then settled is announced (a banner when there is no tray).
    void settledQueuedRequestIsAnnounced()
    {
        QVERIFY(!m_w->notifications()->usesTray());
        tripBreaker();
        recoverAndDrain();
        QTRY_COMPARE(m_w->notifications()->count(), 5);
        QVERIFY(!m_w->banner()->isHidden());
        // They settle together: a summary, not a storm of messages.
        QVERIFY2(m_w->banner()->text().startsWith(QStringLiteral("VMs provisioned: ")),
                 qPrintable(m_w->banner()->text()));
        // A request that never waited is not announced.
        (void)m_h->service->submit(validSpec(QStringLiteral("direct")));
        QTRY_COMPARE(stateOf(QStringLiteral("direct")), toString(RequestState::Provisioned));
        m_w->notifications()->flush();
        QCOMPARE(m_w->notifications()->count(), 5);
    }

    void filterByStateAndSearchByName()
    {
        m_h->service->forceBreakerOpen(QStringLiteral("hold"));
        (void)m_h->service->submit(validSpec(QStringLiteral("alpha-web")));
        (void)m_h->service->submit(validSpec(QStringLiteral("beta-db")));
        m_h->service->resetBreaker(QStringLiteral("release"));
        QTRY_COMPARE(stateOf(QStringLiteral("alpha-web")), toString(RequestState::Provisioned));
        m_h->service->forceBreakerOpen(QStringLiteral("hold"));
        (void)m_h->service->submit(validSpec(QStringLiteral("gamma-web")));
        QTRY_COMPARE(model()->rowCount(), 3);
        RequestsPage* page = m_w->requestsPage();
        QTest::keyClicks(page->searchField(), QStringLiteral("WEB"));
        QCOMPARE(page->proxy()->rowCount(), 2);
        page->stateFilter()->setCurrentIndex(page->stateFilter()->findText(QStringLiteral("Queued")));
        QCOMPARE(page->proxy()->rowCount(), 1);
        QCOMPARE(page->proxy()->index(0, RequestTableModel::NameColumn).data().toString(), QStringLiteral("gamma-web"));
        page->searchField()->clear();
        page->stateFilter()->setCurrentIndex(0);
        QCOMPARE(page->proxy()->rowCount(), 3);
    }

    // The requests of a store that already holds some are listed when the window starts.
    void existingRequestsAreLoadedAtStart()
    {
        (void)m_h->service->submit(validSpec(QStringLiteral("before-window")));
        m_w.reset();
        m_w = std::make_unique<MainWindow>(m_h->client());
        QTRY_COMPARE(model()->rowCount(), 1);
        QCOMPARE(model()->requestAt(0)->spec().name, QStringLiteral("before-window"));
    }

    // The last view and the window geometry come back in the next session.
    void viewAndGeometryAreRemembered()
    {
        m_w->showView(MainWindow::View::Dashboard);
        m_w->resize(700, 500); // inside the offscreen screen, so that restoring does not clamp it
        m_w->close();
        m_w = std::make_unique<MainWindow>(m_h->client());
        QCOMPARE(int(m_w->currentView()), int(MainWindow::View::Dashboard));
        QCOMPARE(m_w->size(), QSize(700, 500));
    }
};

QTEST_MAIN(TestMainWindow)
#include "TestMainWindow.moc"
