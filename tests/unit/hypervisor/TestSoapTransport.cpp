#include "FakeVcenter.h"
#include "ManualDeadlines.h"

#include "hypervisor/vsphere/ReturnValueReader.h"
#include "hypervisor/vsphere/SoapTransport.h"
#include "hypervisor/vsphere/VimRequests.h"

#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QTest>

#include "DomainQCompare.h"

using namespace dcm;
using namespace dcm::vsphere;
using namespace std::chrono_literals;

namespace {

const MoRef kSessionManager{QStringLiteral("SessionManager"), QStringLiteral("SessionManager")};
const MoRef kFolder{QStringLiteral("Folder"), QStringLiteral("group-v3")};

QStringList g_log;
void collect(QtMsgType, const QMessageLogContext& ctx, const QString& msg)
{
    g_log << QStringLiteral("%1: %2").arg(QString::fromLatin1(ctx.category), msg);
}

// Turns the SOAP trace on whatever QT_LOGGING_RULES says (ctest turns dcm debug output off).
QLoggingCategory::CategoryFilter g_previousFilter = nullptr;
void traceSoap(QLoggingCategory* category)
{
    if (g_previousFilter)
        g_previousFilter(category);
    if (qstrcmp(category->categoryName(), "dcm.hypervisor.soap") == 0)
        category->setEnabled(QtDebugMsg, true);
}

} // namespace

class TestSoapTransport : public QObject
{
    Q_OBJECT

    struct Call
    {
        std::optional<Result<void>> result;
        bool reentrant = false;
    };

    FakeVcenter* m_server = nullptr;
    QNetworkAccessManager* m_nam = nullptr;
    SoapTransport* m_transport = nullptr;
    std::shared_ptr<ManualDeadlines> m_deadlines;
    ReturnValueReader m_reader;

    // Posts and waits for the verdict; records whether `done` came from inside post().
    Result<void> post(const SoapRequest& request)
    {
        Call call;
        bool inside = true;
        m_transport->post(request, m_reader, [&](Result<void> r) {
            call.reentrant = inside;
            call.result = std::move(r);
        });
        inside = false;
        [&] { QTRY_VERIFY_WITH_TIMEOUT(call.result.has_value(), 15000); }();
        if (!call.result)
            return Error::make(ErrorKind::Internal, QStringLiteral("test-timeout"), QStringLiteral("no verdict"));
        if (call.reentrant)
            return Error::make(ErrorKind::Internal, QStringLiteral("reentrant"), QStringLiteral("done inside post"));
        return *call.result;
    }

    static SoapRequest createVm() { return VimRequests::createVmTask(kFolder, "<name>x</name>", kFolder, MoRef()); }

private slots:
    void init()
    {
        m_server = new FakeVcenter();
        QVERIFY(m_server->start());
        m_server->serveSession();
        m_nam = new QNetworkAccessManager();
        m_transport = new SoapTransport(m_nam);
        m_transport->setEndpoint(m_server->sdkUrl());
        m_transport->setApiVersion(QStringLiteral("6.5"));
        m_transport->setLimits(1 << 20, 2000ms);
        // Deadlines pass only when a test says so: no test here waits for real time.
        m_deadlines = std::make_shared<ManualDeadlines>();
        m_transport->setDeadlineTimers(m_deadlines);
    }
    void cleanup()
    {
        delete m_transport;
        delete m_nam;
        delete m_server;
    }

    void soapActionAndSessionCookie()
    {
        QVERIFY(post(VimRequests::login(kSessionManager, QStringLiteral("u"), QStringLiteral("p"))).ok());
        QVERIFY(m_transport->hasSessionCookie());
        QVERIFY(post(VimRequests::currentTime()).ok());
        const auto calls = m_server->requests();
        QCOMPARE(calls.front().headers.value("soapaction"), QByteArray("urn:vim25/6.5"));
        QCOMPARE(calls.front().headers.value("content-type"), QByteArray("text/xml; charset=utf-8"));
        QVERIFY(!calls.front().headers.contains("cookie"));
        // Sent back exactly as vCenter set it, quotes included.
        QCOMPARE(calls.back().headers.value("cookie"), QByteArray("vmware_soap_session=\"session-1\""));
        QCOMPARE(m_reader.values().size(), size_t(1));
    }

    void connectionRefused()
    {
        const quint16 port = m_server->port();
        m_server->stop();
        QUrl url = m_server->sdkUrl();
        url.setPort(port);
        m_transport->setEndpoint(url);
        const Result<void> r = post(createVm());
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("connection-refused"));
        QCOMPARE(r.error().kind, ErrorKind::Transient); // never sent: safe to retry even CreateVM_Task
    }

    void timeoutAfterSending_data()
    {
        QTest::addColumn<bool>("idempotent");
        QTest::addColumn<ErrorKind>("kind");
        QTest::newRow("read") << true << ErrorKind::Transient;
        QTest::newRow("CreateVM_Task") << false << ErrorKind::OutcomeUnknown;
    }
    void timeoutAfterSending()
    {
        QFETCH(bool, idempotent);
        QFETCH(ErrorKind, kind);
        FakeVcenter::Reply hang;
        hang.mode = FakeVcenter::Mode::Hang;
        m_server->serve("CurrentTime", hang);
        m_server->serve("CreateVM_Task", hang);
        m_transport->setLimits(1 << 20, 300ms);
        std::optional<Result<void>> result;
        m_transport->post(idempotent ? VimRequests::currentTime() : createVm(), m_reader,
                          [&](Result<void> r) { result = std::move(r); });
        QCOMPARE(m_deadlines->armedCount(), 1);
        QCOMPARE(m_deadlines->longestArmed(), 300ms);
        // The server has the whole request (so it was sent) and never answers.
        QTRY_COMPARE(m_server->count(idempotent ? "CurrentTime" : "CreateVM_Task"), 1);
        m_deadlines->advance(299ms);
        QCoreApplication::processEvents();
        QVERIFY(!result.has_value()); // not before the deadline
        m_deadlines->advance(1ms);
        QTRY_VERIFY(result.has_value());
        QVERIFY(!result->ok());
        QCOMPARE(result->error().code, QStringLiteral("timeout"));
        QCOMPARE(result->error().kind, kind);
        QVERIFY(result->error().message.contains(QLatin1String("within 300 ms")));
        QCOMPARE(m_transport->pendingCount(), 0);
        QCOMPARE(m_deadlines->armedCount(), 0);
    }

    // Qt re-sends a POST whose connection closed before any reply; CreateVM_Task must never be sent twice.
    void droppedConnection_data()
    {
        QTest::addColumn<int>("mode");
        QTest::newRow("closed before the reply") << int(FakeVcenter::Mode::Drop);
        QTest::newRow("closed in the middle of the body") << int(FakeVcenter::Mode::DropMidBody);
    }
    void droppedConnection()
    {
        QFETCH(int, mode);
        FakeVcenter::Reply drop = FakeVcenter::file(QStringLiteral("CreateVM_Task.xml"));
        drop.mode = FakeVcenter::Mode(mode);
        m_server->serve("CreateVM_Task", drop);
        // A used keep-alive connection first: the case where Qt's automatic re-send kicks in.
        QVERIFY(post(VimRequests::currentTime()).ok());
        const Result<void> r = post(createVm());
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("connection-closed"));
        QCOMPARE(r.error().kind, ErrorKind::OutcomeUnknown);
        QCOMPARE(m_server->count("CreateVM_Task"), 1);

        drop.body = FakeVcenter::fixture(QStringLiteral("CurrentTime.xml"));
        m_server->serve("CurrentTime", drop);
        const Result<void> read = post(VimRequests::currentTime());
        QVERIFY(!read.ok());
        QCOMPARE(read.error().kind, ErrorKind::Transient);
    }

    void httpStatus_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("body");
        QTest::addColumn<bool>("idempotent");
        QTest::addColumn<ErrorKind>("kind");
        QTest::addColumn<QString>("code");
        QTest::newRow("503 read") << 503 << "broken-html.xml" << true << ErrorKind::Transient << "http-503";
        QTest::newRow("503 CreateVM: not processed")
            << 503 << "broken-html.xml" << false << ErrorKind::Transient << "http-503";
        QTest::newRow("502 read") << 502 << "broken-html.xml" << true << ErrorKind::Transient << "http-502";
        QTest::newRow("500 CreateVM without fault")
            << 500 << "broken-html.xml" << false << ErrorKind::OutcomeUnknown << "http-500";
        QTest::newRow("500 with a vim fault")
            << 500 << "Fault-InvalidArgument.xml" << false << ErrorKind::Business << "vim-fault";
        QTest::newRow("500 SystemError") << 500 << "Fault-SystemError.xml" << true << ErrorKind::Transient
                                         << "vim-fault";
        QTest::newRow("404") << 404 << "broken-html.xml" << true << ErrorKind::Business << "http-404";
    }
    void httpStatus()
    {
        QFETCH(int, status);
        QFETCH(QString, body);
        QFETCH(bool, idempotent);
        QFETCH(ErrorKind, kind);
        QFETCH(QString, code);
        const FakeVcenter::Reply reply = FakeVcenter::file(body, status);
        m_server->serve("CurrentTime", reply);
        m_server->serve("CreateVM_Task", reply);
        const Result<void> r = post(idempotent ? VimRequests::currentTime() : createVm());
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, kind);
        QCOMPARE(r.error().code, code);
    }

    void malformedReplies_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("truncated") << "broken-truncated.xml";
        QTest::newRow("wrong namespace") << "broken-wrong-namespace.xml";
        QTest::newRow("SOAP 1.2") << "broken-soap12-envelope.xml";
        QTest::newRow("HTML with 200") << "broken-html.xml";
        QTest::newRow("billion laughs") << "hostile-billion-laughs.xml";
        QTest::newRow("external entity") << "hostile-external-entity.xml";
        QTest::newRow("DOCTYPE") << "hostile-doctype.xml";
    }
    void malformedReplies()
    {
        QFETCH(QString, file);
        m_server->serve("CurrentTime", FakeVcenter::file(file));
        const Result<void> r = post(VimRequests::currentTime());
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("malformed-reply"));
        QCOMPARE(r.error().kind, ErrorKind::Transient);
        // The verdict came from the reply itself: no deadline was let pass, and none is left armed.
        QCOMPARE(m_deadlines->armedCount(), 0);
        QVERIFY(!r.error().message.contains(QLatin1String("root:")));
    }

    void malformedReplyToCreateVmIsAnUnknownOutcome()
    {
        m_server->serve("CreateVM_Task", FakeVcenter::file(QStringLiteral("broken-truncated.xml")));
        const Result<void> r = post(createVm());
        QCOMPARE(r.error().kind, ErrorKind::OutcomeUnknown);
        QCOMPARE(r.error().code, QStringLiteral("malformed-reply"));
    }

    void oversizedReply_data()
    {
        QTest::addColumn<bool>("chunked");
        QTest::newRow("announced by Content-Length") << false;
        QTest::newRow("chunked, no length") << true;
    }
    void oversizedReply()
    {
        QFETCH(bool, chunked);
        FakeVcenter::Reply big;
        big.body = FakeVcenter::fixture(QStringLiteral("CurrentTime.xml"));
        big.body.insert(big.body.indexOf("<returnval>"), QByteArray(3 << 20, ' '));
        big.mode = chunked ? FakeVcenter::Mode::Chunked : FakeVcenter::Mode::Normal;
        big.chunk = 64 * 1024;
        m_server->serve("CurrentTime", big);
        const Result<void> r = post(VimRequests::currentTime());
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("reply-too-large"));
        QVERIFY(r.error().message.contains(QString::number(1 << 20)));
    }

    void chunkedRepliesStream()
    {
        FakeVcenter::Reply reply = FakeVcenter::file(QStringLiteral("RetrieveServiceContent.xml"));
        reply.mode = FakeVcenter::Mode::Chunked;
        reply.chunk = 7;
        m_server->serve("RetrieveServiceContent", reply);
        QVERIFY(post(VimRequests::retrieveServiceContent()).ok());
        QCOMPARE(m_reader.first()->textAt("about.apiVersion"), QStringLiteral("6.5"));
    }

    void cancelIsReportedLater()
    {
        FakeVcenter::Reply hang;
        hang.mode = FakeVcenter::Mode::Hang;
        m_server->serve("CurrentTime", hang);
        std::optional<Result<void>> result;
        const SoapTransport::Id id =
            m_transport->post(VimRequests::currentTime(), m_reader, [&](Result<void> r) { result = std::move(r); });
        QTRY_COMPARE(m_server->count("CurrentTime"), 1);
        m_transport->cancel(id);
        QVERIFY(!result.has_value());
        QTRY_VERIFY(result.has_value());
        QCOMPARE(result->error().kind, ErrorKind::Cancelled);
        QCOMPARE(m_transport->pendingCount(), 0);
    }

    // Secrets never reach the log, even with the SOAP trace on.
    void traceRedactsPasswordAndCookie()
    {
        g_log.clear();
        g_previousFilter = QLoggingCategory::installFilter(traceSoap);
        const QtMessageHandler previous = qInstallMessageHandler(collect);
        const QString password = QStringLiteral("pa$$w0rd-7731");
        QVERIFY(post(VimRequests::login(kSessionManager, QStringLiteral("admin"), password)).ok());
        QVERIFY(post(VimRequests::currentTime()).ok());
        qInstallMessageHandler(previous);
        QLoggingCategory::installFilter(g_previousFilter);
        const QString all = g_log.join(QLatin1Char('\n'));
        QVERIFY(all.contains(QLatin1String("Login")));
        QVERIFY(all.contains(QLatin1String("(redacted)")));
        QVERIFY(!all.contains(QLatin1String("w0rd-7731")));
        QVERIFY(!all.contains(QLatin1String("session-1")));
        // The Login reply carries the session key: not traced either.
        QVERIFY(!all.contains(QLatin1String("353e0dc5-8558-4401-a3fb-45afa81bb50f")));
    }
};

QTEST_GUILESS_MAIN(TestSoapTransport)
#include "TestSoapTransport.moc"
