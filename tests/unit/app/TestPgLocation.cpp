// A team database's URI as --db/DCM_DB gives it: what is accepted, how it is taken apart for QPSQL,
// what is refused (a password anywhere in it, unknown options, a bad sslmode), and how it is shown.
#include <QTest>

#include "app/storage/PgLocation.h"
#include "app/storage/RequestDatabase.h"

using namespace dcm;

class TestPgLocation final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void hostPortDatabaseUserAndTls()
    {
        auto where = PgLocation::parse(QStringLiteral(
            "postgresql://dcm_drainer@db.example.org:6432/dcm?sslmode=verify-full&sslrootcert=/etc/ca.pem"));
        QVERIFY2(where.ok(), where.ok() ? "" : qPrintable(where.error().message));
        QCOMPARE(where.value().host, QStringLiteral("db.example.org"));
        QCOMPARE(where.value().port, 6432);
        QCOMPARE(where.value().database, QStringLiteral("dcm"));
        QCOMPARE(where.value().user, QStringLiteral("dcm_drainer"));
        QCOMPARE(where.value().sslmode, QStringLiteral("verify-full"));
        QVERIFY(where.value().connectOptions.contains(QStringLiteral("sslmode='verify-full'")));
        QVERIFY(where.value().connectOptions.contains(QStringLiteral("sslrootcert='/etc/ca.pem'")));
        QVERIFY(where.value().connectOptions.contains(QStringLiteral("connect_timeout=5")));
        QCOMPARE(where.value().display(),
                 QStringLiteral("postgresql://dcm_drainer@db.example.org:6432/dcm?sslmode=verify-full"));
    }

    void aSocketFolder()
    {
        auto where = PgLocation::parse(QStringLiteral("postgresql:///dcm?host=/run/postgresql&port=5433"));
        QVERIFY(where.ok());
        QCOMPARE(where.value().host, QStringLiteral("/run/postgresql"));
        QCOMPARE(where.value().port, 5433);
        QVERIFY(where.value().user.isEmpty());
        QCOMPARE(where.value().display(), QStringLiteral("postgresql:///dcm?host=/run/postgresql&port=5433"));
    }

    void refused_data()
    {
        QTest::addColumn<QString>("uri");
        QTest::addColumn<QString>("says");
        QTest::newRow("password in the user part")
            << QStringLiteral("postgresql://u:s3cret@db/dcm") << QStringLiteral("password");
        QTest::newRow("password as an option")
            << QStringLiteral("postgresql://u@db/dcm?password=s3cret") << QStringLiteral("password");
        QTest::newRow("no database") << QStringLiteral("postgresql://db/") << QStringLiteral("names no database");
        QTest::newRow("unknown option") << QStringLiteral("postgresql://db/dcm?sslmod=require")
                                        << QStringLiteral("unknown option \"sslmod\"");
        QTest::newRow("bad sslmode") << QStringLiteral("postgresql://db/dcm?sslmode=yes")
                                     << QStringLiteral("sslmode \"yes\"");
        QTest::newRow("bad port") << QStringLiteral("postgresql:///dcm?host=/tmp&port=99999")
                                  << QStringLiteral("port \"99999\"");
        QTest::newRow("option smuggling")
            << QStringLiteral("postgresql://db/dcm?application_name=a'%20sslmode='disable")
            << QStringLiteral("may not contain");
    }

    // Pins: each is refused with InvalidInput "invalid-database" naming what is wrong, and the message
    // never repeats a password.
    void refused()
    {
        QFETCH(QString, uri);
        QFETCH(QString, says);
        auto where = PgLocation::parse(uri);
        QVERIFY(!where.ok());
        QCOMPARE(where.error().code, QStringLiteral("invalid-database"));
        QVERIFY2(where.error().message.contains(says), qPrintable(where.error().message));
        QVERIFY(!where.error().message.contains(QStringLiteral("s3cret")));
        QVERIFY(!RequestDatabase::check(uri).ok());
    }

    void aPathIsSqlite()
    {
        QVERIFY(!RequestDatabase::isTeamDatabase(QStringLiteral("/var/lib/dcm/requests.sqlite")));
        QVERIFY(RequestDatabase::check(QStringLiteral("requests.sqlite")).ok());
        QCOMPARE(RequestDatabase::display(QStringLiteral("/tmp/x.db")), QStringLiteral("/tmp/x.db"));
        QVERIFY(RequestDatabase::isTeamDatabase(QStringLiteral("postgres://db/dcm")));
    }
};

QTEST_GUILESS_MAIN(TestPgLocation)
#include "TestPgLocation.moc"
