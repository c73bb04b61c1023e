// The console as dcm-console builds it: the real service on its own thread (ServiceHost), the window
// holding a ServiceClient on that host, and the fake hypervisor living on the service thread. A request
// typed into the form is answered, sent, reports progress from the hypervisor's running task into the
// table, and ends PROVISIONED; every hypervisor call came from the service thread.
#include "FakeHypervisor.h"
#include "FakeHypervisorOwner.h"
#include "FakeRequestStore.h"
#include "FakeRequestStoreOwner.h"
#include "ManualClock.h"

#include "app/service/ServiceHost.h"
#include "ui/MainWindow.h"
#include "ui/NotificationCenter.h"
#include "ui/RequestTableModel.h"
#include "ui/RequestsPage.h"
#include "ui/ServiceClient.h"
#include "ui/VmSpecForm.h"

#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace dcm;

class TestConsoleOnServiceThread final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_settingsDir;
    ManualClock m_clock;
    std::shared_ptr<FakeHypervisor> m_hv;
    std::shared_ptr<FakeRequestStore> m_store;
    std::unique_ptr<ServiceHost> m_host;
    std::unique_ptr<MainWindow> m_w;

    // The fake lives on the service thread: the test scripts and reads it there, never from here.
    template <class F> auto onHypervisor(F&& f)
    {
        using R = decltype(f(*m_hv));
        if constexpr (std::is_void_v<R>) {
            QMetaObject::invokeMethod(
                m_hv.get(), [&] { f(*m_hv); }, Qt::BlockingQueuedConnection);
        } else {
            R result{};
            QMetaObject::invokeMethod(
                m_hv.get(), [&] { result = f(*m_hv); }, Qt::BlockingQueuedConnection);
            return result;
        }
    }
    RequestTableModel* model() { return m_w->requestsPage()->model(); }
    QVariant progressOf(const QUuid& id)
    {
        const int row = model()->rowOf(id);
        return row < 0 ? QVariant()
                       : model()->index(row, RequestTableModel::ProgressColumn).data(RequestTableModel::ProgressRole);
    }
    QString stateOf(const QUuid& id)
    {
        const ProvisioningRequest* r = model()->request(id);
        return r ? toString(r->state()) : QStringLiteral("(absent)");
    }

private Q_SLOTS:
    void init()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
        m_hv = std::make_shared<FakeHypervisor>();
        m_store = std::make_shared<FakeRequestStore>();
        auto hv = m_hv;
        auto store = m_store;
        ServiceConfig config;
        config.owner = QStringLiteral("gui-thread-test");
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
    }
    void cleanup()
    {
        // As dcm-console ends: the service thread first, then the window.
        m_host->stop();
        m_w.reset();
        m_host.reset();
        m_hv.reset();
        m_store.reset();
    }

    void submitFromTheFormIsProvisionedWithProgressFromTheServiceThread()
    {
        ConnectionProfile profile;
        profile.name = QStringLiteral("Fake vCenter");
        profile.server = QStringLiteral("vc.test");
        profile.user = QStringLiteral("operator");
        m_w->connectAtStart(profile, QStringLiteral("pw"), false);
        QTRY_COMPARE(int(m_w->client()->connection().state), int(ConnectionStatus::State::Connected));
        QTRY_VERIFY(m_w->vmSpecForm()->hasInventory());
        QCOMPARE(onHypervisor([](FakeHypervisor& hv) { return hv.lastSettings().password; }), QStringLiteral("pw"));

        onHypervisor([](FakeHypervisor& hv) { hv.setHoldCalls(true); });
        m_w->showView(MainWindow::View::NewVm);
        auto* name = m_w->vmSpecForm()->findChild<QLineEdit*>(QStringLiteral("name"));
        QTest::keyClicks(name, QStringLiteral("threaded-01"));
        auto* submit = m_w->vmSpecForm()->findChild<QPushButton*>(QStringLiteral("submit"));
        QTRY_VERIFY(submit->isEnabled());
        QSignalSpy answered(m_w->client(), &ServiceClient::submitAnswered);
        QTest::mouseClick(submit, Qt::LeftButton);
        QTRY_COMPARE(answered.count(), 1);
        const auto answer = answered.at(0).at(0).value<SubmitAnswer>();
        QCOMPARE(int(answer.outcome), int(SubmitAnswer::Outcome::Started));
        QTRY_COMPARE(stateOf(answer.id), toString(RequestState::Provisioning));

        // The running task reports progress on the service thread; the table shows it.
        QTRY_VERIFY(onHypervisor(
            [&](FakeHypervisor& hv) { return hv.reportProgress(answer.id, 40, QStringLiteral("creating")); }));
        QTRY_COMPARE(progressOf(answer.id).toInt(), 40);
        const int row = model()->rowOf(answer.id);
        QVERIFY(
            model()->index(row, RequestTableModel::ProgressColumn).data().toString().contains(QStringLiteral("40%")));

        onHypervisor([](FakeHypervisor& hv) {
            hv.setHoldCalls(false);
            hv.completeAllHeld();
        });
        QTRY_COMPARE(stateOf(answer.id), toString(RequestState::Provisioned));
        QCOMPARE(progressOf(answer.id).toInt(), -1);
        QCOMPARE(onHypervisor([&](FakeHypervisor& hv) { return hv.vmCountFor(answer.id); }), 1);
        QThread* const callers = onHypervisor([](FakeHypervisor& hv) { return hv.lastCallThread(); });
        QCOMPARE(callers, m_host->thread());
        QVERIFY(callers != QThread::currentThread());
    }
};

QTEST_MAIN(TestConsoleOnServiceThread)
#include "TestConsoleOnServiceThread.moc"
