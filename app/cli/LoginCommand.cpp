#include "LoginCommand.h"

#include <QJsonObject>
#include <QTextStream>

#include <cstdio>

#ifdef Q_OS_UNIX
#include <termios.h>
#include <unistd.h>
#endif

namespace dcm::ctl {

namespace {

QString readSecretLine()
{
#ifdef Q_OS_UNIX
    // Do not echo a password typed at a terminal.
    termios old{};
    const bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
    if (tty) {
        std::fprintf(stderr, "Password: ");
        termios quiet = old;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
#endif
    QTextStream in(stdin);
    const QString line = in.readLine();
#ifdef Q_OS_UNIX
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSANOW, &old);
        std::fprintf(stderr, "\n");
    }
#endif
    return line;
}

} // namespace

void LoginCommand::start()
{
    const ConnectionSettings& c = options().connection;
    const bool forDatabase = options().forDatabase;
    const QString databaseKey = forDatabase && connection().factories().databaseCredentialKey
                                    ? connection().factories().databaseCredentialKey(options().database)
                                    : QString();
    if (forDatabase && databaseKey.isEmpty())
        return (void)fail(Error::make(ErrorKind::InvalidInput, QStringLiteral("not-a-team-database"),
                                      QStringLiteral("login --for-db needs a team database in --db or DCM_DB "
                                                     "(a postgresql:// URI)")));
    if (!forDatabase && (c.server.isEmpty() || c.user.isEmpty()))
        return (void)fail(Error::make(ErrorKind::InvalidInput, QStringLiteral("missing-server"),
                                      QStringLiteral("login needs --server and --user (or DCM_SERVER and DCM_USER)")));
    const QString password = readSecretLine();
    if (password.isEmpty())
        return (void)fail(Error::make(ErrorKind::InvalidInput, QStringLiteral("empty-password"),
                                      QStringLiteral("no password on standard input")));
    CredentialStorePort* keychain = connection().credentials();
    if (!keychain)
        return (void)fail(
            Error::make(ErrorKind::Storage, QStringLiteral("no-keychain"),
                        QStringLiteral("no keychain to store the password in. Use DCM_PASSWORD instead.")));
    const QString key = forDatabase ? databaseKey : ProvisioningService::credentialKey(c.server, c.user);
    const QString instead = forDatabase ? QStringLiteral("PGPASSWORD or PGPASSFILE") : QStringLiteral("DCM_PASSWORD");
    keychain->writePassword(key, password, [this, key, instead](Result<void> written) {
        if (!written.ok())
            return (void)fail(Error::make(ErrorKind::Storage, written.error().code,
                                          QStringLiteral("the password was not stored: %1. Use %2 instead.")
                                              .arg(written.error().message, instead)));
        out().document(QJsonObject{{QStringLiteral("stored"), key}},
                       QStringLiteral("Password stored in the keychain for %1\n").arg(key));
        finish(ExitOk);
    });
}

} // namespace dcm::ctl
