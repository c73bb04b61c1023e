#include "app/storage/PgLocation.h"

#include <QSet>
#include <QUrl>
#include <QUrlQuery>

namespace dcm {

namespace {

Error invalid(const QString& why)
{
    return Error::make(ErrorKind::InvalidInput, QStringLiteral("invalid-database"),
                       QStringLiteral("--db/DCM_DB: %1").arg(why));
}

// libpq's options a team queue may name. Anything else is refused with its name, so that a typo
// (sslmod=) never silently means "no TLS".
const QSet<QString>& allowedOptions()
{
    static const QSet<QString> s_allowed{
        QStringLiteral("sslmode"),          QStringLiteral("sslrootcert"),
        QStringLiteral("sslcert"),          QStringLiteral("sslkey"),
        QStringLiteral("sslcrl"),           QStringLiteral("connect_timeout"),
        QStringLiteral("application_name"), QStringLiteral("target_session_attrs"),
    };
    return s_allowed;
}

const QSet<QString>& sslModes()
{
    static const QSet<QString> s_modes{QStringLiteral("disable"),   QStringLiteral("allow"),
                                       QStringLiteral("prefer"),    QStringLiteral("require"),
                                       QStringLiteral("verify-ca"), QStringLiteral("verify-full")};
    return s_modes;
}

} // namespace

bool PgLocation::isTeamDatabase(const QString& location)
{
    return location.startsWith(QLatin1String("postgresql://"), Qt::CaseInsensitive) ||
           location.startsWith(QLatin1String("postgres://"), Qt::CaseInsensitive);
}

Result<PgLocation> PgLocation::parse(const QString& uri)
{
    if (!isTeamDatabase(uri))
        return invalid(QStringLiteral("a team database is given as postgresql://[user@]host[:port]/dbname"));
    const QUrl url(uri, QUrl::StrictMode);
    if (!url.isValid())
        return invalid(QStringLiteral("not a valid URI: %1").arg(url.errorString()));
    if (!url.password().isEmpty())
        return invalid(QStringLiteral("the URI carries a password, which would show in process lists and logs; "
                                      "put it in PGPASSFILE (~/.pgpass), PGPASSWORD or the keychain instead"));
    PgLocation where;
    where.host = url.host();
    where.port = url.port(-1);
    where.user = url.userName();
    where.database = url.path().mid(1);
    if (where.database.isEmpty() || where.database.contains(QLatin1Char('/')))
        return invalid(QStringLiteral("the URI names no database (postgresql://host/dbname)"));
    QStringList options;
    const QUrlQuery query(url);
    for (const auto& [key, value] : query.queryItems(QUrl::FullyDecoded)) {
        if (key == QLatin1String("password"))
            return invalid(QStringLiteral("the URI carries a password, which would show in process lists and logs; "
                                          "put it in PGPASSFILE (~/.pgpass), PGPASSWORD or the keychain instead"));
        if (key == QLatin1String("host")) {
            where.host = value;
            continue;
        }
        if (key == QLatin1String("port")) {
            bool ok = false;
            const int port = value.toInt(&ok);
            if (!ok || port < 1 || port > 65535)
                return invalid(QStringLiteral("port \"%1\" is not a port number").arg(value));
            where.port = port;
            continue;
        }
        if (key == QLatin1String("user")) {
            where.user = value;
            continue;
        }
        if (!allowedOptions().contains(key))
            return invalid(QStringLiteral("unknown option \"%1\" (known: host, port, user, %2)")
                               .arg(key, QStringList(allowedOptions().values()).join(QStringLiteral(", "))));
        if (key == QLatin1String("sslmode")) {
            if (!sslModes().contains(value))
                return invalid(QStringLiteral("sslmode \"%1\" is not one of disable, allow, prefer, require, "
                                              "verify-ca, verify-full")
                                   .arg(value));
            where.sslmode = value;
        }
        // QPSQL joins the options with blanks and hands them to libpq as they are: a value that
        // could end one option and start another is refused, and every value is quoted.
        if (value.contains(QLatin1Char(';')) || value.contains(QLatin1Char('\'')) || value.contains(QLatin1Char('\\')))
            return invalid(QStringLiteral("the value of %1 may not contain ; ' or \\").arg(key));
        options.append(QStringLiteral("%1='%2'").arg(key, value));
    }
    if (!query.hasQueryItem(QStringLiteral("connect_timeout")))
        options.append(QStringLiteral("connect_timeout=5")); // an unreachable server is said within seconds
    if (!query.hasQueryItem(QStringLiteral("application_name")))
        options.append(QStringLiteral("application_name=dcm"));
    where.connectOptions = options.join(QLatin1Char(';'));
    return where;
}

QString PgLocation::display() const
{
    QString text = QStringLiteral("postgresql://");
    if (!user.isEmpty())
        text += user + QLatin1Char('@');
    const bool socket = host.startsWith(QLatin1Char('/'));
    if (!socket)
        text += host;
    if (!socket && port > 0)
        text += QLatin1Char(':') + QString::number(port);
    text += QLatin1Char('/') + database;
    QStringList shown;
    if (socket)
        shown << QStringLiteral("host=") + host;
    if (socket && port > 0)
        shown << QStringLiteral("port=") + QString::number(port);
    if (!sslmode.isEmpty())
        shown << QStringLiteral("sslmode=") + sslmode;
    if (!shown.isEmpty())
        text += QLatin1Char('?') + shown.join(QLatin1Char('&'));
    return text;
}

} // namespace dcm
