// Closing the console. With requests waiting in the queue the operator chooses: keep draining in the
// background (the dcm-serve systemd user unit, enabled and started through systemctl — here a stand-in
// on PATH that records its arguments), quit anyway (the requests stay queued), or stay. Whatever is
// chosen, closing never waits for a hung call: the window goes at once and the service gets a bounded
// grace (here on its own thread, as in dcm-console, with a provisioning call that never answers).
#include "GuiHarness.h"

#include "app/service/ServiceHost.h"
#include "ui/Banner.h"
#include "ui/MainWindow.h"
#include "ui/NotificationCenter.h"

#include <QAbstractButton>
#include <QFile>
#include <QMessageBox>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>

using namespace dcm;
using namespace std::chrono_literals;

class TestQuit final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<IsolatedSettings> m_settingsDir;
    std::unique_ptr<GuiHarness> m_h;
    std::unique_ptr<MainWindow> m_w;
    QList<std::chrono::milliseconds> m_shutdowns; // the graces the window handed to the service
    QByteArray m_path;
    QTemporaryDir m_bin; // where the stand-in systemctl lives

    QMessageBox* question(const char* name)
    {
        QMessageBox* box = nullptr;
        const bool shown = QTest::qWaitFor([&] {
            box = m_w->findChild<QMessageBox*>(QLatin1String(name));
            return box && box->isVisible();
        });
        return shown ? box : nullptr;
    }
    QPushButton* button(QMessageBox* box, const char* name)
    {
        return box->findChild<QPushButton*>(QLatin1String(name));
    }
    // One request waiting in the queue (the breaker held open), as the window sees it.
    QUuid queueOne()
    {
        m_h->service->forceBreakerOpen(QStringLiteral("maintenance"));
        const QUuid id = m_h->service->submit(validSpec()).id;
        [&] { QTRY_COMPARE(m_w->client()->queueDepth(), 1); }();
        return id;
    }
    // The stand-in for systemctl: records its arguments, says `stderr` on stderr, exits with `code`.
    void installSystemctl(int code, const QByteArray& stderrText = {})
    {
        QFile script(m_bin.filePath(QStringLiteral("systemctl")));
        QVERIFY(script.open(QIODevice::WriteOnly));
        script.write("#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$DCM_TEST_SYSTEMCTL_ARGS\"\n");
        if (!stderrText.isEmpty())
            script.write("echo '" + stderrText + "' >&2\n");
        script.write("exit " + QByteArray::number(code) + "\n");
        script.close();
        QVERIFY(script.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
    }
    QByteArray systemctlArgs()
    {
        QFile f(m_bin.filePath(QStringLiteral("args")));
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

private Q_SLOTS:
    void initTestCase()
    {
        // Only the stand-in can be found: the real systemctl is never run by this test.
        m_path = qgetenv("PATH");
        qputenv("PATH", QFile::encodeName(m_bin.path()));
        qputenv("DCM_TEST_SYSTEMCTL_ARGS", QFile::encodeName(m_bin.filePath(QStringLiteral("args"))));
    }
    void cleanupTestCase() { qputenv("PATH", m_path); }
    void init()
    {
        QFile::remove(m_bin.filePath(QStringLiteral("systemctl")));
        QFile::remove(m_bin.filePath(QStringLiteral("args")));
        m_settingsDir = std::make_unique<IsolatedSettings>();
        m_shutdowns.clear();
        m_h = std::make_unique<GuiHarness>();
        m_w = std::make_unique<MainWindow>(m_h->client());
        m_w->notifications()->setTrayAllowed(false);
        m_w->setShutdown([this](std::chrono::milliseconds grace) { m_shutdowns << grace; });
        m_w->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_w.get()));
        QVERIFY(m_h->connect());
    }
    void cleanup()
    {
        m_w.reset();
        m_h.reset();
        m_settingsDir.reset();
    }

    // Nothing waits: no question, the window closes and the service gets the bounded grace, once.
    void emptyQueueClosesAtOnce()
    {
        QCOMPARE(m_w->client()->queueDepth(), 0);
        QVERIFY(m_w->close());
        QVERIFY(!m_w->isVisible());
        QVERIFY(!m_w->quitQuestion());
        QCOMPARE(m_shutdowns, QList<std::chrono::milliseconds>{MainWindow::shutdownGrace});
    }

    void stayKeepsTheWindow()
    {
        queueOne();
        QVERIFY(!m_w->close());
        QMessageBox* box = question("quitQuestion");
        QVERIFY(box);
        QVERIFY(box->text().contains(QStringLiteral("1 request waits")));
        QCOMPARE(box->defaultButton(), button(box, "stay"));
        QTest::mouseClick(button(box, "stay"), Qt::LeftButton);
        QTRY_VERIFY(!m_w->quitQuestion());
        QVERIFY(m_w->isVisible());
        QVERIFY(m_shutdowns.isEmpty());
        QVERIFY(systemctlArgs().isEmpty());
    }

    // Quit anyway: the window closes, the request stays queued in the store for whoever drains next.
    void quitAnywayLeavesTheRequestsQueued()
    {
        const QUuid id = queueOne();
        QVERIFY(!m_w->close());
        QMessageBox* box = question("quitQuestion");
        QVERIFY(box);
        QVERIFY(box->informativeText().contains(QStringLiteral("stay queued")));
        QTest::mouseClick(button(box, "quitAnyway"), Qt::LeftButton);
        QTRY_VERIFY(!m_w->isVisible());
        QCOMPARE(m_shutdowns, QList<std::chrono::milliseconds>{MainWindow::shutdownGrace});
        QCOMPARE(m_h->store->get(id).value()->state(), RequestState::QueuedForProvisioning);
        QVERIFY(systemctlArgs().isEmpty());
    }

    // Keep draining: the user unit is enabled and started, then the window closes.
    void keepDrainingStartsTheUserUnit()
    {
        installSystemctl(0);
        queueOne();
        QVERIFY(!m_w->close());
        QMessageBox* box = question("quitQuestion");
        QVERIFY(box);
        QTest::mouseClick(button(box, "keepDraining"), Qt::LeftButton);
        QTRY_VERIFY(!m_w->isVisible());
        QCOMPARE(systemctlArgs(), QByteArray("--user\nenable\n--now\ndcm-serve.service\n"));
        QCOMPARE(m_shutdowns, QList<std::chrono::milliseconds>{MainWindow::shutdownGrace});
    }

    // The unit cannot be started: the window stays, says why (systemctl's own words) and that the
    // requests stay queued; quitting anyway is still possible.
    void keepDrainingReportsAFailure_data()
    {
        QTest::addColumn<bool>("installed");
        QTest::addColumn<QString>("said");
        QTest::newRow("systemctl fails") << true << QStringLiteral("Failed to connect to bus: No medium found");
        QTest::newRow("no systemctl") << false << QStringLiteral("systemctl could not be run");
    }
    void keepDrainingReportsAFailure()
    {
        QFETCH(bool, installed);
        QFETCH(QString, said);
        if (installed)
            installSystemctl(1, said.toUtf8());
        queueOne();
        QVERIFY(!m_w->close());
        QMessageBox* box = question("quitQuestion");
        QVERIFY(box);
        QTest::mouseClick(button(box, "keepDraining"), Qt::LeftButton);
        QMessageBox* failed = question("backgroundDrainFailed");
        QVERIFY(failed);
        QVERIFY2(failed->informativeText().contains(said), qPrintable(failed->informativeText()));
        QVERIFY(failed->informativeText().contains(QStringLiteral("stays queued")));
        QVERIFY(failed->text().contains(QStringLiteral("systemctl --user enable --now dcm-serve.service")));
        QVERIFY(m_w->isVisible());
        QVERIFY(m_shutdowns.isEmpty());
        QCOMPARE(m_w->banner()->message(MainWindow::quitSubject)->notice(), StateStyle::Notice::Error);
        QVERIFY(m_w->banner()->text(MainWindow::quitSubject).contains(said));

        QTest::mouseClick(button(failed, "quitAnyway"), Qt::LeftButton);
        QTRY_VERIFY(!m_w->isVisible());
        QCOMPARE(m_shutdowns, QList<std::chrono::milliseconds>{MainWindow::shutdownGrace});
    }
};

// The console as dcm-console builds it (the service on its own thread) with a provisioning call that
// never answers: closing hides the window before the service is stopped, hands it the bounded grace,
// and the stop returns while the call is still unanswered.
class TestQuitWithHungCall final : public QObject
{
    Q_OBJECT

private:
    IsolatedSettings m_settingsDir;
    ManualClock m_clock;
    std::shared_ptr<FakeHypervisor> m_hv;
    std::shared_ptr<FakeRequestStore> m_store;
    std::unique_ptr<ServiceHost> m_host;
    std::unique_ptr<MainWindow> m_w;

    template <class R, class F> R onHypervisor(F&& f)
    {
        R result{};
        QMetaObject::invokeMethod(
            m_hv.get(), [&] { result = f(*m_hv); }, Qt::BlockingQueuedConnection);
        return result;
    }

private Q_SLOTS:
    void closingDoesNotWaitForAHungCall()
    {
        m_hv = std::make_shared<FakeHypervisor>();
        m_store = std::make_shared<FakeRequestStore>();
        auto hv = m_hv;
        auto store = m_store;
        ServiceConfig config;
        config.owner = QStringLiteral("gui-quit-test");
        m_host = std::make_unique<ServiceHost>(
            [hv] { return std::unique_ptr<HypervisorPort>(std::make_unique<FakeHypervisorOwner>(hv)); },
            [store]() -> Result<std::unique_ptr<RequestStorePort>> {
                return std::unique_ptr<RequestStorePort>(std::make_unique<FakeRequestStoreOwner>(store));
            },
            ProvisioningService::CredentialFactory{}, m_clock, config);
        m_hv->moveToThread(m_host->thread());
        m_w = std::make_unique<MainWindow>(std::make_unique<ServiceClient>(*m_host));
        m_w->notifications()->setTrayAllowed(false);
        m_host->start();
        m_w->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_w.get()));

        ConnectionProfile profile;
        profile.name = QStringLiteral("Fake vCenter");
        profile.server = QStringLiteral("vc.test");
        profile.user = QStringLiteral("operator");
        m_w->connectAtStart(profile, QStringLiteral("pw"), false);
        QTRY_COMPARE(int(m_w->client()->connection().state), int(ConnectionStatus::State::Connected));
        QTRY_VERIFY(onHypervisor<int>([](FakeHypervisor& h) { return h.calls(FakeHypervisor::Method::Inventory); }) >
                    0);

        // A provisioning call that never answers.
        onHypervisor<bool>([](FakeHypervisor& h) {
            h.setHoldCalls(true);
            return true;
        });
        (void)m_w->client()->submit(validSpec(QStringLiteral("hangs")));
        QTRY_COMPARE(onHypervisor<int>([](FakeHypervisor& h) { return h.calls(FakeHypervisor::Method::Provision); }),
                     1);
        QCOMPARE(m_w->client()->queueDepth(), 0); // sent, not waiting: no question on closing

        QList<std::chrono::milliseconds> graces;
        bool visibleWhenStopping = true;
        bool threadEnded = false;
        int heldWhenStopped = -1;
        m_w->setShutdown([&](std::chrono::milliseconds grace) {
            graces << grace;
            visibleWhenStopping = m_w->isVisible();
            m_host->stop(grace);
            threadEnded = m_host->thread()->isFinished();
            heldWhenStopped = m_hv->heldCount(); // the thread has ended: read directly
        });
        QVERIFY(m_w->close());
        QVERIFY(!m_w->isVisible());
        QCOMPARE(graces, QList<std::chrono::milliseconds>{MainWindow::shutdownGrace});
        QVERIFY(MainWindow::shutdownGrace > 0ms && MainWindow::shutdownGrace <= 3s);
        QVERIFY(!visibleWhenStopping); // the window went before the service got its grace
        QVERIFY(threadEnded);          // stop returned although...
        QVERIFY(heldWhenStopped >= 1); // ...the provisioning call never answered
        const QList<ProvisioningRequest> requests = m_store->list(RequestFilter{}).value();
        QCOMPARE(requests.size(), 1);
        // Its lease lapses; whoever drains next looks the VM up by its key before sending anything again.
        QCOMPARE(requests.front().state(), RequestState::Provisioning);

        m_w.reset();
        m_host.reset();
        m_hv.reset();
        m_store.reset();
    }
};

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    TestQuit quit;
    TestQuitWithHungCall hung;
    int failed = QTest::qExec(&quit, argc, argv);
    failed += QTest::qExec(&hung, argc, argv);
    return failed;
}

#include "TestQuit.moc"
