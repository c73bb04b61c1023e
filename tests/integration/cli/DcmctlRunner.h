#pragma once

#include "VcsimProcess.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>

// Runs the built dcmctl (DCMCTL_PATH) with a clean DCM_* environment plus the given variables.
struct DcmctlRun
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QJsonDocument json() const { return QJsonDocument::fromJson(out); }
};

inline DcmctlRun runDcmctl(const QStringList& args, const QProcessEnvironment& extra, int timeoutMs = 120000)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString& key : env.keys())
        if (key.startsWith(QLatin1String("DCM_")) && key != QLatin1String("DCM_VCSIM_BIN"))
            env.remove(key);
    for (const QString& key : extra.keys())
        env.insert(key, extra.value(key));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(DCMCTL_PATH), args);
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

// dcmctl's DCM_* variables for the simulator and a database; DCM_PASSWORD only when a password is given.
// `quiet` turns dcmctl's info logging off (tests that read its log leave it on).
inline QProcessEnvironment simulatorEnv(const VcsimProcess& sim, const QString& db, const QString& password,
                                        bool quiet = true)
{
    QProcessEnvironment e;
    e.insert(QStringLiteral("DCM_SERVER"), sim.sdkUrl().toString());
    e.insert(QStringLiteral("DCM_USER"), sim.username());
    e.insert(QStringLiteral("DCM_THUMBPRINT"), sim.thumbprint());
    e.insert(QStringLiteral("DCM_DB"), db);
    if (!password.isEmpty())
        e.insert(QStringLiteral("DCM_PASSWORD"), password);
    if (quiet)
        e.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("dcm.*.debug=false;dcm.*.info=false"));
    return e;
}

// A SPEC for the simulator's DC0 (cluster DC0_C0, LocalDS_0, VM Network).
inline QStringList simulatorSpecArgs(const QString& name, int cpus = 1, int memoryMiB = 256, int diskGiB = 1)
{
    return {QStringLiteral("--name"),       name,
            QStringLiteral("--cpus"),       QString::number(cpus),
            QStringLiteral("--memory-mib"), QString::number(memoryMiB),
            QStringLiteral("--disk-gib"),   QString::number(diskGiB),
            QStringLiteral("--datacenter"), QStringLiteral("DC0"),
            QStringLiteral("--cluster"),    QStringLiteral("DC0_C0"),
            QStringLiteral("--datastore"),  QStringLiteral("LocalDS_0"),
            QStringLiteral("--network"),    QStringLiteral("VM Network")};
}
