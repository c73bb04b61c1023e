// What only the team queue's PostgreSQL adapter has (the port's behaviour is the contract suite's,
// test_request_store_contract_pg): migrations started by several processes at once, claims by many
// drainers at once, LISTEN/NOTIFY instead of polling, the fleet's scout lease, and the server going
// away and coming back. Against a private PostgreSQL 15 (tests/support/PostgresProcess); the
// "processes" are threads with connections of their own, as PostgreSQL sees no difference.
#include "DomainQCompare.h"
#include "PgRawConnection.h"
#include "PostgresProcess.h"
#include "StoreSamples.h"

#include "FakeHypervisor.h"
#include "ManualClock.h"

#include "app/service/ProvisioningService.h"
#include "app/storage/PgFleetBreaker.h"
#include "app/storage/PgLocation.h"
#include "app/storage/PgRequestSchema.h"
#include "app/storage/PgRequestStore.h"

#include <QCoreApplication>
#include <QSet>
#include <QTest>
#include <QThread>

#include <mutex>

using namespace dcm;
using namespace storetest;

namespace {

PgLocation locationOf(const QString& uri)
{
    auto where = PgLocation::parse(uri);
    if (!where)
        qFatal("bad URI: %s", qPrintable(where.error().message));
    return where.value();
}

} // namespace

class TestPgTeamQueue final : public QObject
{
    Q_OBJECT

private:
    PostgresProcess m_server;

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
    }

    // Pins: eight processes opening a new database at the same moment all succeed and leave it at the
    // current schema once (the advisory lock lets one migrate while the others wait).
    void migrationsAreSafeWhenManyOpenAtOnce()
    {
        const QString uri = m_server.freshDatabase(QStringLiteral("migrate"));
        const PgLocation where = locationOf(uri);
        std::mutex lock;
        QStringList failures;
        QList<QThread*> threads;
        for (int i = 0; i < 8; ++i) {
            threads << QThread::create([&] {
                auto store = PgRequestStore::open(where);
                if (!store) {
                    std::lock_guard guard(lock);
                    failures << store.error().message;
                }
            });
        }
        for (QThread* t : threads)
            t->start();
        for (QThread* t : threads) {
            t->wait();
            delete t;
        }
        QVERIFY2(failures.isEmpty(), qPrintable(failures.join(QLatin1Char('\n'))));
        const QString database = uri.section(QLatin1Char('/'), 3).section(QLatin1Char('?'), 0, 0);
        PgRawConnection raw(m_server, database);
        QCOMPARE(raw.scalar(QStringLiteral("SELECT count(*) FROM dcm_schema")).toInt(), 1);
        QCOMPARE(raw.scalar(QStringLiteral("SELECT version FROM dcm_schema")).toInt(),
                 int(dcm::PgRequestSchema::steps().size()));
    }

    // Pins: six drainers claiming at once from 300 due requests take every one of them exactly once
    // (FOR UPDATE SKIP LOCKED), each batch oldest first.
    void concurrentClaimsHandOutEveryRequestExactlyOnce()
    {
        const PgLocation where = locationOf(m_server.freshDatabase(QStringLiteral("claims")));
        QSet<QString> inserted;
        {
            auto store = PgRequestStore::open(where);
            VERIFY_OK(store);
            for (int i = 0; i < 300; ++i) {
                const ProvisioningRequest r = makeRequest(QStringLiteral("r-%1").arg(i), t0().addMSecs(i));
                VERIFY_OK(store.value()->insert(r, {}, {}));
                inserted.insert(r.id().toString(QUuid::WithoutBraces));
            }
        }
        std::mutex lock;
        QStringList claimed;
        QStringList failures;
        bool outOfOrder = false;
        QList<QThread*> threads;
        for (int i = 0; i < 6; ++i) {
            threads << QThread::create([&, i] {
                auto store = PgRequestStore::open(where);
                if (!store) {
                    std::lock_guard guard(lock);
                    failures << store.error().message;
                    return;
                }
                const QString owner = QStringLiteral("drainer-%1").arg(i);
                for (;;) {
                    auto batch = store.value()->claimNext(owner, t0().addSecs(3600), t0().addSecs(600), 4);
                    std::lock_guard guard(lock);
                    if (!batch) {
                        failures << batch.error().message;
                        return;
                    }
                    if (batch.value().isEmpty())
                        return;
                    for (qsizetype k = 1; k < batch.value().size(); ++k)
                        outOfOrder |= batch.value()[k - 1].createdAt() > batch.value()[k].createdAt();
                    claimed << ids(batch.value());
                }
            });
        }
        for (QThread* t : threads)
            t->start();
        for (QThread* t : threads) {
            t->wait();
            delete t;
        }
        QVERIFY2(failures.isEmpty(), qPrintable(failures.join(QLatin1Char('\n'))));
        QCOMPARE(claimed.size(), 300);
        QCOMPARE(QSet<QString>(claimed.begin(), claimed.end()), inserted);
        QVERIFY(!outOfOrder);
    }

    // Pins: another connection's commit is seen through LISTEN/NOTIFY (no table read to find out);
    // one's own writes and lease renewals wake nobody.
    void othersWritesArriveAsNotifications()
    {
        const PgLocation where = locationOf(m_server.freshDatabase(QStringLiteral("notify")));
        auto writer = PgRequestStore::open(where);
        auto reader = PgRequestStore::open(where);
        VERIFY_OK(writer);
        VERIFY_OK(reader);
        QVERIFY(!reader.value()->othersWrote().value());

        ProvisioningRequest mine = makeRequest(QStringLiteral("mine"), t0());
        VERIFY_OK(reader.value()->insert(mine, {}, {}));
        VERIFY_OK(
            writer.value()->insert(makeRequest(QStringLiteral("theirs"), t0()), QStringLiteral("w"), t0().addSecs(10)));
        // QTRY_* evaluates its expression once more after it held: keep what was told.
        bool told = false;
        QTRY_VERIFY((told = told || reader.value()->othersWrote().value()));
        QVERIFY(!reader.value()->othersWrote().value()); // told once

        // A renewal is not news: nothing a view shows changed.
        auto claimed = writer.value()->claimNext(QStringLiteral("w"), t0().addSecs(100), t0().addSecs(50), 1);
        VERIFY_OK(claimed);
        QCOMPARE(claimed.value().size(), 1);
        VERIFY_OK(writer.value()->renewLease(claimed.value().first().id(), QStringLiteral("w"), t0().addSecs(200)));
        // The writer's cancel is news; once it arrives, the renewal before it had sent nothing.
        ProvisioningRequest cancelled = mine;
        QVERIFY(cancelled.transitionTo(RequestState::Cancelled, QStringLiteral("op"), t0().addSecs(1)).ok());
        VERIFY_OK(writer.value()->update(cancelled, RequestState::Submitted));
        told = false;
        QTRY_VERIFY((told = told || reader.value()->othersWrote().value()));
        QVERIFY(!reader.value()->othersWrote().value());
    }

    // Pins: of six drainers asking for the scout lease at the same moment, exactly one gets it; nobody
    // gets it again within the cooldown; it is refused while the fleet is not OPEN.
    void theScoutLeaseIsGrantedOncePerCooldown()
    {
        const PgLocation where = locationOf(m_server.freshDatabase(QStringLiteral("fleet")));
        std::vector<std::unique_ptr<PgFleetBreaker>> fleet;
        for (int i = 0; i < 6; ++i) {
            auto member = PgFleetBreaker::open(where);
            VERIFY_OK(member);
            fleet.push_back(std::move(member).value());
        }
        QVERIFY(!fleet[0]->takeScoutLease(QStringLiteral("d0"), std::chrono::minutes(1)).value()); // CLOSED
        VERIFY_OK(fleet[0]->open(QStringLiteral("5 failures"), QStringLiteral("d0"), std::chrono::milliseconds(0)));
        VERIFY_OK(fleet[1]->open(QStringLiteral("5 failures too"), QStringLiteral("d1"), std::chrono::minutes(5)));
        auto state = fleet[2]->read();
        VERIFY_OK(state);
        QCOMPARE(state.value().state, BreakerState::Open);
        QCOMPARE(state.value().changedBy, QStringLiteral("d0")); // the second open changed nothing

        std::mutex lock;
        int granted = 0;
        QList<QThread*> threads;
        for (int i = 0; i < 6; ++i) {
            threads << QThread::create([&, i] {
                // A connection per thread: QtSql connections belong to the thread that opened them.
                auto member = PgFleetBreaker::open(where);
                if (!member)
                    return;
                auto got = member.value()->takeScoutLease(QStringLiteral("d%1").arg(i), std::chrono::minutes(1));
                std::lock_guard guard(lock);
                granted += got.ok() && got.value() ? 1 : 0;
            });
        }
        for (QThread* t : threads)
            t->start();
        for (QThread* t : threads) {
            t->wait();
            delete t;
        }
        QCOMPARE(granted, 1);
        QVERIFY(!fleet[3]->takeScoutLease(QStringLiteral("d3"), std::chrono::minutes(1)).value());

        VERIFY_OK(fleet[4]->close(QStringLiteral("scout answered"), QStringLiteral("d4")));
        bool changed = false;
        QTRY_VERIFY((changed = changed || fleet[5]->changed().value()));
        QCOMPARE(fleet[5]->read().value().state, BreakerState::Closed);
        VERIFY_OK(fleet[5]->hold(QStringLiteral("held open by ann@ws: upgrade"), QStringLiteral("ann@ws")));
        QCOMPARE(fleet[0]->read().value().state, BreakerState::ForcedOpen);
        QCOMPARE(fleet[0]->read().value().changedBy, QStringLiteral("ann@ws"));
        VERIFY_OK(fleet[0]->open(QStringLiteral("failures"), QStringLiteral("d0"), std::chrono::minutes(1)));
        QCOMPARE(fleet[1]->read().value().state, BreakerState::ForcedOpen); // a hold stays until released
    }

    // Pins: the server going away is "team queue unreachable", not a crash; nothing is acknowledged
    // while it is away; once it is back the store reconnects by itself (after its backoff), says so
    // once through othersWrote() so that a view catches up, and everything committed before is there.
    // (Last: it restarts the server the other cases use.)
    void aRestartedServerIsReportedUnreachableThenReconnected()
    {
        const QString uri = m_server.freshDatabase(QStringLiteral("restart"));
        auto store = PgRequestStore::open(locationOf(uri));
        VERIFY_OK(store);
        const ProvisioningRequest before = makeRequest(QStringLiteral("before"), t0());
        VERIFY_OK(store.value()->insert(before, {}, {}));
        // A service on the same database, as a console runs it (not connected to any vCenter).
        ManualClock clock;
        ServiceConfig config;
        config.tickInterval = std::chrono::milliseconds(0);
        ProvisioningService service([] { return std::unique_ptr<HypervisorPort>(new FakeHypervisor()); },
                                    [where = locationOf(uri)]() -> Result<std::unique_ptr<RequestStorePort>> {
                                        auto opened = PgRequestStore::open(where);
                                        if (!opened)
                                            return opened.error();
                                        return std::unique_ptr<RequestStorePort>(std::move(opened).value());
                                    },
                                    clock, config);
        service.initialize();
        QVERIFY(service.isInitialized());

        m_server.stop();
        // The console refuses the request, with the reason, rather than pretending.
        VmSpec spec = sampleSpec(QStringLiteral("while-down"));
        const SubmitAnswer refusedAnswer = service.submit(spec);
        QVERIFY(!refusedAnswer.accepted());
        QVERIFY(refusedAnswer.error && refusedAnswer.error->is(ErrorCode::DatabaseUnreachable));
        QVERIFY2(refusedAnswer.message.contains(QLatin1String("not accepted")) &&
                     refusedAnswer.message.contains(QLatin1String("team queue unreachable")),
                 qPrintable(refusedAnswer.message));
        const ProvisioningRequest during = makeRequest(QStringLiteral("during"), t0().addSecs(1));
        auto refused = store.value()->insert(during, {}, {});
        QVERIFY(!refused.ok());
        QVERIFY(refused.error().is(ErrorCode::DatabaseUnreachable));
        QVERIFY2(refused.error().message.startsWith(QLatin1String("team queue unreachable")),
                 qPrintable(refused.error().message));
        QVERIFY(!store.value()->list({}).ok());

        QString error;
        QVERIFY2(m_server.restart(&error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(store.value()->countByState().ok(), 20000);
        QVERIFY(store.value()->othersWrote().value()); // catch up: what happened while away is unknown
        QVERIFY(!store.value()->othersWrote().value());
        auto listed = store.value()->list({});
        VERIFY_OK(listed);
        QCOMPARE(names(listed.value()), QStringList{QStringLiteral("before")}); // nothing refused was kept
        VERIFY_OK(store.value()->insert(during, {}, {}));
        // The service's own store comes back by itself too (after its backoff); QTRY_* evaluates once
        // more after it held, so the flag keeps that second evaluation from submitting again.
        bool accepted = false;
        QTRY_VERIFY_WITH_TIMEOUT((accepted = accepted || service.submit(spec).accepted()), 20000);
        auto after = store.value()->list({});
        VERIFY_OK(after);
        QCOMPARE(after.value().size(), 3);
    }
};

QTEST_GUILESS_MAIN(TestPgTeamQueue)
#include "TestPgTeamQueue.moc"
