// dcmctl: composition root of the command line front. The only place (with the console's main)
// that names concrete adapters.
#include "CtlCommand.h"
#include "CtlConnection.h"
#include "CtlOptions.h"
#include "CtlOutput.h"

#include "app/service/AppInfo.h"
#include "app/storage/KeychainCredentialStore.h"
#include "app/storage/RequestDatabase.h"
#include "domain/Redaction.h"
#include "hypervisor/vsphere/VsphereHypervisor.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QLoggingCategory>
#include <QSocketNotifier>
#include <QTimer>

#include <cstdio>
#include <memory>

#ifdef Q_OS_UNIX
#include <csignal>
#include <sys/socket.h>
#include <unistd.h>
#endif

using namespace dcm;
using namespace dcm::ctl;

namespace {

QtMessageHandler s_qtHandler = nullptr;

// Every log line goes through the one redaction rule before it is written: a URL that reaches the log
// (an adapter's message, a Qt warning about a request) never shows a user name or password.
void redactingHandler(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    const QString shown = redactedText(message);
    if (s_qtHandler) {
        s_qtHandler(type, context, shown);
        return;
    }
    std::fprintf(stderr, "%s\n", qPrintable(qFormatLogMessage(type, context, shown)));
}

#ifdef Q_OS_UNIX
int s_signalPipe[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(s_signalPipe[1], &byte, 1);
}

// SIGINT/SIGTERM become an event on the main loop (a signal handler may do nothing else safely).
void installSignalHandlers(CtlCommand* command)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, s_signalPipe) != 0)
        return;
    auto* notifier = new QSocketNotifier(s_signalPipe[0], QSocketNotifier::Read, command);
    QObject::connect(notifier, &QSocketNotifier::activated, command, [command, notifier] {
        char byte = 0;
        [[maybe_unused]] const auto got = ::read(s_signalPipe[0], &byte, 1);
        notifier->setEnabled(true);
        command->interrupt();
    });
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}
#else
void installSignalHandlers(CtlCommand*)
{}
#endif

} // namespace

// A team database's password from the keychain (`dcmctl login --for-db`), read once before any command
// runs and kept in memory. Empty when PGPASSWORD is set (libpq takes it), for a SQLite file, when
// there is no entry or no keychain answers within a few seconds: then libpq reads PGPASSFILE.
QString keychainDatabasePassword(const QString& location)
{
    const QString key = RequestDatabase::credentialKey(location);
    if (key.isEmpty() || qEnvironmentVariableIsSet("PGPASSWORD"))
        return {};
    // The store owns its jobs: once it is gone after a time-out, a late answer is never delivered.
    KeychainCredentialStore keychain(AppInfo::appId());
    QEventLoop loop;
    QString password;
    bool answered = false;
    keychain.readPassword(key, [&](Result<QString> read) {
        answered = true;
        if (read.ok())
            password = read.value();
        loop.quit();
    });
    if (!answered) {
        QTimer::singleShot(std::chrono::seconds(3), &loop, &QEventLoop::quit);
        loop.exec();
    }
    return password;
}

int main(int argc, char* argv[])
{
    // First of all, before anything could start a process: out of the environment, into memory only.
    QString environmentPassword = takePasswordFromEnvironment();
    s_qtHandler = qInstallMessageHandler(redactingHandler);

    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("dcm-console")); // share the console's data folder
    QCoreApplication::setOrganizationName(AppInfo::organization());
    QCoreApplication::setApplicationVersion(AppInfo::version());

    auto parsed = parseCtlOptions(QCoreApplication::arguments());
    if (!parsed.ok())
        return CtlOutput(QCoreApplication::arguments().contains(QStringLiteral("--json"))).fail(parsed.error());
    CtlOptions opts = parsed.value();

    if (opts.helpRequested) {
        std::fputs(qPrintable(ctlHelpText()), stdout);
        return ExitOk;
    }
    if (opts.versionRequested) {
        std::printf("dcmctl %s\n", qPrintable(AppInfo::version()));
        return ExitOk;
    }
    if (opts.command.isEmpty()) {
        std::fputs(qPrintable(ctlHelpText()), stderr);
        return ExitInvalidInput;
    }

    // Quiet by default: one clear line per error. `serve` reports what it does; QT_LOGGING_RULES (e.g.
    // "dcm.hypervisor.soap.debug=true" for a SOAP trace, secrets redacted) overrides both.
    const bool serving = opts.command == QLatin1String("serve");
    QLoggingCategory::setFilterRules(serving || opts.verbose ? QStringLiteral("dcm.*.debug=false")
                                                             : QStringLiteral("dcm.*.debug=false\ndcm.*.info=false"));
    qSetMessagePattern(
        QStringLiteral("%{time yyyy-MM-ddThh:mm:ss.zzz} %{if-warning}warning %{endif}%{category}: %{message}"));

    CtlFactories factories;
    factories.hypervisor = [] { return std::make_unique<VsphereHypervisor>(); };
    // A postgresql:// URI is a team database; anything else a SQLite file (RequestDatabase decides).
    if (auto checked = RequestDatabase::check(opts.database); !checked.ok())
        return CtlOutput(opts.json).fail(checked.error());
    opts.databaseShown = RequestDatabase::display(opts.database);
    const bool storingIt = opts.command == QLatin1String("login") && opts.forDatabase;
    const auto databasePassword =
        std::make_shared<const QString>(storingIt ? QString() : keychainDatabasePassword(opts.database));
    factories.store = [databasePassword](const QString& location) {
        return RequestDatabase::openStore(location, *databasePassword);
    };
    factories.breakerLog = [databasePassword](const QString& location) {
        return RequestDatabase::openBreakerLog(location, *databasePassword);
    };
    factories.fleetBreaker = [databasePassword](const QString& location) {
        return RequestDatabase::openFleetBreaker(location, *databasePassword);
    };
    factories.databaseCredentialKey = [](const QString& location) { return RequestDatabase::credentialKey(location); };
    factories.credentials = [] { return std::make_unique<KeychainCredentialStore>(AppInfo::appId()); };

    const QString name = opts.command;
    const bool json = opts.json;
    std::unique_ptr<CtlCommand> command =
        makeCtlCommand(name, CtlContext{std::move(opts), std::move(factories), std::move(environmentPassword)});
    if (!command)
        return CtlOutput(json).fail(Error::make(ErrorKind::InvalidInput, QStringLiteral("unknown-command"),
                                                QStringLiteral("unknown command '%1' (see dcmctl --help)").arg(name)));
    installSignalHandlers(command.get());
    QTimer::singleShot(0, command.get(), &CtlCommand::start);
    return QCoreApplication::exec();
}
