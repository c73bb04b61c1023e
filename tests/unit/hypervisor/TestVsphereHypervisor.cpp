#include "FakeVcenter.h"
#include "InventoryFixture.h"
#include "ManualDeadlines.h"
#include "TestSignals.h"

#include "hypervisor/vsphere/SoapTransport.h"
#include "hypervisor/vsphere/UpdateChannel.h"
#include "hypervisor/vsphere/VsphereHypervisor.h"

#include <QRegularExpression>
#include <QTest>

#include "DomainQCompare.h"

using namespace dcm;
using namespace std::chrono_literals;

namespace {

// What the recorded inventory replies hold: every kind but templates and saved customization
// specifications, which are calls of their own (covered against the simulator).
InventoryKinds recordedKinds()
{
    InventoryKinds kinds = allInventoryKinds();
    kinds.setFlag(InventoryKind::Templates, false);
    kinds.setFlag(InventoryKind::CustomizationSpecs, false);
    return kinds;
}

// Request keys of vcsim's recorded scan: three VMs we created, each with its own request UUID.
const QUuid kCreatedRequest(QStringLiteral("0e6b0286-590a-473b-9ba8-a792a0e57973"));
const QUuid kOtherRequest(QStringLiteral("9afb8adb-3276-448d-8d9b-4a73c85e9ae8"));

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
    s.powerOn = true;
    return s;
}

FakeVcenter::Reply hang()
{
    FakeVcenter::Reply r;
    r.mode = FakeVcenter::Mode::Hang;
    return r;
}

} // namespace

class TestVsphereHypervisor : public QObject
{
    Q_OBJECT

    FakeVcenter* m_server = nullptr;
    VsphereHypervisor* m_hv = nullptr;
    std::shared_ptr<ManualDeadlines> m_deadlines;

    template <class T, class Start> Result<T> run(Start start, int timeoutMs = 15000)
    {
        Capture<Result<T>> c;
        c.insideCall = true;
        start(c.done());
        c.insideCall = false;
        [&] { QTRY_VERIFY_WITH_TIMEOUT(c.has(), timeoutMs); }();
        if (!c.has())
            return Error::make(ErrorKind::Internal, QStringLiteral("test-timeout"), {});
        if (c.reentrant || c.calls != 1)
            return Error::make(ErrorKind::Internal, QStringLiteral("bad-delivery"), {});
        return *c.result;
    }

    ConnectionSettings settings(std::chrono::milliseconds timeout = 5000ms) const
    {
        ConnectionSettings s;
        s.server = m_server->sdkUrl();
        s.user = QStringLiteral("admin");
        s.password = QStringLiteral("secret");
        s.callTimeout = timeout;
        return s;
    }

    Result<AboutInfo> connect(std::chrono::milliseconds timeout = 5000ms)
    {
        return run<AboutInfo>([&](auto done) { m_hv->connectTo(settings(timeout), done); });
    }

    void serveInventoryInPages()
    {
        m_server->serveOnce("RetrievePropertiesEx",
                            FakeVcenter::file(QStringLiteral("RetrievePropertiesEx-inventory-page1.xml")));
        m_server->serveOnce("ContinueRetrievePropertiesEx",
                            FakeVcenter::file(QStringLiteral("ContinueRetrievePropertiesEx-page2.xml")));
        m_server->serveOnce("ContinueRetrievePropertiesEx",
                            FakeVcenter::file(QStringLiteral("ContinueRetrievePropertiesEx-page3.xml")));
    }

    // The replies of a successful provision with power-on, in the order they are asked for.
    void serveProvisioning(bool taskRunsFirst = true)
    {
        m_server->serveOnce("RetrievePropertiesEx",
                            FakeVcenter::file(QStringLiteral("RetrievePropertiesEx-placement.xml")));
        if (taskRunsFirst)
            m_server->serveOnce("RetrievePropertiesEx",
                                FakeVcenter::file(QStringLiteral("RetrievePropertiesEx-task-running.xml")));
        m_server->serveOnce("RetrievePropertiesEx",
                            FakeVcenter::file(QStringLiteral("RetrievePropertiesEx-task-success.xml")));
        m_server->serveOnce("RetrievePropertiesEx",
                            FakeVcenter::file(QStringLiteral("RetrievePropertiesEx-task-poweron-success.xml")));
        m_server->serveOnce("RetrievePropertiesEx", FakeVcenter::file(QStringLiteral("RetrievePropertiesEx-vm.xml")));
        m_server->serve("CreateVM_Task", FakeVcenter::file(QStringLiteral("CreateVM_Task.xml")));
        m_server->serve("PowerOnVM_Task", FakeVcenter::file(QStringLiteral("PowerOnVM_Task.xml")));
    }

    Result<ProvisionOutcome> provision(const ProvisionOrder& order, QList<ProvisionProgress>* progress = nullptr,
                                       std::function<void(CallId)> onFirstProgress = {})
    {
        CallId id = 0;
        bool first = true;
        return run<ProvisionOutcome>([&](auto done) {
            id = m_hv->provision(
                order,
                [&, onFirstProgress](const ProvisionProgress& p) {
                    if (progress)
                        progress->append(p);
                    if (first && onFirstProgress && p.percent > 0) {
                        first = false;
                        onFirstProgress(id);
                    }
                },
                done);
        });
    }

private slots:
    void init()
    {
        m_server = new FakeVcenter();
        QVERIFY(m_server->start());
        m_server->serveSession();
        VsphereOptions options;
        options.taskPollMin = 10ms;
        options.taskPollMax = 40ms;
        m_hv = new VsphereHypervisor(options);
        // Call deadlines pass only when a test moves them on: no test here waits for real time. The
        // adapter has one transport for its life; it is reached the way Qt lets tests reach a child.
        auto* transport = m_hv->findChild<vsphere::SoapTransport*>();
        QVERIFY(transport);
        m_deadlines = std::make_shared<ManualDeadlines>();
        transport->setDeadlineTimers(m_deadlines);
    }
    void cleanup()
    {
        delete m_hv;
        delete m_server;
    }

    void connectReportsWhatWeTalkTo()
    {
        const Result<AboutInfo> r = connect();
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
        QCOMPARE(r.value().name, QStringLiteral("VMware vCenter Server"));
        QCOMPARE(r.value().fullName, QStringLiteral("VMware vCenter Server 6.5.0 build-5973321"));
        QCOMPARE(r.value().vendor, QStringLiteral("VMware, Inc."));
        QCOMPARE(r.value().version, QStringLiteral("6.5.0"));
        QCOMPARE(r.value().build, QStringLiteral("5973321"));
        QCOMPARE(r.value().apiType, QStringLiteral("VirtualCenter"));
        QCOMPARE(r.value().apiVersion, QStringLiteral("6.5"));
        QCOMPARE(r.value().instanceUuid, QStringLiteral("dbed6e0c-bd88-4ef6-b594-21283e1c677f"));
        const Result<AboutInfo> about = run<AboutInfo>([&](auto done) { m_hv->about(done); });
        QVERIFY(about.ok());
        QCOMPARE(about.value().instanceUuid, r.value().instanceUuid);
    }

    void wrongPasswordIsAuthentication()
    {
        m_server->serve("Login", FakeVcenter::fault(QStringLiteral("InvalidLogin")));
        const Result<AboutInfo> r = connect();
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, ErrorKind::Authentication);
        QCOMPARE(r.error().vimFault, QStringLiteral("InvalidLogin"));
    }

    void callsBeforeConnectFail()
    {
        const Result<QDateTime> r = run<QDateTime>([&](auto done) { m_hv->probe(done); });
        QCOMPARE(r.error().code, QStringLiteral("not-connected"));
        QVERIFY(m_server->requests().isEmpty());
    }

    void probeIsCurrentTime()
    {
        QVERIFY(connect().ok());
        const Result<QDateTime> r = run<QDateTime>([&](auto done) { m_hv->probe(done); });
        QVERIFY(r.ok());
        QCOMPARE(r.value(), QDateTime::fromString(QStringLiteral("2026-11-25T18:51:50.071Z"), Qt::ISODateWithMs));
        QCOMPARE(m_server->requests().back().key, QByteArray("CurrentTime"));
    }

    void probeTimesOut()
    {
        QVERIFY(connect(400ms).ok());
        m_server->serve("CurrentTime", hang());
        Capture<Result<QDateTime>> c;
        m_hv->probe(c.done());
        QTRY_COMPARE(m_server->count("CurrentTime"), 1);
        QCOMPARE(m_deadlines->longestArmed(), 400ms); // the connection's call timeout
        m_deadlines->advance(399ms);
        QCoreApplication::processEvents();
        QVERIFY(!c.has());
        m_deadlines->advance(1ms);
        QTRY_VERIFY(c.has());
        QCOMPARE(c.calls, 1);
        QCOMPARE(c.result->error().kind, ErrorKind::Transient);
        QCOMPARE(c.result->error().code, QStringLiteral("timeout"));
    }

    void cancelAHangingCall()
    {
        QVERIFY(connect().ok());
        m_server->serve("CurrentTime", hang());
        Capture<Result<QDateTime>> c;
        const CallId id = m_hv->probe(c.done());
        QTRY_COMPARE(m_server->count("CurrentTime"), 1);
        m_hv->cancel(id);
        QVERIFY(!c.has());
        QTRY_VERIFY(c.has());
        QCOMPARE(c.result->error().kind, ErrorKind::Cancelled);
        QCOMPARE(c.calls, 1);
        QTRY_COMPARE(m_hv->pendingCalls(), 0);
    }

    // Paging with ContinueRetrievePropertiesEx; the view is destroyed; the result equals the
    // single-page one.
    void inventoryAcrossPages()
    {
        QVERIFY(connect().ok());
        serveInventoryInPages();
        const Result<InventorySnapshot> r =
            run<InventorySnapshot>([&](auto done) { m_hv->inventory(recordedKinds(), done); });
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
        const InventorySnapshot expected = recordedInventory();
        QCOMPARE(r.value().vms.size(), expected.vms.size());
        QCOMPARE(r.value().hosts.size(), expected.hosts.size());
        QCOMPARE(r.value().networks.size(), expected.networks.size());
        for (qsizetype i = 0; i < expected.vms.size(); ++i)
            QCOMPARE(r.value().vms[i].path, expected.vms[i].path);
        const auto continues = m_server->requestsFor("ContinueRetrievePropertiesEx");
        QCOMPARE(continues.size(), 2);
        QVERIFY(continues[0].body.contains("<token>page-2-token</token>"));
        QVERIFY(continues[1].body.contains("<token>page-3-token</token>"));
        QTRY_COMPARE(m_server->count("DestroyView"), 1);
        QVERIFY(m_server->requestsFor("RetrievePropertiesEx").front().body.contains("<maxObjects>1000</maxObjects>"));
    }

    // The rule, checked on the wire: across every call the adapter makes, no request asks for
    // all properties — no <all>true</all>, and no PropertySpec without a pathSet.
    void noRequestAsksForAllProperties()
    {
        QVERIFY(connect().ok());
        serveInventoryInPages();
        QVERIFY(run<InventorySnapshot>([&](auto done) { m_hv->inventory(recordedKinds(), done); }).ok());
        serveProvisioning();
        ProvisionOrder order{QUuid::createUuid(), specForDc0()};
        QVERIFY(provision(order).ok());
        m_server->serve("FindByUuid", FakeVcenter::file(QStringLiteral("FindByUuid-none.xml")));
        m_server->serve("RetrievePropertiesEx", FakeVcenter::file(QStringLiteral("RetrievePropertiesEx-scan.xml")));
        QVERIFY(run<std::optional<VmRef>>([&](auto done) { m_hv->findByRequestKey(kCreatedRequest, done); }).ok());

        const QRegularExpression propSet(QStringLiteral("<propSet>(.*?)</propSet>"));
        int specs = 0;
        for (const FakeVcenter::Request& request : m_server->requests()) {
            QVERIFY2(!request.body.contains("<all>"), request.key.constData());
            auto it = propSet.globalMatch(QString::fromUtf8(request.body));
            while (it.hasNext()) {
                ++specs;
                QVERIFY2(it.next().captured(1).contains(QLatin1String("<pathSet>")), request.key.constData());
            }
        }
        QVERIFY(specs >= 10);
    }

    void sessionLostDuringInventoryIsRestoredOnce()
    {
        QVERIFY(connect().ok());
        m_server->serveOnce("CreateContainerView", FakeVcenter::fault(QStringLiteral("NotAuthenticated")));
        m_server->serve("RetrievePropertiesEx",
                        FakeVcenter::file(QStringLiteral("RetrievePropertiesEx-inventory-full.xml")));
        const Result<InventorySnapshot> r =
            run<InventorySnapshot>([&](auto done) { m_hv->inventory(recordedKinds(), done); });
        QVERIFY(r.ok());
        QCOMPARE(m_server->count("Login"), 2);
        QCOMPARE(m_hv->loginCount(), 2);
    }

    void sessionLostTwiceIsAnError()
    {
        QVERIFY(connect().ok());
        m_server->serve("CreateContainerView", FakeVcenter::fault(QStringLiteral("NotAuthenticated")));
        const Result<InventorySnapshot> r =
            run<InventorySnapshot>([&](auto done) { m_hv->inventory(recordedKinds(), done); });
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, ErrorKind::SessionExpired);
        QCOMPARE(m_server->count("Login"), 2); // one re-login, not more
        QCOMPARE(m_server->count("CreateContainerView"), 2);
    }

    void provisionCreatesFollowsAndPowersOn()
    {
        QVERIFY(connect().ok());
        serveProvisioning();
        const QUuid requestId = QUuid::createUuid();
        QList<ProvisionProgress> progress;
        const Result<ProvisionOutcome> r = provision(ProvisionOrder{requestId, specForDc0()}, &progress);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
        QCOMPARE(r.value().vm.ref, QStringLiteral("vm-69"));
        QCOMPARE(r.value().vm.name, QStringLiteral("dcm-test-1"));
        QCOMPARE(r.value().vm.powerState, QStringLiteral("poweredOn"));
        QCOMPARE(r.value().taskRef, QStringLiteral("task-71"));
        QVERIFY(r.value().poweredOn);

        QStringList seen;
        for (const ProvisionProgress& p : progress)
            seen << QStringLiteral("%1:%2").arg(p.stage).arg(p.percent);
        QCOMPARE(seen, (QStringList{"creating:0", "creating:42", "creating:100", "powering-on:0", "powering-on:100"}));

        const auto creates = m_server->requestsFor("CreateVM_Task");
        QCOMPARE(creates.size(), 1);
        const QByteArray body = creates.front().body;
        const QByteArray uuid = requestId.toString(QUuid::WithoutBraces).toLatin1();
        QVERIFY(body.contains("<instanceUuid>" + uuid + "</instanceUuid>"));
        QVERIFY(body.contains("<key>dcm.requestId</key><value xsi:type=\"xsd:string\">" + uuid + "</value>"));
        QVERIFY(body.contains("<_this type=\"Folder\">folder-3</_this>"));
        QVERIFY(body.contains("<pool type=\"ResourcePool\">resgroup-26</pool>"));
        QCOMPARE(m_server->count("PowerOnVM_Task"), 1);
    }

    void taskFaultIsClassified()
    {
        QVERIFY(connect().ok());
        m_server->serveOnce("RetrievePropertiesEx",
                            FakeVcenter::file(QStringLiteral("RetrievePropertiesEx-placement.xml")));
        m_server->serveOnce("RetrievePropertiesEx",
                            FakeVcenter::file(QStringLiteral("RetrievePropertiesEx-task-error-DuplicateName.xml")));
        m_server->serve("CreateVM_Task", FakeVcenter::file(QStringLiteral("CreateVM_Task.xml")));
        const Result<ProvisionOutcome> r = provision(ProvisionOrder{QUuid::createUuid(), specForDc0()});
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, ErrorKind::Business);
        QCOMPARE(r.error().vimFault, QStringLiteral("DuplicateName"));
        QCOMPARE(r.error().message, QStringLiteral("The name 'dcm-test-1' already exists."));
        QCOMPARE(r.error().details.value(QStringLiteral("createTaskRef")).toString(), QStringLiteral("task-71"));
        QCOMPARE(m_server->count("PowerOnVM_Task"), 0);
    }

    // The reply to CreateVM_Task is lost after vCenter got it: outcome unknown, never re-sent.
    void lostCreateReplyIsAnUnknownOutcome()
    {
        QVERIFY(connect().ok());
        m_server->serveOnce("RetrievePropertiesEx",
                            FakeVcenter::file(QStringLiteral("RetrievePropertiesEx-placement.xml")));
        FakeVcenter::Reply drop = FakeVcenter::file(QStringLiteral("CreateVM_Task.xml"));
        drop.mode = FakeVcenter::Mode::Drop;
        m_server->serve("CreateVM_Task", drop);
        const Result<ProvisionOutcome> r = provision(ProvisionOrder{QUuid::createUuid(), specForDc0()});
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, ErrorKind::OutcomeUnknown);
        QCOMPARE(m_server->count("CreateVM_Task"), 1);
    }

    // NotAuthenticated is a refusal, not a lost reply: re-login and send CreateVM_Task again.
    void sessionLostAtCreateIsRestoredOnce()
    {
        QVERIFY(connect().ok());
        serveProvisioning(false);
        m_server->serveOnce("CreateVM_Task", FakeVcenter::fault(QStringLiteral("NotAuthenticated")));
        const Result<ProvisionOutcome> r = provision(ProvisionOrder{QUuid::createUuid(), specForDc0()});
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
        QCOMPARE(m_server->count("CreateVM_Task"), 2);
        QCOMPARE(m_server->count("Login"), 2);
        const auto creates = m_server->requestsFor("CreateVM_Task");
        QCOMPARE(creates.back().headers.value("cookie"), QByteArray("vmware_soap_session=\"session-2\""));
    }

    void cancelWhileTheTaskRuns()
    {
        QVERIFY(connect().ok());
        m_server->serveOnce("RetrievePropertiesEx",
                            FakeVcenter::file(QStringLiteral("RetrievePropertiesEx-placement.xml")));
        m_server->serve("RetrievePropertiesEx",
                        FakeVcenter::file(QStringLiteral("RetrievePropertiesEx-task-running.xml")));
        m_server->serve("CreateVM_Task", FakeVcenter::file(QStringLiteral("CreateVM_Task.xml")));
        m_server->onRequest = [this](const FakeVcenter::Request& request) {
            if (request.key == "CancelTask") {
                m_server->serve("RetrievePropertiesEx", FakeVcenter::file(QStringLiteral(
                                                            "RetrievePropertiesEx-task-error-RequestCanceled.xml")));
            }
        };
        const Result<ProvisionOutcome> r = provision(ProvisionOrder{QUuid::createUuid(), specForDc0()}, nullptr,
                                                     [this](CallId id) { m_hv->cancel(id); });
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, ErrorKind::Cancelled);
        QCOMPARE(m_server->count("CancelTask"), 1);
        QVERIFY(m_server->requestsFor("CancelTask").front().body.contains(">task-71<"));
        QCOMPARE(m_server->count("PowerOnVM_Task"), 0);
    }

    // A task still running at the first read is followed through the update channel: a filter on the
    // task, its success in a WaitForUpdatesEx reply, the filter destroyed; no poll of the task follows.
    void aRunningTaskIsFollowedByUpdatesNotPolls()
    {
        QVERIFY(connect().ok());
        m_server->serve("CreatePropertyCollector", FakeVcenter::file(QStringLiteral("CreatePropertyCollector.xml")));
        m_server->serve("CreateFilter", FakeVcenter::file(QStringLiteral("CreateFilter.xml")));
        m_server->serve("DestroyPropertyFilter", FakeVcenter::file(QStringLiteral("DestroyPropertyFilter.xml")));
        m_server->serveOnce("WaitForUpdatesEx", FakeVcenter::file(QStringLiteral("WaitForUpdatesEx-task-success.xml")));
        m_server->serve("WaitForUpdatesEx", FakeVcenter::file(QStringLiteral("WaitForUpdatesEx-nothing.xml")));
        m_server->serveOnce("RetrievePropertiesEx",
                            FakeVcenter::file(QStringLiteral("RetrievePropertiesEx-placement.xml")));
        m_server->serveOnce("RetrievePropertiesEx",
                            FakeVcenter::file(QStringLiteral("RetrievePropertiesEx-task-running.xml")));
        m_server->serveOnce("RetrievePropertiesEx",
                            FakeVcenter::file(QStringLiteral("RetrievePropertiesEx-task-poweron-success.xml")));
        m_server->serveOnce("RetrievePropertiesEx", FakeVcenter::file(QStringLiteral("RetrievePropertiesEx-vm.xml")));
        m_server->serve("CreateVM_Task", FakeVcenter::file(QStringLiteral("CreateVM_Task.xml")));
        m_server->serve("PowerOnVM_Task", FakeVcenter::file(QStringLiteral("PowerOnVM_Task.xml")));

        const Result<ProvisionOutcome> r = provision(ProvisionOrder{QUuid::createUuid(), specForDc0()});
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
        QCOMPARE(r.value().vm.ref, QStringLiteral("vm-69"));
        // placement, the create task's first read, the power-on task's first read, the read-back
        QCOMPARE(m_server->count("RetrievePropertiesEx"), 4);
        QCOMPARE(m_server->count("CreatePropertyCollector"), 1);
        QCOMPARE(m_server->count("CreateFilter"), 1);
        const QByteArray filter = m_server->requestsFor("CreateFilter").front().body;
        QVERIFY(filter.contains(">task-71<"));
        QVERIFY(filter.contains("<pathSet>info.state</pathSet>"));
        QVERIFY(filter.contains("<partialUpdates>false</partialUpdates>"));
        QVERIFY(!filter.contains("<all>")); // explicit paths only
        QTRY_COMPARE(m_server->count("DestroyPropertyFilter"), 1);
        QVERIFY(m_server->requestsFor("DestroyPropertyFilter").front().body.contains("filter-1"));
        const QByteArray wait = m_server->requestsFor("WaitForUpdatesEx").front().body;
        QVERIFY(wait.contains("<maxWaitSeconds>"));
        QCOMPARE(m_hv->updateChannel().followers(), 0);
    }

    // A server that refuses CreateFilter (an old one, or a spec it rejects): the task is polled instead.
    void aRefusedFilterFallsBackToPolling()
    {
        QVERIFY(connect().ok());
        m_server->serve("CreatePropertyCollector", FakeVcenter::file(QStringLiteral("CreatePropertyCollector.xml")));
        m_server->serve("CreateFilter", FakeVcenter::fault(QStringLiteral("InvalidArgument")));
        serveProvisioning(true);
        const Result<ProvisionOutcome> r = provision(ProvisionOrder{QUuid::createUuid(), specForDc0()});
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
        QCOMPARE(m_server->count("CreateFilter"), 1);
        QCOMPARE(m_server->count("WaitForUpdatesEx"), 0);
        QCOMPARE(m_server->count("RetrievePropertiesEx"), 5); // the running read, then a poll found success
    }

    void cancelBeforeCreateSendsNothing()
    {
        QVERIFY(connect().ok());
        m_server->serve("CreateContainerView", hang());
        Capture<Result<ProvisionOutcome>> c;
        const CallId id = m_hv->provision(ProvisionOrder{QUuid::createUuid(), specForDc0()}, {}, c.done());
        QTRY_COMPARE(m_server->count("CreateContainerView"), 1);
        m_hv->cancel(id);
        QTRY_VERIFY(c.has());
        QCOMPARE(c.result->error().kind, ErrorKind::Cancelled);
        QCOMPARE(m_server->count("CreateVM_Task"), 0);
    }

    void invalidSpecIsRefusedWithoutIo()
    {
        QVERIFY(connect().ok());
        const int before = int(m_server->requests().size());
        VmSpec spec = specForDc0();
        spec.cpus = 0;
        spec.memoryMiB = -1;
        const Result<ProvisionOutcome> r = provision(ProvisionOrder{QUuid::createUuid(), spec});
        QCOMPARE(r.error().kind, ErrorKind::InvalidInput);
        QCOMPARE(int(m_server->requests().size()), before);
    }

    void unknownPlacementIsBusiness()
    {
        QVERIFY(connect().ok());
        m_server->serve("RetrievePropertiesEx",
                        FakeVcenter::file(QStringLiteral("RetrievePropertiesEx-placement.xml")));
        VmSpec spec = specForDc0();
        spec.datastore = QStringLiteral("nope");
        const Result<ProvisionOutcome> r = provision(ProvisionOrder{QUuid::createUuid(), spec});
        QCOMPARE(r.error().kind, ErrorKind::Business);
        QCOMPARE(r.error().details.value(QStringLiteral("field")).toString(), QStringLiteral("datastore"));
        QCOMPARE(m_server->count("CreateVM_Task"), 0);
    }

    // A burst of provisions reads the placement inventory once; a name the cached copy does not know
    // is looked up again in a fresh one before it is refused.
    void placementIsCachedBetweenProvisions()
    {
        QVERIFY(connect().ok());
        serveProvisioning(false);
        QVERIFY(provision(ProvisionOrder{QUuid::createUuid(), specForDc0()}).ok());
        m_server->serveOnce("RetrievePropertiesEx",
                            FakeVcenter::file(QStringLiteral("RetrievePropertiesEx-task-success.xml")));
        m_server->serveOnce("RetrievePropertiesEx",
                            FakeVcenter::file(QStringLiteral("RetrievePropertiesEx-task-poweron-success.xml")));
        m_server->serveOnce("RetrievePropertiesEx", FakeVcenter::file(QStringLiteral("RetrievePropertiesEx-vm.xml")));
        QVERIFY(provision(ProvisionOrder{QUuid::createUuid(), specForDc0()}).ok());
        QCOMPARE(m_server->count("CreateContainerView"), 1);
        QCOMPARE(m_server->count("CreateVM_Task"), 2);

        m_server->serve("RetrievePropertiesEx",
                        FakeVcenter::file(QStringLiteral("RetrievePropertiesEx-placement.xml")));
        VmSpec spec = specForDc0();
        spec.datastore = QStringLiteral("added-a-minute-ago");
        const Result<ProvisionOutcome> r = provision(ProvisionOrder{QUuid::createUuid(), spec});
        QCOMPARE(r.error().details.value(QStringLiteral("field")).toString(), QStringLiteral("datastore"));
        QCOMPARE(m_server->count("CreateContainerView"), 2);
    }

    void findByInstanceUuid()
    {
        QVERIFY(connect().ok());
        m_server->serve("FindByUuid", FakeVcenter::file(QStringLiteral("FindByUuid-found.xml")));
        m_server->serve("RetrievePropertiesEx", FakeVcenter::file(QStringLiteral("RetrievePropertiesEx-vm.xml")));
        const QUuid key(QStringLiteral("3fb75931-9e30-41d2-b166-2ecb3e253abe"));
        const auto r = run<std::optional<VmRef>>([&](auto done) { m_hv->findByRequestKey(key, done); });
        QVERIFY(r.ok() && r.value().has_value());
        QCOMPARE(r.value()->ref, QStringLiteral("vm-69"));
        QCOMPARE(r.value()->instanceUuid, key.toString(QUuid::WithoutBraces));
        const QByteArray body = m_server->requestsFor("FindByUuid").front().body;
        QVERIFY(body.contains("<uuid>3fb75931-9e30-41d2-b166-2ecb3e253abe</uuid>"));
        QVERIFY(body.contains("<vmSearch>true</vmSearch><instanceUuid>true</instanceUuid>"));
        QCOMPARE(m_server->count("CreateContainerView"), 0); // no scan needed
    }

    void findFallsBackToExtraConfig_data()
    {
        QTest::addColumn<QUuid>("key");
        QTest::addColumn<QString>("expected");
        QTest::newRow("ours") << kCreatedRequest << "vm-72";
        QTest::newRow("nobody's") << QUuid(QStringLiteral("5a1d0e1e-0000-4000-8000-000000000001")) << "";
    }
    void findFallsBackToExtraConfig()
    {
        QFETCH(QUuid, key);
        QFETCH(QString, expected);
        QVERIFY(connect().ok());
        m_server->serve("FindByUuid", FakeVcenter::file(QStringLiteral("FindByUuid-none.xml")));
        m_server->serve("RetrievePropertiesEx", FakeVcenter::file(QStringLiteral("RetrievePropertiesEx-scan.xml")));
        const auto r = run<std::optional<VmRef>>([&](auto done) { m_hv->findByRequestKey(key, done); });
        QVERIFY(r.ok());
        QCOMPARE(r.value().has_value(), !expected.isEmpty());
        if (r.value())
            QCOMPARE(r.value()->ref, expected);
        QVERIFY(m_server->requestsFor("RetrievePropertiesEx")
                    .front()
                    .body.contains("<pathSet>config.extraConfig</pathSet>"));
        QTRY_COMPARE(m_server->count("DestroyView"), 1);
    }

    void twoVmsWithOneKeyIsAnError()
    {
        QVERIFY(connect().ok());
        m_server->serve("FindByUuid", FakeVcenter::file(QStringLiteral("FindByUuid-none.xml")));
        FakeVcenter::Reply scan = FakeVcenter::file(QStringLiteral("RetrievePropertiesEx-scan.xml"));
        scan.body.replace(kOtherRequest.toString(QUuid::WithoutBraces).toLatin1(),
                          kCreatedRequest.toString(QUuid::WithoutBraces).toLatin1());
        m_server->serve("RetrievePropertiesEx", scan);
        const auto r = run<std::optional<VmRef>>([&](auto done) { m_hv->findByRequestKey(kCreatedRequest, done); });
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("ambiguous-request-key"));
        QCOMPARE(r.error().details.value(QStringLiteral("vmRefs")).toStringList().size(), 2);
    }

    void disconnectLogsOut()
    {
        QVERIFY(connect().ok());
        QVERIFY(run<void>([&](auto done) { m_hv->disconnectFrom(done); }).ok());
        QCOMPARE(m_server->count("Logout"), 1);
        const Result<QDateTime> r = run<QDateTime>([&](auto done) { m_hv->probe(done); });
        QCOMPARE(r.error().code, QStringLiteral("not-connected"));
    }

    // Destroying the adapter with calls in flight: no crash, and no late callback.
    void destroyedWithCallsInFlight()
    {
        QVERIFY(connect().ok());
        m_server->serve("CurrentTime", hang());
        int calls = 0;
        m_hv->probe([&](Result<QDateTime>) { ++calls; });
        QTRY_COMPARE(m_server->count("CurrentTime"), 1);
        delete m_hv;
        m_hv = nullptr;
        QCoreApplication::sendPostedEvents(); // any stray queued delivery would run now: there must be none
        QCoreApplication::processEvents();
        QCOMPARE(calls, 0);
    }
};

QTEST_GUILESS_MAIN(TestVsphereHypervisor)
#include "TestVsphereHypervisor.moc"
