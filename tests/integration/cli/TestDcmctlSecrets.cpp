// The real dcmctl and its secrets, against the bundled simulator: no password in a server URL, none in
// anything a verbose session prints (SOAP trace included), none left in the environment of a running
// `serve`; and a login vCenter refuses ends `serve` and `submit --wait` with exit 5 and one sentence,
// after exactly one Login, with every request still in the queue.
#include "DcmctlRunner.h"
#include "VcsimProcess.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

class TestDcmctlSecrets final : public QObject
{
    Q_OBJECT

private:
    VcsimProcess m_sim;
    QTemporaryDir m_dir;
    int m_dbCounter = 0;
    QString m_db;

    QProcessEnvironment env(const QString& password = QString()) const
    {
        return simulatorEnv(m_sim, m_db, password, false);
    }

    static QStringList spec(const QString& name) { return simulatorSpecArgs(name); }

    QString submitQueued(const QString& name) const
    {
        return runDcmctl(QStringList{QStringLiteral("submit"), QStringLiteral("--json")} + spec(name), env())
            .json()
            .object()
            .value(QStringLiteral("id"))
            .toString();
    }

    QJsonArray requests() const
    {
        return runDcmctl({QStringLiteral("requests"), QStringLiteral("--json")}, env()).json().array();
    }

    int vmsNamed(const QString& name)
    {
        int n = 0;
        for (const QJsonValue& vm : m_sim.vms())
            n += vm.toObject().value(QStringLiteral("name")).toString() == name ? 1 : 0;
        return n;
    }

    QString account() const
    {
        return QStringLiteral("%1@%2:%3").arg(m_sim.username(), m_sim.sdkUrl().host()).arg(m_sim.sdkUrl().port());
    }

    QByteArray refusedSentence() const
    {
        return QStringLiteral("dcmctl: vCenter refused the credentials of %1; store a new password with `dcmctl "
                              "login` or set DCM_PASSWORD; the queue is kept")
            .arg(account())
            .toUtf8();
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

    void aPasswordInTheServerUrlIsRefused_data()
    {
        QTest::addColumn<bool>("fromEnvironment");
        QTest::addColumn<QString>("userInfo");
        QTest::newRow("--server user:password") << false << QStringLiteral("dcm-operator:UrlSecret-4711");
        QTest::newRow("DCM_SERVER user:password") << true << QStringLiteral("dcm-operator:UrlSecret-4711");
        QTest::newRow("--server :password") << false << QStringLiteral(":UrlSecret-4711");
        QTest::newRow("--server password with @ and /") << false << QStringLiteral("u:UrlSecret-4711/x@y");
        QTest::newRow("--server user only") << false << QStringLiteral("dcm-operator");
    }

    void aPasswordInTheServerUrlIsRefused()
    {
        QFETCH(bool, fromEnvironment);
        QFETCH(QString, userInfo);
        const QString url =
            QStringLiteral("https://%1@%2:%3/sdk").arg(userInfo, m_sim.sdkUrl().host()).arg(m_sim.sdkUrl().port());
        QProcessEnvironment e = env(m_sim.password());
        QStringList args{QStringLiteral("about"), QStringLiteral("--verbose"), QStringLiteral("--json")};
        if (fromEnvironment)
            e.insert(QStringLiteral("DCM_SERVER"), url);
        else
            args << QStringLiteral("--server") << url;
        e.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("dcm.*=true"));
        const int callsBefore = m_sim.stats().value(QStringLiteral("total")).toInt();
        const DcmctlRun r = runDcmctl(args, e);
        QCOMPARE(r.exitCode, 2);
        const QByteArray where = fromEnvironment ? "DCM_SERVER" : "--server";
        QVERIFY2(r.err.startsWith("dcmctl: " + where + " must not carry a user name or password"), r.err.constData());
        QVERIFY2(r.err.contains("DCM_PASSWORD") && r.err.contains("`dcmctl login`"), r.err.constData());
        QCOMPARE(r.json().object().value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString(),
                 QStringLiteral("credentials-in-url"));
        const QByteArray all = r.out + r.err;
        QVERIFY2(!all.contains("UrlSecret"), all.constData());
        QVERIFY(!all.contains(m_sim.password().toUtf8()));
        QCOMPARE(m_sim.stats().value(QStringLiteral("total")).toInt(), callsBefore); // nothing was sent
    }

    void aVerboseSessionPrintsNoSecret()
    {
        QProcessEnvironment e = env(m_sim.password());
        e.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("dcm.*=true")); // the SOAP trace too
        const DcmctlRun r = runDcmctl(QStringList{QStringLiteral("submit"), QStringLiteral("--verbose"),
                                                  QStringLiteral("--wait"), QStringLiteral("60")} +
                                          spec(QStringLiteral("verbose-vm")),
                                      e);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QByteArray all = r.out + r.err;
        QVERIFY2(all.contains("Login"), all.constData()); // the trace was on: the login is in it
        QVERIFY2(all.contains(m_sim.sdkUrl().host().toUtf8()), all.constData());
        QVERIFY2(!all.contains(m_sim.password().toUtf8()), all.constData());
        QCOMPARE(vmsNamed(QStringLiteral("verbose-vm")), 1);
    }

    void aRunningServeKeepsNoPasswordInItsEnvironment()
    {
        const QString id = submitQueued(QStringLiteral("served-secretly"));
        QVERIFY(!id.isEmpty());
        QProcess serve;
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        const QProcessEnvironment extra = env(m_sim.password());
        for (const QString& key : extra.keys())
            e.insert(key, extra.value(key));
        e.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("dcm.*=true"));
        serve.setProcessEnvironment(e);
        serve.start(QStringLiteral(DCMCTL_PATH), {QStringLiteral("serve"), QStringLiteral("--verbose")});
        QVERIFY(serve.waitForStarted());
        // Logged in and working: the password has been read by now.
        QTRY_COMPARE_WITH_TIMEOUT(vmsNamed(QStringLiteral("served-secretly")), 1, 60000);
        QFile environFile(QStringLiteral("/proc/%1/environ").arg(serve.processId()));
        QVERIFY(environFile.open(QIODevice::ReadOnly));
        const QByteArray block = environFile.readAll();
        QVERIFY(block.contains("DCM_USER=")); // it is the serve's environment
        QVERIFY2(!block.contains(m_sim.password().toUtf8()), "the password is still in /proc/PID/environ");
        serve.terminate();
        QVERIFY(serve.waitForFinished(20000));
        QCOMPARE(serve.exitCode(), 0);
        const QByteArray all = serve.readAllStandardOutput() + serve.readAllStandardError();
        QVERIFY2(all.contains("serving https://"), all.constData());
        QVERIFY(!all.contains(m_sim.password().toUtf8()));
    }

    void serveWithARefusedPasswordExits5AndKeepsTheQueue()
    {
        const QStringList ids{submitQueued(QStringLiteral("kept-1")), submitQueued(QStringLiteral("kept-2"))};
        QVERIFY(!ids.contains(QString()));
        const int loginsBefore = m_sim.callCount(QStringLiteral("Login"));
        const DcmctlRun r = runDcmctl({QStringLiteral("serve")}, env(QStringLiteral("WrongPassword-0815")), 60000);
        QCOMPARE(r.exitCode, 5);
        QCOMPARE(r.err.count(refusedSentence()), 1);
        QVERIFY(!r.err.contains("WrongPassword-0815"));
        QCOMPARE(m_sim.callCount(QStringLiteral("Login")) - loginsBefore, 1);
        const QJsonArray rows = requests();
        QCOMPARE(rows.size(), 2);
        for (const QJsonValue& row : rows) {
            QCOMPARE(row.toObject().value(QStringLiteral("state")).toString(), QStringLiteral("SUBMITTED"));
            QCOMPARE(row.toObject().value(QStringLiteral("attempts")).toInt(), 0);
        }
        QCOMPARE(vmsNamed(QStringLiteral("kept-1")) + vmsNamed(QStringLiteral("kept-2")), 0);
    }

    void submitWaitWithARefusedPasswordExits5AndStaysQueued()
    {
        const int loginsBefore = m_sim.callCount(QStringLiteral("Login"));
        const DcmctlRun r = runDcmctl(QStringList{QStringLiteral("submit"), QStringLiteral("--json"),
                                                  QStringLiteral("--wait"), QStringLiteral("30")} +
                                          spec(QStringLiteral("waits-for-login")),
                                      env(QStringLiteral("WrongPassword-0815")));
        QCOMPARE(r.exitCode, 5);
        QCOMPARE(r.err.count(refusedSentence()), 1);
        const QJsonObject error = r.json().object().value(QStringLiteral("error")).toObject();
        QCOMPARE(error.value(QStringLiteral("code")).toString(), QStringLiteral("login-refused"));
        QCOMPARE(error.value(QStringLiteral("account")).toString(), account());
        const QString id = error.value(QStringLiteral("requestId")).toString();
        QCOMPARE(m_sim.callCount(QStringLiteral("Login")) - loginsBefore, 1);
        const QJsonArray rows = requests();
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows.at(0).toObject().value(QStringLiteral("id")).toString(), id);
        QCOMPARE(rows.at(0).toObject().value(QStringLiteral("state")).toString(),
                 QStringLiteral("QUEUED_FOR_PROVISIONING"));
        QCOMPARE(vmsNamed(QStringLiteral("waits-for-login")), 0);
    }

    void serveRefusedAPermissionExits5AndKeepsTheQueue()
    {
        m_sim.post(QStringLiteral("/fault"), QJsonObject{{QStringLiteral("method"), QStringLiteral("Login")},
                                                         {QStringLiteral("fault"), QStringLiteral("NoPermission")},
                                                         {QStringLiteral("count"), -1}});
        const QString id = submitQueued(QStringLiteral("kept-3"));
        const int loginsBefore = m_sim.callCount(QStringLiteral("Login"));
        const DcmctlRun r = runDcmctl({QStringLiteral("serve")}, env(m_sim.password()), 60000);
        QCOMPARE(r.exitCode, 5);
        const QByteArray sentence = QStringLiteral("dcmctl: vCenter refused %1 a permission it needs; grant it in "
                                                   "vCenter or use another account with --user or DCM_USER; the "
                                                   "queue is kept")
                                        .arg(account())
                                        .toUtf8();
        QCOMPARE(r.err.count(sentence), 1);
        QCOMPARE(m_sim.callCount(QStringLiteral("Login")) - loginsBefore, 1);
        const QJsonArray rows = requests();
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows.at(0).toObject().value(QStringLiteral("id")).toString(), id);
        QCOMPARE(rows.at(0).toObject().value(QStringLiteral("state")).toString(), QStringLiteral("SUBMITTED"));
    }
};

QTEST_GUILESS_MAIN(TestDcmctlSecrets)
#include "TestDcmctlSecrets.moc"
