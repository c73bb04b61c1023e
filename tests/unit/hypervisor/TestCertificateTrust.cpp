#include "FakeVcenter.h"
#include "TestSignals.h"

#include "hypervisor/vsphere/CertificateTrust.h"
#include "hypervisor/vsphere/VsphereHypervisor.h"

#include <QSslConfiguration>
#include <QTest>

#include "DomainQCompare.h"

using namespace dcm;
using namespace dcm::vsphere;

namespace {
// `openssl x509 -in data/tls/server.crt -noout -fingerprint -sha256`
const QString kServerThumbprint =
    QStringLiteral("11:38:75:BA:41:95:9D:3E:5D:C5:6A:4A:8F:8C:B4:33:EA:29:24:D8:54:D9:77:17:2A:F7:26:29:58:FF:CE:AE");
} // namespace

class TestCertificateTrust : public QObject
{
    Q_OBJECT

    FakeVcenter* m_server = nullptr;
    QSslConfiguration m_originalDefault;

    Result<AboutInfo> connect(const QString& thumbprint)
    {
        VsphereHypervisor hv;
        ConnectionSettings s;
        s.server = m_server->sdkUrl();
        s.user = QStringLiteral("u");
        s.password = QStringLiteral("p");
        s.thumbprint = thumbprint;
        Capture<Result<AboutInfo>> c;
        c.insideCall = true;
        hv.connectTo(s, c.done());
        c.insideCall = false;
        [&] { QTRY_VERIFY_WITH_TIMEOUT(c.has(), 15000); }();
        if (!c.has())
            return Error::make(ErrorKind::Internal, QStringLiteral("test-timeout"), {});
        if (c.reentrant)
            return Error::make(ErrorKind::Internal, QStringLiteral("reentrant"), {});
        return *c.result;
    }

private slots:
    void initTestCase() { m_originalDefault = QSslConfiguration::defaultConfiguration(); }
    void init()
    {
        m_server = new FakeVcenter();
        QVERIFY(m_server->start(true));
        m_server->serveSession();
    }
    void cleanup()
    {
        delete m_server;
        QSslConfiguration::setDefaultConfiguration(m_originalDefault);
    }

    void thumbprintIsSha256OfTheDer()
    {
        QCOMPARE(FakeVcenter::thumbprintOf(QStringLiteral("server")), kServerThumbprint);
        const QSslCertificate cert(FakeVcenter::fixture(QStringLiteral("tls/server.crt")), QSsl::Pem);
        QCOMPARE(CertificateTrust::thumbprintOf(cert), kServerThumbprint);
    }

    void normalize_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        QTest::newRow("canonical") << kServerThumbprint << kServerThumbprint;
        QTest::newRow("lower case") << kServerThumbprint.toLower() << kServerThumbprint;
        QTest::newRow("bare hex") << QString(kServerThumbprint).remove(QLatin1Char(':')) << kServerThumbprint;
        QTest::newRow("spaces") << QString(kServerThumbprint).replace(QLatin1Char(':'), QLatin1Char(' '))
                                << kServerThumbprint;
        QTest::newRow("SHA-1 is not enough") << "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01"
                                             << "";
        QTest::newRow("not hex") << QString(64, QLatin1Char('Z')) << "";
    }
    void normalize()
    {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        QCOMPARE(CertificateTrust::normalize(input), expected);
    }

    void pinnedCertificateIsTrusted()
    {
        const Result<AboutInfo> r = connect(kServerThumbprint.toLower().remove(QLatin1Char(':')));
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
        QCOMPARE(r.value().apiVersion, QStringLiteral("6.5"));
    }

    // A different certificate than the pinned one: a security stop naming both thumbprints, and not a
    // byte of the request (the password) is sent.
    void wrongPinIsATrustFailureNamingBoth()
    {
        const QString pinned = FakeVcenter::thumbprintOf(QStringLiteral("other"));
        const Result<AboutInfo> r = connect(pinned);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, ErrorKind::Trust);
        QCOMPARE(r.error().code, QStringLiteral("thumbprint-mismatch"));
        QCOMPARE(r.error().details.value(QStringLiteral("expectedThumbprint")).toString(), pinned);
        QCOMPARE(r.error().details.value(QStringLiteral("actualThumbprint")).toString(), kServerThumbprint);
        QVERIFY(r.error().message.contains(pinned));
        QVERIFY(r.error().message.contains(kServerThumbprint));
        QVERIFY(m_server->requests().isEmpty());
    }

    // No pin: the system CA store decides, and a self-signed certificate is refused — with its
    // thumbprint, so that the GUI can offer trust on first use.
    void unpinnedSelfSignedIsRefused()
    {
        const Result<AboutInfo> r = connect(QString());
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, ErrorKind::Trust);
        QCOMPARE(r.error().code, QStringLiteral("tls"));
        QCOMPARE(r.error().details.value(QStringLiteral("actualThumbprint")).toString(), kServerThumbprint);
        QVERIFY(m_server->requests().isEmpty());
    }

    // A certificate the CA store accepts is still refused when another one is pinned.
    void caValidButNotThePinnedOne()
    {
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        config.addCaCertificate(QSslCertificate(FakeVcenter::fixture(QStringLiteral("tls/server.crt")), QSsl::Pem));
        QSslConfiguration::setDefaultConfiguration(config);

        QVERIFY(connect(QString()).ok()); // the CA path works on its own

        const QString pinned = FakeVcenter::thumbprintOf(QStringLiteral("other"));
        const int before = int(m_server->requests().size());
        const Result<AboutInfo> r = connect(pinned);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, ErrorKind::Trust);
        QCOMPARE(r.error().details.value(QStringLiteral("actualThumbprint")).toString(), kServerThumbprint);
        QCOMPARE(int(m_server->requests().size()), before);
    }

    void malformedPinIsInvalidInput()
    {
        const Result<AboutInfo> r = connect(QStringLiteral("AB:CD"));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, ErrorKind::InvalidInput);
        QCOMPARE(r.error().code, QStringLiteral("invalid-thumbprint"));
    }
};

QTEST_GUILESS_MAIN(TestCertificateTrust)
#include "TestCertificateTrust.moc"
