// dcm-console: composition root of the operator console. The only place (with dcmctl's main) that names
// the concrete adapters: the vSphere hypervisor, the request store (a SQLite file, or a team database on PostgreSQL)
// and the OS keychain.
#include "app/service/AppInfo.h"
#include "app/service/ServiceHost.h"
#include "app/storage/KeychainCredentialStore.h"
#include "app/storage/RequestDatabase.h"
#include "hypervisor/vsphere/VsphereHypervisor.h"
#include "ui/ConnectionController.h"
#include "ui/MainWindow.h"
#include "ui/ServiceClient.h"
#include "ui/UiSettings.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QLibraryInfo>
#include <QLocale>
#include <QStandardPaths>
#include <QTimer>
#include <QTranslator>

#include <cstdio>
#include <memory>

namespace {

QString valueOrEnv(const QCommandLineParser& parser, const QString& option, const char* env)
{
    if (parser.isSet(option))
        return parser.value(option);
    return qEnvironmentVariable(env);
}

} // namespace

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("dcm-console")); // dcmctl shares this data folder
    QApplication::setApplicationDisplayName(dcm::AppInfo::displayName());
    QApplication::setOrganizationName(dcm::AppInfo::organization());
    QApplication::setApplicationVersion(dcm::AppInfo::version());
    QApplication::setDesktopFileName(dcm::AppInfo::appId());

    // Qt's own strings (standard buttons, dialogs) in the user's language, when installed.
    QTranslator qtTranslator;
    if (qtTranslator.load(QLocale(), QStringLiteral("qtbase"), QStringLiteral("_"),
                          QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(&qtTranslator);

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate(
        "main", "Provision virtual machines on VMware vCenter, behind a circuit breaker and a durable queue.\n\n"
                "Connection: --server/--user/--thumbprint or DCM_SERVER, DCM_USER, DCM_THUMBPRINT; the password comes "
                "from the keychain, from DCM_PASSWORD (automation), or is asked for. Without them the console opens "
                "the last connection profile."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOptions({
        {QStringLiteral("server"), QApplication::translate("main", "vCenter server or SDK URL (env DCM_SERVER)."),
         QStringLiteral("URL")},
        {QStringLiteral("user"), QApplication::translate("main", "User name (env DCM_USER)."), QStringLiteral("NAME")},
        {QStringLiteral("thumbprint"),
         QApplication::translate(
             "main", "Pinned SHA-256 thumbprint of the server certificate, colon-separated hex (env DCM_THUMBPRINT)."),
         QStringLiteral("HEX")},
        {QStringLiteral("db"),
         QApplication::translate("main",
                                 "Request database (env DCM_DB; default: a SQLite file in the user's data "
                                 "folder): a file, or a team database as postgresql://[user@]host[:port]/dbname."),
         QStringLiteral("FILE|URI")},
    });
    parser.process(app);

    // The queue: --db/DCM_DB when given (it wins over the profile for this console's whole life), else
    // the queue of the profile the console opens, else this workstation's SQLite file ("").
    const QString overriddenBy = parser.isSet(QStringLiteral("db"))    ? QStringLiteral("--db")
                                 : qEnvironmentVariableIsSet("DCM_DB") ? QStringLiteral("DCM_DB")
                                                                       : QString();
    const QString localFile = QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
                                  .filePath(QStringLiteral("requests.sqlite"));
    QString queue = valueOrEnv(parser, QStringLiteral("db"), "DCM_DB");
    if (overriddenBy.isEmpty()) {
        dcm::UiSettings settings;
        if (const auto last = settings.profile(settings.lastProfileName()))
            queue = last->queue.trimmed();
    }
    // A team database's URI is checked before anything starts: a typo is said, not a "cannot open".
    if (auto checked = dcm::RequestDatabase::check(queue); !checked.ok()) {
        if (!overriddenBy.isEmpty()) {
            std::fprintf(stderr, "dcm-console: %s\n", qPrintable(checked.error().message));
            return 2;
        }
        queue.clear(); // a saved profile that no longer parses: this workstation, and the dialog says why
    }
    const auto fileOf = [localFile](const QString& location) { return location.isEmpty() ? localFile : location; };

    // Everything below is created inside the service thread by these factories.
    static const dcm::SystemClock clock;
    dcm::ServiceConfig serviceConfig;
    serviceConfig.liveInventory = true; // the form shows VMs created, renamed or removed elsewhere
    dcm::ServiceHost host(
        [] { return std::unique_ptr<dcm::HypervisorPort>(std::make_unique<dcm::VsphereHypervisor>()); },
        dcm::ProvisioningService::StoreFactory{}, // the queue opener below opens it, keychain first
        [] {
            return std::unique_ptr<dcm::CredentialStorePort>(
                std::make_unique<dcm::KeychainCredentialStore>(dcm::AppInfo::appId()));
        },
        clock, serviceConfig);

    // Set before the thread starts; the stores are opened in the service thread, at start and whenever
    // the profile names another queue. A team database's password is the keychain's (the key
    // `dcmctl login --for-db` writes), else libpq's PGPASSWORD/PGPASSFILE, else asked for.
    dcm::ProvisioningService::QueueOpener opener;
    opener.open = [fileOf](const QString& location,
                           const QString& password) -> dcm::Result<dcm::ProvisioningService::QueueStores> {
        const QString where = fileOf(location);
        dcm::ProvisioningService::QueueStores stores;
        auto store = dcm::RequestDatabase::openStore(where, password);
        if (!store)
            return store.error();
        auto log = dcm::RequestDatabase::openBreakerLog(where, password);
        if (!log)
            return log.error();
        auto fleet = dcm::RequestDatabase::openFleetBreaker(where, password);
        if (!fleet)
            return fleet.error();
        stores.store = std::move(store).value();
        stores.breakerLog = std::move(log).value();
        stores.fleet = std::move(fleet).value();
        return stores;
    };
    opener.credentialKey = [](const QString& location) { return dcm::RequestDatabase::credentialKey(location); };
    opener.name = [fileOf](const QString& location) { return dcm::RequestDatabase::shortName(fileOf(location)); };
    host.service()->setQueueOpener(opener, queue);

    dcm::MainWindow window(std::make_unique<dcm::ServiceClient>(host));
    dcm::QueueChoice queueChoice;
    queueChoice.problem = [](const QString& uri) {
        auto checked = dcm::RequestDatabase::check(uri);
        return checked.ok() ? QString() : checked.error().message;
    };
    queueChoice.overriddenBy = overriddenBy;
    queueChoice.overriddenName = overriddenBy.isEmpty() ? QString() : dcm::RequestDatabase::display(queue);
    window.connectionController()->setQueueChoice(queueChoice);
    window.setClock(clock); // the scout's countdown reads the service's clock
    // When the window closes it is hidden at once; then calls in flight get a bounded grace to land (their
    // outcome recorded now rather than reconciled next time) and the service thread ends.
    window.setShutdown([&host](std::chrono::milliseconds grace) { host.stop(grace); });
    host.start();
    window.show();

    dcm::ConnectionProfile fromEnvironment;
    fromEnvironment.name =
        QStringLiteral("%1 (from the environment)").arg(valueOrEnv(parser, QStringLiteral("server"), "DCM_SERVER"));
    fromEnvironment.server = valueOrEnv(parser, QStringLiteral("server"), "DCM_SERVER");
    fromEnvironment.user = valueOrEnv(parser, QStringLiteral("user"), "DCM_USER");
    fromEnvironment.thumbprint = valueOrEnv(parser, QStringLiteral("thumbprint"), "DCM_THUMBPRINT");
    std::optional<QString> password;
    if (qEnvironmentVariableIsSet("DCM_PASSWORD")) {
        password = qEnvironmentVariable("DCM_PASSWORD");
        qunsetenv("DCM_PASSWORD"); // not inherited by anything started later
    }
    if (fromEnvironment.isUsable()) {
        window.connectAtStart(fromEnvironment, password, false);
    } else if (!window.connectToLastProfile()) {
        QTimer::singleShot(0, &window, [&window] { window.connectionController()->showConnectDialog(); });
    }

    const int code = QApplication::exec();
    // Ended without the window closing (a signal, the session ending): the same bounded grace. A no-op
    // when the window has stopped the service already.
    host.stop(dcm::MainWindow::shutdownGrace);
    return code;
}
