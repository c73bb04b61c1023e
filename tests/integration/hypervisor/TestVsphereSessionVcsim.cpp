#include "VcsimDriver.h"

#include <QTest>

#include "DomainQCompare.h"

using namespace dcm;
using namespace std::chrono_literals;

// Session and trust against the simulator over HTTPS: about, a pinned certificate, a wrong pin, no
// pin, a wrong password, a session killed server-side, a certificate swapped under us.
class TestVsphereSessionVcsim : public QObject
{
    Q_OBJECT

    VcsimProcess m_sim;
    QString m_pin; // the simulator's current certificate (it changes when a test rotates it)
    std::unique_ptr<VcsimDriver> m_driver;

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
        m_sim.post(QStringLiteral("/stats/reset"));
        m_driver = std::make_unique<VcsimDriver>(m_sim, VsphereOptions{}, m_pin);
    }
    void cleanup() { m_driver.reset(); }

    void aboutOverHttpsWithAPinnedCertificate()
    {
        const Result<AboutInfo> connected = m_driver->connect();
        QVERIFY2(connected.ok(), qPrintable(errorText(connected)));
        QCOMPARE(connected.value().apiType, QStringLiteral("VirtualCenter"));
        QCOMPARE(connected.value().apiVersion, QStringLiteral("6.5"));
        QVERIFY(connected.value().fullName.startsWith(QLatin1String("VMware vCenter Server 6.5")));
        const Result<AboutInfo> about = m_driver->run<AboutInfo>([&](auto done) { m_driver->hv().about(done); });
        QVERIFY2(about.ok(), qPrintable(errorText(about)));
        QCOMPARE(about.value().instanceUuid, connected.value().instanceUuid);
        QVERIFY(!about.value().instanceUuid.isEmpty());
        const Result<QDateTime> now = m_driver->probe();
        QVERIFY2(now.ok(), qPrintable(errorText(now)));
        QVERIFY(qAbs(now.value().secsTo(QDateTime::currentDateTimeUtc())) < 60);
        QCOMPARE(m_sim.callCount(QStringLiteral("Login")), 1);
    }

    void wrongThumbprintIsATrustFailureNamingBoth()
    {
        ConnectionSettings s = m_driver->settings();
        const QString wrong = QStringLiteral("00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:"
                                             "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF");
        s.thumbprint = wrong;
        const Result<AboutInfo> r = m_driver->connect(s);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, ErrorKind::Trust);
        QCOMPARE(r.error().details.value(QStringLiteral("expectedThumbprint")).toString(), wrong);
        QCOMPARE(r.error().details.value(QStringLiteral("actualThumbprint")).toString(), m_pin);
        QVERIFY(r.error().message.contains(wrong));
        QVERIFY(r.error().message.contains(m_pin));
        QCOMPARE(m_sim.stats().value(QStringLiteral("requests")).toInt(), 0); // nothing was sent
    }

    void noPinMeansSystemCaVerification()
    {
        ConnectionSettings s = m_driver->settings();
        s.thumbprint.clear();
        const Result<AboutInfo> r = m_driver->connect(s);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, ErrorKind::Trust);
        QCOMPARE(r.error().code, QStringLiteral("tls"));
        QCOMPARE(r.error().details.value(QStringLiteral("actualThumbprint")).toString(), m_pin);
    }

    void wrongPasswordIsAuthentication()
    {
        ConnectionSettings s = m_driver->settings();
        s.password = QStringLiteral("not-the-password");
        const Result<AboutInfo> r = m_driver->connect(s);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, ErrorKind::Authentication);
        QCOMPARE(r.error().vimFault, QStringLiteral("InvalidLogin"));
    }

    void killedSessionIsReestablishedOnce()
    {
        QVERIFY(m_driver->connect().ok());
        QVERIFY(m_sim.post(QStringLiteral("/session/kill")).value(QStringLiteral("killed")).toInt() >= 1);
        const Result<QDateTime> r = m_driver->probe();
        QVERIFY2(r.ok(), qPrintable(errorText(r)));
        QCOMPARE(m_sim.callCount(QStringLiteral("Login")), 2);
        QCOMPARE(m_driver->hv().loginCount(), 2);
        // And the inventory (RetrievePropertiesEx) after another kill.
        m_sim.post(QStringLiteral("/session/kill"));
        QVERIFY(m_driver->inventory(InventoryKind::Datacenters).ok());
        QCOMPARE(m_sim.callCount(QStringLiteral("Login")), 3);
    }

    void sessionRefusedTwiceIsAnError()
    {
        QVERIFY(m_driver->connect().ok());
        QJsonObject fault{{QStringLiteral("method"), QStringLiteral("CurrentTime")},
                          {QStringLiteral("fault"), QStringLiteral("NotAuthenticated")},
                          {QStringLiteral("count"), -1}};
        m_sim.post(QStringLiteral("/fault"), fault);
        const Result<QDateTime> r = m_driver->probe();
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, ErrorKind::SessionExpired);
        QCOMPARE(m_sim.callCount(QStringLiteral("Login")), 2);
        QCOMPARE(m_sim.callCount(QStringLiteral("CurrentTime")), 2);
    }

    // vCenter's certificate replaced (services restart): the pinned thumbprint no longer matches.
    void rotatedCertificateIsATrustFailure()
    {
        QVERIFY(m_driver->connect().ok());
        const QString pinned = m_pin;
        const QString rotated =
            m_sim.post(QStringLiteral("/cert/rotate")).value(QStringLiteral("thumbprint")).toString();
        QVERIFY(!rotated.isEmpty() && rotated != pinned);
        m_pin = rotated;
        m_sim.post(QStringLiteral("/door/down"));
        m_sim.post(QStringLiteral("/door/up"));
        const Result<QDateTime> r = m_driver->probe();
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, ErrorKind::Trust);
        QCOMPARE(r.error().details.value(QStringLiteral("expectedThumbprint")).toString(), pinned);
        QCOMPARE(r.error().details.value(QStringLiteral("actualThumbprint")).toString(), rotated);
        // Pinning the new thumbprint (the operator accepted it) works again.
        ConnectionSettings s = m_driver->settings();
        s.thumbprint = rotated;
        QVERIFY(m_driver->connect(s).ok());
    }

    void disconnectLogsOut()
    {
        QVERIFY(m_driver->connect().ok());
        QVERIFY(m_driver->run<void>([&](auto done) { m_driver->hv().disconnectFrom(done); }).ok());
        QCOMPARE(m_sim.callCount(QStringLiteral("Logout")), 1);
    }
};

QTEST_GUILESS_MAIN(TestVsphereSessionVcsim)
#include "TestVsphereSessionVcsim.moc"
