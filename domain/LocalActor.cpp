#include "domain/LocalActor.h"

#include <QSysInfo>

#ifdef Q_OS_UNIX
#include <pwd.h>
#include <unistd.h>
#endif

namespace dcm {

QString localActor()
{
    QString user = qEnvironmentVariable("USER");
    if (user.isEmpty())
        user = qEnvironmentVariable("USERNAME"); // Windows
#ifdef Q_OS_UNIX
    if (user.isEmpty()) {
        // A service or a CI job may run without USER: the account itself answers.
        if (const passwd* account = ::getpwuid(::geteuid()))
            user = QString::fromLocal8Bit(account->pw_name);
    }
#endif
    if (user.isEmpty())
        user = QStringLiteral("unknown");
    return QStringLiteral("%1@%2").arg(user, QSysInfo::machineHostName());
}

} // namespace dcm
