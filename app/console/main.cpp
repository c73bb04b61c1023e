// dcm-console: composition root of the operator console. The only place (with dcmctl's main) that names
// the concrete adapters: the vSphere hypervisor, the SQLite request store and the OS keychain.
#include "ScreenshotSession.h"

#include "app/service/AppInfo.h"
#include "app/service/ServiceHost.h"
#include "app/storage/KeychainCredentialStore.h"
#include "app/storage/SqliteBreakerLog.h"
#include "app/storage/SqliteRequestStore.h"
#include "hypervisor/vsphere/VsphereHypervisor.h"
#include "ui/ConnectionController.h"
#include "ui/MainWindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QLibraryInfo>
#include <QLocale>
#include <QPalette>
#include <QSettings>
#include <QStandardPaths>
#include <QStyleFactory>
#include <QTemporaryDir>
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
         QApplication::translate("main", "Request database (env DCM_DB; default: the user's data folder)."),
         QStringLiteral("FILE")},
        {QStringLiteral("screenshot"),
         QApplication::translate(
             "main", "Take screenshots of the main views into DIR once the scene is reached, then quit (env "
                     "DCM_SCREENSHOT_DIR)."),
         QStringLiteral("DIR")},
        {QStringLiteral("screenshot-scene"),
         QApplication::translate("main", "Which moment to photograph: %1 (default main).")
             .arg(dcm::ScreenshotSession::scenes().join(QStringLiteral(", "))),
         QStringLiteral("SCENE"), QStringLiteral("main")},
    });
    parser.process(app);

    const QString screenshotDir = valueOrEnv(parser, QStringLiteral("screenshot"), "DCM_SCREENSHOT_DIR");
    const QString scene = parser.value(QStringLiteral("screenshot-scene"));
    if (!screenshotDir.isEmpty() && !dcm::ScreenshotSession::scenes().contains(scene)) {
        std::fprintf(stderr, "dcm-console: unknown screenshot scene '%s'\n", qPrintable(scene));
        return 2;
    }
    // Screenshots never touch the operator's settings (and always start from the same layout).
    QTemporaryDir screenshotSettings;
    if (!screenshotDir.isEmpty())
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, screenshotSettings.path());
    if (!screenshotDir.isEmpty() && scene == QLatin1String("dark")) {
        // What a desktop's dark theme hands the console: the widgets only ever use palette roles.
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(0x2b, 0x2d, 0x30));
        dark.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
        dark.setColor(QPalette::Base, QColor(0x1e, 0x1f, 0x22));
        dark.setColor(QPalette::AlternateBase, QColor(0x26, 0x28, 0x2b));
        dark.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
        dark.setColor(QPalette::Button, QColor(0x35, 0x37, 0x3b));
        dark.setColor(QPalette::ButtonText, QColor(0xe6, 0xe6, 0xe6));
        dark.setColor(QPalette::Highlight, QColor(0x3d, 0x7b, 0xd9));
        dark.setColor(QPalette::HighlightedText, Qt::white);
        dark.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9d, 0xa3));
        dark.setColor(QPalette::ToolTipBase, QColor(0x35, 0x37, 0x3b));
        dark.setColor(QPalette::ToolTipText, QColor(0xe6, 0xe6, 0xe6));
        dark.setColor(QPalette::Mid, QColor(0x4a, 0x4d, 0x52));
        dark.setColor(QPalette::Dark, QColor(0x18, 0x19, 0x1b));
        dark.setColor(QPalette::Light, QColor(0x55, 0x58, 0x5e));
        dark.setColor(QPalette::Disabled, QPalette::Text, QColor(0x80, 0x80, 0x80));
        dark.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x80, 0x80, 0x80));
        dark.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x80, 0x80, 0x80));
        QApplication::setPalette(dark);
    }

    QString database = valueOrEnv(parser, QStringLiteral("db"), "DCM_DB");
    if (database.isEmpty())
        database = QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
                       .filePath(QStringLiteral("requests.sqlite"));

    // Everything below is created inside the service thread by these factories.
    static const dcm::SystemClock clock;
    dcm::ServiceHost host(
        [] { return std::unique_ptr<dcm::HypervisorPort>(std::make_unique<dcm::VsphereHypervisor>()); },
        [database]() -> dcm::Result<std::unique_ptr<dcm::RequestStorePort>> {
            auto opened = dcm::SqliteRequestStore::open(database);
            if (!opened.ok())
                return opened.error();
            return std::unique_ptr<dcm::RequestStorePort>(std::move(opened.value()));
        },
        [] {
            return std::unique_ptr<dcm::CredentialStorePort>(
                std::make_unique<dcm::KeychainCredentialStore>(dcm::AppInfo::appId()));
        },
        clock, dcm::ServiceConfig{});

    // Set before the thread starts; opened in the service thread by initialize(), like the store.
    host.service()->setBreakerLogFactory([database]() -> dcm::Result<std::unique_ptr<dcm::BreakerLogPort>> {
        auto opened = dcm::SqliteBreakerLog::open(database);
        if (!opened.ok())
            return opened.error();
        return std::unique_ptr<dcm::BreakerLogPort>(std::move(opened.value()));
    });

    dcm::MainWindow window(host.service());
    std::unique_ptr<dcm::ScreenshotSession> screenshots;
    if (!screenshotDir.isEmpty()) {
        window.resize(1280, 860);
        screenshots = std::make_unique<dcm::ScreenshotSession>(&window, screenshotDir, scene, 120);
    }
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
    screenshots.reset();
    // Let calls in flight land (their outcome recorded now rather than reconciled next time), then end
    // the service thread before the window goes.
    host.stop();
    return code;
}
