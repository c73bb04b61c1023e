// dcmctl's queue commands against the bundled simulator and a real SQLite database: submit with and
// without --wait, requests, breaker, cancel, retry, inventory, serve (with a graceful SIGTERM), the
// exit codes of the contract, and vCenter down while submitting.
#include "DcmctlRunner.h"
#include "VcsimProcess.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

class TestDcmctlQueue final : public QObject
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

    static QStringList spec(const QString& name) { return simulatorSpecArgs(name, 2, 1024, 4); }

    int vmsNamed(const QString& name)
    {
        int n = 0;
        for (const QJsonValue& vm : m_sim.vms())
            n += vm.toObject().value(QStringLiteral("name")).toString() == name ? 1 : 0;
        return n;
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

    void submitWithoutWaitIsDurableAndExits3()
    {
        const DcmctlRun r = runDcmctl(QStringList{QStringLiteral("submit"), QStringLiteral("--json")} +
                                          spec(QStringLiteral("queued-only")),
                                      env(false));
        QCOMPARE(r.exitCode, 3);
        const QJsonObject o = r.json().object();
        QCOMPARE(o.value(QStringLiteral("state")).toString(), QStringLiteral("SUBMITTED"));
        const QString id = o.value(QStringLiteral("id")).toString();
        const DcmctlRun list = runDcmctl({QStringLiteral("requests"), QStringLiteral("--json")}, env(false));
        QCOMPARE(list.exitCode, 0);
        const QJsonArray rows = list.json().array();
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows.at(0).toObject().value(QStringLiteral("id")).toString(), id);
        QCOMPARE(vmsNamed(QStringLiteral("queued-only")), 0);
    }

    void invalidSpecExits2NamingEachField()
    {
        const DcmctlRun r = runDcmctl({QStringLiteral("submit"), QStringLiteral("--json"), QStringLiteral("--name"),
                                       QStringLiteral("bad/name"), QStringLiteral("--cpus"), QStringLiteral("0")},
                                      env(false));
        QCOMPARE(r.exitCode, 2);
        QStringList fields;
        for (const QJsonValue& p :
             r.json().object().value(QStringLiteral("error")).toObject().value(QStringLiteral("problems")).toArray())
            fields << p.toObject().value(QStringLiteral("field")).toString();
        for (const char* f : {"name", "cpus", "memoryMiB", "disks", "datastore", "nics[0].network"})
            QVERIFY2(fields.contains(QLatin1String(f)), qPrintable(fields.join(QLatin1Char(','))));
        QVERIFY(r.err.contains("name:"));
        const DcmctlRun list = runDcmctl({QStringLiteral("requests"), QStringLiteral("--json")}, env(false));
        QCOMPARE(list.json().array().size(), 0); // nothing stored
    }

    void submitWaitProvisionsOneVmWithEveryField()
    {
        QStringList args =
            QStringList{QStringLiteral("submit"),    QStringLiteral("--json"),       QStringLiteral("--wait"),
                        QStringLiteral("60"),        QStringLiteral("--annotation"), QStringLiteral("ticket 42"),
                        QStringLiteral("--power-on")} +
            spec(QStringLiteral("waited-vm"));
        const DcmctlRun r = runDcmctl(args, env());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject o = r.json().object();
        QCOMPARE(o.value(QStringLiteral("state")).toString(), QStringLiteral("PROVISIONED"));
        QVERIFY(o.value(QStringLiteral("vmMoref")).toString().startsWith(QStringLiteral("vm-")));
        QCOMPARE(vmsNamed(QStringLiteral("waited-vm")), 1);
        for (const QJsonValue& v : m_sim.vms()) {
            const QJsonObject vm = v.toObject();
            if (vm.value(QStringLiteral("name")).toString() != QLatin1String("waited-vm"))
                continue;
            QCOMPARE(vm.value(QStringLiteral("cpus")).toInt(), 2);
            QCOMPARE(vm.value(QStringLiteral("memoryMiB")).toInt(), 1024);
            QCOMPARE(vm.value(QStringLiteral("annotation")).toString(), QStringLiteral("ticket 42"));
            QCOMPARE(vm.value(QStringLiteral("powerState")).toString(), QStringLiteral("poweredOn"));
            QCOMPARE(
                vm.value(QStringLiteral("extraConfig")).toObject().value(QStringLiteral("dcm.requestId")).toString(),
                o.value(QStringLiteral("id")).toString());
        }
        QVERIFY(!r.out.contains(m_sim.password().toUtf8()));
        QVERIFY(!r.err.contains(m_sim.password().toUtf8()));
    }

    void vCenterDownQueuesAndTheBreakerIsRecorded()
    {
        m_sim.post(QStringLiteral("/door/down"));
        const DcmctlRun r =
            runDcmctl(QStringList{QStringLiteral("submit"), QStringLiteral("--json"), QStringLiteral("--wait"),
                                  QStringLiteral("4"), QStringLiteral("--failure-threshold"), QStringLiteral("2"),
                                  QStringLiteral("--call-timeout"), QStringLiteral("2")} +
                          spec(QStringLiteral("while-down")),
                      env());
        m_sim.post(QStringLiteral("/door/up"));
        QCOMPARE(r.exitCode, 3);
        QCOMPARE(r.json().object().value(QStringLiteral("state")).toString(),
                 QStringLiteral("QUEUED_FOR_PROVISIONING"));
        const DcmctlRun b = runDcmctl({QStringLiteral("breaker"), QStringLiteral("--json")}, env(false));
        QCOMPARE(b.exitCode, 0);
        QCOMPARE(b.json().object().value(QStringLiteral("state")).toString(), QStringLiteral("OPEN"));
        QVERIFY(b.json().object().value(QStringLiteral("recorded")).toBool());
        QCOMPARE(vmsNamed(QStringLiteral("while-down")), 0);
    }

    void cancelAndRetryFollowTheLifecycle()
    {
        const QString id = runDcmctl(QStringList{QStringLiteral("submit"), QStringLiteral("--json")} +
                                         spec(QStringLiteral("to-cancel")),
                                     env(false))
                               .json()
                               .object()
                               .value(QStringLiteral("id"))
                               .toString();
        QVERIFY(!id.isEmpty());
        const DcmctlRun retry = runDcmctl({QStringLiteral("retry"), id}, env(false));
        QCOMPARE(retry.exitCode, 2); // a SUBMITTED request is not retryable
        const DcmctlRun cancel = runDcmctl({QStringLiteral("cancel"), id, QStringLiteral("--json")}, env(false));
        QCOMPARE(cancel.exitCode, 0);
        QCOMPARE(cancel.json().object().value(QStringLiteral("state")).toString(), QStringLiteral("CANCELLED"));
        const DcmctlRun again = runDcmctl({QStringLiteral("cancel"), id}, env(false));
        QCOMPARE(again.exitCode, 2);
        const DcmctlRun one =
            runDcmctl({QStringLiteral("requests"), QStringLiteral("--id"), id, QStringLiteral("--json")}, env(false));
        const QJsonArray history = one.json().array().at(0).toObject().value(QStringLiteral("history")).toArray();
        QCOMPARE(history.size(), 1);
        QCOMPARE(history.at(0).toObject().value(QStringLiteral("to")).toString(), QStringLiteral("CANCELLED"));
        QCOMPARE(runDcmctl({QStringLiteral("requests"), QStringLiteral("--state"), QStringLiteral("cancelled"),
                            QStringLiteral("--json")},
                           env(false))
                     .json()
                     .array()
                     .size(),
                 1);
    }

    void inventoryMatchesTheSimulator()
    {
        const DcmctlRun r = runDcmctl({QStringLiteral("inventory"), QStringLiteral("--json")}, env());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject o = r.json().object();
        QCOMPARE(o.value(QStringLiteral("datacenters")).toArray().size(), 1);
        QCOMPARE(o.value(QStringLiteral("clusters")).toArray().size(), 1);
        QCOMPARE(o.value(QStringLiteral("hosts")).toArray().size(), 4); // 3 in the cluster + 1 standalone
        QCOMPARE(o.value(QStringLiteral("datastores")).toArray().size(), 1);
        bool sawPath = false;
        for (const QJsonValue& n : o.value(QStringLiteral("networks")).toArray())
            sawPath = sawPath ||
                      n.toObject().value(QStringLiteral("path")).toString() == QLatin1String("/DC0/network/VM Network");
        QVERIFY(sawPath);
        QCOMPARE(runDcmctl({QStringLiteral("inventory"), QStringLiteral("gadgets")}, env()).exitCode, 2);
    }

    void serveDrainsQueuedRequestsAndStopsGracefully()
    {
        QStringList ids;
        for (int i = 0; i < 3; ++i)
            ids << runDcmctl(QStringList{QStringLiteral("submit"), QStringLiteral("--json")} +
                                 spec(QStringLiteral("served-%1").arg(i)),
                             env(false))
                       .json()
                       .object()
                       .value(QStringLiteral("id"))
                       .toString();
        QProcess serve;
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        const QProcessEnvironment extra = env();
        for (const QString& key : extra.keys())
            e.insert(key, extra.value(key));
        serve.setProcessEnvironment(e);
        serve.start(QStringLiteral(DCMCTL_PATH), {QStringLiteral("serve")});
        QVERIFY(serve.waitForStarted());
        QTRY_COMPARE_WITH_TIMEOUT(runDcmctl({QStringLiteral("requests"), QStringLiteral("--state"),
                                             QStringLiteral("PROVISIONED"), QStringLiteral("--json")},
                                            env(false))
                                      .json()
                                      .array()
                                      .size(),
                                  3, 60000);
        serve.terminate(); // SIGTERM
        QVERIFY(serve.waitForFinished(20000));
        QCOMPARE(serve.exitStatus(), QProcess::NormalExit);
        QCOMPARE(serve.exitCode(), 0);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(vmsNamed(QStringLiteral("served-%1").arg(i)), 1);
        QVERIFY(!serve.readAllStandardError().contains(m_sim.password().toUtf8()));
    }

    void corruptDatabaseIsReportedAndKept()
    {
        QFile f(m_db);
        QVERIFY(f.open(QIODevice::WriteOnly));
        const QByteArray garbage = QByteArray("SQLite format 3") + QByteArray(4096, '\x5a');
        f.write(garbage);
        f.close();
        const DcmctlRun r = runDcmctl({QStringLiteral("requests"), QStringLiteral("--json")}, env(false));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("damaged"), r.err.constData());
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), garbage); // never overwritten
    }
};

QTEST_GUILESS_MAIN(TestDcmctlQueue)
#include "TestDcmctlQueue.moc"
