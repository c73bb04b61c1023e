#include "VcsimDriver.h"

#include <QJsonDocument>
#include <QTest>

#include "DomainQCompare.h"

using namespace dcm;
using namespace std::chrono_literals;

// Every mode of the simulator's fault door, and injected vim faults, land in the right ErrorKind; the
// adapter recovers as soon as the door is back to normal.
class TestVsphereFaultDoorVcsim : public QObject
{
    Q_OBJECT

    VcsimProcess m_sim;
    QString m_pin;
    std::unique_ptr<VcsimDriver> m_driver;
    int m_serial = 0;

    VmSpec spec()
    {
        VmSpec s;
        s.name = QStringLiteral("door-%1").arg(++m_serial);
        s.cpus = 1;
        s.memoryMiB = 512;
        s.disks = {DiskSpec{1024, true}};
        s.datacenter = QStringLiteral("DC0");
        s.cluster = QStringLiteral("DC0_C0");
        s.datastore = QStringLiteral("LocalDS_0");
        s.nics = {dcm::NicSpec{QStringLiteral("DC0_DVPG0")}};
        return s;
    }

    static Error succeeded() { return Error::make(ErrorKind::Internal, QStringLiteral("no-error"), {}); }

    Error invoke(const QString& what)
    {
        if (what == QLatin1String("connect")) {
            const Result<AboutInfo> r = m_driver->connect(m_driver->settings(1500ms));
            return r.ok() ? succeeded() : r.error();
        }
        if (what == QLatin1String("probe")) {
            const Result<QDateTime> r = m_driver->probe();
            return r.ok() ? succeeded() : r.error();
        }
        if (what == QLatin1String("inventory")) {
            const Result<InventorySnapshot> r = m_driver->inventory();
            return r.ok() ? succeeded() : r.error();
        }
        const Result<ProvisionOutcome> r = m_driver->provision(ProvisionOrder{QUuid::createUuid(), spec()});
        return r.ok() ? succeeded() : r.error();
    }

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_sim.start(&error), qPrintable(error));
        m_pin = m_sim.thumbprint();
    }
    void init()
    {
        m_sim.reset();
        m_driver = std::make_unique<VcsimDriver>(m_sim, VsphereOptions{}, m_pin);
        QVERIFY(m_driver->connect(m_driver->settings(1500ms)).ok());
    }
    void cleanup()
    {
        // Whatever the door did, the same adapter works again once it is back to normal.
        m_sim.reset();
        Result<QDateTime> r = m_driver->probe();
        if (!r.ok() && r.error().is(ErrorCode::LoginRefused)) {
            // A refused login is remembered until the credentials are given again: never retried alone.
            QVERIFY(m_driver->connect(m_driver->settings(1500ms)).ok());
            r = m_driver->probe();
        }
        QVERIFY2(r.ok(), qPrintable(errorText(r)));
        m_driver.reset();
    }

    void doorModesAndFaults_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("body");
        QTest::addColumn<QString>("call");
        QTest::addColumn<ErrorKind>("kind");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("vimFault");

        auto injected = [](const char* method, const char* faultName) {
            return QString::fromUtf8(
                QJsonDocument(QJsonObject{{QStringLiteral("method"), QLatin1String(method)},
                                          {QStringLiteral("fault"), QLatin1String(faultName)},
                                          {QStringLiteral("message"),
                                           QStringLiteral("injected %1").arg(QLatin1String(faultName))},
                                          {QStringLiteral("count"), 1}})
                    .toJson(QJsonDocument::Compact));
        };
        QTest::newRow("door down") << "/door/down"
                                   << ""
                                   << "probe" << ErrorKind::Transient << "connection-refused"
                                   << "";
        QTest::newRow("door hangs") << "/door/hang"
                                    << ""
                                    << "probe" << ErrorKind::Transient << "timeout"
                                    << "";
        QTest::newRow("HTTP 503") << "/door/http"
                                  << R"({"status":503})"
                                  << "probe" << ErrorKind::Transient << "http-503"
                                  << "";
        QTest::newRow("HTTP 500 without fault") << "/door/http"
                                                << R"({"status":500})"
                                                << "probe" << ErrorKind::Transient << "http-500"
                                                << "";
        QTest::newRow("HTTP 404") << "/door/http"
                                  << R"({"status":404})"
                                  << "probe" << ErrorKind::Business << "http-404"
                                  << "";
        // Qt re-sends an idempotent request once or twice by itself: drop every reply.
        QTest::newRow("replies dropped (read)") << "/drop"
                                                << R"({"method":"CurrentTime","count":-1})"
                                                << "probe" << ErrorKind::Transient << "connection-closed"
                                                << "";
        QTest::newRow("reply dropped (CreateVM_Task)")
            << "/drop"
            << R"({"method":"CreateVM_Task","count":1})"
            << "provision" << ErrorKind::OutcomeUnknown << "connection-closed"
            << "";
        QTest::newRow("slow read") << "/delay"
                                   << R"({"method":"CurrentTime","ms":3000})"
                                   << "probe" << ErrorKind::Transient << "timeout"
                                   << "";
        QTest::newRow("slow CreateVM_Task") << "/delay"
                                            << R"({"method":"CreateVM_Task","ms":3000})"
                                            << "provision" << ErrorKind::OutcomeUnknown << "timeout"
                                            << "";
        QTest::newRow("slow inventory") << "/delay"
                                        << R"({"method":"RetrievePropertiesEx","ms":3000})"
                                        << "inventory" << ErrorKind::Transient << "timeout"
                                        << "";

        const struct
        {
            const char* method;
            const char* fault;
            const char* call;
            ErrorKind kind;
        } faults[] = {
            {"CurrentTime", "SystemError", "probe", ErrorKind::Transient},
            {"CurrentTime", "HostCommunication", "probe", ErrorKind::Transient},
            {"CurrentTime", "NoPermission", "probe", ErrorKind::Permission},
            {"CurrentTime", "RequestCanceled", "probe", ErrorKind::Cancelled},
            {"RetrievePropertiesEx", "InvalidArgument", "inventory", ErrorKind::Business},
            {"CreateContainerView", "ManagedObjectNotFound", "inventory", ErrorKind::Business},
            {"Login", "InvalidLogin", "connect", ErrorKind::Authentication},
            {"CreateVM_Task", "InvalidVmConfig", "provision", ErrorKind::Business},
            {"CreateVM_Task", "DuplicateName", "provision", ErrorKind::Business},
            {"CreateVM_Task", "InsufficientResourcesFault", "provision", ErrorKind::Business},
            {"CreateVM_Task", "NotFound", "provision", ErrorKind::Business},
            {"CreateVM_Task", "TaskInProgress", "provision", ErrorKind::Transient},
            {"CreateVM_Task", "MethodDisabled", "provision", ErrorKind::Transient},
            {"CreateVM_Task", "SystemError", "provision", ErrorKind::Transient},
            {"PowerOnVM_Task", "InsufficientResourcesFault", "provision", ErrorKind::Business},
        };
        for (const auto& f : faults) {
            QTest::addRow("%s on %s", f.fault, f.method) << "/fault" << injected(f.method, f.fault) << f.call << f.kind
                                                         << (qstrcmp(f.fault, "DuplicateName") == 0 ? "duplicate-name"
                                                             : qstrcmp(f.method, "Login") == 0      ? "login-refused"
                                                                                                    : "vim-fault")
                                                         << f.fault;
        }
    }
    void doorModesAndFaults()
    {
        QFETCH(QString, path);
        QFETCH(QString, body);
        QFETCH(QString, call);
        QFETCH(ErrorKind, kind);
        QFETCH(QString, code);
        QFETCH(QString, vimFault);
        const QJsonObject json = QJsonDocument::fromJson(body.toUtf8()).object();
        m_sim.post(path, json);
        Error e;
        if (body.contains(QLatin1String("PowerOnVM_Task"))) {
            VmSpec s = spec();
            s.powerOn = true;
            const Result<ProvisionOutcome> r = m_driver->provision(ProvisionOrder{QUuid::createUuid(), s});
            QVERIFY(!r.ok());
            e = r.error();
            // The VM exists: the error says which one.
            QVERIFY(!e.details.value(QStringLiteral("vmRef")).toString().isEmpty());
        } else {
            e = invoke(call);
        }
        QCOMPARE(e.kind, kind);
        QCOMPARE(e.code, code);
        QCOMPARE(e.vimFault, vimFault);
        if (!vimFault.isEmpty() && path == QLatin1String("/fault"))
            QVERIFY2(e.message.contains(QStringLiteral("injected %1").arg(vimFault)), qPrintable(e.message));
    }

    void sessionFaultIsRecoveredOnce()
    {
        m_sim.post(QStringLiteral("/fault"), QJsonObject{{QStringLiteral("method"), QStringLiteral("CurrentTime")},
                                                         {QStringLiteral("fault"), QStringLiteral("NotAuthenticated")},
                                                         {QStringLiteral("count"), 1}});
        const Result<QDateTime> r = m_driver->probe();
        QVERIFY2(r.ok(), qPrintable(errorText(r)));
        QCOMPARE(m_driver->hv().loginCount(), 2);
    }

    // A slow CreateVM_Task timed out on our side still creates the VM: reconciling finds it.
    void slowCreateIsReconciled()
    {
        m_sim.post(QStringLiteral("/delay"), QJsonObject{{QStringLiteral("method"), QStringLiteral("CreateVM_Task")},
                                                         {QStringLiteral("ms"), 2500}});
        const VmSpec s = spec();
        const QUuid requestId = QUuid::createUuid();
        const Result<ProvisionOutcome> r = m_driver->provision(ProvisionOrder{requestId, s});
        QCOMPARE(r.error().kind, ErrorKind::OutcomeUnknown);
        m_sim.reset();
        QTRY_COMPARE_WITH_TIMEOUT(m_driver->simVms(s.name).size(), 1, 15000);
        const Result<std::optional<VmRef>> found = m_driver->find(requestId);
        QVERIFY(found.ok() && found.value().has_value());
        QCOMPARE(found.value()->name, s.name);
    }

    void rotatedCertificateIsTrust()
    {
        const QString rotated =
            m_sim.post(QStringLiteral("/cert/rotate")).value(QStringLiteral("thumbprint")).toString();
        m_sim.post(QStringLiteral("/door/down"));
        m_sim.post(QStringLiteral("/door/up"));
        const Result<QDateTime> r = m_driver->probe();
        QCOMPARE(r.error().kind, ErrorKind::Trust);
        QCOMPARE(r.error().details.value(QStringLiteral("actualThumbprint")).toString(), rotated);
        m_pin = rotated;
        m_driver = std::make_unique<VcsimDriver>(m_sim, VsphereOptions{}, m_pin);
        QVERIFY(m_driver->connect().ok());
    }
};

QTEST_GUILESS_MAIN(TestVsphereFaultDoorVcsim)
#include "TestVsphereFaultDoorVcsim.moc"
