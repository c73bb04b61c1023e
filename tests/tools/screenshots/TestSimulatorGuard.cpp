// The screenshot tool submits VMs by itself, so it must run only against the bundled simulator: the
// guard accepts the shared simulator the CTest fixture started and refuses doctored copies of its state
// (another host, another process, a state file others can read, another server in DCM_SERVER); the tool
// itself refuses before it opens a window; and dcm-console has no screenshot option left.
#include "SimulatorGuard.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace dcm;

class TestSimulatorGuard final : public QObject
{
    Q_OBJECT

private:
    QString m_state = qEnvironmentVariable("DCM_VCSIM_STATE");
    QTemporaryDir m_copies;
    int m_copy = 0;

    QJsonObject stateJson() const
    {
        QFile f(m_state);
        if (!f.open(QIODevice::ReadOnly))
            qFatal("cannot read %s", qPrintable(m_state));
        return QJsonDocument::fromJson(f.readAll()).object();
    }
    static void write(const QString& path, const QByteArray& content)
    {
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate, QFileDevice::ReadOwner | QFileDevice::WriteOwner) ||
            f.write(content) != content.size())
            qFatal("cannot write %s", qPrintable(path));
    }
    // A copy of the fixture's state folder with `json` as its vcsim.json (and `pid` in vcsim.pid).
    QString doctored(const QJsonObject& json, std::optional<qint64> pid = std::nullopt)
    {
        const QDir source = QFileInfo(m_state).absoluteDir();
        QDir dir(m_copies.filePath(QString::number(++m_copy)));
        dir.mkpath(QStringLiteral("."));
        QFile bin(source.filePath(QStringLiteral("vcsim.bin")));
        if (!bin.open(QIODevice::ReadOnly))
            qFatal("no vcsim.bin beside %s", qPrintable(m_state));
        write(dir.filePath(QStringLiteral("vcsim.bin")), bin.readAll());
        write(dir.filePath(QStringLiteral("vcsim.pid")),
              QByteArray::number(pid.value_or(json.value(QStringLiteral("pid")).toInteger())) + '\n');
        const QString file = dir.filePath(QStringLiteral("vcsim.json"));
        write(file, QJsonDocument(json).toJson(QJsonDocument::Compact));
        return file;
    }
    static QString refusal(const QString& stateFile)
    {
        const auto checked = checkSimulatorState(stateFile);
        return checked.ok() ? QStringLiteral("(accepted)") : checked.error().message;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QFileInfo::exists(m_state), qPrintable(m_state + QStringLiteral(": the vcsim fixture did not run")));
        QVERIFY(m_copies.isValid());
        qunsetenv("DCM_SERVER");
    }

    void acceptsTheSimulatorTheFixtureStarted()
    {
        const auto checked = checkSimulatorState(m_state);
        QCOMPARE(refusal(m_state), QStringLiteral("(accepted)"));
        QVERIFY(checked.ok());
        const QJsonObject json = stateJson();
        QCOMPARE(checked.value().server, QUrl(json.value(QStringLiteral("url")).toString()));
        QCOMPARE(checked.value().thumbprint, json.value(QStringLiteral("thumbprint")).toString());
        QCOMPARE(checked.value().pid, json.value(QStringLiteral("pid")).toInteger());
        // An unchanged copy is accepted too: the doctored cases below fail for their one change only.
        QCOMPARE(refusal(doctored(json)), QStringLiteral("(accepted)"));
    }

    void refusesAServerOffLoopback()
    {
        QJsonObject json = stateJson();
        QUrl url(json.value(QStringLiteral("url")).toString());
        url.setHost(QStringLiteral("vcenter.example.com"));
        json.insert(QStringLiteral("url"), url.toString());
        const QString why = refusal(doctored(json));
        QVERIFY2(why.contains(QStringLiteral("is not on a loopback address")), qPrintable(why));
        QVERIFY(why.contains(QStringLiteral("vcenter.example.com")));
    }

    void refusesAProcessThatIsNotTheSimulator()
    {
        QJsonObject json = stateJson();
        json.insert(QStringLiteral("pid"), QCoreApplication::applicationPid());
        const QString why = refusal(doctored(json));
        QVERIFY2(why.contains(QStringLiteral("not the bundled simulator")), qPrintable(why));
    }

    void refusesAStateWhosePidFileDisagrees()
    {
        const QJsonObject json = stateJson();
        const QString why = refusal(doctored(json, json.value(QStringLiteral("pid")).toInteger() + 1));
        QVERIFY2(why.contains(QStringLiteral("not a simulator started by scripts/vcsim-fixture.sh")), qPrintable(why));
    }

    void refusesAStateFileOthersCanRead()
    {
        const QString file = doctored(stateJson());
        QVERIFY(QFile::setPermissions(file, QFile::permissions(file) | QFileDevice::ReadOther));
        const QString why = refusal(file);
        QVERIFY2(why.contains(QStringLiteral("readable by others")), qPrintable(why));
    }

    void refusesWhenTheEnvironmentNamesAnotherServer()
    {
        qputenv("DCM_SERVER", "https://vcenter.example.com/sdk");
        const QString why = refusal(m_state);
        qunsetenv("DCM_SERVER");
        QVERIFY2(why.contains(QStringLiteral("DCM_SERVER names https://vcenter.example.com/sdk")), qPrintable(why));
    }

    void refusesWithoutAState()
    {
        QVERIFY(refusal(QString()).contains(QStringLiteral("--vcsim-state is required")));
        QVERIFY(refusal(m_copies.filePath(QStringLiteral("none.json"))).contains(QStringLiteral("no such file")));
    }

    // The tool stops before it opens a window or any connection.
    void theToolRefusesBeforeItStarts()
    {
        QJsonObject json = stateJson();
        QUrl url(json.value(QStringLiteral("url")).toString());
        url.setHost(QStringLiteral("192.0.2.10"));
        json.insert(QStringLiteral("url"), url.toString());
        QProcess tool;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        tool.setProcessEnvironment(env);
        tool.start(QStringLiteral(DCM_SCREENSHOTS_BIN),
                   {QStringLiteral("--vcsim-state"), doctored(json), QStringLiteral("--out"), m_copies.path(),
                    QStringLiteral("--scene"), QStringLiteral("main")});
        QVERIFY(tool.waitForFinished(60000));
        QCOMPARE(tool.exitStatus(), QProcess::NormalExit);
        QCOMPARE(tool.exitCode(), 2);
        const QString err = QString::fromLocal8Bit(tool.readAllStandardError());
        QVERIFY2(err.contains(QStringLiteral("refused:")) && err.contains(QStringLiteral("192.0.2.10")),
                 qPrintable(err));
    }

    void theConsoleHasNoScreenshotOption()
    {
        QProcess console;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        console.setProcessEnvironment(env);
        console.start(QStringLiteral(DCM_CONSOLE_BIN), {QStringLiteral("--help")});
        QVERIFY(console.waitForFinished(60000));
        const QString help = QString::fromLocal8Bit(console.readAllStandardOutput());
        QVERIFY2(help.contains(QStringLiteral("--server")), qPrintable(help)); // it is the help text
        QVERIFY2(!help.contains(QStringLiteral("screenshot"), Qt::CaseInsensitive), qPrintable(help));
    }
};

QTEST_GUILESS_MAIN(TestSimulatorGuard)
#include "TestSimulatorGuard.moc"
