#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

// A private PostgreSQL server (Debian's postgresql-15) for one test executable: its own data folder,
// port and unix socket folder in a temporary folder, stopped by PID. PostgreSQL refuses to run as root,
// and the tests run as root here and in CI: then the server runs as the unprivileged account `dcm-pg`
// (created when missing, no login shell, no home) that owns the data folder; run as any other user it
// runs as that user. Binaries come from $DCM_PG_BIN_DIR, else /usr/lib/postgresql/15/bin.
//
// Clients connect as the superuser `dcm` over the socket (trust: only the owner of the socket folder
// and root can reach it) or over TCP on 127.0.0.1 with the password given to start() (scram-sha-256),
// which never appears in argv: initdb reads it from a file of its own that is removed at once.
class PostgresProcess
{
public:
    PostgresProcess();
    ~PostgresProcess();
    PostgresProcess(const PostgresProcess&) = delete;
    PostgresProcess& operator=(const PostgresProcess&) = delete;

    // Before start(): serve TLS too, with a throw-away CA and a server certificate for `hostName` (a DNS
    // name only, no IP address in it) made by openssl in the temporary folder. A second CA that signed
    // nothing (strangerCaFile()) is made beside it, for tests of a wrong sslrootcert.
    void serveTls(const QString& hostName) { m_tlsHost = hostName; }
    QString caFile() const { return m_caFile; }
    QString strangerCaFile() const { return m_strangerCaFile; }

    // initdb, then starts the server and waits until it accepts connections. `fsync` false trades
    // durability for speed (unit tests of behaviour); benchmarks keep it on. On failure, `error` says why.
    bool start(QString* error, bool fsync = false, const QString& superuserPassword = {});
    // Stops the server by its PID (SIGINT: PostgreSQL's fast shutdown) and waits for it to exit.
    void stop();
    // Stops the server (if running) and starts it again on the same data folder, port and socket.
    bool restart(QString* error);
    bool isRunning() const;
    qint64 pid() const;

    int port() const { return m_port; }
    QString socketDir() const { return m_socketDir; }
    static QString superuser() { return QStringLiteral("dcm"); }

    // Creates a database owned by the superuser; false (and `error`) when it cannot.
    bool createDatabase(const QString& name, QString* error = nullptr);
    // Runs one statement as the superuser in `database`; empty on success, else the error text.
    QString exec(const QString& database, const QString& sql);
    // A libpq URI for `database` over the socket, as dcmctl's --db takes it.
    QString uri(const QString& database, const QString& user = superuser()) const;
    // The same over TCP on 127.0.0.1 (password authentication).
    QString tcpUri(const QString& database, const QString& user = superuser()) const;
    // A fresh database with a unique name; its URI (empty on failure).
    QString freshDatabase(const QString& prefix = QStringLiteral("t"));

    QString logTail() const;

private:
    bool launch(QString* error);
    bool makeCertificates(QString* error);
    QString binary(const QString& name) const;
    QStringList asServerUser(const QString& program, const QStringList& args) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_dataDir;
    QString m_socketDir;
    QString m_logFile;
    QString m_runAs; // empty: this process's own user
    int m_port = 0;
    bool m_fsync = false;
    std::unique_ptr<QProcess> m_process;
    int m_databases = 0;
    QString m_tlsHost; // empty: no TLS
    QString m_caFile;
    QString m_strangerCaFile;
    QString m_certFile;
    QString m_keyFile;
};
