#include "PostgresProcess.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTcpServer>
#include <QUuid>

#include <csignal>
#include <pwd.h>
#include <sys/types.h>
#include <unistd.h>

namespace {

const QString s_serverAccount = QStringLiteral("dcm-pg");

// A port nobody listens on now. Another program could take it before the server does; then the
// server's start fails and says so.
int freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

bool run(const QString& program, const QStringList& args, QString* output, int timeoutMs = 120000)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, args);
    if (!p.waitForStarted(10000)) {
        *output = QStringLiteral("cannot start %1: %2").arg(program, p.errorString());
        return false;
    }
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
        *output = QStringLiteral("%1 did not finish").arg(program);
        return false;
    }
    *output = QString::fromLocal8Bit(p.readAll());
    return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

// The account the server runs as when we are root: created once, never able to log in.
bool ensureServerAccount(QString* error)
{
    if (::getpwnam(s_serverAccount.toLocal8Bit().constData()))
        return true;
    QString out;
    if (!run(QStringLiteral("useradd"),
             {QStringLiteral("--system"), QStringLiteral("--no-create-home"), QStringLiteral("--home-dir"),
              QStringLiteral("/nonexistent"), QStringLiteral("--shell"), QStringLiteral("/usr/sbin/nologin"),
              QStringLiteral("--user-group"), s_serverAccount},
             &out)) {
        // Another test executable may have created it meanwhile.
        if (::getpwnam(s_serverAccount.toLocal8Bit().constData()))
            return true;
        *error = QStringLiteral("cannot create the account %1: %2").arg(s_serverAccount, out.trimmed());
        return false;
    }
    return true;
}

bool chownTree(const QString& path, const QString& account, QString* error)
{
    QString out;
    if (!run(QStringLiteral("chown"), {QStringLiteral("-R"), account + QLatin1Char(':') + account, path}, &out)) {
        *error = QStringLiteral("cannot give %1 to %2: %3").arg(path, account, out.trimmed());
        return false;
    }
    return true;
}

} // namespace

PostgresProcess::PostgresProcess() = default;

PostgresProcess::~PostgresProcess()
{
    stop();
}

QString PostgresProcess::binary(const QString& name) const
{
    QString dir = qEnvironmentVariable("DCM_PG_BIN_DIR");
    if (dir.isEmpty())
        dir = QStringLiteral("/usr/lib/postgresql/15/bin");
    return QDir(dir).filePath(name);
}

QStringList PostgresProcess::asServerUser(const QString& program, const QStringList& args) const
{
    if (m_runAs.isEmpty())
        return QStringList{program} + args;
    // setpriv execs the program itself: the PID we hold is the server's, which is what we stop.
    return QStringList{QStringLiteral("setpriv"),
                       QStringLiteral("--reuid=") + m_runAs,
                       QStringLiteral("--regid=") + m_runAs,
                       QStringLiteral("--clear-groups"),
                       QStringLiteral("--reset-env"),
                       program} +
           args;
}

bool PostgresProcess::start(QString* error, bool fsync, const QString& superuserPassword)
{
    m_fsync = fsync;
    m_dir = std::make_unique<QTemporaryDir>(QDir::temp().filePath(QStringLiteral("dcm-pg-XXXXXX")));
    if (!m_dir->isValid()) {
        *error = QStringLiteral("cannot create a temporary folder: %1").arg(m_dir->errorString());
        return false;
    }
    m_dataDir = m_dir->filePath(QStringLiteral("data"));
    m_socketDir = m_dir->filePath(QStringLiteral("sock"));
    m_logFile = m_dir->filePath(QStringLiteral("server.log"));
    if (!QDir().mkpath(m_socketDir)) {
        *error = QStringLiteral("cannot create %1").arg(m_socketDir);
        return false;
    }
    if (::geteuid() == 0) {
        if (!ensureServerAccount(error))
            return false;
        m_runAs = s_serverAccount;
    }
    // initdb reads the superuser's password from a file that only the server's account can read and
    // that is gone before the server starts.
    const QString pwFile = m_dir->filePath(QStringLiteral("pw"));
    {
        QFile f(pwFile);
        if (!f.open(QIODevice::WriteOnly) ||
            f.write(
                (superuserPassword.isEmpty() ? QUuid::createUuid().toString(QUuid::WithoutBraces) : superuserPassword)
                    .toUtf8()) < 0) {
            *error = QStringLiteral("cannot write %1").arg(pwFile);
            return false;
        }
        f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    }
    if (!m_tlsHost.isEmpty() && !makeCertificates(error))
        return false;
    if (!m_runAs.isEmpty() && !chownTree(m_dir->path(), m_runAs, error))
        return false;
    QStringList initdb = asServerUser(
        binary(QStringLiteral("initdb")),
        {QStringLiteral("-D"), m_dataDir, QStringLiteral("-U"), superuser(), QStringLiteral("--pwfile=") + pwFile,
         QStringLiteral("--auth-local=trust"), QStringLiteral("--auth-host=scram-sha-256"), QStringLiteral("-E"),
         QStringLiteral("UTF8"), QStringLiteral("--no-locale"), QStringLiteral("--no-sync")});
    QString out;
    const QString program = initdb.takeFirst();
    const bool initialised = run(program, initdb, &out);
    QFile::remove(pwFile);
    if (!initialised) {
        *error = QStringLiteral("initdb failed: %1").arg(out.right(2000));
        return false;
    }
    m_port = freePort();
    if (m_port == 0) {
        *error = QStringLiteral("no free port on 127.0.0.1");
        return false;
    }
    return launch(error);
}

bool PostgresProcess::makeCertificates(QString* error)
{
    // Keys without a passphrase, valid for two days: they live and die with the temporary folder.
    const QDir tls(m_dir->filePath(QStringLiteral("tls")));
    if (!QDir().mkpath(tls.path())) {
        *error = QStringLiteral("cannot create %1").arg(tls.path());
        return false;
    }
    const auto path = [&tls](const char* name) { return tls.filePath(QString::fromLatin1(name)); };
    const QString openssl = QStringLiteral("openssl");
    const QStringList ecKey{QStringLiteral("-newkey"), QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                            QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes")};
    const auto makeCa = [&](const QString& cert, const QString& key, const QString& name) {
        return QStringList{QStringLiteral("req"), QStringLiteral("-x509")} + ecKey +
               QStringList{QStringLiteral("-keyout"), key,
                           QStringLiteral("-out"),    cert,
                           QStringLiteral("-days"),   QStringLiteral("2"),
                           QStringLiteral("-subj"),   QStringLiteral("/CN=") + name};
    };
    {
        QFile ext(path("server.ext"));
        if (!ext.open(QIODevice::WriteOnly) ||
            ext.write(QStringLiteral("subjectAltName=DNS:%1\n").arg(m_tlsHost).toUtf8()) < 0) {
            *error = QStringLiteral("cannot write %1").arg(ext.fileName());
            return false;
        }
    }
    const QList<QStringList> steps{
        makeCa(path("ca.pem"), path("ca.key"), QStringLiteral("dcm test CA")),
        makeCa(path("stranger-ca.pem"), path("stranger-ca.key"), QStringLiteral("dcm stranger CA")),
        QStringList{QStringLiteral("req")} + ecKey +
            QStringList{QStringLiteral("-keyout"), path("server.key"), QStringLiteral("-out"), path("server.csr"),
                        QStringLiteral("-subj"), QStringLiteral("/CN=") + m_tlsHost},
        QStringList{QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), path("server.csr"),
                    QStringLiteral("-CA"), path("ca.pem"), QStringLiteral("-CAkey"), path("ca.key"),
                    QStringLiteral("-CAcreateserial"), QStringLiteral("-out"), path("server.pem"),
                    QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-extfile"), path("server.ext")},
    };
    for (const QStringList& step : steps) {
        QString out;
        if (!run(openssl, step, &out, 60000)) {
            *error = QStringLiteral("openssl %1 failed: %2").arg(step.first(), out.right(2000));
            return false;
        }
    }
    // PostgreSQL refuses a key others can read.
    QFile::setPermissions(path("server.key"), QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    m_caFile = path("ca.pem");
    m_strangerCaFile = path("stranger-ca.pem");
    m_certFile = path("server.pem");
    m_keyFile = path("server.key");
    return true;
}

bool PostgresProcess::launch(QString* error)
{
    QStringList args = asServerUser(
        binary(QStringLiteral("postgres")),
        {QStringLiteral("-D"), m_dataDir, QStringLiteral("-p"), QString::number(m_port), QStringLiteral("-k"),
         m_socketDir, QStringLiteral("-c"), QStringLiteral("listen_addresses=127.0.0.1"), QStringLiteral("-c"),
         QStringLiteral("max_connections=200"), QStringLiteral("-c"),
         QStringLiteral("fsync=") + (m_fsync ? QStringLiteral("on") : QStringLiteral("off")), QStringLiteral("-c"),
         QStringLiteral("synchronous_commit=") + (m_fsync ? QStringLiteral("on") : QStringLiteral("off")),
         QStringLiteral("-c"),
         QStringLiteral("full_page_writes=") + (m_fsync ? QStringLiteral("on") : QStringLiteral("off"))});
    if (!m_keyFile.isEmpty())
        args << QStringLiteral("-c") << QStringLiteral("ssl=on") << QStringLiteral("-c")
             << QStringLiteral("ssl_cert_file=") + m_certFile << QStringLiteral("-c")
             << QStringLiteral("ssl_key_file=") + m_keyFile;
    m_process = std::make_unique<QProcess>();
    m_process->setStandardOutputFile(m_logFile, QIODevice::Append);
    m_process->setStandardErrorFile(m_logFile, QIODevice::Append);
    const QString program = args.takeFirst();
    m_process->start(program, args);
    if (!m_process->waitForStarted(10000)) {
        *error = QStringLiteral("cannot start %1: %2").arg(program, m_process->errorString());
        return false;
    }
    // Ready when pg_isready says so over the socket; the server's own log says why when it does not come up.
    QDeadlineTimer deadline(60000);
    while (!deadline.hasExpired()) {
        if (m_process->state() != QProcess::Running) {
            *error = QStringLiteral("the server stopped while starting: %1").arg(logTail());
            return false;
        }
        QString out;
        if (run(binary(QStringLiteral("pg_isready")),
                {QStringLiteral("-q"), QStringLiteral("-h"), m_socketDir, QStringLiteral("-p"),
                 QString::number(m_port)},
                &out, 10000))
            return true;
        m_process->waitForFinished(100); // returns early only when the server died
    }
    *error = QStringLiteral("the server did not accept connections within 60 s: %1").arg(logTail());
    return false;
}

void PostgresProcess::stop()
{
    if (!isRunning())
        return;
    ::kill(pid_t(m_process->processId()), SIGINT);
    if (!m_process->waitForFinished(30000)) {
        ::kill(pid_t(m_process->processId()), SIGKILL);
        m_process->waitForFinished(10000);
    }
}

bool PostgresProcess::restart(QString* error)
{
    stop();
    return launch(error);
}

bool PostgresProcess::isRunning() const
{
    return m_process && m_process->state() == QProcess::Running;
}

qint64 PostgresProcess::pid() const
{
    return m_process ? m_process->processId() : 0;
}

QString PostgresProcess::exec(const QString& database, const QString& sql)
{
    QString out;
    if (run(binary(QStringLiteral("psql")),
            {QStringLiteral("-X"), QStringLiteral("-q"), QStringLiteral("-v"), QStringLiteral("ON_ERROR_STOP=1"),
             QStringLiteral("-h"), m_socketDir, QStringLiteral("-p"), QString::number(m_port), QStringLiteral("-U"),
             superuser(), QStringLiteral("-d"), database, QStringLiteral("-c"), sql},
            &out))
        return {};
    return out.trimmed().isEmpty() ? QStringLiteral("psql failed") : out.trimmed();
}

bool PostgresProcess::createDatabase(const QString& name, QString* error)
{
    const QString failed = exec(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE \"%1\"").arg(name));
    if (!failed.isEmpty() && error)
        *error = failed;
    return failed.isEmpty();
}

QString PostgresProcess::uri(const QString& database, const QString& user) const
{
    return QStringLiteral("postgresql://%1@/%2?host=%3&port=%4").arg(user, database, m_socketDir).arg(m_port);
}

QString PostgresProcess::tcpUri(const QString& database, const QString& user) const
{
    return QStringLiteral("postgresql://%1@127.0.0.1:%2/%3").arg(user).arg(m_port).arg(database);
}

QString PostgresProcess::freshDatabase(const QString& prefix)
{
    const QString name = QStringLiteral("%1_%2_%3").arg(prefix).arg(::getpid()).arg(++m_databases);
    QString error;
    if (!createDatabase(name, &error)) {
        qWarning("cannot create database %s: %s", qPrintable(name), qPrintable(error));
        return {};
    }
    return uri(name);
}

QString PostgresProcess::logTail() const
{
    QFile f(m_logFile);
    if (!f.open(QIODevice::ReadOnly))
        return QStringLiteral("(no server log)");
    return QString::fromLocal8Bit(f.readAll().right(3000));
}
