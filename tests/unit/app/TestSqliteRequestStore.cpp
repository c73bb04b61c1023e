// SqliteRequestStore against RequestStorePort's contract, on a real SQLite file in a temporary folder:
// round trips, the compare-and-set update, claims and leases, breaker records, each schema step, and
// how a locked or a damaged database is reported. Nothing sleeps; the only wait is SQLite's own busy
// timeout (100 ms) in the locking test.
#include <QElapsedTimer>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include "StoreTestSupport.h"
#include "app/storage/SqliteDatabase.h"
#include "app/storage/SqliteRequestStore.h"

using namespace dcm;
using namespace storetest;
using namespace std::chrono_literals;

#define VERIFY_OK(result)                                                                                              \
    do {                                                                                                               \
        const auto& r_ = (result);                                                                                     \
        QVERIFY2(r_.ok(), r_.ok() ? "" : qPrintable(r_.error().code + QStringLiteral(": ") + r_.error().message));     \
    } while (false)

#define VERIFY_ERROR(result, expectedCode)                                                                             \
    do {                                                                                                               \
        const auto& r_ = (result);                                                                                     \
        QVERIFY2(!r_.ok(), "expected the error " expectedCode);                                                        \
        QCOMPARE(r_.error().code, QStringLiteral(expectedCode));                                                       \
        QCOMPARE(toString(r_.error().kind), toString(ErrorKind::Storage));                                             \
    } while (false)

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

    QVariant column(const QUuid& id, const QString& name) const
    {
        return RawConnection(m_path).scalar(QStringLiteral("SELECT %1 FROM requests WHERE id = ?").arg(name),
                                            {id.toString(QUuid::WithoutBraces)});
    }

    static QStringList ids(const QList<ProvisioningRequest>& requests)
    {
        QStringList result;
        for (const auto& request : requests) {
            result.append(request.id().toString(QUuid::WithoutBraces));
        }
        return result;
    }

    // A request that went through every state a successful but bumpy provisioning visits, with causes.
    static ProvisioningRequest eventfulRequest()
    {
        ProvisioningRequest request(QUuid::createUuid(), sampleSpec(QStringLiteral("web-01")), t0());
        Error refused = Error::make(ErrorKind::Transient, QStringLiteral("connection-refused"),
                                    QStringLiteral("Connection refused"));
        refused.details.insert(QStringLiteral("host"), QStringLiteral("vc1.example.org"));
        const Error timeout = Error::make(ErrorKind::OutcomeUnknown, QStringLiteral("timeout"),
                                          QStringLiteral("no reply within 60 s"), QStringLiteral("SystemError"));
        const QDateTime t = t0();
        bool ok =
            request.transitionTo(RequestState::Provisioning, QStringLiteral("breaker closed"), t.addMSecs(10)).ok();
        ok = ok && request
                       .transitionTo(RequestState::QueuedForProvisioning, QStringLiteral("transient"), t.addMSecs(20),
                                     refused)
                       .ok();
        request.setNextAttemptAt(t.addSecs(30));
        ok = ok && request.transitionTo(RequestState::Provisioning, QStringLiteral("due"), t.addSecs(31)).ok();
        ok = ok &&
             request.transitionTo(RequestState::Reconciling, QStringLiteral("lost reply"), t.addSecs(91), timeout).ok();
        ok = ok &&
             request.transitionTo(RequestState::Provisioned, QStringLiteral("adopted"), t.addSecs(92).addMSecs(7)).ok();
        if (!ok) {
            qFatal("eventfulRequest: a transition was refused");
        }
        request.setTaskRef(QStringLiteral("task-42"));
        request.setVmRef(QStringLiteral("vm-1001"));
        request.setInstanceUuid(request.id().toString(QUuid::WithoutBraces));
        return request;
    }

    static ProvisioningRequest queuedRequest(const QString& name, const QDateTime& createdAt, const QDateTime& due)
    {
        ProvisioningRequest request = makeRequest(name, createdAt, {RequestState::QueuedForProvisioning});
        request.setNextAttemptAt(due);
        return request;
    }

    static BreakerSnapshot snapshot(BreakerState state, int failures)
    {
        BreakerSnapshot s;
        s.state = state;
        s.consecutiveFailures = failures;
        s.failureThreshold = 5;
        s.openedAt = t0().addSecs(100);
        s.nextProbeAt = t0().addSecs(130);
        s.stateSince = t0().addSecs(100);
        s.timeInState = 1234ms;
        s.lastReason = QStringLiteral("5 consecutive failures; last: connection refused");
        Error error = Error::make(ErrorKind::Transient, QStringLiteral("connection-refused"),
                                  QStringLiteral("Connection refused"));
        error.details.insert(QStringLiteral("host"), QStringLiteral("vc1"));
        s.lastError = error;
        s.lastSuccessAt = t0().addSecs(50);
        s.succeeded = 10;
        s.failed = 5;
        s.ignored = 2;
        s.rejected = 7;
        s.latencySamples = 10;
        s.latencyP50 = 1500us;
        s.latencyP90 = 4000us;
        s.latencyP99 = 9000us;
        return s;
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

    // Pins: every field and every history event (with causes) survives insert -> get/list, and a
    // fresh connection reads the same request back from the file.
    void roundTripKeepsEveryFieldAndTheHistory()
    {
        const ProvisioningRequest done = eventfulRequest();
        ProvisioningRequest queued =
            makeRequest(QStringLiteral("db-01"), t0().addSecs(1), {RequestState::Provisioning});
        QVERIFY(queued
                    .transitionTo(RequestState::QueuedForProvisioning, QStringLiteral("breaker open"), t0().addSecs(5),
                                  Error::make(ErrorKind::Transient, QStringLiteral("http-503"),
                                              QStringLiteral("Service Unavailable")))
                    .ok());
        queued.setNextAttemptAt(t0().addSecs(65).addMSecs(250));

        VERIFY_OK(m_store->insert(done, QStringLiteral("svc-a"), t0().addSecs(10)));
        VERIFY_OK(m_store->insert(queued, {}, {}));

        auto got = m_store->get(done.id());
        VERIFY_OK(got);
        QVERIFY(got.value().has_value());
        QCOMPARE(jsonText(*got.value()), jsonText(done));
        QVERIFY(*got.value() == done);
        QCOMPARE(got.value()->history().size(), 5);

        auto listed = m_store->list({});
        VERIFY_OK(listed);
        QCOMPARE(listed.value().size(), 2);
        QCOMPARE(jsonText(listed.value().at(0)), jsonText(queued)); // newest first
        QVERIFY(listed.value().at(0) == queued);
        QVERIFY(listed.value().at(1) == done);

        m_store.reset();
        auto reopened = openAt(m_path);
        QVERIFY(reopened);
        auto again = reopened->get(queued.id());
        VERIFY_OK(again);
        QVERIFY(again.value().has_value());
        QVERIFY(*again.value() == queued);
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

    // Pins: an unknown id is an empty answer, not an error.
    void getUnknownIdIsEmpty()
    {
        auto got = m_store->get(QUuid::createUuid());
        VERIFY_OK(got);
        QVERIFY(!got.value().has_value());
    }

    // Pins: insert is committed when it returns (another connection sees it at once) and the request
    // is born leased to its submitter, or unleased when no owner is given.
    void insertIsCommittedAndLeasedToItsSubmitter()
    {
        const ProvisioningRequest mine = makeRequest(QStringLiteral("mine"), t0());
        const ProvisioningRequest anyones = makeRequest(QStringLiteral("anyones"), t0());
        VERIFY_OK(m_store->insert(mine, QStringLiteral("console-1"), t0().addSecs(30)));
        VERIFY_OK(m_store->insert(anyones, {}, {}));

        RawConnection observer(m_path);
        QCOMPARE(observer.scalar(QStringLiteral("SELECT count(*) FROM requests")).toInt(), 2);
        QCOMPARE(column(mine.id(), QStringLiteral("lease_owner")).toString(), QStringLiteral("console-1"));
        QCOMPARE(column(mine.id(), QStringLiteral("lease_until")).toLongLong(), t0().addSecs(30).toMSecsSinceEpoch());
        QVERIFY(column(anyones.id(), QStringLiteral("lease_owner")).isNull());
        QVERIFY(column(anyones.id(), QStringLiteral("lease_until")).isNull());
    }

    // Pins: a second insert with the same id is "duplicate-id" and leaves the stored one alone.
    void insertWithDuplicateIdIsRefused()
    {
        const ProvisioningRequest original = makeRequest(QStringLiteral("first"), t0());
        VERIFY_OK(m_store->insert(original, {}, {}));
        ProvisioningRequest impostor = original;
        QVERIFY(impostor.transitionTo(RequestState::Cancelled, QStringLiteral("x"), t0().addSecs(1)).ok());
        VERIFY_ERROR(m_store->insert(impostor, {}, {}), "duplicate-id");

        auto got = m_store->get(original.id());
        VERIFY_OK(got);
        QVERIFY(*got.value() == original);
    }

    // Pins: update writes the whole request and appends only the events the store has not seen.
    void updateAppendsOnlyTheNewEvents()
    {
        ProvisioningRequest request = makeRequest(QStringLiteral("grow"), t0());
        VERIFY_OK(m_store->insert(request, {}, {}));
        QVERIFY(request.transitionTo(RequestState::Provisioning, QStringLiteral("go"), t0().addSecs(1)).ok());
        request.setTaskRef(QStringLiteral("task-1"));
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
        auto got = m_store->get(request.id());
        VERIFY_OK(got);
        QCOMPARE(jsonText(*got.value()), jsonText(request));
        QVERIFY(*got.value() == request);
        QCOMPARE(got.value()->attempts(), 2);
    }

    // Pins: the compare-and-set. An operator's cancel and the drain's dispatch race from one stored
    // SUBMITTED request: exactly one wins, the loser gets "conflict" and changes nothing.
    void updateConflictsWhenTheStateMoved()
    {
        const ProvisioningRequest stored = makeRequest(QStringLiteral("race"), t0());
        VERIFY_OK(m_store->insert(stored, {}, {}));
        ProvisioningRequest cancel = stored;
        ProvisioningRequest dispatch = stored;
        QVERIFY(cancel.transitionTo(RequestState::Cancelled, QStringLiteral("operator"), t0().addSecs(1)).ok());
        QVERIFY(dispatch.transitionTo(RequestState::Provisioning, QStringLiteral("drain"), t0().addSecs(1)).ok());

        VERIFY_OK(m_store->update(cancel, RequestState::Submitted));
        VERIFY_ERROR(m_store->update(dispatch, RequestState::Submitted), "conflict");

        auto got = m_store->get(stored.id());
        VERIFY_OK(got);
        QVERIFY(*got.value() == cancel);
    }

    // Pins: a copy that is behind (the request went QUEUED -> PROVISIONING -> QUEUED meanwhile) is a
    // conflict even though the state matches, whether its history is shorter or merely different.
    void updateConflictsWhenTheHistoryMovedOnUnderTheSameState()
    {
        const ProvisioningRequest base = queuedRequest(QStringLiteral("aba"), t0(), t0());
        VERIFY_OK(m_store->insert(base, {}, {}));
        ProvisioningRequest fresh = base;
        QVERIFY(fresh.transitionTo(RequestState::Provisioning, QStringLiteral("due"), t0().addSecs(10)).ok());
        VERIFY_OK(m_store->update(fresh, RequestState::QueuedForProvisioning));
        QVERIFY(
            fresh.transitionTo(RequestState::QueuedForProvisioning, QStringLiteral("refused"), t0().addSecs(11)).ok());
        VERIFY_OK(m_store->update(fresh, RequestState::Provisioning));

        ProvisioningRequest shorter = base;
        QVERIFY(shorter.transitionTo(RequestState::Cancelled, QStringLiteral("operator"), t0().addSecs(12)).ok());
        VERIFY_ERROR(m_store->update(shorter, RequestState::QueuedForProvisioning), "conflict");

        ProvisioningRequest different = base;
        QVERIFY(different.transitionTo(RequestState::Provisioning, QStringLiteral("due"), t0().addSecs(20)).ok());
        QVERIFY(
            different.transitionTo(RequestState::QueuedForProvisioning, QStringLiteral("x"), t0().addSecs(21)).ok());
        QVERIFY(different.transitionTo(RequestState::Cancelled, QStringLiteral("operator"), t0().addSecs(22)).ok());
        VERIFY_ERROR(m_store->update(different, RequestState::QueuedForProvisioning), "conflict");

        auto got = m_store->get(base.id());
        VERIFY_OK(got);
        QVERIFY(*got.value() == fresh);
    }

    // Pins: updating a request that was never stored is "not-found", not a silent insert.
    void updateOfAnUnknownRequestIsNotFound()
    {
        ProvisioningRequest ghost = makeRequest(QStringLiteral("ghost"), t0(), {RequestState::Cancelled});
        VERIFY_ERROR(m_store->update(ghost, RequestState::Submitted), "not-found");
        auto got = m_store->get(ghost.id());
        VERIFY_OK(got);
        QVERIFY(!got.value().has_value());
    }

    // Pins: "rows are never deleted" and the history is append-only, as rules of the file itself.
    void historyAndRequestsCannotBeDeletedOrRewritten()
    {
        const ProvisioningRequest request = makeRequest(QStringLiteral("kept"), t0(), {RequestState::Cancelled});
        VERIFY_OK(m_store->insert(request, {}, {}));
        VERIFY_OK(m_store->appendBreakerEvent({t0(), BreakerState::Closed, BreakerState::Open, QStringLiteral("x")},
                                              snapshot(BreakerState::Open, 5), QStringLiteral("svc")));
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

    void listFilters_data()
    {
        QTest::addColumn<QStringList>("states");
        QTest::addColumn<QString>("nameContains");
        QTest::addColumn<int>("limit");
        QTest::addColumn<QStringList>("expected");

        const QStringList all{QStringLiteral("100%_done"), QStringLiteral("Ärger-web"), QStringLiteral("db-01"),
                              QStringLiteral("WEB-02"), QStringLiteral("web-01")};
        QTest::newRow("everything, newest first") << QStringList() << QString() << 0 << all;
        QTest::newRow("states") << QStringList{QStringLiteral("QUEUED_FOR_PROVISIONING"), QStringLiteral("FAILED")}
                                << QString() << 0 << QStringList{all[1], all[3]};
        QTest::newRow("name, any case") << QStringList() << QStringLiteral("WEB") << 0
                                        << QStringList{all[1], all[3], all[4]};
        QTest::newRow("name, non-ASCII case") << QStringList() << QStringLiteral("äRGER") << 0 << QStringList{all[1]};
        QTest::newRow("percent is not a wildcard") << QStringList() << QStringLiteral("%") << 0 << QStringList{all[0]};
        QTest::newRow("underscore is not a wildcard")
            << QStringList() << QStringLiteral("_") << 0 << QStringList{all[0]};
        QTest::newRow("limit keeps the newest") << QStringList() << QString() << 2 << QStringList{all[0], all[1]};
        QTest::newRow("all three") << QStringList{QStringLiteral("SUBMITTED")} << QStringLiteral("web") << 1
                                   << QStringList{all[4]};
        QTest::newRow("nothing matches") << QStringList{QStringLiteral("RECONCILING")} << QString() << 0
                                         << QStringList();
    }

    // Pins: list filters by state and by a case-insensitive (Unicode) part of the name, literally,
    // newest first, and the limit keeps the newest.
    void listFilters()
    {
        QFETCH(QStringList, states);
        QFETCH(QString, nameContains);
        QFETCH(int, limit);
        QFETCH(QStringList, expected);

        VERIFY_OK(m_store->insert(makeRequest(QStringLiteral("web-01"), t0().addSecs(1)), {}, {}));
        VERIFY_OK(m_store->insert(
            makeRequest(QStringLiteral("WEB-02"), t0().addSecs(2), {RequestState::QueuedForProvisioning}), {}, {}));
        VERIFY_OK(m_store->insert(makeRequest(QStringLiteral("db-01"), t0().addSecs(3),
                                              {RequestState::Provisioning, RequestState::Provisioned}),
                                  {}, {}));
        VERIFY_OK(
            m_store->insert(makeRequest(QStringLiteral("Ärger-web"), t0().addSecs(4), {RequestState::Failed}), {}, {}));
        VERIFY_OK(m_store->insert(makeRequest(QStringLiteral("100%_done"), t0().addSecs(5), {RequestState::Cancelled}),
                                  {}, {}));

        RequestFilter filter;
        for (const QString& name : states) {
            filter.states.append(requestStateFromString(name).value());
        }
        filter.nameContains = nameContains;
        filter.limit = limit;
        auto listed = m_store->list(filter);
        VERIFY_OK(listed);
        QCOMPARE(names(listed.value()), expected);
    }

    // Pins: every state is counted, absent ones as 0.
    void countByStateCountsEveryState()
    {
        VERIFY_OK(m_store->insert(makeRequest(QStringLiteral("a"), t0()), {}, {}));
        VERIFY_OK(m_store->insert(makeRequest(QStringLiteral("b"), t0()), {}, {}));
        VERIFY_OK(m_store->insert(makeRequest(QStringLiteral("c"), t0(), {RequestState::Failed}), {}, {}));
        auto counts = m_store->countByState();
        VERIFY_OK(counts);
        QCOMPARE(counts.value().size(), qsizetype(allRequestStates.size()));
        QCOMPARE(counts.value().value(RequestState::Submitted), 2);
        QCOMPARE(counts.value().value(RequestState::Failed), 1);
        QCOMPARE(counts.value().value(RequestState::Provisioned), 0);
    }

    // Pins: claimNext takes exactly the due requests — QUEUED with nextAttemptAt <= now or none, and
    // SUBMITTED with no live lease — oldest first, leaves their state alone, and records the lease.
    void claimTakesDueRequestsOldestFirst()
    {
        const QDateTime now = t0().addSecs(3600);
        const auto a = queuedRequest(QStringLiteral("a-due"), t0().addSecs(1), now.addSecs(-60));
        const auto b = queuedRequest(QStringLiteral("b-not-due"), t0(), now.addSecs(60));
        const auto c = queuedRequest(QStringLiteral("c-no-time"), t0().addSecs(3), {});
        const auto d = makeRequest(QStringLiteral("d-submitted-unleased"), t0().addSecs(2));
        const auto e = makeRequest(QStringLiteral("e-submitted-leased"), t0().addMSecs(500));
        const auto f = makeRequest(QStringLiteral("f-in-flight"), t0().addMSecs(100), {RequestState::Provisioning});
        const auto g = queuedRequest(QStringLiteral("g-due-now"), t0().addSecs(4), now);
        const auto h = makeRequest(QStringLiteral("h-failed"), t0().addSecs(5), {RequestState::Failed});
        for (const auto* r : {&a, &b, &c, &d, &f, &g, &h}) {
            VERIFY_OK(m_store->insert(*r, {}, {}));
        }
        VERIFY_OK(m_store->insert(e, QStringLiteral("console"), now.addSecs(30)));

        const QDateTime until = now.addSecs(30);
        auto claimed = m_store->claimNext(QStringLiteral("drain-a"), until, now, 100);
        VERIFY_OK(claimed);
        QCOMPARE(names(claimed.value()), (QStringList{a.spec().name, d.spec().name, c.spec().name, g.spec().name}));
        QVERIFY(claimed.value().at(0) == a);
        QVERIFY(claimed.value().at(1) == d);
        for (const auto* r : {&a, &c, &d, &g}) {
            QCOMPARE(column(r->id(), QStringLiteral("lease_owner")).toString(), QStringLiteral("drain-a"));
            QCOMPARE(column(r->id(), QStringLiteral("lease_until")).toLongLong(), until.toMSecsSinceEpoch());
        }
        QCOMPARE(column(e.id(), QStringLiteral("lease_owner")).toString(), QStringLiteral("console"));
        QVERIFY(column(b.id(), QStringLiteral("lease_owner")).isNull());

        auto more = m_store->claimNext(QStringLiteral("drain-b"), until, now, 100);
        VERIFY_OK(more);
        QVERIFY(more.value().isEmpty());
    }

    // Pins: maxCount bounds a claim, and the next claim continues with the next oldest.
    void claimTakesAtMostMaxCount()
    {
        QList<ProvisioningRequest> queued;
        for (int i = 0; i < 5; ++i) {
            queued.append(queuedRequest(QStringLiteral("q%1").arg(i), t0().addSecs(i), t0()));
            VERIFY_OK(m_store->insert(queued.last(), {}, {}));
        }
        const QDateTime now = t0().addSecs(60);
        auto first = m_store->claimNext(QStringLiteral("d"), now.addSecs(30), now, 2);
        VERIFY_OK(first);
        QCOMPARE(names(first.value()), (QStringList{QStringLiteral("q0"), QStringLiteral("q1")}));
        auto second = m_store->claimNext(QStringLiteral("d"), now.addSecs(30), now, 2);
        VERIFY_OK(second);
        QCOMPARE(names(second.value()), (QStringList{QStringLiteral("q2"), QStringLiteral("q3")}));
        auto none = m_store->claimNext(QStringLiteral("d"), now.addSecs(30), now, 0);
        VERIFY_OK(none);
        QVERIFY(none.value().isEmpty());
    }

    // Pins: a lease is exclusive while now < leaseUntil and reclaimable from that instant on; the
    // loser of an expired lease cannot renew it, and its release does not drop the new holder's.
    void leasesAreExclusiveUntilTheyExpire()
    {
        const auto request = queuedRequest(QStringLiteral("x"), t0(), t0());
        VERIFY_OK(m_store->insert(request, {}, {}));
        const QDateTime now = t0().addSecs(60);
        const QDateTime until = now.addSecs(10);

        auto a = m_store->claimNext(QStringLiteral("A"), until, now, 10);
        VERIFY_OK(a);
        QCOMPARE(a.value().size(), 1);
        auto b = m_store->claimNext(QStringLiteral("B"), until.addSecs(10), until.addMSecs(-1), 10);
        VERIFY_OK(b);
        QVERIFY(b.value().isEmpty());
        b = m_store->claimNext(QStringLiteral("B"), until.addSecs(10), until, 10);
        VERIFY_OK(b);
        QCOMPARE(ids(b.value()), ids(a.value()));

        VERIFY_ERROR(m_store->renewLease(request.id(), QStringLiteral("A"), until.addSecs(60)), "not-claimed");
        VERIFY_OK(m_store->releaseClaim(request.id(), QStringLiteral("A")));
        QCOMPARE(column(request.id(), QStringLiteral("lease_owner")).toString(), QStringLiteral("B"));
        VERIFY_OK(m_store->renewLease(request.id(), QStringLiteral("B"), until.addSecs(60)));
    }

    // Pins: a SUBMITTED request is its submitter's until the submitter's lease lapses; then the
    // drain may take it.
    void submittedRequestWithALapsedLeaseIsClaimable()
    {
        const auto request = makeRequest(QStringLiteral("orphan"), t0());
        VERIFY_OK(m_store->insert(request, QStringLiteral("console"), t0().addSecs(10)));
        auto early = m_store->claimNext(QStringLiteral("drain"), t0().addSecs(40), t0().addSecs(9), 10);
        VERIFY_OK(early);
        QVERIFY(early.value().isEmpty());
        auto late = m_store->claimNext(QStringLiteral("drain"), t0().addSecs(40), t0().addSecs(10), 10);
        VERIFY_OK(late);
        QCOMPARE(names(late.value()), QStringList{QStringLiteral("orphan")});
    }

    // Pins: renewing extends the caller's lease (others keep out longer); releasing frees the request
    // at once; releasing a lease one does not hold is harmless.
    void renewExtendsAndReleaseFrees()
    {
        const auto request = queuedRequest(QStringLiteral("r"), t0(), t0());
        VERIFY_OK(m_store->insert(request, {}, {}));
        VERIFY_OK(m_store->claimNext(QStringLiteral("A"), t0().addSecs(10), t0(), 1));
        VERIFY_OK(m_store->renewLease(request.id(), QStringLiteral("A"), t0().addSecs(60)));
        auto blocked = m_store->claimNext(QStringLiteral("B"), t0().addSecs(90), t0().addSecs(30), 1);
        VERIFY_OK(blocked);
        QVERIFY(blocked.value().isEmpty());

        VERIFY_OK(m_store->releaseClaim(request.id(), QStringLiteral("B")));
        QCOMPARE(column(request.id(), QStringLiteral("lease_owner")).toString(), QStringLiteral("A"));
        VERIFY_OK(m_store->releaseClaim(request.id(), QStringLiteral("A")));
        QVERIFY(column(request.id(), QStringLiteral("lease_owner")).isNull());
        auto taken = m_store->claimNext(QStringLiteral("B"), t0().addSecs(90), t0().addSecs(30), 1);
        VERIFY_OK(taken);
        QCOMPARE(taken.value().size(), 1);
        VERIFY_ERROR(m_store->renewLease(QUuid::createUuid(), QStringLiteral("B"), t0().addSecs(90)), "not-claimed");
    }

    // Pins: takeOverExpired claims the in-flight requests (PROVISIONING, RECONCILING) whose driver's
    // lease ran out or was given up, and nothing else; a second survivor gets none of them.
    void takeOverClaimsInFlightRequestsWithExpiredLeases()
    {
        const QDateTime now = t0().addSecs(600);
        const auto p1 = makeRequest(QStringLiteral("p1-expired"), t0().addSecs(2), {RequestState::Provisioning});
        const auto r1 = makeRequest(QStringLiteral("r1-expired"), t0().addSecs(1),
                                    {RequestState::Provisioning, RequestState::Reconciling});
        const auto p2 = makeRequest(QStringLiteral("p2-alive"), t0(), {RequestState::Provisioning});
        const auto p3 = makeRequest(QStringLiteral("p3-released"), t0().addSecs(3), {RequestState::Provisioning});
        const auto q1 = queuedRequest(QStringLiteral("q1-queued"), t0(), t0());
        VERIFY_OK(m_store->insert(p1, QStringLiteral("dead"), now.addSecs(-1)));
        VERIFY_OK(m_store->insert(r1, QStringLiteral("dead"), now));
        VERIFY_OK(m_store->insert(p2, QStringLiteral("alive"), now.addMSecs(1)));
        VERIFY_OK(m_store->insert(p3, {}, {}));
        VERIFY_OK(m_store->insert(q1, QStringLiteral("dead"), now.addSecs(-1)));

        auto taken = m_store->takeOverExpired(QStringLiteral("survivor-1"), now.addSecs(30), now);
        VERIFY_OK(taken);
        QCOMPARE(names(taken.value()), (QStringList{r1.spec().name, p1.spec().name, p3.spec().name}));
        QVERIFY(taken.value().at(0) == r1);
        for (const auto* r : {&p1, &r1, &p3}) {
            QCOMPARE(column(r->id(), QStringLiteral("lease_owner")).toString(), QStringLiteral("survivor-1"));
        }
        QCOMPARE(column(p2.id(), QStringLiteral("lease_owner")).toString(), QStringLiteral("alive"));
        QCOMPARE(column(q1.id(), QStringLiteral("lease_owner")).toString(), QStringLiteral("dead"));

        auto second = m_store->takeOverExpired(QStringLiteral("survivor-2"), now.addSecs(30), now);
        VERIFY_OK(second);
        QVERIFY(second.value().isEmpty());
    }

    // Pins: breaker transitions are kept with the snapshot and owner; the last one is what any
    // service on the database reads back; the history is newest first and limited on request.
    void breakerTransitionsAreRecorded()
    {
        auto none = m_store->lastBreakerState();
        VERIFY_OK(none);
        QVERIFY(!none.value().has_value());

        const BreakerTransition opened{t0().addSecs(100), BreakerState::Closed, BreakerState::Open,
                                       QStringLiteral("5 consecutive failures")};
        const BreakerTransition probing{t0().addSecs(130), BreakerState::Open, BreakerState::HalfOpen,
                                        QStringLiteral("cooldown over")};
        const BreakerTransition reopened{t0().addSecs(131).addMSecs(5), BreakerState::HalfOpen, BreakerState::Open,
                                         QStringLiteral("scout timed out after 10 s")};
        VERIFY_OK(m_store->appendBreakerEvent(opened, snapshot(BreakerState::Open, 5), QStringLiteral("svc-1")));
        VERIFY_OK(m_store->appendBreakerEvent(probing, snapshot(BreakerState::HalfOpen, 5), QStringLiteral("svc-1")));

        auto other = openAt(m_path);
        QVERIFY(other);
        BreakerSnapshot last = snapshot(BreakerState::Open, 6);
        last.lastError.reset();
        last.lastSuccessAt = QDateTime();
        VERIFY_OK(other->appendBreakerEvent(reopened, last, QStringLiteral("svc-2")));

        auto record = m_store->lastBreakerState();
        VERIFY_OK(record);
        QVERIFY(record.value().has_value());
        QVERIFY(record.value()->transition == reopened);
        QVERIFY(record.value()->snapshot == last);
        QCOMPARE(record.value()->owner, QStringLiteral("svc-2"));

        auto full = snapshot(BreakerState::Open, 5);
        VERIFY_OK(m_store->appendBreakerEvent(opened, full, QStringLiteral("svc-1")));
        record = m_store->lastBreakerState();
        VERIFY_OK(record);
        QVERIFY(record.value()->snapshot == full);

        auto two = m_store->breakerHistory(2);
        VERIFY_OK(two);
        QCOMPARE(two.value().size(), 2);
        QVERIFY(two.value().at(0) == opened);
        QVERIFY(two.value().at(1) == reopened);
        auto all = m_store->breakerHistory(0);
        VERIFY_OK(all);
        QCOMPARE(all.value().size(), 4);
        QVERIFY(all.value().at(3) == opened);
        QVERIFY(all.value().at(2) == probing);
    }

    // Pins: what is in force on the store's own connection, read back: WAL, synchronous=FULL (2), the
    // configured busy timeout, foreign keys, and the latest schema version.
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
        QCOMPARE(db.pragma(QStringLiteral("user_version")).value().toInt(),
                 int(SqliteRequestStore::schemaSteps().size()));
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
        auto db = SqliteDatabase::open(path, SqliteRequestStore::schemaSteps().mid(0, 1), 1000ms);
        VERIFY_OK(db);
        QCOMPARE(db.value()->schemaVersion(), 1);
        QCOMPARE(db.value()->pragma(QStringLiteral("user_version")).value().toInt(), 1);
        RawConnection raw(path);
        const QString tables = QStringLiteral("SELECT group_concat(name) FROM (SELECT name FROM sqlite_master"
                                              " WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name)");
        QCOMPARE(raw.scalar(tables).toString(), QStringLiteral("request_events,requests"));
    }

    // Pins: step 2 migrates a version-1 database in place: its requests survive intact, the
    // indexes and the breaker table appear, user_version becomes 2.
    void schemaStep2MigratesAVersion1Database()
    {
        const QString path = m_dir->filePath(QStringLiteral("v1-with-data.db"));
        ProvisioningRequest legacy = makeRequest(QStringLiteral("legacy"), t0(),
                                                 {RequestState::QueuedForProvisioning, RequestState::Provisioning});
        legacy.setTaskRef(QStringLiteral("task-7"));
        {
            auto db = SqliteDatabase::open(path, SqliteRequestStore::schemaSteps().mid(0, 1), 1000ms);
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

        auto store = openAt(path);
        QVERIFY(store);
        QCOMPARE(store->database().schemaVersion(), 2);
        QCOMPARE(store->database().pragma(QStringLiteral("user_version")).value().toInt(), 2);
        auto got = store->get(legacy.id());
        VERIFY_OK(got);
        QVERIFY(got.value().has_value());
        QCOMPARE(jsonText(*got.value()), jsonText(legacy));
        QVERIFY(*got.value() == legacy);

        RawConnection raw(path);
        const QString indexes = QStringLiteral("SELECT group_concat(name) FROM (SELECT name FROM sqlite_master"
                                               " WHERE type = 'index' AND name LIKE 'requests_%' ORDER BY name)");
        QCOMPARE(raw.scalar(indexes).toString(), QStringLiteral("requests_claim,requests_created"));
        VERIFY_OK(store->appendBreakerEvent({t0(), BreakerState::Closed, BreakerState::ForcedOpen, QStringLiteral("m")},
                                            snapshot(BreakerState::ForcedOpen, 0), QStringLiteral("admin")));
        auto claimed = store->takeOverExpired(QStringLiteral("s"), t0().addSecs(60), t0());
        VERIFY_OK(claimed);
        QCOMPARE(names(claimed.value()), QStringList{QStringLiteral("legacy")});
    }
};

QTEST_GUILESS_MAIN(TestSqliteRequestStore)
#include "TestSqliteRequestStore.moc"
