// SqliteBreakerLog: the breaker's transitions on the request database, through a connection of its own:
// what is recorded and read back (by any service on the file), the one JSON encoding the snapshots are
// kept in, and how a stored transition that cannot be read is reported. A temporary folder per test.
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include "DomainQCompare.h"
#include "StoreTestSupport.h"
#include "app/storage/SqliteBreakerLog.h"
#include "app/storage/SqliteDatabase.h"
#include "app/storage/SqliteRequestSchema.h"
#include "app/storage/SqliteRequestStore.h"
#include "domain/BreakerSnapshotJson.h"

using namespace dcm;
using namespace storetest;
using namespace std::chrono_literals;

class TestSqliteBreakerLog final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    std::unique_ptr<SqliteBreakerLog> m_log;

    static std::unique_ptr<SqliteBreakerLog> openAt(const QString& path)
    {
        auto opened = SqliteBreakerLog::open(path);
        if (!opened) {
            qWarning("open %s: %s", qPrintable(path), qPrintable(opened.error().message));
            return nullptr;
        }
        return std::move(opened).value();
    }

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_path = m_dir->filePath(QStringLiteral("requests.db"));
        m_log = openAt(m_path);
        QVERIFY(m_log);
    }

    void cleanup()
    {
        m_log.reset();
        m_dir.reset();
    }

    // Pins: breaker transitions are kept with the snapshot and owner; the last one is what any
    // service on the database reads back; the history is newest first and limited on request.
    void breakerTransitionsAreRecorded()
    {
        auto none = m_log->lastBreakerState();
        VERIFY_OK(none);
        QVERIFY(!none.value().has_value());

        const BreakerTransition opened{t0().addSecs(100), BreakerState::Closed, BreakerState::Open,
                                       QStringLiteral("5 consecutive failures")};
        const BreakerTransition probing{t0().addSecs(130), BreakerState::Open, BreakerState::HalfOpen,
                                        QStringLiteral("cooldown over")};
        const BreakerTransition reopened{t0().addSecs(131).addMSecs(5), BreakerState::HalfOpen, BreakerState::Open,
                                         QStringLiteral("scout timed out after 10 s")};
        VERIFY_OK(m_log->appendBreakerEvent(opened, sampleSnapshot(BreakerState::Open, 5), QStringLiteral("svc-1")));
        VERIFY_OK(
            m_log->appendBreakerEvent(probing, sampleSnapshot(BreakerState::HalfOpen, 5), QStringLiteral("svc-1")));

        auto other = openAt(m_path);
        QVERIFY(other);
        BreakerSnapshot last = sampleSnapshot(BreakerState::Open, 6);
        last.lastError.reset();
        last.lastSuccessAt = QDateTime();
        VERIFY_OK(other->appendBreakerEvent(reopened, last, QStringLiteral("svc-2")));

        auto record = m_log->lastBreakerState();
        VERIFY_OK(record);
        QVERIFY(record.value().has_value());
        QVERIFY(record.value()->transition == reopened);
        QVERIFY(record.value()->snapshot == last);
        QCOMPARE(record.value()->owner, QStringLiteral("svc-2"));

        auto full = sampleSnapshot(BreakerState::Open, 5);
        VERIFY_OK(m_log->appendBreakerEvent(opened, full, QStringLiteral("svc-1")));
        record = m_log->lastBreakerState();
        VERIFY_OK(record);
        QVERIFY(record.value()->snapshot == full);

        auto two = m_log->breakerHistory(2);
        VERIFY_OK(two);
        QCOMPARE(two.value().size(), 2);
        QVERIFY(two.value().at(0) == opened);
        QVERIFY(two.value().at(1) == reopened);
        auto all = m_log->breakerHistory(0);
        VERIFY_OK(all);
        QCOMPARE(all.value().size(), 4);
        QVERIFY(all.value().at(3) == opened);
        QVERIFY(all.value().at(2) == probing);
    }

    // Pins: the snapshot column holds BreakerSnapshotJson's document, byte for byte what the domain
    // writes (one encoding for the store and `dcmctl breaker`).
    void snapshotsAreKeptInTheDomainEncoding()
    {
        const BreakerSnapshot s = sampleSnapshot(BreakerState::ForcedOpen, 0);
        VERIFY_OK(m_log->appendBreakerEvent({t0(), BreakerState::Closed, BreakerState::ForcedOpen, QStringLiteral("m")},
                                            s, QStringLiteral("admin")));
        const QJsonObject stored =
            QJsonDocument::fromJson(
                RawConnection(m_path).scalar(QStringLiteral("SELECT snapshot FROM breaker_events")).toString().toUtf8())
                .object();
        QCOMPARE(stored, BreakerSnapshotJson::toJson(s));
    }

    // Pins: the log and the queue are one file on two connections, opened in either order: the first
    // creates and migrates it, the second finds it ready; each writes on its own.
    void theLogAndTheQueueShareOneFile()
    {
        QCOMPARE(m_log->database().schemaVersion(), int(SqliteRequestSchema::steps().size()));
        auto store = SqliteRequestStore::open(m_path);
        VERIFY_OK(store);
        VERIFY_OK(store.value()->insert(makeRequest(QStringLiteral("q"), t0()), {}, {}));
        VERIFY_OK(m_log->appendBreakerEvent({t0(), BreakerState::Closed, BreakerState::Open, QStringLiteral("x")},
                                            sampleSnapshot(BreakerState::Open, 5), QStringLiteral("svc")));
        QVERIFY(m_log->database().database().connectionName() != store.value()->database().database().connectionName());
        auto listed = store.value()->list({});
        VERIFY_OK(listed);
        QCOMPARE(names(listed.value()), QStringList{QStringLiteral("q")});
        auto history = m_log->breakerHistory(0);
        VERIFY_OK(history);
        QCOMPARE(history.value().size(), 1);
    }

    void anUnreadableTransitionIsReported_data()
    {
        QTest::addColumn<QString>("toState");
        QTest::addColumn<QString>("snapshot");
        QTest::addColumn<QString>("why");
        QTest::newRow("not JSON") << QStringLiteral("OPEN") << QStringLiteral("{\"state\":") << QStringLiteral("");
        QTest::newRow("unknown key (strict)")
            << QStringLiteral("OPEN") << QStringLiteral("{\"state\":\"OPEN\",\"threshold\":5}")
            << QStringLiteral("threshold: unknown field");
        QTest::newRow("unknown state") << QStringLiteral("AJAR") << QStringLiteral("{\"state\":\"OPEN\"}")
                                       << QStringLiteral("unknown breaker state");
    }

    // Pins: a stored transition that cannot be read back is "corrupt-breaker-event", saying why,
    // rather than a made-up breaker state.
    void anUnreadableTransitionIsReported()
    {
        QFETCH(QString, toState);
        QFETCH(QString, snapshot);
        QFETCH(QString, why);
        QCOMPARE(RawConnection(m_path).exec(QStringLiteral("INSERT INTO breaker_events (at, from_state, to_state,"
                                                           " snapshot) VALUES (?, 'CLOSED', ?, ?)"),
                                            {t0().toMSecsSinceEpoch(), toState, snapshot}),
                 QString());
        auto last = m_log->lastBreakerState();
        VERIFY_ERROR(last, "corrupt-breaker-event");
        QVERIFY2(last.error().message.startsWith(QStringLiteral("A stored breaker transition is unreadable: ")),
                 qPrintable(last.error().message));
        QVERIFY2(last.error().message.contains(why), qPrintable(last.error().message));
    }
};

QTEST_GUILESS_MAIN(TestSqliteBreakerLog)
#include "TestSqliteBreakerLog.moc"
