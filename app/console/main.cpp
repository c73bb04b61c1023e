// dcm-console: composition root of the operator console.
#include "app/AppInfo.h"
#include "ui/MainWindow.h"

#include <QApplication>
#include <QCommandLineParser>

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("dcm-console"));
    QApplication::setApplicationDisplayName(dcm::AppInfo::displayName());
    QApplication::setOrganizationName(dcm::AppInfo::organization());
    QApplication::setApplicationVersion(dcm::AppInfo::version());
    QApplication::setDesktopFileName(dcm::AppInfo::appId());

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "Provision virtual machines on VMware vCenter."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.process(app);

    dcm::MainWindow window;
    window.show();
    return QApplication::exec();
}
