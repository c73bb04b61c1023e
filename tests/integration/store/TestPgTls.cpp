// The team queue over TLS with sslmode=verify-full, against the private PostgreSQL serving a server
// certificate made at test time by a throw-away CA (tests/support/PostgresProcess::serveTls): the
// right CA and host name connect; a wrong CA or a host name the certificate does not carry is refused
// with a "certificate" error that names the database and no secret, and nothing reaches the database.
#include "PostgresProcess.h"
#include "StoreSamples.h"

#include "app/storage/RequestDatabase.h"

#include <QTest>
#include <QUuid>

using namespace dcm;
using namespace storetest;

class TestPgTls final : public QObject
{
    Q_OBJECT

private:
    PostgresProcess m_server;
    // Over TCP the server asks for the superuser's password (scram-sha-256); it is handed to the store
    // as the keychain's would be, never put in a URI.
    const QString m_password = QUuid::createUuid().toString(QUuid::WithoutBraces);

    QString uri(const QString& host, const QString& database, const QString& ca) const
    {
        return QStringLiteral("postgresql://%1@%2:%3/%4?sslmode=verify-full&sslrootcert=%5")
            .arg(PostgresProcess::superuser(), host)
            .arg(m_server.port())
            .arg(database, ca);
    }
    QString freshName(const QString& prefix)
    {
        const QString socketUri = m_server.freshDatabase(prefix);
        if (socketUri.isEmpty())
            return {};
        return socketUri.section(QLatin1Char('/'), 3).section(QLatin1Char('?'), 0, 0);
    }
    // Empty when `database` holds no table named `table`; the server's complaint otherwise.
    QString tableExists(const QString& database, const QString& table)
    {
        return m_server.exec(database, QStringLiteral("DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_tables WHERE "
                                                      "tablename = '%1') THEN RAISE EXCEPTION 'found'; END IF; END $$")
                                           .arg(table));
    }
    void verifyRefused(const QString& location, const QString& database)
    {
        auto store = RequestDatabase::openStore(location, m_password);
        QVERIFY(!store.ok());
        const Error& e = store.error();
        QCOMPARE(int(e.kind), int(ErrorKind::Trust));
        QCOMPARE(e.code, QStringLiteral("database-certificate"));
        QVERIFY2(e.message.contains(QLatin1String("certificate")), qPrintable(e.message));
        QVERIFY2(e.message.contains(RequestDatabase::display(location)), qPrintable(e.message));
        QVERIFY2(e.message.contains(QLatin1String("sslmode=verify-full")), qPrintable(e.message));
        QVERIFY(!e.message.contains(m_password));
        QCOMPARE(e.details.value(QStringLiteral("database")).toString(), RequestDatabase::display(location));
        // The breaker log and the fleet's breaker are refused alike: the console opens nothing.
        QVERIFY(!RequestDatabase::openBreakerLog(location, m_password).ok());
        QVERIFY(!RequestDatabase::openFleetBreaker(location, m_password).ok());
        // Nothing reached the database: not even the schema.
        QCOMPARE(tableExists(database, QStringLiteral("requests")), QString());
        QCOMPARE(tableExists(database, QStringLiteral("dcm_schema")), QString());
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_server.serveTls(QStringLiteral("localhost"));
        QString error;
        QVERIFY2(m_server.start(&error, false, m_password), qPrintable(error));
        QVERIFY(QFile::exists(m_server.caFile()));
        QVERIFY(QFile::exists(m_server.strangerCaFile()));
    }

    // Pins: the right CA and the name the certificate carries: connected (verify-full means TLS or
    // nothing), the request stored and read back.
    void verifyFullConnects()
    {
        const QString database = freshName(QStringLiteral("tls"));
        QVERIFY(!database.isEmpty());
        const QString location = uri(QStringLiteral("localhost"), database, m_server.caFile());
        auto store = RequestDatabase::openStore(location, m_password);
        QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().message));
        const ProvisioningRequest request = makeRequest(QStringLiteral("tls-vm"), t0());
        QVERIFY(store.value()->insert(request, QStringLiteral("test"), t0().addSecs(10)).ok());
        auto read = store.value()->get(request.id());
        QVERIFY(read.ok() && read.value());
        QCOMPARE(read.value()->spec().name, QStringLiteral("tls-vm"));
        QVERIFY(RequestDatabase::openBreakerLog(location, m_password).ok());
        QVERIFY(RequestDatabase::openFleetBreaker(location, m_password).ok());
    }

    // Pins: a CA that did not sign the server's certificate is refused, naming the certificate and the
    // database; nothing is written.
    void wrongCaIsRefused()
    {
        const QString database = freshName(QStringLiteral("tlsca"));
        QVERIFY(!database.isEmpty());
        verifyRefused(uri(QStringLiteral("localhost"), database, m_server.strangerCaFile()), database);
    }

    // Pins: the right CA but a name the certificate does not carry (the address instead of "localhost")
    // is refused by verify-full.
    void wrongHostIsRefused()
    {
        const QString database = freshName(QStringLiteral("tlshost"));
        QVERIFY(!database.isEmpty());
        verifyRefused(uri(QStringLiteral("127.0.0.1"), database, m_server.caFile()), database);
    }

    // Pins: a database already in use stays as it was when a refused console comes along.
    void refusedLeavesAnExistingQueueAlone()
    {
        const QString database = freshName(QStringLiteral("tlsused"));
        QVERIFY(!database.isEmpty());
        auto store =
            RequestDatabase::openStore(uri(QStringLiteral("localhost"), database, m_server.caFile()), m_password);
        QVERIFY(store.ok());
        QVERIFY(store.value()->insert(makeRequest(QStringLiteral("kept"), t0()), QStringLiteral("test"), t0()).ok());
        auto refused = RequestDatabase::openStore(uri(QStringLiteral("localhost"), database, m_server.strangerCaFile()),
                                                  m_password);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, QStringLiteral("database-certificate"));
        auto all = store.value()->list(RequestFilter{});
        QVERIFY(all.ok());
        QCOMPARE(all.value().size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestPgTls)
#include "TestPgTls.moc"
