// dcmctl and clones, against the bundled simulator started with templates: the inventory of templates
// and saved customization specifications, a clone with a typed Linux customization and power-on whose
// guest's host name and address `requests --json` shows (recorded by `dcmctl serve`), and --count.
#include "DcmctlRunner.h"
#include "VcsimProcess.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

class TestDcmctlClones final : public QObject
{
    Q_OBJECT

private:
    VcsimProcess m_sim{QStringList{QStringLiteral("-templates"), QStringLiteral("1")}};
    QTemporaryDir m_dir;
    int m_dbCounter = 0;
    QString m_db;

    QProcessEnvironment env() const { return simulatorEnv(m_sim, m_db, m_sim.password()); }

    static QStringList cloneArgs(const QString& name)
    {
        return {QStringLiteral("--name"),       name,
                QStringLiteral("--template"),   QStringLiteral("DC0_TMPL0"),
                QStringLiteral("--datacenter"), QStringLiteral("DC0"),
                QStringLiteral("--cluster"),    QStringLiteral("DC0_C0"),
                QStringLiteral("--datastore"),  QStringLiteral("LocalDS_0"),
                QStringLiteral("--network"),    QStringLiteral("VM Network")};
    }

    QJsonObject requestJson(const QString& id)
    {
        const DcmctlRun r =
            runDcmctl({QStringLiteral("requests"), QStringLiteral("--id"), id, QStringLiteral("--json")}, env());
        const QJsonArray rows = r.json().array();
        return rows.isEmpty() ? QJsonObject() : rows.at(0).toObject();
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

    void inventoryListsTemplatesAndSavedSpecs()
    {
        const DcmctlRun t =
            runDcmctl({QStringLiteral("inventory"), QStringLiteral("templates"), QStringLiteral("--json")}, env());
        QCOMPARE(t.exitCode, 0);
        const QJsonArray templates = t.json().object().value(QStringLiteral("templates")).toArray();
        QCOMPARE(templates.size(), 1);
        const QJsonObject tpl = templates.at(0).toObject();
        QCOMPARE(tpl.value(QStringLiteral("name")).toString(), QStringLiteral("DC0_TMPL0"));
        QVERIFY(tpl.value(QStringLiteral("moref")).toString().startsWith(QStringLiteral("vm-")));
        QVERIFY(!tpl.value(QStringLiteral("path")).toString().isEmpty());
        QCOMPARE(tpl.value(QStringLiteral("guestId")).toString(), QStringLiteral("ubuntu64Guest"));
        QCOMPARE(tpl.value(QStringLiteral("cpus")).toInt(), 2);
        QCOMPARE(tpl.value(QStringLiteral("memoryMiB")).toInt(), 2048);
        QCOMPARE(tpl.value(QStringLiteral("disks")).toArray().size(), 1);
        QCOMPARE(tpl.value(QStringLiteral("nics")).toArray().size(), 1);
        QVERIFY(!t.json().object().contains(QStringLiteral("vms"))); // only the kind asked for

        const DcmctlRun c = runDcmctl(
            {QStringLiteral("inventory"), QStringLiteral("customization-specs"), QStringLiteral("--json")}, env());
        QCOMPARE(c.exitCode, 0);
        QStringList names;
        for (const QJsonValue& v : c.json().object().value(QStringLiteral("customizationSpecs")).toArray())
            names << v.toObject().value(QStringLiteral("name")).toString() + u':' +
                         v.toObject().value(QStringLiteral("type")).toString();
        QVERIFY2(names.contains(QStringLiteral("vcsim-linux:Linux")), qPrintable(names.join(u',')));
    }

    void aCustomizedCloneShowsItsGuestInRequests()
    {
        const DcmctlRun submitted =
            runDcmctl(QStringList{QStringLiteral("submit"), QStringLiteral("--json"), QStringLiteral("--wait"),
                                  QStringLiteral("90")} +
                          cloneArgs(QStringLiteral("cli-web")) +
                          QStringList{QStringLiteral("--cpus"),       QStringLiteral("4"),
                                      QStringLiteral("--memory-mib"), QStringLiteral("1024"),
                                      QStringLiteral("--disk-gib"),   QStringLiteral("1"),
                                      QStringLiteral("--network"),    QStringLiteral("DC0_DVPG0"),
                                      QStringLiteral("--hostname"),   QStringLiteral("cliweb"),
                                      QStringLiteral("--domain"),     QStringLiteral("example.com"),
                                      QStringLiteral("--ip"),         QStringLiteral("10.0.0.51/24"),
                                      QStringLiteral("--gateway"),    QStringLiteral("10.0.0.1"),
                                      QStringLiteral("--dhcp"),       QStringLiteral("--dns"),
                                      QStringLiteral("10.0.0.53"),    QStringLiteral("--power-on")},
                      env(), 150000);
        QVERIFY2(submitted.exitCode == 0, submitted.err.constData());
        const QString id = submitted.json().object().value(QStringLiteral("id")).toString();
        QCOMPARE(m_sim.vmsPerRequestKey().value(id), 1);

        // The guest reports itself after the power-on; a running service records it.
        QProcess serve;
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        const QProcessEnvironment extra = env();
        for (const QString& key : extra.keys())
            e.insert(key, extra.value(key));
        serve.setProcessEnvironment(e);
        serve.start(QStringLiteral(DCMCTL_PATH), {QStringLiteral("serve")});
        QVERIFY(serve.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(!requestJson(id).value(QStringLiteral("ipAddress")).toString().isEmpty(), 60000);
        serve.terminate();
        QVERIFY(serve.waitForFinished(20000));

        const QJsonObject r = requestJson(id);
        QCOMPARE(r.value(QStringLiteral("state")).toString(), QStringLiteral("PROVISIONED"));
        QCOMPARE(r.value(QStringLiteral("source")).toString(), QStringLiteral("DC0_TMPL0"));
        QCOMPARE(r.value(QStringLiteral("ipAddress")).toString(), QStringLiteral("10.0.0.51"));
        QVERIFY2(r.value(QStringLiteral("guestHostName")).toString().startsWith(QStringLiteral("cliweb")),
                 qPrintable(r.value(QStringLiteral("guestHostName")).toString()));
        QVERIFY(r.value(QStringLiteral("batchId")).isNull());
        for (const QJsonValue& v : m_sim.vms()) {
            const QJsonObject vm = v.toObject();
            if (vm.value(QStringLiteral("name")).toString() != QLatin1String("cli-web"))
                continue;
            QCOMPARE(vm.value(QStringLiteral("cpus")).toInt(), 4);
            QCOMPARE(vm.value(QStringLiteral("memoryMiB")).toInt(), 1024);
            QCOMPARE(vm.value(QStringLiteral("disks")).toArray().size(), 2);
            QCOMPARE(vm.value(QStringLiteral("networks")).toArray().size(), 2);
            QCOMPARE(vm.value(QStringLiteral("customizationsApplied")).toInt(), 1);
        }
    }

    void countSubmitsABatchAndPrintsAnArray()
    {
        const DcmctlRun r = runDcmctl(QStringList{QStringLiteral("submit"), QStringLiteral("--json"),
                                                  QStringLiteral("--count"), QStringLiteral("3")} +
                                          cloneArgs(QStringLiteral("cli-{nn}")) +
                                          QStringList{QStringLiteral("--hostname"), QStringLiteral("cli-{nn}"),
                                                      QStringLiteral("--ip"), QStringLiteral("10.0.0.61/24")},
                                      env());
        QCOMPARE(r.exitCode, 3);
        const QJsonArray rows = r.json().array();
        QCOMPARE(rows.size(), 3);
        for (int i = 0; i < 3; ++i) {
            const QJsonObject o = rows.at(i).toObject();
            QCOMPARE(o.keys(), (QStringList{QStringLiteral("id"), QStringLiteral("name"), QStringLiteral("state")}));
            QCOMPARE(o.value(QStringLiteral("name")).toString(),
                     QStringLiteral("cli-%1").arg(i + 1, 2, 10, QLatin1Char('0')));
            QCOMPARE(o.value(QStringLiteral("state")).toString(), QStringLiteral("SUBMITTED"));
        }
        const QJsonObject first = requestJson(rows.at(0).toObject().value(QStringLiteral("id")).toString());
        const QJsonObject third = requestJson(rows.at(2).toObject().value(QStringLiteral("id")).toString());
        QCOMPARE(first.value(QStringLiteral("batchId")), third.value(QStringLiteral("batchId")));
        QVERIFY(!first.value(QStringLiteral("batchId")).toString().isEmpty());

        // All or nothing: past the subnet, nothing is stored and the field is named.
        const DcmctlRun bad = runDcmctl(QStringList{QStringLiteral("submit"), QStringLiteral("--json"),
                                                    QStringLiteral("--count"), QStringLiteral("10")} +
                                            cloneArgs(QStringLiteral("bad-{nn}")) +
                                            QStringList{QStringLiteral("--hostname"), QStringLiteral("bad-{nn}"),
                                                        QStringLiteral("--ip"), QStringLiteral("10.0.0.250/24")},
                                        env());
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains("customization.nics[0].address"), bad.err.constData());
        QCOMPARE(runDcmctl({QStringLiteral("requests"), QStringLiteral("--json")}, env()).json().array().size(), 3);
    }
};

QTEST_GUILESS_MAIN(TestDcmctlClones)
#include "TestDcmctlClones.moc"
