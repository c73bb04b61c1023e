#include "SimulatorGuard.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <unistd.h>

namespace dcm {

namespace {

Error refused(const QString& why)
{
    return Error::make(ErrorKind::InvalidInput, QStringLiteral("not-the-simulator"), why);
}

bool isLoopback(const QUrl& url)
{
    const QString host = url.host();
    if (host == QLatin1String("localhost"))
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

QByteArray readSmall(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.read(64 * 1024);
}

// argv[0] of a live process (empty when there is none, or it has exited and is a zombie).
QString runningProgram(qint64 pid)
{
    const QString proc = QStringLiteral("/proc/%1").arg(pid);
    const QByteArray stat = readSmall(proc + QStringLiteral("/stat"));
    const qsizetype afterName = stat.lastIndexOf(')');
    if (stat.isEmpty() || afterName < 0 || stat.mid(afterName + 2, 1) == "Z")
        return {};
    const QByteArray cmdline = readSmall(proc + QStringLiteral("/cmdline"));
    return QString::fromLocal8Bit(cmdline.left(cmdline.indexOf('\0')));
}

} // namespace

Result<SimulatorTarget> checkSimulatorState(const QString& stateFile)
{
    if (stateFile.isEmpty())
        return refused(QStringLiteral("--vcsim-state is required: the vcsim.json that scripts/vcsim-fixture.sh "
                                      "writes when it starts the bundled simulator"));
    const QFileInfo info(stateFile);
    if (!info.isFile())
        return refused(
            QStringLiteral("%1: no such file (start the simulator with scripts/vcsim-fixture.sh)").arg(stateFile));
    // The fixture makes its state file owner-only (it carries the simulator's password).
    if (info.ownerId() != ::getuid())
        return refused(QStringLiteral("%1: not owned by this user").arg(stateFile));
    const QFileDevice::Permissions others = QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ExeGroup |
                                            QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ExeOther;
    if (info.permissions() & others)
        return refused(QStringLiteral("%1: readable by others; the fixture writes it owner-only (600)").arg(stateFile));

    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(readSmall(stateFile), &parseError);
    if (!doc.isObject())
        return refused(
            QStringLiteral("%1: not the simulator's JSON line (%2)").arg(stateFile, parseError.errorString()));
    const QJsonObject json = doc.object();
    SimulatorTarget t;
    t.server = QUrl(json.value(QStringLiteral("url")).toString(), QUrl::StrictMode);
    t.thumbprint = json.value(QStringLiteral("thumbprint")).toString();
    t.user = json.value(QStringLiteral("username")).toString();
    t.password = json.value(QStringLiteral("password")).toString();
    t.control = QUrl(json.value(QStringLiteral("control")).toString(), QUrl::StrictMode);
    t.pid = json.value(QStringLiteral("pid")).toInteger();
    for (const auto& [field, missing] : {std::pair{"url", !t.server.isValid() || t.server.host().isEmpty()},
                                         std::pair{"control", !t.control.isValid() || t.control.host().isEmpty()},
                                         std::pair{"username", t.user.isEmpty()},
                                         std::pair{"password", t.password.isEmpty()}, std::pair{"pid", t.pid <= 0}}) {
        if (missing)
            return refused(
                QStringLiteral("%1: field \"%2\" is missing or invalid").arg(stateFile, QLatin1String(field)));
    }
    static const QRegularExpression thumbprintForm(QStringLiteral("^[0-9A-F]{2}(:[0-9A-F]{2}){31}$"));
    if (!thumbprintForm.match(t.thumbprint).hasMatch())
        return refused(QStringLiteral("%1: field \"thumbprint\" is not a SHA-256 thumbprint").arg(stateFile));
    if (t.server.scheme() != QLatin1String("https"))
        return refused(QStringLiteral("%1: url %2 is not https").arg(stateFile, t.server.toDisplayString()));
    if (!isLoopback(t.server))
        return refused(QStringLiteral("%1: url %2 is not on a loopback address; the bundled simulator only listens "
                                      "on loopback")
                           .arg(stateFile, t.server.toDisplayString()));
    if (!isLoopback(t.control))
        return refused(
            QStringLiteral("%1: control %2 is not on a loopback address").arg(stateFile, t.control.toDisplayString()));

    // The process: the one the fixture recorded, still running the binary it started.
    const QDir dir = info.absoluteDir();
    const QString pidFile = dir.filePath(QStringLiteral("vcsim.pid"));
    const qint64 recordedPid = QString::fromLatin1(readSmall(pidFile)).trimmed().toLongLong();
    if (recordedPid != t.pid)
        return refused(
            QStringLiteral("%1 names pid %2, %3 does not: not a simulator started by scripts/vcsim-fixture.sh")
                .arg(stateFile)
                .arg(t.pid)
                .arg(pidFile));
    const QString binary = QString::fromLocal8Bit(readSmall(dir.filePath(QStringLiteral("vcsim.bin")))).trimmed();
    if (QFileInfo(binary).fileName() != QLatin1String("dcm-vcsim"))
        return refused(QStringLiteral("%1: vcsim.bin does not name the bundled simulator (dcm-vcsim)").arg(dir.path()));
    const QString running = runningProgram(t.pid);
    if (running.isEmpty())
        return refused(
            QStringLiteral("%1: pid %2 is not running: the simulator has stopped").arg(stateFile).arg(t.pid));
    if (running != binary)
        return refused(QStringLiteral("%1: pid %2 runs %3, not the bundled simulator %4")
                           .arg(stateFile)
                           .arg(t.pid)
                           .arg(running, binary));

    // The scripts hand dcmctl the same server through the environment: a different one there means the
    // caller meant another vCenter, which this tool never touches.
    const QString fromEnvironment = qEnvironmentVariable("DCM_SERVER");
    if (!fromEnvironment.isEmpty() && QUrl(fromEnvironment) != t.server)
        return refused(QStringLiteral("DCM_SERVER names %1, but the simulator of %2 is at %3")
                           .arg(fromEnvironment, stateFile, t.server.toDisplayString()));
    return t;
}

} // namespace dcm
