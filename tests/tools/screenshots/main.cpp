// dcm-screenshots: the console's window in a scripted session, for the pictures in docs/screenshots
// (scripts/screenshots.sh). Not installed and not part of dcm-console: it types into the New VM form and
// submits requests by itself, so it connects only to the bundled simulator that scripts/vcsim-fixture.sh
// started (SimulatorGuard.h), with the simulator's own throw-away credentials from its state file.
#include "ScreenshotSession.h"
#include "SimulatorGuard.h"

#include "app/service/ServiceHost.h"
#include "app/storage/RequestDatabase.h"
#include "hypervisor/vsphere/VsphereHypervisor.h"
#include "ui/MainWindow.h"
#include "ui/ServiceClient.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QPalette>
#include <QSettings>
#include <QStyleFactory>
#include <QTemporaryDir>

#include <cstdio>
#include <memory>

namespace {

// What a desktop's dark theme hands the console: the widgets only ever use palette roles.
void useDarkPalette()
{
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

} // namespace

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("dcm-screenshots"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Photographs the console's views in a scripted session against the bundled vCenter simulator "
                       "(scripts/screenshots.sh). Refuses any other server."));
    parser.addHelpOption();
    parser.addOptions({
        {QStringLiteral("vcsim-state"),
         QStringLiteral("The simulator's state file (vcsim.json) written by scripts/vcsim-fixture.sh."),
         QStringLiteral("FILE")},
        {QStringLiteral("out"), QStringLiteral("Where the PNG files go."), QStringLiteral("DIR")},
        {QStringLiteral("scene"),
         QStringLiteral("Which moment to photograph: %1.")
             .arg(dcm::ScreenshotSession::scenes().join(QStringLiteral(", "))),
         QStringLiteral("SCENE")},
        {QStringLiteral("db"), QStringLiteral("Request database (default: a temporary one)."), QStringLiteral("FILE")},
    });
    parser.process(app);

    const QString scene = parser.value(QStringLiteral("scene"));
    const QString out = parser.value(QStringLiteral("out"));
    if (!dcm::ScreenshotSession::scenes().contains(scene)) {
        std::fprintf(stderr, "dcm-screenshots: --scene must be one of %s (got '%s')\n",
                     qPrintable(dcm::ScreenshotSession::scenes().join(QStringLiteral(", "))), qPrintable(scene));
        return 2;
    }
    if (out.isEmpty()) {
        std::fprintf(stderr, "dcm-screenshots: --out DIR is required\n");
        return 2;
    }
    const auto checked = dcm::checkSimulatorState(parser.value(QStringLiteral("vcsim-state")));
    if (!checked.ok()) {
        std::fprintf(stderr, "dcm-screenshots: refused: %s\n", qPrintable(checked.error().message));
        return 2;
    }
    const dcm::SimulatorTarget& target = checked.value();

    // Never the operator's settings (and always the same layout to start from).
    QTemporaryDir scratch;
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, scratch.path());
    if (scene == QLatin1String("dark"))
        useDarkPalette();
    QString database = parser.value(QStringLiteral("db"));
    if (database.isEmpty())
        database = QDir(scratch.path()).filePath(QStringLiteral("requests.sqlite"));

    static const dcm::SystemClock clock;
    // No keychain: the simulator's password comes from its state file and is used for this session only.
    // The queue is opened as the console opens it (through a queue opener), so that the pictures show
    // what an operator's status bar says.
    dcm::ServiceHost host(
        [] { return std::unique_ptr<dcm::HypervisorPort>(std::make_unique<dcm::VsphereHypervisor>()); },
        dcm::ProvisioningService::StoreFactory{}, {}, clock, dcm::ServiceConfig{});
    QDir().mkpath(QFileInfo(database).absolutePath());
    dcm::ProvisioningService::QueueOpener opener;
    opener.open = [database](const QString&, const QString&) -> dcm::Result<dcm::ProvisioningService::QueueStores> {
        dcm::ProvisioningService::QueueStores stores;
        auto store = dcm::RequestDatabase::openStore(database, {});
        if (!store)
            return store.error();
        auto log = dcm::RequestDatabase::openBreakerLog(database, {});
        if (!log)
            return log.error();
        auto fleet = dcm::RequestDatabase::openFleetBreaker(database, {});
        if (!fleet)
            return fleet.error();
        stores.store = std::move(store).value();
        stores.breakerLog = std::move(log).value();
        stores.fleet = std::move(fleet).value();
        return stores;
    };
    opener.credentialKey = [](const QString&) { return QString(); };
    opener.name = [database](const QString&) { return dcm::RequestDatabase::shortName(database); };
    host.service()->setQueueOpener(opener, QString());

    dcm::MainWindow window(std::make_unique<dcm::ServiceClient>(host));
    window.resize(1280, 860);
    auto session = std::make_unique<dcm::ScreenshotSession>(&window, out, scene, 120);
    host.start();
    window.show();

    dcm::ConnectionProfile profile;
    profile.name = QStringLiteral("Bundled simulator");
    profile.server = target.server.toString();
    profile.user = target.user;
    // The trust scene shows first contact with an unpinned server; every other scene pins the
    // simulator's certificate, so that the adapter itself refuses any other server.
    profile.thumbprint = scene == QLatin1String("trust") ? QString() : target.thumbprint;
    window.connectAtStart(profile, target.password, false);

    const int code = QApplication::exec();
    session.reset();
    host.stop();
    return code;
}
