// The calls the adapter makes on its own while following a task (polls, the read-back) pass the
// caller's CallGate: asked before each, told each outcome; nothing goes out while the gate says no;
// a poll refused for credentials ends with "sent, outcome pending", never "unknown".
#include "FakeVcenter.h"
#include "TestSignals.h"

#include "hypervisor/vsphere/VsphereHypervisor.h"

#include <QTest>

#include "DomainQCompare.h"

using namespace dcm;
using namespace std::chrono_literals;

namespace {

VmSpec specForDc0()
{
    VmSpec s;
    s.name = QStringLiteral("dcm-test-1");
    s.cpus = 2;
    s.memoryMiB = 2048;
    s.disks = {DiskSpec{10240, true}};
    s.datacenter = QStringLiteral("DC0");
    s.cluster = QStringLiteral("DC0_C0");
    s.datastore = QStringLiteral("LocalDS_0");
    s.nics = {dcm::NicSpec{QStringLiteral("VM Network")}};
    s.powerOn = false;
    return s;
}

// Stands in for the service's breaker: open or closed by the test, and a record of what it heard.
struct RecordingGate
{
    bool open = false;
    int asked = 0;
    int granted = 0;
    QList<std::optional<Error>> reports;

    CallGate gate()
    {
        return [this]() -> CallReport {
            ++asked;
            if (open)
                return {};
            ++granted;
            return [this](const Error* failure) {
                reports.append(failure ? std::optional<Error>(*failure) : std::nullopt);
            };
        };
    }
    int failures() const
    {
        return int(std::count_if(reports.cbegin(), reports.cend(), [](const auto& r) { return r.has_value(); }));
    }
};

} // namespace

class TestTaskFollowUpGate : public QObject
{
    Q_OBJECT

    FakeVcenter* m_server = nullptr;
    VsphereHypervisor* m_hv = nullptr;
    RecordingGate m_gate;

    Result<ProvisionOutcome> provision(int timeoutMs = 15000)
    {
        Capture<Result<ProvisionOutcome>> c;
        m_hv->provision(ProvisionOrder{QUuid::createUuid(), specForDc0()}, nullptr, c.done());
        [&] { QTRY_VERIFY_WITH_TIMEOUT(c.has(), timeoutMs); }();
        if (!c.has())
            return Error::make(ErrorKind::Internal, QStringLiteral("test-timeout"), {});
        return *c.result;
    }

    void connectHv()
    {
        ConnectionSettings s;
        s.server = m_server->sdkUrl();
        s.user = QStringLiteral("admin");
        s.password = QStringLiteral("secret");
        s.callTimeout = 5000ms;
        Capture<Result<AboutInfo>> c;
        m_hv->connectTo(s, c.done());
        QTRY_VERIFY(c.has());
        QVERIFY(c.result->ok());
    }

    int taskPolls() const
    {
        int n = 0;
        for (const FakeVcenter::Request& r : m_server->requestsFor("RetrievePropertiesEx"))
            if (r.body.contains(">task-71<"))
                ++n;
        return n;
    }

private Q_SLOTS:
    void init()
    {
        m_server = new FakeVcenter();
        QVERIFY(m_server->start());
        m_server->serveSession();
        VsphereOptions options;
        options.taskPollMin = 10ms;
        options.taskPollMax = 40ms;
        options.taskPollFailuresTolerated = 1;
        options.placementCacheTtl = 0ms;
        m_hv = new VsphereHypervisor(options);
        m_gate = RecordingGate{};
        m_hv->setCallGate(m_gate.gate());
        connectHv();
        m_server->serveOnce("RetrievePropertiesEx",
                            FakeVcenter::file(QStringLiteral("RetrievePropertiesEx-placement.xml")));
        m_server->serve("CreateVM_Task", FakeVcenter::file(QStringLiteral("CreateVM_Task.xml")));
    }

    void cleanup()
    {
        delete m_hv;
        delete m_server;
        m_hv = nullptr;
        m_server = nullptr;
    }

    // Every poll and the read-back ask first and report once; failed polls are reported as they happen
    // and, behind a gate, do not end tracking however many there are (the breaker decides).
    void everyFollowUpCallIsAskedAndReported()
    {
        for (int i = 0; i < 4; ++i)
            m_server->serveOnce("RetrievePropertiesEx", FakeVcenter::fault(QStringLiteral("SystemError")));
        m_server->serveOnce("RetrievePropertiesEx",
                            FakeVcenter::file(QStringLiteral("RetrievePropertiesEx-task-running.xml")));
        m_server->serveOnce("RetrievePropertiesEx",
                            FakeVcenter::file(QStringLiteral("RetrievePropertiesEx-task-success.xml")));
        m_server->serveOnce("RetrievePropertiesEx", FakeVcenter::file(QStringLiteral("RetrievePropertiesEx-vm.xml")));

        const Result<ProvisionOutcome> r = provision();
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
        QVERIFY(r.value().readBack);
        // 4 failed polls, 1 running, the update channel's CreatePropertyCollector (this server has none:
        // an answer, not a failure; the task is polled instead), 1 success, 1 read-back: each asked and
        // reported exactly once.
        QCOMPARE(m_server->count("CreatePropertyCollector"), 1);
        QCOMPARE(m_gate.asked, 8);
        QCOMPARE(m_gate.reports.size(), 8);
        QCOMPARE(m_gate.failures(), 4);
        QCOMPARE(m_gate.reports.first()->kind, ErrorKind::Transient);
    }

    // While the gate says no, nothing is polled; once it says yes, following resumes where it was.
    void nothingIsPolledWhileTheGateIsClosed()
    {
        m_server->serve("RetrievePropertiesEx",
                        FakeVcenter::file(QStringLiteral("RetrievePropertiesEx-task-running.xml")));
        Capture<Result<ProvisionOutcome>> c;
        m_hv->provision(ProvisionOrder{QUuid::createUuid(), specForDc0()}, nullptr, c.done());
        QTRY_VERIFY(taskPolls() >= 1);
        m_gate.open = true;
        // Once the gate has said no a few times, no poll can be under way any more...
        QTRY_VERIFY(m_gate.asked >= m_gate.granted + 3);
        const int polledWhileClosed = taskPolls();
        const int askedWhileClosed = m_gate.asked;
        // ...and while it keeps saying no, nothing more is sent.
        QTRY_VERIFY(m_gate.asked >= askedWhileClosed + 3);
        QCOMPARE(taskPolls(), polledWhileClosed);
        QVERIFY(!c.has());

        m_server->serve("RetrievePropertiesEx",
                        FakeVcenter::file(QStringLiteral("RetrievePropertiesEx-task-success.xml")));
        m_server->serveOnce("RetrievePropertiesEx", FakeVcenter::file(QStringLiteral("RetrievePropertiesEx-vm.xml")));
        QCOMPARE(taskPolls(), polledWhileClosed);
        m_gate.open = false;
        QTRY_VERIFY(c.has());
        QVERIFY(c.result->ok());
        QVERIFY(taskPolls() > polledWhileClosed);
    }

    // The session expires while the task is followed and the new Login is refused: the operation ends
    // at once with the refusal, marked as sent with its outcome pending — not "unknown".
    void aRefusedReloginWhileFollowingIsOutcomePendingNotUnknown()
    {
        m_server->serveOnce("RetrievePropertiesEx",
                            FakeVcenter::file(QStringLiteral("RetrievePropertiesEx-task-running.xml")));
        m_server->serveOnce("RetrievePropertiesEx", FakeVcenter::fault(QStringLiteral("NotAuthenticated")));
        m_server->onRequest = [this](const FakeVcenter::Request& request) {
            if (request.key == "RetrievePropertiesEx" && taskPolls() == 2)
                m_server->serve("Login", FakeVcenter::fault(QStringLiteral("InvalidLogin")));
        };
        const int loginsBefore = m_server->count("Login");
        const Result<ProvisionOutcome> r = provision();
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, ErrorKind::Authentication);
        QVERIFY(r.error().is(ErrorCode::LoginRefused));
        QVERIFY(r.error().details.value(QStringLiteral("outcomePending")).toBool());
        QCOMPARE(r.error().details.value(QStringLiteral("taskRef")).toString(), QStringLiteral("task-71"));
        QCOMPARE(m_server->count("Login"), loginsBefore + 1);

        // Every later call is refused at once: no second Login for these credentials.
        Capture<Result<QDateTime>> probe;
        m_hv->probe(probe.done());
        QTRY_VERIFY(probe.has());
        QVERIFY(!probe.result->ok());
        Capture<Result<InventorySnapshot>> inventory;
        m_hv->inventory(InventoryKind::Datastores, inventory.done());
        QTRY_VERIFY(inventory.has());
        QVERIFY(inventory.result->error().is(ErrorCode::LoginRefused));
        QCOMPARE(m_server->count("Login"), loginsBefore + 1);
    }
};

QTEST_GUILESS_MAIN(TestTaskFollowUpGate)
#include "TestTaskFollowUpGate.moc"
