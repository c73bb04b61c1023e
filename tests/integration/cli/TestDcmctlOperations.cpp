// dcmctl power and decommission against the bundled simulator and a real SQLite database: without --wait
// the operation is durable and left for a service (exit 3); with --wait it runs (exit 0); decommission
// needs --yes (exit 2, nothing stored); admin mode needs --admin and --reason and finds the VM by name;
// `requests --json` says kind and target, and the provisioning request says when it was decommissioned;
// a dcmctl killed mid-decommission is taken over by `dcmctl serve` without a second Destroy_Task.
#include "DcmctlRunner.h"
#include "VcsimProcess.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

class TestDcmctlOperations final : public QObject
{
    Q_OBJECT

private:
    VcsimProcess m_sim;
    QTemporaryDir m_dir;
    int m_dbCounter = 0;
    QString m_db;

    QProcessEnvironment env(bool withPassword = true) const
    {
        return simulatorEnv(m_sim, m_db, withPassword ? m_sim.password() : QString());
    }
    QJsonObject powerOfVm(const QString& name)
    {
        for (const QJsonValue& vm : m_sim.vms())
            if (vm.toObject().value(QStringLiteral("name")).toString() == name)
                return vm.toObject();
        return {};
    }
    // A VM provisioned with `dcmctl submit --wait`; its request id.
    QString provisioned(const QString& name, bool powerOn)
    {
        QStringList args{QStringLiteral("submit"), QStringLiteral("--json"), QStringLiteral("--wait"),
                         QStringLiteral("60")};
        args += simulatorSpecArgs(name);
        if (powerOn)
            args << QStringLiteral("--power-on");
        const DcmctlRun r = runDcmctl(args, env());
        [&] { QCOMPARE(r.exitCode, 0); }();
        return r.json().object().value(QStringLiteral("id")).toString();
    }
    QJsonObject request(const QString& id)
    {
        const DcmctlRun r =
            runDcmctl({QStringLiteral("requests"), QStringLiteral("--id"), id, QStringLiteral("--json")}, env(false));
        const QJsonDocument doc = r.json();
        return doc.isArray() ? doc.array().first().toObject() : doc.object();
    }

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
        m_db = m_dir.filePath(QStringLiteral("requests-%1.sqlite").arg(++m_dbCounter));
    }

    // Pins: without --wait the operation is stored for a service (exit 3) and nothing reaches vCenter;
    // `requests --json` lists it with its kind and target.
    void powerWithoutWaitIsDurableAndExits3()
    {
        const QString vm = provisioned(QStringLiteral("cli-ops-queued"), true);
        const DcmctlRun r =
            runDcmctl({QStringLiteral("power"), vm, QStringLiteral("off"), QStringLiteral("--json")}, env(false));
        QCOMPARE(r.exitCode, 3);
        const QString op = r.json().object().value(QStringLiteral("id")).toString();
        QVERIFY(!op.isEmpty());
        const QJsonObject listed = request(op);
        QCOMPARE(listed.value(QStringLiteral("kind")).toString(), QStringLiteral("power-off"));
        QCOMPARE(listed.value(QStringLiteral("target")).toObject().value(QStringLiteral("requestId")).toString(), vm);
        QCOMPARE(listed.value(QStringLiteral("name")).toString(), QStringLiteral("cli-ops-queued"));
        QCOMPARE(powerOfVm(QStringLiteral("cli-ops-queued")).value(QStringLiteral("powerState")).toString(),
                 QStringLiteral("poweredOn"));
    }

    // Pins: with --wait, power off and decommission run to the end (exit 0); decommission without --yes
    // is refused (exit 2, nothing stored); the provisioning request then says who decommissioned it.
    void powerOffAndDecommissionWithWait()
    {
        const QString vm = provisioned(QStringLiteral("cli-ops-wait"), true);
        DcmctlRun r = runDcmctl({QStringLiteral("power"), vm, QStringLiteral("off"), QStringLiteral("--wait"),
                                 QStringLiteral("60"), QStringLiteral("--json")},
                                env());
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.json().object().value(QStringLiteral("stateLabel")).toString(), QStringLiteral("Done"));
        QCOMPARE(powerOfVm(QStringLiteral("cli-ops-wait")).value(QStringLiteral("powerState")).toString(),
                 QStringLiteral("poweredOff"));

        r = runDcmctl({QStringLiteral("decommission"), vm, QStringLiteral("--wait"), QStringLiteral("60")}, env());
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--yes"), r.err.constData());
        QVERIFY(!powerOfVm(QStringLiteral("cli-ops-wait")).isEmpty());

        r = runDcmctl({QStringLiteral("decommission"), vm, QStringLiteral("--yes"), QStringLiteral("--wait"),
                       QStringLiteral("60"), QStringLiteral("--json")},
                      env());
        QCOMPARE(r.exitCode, 0);
        QVERIFY(powerOfVm(QStringLiteral("cli-ops-wait")).isEmpty());
        const QJsonObject provisioning = request(vm);
        QVERIFY(!provisioning.value(QStringLiteral("decommissionedAt")).toString().isEmpty());
        QVERIFY(!provisioning.value(QStringLiteral("decommissionedBy")).toString().isEmpty());
    }

    // Pins: a dcmctl killed (SIGKILL) while its Destroy_Task is out: vCenter carries the call out; once the
    // dead process's lease lapses, `dcmctl serve` takes the decommission over, reads the VM (gone) and
    // finishes it as done without sending Destroy_Task again.
    void aKillMidDecommissionIsTakenOverByServe()
    {
        const QString vm = provisioned(QStringLiteral("cli-ops-kill"), false);
        m_sim.post(QStringLiteral("/stats/reset"));
        m_sim.post(QStringLiteral("/delay"),
                   {{QStringLiteral("method"), QStringLiteral("Destroy_Task")}, {QStringLiteral("ms"), 2000}});
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        const QProcessEnvironment extra = env();
        for (const QString& key : extra.keys())
            e.insert(key, extra.value(key));
        QProcess doomed;
        doomed.setProcessEnvironment(e);
        doomed.start(QStringLiteral(DCMCTL_PATH),
                     {QStringLiteral("decommission"), vm, QStringLiteral("--yes"), QStringLiteral("--wait"),
                      QStringLiteral("60"), QStringLiteral("--lease"), QStringLiteral("2")});
        QVERIFY(doomed.waitForStarted());
        QTRY_COMPARE_WITH_TIMEOUT(m_sim.callCount(QStringLiteral("Destroy_Task")), 1, 30000);
        doomed.kill(); // SIGKILL: no chance to record anything
        QVERIFY(doomed.waitForFinished(10000));
        QTRY_VERIFY_WITH_TIMEOUT(powerOfVm(QStringLiteral("cli-ops-kill")).isEmpty(), 20000);

        QProcess serve;
        serve.setProcessEnvironment(e);
        serve.start(QStringLiteral(DCMCTL_PATH),
                    {QStringLiteral("serve"), QStringLiteral("--lease"), QStringLiteral("2")});
        QVERIFY(serve.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(!request(vm).value(QStringLiteral("decommissionedAt")).toString().isEmpty(), 60000);
        serve.terminate();
        QVERIFY(serve.waitForFinished(20000));
        QCOMPARE(m_sim.callCount(QStringLiteral("Destroy_Task")), 1);
        const DcmctlRun ops = runDcmctl({QStringLiteral("requests"), QStringLiteral("--state"),
                                         QStringLiteral("PROVISIONED"), QStringLiteral("--json")},
                                        env(false));
        QString op;
        for (const QJsonValue& r : ops.json().array())
            if (r.toObject().value(QStringLiteral("kind")).toString() == QLatin1String("decommission"))
                op = r.toObject().value(QStringLiteral("id")).toString();
        QVERIFY(!op.isEmpty());
        QStringList codes;
        for (const QJsonValue& step : request(op).value(QStringLiteral("history")).toArray())
            codes << step.toObject().value(QStringLiteral("reasonCode")).toString();
        QVERIFY2(codes.contains(QStringLiteral("taken-over")), qPrintable(codes.join(QLatin1Char(','))));
        QVERIFY2(codes.contains(QStringLiteral("destroyed")), qPrintable(codes.join(QLatin1Char(','))));
    }

    // Pins: admin mode: --vm without --admin and --reason is refused; with them the VM is found by name
    // in vCenter's inventory and the reason is recorded.
    void adminModeFindsTheVmByNameAndRecordsTheReason()
    {
        const QString vm = provisioned(QStringLiteral("cli-ops-admin"), false);
        DcmctlRun r = runDcmctl(
            {QStringLiteral("power"), QStringLiteral("--vm"), QStringLiteral("cli-ops-admin"), QStringLiteral("on")},
            env());
        QCOMPARE(r.exitCode, 2);
        r = runDcmctl({QStringLiteral("power"), QStringLiteral("--vm"), QStringLiteral("cli-ops-admin"),
                       QStringLiteral("--admin"), QStringLiteral("on")},
                      env());
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--reason"), r.err.constData());
        r = runDcmctl({QStringLiteral("power"), QStringLiteral("--vm"), QStringLiteral("cli-ops-admin"),
                       QStringLiteral("--admin"), QStringLiteral("--reason"), QStringLiteral("restore after audit"),
                       QStringLiteral("on"), QStringLiteral("--wait"), QStringLiteral("60"), QStringLiteral("--json")},
                      env());
        QCOMPARE(r.exitCode, 0);
        const QJsonObject target = r.json().object().value(QStringLiteral("target")).toObject();
        QCOMPARE(target.value(QStringLiteral("admin")).toBool(), true);
        QCOMPARE(target.value(QStringLiteral("adminReason")).toString(), QStringLiteral("restore after audit"));
        QCOMPARE(powerOfVm(QStringLiteral("cli-ops-admin")).value(QStringLiteral("powerState")).toString(),
                 QStringLiteral("poweredOn"));
        QVERIFY(!vm.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestDcmctlOperations)
#include "TestDcmctlOperations.moc"
