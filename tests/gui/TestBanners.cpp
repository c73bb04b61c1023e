// The window's banners: one message per subject (the connection, the breaker, the storage, a request),
// replaced when that subject's state changes, removed when what it describes is over, and floating over
// the page so that a message appearing or going never moves what is under the pointer.
#include "GuiHarness.h"

#include "ui/Banner.h"
#include "ui/ConnectionController.h"
#include "ui/MainWindow.h"
#include "ui/NotificationCenter.h"
#include "ui/PasswordDialog.h"
#include "ui/RequestsPage.h"
#include "ui/VmSpecForm.h"

#include <QPushButton>
#include <QTabBar>
#include <QTabWidget>
#include <QTest>
#include <QToolButton>

using namespace dcm;
using namespace std::chrono_literals;

class TestBanners final : public QObject
{
    Q_OBJECT

private:
    IsolatedSettings m_settingsDir;
    std::unique_ptr<GuiHarness> m_h;
    std::unique_ptr<MainWindow> m_w;

    BannerArea* banners() { return m_w->banner(); }
    // Where a widget is in the window: moving content would change it.
    QRect inWindow(QWidget* w) { return QRect(w->mapTo(m_w.get(), QPoint(0, 0)), w->size()); }

private Q_SLOTS:
    void init()
    {
        m_h = std::make_unique<GuiHarness>();
        m_w = std::make_unique<MainWindow>(m_h->client());
        m_w->setClock(m_h->clock);
        m_w->notifications()->setTrayAllowed(false);
        m_w->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_w.get()));
    }
    void cleanup()
    {
        m_w.reset();
        m_h.reset();
    }

    // Showing a subject again replaces its message (never a second one under it); clearing or
    // dismissing removes it; with no message the area is hidden.
    void oneMessagePerSubject()
    {
        QVERIFY(banners()->isHidden());
        banners()->showMessage(QStringLiteral("storage"), StateStyle::Notice::Info, QStringLiteral("checking"));
        banners()->showMessage(QStringLiteral("storage"), StateStyle::Notice::Error, QStringLiteral("disk full"));
        QCOMPARE(banners()->count(), 1);
        QCOMPARE(banners()->text(QStringLiteral("storage")), QStringLiteral("disk full"));
        QCOMPARE(banners()->message(QStringLiteral("storage"))->notice(), StateStyle::Notice::Error);
        QVERIFY(!banners()->isHidden());

        int ran = 0;
        banners()->showMessage(QStringLiteral("request:1"), StateStyle::Notice::Success, QStringLiteral("created"),
                               QStringLiteral("Show request"), [&ran] { ++ran; });
        QCOMPARE(banners()->subjects(), (QStringList{QStringLiteral("storage"), QStringLiteral("request:1")}));
        QCOMPARE(banners()->text(), QStringLiteral("created"));
        QTest::mouseClick(banners()->message(QStringLiteral("request:1"))->actionButton(), Qt::LeftButton);
        QCOMPARE(ran, 1);

        banners()->clear(QStringLiteral("storage"));
        QCOMPARE(banners()->subjects(), QStringList{QStringLiteral("request:1")});
        // The operator's dismissal removes it too.
        auto* close = banners()->message(QStringLiteral("request:1"))->findChild<QToolButton*>();
        QVERIFY(close);
        QTest::mouseClick(close, Qt::LeftButton);
        QCOMPARE(banners()->count(), 0);
        QVERIFY(banners()->isHidden());
        QVERIFY(banners()->text().isEmpty());
    }

    // The page, the tabs and the central widget stay where they are when messages come and go; the
    // messages sit below the tab bar, over the page.
    void bannersNeverMoveThePage()
    {
        for (MainWindow::View view : {MainWindow::View::Requests, MainWindow::View::NewVm}) {
            m_w->showView(view);
            QWidget* page = m_w->view(view);
            auto* tabs = m_w->findChild<QTabWidget*>(QStringLiteral("views"));
            const QRect central = m_w->centralWidget()->geometry();
            const QRect tabsAt = inWindow(tabs);
            const QRect pageAt = inWindow(page);
            QVERIFY(!pageAt.isEmpty());

            banners()->showMessage(
                QStringLiteral("storage"), StateStyle::Notice::Error,
                QStringLiteral("The request database reported a problem: a long sentence that wraps onto more than "
                               "one line in a narrow window, to make the message as tall as it gets. ")
                    .repeated(3));
            banners()->showMessage(QStringLiteral("breaker"), StateStyle::Notice::Warning,
                                   QStringLiteral("vCenter is not answering."));
            QTRY_VERIFY(banners()->isVisible());
            QCoreApplication::processEvents(); // any layout request the messages caused
            QCOMPARE(m_w->centralWidget()->geometry(), central);
            QCOMPARE(inWindow(tabs), tabsAt);
            QCOMPARE(inWindow(page), pageAt);
            const QRect area = inWindow(banners());
            QVERIFY(area.height() > 0);
            QVERIFY(area.top() >= inWindow(tabs->tabBar()).bottom());
            QVERIFY(inWindow(m_w->centralWidget()).contains(area));

            banners()->clear(QStringLiteral("storage"));
            banners()->clear(QStringLiteral("breaker"));
            QCoreApplication::processEvents();
            QVERIFY(banners()->isHidden());
            QCOMPARE(inWindow(page), pageAt);
            QCOMPARE(m_w->centralWidget()->geometry(), central);
        }
    }

    // The breaker's message appears when vCenter stops answering, stays one message through the scouts'
    // turns, and goes when the breaker closes.
    void breakerMessageFollowsTheBreaker()
    {
        QVERIFY(m_h->connect());
        QTRY_VERIFY(m_w->vmSpecForm()->hasInventory());
        m_h->hypervisor->setUnreachable(true);
        for (int i = 0; i < 5; ++i)
            (void)m_h->service->submit(validSpec(QStringLiteral("trip-%1").arg(i)));
        QTRY_VERIFY(banners()->has(MainWindow::breakerSubject));
        QCOMPARE(banners()->message(MainWindow::breakerSubject)->notice(), StateStyle::Notice::Warning);
        QVERIFY(banners()->text(MainWindow::breakerSubject).contains(QStringLiteral("not answering")));

        // A scout that fails: the breaker goes half-open and open again; still one message.
        m_h->clock.advance(31s);
        m_h->service->tick();
        QTRY_COMPARE(m_h->service->breakerSnapshot().state, BreakerState::Open);
        QCOMPARE(banners()->subjects().count(MainWindow::breakerSubject), 1);

        m_h->hypervisor->setUnreachable(false);
        m_h->clock.advance(31s);
        m_h->service->tick();
        QTRY_VERIFY(!banners()->has(MainWindow::breakerSubject));
    }

    // Refused credentials: the connection's message asks for the password; once the connection is back
    // the message is gone.
    void connectionMessageGoesWhenTheConnectionIsBack()
    {
        QVERIFY(m_h->connect());
        QTRY_VERIFY(m_w->vmSpecForm()->hasInventory());
        m_h->hypervisor->failNext(FakeHypervisor::Method::Inventory,
                                  Error::make(ErrorKind::Authentication, ErrorCode::LoginRefused,
                                              QStringLiteral("vCenter refused the credentials of operator at vc.test"),
                                              QStringLiteral("InvalidLogin")));
        m_h->service->refreshInventory();
        QTRY_VERIFY(banners()->has(ConnectionController::connectionSubject));
        Banner* waiting = banners()->message(ConnectionController::connectionSubject);
        QCOMPARE(waiting->notice(), StateStyle::Notice::Error);
        QVERIFY2(waiting->text().contains(QStringLiteral("refused the credentials of operator")),
                 qPrintable(waiting->text()));
        QCOMPARE(waiting->actionButton()->text(), QStringLiteral("Enter password…"));

        PasswordDialog* dialog = nullptr;
        QTRY_VERIFY((dialog = m_w->findChild<PasswordDialog*>()) != nullptr && dialog->isVisible());
        dialog->setPassword(QStringLiteral("new-password"));
        dialog->accept();
        QTRY_COMPARE(m_h->service->connectionStatus().state, ConnectionStatus::State::Connected);
        QTRY_VERIFY(!banners()->has(ConnectionController::connectionSubject));
    }

    // A request's message tells its latest outcome only: "failed" goes as soon as the request is sent
    // again, and its success replaces it — never an older outcome after a newer one.
    void aRequestHasOneMessageWithItsLatestOutcome()
    {
        QVERIFY(m_h->connect());
        QTRY_VERIFY(m_w->vmSpecForm()->hasInventory());
        m_h->service->forceBreakerOpen(QStringLiteral("maintenance"));
        const QUuid id = m_h->service->submit(validSpec(QStringLiteral("waits-then-fails"))).id;
        m_h->hypervisor->failNext(FakeHypervisor::Method::Provision,
                                  Error::make(ErrorKind::Business, QStringLiteral("vim-fault"),
                                              QStringLiteral("Insufficient resources."),
                                              QStringLiteral("InsufficientResourcesFault")));
        m_h->service->resetBreaker(QStringLiteral("maintenance over"));
        const QString subject = NotificationCenter::subjectOf(id);
        QTRY_VERIFY(banners()->has(subject));
        QCOMPARE(banners()->message(subject)->notice(), StateStyle::Notice::Error);
        QVERIFY(banners()->text(subject).contains(QStringLiteral("failed")));

        // Retried: while it is being sent again, "failed" is no longer true.
        m_h->hypervisor->setHoldCalls(true);
        QVERIFY(!m_h->service->retryNow(id));
        QTRY_COMPARE(m_h->hypervisor->heldCount(), 1);
        QTRY_VERIFY(!banners()->has(subject));

        m_h->hypervisor->setHoldCalls(false);
        m_h->hypervisor->completeAllHeld();
        QTRY_VERIFY(banners()->has(subject));
        QCOMPARE(banners()->message(subject)->notice(), StateStyle::Notice::Success);
        QVERIFY2(banners()->text(subject).startsWith(QStringLiteral("VM provisioned")),
                 qPrintable(banners()->text(subject)));
        QCOMPARE(banners()->subjects().count(subject), 1);
    }
};

QTEST_MAIN(TestBanners)
#include "TestBanners.moc"
