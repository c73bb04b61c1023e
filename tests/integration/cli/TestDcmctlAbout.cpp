// dcmctl about against the bundled simulator over HTTPS: the first walking slice (version discovery,
// RetrieveServiceContent, Login, Logout), certificate pinning and authentication exit codes.
#include "VcsimProcess.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

class TestDcmctlAbout final : public QObject
{
    Q_OBJECT

private:
    struct Run
    {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
    };

    Run dcmctl(const QStringList& args, const QString& password)
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("DCM_SERVER"));
        env.remove(QStringLiteral("DCM_THUMBPRINT"));
        env.insert(QStringLiteral("DCM_PASSWORD"), password);
        if (password.isNull())
            env.remove(QStringLiteral("DCM_PASSWORD"));
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(DCMCTL_PATH), args);
        if (!p.waitForFinished(60000)) {
            p.kill();
            p.waitForFinished();
        }
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
                p.readAllStandardError()};
    }

    QStringList connection(const QString& thumbprint) const
    {
        QStringList args{QStringLiteral("--server"), m_sim.sdkUrl().toString(), QStringLiteral("--user"),
                         m_sim.username()};
        if (!thumbprint.isEmpty())
            args << QStringLiteral("--thumbprint") << thumbprint;
        return args;
    }

    VcsimProcess m_sim;

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_sim.start(&error), qPrintable(error));
    }

    void aboutPrintsTheSimulatorsIdentityAsJson()
    {
        const Run r =
            dcmctl(QStringList{QStringLiteral("about"), QStringLiteral("--json")} + connection(m_sim.thumbprint()),
                   m_sim.password());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject about = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(about.value(QStringLiteral("apiType")).toString(), QStringLiteral("VirtualCenter"));
        QCOMPARE(about.value(QStringLiteral("apiVersion")).toString(), QStringLiteral("6.5"));
        QVERIFY(about.value(QStringLiteral("fullName")).toString().contains(QStringLiteral("vCenter")));
        QVERIFY(!about.value(QStringLiteral("instanceUuid")).toString().isEmpty());
        QVERIFY(!r.out.contains(m_sim.password().toUtf8()));
        QVERIFY(!r.err.contains(m_sim.password().toUtf8()));
        // Logged out at the end: the simulator saw a Logout.
        QVERIFY(m_sim.callCount(QStringLiteral("Logout")) >= 1);
    }

    void globalOptionsMayStandBeforeTheCommand()
    {
        const Run r = dcmctl(connection(m_sim.thumbprint()) + QStringList{QStringLiteral("about")}, m_sim.password());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.out.contains("API:"));
    }

    void wrongThumbprintExits4NamingBothThumbprints()
    {
        const QString wrong = QStringLiteral("00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:"
                                             "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF");
        const Run r = dcmctl(QStringList{QStringLiteral("about")} + connection(wrong), m_sim.password());
        QCOMPARE(r.exitCode, 4);
        QVERIFY2(r.err.contains(wrong.toUtf8()), r.err.constData());
        QVERIFY2(r.err.contains(m_sim.thumbprint().toUtf8()), r.err.constData());
        QCOMPARE(r.err.count('\n'), 1); // one clear line
    }

    void selfSignedCertificateWithoutPinExits4()
    {
        const Run r = dcmctl(QStringList{QStringLiteral("about")} + connection({}), m_sim.password());
        QCOMPARE(r.exitCode, 4);
        QVERIFY2(r.err.contains(m_sim.thumbprint().toUtf8()), r.err.constData());
    }

    void wrongPasswordExits5()
    {
        const Run r =
            dcmctl(QStringList{QStringLiteral("about"), QStringLiteral("--json")} + connection(m_sim.thumbprint()),
                   QStringLiteral("not-the-password"));
        QCOMPARE(r.exitCode, 5);
        const QJsonObject error = QJsonDocument::fromJson(r.out).object().value(QStringLiteral("error")).toObject();
        QCOMPARE(error.value(QStringLiteral("kind")).toString(), QStringLiteral("authentication"));
        QVERIFY(!r.err.contains("not-the-password"));
    }

    void missingPasswordExits5WithoutNetwork()
    {
        const int before = m_sim.stats().value(QStringLiteral("total")).toInt();
        const Run r = dcmctl(QStringList{QStringLiteral("about")} + connection(m_sim.thumbprint()), QString());
        QCOMPARE(r.exitCode, 5);
        QVERIFY(r.err.contains("DCM_PASSWORD"));
        QCOMPARE(m_sim.stats().value(QStringLiteral("total")).toInt(), before);
    }

    void unknownCommandAndBadOptionExit2()
    {
        QCOMPARE(dcmctl({QStringLiteral("frobnicate")}, QString()).exitCode, 2);
        QCOMPARE(
            dcmctl({QStringLiteral("about"), QStringLiteral("--cooldown"), QStringLiteral("soon")}, QString()).exitCode,
            2);
    }

    void refusedConnectionIsAFailureNotATrustOrAuthProblem()
    {
        m_sim.post(QStringLiteral("/door/down"));
        const Run r = dcmctl(QStringList{QStringLiteral("about")} + connection(m_sim.thumbprint()), m_sim.password());
        m_sim.post(QStringLiteral("/door/up"));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("refused"), r.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestDcmctlAbout)
#include "TestDcmctlAbout.moc"
