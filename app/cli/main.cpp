// dcmctl: composition root of the command line front. The only place (with the console's main)
// that names concrete adapters.
#include "CtlOptions.h"
#include "CtlOutput.h"

#include "app/AppInfo.h"
#include "domain/ports/HypervisorPort.h"
#include "hypervisor/vsphere/VsphereHypervisor.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QTimer>

#include <cstdio>
#include <memory>

using namespace dcm;
using namespace dcm::ctl;

namespace {

QJsonObject aboutJson(const AboutInfo& a)
{
    return {{QStringLiteral("name"), a.name},
            {QStringLiteral("fullName"), a.fullName},
            {QStringLiteral("vendor"), a.vendor},
            {QStringLiteral("version"), a.version},
            {QStringLiteral("build"), a.build},
            {QStringLiteral("apiType"), a.apiType},
            {QStringLiteral("apiVersion"), a.apiVersion},
            {QStringLiteral("instanceUuid"), a.instanceUuid}};
}

QString aboutText(const AboutInfo& a)
{
    return QStringLiteral("Product:       %1\nVersion:       %2 (build %3)\nAPI:           %4 %5\nInstance UUID: %6\n")
        .arg(a.fullName, a.version, a.build, a.apiType, a.apiVersion, a.instanceUuid);
}

// Connection settings complete with the password, or the reason they are not.
Result<ConnectionSettings> connectionFor(const CtlOptions& o)
{
    ConnectionSettings c = o.connection;
    if (c.server.isEmpty())
        return Error::make(ErrorKind::InvalidInput, QStringLiteral("missing-server"),
                           QStringLiteral("no server: give --server URL or set DCM_SERVER"));
    if (c.user.isEmpty())
        return Error::make(ErrorKind::InvalidInput, QStringLiteral("missing-user"),
                           QStringLiteral("no user: give --user NAME or set DCM_USER"));
    c.password = qEnvironmentVariable("DCM_PASSWORD");
    if (c.password.isEmpty())
        return Error::make(ErrorKind::Authentication, QStringLiteral("missing-password"),
                           QStringLiteral("no password: set DCM_PASSWORD or store one with `dcmctl login`"));
    return c;
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("dcmctl"));
    QCoreApplication::setOrganizationName(AppInfo::organization());
    QCoreApplication::setApplicationVersion(AppInfo::version());

    auto parsed = parseCtlOptions(QCoreApplication::arguments());
    if (!parsed.ok())
        return CtlOutput(QCoreApplication::arguments().contains(QStringLiteral("--json"))).fail(parsed.error());
    const CtlOptions& opts = parsed.value();
    const CtlOutput out(opts.json);

    if (opts.helpRequested || opts.command.isEmpty()) {
        std::fputs(qPrintable(ctlHelpText()), opts.helpRequested ? stdout : stderr);
        return opts.helpRequested ? ExitOk : ExitInvalidInput;
    }
    if (opts.versionRequested) {
        std::printf("dcmctl %s\n", qPrintable(AppInfo::version()));
        return ExitOk;
    }

    if (opts.command == QLatin1String("about")) {
        auto connection = connectionFor(opts);
        if (!connection.ok())
            return out.fail(connection.error());
        auto hypervisor = std::make_unique<VsphereHypervisor>();
        int exitCode = ExitFailure;
        hypervisor->connectTo(connection.value(), [&](Result<AboutInfo> about) {
            if (!about.ok()) {
                exitCode = out.fail(about.error());
                QCoreApplication::exit(exitCode);
                return;
            }
            out.document(aboutJson(about.value()), aboutText(about.value()));
            exitCode = ExitOk;
            hypervisor->disconnectFrom([&](Result<void>) { QCoreApplication::exit(exitCode); });
        });
        return QCoreApplication::exec();
    }

    return out.fail(ExitInvalidInput, QStringLiteral("unknown-command"),
                    QStringLiteral("unknown command '%1' (see dcmctl --help)").arg(opts.command));
}
