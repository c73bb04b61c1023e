// SqliteRequestStore's own behaviour, on a real SQLite file in a temporary folder: what only SQLite has
// — the WAL and commits a dead process left in it, the file's append-only triggers, the pragmas in force,
// the busy timeout, a damaged file, each schema step, the files' modes and opening errors, and
// quarantined rows as the file records them. The port's behaviour is RequestStoreContract's
// (test_request_store_contract_sqlite). Nothing sleeps; the only wait is SQLite's own busy timeout
// (100 ms) in the locking test.
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

#include "DomainQCompare.h"
#include "StoreTestSupport.h"
#include "app/storage/SqliteBreakerLog.h"
#include "app/storage/SqliteDatabase.h"
#include "app/storage/SqliteRequestSchema.h"
#include "app/storage/SqliteRequestStore.h"
#include "domain/RequestEventText.h"

using namespace dcm;
using namespace storetest;
using namespace std::chrono_literals;

namespace {

// The permission bits of a file or folder (as `ls -l` shows them).
int modeOf(const QString& path)
{
    struct stat st = {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0) {
        return -1;
    }
    return int(st.st_mode & 0777);
}

} // namespace

class TestSqliteRequestStore final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    std::unique_ptr<SqliteRequestStore> m_store;

    static std::unique_ptr<SqliteRequestStore> openAt(const QString& path, std::chrono::milliseconds busy = 5000ms)
    {
        auto opened = SqliteRequestStore::open(path, busy);
        if (!opened) {
            qWarning("open %s: %s", qPrintable(path), qPrintable(opened.error().message));
            return nullptr;
        }
        return std::move(opened).value();
    }

    // A real database of `count` requests, closed (checkpointed into the main file).
    void makeRealDatabase(const QString& path, int count)
    {
        auto store = openAt(path);
        QVERIFY(store);
        // Set-up only, for speed: nothing here tests durability.
        QVERIFY(QSqlQuery(store->database().database()).exec(QStringLiteral("PRAGMA synchronous=OFF")));
        for (int i = 0; i < count; ++i) {
            VERIFY_OK(store->insert(eventfulRequest(), {}, {}));
        }
    }

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_path = m_dir->filePath(QStringLiteral("requests.db"));
        m_store = openAt(m_path);
        QVERIFY(m_store);
    }

    void cleanup()
    {
        m_store.reset();
        m_dir.reset();
    }

    // Pins: update writes one history row per new event, numbered on from what is stored (the port's
    // side of this is RequestStoreContract::updateAppendsOnlyTheNewEvents).
    void updateWritesOneHistoryRowPerNewEvent()
    {
        ProvisioningRequest request = makeRequest(QStringLiteral("grow"), t0());
        VERIFY_OK(m_store->insert(request, {}, {}));
        QVERIFY(request.transitionTo(RequestState::Provisioning, QStringLiteral("go"), t0().addSecs(1)).ok());
        VERIFY_OK(m_store->update(request, RequestState::Submitted));
        QVERIFY(request
                    .transitionTo(RequestState::QueuedForProvisioning, QStringLiteral("transient"), t0().addSecs(2),
                                  Error::make(ErrorKind::Transient, QStringLiteral("timeout"), QStringLiteral("t")))
                    .ok());
        QVERIFY(request.transitionTo(RequestState::Provisioning, QStringLiteral("due"), t0().addSecs(3)).ok());
        VERIFY_OK(m_store->update(request, RequestState::Provisioning));

        RawConnection observer(m_path);
        QCOMPARE(observer
                     .scalar(QStringLiteral("SELECT group_concat(seq) FROM (SELECT seq FROM request_events"
                                            " WHERE request_id = ? ORDER BY seq)"),
                             {request.id().toString(QUuid::WithoutBraces)})
                     .toString(),
                 QStringLiteral("0,1,2"));
    }

    // Pins: a step the service takes is stored as its code and arguments, not as a sentence (the
    // sentence is made in the reader's language), and reads back the same.
    void aCodedStepIsStoredAsItsCodeAndArguments()
    {
        ProvisioningRequest request = makeRequest(QStringLiteral("coded"), t0());
        VERIFY_OK(m_store->insert(request, {}, {}));
        QVERIFY(request
                    .transitionTo(RequestState::Provisioning, RequestEventText::reason(RequestEventText::kSent),
                                  t0().addSecs(1))
                    .ok());
        QVERIFY(request
                    .transitionTo(RequestState::Provisioned,
                                  RequestEventText::reason(RequestEventText::kCreated, {QStringLiteral("vm-7")}),
                                  t0().addSecs(2))
                    .ok());
        VERIFY_OK(m_store->update(request, RequestState::Submitted));

        RawConnection observer(m_path);
        const QVariantList id{request.id().toString(QUuid::WithoutBraces)};
        QCOMPARE(observer
                     .scalar(QStringLiteral("SELECT reason_code || ' ' || reason_args || ' ' || (reason IS NULL)"
                                            " FROM request_events WHERE request_id = ? AND seq = 1"),
                             id)
                     .toString(),
                 QStringLiteral("created [\"vm-7\"] 1"));
        auto back = m_store->get(request.id());
        VERIFY_OK(back);
        QCOMPARE(back.value()->history(), request.history());
        QCOMPARE(RequestEventText::describe(back.value()->history().last()), QStringLiteral("created vm-7"));
    }

    // Pins: a file left by a process that died with commits still in the -wal (no checkpoint) opens
    // with every committed request: the integrity check reads through the WAL, it does not reject it.
    void commitsLeftInTheWalByADeadProcessAreKept()
    {
        const auto first = makeRequest(QStringLiteral("first"), t0());
        const auto second = makeRequest(QStringLiteral("second"), t0().addSecs(1), {RequestState::Cancelled});
        VERIFY_OK(m_store->insert(first, {}, {}));
        VERIFY_OK(m_store->insert(second, QStringLiteral("console"), t0().addSecs(30)));
        QVERIFY(QFileInfo(m_path + QStringLiteral("-wal")).size() > 0);
        // What a kill -9 leaves: the database file and its -wal, as they are while the store is open.
        const QString crashed = m_dir->filePath(QStringLiteral("crashed.db"));
        QVERIFY(QFile::copy(m_path, crashed));
        QVERIFY(QFile::copy(m_path + QStringLiteral("-wal"), crashed + QStringLiteral("-wal")));

        auto recovered = openAt(crashed);
        QVERIFY(recovered);
        auto listed = recovered->list({});
        VERIFY_OK(listed);
        QCOMPARE(listed.value().size(), 2);
        QVERIFY(listed.value().at(0) == second);
        QVERIFY(listed.value().at(1) == first);
    }

    // Pins: "rows are never deleted" and the history is append-only, as rules of the file itself.
    void historyAndRequestsCannotBeDeletedOrRewritten()
    {
        const ProvisioningRequest request = makeRequest(QStringLiteral("kept"), t0(), {RequestState::Cancelled});
        VERIFY_OK(m_store->insert(request, {}, {}));
        auto log = SqliteBreakerLog::open(m_path);
        VERIFY_OK(log);
        VERIFY_OK(log.value()->appendBreakerEvent({t0(), BreakerState::Closed, BreakerState::Open, QStringLiteral("x")},
                                                  sampleSnapshot(BreakerState::Open, 5), QStringLiteral("svc")));
        RawConnection raw(m_path);
        QVERIFY(!raw.exec(QStringLiteral("DELETE FROM request_events")).isEmpty());
        QVERIFY(!raw.exec(QStringLiteral("UPDATE request_events SET reason = 'rewritten'")).isEmpty());
        QVERIFY(!raw.exec(QStringLiteral("DELETE FROM requests")).isEmpty());
        QVERIFY(!raw.exec(QStringLiteral("DELETE FROM breaker_events")).isEmpty());
        QVERIFY(!raw.exec(QStringLiteral("UPDATE breaker_events SET reason = 'rewritten'")).isEmpty());
        auto got = m_store->get(request.id());
        VERIFY_OK(got);
        QVERIFY(*got.value() == request);
        QCOMPARE(raw.scalar(QStringLiteral("SELECT count(*) FROM breaker_events")).toInt(), 1);
    }

    // Pins: what is in force on the store's own connection, read back: WAL, synchronous=FULL (2), the
    // configured busy timeout, foreign keys, the latest schema version, and the bounded WAL
    // (checkpointed every 1000 pages, cut back to 4 MiB after a checkpoint).
    void walAndFullSyncAreInForce()
    {
        m_store.reset();
        auto store = openAt(m_path, 1234ms);
        QVERIFY(store);
        SqliteDatabase& db = store->database();
        QCOMPARE(db.pragma(QStringLiteral("journal_mode")).value().toString(), QStringLiteral("wal"));
        QCOMPARE(db.pragma(QStringLiteral("synchronous")).value().toInt(), 2);
        QCOMPARE(db.pragma(QStringLiteral("busy_timeout")).value().toInt(), 1234);
        QCOMPARE(db.pragma(QStringLiteral("foreign_keys")).value().toInt(), 1);
        QCOMPARE(db.pragma(QStringLiteral("user_version")).value().toInt(), int(SqliteRequestSchema::steps().size()));
        QCOMPARE(db.pragma(QStringLiteral("wal_autocheckpoint")).value().toInt(), 1000);
        QCOMPARE(db.pragma(QStringLiteral("journal_size_limit")).value().toLongLong(), 4 * 1024 * 1024);
    }

    // Pins: a relaxed settling write leaves the connection at synchronous=FULL (2) again — it is NORMAL
    // (1) only for that one commit — and so does one that lost its compare-and-set.
    void aRelaxedWriteSetsFullSyncBack()
    {
        ProvisioningRequest request = makeRequest(QStringLiteral("relaxed"), t0(), {RequestState::Provisioning});
        VERIFY_OK(m_store->insert(request, QStringLiteral("A"), t0().addSecs(60)));
        QVERIFY(request.transitionTo(RequestState::Provisioned, QStringLiteral("created"), t0().addSecs(2)).ok());
        VERIFY_OK(
            m_store->updateAndRelease(request, RequestState::Provisioning, QStringLiteral("A"), Durability::Relaxed));
        QCOMPARE(m_store->database().pragma(QStringLiteral("synchronous")).value().toInt(), 2);
        VERIFY_ERROR(
            m_store->updateAndRelease(request, RequestState::Provisioning, QStringLiteral("A"), Durability::Relaxed),
            "conflict");
        QCOMPARE(m_store->database().pragma(QStringLiteral("synchronous")).value().toInt(), 2);
    }

    // Pins: another process holding the write lock makes a write wait for the busy timeout and then
    // fail with "database-locked" — nothing half-written, readers unaffected — and the same write
    // succeeds once the lock is released.
    void lockedDatabaseFailsClearlyAfterTheBusyTimeoutThenRecovers()
    {
        m_store.reset();
        auto store = openAt(m_path, 100ms);
        QVERIFY(store);
        const auto request = makeRequest(QStringLiteral("blocked"), t0());
        VERIFY_OK(store->insert(makeRequest(QStringLiteral("before"), t0()), {}, {}));

        RawConnection other(m_path);
        QCOMPARE(other.exec(QStringLiteral("BEGIN IMMEDIATE")), QString());
        QElapsedTimer waited;
        waited.start();
        VERIFY_ERROR(store->insert(request, {}, {}), "database-locked");
        QVERIFY2(waited.elapsed() >= 90, "the write gave up before the busy timeout");
        VERIFY_ERROR(store->claimNext(QStringLiteral("d"), t0().addSecs(10), t0(), 1), "database-locked");
        auto listed = store->list({});
        VERIFY_OK(listed);
        QCOMPARE(names(listed.value()), QStringList{QStringLiteral("before")});

        QCOMPARE(other.exec(QStringLiteral("ROLLBACK")), QString());
        VERIFY_OK(store->insert(request, {}, {}));
        auto got = store->get(request.id());
        VERIFY_OK(got);
        QVERIFY(got.value().has_value());
    }

    void damagedFileIsReportedAndKept_data()
    {
        QTest::addColumn<QString>("damage");
        QTest::newRow("random bytes") << QStringLiteral("random");
        QTest::newRow("truncated real database") << QStringLiteral("truncate");
        QTest::newRow("garbled page in a real database") << QStringLiteral("garble");
    }

    // Pins: a damaged file is refused with "database-damaged", byte for byte as it was; once set
    // aside, a fresh database opens in its place.
    void damagedFileIsReportedAndKept()
    {
        QFETCH(QString, damage);
        const QString path = m_dir->filePath(QStringLiteral("damaged.db"));
        QRandomGenerator random(42);
        if (damage == QLatin1String("random")) {
            QByteArray bytes(64 * 1024, Qt::Uninitialized);
            random.fillRange(reinterpret_cast<quint32*>(bytes.data()), bytes.size() / 4);
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(bytes);
        } else {
            makeRealDatabase(path, 60);
            if (QTest::currentTestFailed()) {
                return;
            }
            QVERIFY(!QFile::exists(path + QStringLiteral("-wal")));
            QFile file(path);
            QVERIFY(file.open(QIODevice::ReadWrite));
            const qint64 size = file.size();
            QVERIFY2(size >= 16 * 4096, "the sample database is too small to damage convincingly");
            if (damage == QLatin1String("truncate")) {
                QVERIFY(file.resize(size / 2));
            } else {
                QByteArray garbage(4096, Qt::Uninitialized);
                random.fillRange(reinterpret_cast<quint32*>(garbage.data()), garbage.size() / 4);
                QVERIFY(file.seek(3 * 4096));
                file.write(garbage);
            }
        }
        const QByteArray before = sha256(path);
        QVERIFY(!before.isEmpty());

        auto opened = SqliteRequestStore::open(path, 100ms);
        VERIFY_ERROR(opened, "database-damaged");
        QCOMPARE(opened.error().details.value(QStringLiteral("path")).toString(), QFileInfo(path).absoluteFilePath());
        QCOMPARE(sha256(path), before);

        auto aside = SqliteDatabase::setAside(path);
        VERIFY_OK(aside);
        QCOMPARE(sha256(aside.value()), before);
        auto fresh = openAt(path);
        QVERIFY(fresh);
        auto listed = fresh->list({});
        VERIFY_OK(listed);
        QVERIFY(listed.value().isEmpty());
    }

    // Pins: step 1 on an empty file creates the request tables (and nothing of step 2).
    void schemaStep1CreatesTheRequestTables()
    {
        const QString path = m_dir->filePath(QStringLiteral("v1.db"));
        auto db = SqliteDatabase::open(path, SqliteRequestSchema::steps().mid(0, 1), 1000ms);
        VERIFY_OK(db);
        QCOMPARE(db.value()->schemaVersion(), 1);
        QCOMPARE(db.value()->pragma(QStringLiteral("user_version")).value().toInt(), 1);
        RawConnection raw(path);
        const QString tables = QStringLiteral("SELECT group_concat(name) FROM (SELECT name FROM sqlite_master"
                                              " WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name)");
        QCOMPARE(raw.scalar(tables).toString(), QStringLiteral("request_events,requests"));
    }

    // Pins: step 2 migrates a version-1 database in place: its requests survive intact, the
    // indexes and the breaker table appear, user_version becomes 2 (and the store takes it on to the
    // latest version).
    void schemaStep2MigratesAVersion1Database()
    {
        const QString path = m_dir->filePath(QStringLiteral("v1-with-data.db"));
        ProvisioningRequest legacy = makeRequest(QStringLiteral("legacy"), t0(),
                                                 {RequestState::QueuedForProvisioning, RequestState::Provisioning});
        legacy.setTaskRef(QStringLiteral("task-7"));
        {
            auto db = SqliteDatabase::open(path, SqliteRequestSchema::steps().mid(0, 1), 1000ms);
            VERIFY_OK(db);
            RawConnection raw(path);
            const QString id = legacy.id().toString(QUuid::WithoutBraces);
            QCOMPARE(
                raw.exec(QStringLiteral("INSERT INTO requests (id, name, name_key, state, attempts, created_at,"
                                        " updated_at, task_ref, spec) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                         {id, QStringLiteral("legacy"), QStringLiteral("legacy"), QStringLiteral("PROVISIONING"), 1,
                          t0().toMSecsSinceEpoch(), legacy.updatedAt().toMSecsSinceEpoch(), QStringLiteral("task-7"),
                          QString::fromUtf8(QJsonDocument(legacy.spec().toJson()).toJson())}),
                QString());
            for (qsizetype i = 0; i < legacy.history().size(); ++i) {
                const RequestEvent& e = legacy.history()[i];
                QCOMPARE(raw.exec(QStringLiteral("INSERT INTO request_events (request_id, seq, at, from_state,"
                                                 " to_state, reason, attempts) VALUES (?, ?, ?, ?, ?, ?, ?)"),
                                  {id, qint64(i), e.at.toMSecsSinceEpoch(), toString(e.from), toString(e.to), e.reason,
                                   e.attempts}),
                         QString());
            }
        }

        {
            auto v2 = SqliteDatabase::open(path, SqliteRequestSchema::steps().mid(0, 2), 1000ms);
            VERIFY_OK(v2);
            QCOMPARE(v2.value()->schemaVersion(), 2);
            QCOMPARE(v2.value()->pragma(QStringLiteral("user_version")).value().toInt(), 2);
        }
        auto store = openAt(path);
        QVERIFY(store);
        QCOMPARE(store->database().schemaVersion(), int(SqliteRequestSchema::steps().size()));
        auto got = store->get(legacy.id());
        VERIFY_OK(got);
        QVERIFY(got.value().has_value());
        QCOMPARE(jsonText(*got.value()), jsonText(legacy));
        QVERIFY(*got.value() == legacy);

        RawConnection raw(path);
        const QString indexes = QStringLiteral("SELECT group_concat(name) FROM (SELECT name FROM sqlite_master"
                                               " WHERE type = 'index' AND name LIKE 'requests_%' ORDER BY name)");
        QCOMPARE(raw.scalar(indexes).toString(),
                 QStringLiteral("requests_batch,requests_claim,requests_created,requests_state_created,requests_target,"
                                "requests_updated"));
        auto log = SqliteBreakerLog::open(path);
        VERIFY_OK(log);
        VERIFY_OK(
            log.value()->appendBreakerEvent({t0(), BreakerState::Closed, BreakerState::ForcedOpen, QStringLiteral("m")},
                                            sampleSnapshot(BreakerState::ForcedOpen, 0), QStringLiteral("admin")));
        auto claimed = store->takeOverExpired(QStringLiteral("s"), t0().addSecs(60), t0());
        VERIFY_OK(claimed);
        QCOMPARE(names(claimed.value()), QStringList{QStringLiteral("legacy")});
    }

    // Pins: step 5 adds a clone's columns to a version-4 database in place: a request stored before it,
    // its spec with the single "network" of those days, reads as a blank VM with that one NIC, single
    // (no batch), with nothing reported by a guest and no clone step; the new fields then round-trip.
    void schemaStep5ReadsOlderRequestsAsBlankSingleVms()
    {
        const QString path = m_dir->filePath(QStringLiteral("v4-with-data.db"));
        const QUuid id = QUuid::createUuid();
        QJsonObject oldSpec = sampleSpec(QStringLiteral("old-01")).toJson();
        oldSpec.remove(QStringLiteral("nics"));
        oldSpec.remove(QStringLiteral("templateName"));
        oldSpec.remove(QStringLiteral("cloneDiskFormat"));
        oldSpec.remove(QStringLiteral("customization"));
        oldSpec.insert(QStringLiteral("network"), QStringLiteral("VM Network"));
        {
            auto db = SqliteDatabase::open(path, SqliteRequestSchema::steps().mid(0, 4), 1000ms);
            VERIFY_OK(db);
            QCOMPARE(db.value()->schemaVersion(), 4);
            RawConnection raw(path);
            QCOMPARE(raw.exec(QStringLiteral("INSERT INTO requests (id, name, name_key, state, attempts, created_at,"
                                             " updated_at, spec, requested_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                              {id.toString(QUuid::WithoutBraces), QStringLiteral("old-01"), QStringLiteral("old-01"),
                               QStringLiteral("SUBMITTED"), 0, t0().toMSecsSinceEpoch(), t0().toMSecsSinceEpoch(),
                               QString::fromUtf8(QJsonDocument(oldSpec).toJson()), QStringLiteral("ops@host")}),
                     QString());
        }
        auto store = openAt(path);
        QVERIFY(store);
        // On through version 6 (operations): a row written before is a provisioning request.
        QCOMPARE(store->database().schemaVersion(), int(SqliteRequestSchema::steps().size()));
        auto got = store->get(id);
        VERIFY_OK(got);
        QVERIFY(got.value().has_value());
        QVERIFY(got.value()->kind() == RequestKind::Provision);
        QVERIFY(got.value()->target().isNull());
        QVERIFY(!got.value()->decommissionedAt().isValid());
        const ProvisioningRequest old = *got.value();
        QVERIFY(!old.spec().isClone());
        QCOMPARE(old.spec().nics, (QList<NicSpec>{NicSpec{QStringLiteral("VM Network")}}));
        QVERIFY(old.spec().customization.isNone());
        QVERIFY(old.batchId().isNull());
        QVERIFY(old.guestHostName().isEmpty());
        QVERIFY(old.ipAddress().isEmpty());
        QCOMPARE(int(old.provisionStep()), int(ProvisionStep::None));

        ProvisioningRequest moved = old;
        const QUuid batch = QUuid::createUuid();
        moved.setBatchId(batch);
        moved.setProvisionStep(ProvisionStep::Customized);
        moved.setGuestHostName(QStringLiteral("old01.example.com"));
        moved.setIpAddress(QStringLiteral("10.0.0.11"));
        QVERIFY(moved.transitionTo(RequestState::Provisioning, QStringLiteral("sent"), t0().addSecs(1)).ok());
        VERIFY_OK(store->update(moved, RequestState::Submitted));
        auto again = openAt(path)->get(id);
        VERIFY_OK(again);
        QVERIFY(*again.value() == moved);
        RawConnection raw(path);
        QCOMPARE(raw.scalar(QStringLiteral("SELECT provision_step FROM requests")).toString(),
                 QStringLiteral("customized"));
        QCOMPARE(raw.scalar(QStringLiteral("SELECT batch_id FROM requests")).toString(),
                 batch.toString(QUuid::WithoutBraces));
    }

    // Pins: a provisioning step this version does not know makes only that row unreadable.
    void anUnknownProvisionStepQuarantinesTheRow()
    {
        const QString path = m_dir->filePath(QStringLiteral("step.db"));
        auto store = openAt(path);
        QVERIFY(store);
        const ProvisioningRequest good = makeRequest(QStringLiteral("good"), t0());
        const ProvisioningRequest odd = makeRequest(QStringLiteral("odd"), t0().addSecs(1));
        VERIFY_OK(store->insert(good, {}, {}));
        VERIFY_OK(store->insert(odd, {}, {}));
        RawConnection raw(path);
        QCOMPARE(raw.exec(QStringLiteral("UPDATE requests SET provision_step = 'teleported' WHERE id = ?"),
                          {odd.id().toString(QUuid::WithoutBraces)}),
                 QString());
        auto listed = store->list({});
        VERIFY_OK(listed);
        QCOMPARE(listed.value().size(), 2);
        QCOMPARE(toString(listed.value().at(0).state()), toString(RequestState::Failed));
        QVERIFY(listed.value().at(0).lastError()->message.contains(QStringLiteral("teleported")));
        QVERIFY(listed.value().at(1) == good);
    }

    // Pins: step 3 rewrites the breaker snapshots version 2 kept (times as epoch milliseconds) into the
    // domain's one encoding (ISO text), meaning unchanged, so the strict reader reads old rows; a row
    // that is not JSON is left as it was and does not stop the database from opening; the table is
    // append-only again afterwards.
    void schemaStep3RewritesBreakerSnapshotsInTheDomainEncoding()
    {
        const QString path = m_dir->filePath(QStringLiteral("v2-with-breaker.db"));
        const BreakerSnapshot expected = sampleSnapshot(BreakerState::Open, 5);
        // What version 2 wrote, key for key.
        QJsonObject v2{
            {QStringLiteral("state"), QStringLiteral("OPEN")},
            {QStringLiteral("consecutiveFailures"), 5},
            {QStringLiteral("failureThreshold"), 5},
            {QStringLiteral("timeInStateMs"), 1234},
            {QStringLiteral("lastReason"), expected.lastReason},
            {QStringLiteral("lastError"),
             QJsonObject{{QStringLiteral("kind"), QStringLiteral("transient")},
                         {QStringLiteral("code"), QStringLiteral("connection-refused")},
                         {QStringLiteral("message"), QStringLiteral("Connection refused")},
                         {QStringLiteral("details"), QJsonObject{{QStringLiteral("host"), QStringLiteral("vc1")}}}}},
            {QStringLiteral("succeeded"), 10},
            {QStringLiteral("failed"), 5},
            {QStringLiteral("ignored"), 2},
            {QStringLiteral("rejected"), 7},
            {QStringLiteral("latencySamples"), 10},
            {QStringLiteral("latencyP50Us"), 1500},
            {QStringLiteral("latencyP90Us"), 4000},
            {QStringLiteral("latencyP99Us"), 9000},
            {QStringLiteral("openedAt"), expected.openedAt.toMSecsSinceEpoch()},
            {QStringLiteral("nextProbeAt"), expected.nextProbeAt.toMSecsSinceEpoch()},
            {QStringLiteral("stateSince"), expected.stateSince.toMSecsSinceEpoch()},
            {QStringLiteral("lastSuccessAt"), expected.lastSuccessAt.toMSecsSinceEpoch()},
        };
        QJsonObject v2Closed = v2;
        v2Closed.insert(QStringLiteral("state"), QStringLiteral("CLOSED"));
        v2Closed.insert(QStringLiteral("openedAt"), QJsonValue());
        v2Closed.insert(QStringLiteral("nextProbeAt"), QJsonValue());
        v2Closed.insert(QStringLiteral("lastSuccessAt"), QJsonValue());
        {
            auto db = SqliteDatabase::open(path, SqliteRequestSchema::steps().mid(0, 2), 1000ms);
            VERIFY_OK(db);
            RawConnection raw(path);
            const QString insert = QStringLiteral("INSERT INTO breaker_events (at, from_state, to_state, reason, owner,"
                                                  " snapshot) VALUES (?, ?, ?, ?, ?, ?)");
            QCOMPARE(raw.exec(insert, {t0().toMSecsSinceEpoch(), QStringLiteral("OPEN"), QStringLiteral("CLOSED"),
                                       QStringLiteral("reset"), QStringLiteral("svc"),
                                       QString::fromUtf8(QJsonDocument(v2Closed).toJson(QJsonDocument::Compact))}),
                     QString());
            QCOMPARE(
                raw.exec(insert, {t0().addSecs(1).toMSecsSinceEpoch(), QStringLiteral("CLOSED"), QStringLiteral("OPEN"),
                                  QStringLiteral("x"), QStringLiteral("svc"), QStringLiteral("not json at all")}),
                QString());
            QCOMPARE(raw.exec(insert, {t0().addSecs(100).toMSecsSinceEpoch(), QStringLiteral("CLOSED"),
                                       QStringLiteral("OPEN"), QStringLiteral("5 failures"), QStringLiteral("svc"),
                                       QString::fromUtf8(QJsonDocument(v2).toJson(QJsonDocument::Compact))}),
                     QString());
        }

        auto log = SqliteBreakerLog::open(path);
        VERIFY_OK(log);
        QCOMPARE(log.value()->database().schemaVersion(), int(SqliteRequestSchema::steps().size()));
        auto last = log.value()->lastBreakerState();
        VERIFY_OK(last);
        QVERIFY(last.value().has_value());
        QVERIFY(last.value()->snapshot == expected);

        RawConnection raw(path);
        const auto snapshotAt = [&](int seq) {
            return QJsonDocument::fromJson(
                       raw.scalar(QStringLiteral("SELECT snapshot FROM breaker_events WHERE seq = ?"), {seq})
                           .toString()
                           .toUtf8())
                .object();
        };
        QCOMPARE(snapshotAt(3).value(QStringLiteral("openedAt")).toString(),
                 QStringLiteral("2026-01-01T08:01:40.000Z"));
        QCOMPARE(snapshotAt(3).value(QStringLiteral("lastSuccessAt")).toString(),
                 QStringLiteral("2026-01-01T08:00:50.000Z"));
        QVERIFY(snapshotAt(1).value(QStringLiteral("openedAt")).isNull());
        QCOMPARE(snapshotAt(1).value(QStringLiteral("stateSince")).toString(),
                 QStringLiteral("2026-01-01T08:01:40.000Z"));
        QCOMPARE(raw.scalar(QStringLiteral("SELECT snapshot FROM breaker_events WHERE seq = 2")).toString(),
                 QStringLiteral("not json at all"));
        QVERIFY(!raw.exec(QStringLiteral("UPDATE breaker_events SET reason = 'rewritten'")).isEmpty());
    }

    // Pins: the database, its -wal and its -shm are owner-only (0600), and so is every folder the store
    // had to create (0700); a folder that existed keeps its mode.
    void filesAreOwnerOnly()
    {
        const QString made = m_dir->filePath(QStringLiteral("made"));
        const QString folder = made + QStringLiteral("/by/the/store");
        const QString path = folder + QStringLiteral("/requests.db");
        auto store = openAt(path);
        QVERIFY(store);
        VERIFY_OK(store->insert(makeRequest(QStringLiteral("x"), t0()), {}, {}));
        for (const QString& suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")}) {
            QVERIFY2(QFile::exists(path + suffix), qPrintable(path + suffix));
            QCOMPARE(QString::number(modeOf(path + suffix), 8), QStringLiteral("600"));
        }
        for (const QString& dir : {made, made + QStringLiteral("/by"), made + QStringLiteral("/by/the"), folder}) {
            QCOMPARE(QString::number(modeOf(dir), 8), QStringLiteral("700"));
        }

        const QString shared = m_dir->filePath(QStringLiteral("shared"));
        QVERIFY(QDir().mkdir(shared));
        QVERIFY(QFile::setPermissions(shared, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner |
                                                  QFileDevice::ReadGroup | QFileDevice::ExeGroup |
                                                  QFileDevice::ReadOther | QFileDevice::ExeOther));
        auto inShared = openAt(shared + QStringLiteral("/requests.db"));
        QVERIFY(inShared);
        QCOMPARE(QString::number(modeOf(shared), 8), QStringLiteral("755"));
        QCOMPARE(QString::number(modeOf(shared + QStringLiteral("/requests.db")), 8), QStringLiteral("600"));
    }

    // Pins: what stands in the way of opening is named with the path and the reason.
    void openingErrorsNameThePathAndTheReason()
    {
        const QString blocker = m_dir->filePath(QStringLiteral("blocker"));
        {
            QFile file(blocker);
            QVERIFY(file.open(QIODevice::WriteOnly));
        }
        const QString below = blocker + QStringLiteral("/sub/requests.db");
        auto underAFile = SqliteRequestStore::open(below);
        VERIFY_ERROR(underAFile, "database-unwritable");
        QCOMPARE(underAFile.error().message, QStringLiteral("cannot create the folder %1/sub for %2: %1 is a file, "
                                                            "not a folder")
                                                 .arg(blocker, below));
        QCOMPARE(underAFile.error().details.value(QStringLiteral("path")).toString(), below);

        const QString folder = m_dir->filePath(QStringLiteral("a-folder"));
        QVERIFY(QDir().mkdir(folder));
        auto isAFolder = SqliteRequestStore::open(folder);
        VERIFY_ERROR(isAFolder, "database-unwritable");
        QCOMPARE(isAFolder.error().message,
                 QStringLiteral("cannot open %1: it is a folder, not a database file").arg(folder));
    }

    // Pins: a folder or a file the user may not write is named as such (before, SQLite said only
    // "unable to open database file", without the path). Permission bits do not stop root: there the
    // same sentences are checked on a read-only file system (test_sqlite_store_on_tmpfs).
    void permissionProblemsNameThePathAndTheReason()
    {
        if (::geteuid() == 0) {
            QSKIP("root is not stopped by permission bits; test_sqlite_store_on_tmpfs checks these sentences on a "
                  "read-only file system");
        }
        const QString readOnly = m_dir->filePath(QStringLiteral("read-only"));
        QVERIFY(QDir().mkdir(readOnly));
        const QString path = readOnly + QStringLiteral("/requests.db");
        QVERIFY(QFile::setPermissions(readOnly, QFileDevice::ReadOwner | QFileDevice::ExeOwner));
        auto inReadOnly = SqliteRequestStore::open(path);
        QVERIFY(
            QFile::setPermissions(readOnly, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner));
        VERIFY_ERROR(inReadOnly, "database-unwritable");
        QCOMPARE(inReadOnly.error().message,
                 QStringLiteral("cannot create %1: the folder %2 is not writable").arg(path, readOnly));

        m_store.reset();
        QVERIFY(QFile::setPermissions(m_path, QFileDevice::ReadOwner));
        auto readOnlyFile = SqliteRequestStore::open(m_path);
        VERIFY_ERROR(readOnlyFile, "database-unwritable");
        QCOMPARE(readOnlyFile.error().message, QStringLiteral("cannot open %1: the file is read-only").arg(m_path));
    }

    // Pins: a row whose history has a step this program cannot read, or whose state it does not know,
    // is shown FAILED ("stored request unreadable: …") while the rows around it flow; the first is put
    // on record as FAILED with its damaged step kept, the second (whose state cannot be moved from)
    // is left as stored, counted as FAILED and never claimed.
    void aDamagedHistoryOrStateQuarantinesOnlyThatRow()
    {
        const auto damagedHistory = queuedRequest(QStringLiteral("damaged-history"), t0(), t0());
        const auto healthy = queuedRequest(QStringLiteral("healthy"), t0().addSecs(1), t0());
        const auto unknownState = makeRequest(QStringLiteral("unknown-state"), t0().addSecs(2));
        for (const auto* r : {&damagedHistory, &healthy, &unknownState}) {
            VERIFY_OK(m_store->insert(*r, {}, {}));
        }
        RawConnection raw(m_path);
        const QString damagedId = damagedHistory.id().toString(QUuid::WithoutBraces);
        QCOMPARE(raw.exec(QStringLiteral("INSERT INTO request_events (request_id, seq, at, from_state, to_state,"
                                         " reason, attempts) VALUES (?, 1, ?, 'QUEUED_FOR_PROVISIONING', 'NOWHERE',"
                                         " 'hand edit', 0)"),
                          {damagedId, t0().addSecs(5).toMSecsSinceEpoch()}),
                 QString());
        QCOMPARE(raw.exec(QStringLiteral("UPDATE requests SET state = 'LIMBO' WHERE id = ?"),
                          {unknownState.id().toString(QUuid::WithoutBraces)}),
                 QString());

        auto listed = m_store->list({});
        VERIFY_OK(listed);
        QCOMPARE(names(listed.value()), (QStringList{QStringLiteral("unknown-state"), QStringLiteral("healthy"),
                                                     QStringLiteral("damaged-history")}));
        QVERIFY(listed.value().at(1) == healthy);
        const ProvisioningRequest& limbo = listed.value().at(0);
        QCOMPARE(limbo.state(), RequestState::Failed);
        QCOMPARE(limbo.lastError()->message, QStringLiteral("stored request unreadable: unknown state \"LIMBO\""));
        const ProvisioningRequest& shown = listed.value().at(2);
        QCOMPARE(shown.state(), RequestState::Failed);
        QCOMPARE(shown.lastError()->code, QStringLiteral("stored-request-unreadable"));
        QCOMPARE(shown.lastError()->message,
                 QStringLiteral("stored request unreadable: history step 2 has an unknown state \"NOWHERE\""));

        QCOMPARE(raw.scalar(QStringLiteral("SELECT state FROM requests WHERE id = ?"), {damagedId}).toString(),
                 QStringLiteral("FAILED"));
        QCOMPARE(raw.scalar(QStringLiteral("SELECT group_concat(to_state) FROM (SELECT to_state FROM request_events"
                                           " WHERE request_id = ? ORDER BY seq)"),
                            {damagedId})
                     .toString(),
                 QStringLiteral("QUEUED_FOR_PROVISIONING,NOWHERE,FAILED"));
        QCOMPARE(raw.scalar(QStringLiteral("SELECT state FROM requests WHERE id = ?"),
                            {unknownState.id().toString(QUuid::WithoutBraces)})
                     .toString(),
                 QStringLiteral("LIMBO"));

        auto again = m_store->list({});
        VERIFY_OK(again);
        QVERIFY(again.value() == listed.value());

        auto counts = m_store->countByState();
        VERIFY_OK(counts);
        QCOMPARE(counts.value().value(RequestState::Failed), 2);
        QCOMPARE(counts.value().value(RequestState::QueuedForProvisioning), 1);
        auto claimed = m_store->claimNext(QStringLiteral("drain"), t0().addSecs(90), t0().addSecs(60), 10);
        VERIFY_OK(claimed);
        QCOMPARE(names(claimed.value()), QStringList{QStringLiteral("healthy")});
    }
};

QTEST_GUILESS_MAIN(TestSqliteRequestStore)
#include "TestSqliteRequestStore.moc"
