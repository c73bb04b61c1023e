// A clone from a template, end to end: ProvisioningService + VsphereHypervisor + SqliteRequestStore
// against the bundled simulator started with templates. What happened is read back from the simulator
// itself (GET /vms: the request key, hardware, NICs, customizations accepted and applied, the guest's
// identity); lost replies come from its fault door (/drop), a crash from a service dropped mid-call.
#include "DomainQCompare.h"
#include "ManualClock.h"
#include "VcsimProcess.h"

#include "app/service/ProvisioningService.h"
#include "app/storage/SqliteRequestStore.h"
#include "domain/RequestEventText.h"
#include "hypervisor/vsphere/VsphereHypervisor.h"

#include <QDeadlineTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace dcm;
using namespace std::chrono_literals;

class TestClonesAgainstVcsim final : public QObject
{
    Q_OBJECT

private:
    // Two templates: DC0_TMPL1 is removed by the last test.
    VcsimProcess m_sim{QStringList{QStringLiteral("-templates"), QStringLiteral("2")}};
    QTemporaryDir m_dir;
    ManualClock m_clock;
    std::unique_ptr<ProvisioningService> m_service;
    QString m_db;
    int m_run = 0;
    int m_serial = 0;

    void makeService(const QString& db)
    {
        ServiceConfig config;
        config.tickInterval = 0ms;
        config.owner = QStringLiteral("clones-%1").arg(++m_run);
        m_service = std::make_unique<ProvisioningService>(
            [] {
                VsphereOptions options;
                options.taskPollMin = 10ms;
                return std::make_unique<VsphereHypervisor>(options);
            },
            [db]() -> Result<std::unique_ptr<RequestStorePort>> {
                auto store = SqliteRequestStore::open(db);
                if (!store.ok())
                    return store.error();
                return std::unique_ptr<RequestStorePort>(std::move(store.value()));
            },
            m_clock, config);
        m_service->initialize();
        QVERIFY(m_service->isInitialized());
        ConnectionSettings s;
        s.server = m_sim.sdkUrl();
        s.user = m_sim.username();
        s.password = m_sim.password();
        s.thumbprint = m_sim.thumbprint();
        s.callTimeout = 5s;
        m_service->connectTo(s);
        QTRY_COMPARE_WITH_TIMEOUT(int(m_service->connectionStatus().state), int(ConnectionStatus::State::Connected),
                                  20000);
    }

    VmSpec cloneSpec(const QString& prefix, const QString& templateName = QStringLiteral("DC0_TMPL0"))
    {
        VmSpec s;
        s.name = QStringLiteral("%1-%2").arg(prefix).arg(++m_serial);
        s.templateName = templateName;
        s.cpus = 0;
        s.memoryMiB = 0;
        s.datacenter = QStringLiteral("DC0");
        s.cluster = QStringLiteral("DC0_C0");
        s.datastore = QStringLiteral("LocalDS_0");
        s.nics = {NicSpec{QStringLiteral("VM Network")}};
        s.powerOn = true;
        return s;
    }

    static void linux(VmSpec& s, const QString& host, const QString& address)
    {
        s.customization.mode = GuestCustomization::Mode::Linux;
        s.customization.hostName = host;
        s.customization.domain = QStringLiteral("example.com");
        s.customization.timeZone = QStringLiteral("Europe/Berlin");
        s.customization.nics = {NicAddress{false, address, 24, QStringLiteral("10.0.0.1")}};
        s.customization.dnsServers = {QStringLiteral("10.0.0.53")};
    }

    std::optional<ProvisioningRequest> stored(const QUuid& id)
    {
        auto store = SqliteRequestStore::open(m_db);
        if (!store.ok())
            return std::nullopt;
        auto r = store.value()->get(id);
        if (!r.ok() || !r.value())
            return std::nullopt;
        return *r.value();
    }
    RequestState stateOf(const QUuid& id)
    {
        const auto r = stored(id);
        return r ? r->state() : RequestState::Submitted;
    }

    // Ticks the service (the follower reads every 5 s of the manual clock) until `done`.
    bool tickUntil(const std::function<bool()>& done, int timeoutMs = 60000)
    {
        QDeadlineTimer deadline(timeoutMs);
        while (!done()) {
            if (deadline.hasExpired())
                return false;
            m_service->tick();
            QTest::qWait(20);
            m_clock.advance(1s);
        }
        return true;
    }

    QJsonObject simVm(const QString& name)
    {
        QList<QJsonObject> found;
        for (const QJsonValue& v : m_sim.vms())
            if (v.toObject().value(QStringLiteral("name")).toString() == name)
                found.append(v.toObject());
        if (found.size() != 1)
            qWarning("expected one VM named %s, found %lld", qPrintable(name), qlonglong(found.size()));
        return found.size() == 1 ? found.front() : QJsonObject();
    }

    int vmsWithKey(const QUuid& id) { return m_sim.vmsPerRequestKey().value(id.toString(QUuid::WithoutBraces)); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString error;
        QVERIFY2(m_sim.start(&error), qPrintable(error));
    }

    void init()
    {
        m_sim.reset();
        m_db = m_dir.filePath(QStringLiteral("run-%1.sqlite").arg(m_run + 1));
        makeService(m_db);
    }

    void cleanup() { m_service.reset(); }

    void aTypedLinuxCustomizationWithPowerOnReportsTheGuest()
    {
        VmSpec s = cloneSpec(QStringLiteral("typed"));
        s.cpus = 4;
        s.coresPerSocket = 2;
        s.memoryMiB = 1024;
        s.disks = {DiskSpec{1024, true}};
        s.nics.append(NicSpec{QStringLiteral("DC0_DVPG0"), NicSpec::e1000e});
        linux(s, QStringLiteral("web01"), QStringLiteral("10.0.0.11"));
        s.customization.nics.append(NicAddress{}); // NIC 2: DHCP
        const SubmitAnswer a = m_service->submit(s);
        QCOMPARE(int(a.outcome), int(SubmitAnswer::Outcome::Started));
        QVERIFY(tickUntil([&] { return stateOf(a.id) == RequestState::Provisioned; }));
        QVERIFY(tickUntil([&] { return stored(a.id) && !stored(a.id)->ipAddress().isEmpty(); }));

        QCOMPARE(vmsWithKey(a.id), 1);
        const QJsonObject vm = simVm(s.name);
        QCOMPARE(vm.value(QStringLiteral("extraConfig")).toObject().value(QStringLiteral("dcm.requestId")).toString(),
                 a.id.toString(QUuid::WithoutBraces));
        QCOMPARE(vm.value(QStringLiteral("cpus")).toInt(), 4);
        QCOMPARE(vm.value(QStringLiteral("memoryMiB")).toInt(), 1024);
        QCOMPARE(vm.value(QStringLiteral("disks")).toArray().size(), 2); // the template's and the added one
        QCOMPARE(vm.value(QStringLiteral("networks")).toArray().size(), 2);
        QCOMPARE(vm.value(QStringLiteral("powerState")).toString(), QStringLiteral("poweredOn"));
        QCOMPARE(vm.value(QStringLiteral("customizationsAccepted")).toInt(), 1);
        QCOMPARE(vm.value(QStringLiteral("customizationsApplied")).toInt(), 1);

        const ProvisioningRequest r = *stored(a.id);
        QCOMPARE(r.ipAddress(), QStringLiteral("10.0.0.11"));
        QVERIFY2(r.guestHostName().startsWith(QStringLiteral("web01")), qPrintable(r.guestHostName()));
        QCOMPARE(int(r.provisionStep()), int(ProvisionStep::PoweredOn));
        QCOMPARE(r.history().last().code, QLatin1String(RequestEventText::kGuestReported));
    }

    void aSavedSpecificationIsAppliedOnce()
    {
        VmSpec s = cloneSpec(QStringLiteral("saved"));
        s.customization.mode = GuestCustomization::Mode::SavedSpec;
        s.customization.specName = QStringLiteral("vcsim-linux-static");
        const SubmitAnswer a = m_service->submit(s);
        QVERIFY(a.accepted());
        QVERIFY(tickUntil([&] { return stateOf(a.id) == RequestState::Provisioned; }));
        QVERIFY(tickUntil([&] { return stored(a.id) && !stored(a.id)->guestHostName().isEmpty(); }));
        QCOMPARE(vmsWithKey(a.id), 1);
        QCOMPARE(simVm(s.name).value(QStringLiteral("customizationsApplied")).toInt(), 1);
        QVERIFY2(stored(a.id)->guestHostName().startsWith(QStringLiteral("vcsim-")),
                 qPrintable(stored(a.id)->guestHostName()));
    }

    void aBatchOfFiveTakesConsecutiveAddresses()
    {
        VmSpec pattern = cloneSpec(QStringLiteral("batch"));
        pattern.name = QStringLiteral("batch-{nn}");
        linux(pattern, QStringLiteral("batch-{nn}"), QStringLiteral("10.0.0.21"));
        const QList<SubmitAnswer> answers = m_service->submitBatch(pattern, 5);
        QCOMPARE(answers.size(), 5);
        for (const SubmitAnswer& a : answers)
            QVERIFY(a.accepted());
        QVERIFY(tickUntil(
            [&] {
                return std::all_of(answers.cbegin(), answers.cend(), [&](const SubmitAnswer& a) {
                    const auto r = stored(a.id);
                    return r && r->state() == RequestState::Provisioned && !r->ipAddress().isEmpty();
                });
            },
            120000));
        QUuid batch;
        for (int i = 0; i < 5; ++i) {
            const ProvisioningRequest r = *stored(answers.at(i).id);
            QCOMPARE(vmsWithKey(r.id()), 1);
            QCOMPARE(r.spec().name, QStringLiteral("batch-%1").arg(i + 1, 2, 10, QLatin1Char('0')));
            QCOMPARE(r.ipAddress(), QStringLiteral("10.0.0.%1").arg(21 + i));
            QCOMPARE(simVm(r.spec().name).value(QStringLiteral("guestIpAddress")).toString(), r.ipAddress());
            QCOMPARE(r.guestHostName().section(QLatin1Char('.'), 0, 0), r.spec().name); // each guest its own name
            if (i == 0)
                batch = r.batchId();
            QVERIFY(!batch.isNull());
            QCOMPARE(r.batchId(), batch);
        }
    }

    // The reply of each step lost after the simulator did the work: one VM per request, customized once.
    void aLostReplyAtEachStepLeavesOneVmCustomizedOnce_data()
    {
        QTest::addColumn<QString>("method");
        QTest::newRow("clone") << QStringLiteral("CloneVM_Task");
        QTest::newRow("customize") << QStringLiteral("CustomizeVM_Task");
        QTest::newRow("power-on") << QStringLiteral("PowerOnVM_Task");
    }

    void aLostReplyAtEachStepLeavesOneVmCustomizedOnce()
    {
        QFETCH(QString, method);
        m_sim.post(QStringLiteral("/drop"), QJsonObject{{QStringLiteral("method"), method}});
        VmSpec s = cloneSpec(QStringLiteral("lost"));
        linux(s, QStringLiteral("lost"), QStringLiteral("10.0.0.31"));
        const SubmitAnswer a = m_service->submit(s);
        QVERIFY(a.accepted());
        QVERIFY(tickUntil([&] { return stateOf(a.id) == RequestState::Provisioned; }, 90000));
        QCOMPARE(vmsWithKey(a.id), 1);
        const QJsonObject vm = simVm(s.name);
        QCOMPARE(vm.value(QStringLiteral("customizationsApplied")).toInt(), 1);
        QCOMPARE(vm.value(QStringLiteral("powerState")).toString(), QStringLiteral("poweredOn"));
        bool reconciled = false;
        const ProvisioningRequest r = *stored(a.id);
        for (const RequestEvent& e : r.history())
            reconciled = reconciled || e.to == RequestState::Reconciling;
        QVERIFY(reconciled);
    }

    // The service stops while a step's call is out (the simulator still does the work); another service
    // on the same database takes the request over once the lease lapsed.
    void aServiceKilledAtEachStepIsTakenOverAndFinishedOnce_data()
    {
        QTest::addColumn<QString>("method");
        QTest::newRow("clone") << QStringLiteral("CloneVM_Task");
        QTest::newRow("customize") << QStringLiteral("CustomizeVM_Task");
        QTest::newRow("power-on") << QStringLiteral("PowerOnVM_Task");
    }

    void aServiceKilledAtEachStepIsTakenOverAndFinishedOnce()
    {
        QFETCH(QString, method);
        m_sim.post(QStringLiteral("/delay"),
                   QJsonObject{{QStringLiteral("method"), method}, {QStringLiteral("ms"), 1500}});
        VmSpec s = cloneSpec(QStringLiteral("killed"));
        linux(s, QStringLiteral("killed"), QStringLiteral("10.0.0.41"));
        const int before = m_sim.callCount(method);
        const SubmitAnswer a = m_service->submit(s);
        QVERIFY(a.accepted());
        QVERIFY(tickUntil([&] { return m_sim.callCount(method) > before; }, 30000));
        m_service.reset(); // killed mid-call; its lease stays in the database
        m_sim.post(QStringLiteral("/delay"),
                   QJsonObject{{QStringLiteral("method"), method}, {QStringLiteral("ms"), 0}});
        QTest::qWait(2000); // the delayed call completes at the simulator

        makeService(m_db);
        m_clock.advance(11s);
        QVERIFY(tickUntil([&] { return stateOf(a.id) == RequestState::Provisioned; }, 90000));
        QCOMPARE(vmsWithKey(a.id), 1);
        QCOMPARE(simVm(s.name).value(QStringLiteral("customizationsApplied")).toInt(), 1);
    }

    // Last: it removes a template.
    void aTemplateRemovedWhileQueuedFailsWithTheReason()
    {
        m_service->forceBreakerOpen(QStringLiteral("queue it"));
        const SubmitAnswer a = m_service->submit(cloneSpec(QStringLiteral("gone"), QStringLiteral("DC0_TMPL1")));
        QCOMPARE(int(a.outcome), int(SubmitAnswer::Outcome::Queued));
        m_sim.post(QStringLiteral("/vm/destroy"), QJsonObject{{QStringLiteral("name"), QStringLiteral("DC0_TMPL1")}});
        m_service->resetBreaker(QStringLiteral("back"));
        m_clock.advance(20s); // the inventory read before is stale now
        QVERIFY(tickUntil([&] { return stateOf(a.id) == RequestState::Failed; }));
        const ProvisioningRequest r = *stored(a.id);
        QCOMPARE(r.lastError()->code, QStringLiteral("template-vanished"));
        QCOMPARE(r.history().last().code, QLatin1String(RequestEventText::kTemplateVanished));
        QCOMPARE(vmsWithKey(a.id), 0);
    }
};

QTEST_MAIN(TestClonesAgainstVcsim)
#include "TestClonesAgainstVcsim.moc"
