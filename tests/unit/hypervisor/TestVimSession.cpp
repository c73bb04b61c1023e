#include "FakeVcenter.h"

#include "hypervisor/vsphere/VimSession.h"

#include <QNetworkAccessManager>
#include <QTest>

#include "DomainQCompare.h"

using namespace dcm;
using namespace dcm::vsphere;
using namespace std::chrono_literals;

class TestVimSession : public QObject
{
    Q_OBJECT

    FakeVcenter* m_server = nullptr;
    QNetworkAccessManager* m_nam = nullptr;
    VimSession* m_session = nullptr;

    void make(VsphereOptions options = {})
    {
        delete m_session;
        m_session = new VimSession(m_nam, options);
        ConnectionSettings s;
        s.server = m_server->sdkUrl();
        s.user = QStringLiteral("admin");
        s.password = QStringLiteral("secret");
        s.callTimeout = 3000ms;
        QVERIFY(m_session->configure(s).ok());
    }

    Result<void> login()
    {
        std::optional<Result<void>> r;
        m_session->ensureLoggedIn([&](Result<void> x) { r = std::move(x); });
        [&] { QTRY_VERIFY_WITH_TIMEOUT(r.has_value(), 10000); }();
        return r ? *r : Result<void>(Error::make(ErrorKind::Internal, QStringLiteral("test-timeout"), {}));
    }

private slots:
    void init()
    {
        m_server = new FakeVcenter();
        QVERIFY(m_server->start());
        m_server->serveSession();
        m_nam = new QNetworkAccessManager();
        make();
    }
    void cleanup()
    {
        delete m_session;
        m_session = nullptr;
        delete m_nam;
        delete m_server;
    }

    void loginSequence()
    {
        QVERIFY(login().ok());
        QVERIFY(m_session->isLoggedIn());
        QStringList keys;
        for (const auto& r : m_server->requests())
            keys << QString::fromLatin1(r.key);
        QCOMPARE(keys, (QStringList{"GET vimServiceVersions.xml", "RetrieveServiceContent", "Login"}));
        QCOMPARE(m_session->content().about.fullName, QStringLiteral("VMware vCenter Server 6.5.0 build-5973321"));
        QCOMPARE(m_session->content().rootFolder.value, QStringLiteral("group-d1"));
        QVERIFY(m_server->requests().back().body.contains("<userName>admin</userName>"));
        // Already logged in: no I/O.
        QVERIFY(login().ok());
        QCOMPARE(m_server->requests().size(), 3);
    }

    void negotiatesTheHighestVersionWeSpeak()
    {
        m_server->serve("GET vimServiceVersions.xml", FakeVcenter::file(QStringLiteral("vimServiceVersions-vc8.xml")));
        QVERIFY(login().ok());
        QCOMPARE(m_server->requests().back().headers.value("soapaction"), QByteArray("urn:vim25/8.0.3.0"));
    }

    void missingVersionFileFallsBackToTheOldestSupported()
    {
        m_server->serve("GET vimServiceVersions.xml", FakeVcenter::file(QStringLiteral("broken-html.xml"), 404));
        QVERIFY(login().ok());
        QCOMPARE(m_server->requests().back().headers.value("soapaction"), QByteArray("urn:vim25/6.5"));
    }

    void tooOldServerIsRefused()
    {
        FakeVcenter::Reply old = FakeVcenter::file(QStringLiteral("vimServiceVersions.xml"));
        old.body.replace("<version>6.5</version>", "<version>5.1</version>");
        m_server->serve("GET vimServiceVersions.xml", old);
        const Result<void> r = login();
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("unsupported-api-version"));
        QCOMPARE(m_server->count("Login"), 0);
    }

    void wrongPasswordIsAnAuthenticationError()
    {
        m_server->serve("Login", FakeVcenter::fault(QStringLiteral("InvalidLogin")));
        const Result<void> r = login();
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, ErrorKind::Authentication);
        QCOMPARE(r.error().vimFault, QStringLiteral("InvalidLogin"));
        QVERIFY(!m_session->isLoggedIn());
    }

    void concurrentCallersShareOneLogin()
    {
        int done = 0;
        for (int i = 0; i < 5; ++i)
            m_session->ensureLoggedIn([&](Result<void> r) { done += r.ok() ? 1 : 0; });
        QTRY_COMPARE(done, 5);
        QCOMPARE(m_server->count("Login"), 1);
        // Three calls find the session gone at once: one new Login.
        const quint64 epoch = m_session->epoch();
        int relogged = 0;
        for (int i = 0; i < 3; ++i)
            m_session->relogin(epoch, [&](Result<void> r) { relogged += r.ok() ? 1 : 0; });
        QTRY_COMPARE(relogged, 3);
        QCOMPARE(m_server->count("Login"), 2);
        // A call from the old session that learns of it late does not log in again.
        m_session->relogin(epoch, [&](Result<void> r) { relogged += r.ok() ? 1 : 0; });
        QCOMPARE(relogged, 4);
        QCOMPARE(m_server->count("Login"), 2);
    }

    void keepaliveSurvivesAFailedBeatAndRestoresALostSession()
    {
        VsphereOptions options;
        options.keepaliveInterval = 40ms;
        make(options);
        QVERIFY(login().ok());
        m_server->serveOnce("CurrentTime", FakeVcenter::file(QStringLiteral("broken-html.xml"), 503));
        QTRY_VERIFY(m_server->count("CurrentTime") >= 3); // beats go on after the failed one
        QCOMPARE(m_server->count("Login"), 1);
        m_server->serveOnce("CurrentTime", FakeVcenter::fault(QStringLiteral("NotAuthenticated")));
        QTRY_COMPARE(m_server->count("Login"), 2);
        QTRY_VERIFY(m_session->isLoggedIn());
        QTRY_VERIFY(m_server->requests().back().key == "CurrentTime");
        QCOMPARE(m_server->requests().back().headers.value("cookie"), QByteArray("vmware_soap_session=\"session-2\""));
    }

    void logoutForgetsTheSession()
    {
        QVERIFY(login().ok());
        bool done = false;
        m_session->logout([&](Result<void> r) { done = r.ok(); });
        QTRY_VERIFY(done);
        QCOMPARE(m_server->count("Logout"), 1);
        QVERIFY(!m_session->isConfigured());
        const Result<void> r = login();
        QCOMPARE(r.error().code, QStringLiteral("not-connected"));
    }

    void settingsAreValidated_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("code");
        QTest::newRow("no scheme") << "vcenter.example.com"
                                   << "u"
                                   << "invalid-server";
        QTest::newRow("ftp") << "ftp://vcenter.example.com/sdk"
                             << "u"
                             << "invalid-server";
        QTest::newRow("no user") << "https://vcenter.example.com/sdk"
                                 << ""
                                 << "invalid-user";
    }
    void settingsAreValidated()
    {
        QFETCH(QString, url);
        QFETCH(QString, user);
        QFETCH(QString, code);
        ConnectionSettings s;
        s.server = QUrl(url);
        s.user = user;
        const Result<void> r = m_session->configure(s);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, ErrorKind::InvalidInput);
        QCOMPARE(r.error().code, code);
    }
};

QTEST_GUILESS_MAIN(TestVimSession)
#include "TestVimSession.moc"
