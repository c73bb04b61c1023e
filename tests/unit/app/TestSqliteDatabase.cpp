// SqliteDatabase: how the file is opened (WAL, synchronous=FULL, integrity first), how migrations
// step through user_version atomically, how transactions behave against another connection, and how
// SQLite's errors become our codes. A temporary folder per test; nothing sleeps.
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include "StoreTestSupport.h"
#include "app/storage/SqliteDatabase.h"
#include "app/storage/SqliteErrors.h"

using namespace dcm;
using namespace storetest;
using namespace std::chrono_literals;

class TestSqliteDatabase final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;

    static QString tables(const RawConnection& raw)
    {
        return raw
            .scalar(QStringLiteral("SELECT group_concat(name) FROM (SELECT name FROM sqlite_master"
                                   " WHERE type = 'table' ORDER BY name)"))
            .toString();
    }

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_path = m_dir->filePath(QStringLiteral("db.sqlite"));
    }

    void cleanup() { m_dir.reset(); }

    // Pins: a file another tool left in rollback-journal mode is switched to WAL, synchronous is FULL
    // on our connection, and its data is kept.
    void opensInWalWithFullSync()
    {
        {
            RawConnection raw(m_path);
            QCOMPARE(raw.scalar(QStringLiteral("PRAGMA journal_mode=DELETE")).toString(), QStringLiteral("delete"));
            QCOMPARE(raw.exec(QStringLiteral("CREATE TABLE kept (v TEXT)")), QString());
            QCOMPARE(raw.exec(QStringLiteral("INSERT INTO kept VALUES ('x')")), QString());
        }
        auto db = SqliteDatabase::open(m_path, {}, 250ms);
        VERIFY_OK(db);
        QCOMPARE(db.value()->pragma(QStringLiteral("journal_mode")).value().toString(), QStringLiteral("wal"));
        QCOMPARE(db.value()->pragma(QStringLiteral("synchronous")).value().toInt(), 2);
        QCOMPARE(db.value()->pragma(QStringLiteral("busy_timeout")).value().toInt(), 250);
        QCOMPARE(RawConnection(m_path).scalar(QStringLiteral("SELECT v FROM kept")).toString(), QStringLiteral("x"));
        QVERIFY(!db.value()->pragma(QStringLiteral("user_version; DROP TABLE kept")).ok());
    }

    // Pins: steps run in order, each once; user_version records how far a file got, and a later
    // program applies only the steps the file lacks.
    void migrationsRunEachStepOnceInOrder()
    {
        const QList<SqliteDatabase::Migration> two{
            {QStringLiteral("CREATE TABLE log (step INTEGER)"), QStringLiteral("INSERT INTO log VALUES (1)")},
            {QStringLiteral("INSERT INTO log VALUES (2)")},
        };
        {
            auto db = SqliteDatabase::open(m_path, two, 1000ms);
            VERIFY_OK(db);
            QCOMPARE(db.value()->schemaVersion(), 2);
        }
        QList<SqliteDatabase::Migration> three = two;
        three.append({QStringLiteral("INSERT INTO log VALUES (3)")});
        for (int reopen = 0; reopen < 2; ++reopen) {
            auto db = SqliteDatabase::open(m_path, three, 1000ms);
            VERIFY_OK(db);
            QCOMPARE(db.value()->schemaVersion(), 3);
        }
        RawConnection raw(m_path);
        QCOMPARE(raw.scalar(QStringLiteral("SELECT group_concat(step) FROM log")).toString(), QStringLiteral("1,2,3"));
        QCOMPARE(raw.scalar(QStringLiteral("PRAGMA user_version")).toInt(), 3);
    }

    // Pins: the steps a file lacks are applied in one transaction: one failing statement leaves the
    // file at its old version with none of the new tables.
    void aFailingStepRollsBackTheWholeMigration()
    {
        {
            auto db = SqliteDatabase::open(m_path, {{QStringLiteral("CREATE TABLE v1 (x)")}}, 1000ms);
            VERIFY_OK(db);
        }
        const QList<SqliteDatabase::Migration> broken{
            {QStringLiteral("CREATE TABLE v1 (x)")},
            {QStringLiteral("CREATE TABLE v2 (x)")},
            {QStringLiteral("CREATE TABLE v3 (x)"), QStringLiteral("INSERT INTO missing VALUES (1)")},
        };
        auto db = SqliteDatabase::open(m_path, broken, 1000ms);
        QVERIFY(!db.ok());
        QCOMPARE(db.error().code, QStringLiteral("storage"));
        QVERIFY(db.error().message.contains(QLatin1String("migration to version 3")));
        RawConnection raw(m_path);
        QCOMPARE(raw.scalar(QStringLiteral("PRAGMA user_version")).toInt(), 1);
        QCOMPARE(tables(raw), QStringLiteral("v1"));
    }

    // Pins: a file from a newer program is refused, not "migrated" backwards.
    void aNewerSchemaIsRefused()
    {
        {
            RawConnection raw(m_path);
            QCOMPARE(raw.exec(QStringLiteral("PRAGMA user_version=7")), QString());
        }
        auto db = SqliteDatabase::open(m_path, {{QStringLiteral("CREATE TABLE t (x)")}}, 1000ms);
        QVERIFY(!db.ok());
        QCOMPARE(db.error().code, QStringLiteral("database-too-new"));
        RawConnection raw(m_path);
        QCOMPARE(raw.scalar(QStringLiteral("PRAGMA user_version")).toInt(), 7);
        QCOMPARE(tables(raw), QString());
    }

    // Pins: a file that is not a database is refused with "database-damaged" and left byte for byte,
    // with no -wal or -shm created beside it.
    void aDamagedFileIsNotWrittenTo()
    {
        QByteArray bytes(8192, Qt::Uninitialized);
        QRandomGenerator(7).fillRange(reinterpret_cast<quint32*>(bytes.data()), bytes.size() / 4);
        {
            QFile file(m_path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(bytes);
        }
        auto db = SqliteDatabase::open(m_path, {{QStringLiteral("CREATE TABLE t (x)")}}, 100ms);
        QVERIFY(!db.ok());
        QCOMPARE(db.error().code, QStringLiteral("database-damaged"));
        QFile file(m_path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), bytes);
        QVERIFY(!QFile::exists(m_path + QStringLiteral("-wal")));
        QVERIFY(!QFile::exists(m_path + QStringLiteral("-shm")));
    }

    // Pins: setAside moves the file and its -wal/-shm together (a stale -wal left behind would be
    // replayed into the next database at that path) and returns where they went.
    void setAsideMovesTheFileAndItsSidecars()
    {
        for (const QString& suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")}) {
            QFile file(m_path + suffix);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(suffix.toUtf8() + "content");
        }
        auto moved = SqliteDatabase::setAside(m_path);
        VERIFY_OK(moved);
        QVERIFY(moved.value().startsWith(m_path + QStringLiteral(".damaged-")));
        for (const QString& suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")}) {
            QVERIFY(!QFile::exists(m_path + suffix));
            QFile file(moved.value() + suffix);
            QVERIFY(file.open(QIODevice::ReadOnly));
            QCOMPARE(file.readAll(), suffix.toUtf8() + "content");
        }
        QVERIFY(!SqliteDatabase::setAside(m_path).ok());
    }

    // Pins: a write transaction waits for another connection's write lock up to the busy timeout,
    // then fails with "database-locked" without running the work.
    void aHeldWriteLockGivesDatabaseLocked()
    {
        auto db = SqliteDatabase::open(m_path, {{QStringLiteral("CREATE TABLE t (x)")}}, 80ms);
        VERIFY_OK(db);
        RawConnection other(m_path);
        QCOMPARE(other.exec(QStringLiteral("BEGIN IMMEDIATE")), QString());
        bool ran = false;
        QElapsedTimer waited;
        waited.start();
        auto result = db.value()->transaction([&]() -> Result<void> {
            ran = true;
            return {};
        });
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, QStringLiteral("database-locked"));
        QVERIFY(waited.elapsed() >= 70);
        QVERIFY(!ran);
        QCOMPARE(other.exec(QStringLiteral("COMMIT")), QString());
        VERIFY_OK(db.value()->transaction([&]() -> Result<void> {
            ran = true;
            return {};
        }));
        QVERIFY(ran);
    }

    // Pins: work that fails is rolled back; work that succeeds is committed.
    void transactionCommitsOrRollsBack()
    {
        auto db = SqliteDatabase::open(m_path, {{QStringLiteral("CREATE TABLE t (x)")}}, 1000ms);
        VERIFY_OK(db);
        const QSqlDatabase conn = db.value()->database();
        auto failed = db.value()->transaction([&]() -> Result<void> {
            QSqlQuery(conn).exec(QStringLiteral("INSERT INTO t VALUES (1)"));
            return Error::make(ErrorKind::Internal, QStringLiteral("nope"), QStringLiteral("changed my mind"));
        });
        QCOMPARE(failed.error().code, QStringLiteral("nope"));
        VERIFY_OK(db.value()->transaction([&]() -> Result<void> {
            QSqlQuery(conn).exec(QStringLiteral("INSERT INTO t VALUES (2)"));
            return {};
        }));
        QCOMPARE(RawConnection(m_path).scalar(QStringLiteral("SELECT group_concat(x) FROM t")).toString(),
                 QStringLiteral("2"));
    }

    // Pins: a read transaction sees one snapshot even while another connection commits meanwhile.
    void readTransactionSeesOneSnapshot()
    {
        auto db = SqliteDatabase::open(m_path, {{QStringLiteral("CREATE TABLE t (x)")}}, 1000ms);
        VERIFY_OK(db);
        const QSqlDatabase conn = db.value()->database();
        RawConnection other(m_path);
        auto count = [&] {
            QSqlQuery q(conn);
            q.exec(QStringLiteral("SELECT count(*) FROM t"));
            q.next();
            return q.value(0).toInt();
        };
        int before = -1;
        int after = -1;
        VERIFY_OK(db.value()->readTransaction([&]() -> Result<void> {
            before = count();
            other.exec(QStringLiteral("INSERT INTO t VALUES (1)"));
            after = count();
            return {};
        }));
        QCOMPARE(before, 0);
        QCOMPARE(after, 0);
        QCOMPARE(count(), 1);
    }

    void sqlErrorsBecomeOurCodes_data()
    {
        QTest::addColumn<QString>("native");
        QTest::addColumn<QString>("code");
        QTest::newRow("SQLITE_BUSY") << QStringLiteral("5") << QStringLiteral("database-locked");
        QTest::newRow("SQLITE_BUSY_SNAPSHOT (extended)") << QStringLiteral("517") << QStringLiteral("database-locked");
        QTest::newRow("SQLITE_LOCKED") << QStringLiteral("6") << QStringLiteral("database-locked");
        QTest::newRow("SQLITE_CORRUPT") << QStringLiteral("11") << QStringLiteral("database-damaged");
        QTest::newRow("SQLITE_CORRUPT_INDEX (extended)") << QStringLiteral("779") << QStringLiteral("database-damaged");
        QTest::newRow("SQLITE_NOTADB") << QStringLiteral("26") << QStringLiteral("database-damaged");
        QTest::newRow("SQLITE_CONSTRAINT_UNIQUE") << QStringLiteral("2067") << QStringLiteral("storage");
        QTest::newRow("no native code (Qt's own)") << QString() << QStringLiteral("storage");
        QTest::newRow("SQLITE_FULL") << QStringLiteral("13") << QStringLiteral("disk-full");
        // An I/O error is a full disk only when the disk says so: this one has room (the tmpfs tests
        // check a full one).
        QTest::newRow("SQLITE_IOERR_SHMSIZE, room on the disk") << QStringLiteral("4874") << QStringLiteral("storage");
        QTest::newRow("SQLITE_IOERR_WRITE, room on the disk") << QStringLiteral("778") << QStringLiteral("storage");
        QTest::newRow("SQLITE_CANTOPEN, room on the disk") << QStringLiteral("14") << QStringLiteral("storage");
    }

    // Pins: the mapping from SQLite's (extended) result codes to the store's error codes, with and
    // without a database to name; the SQLite code is kept in the details.
    void sqlErrorsBecomeOurCodes()
    {
        QFETCH(QString, native);
        QFETCH(QString, code);
        const QSqlError sqlError(QStringLiteral("driver"), QStringLiteral("db"), QSqlError::StatementError, native);
        const Error error = SqliteErrors::fromSql(QStringLiteral("test"), sqlError);
        QCOMPARE(error.code, code);
        QCOMPARE(toString(error.kind), toString(ErrorKind::Storage));
        const Error named = SqliteErrors::fromSql(QStringLiteral("test"), sqlError, m_path);
        QCOMPARE(named.code, code);
        QCOMPARE(named.details.value(QStringLiteral("path")).toString(), m_path);
        QVERIFY2(named.message.contains(m_path), qPrintable(named.message));
        if (!native.isEmpty()) {
            QCOMPARE(named.details.value(QStringLiteral("sqliteCode")).toInt(), native.toInt());
        }
    }

    // Pins the operator's sentence for a full disk, with the number of requests that stay stored.
    void diskFullSaysHowManyRequestsAreSafe()
    {
        const Error many = SqliteErrors::diskFull(QStringLiteral("/data/requests.db"), 42);
        QVERIFY(many.is(ErrorCode::DiskFull));
        QCOMPARE(toString(many.kind), toString(ErrorKind::Storage));
        QCOMPARE(many.message, QStringLiteral("the disk holding /data/requests.db is full: 42 requests are safe; free "
                                              "space to continue"));
        QCOMPARE(many.details.value(QStringLiteral("safeRequests")).toLongLong(), 42);
        QCOMPARE(SqliteErrors::diskFull(QStringLiteral("/d/r.db"), 1).message,
                 QStringLiteral("the disk holding /d/r.db is full: 1 request is safe; free space to continue"));
        const Error uncounted = SqliteErrors::diskFull(QStringLiteral("/d/r.db"), std::nullopt);
        QCOMPARE(uncounted.message, QStringLiteral("the disk holding /d/r.db is full: every request already stored "
                                                   "is safe; free space to continue"));
        QVERIFY(!uncounted.details.contains(QStringLiteral("safeRequests")));
    }
};

QTEST_GUILESS_MAIN(TestSqliteDatabase)
#include "TestSqliteDatabase.moc"
