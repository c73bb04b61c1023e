// The team queue (PostgreSQL) beside SQLite on this machine: submit -> durable acknowledgement
// (insert until committed: fsync on for both), claims per second with 1, 4 and 8 drainers claiming at
// once (each its own connection, batches of 4 as `dcmctl serve --drain-concurrency 4` claims), and
// what one claim costs with 100,000 requests queued. Each figure is the median and the worst of
// --runs runs (default 3); a run that fails fails the benchmark (exit 1).
// Run: build/tests/bench/app/bench_team_queue [--runs N]
#include "PostgresProcess.h"
#include "StoreSamples.h"

#include "app/storage/PgLocation.h"
#include "app/storage/PgRequestStore.h"
#include "app/storage/SqliteRequestStore.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QThread>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <functional>
#include <vector>

using namespace dcm;
using namespace storetest;

namespace {

using Opener = std::function<std::unique_ptr<RequestStorePort>()>;

[[noreturn]] void fail(const QString& why)
{
    std::fprintf(stderr, "bench_team_queue: FAILED: %s\n", qPrintable(why));
    std::exit(1);
}

double percentile(std::vector<double> v, double p)
{
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, std::size_t(p * double(v.size() - 1) + 0.5))];
}

struct Figure
{
    std::vector<double> runs;
    double median() const { return percentile(runs, 0.5); }
    double worst(bool higherIsWorse) const
    {
        return higherIsWorse ? *std::max_element(runs.begin(), runs.end())
                             : *std::min_element(runs.begin(), runs.end());
    }
};

// p50 and p99 (ms) of `count` inserts, one at a time, each acknowledged once committed.
std::pair<double, double> submitLatency(const Opener& open, int count)
{
    auto store = open();
    std::vector<double> ms;
    ms.reserve(std::size_t(count));
    for (int i = 0; i < count; ++i) {
        const ProvisioningRequest r = makeRequest(QStringLiteral("ack-%1").arg(i), t0().addMSecs(i));
        QElapsedTimer t;
        t.start();
        if (auto done = store->insert(r, QStringLiteral("console"), t0().addSecs(30)); !done.ok())
            fail(done.error().message);
        ms.push_back(double(t.nsecsElapsed()) / 1e6);
    }
    return {percentile(ms, 0.5), percentile(ms, 0.99)};
}

// Claims per second: `drainers` threads claim batches of 4 from `queued` due requests until none is left.
double claimsPerSecond(const Opener& open, int drainers, int queued)
{
    {
        auto store = open();
        for (int i = 0; i < queued; ++i)
            if (auto done = store->insert(makeRequest(QStringLiteral("c-%1").arg(i), t0().addMSecs(i)), {}, {});
                !done.ok())
                fail(done.error().message);
    }
    std::atomic<int> claimed{0};
    std::atomic<bool> failed{false};
    std::vector<QThread*> threads;
    for (int d = 0; d < drainers; ++d) {
        threads.push_back(QThread::create([&, d] {
            auto store = open();
            const QString owner = QStringLiteral("drainer-%1").arg(d);
            for (;;) {
                auto batch = store->claimNext(owner, t0().addSecs(3600), t0().addSecs(600), 4);
                if (!batch.ok()) {
                    std::fprintf(stderr, "claim: %s\n", qPrintable(batch.error().message));
                    failed = true;
                    return;
                }
                if (batch.value().isEmpty())
                    return;
                claimed += int(batch.value().size());
            }
        }));
    }
    QElapsedTimer t;
    t.start();
    for (QThread* th : threads)
        th->start();
    for (QThread* th : threads) {
        th->wait();
        delete th;
    }
    const double seconds = double(t.nsecsElapsed()) / 1e9;
    if (failed || claimed != queued)
        fail(QStringLiteral("%1 drainers claimed %2 of %3").arg(drainers).arg(int(claimed)).arg(queued));
    return claimed / seconds;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    int runs = 3;
    bool largeOnly = false; // --large-only: only the claim at 100,000 queued
    for (int i = 1; i < argc; ++i) {
        if (qstrcmp(argv[i], "--runs") == 0 && i + 1 < argc)
            runs = std::max(1, QByteArray(argv[i + 1]).toInt());
        largeOnly |= qstrcmp(argv[i], "--large-only") == 0;
    }

    PostgresProcess server;
    QString error;
    if (!server.start(&error, true)) // fsync on: the acknowledgement is durable, as SQLite's is
        fail(error);
    QTemporaryDir dir;

    int database = 0;
    const auto pgOpener = [&]() -> Opener {
        const QString uri = server.freshDatabase(QStringLiteral("bench%1").arg(++database));
        auto where = PgLocation::parse(uri);
        if (!where)
            fail(where.error().message);
        return [where = where.value()]() -> std::unique_ptr<RequestStorePort> {
            auto store = PgRequestStore::open(where);
            if (!store)
                fail(store.error().message);
            return std::move(store).value();
        };
    };
    const auto sqliteOpener = [&]() -> Opener {
        const QString path = dir.filePath(QStringLiteral("bench%1.sqlite").arg(++database));
        return [path]() -> std::unique_ptr<RequestStorePort> {
            auto store = SqliteRequestStore::open(path);
            if (!store)
                fail(store.error().message);
            return std::move(store).value();
        };
    };

    std::printf("bench_team_queue: %d runs; median (worst)\n", runs);
    std::vector<std::pair<const char*, std::function<Opener()>>> kinds;
    if (!largeOnly)
        kinds = {{"PostgreSQL", pgOpener}, {"SQLite", sqliteOpener}};
    for (const auto& [name, opener] : kinds) {
        Figure p50;
        Figure p99;
        for (int r = 0; r < runs; ++r) {
            const auto [a, b] = submitLatency(opener(), 300);
            p50.runs.push_back(a);
            p99.runs.push_back(b);
        }
        std::printf("%-10s submit -> durable ack: p50 %.2f ms (%.2f), p99 %.2f ms (%.2f)\n", name, p50.median(),
                    p50.worst(true), p99.median(), p99.worst(true));
        for (int drainers : {1, 4, 8}) {
            Figure rate;
            for (int r = 0; r < runs; ++r)
                rate.runs.push_back(claimsPerSecond(opener(), drainers, 2000));
            std::printf("%-10s claims/s with %d drainer(s): %.0f (%.0f)\n", name, drainers, rate.median(),
                        rate.worst(false));
        }
    }

    // One claim with 100,000 queued (the partial index walked oldest first, stopping at 4).
    const QString uri = server.freshDatabase(QStringLiteral("big"));
    auto where = PgLocation::parse(uri);
    auto store = PgRequestStore::open(where.value());
    if (!store)
        fail(store.error().message);
    const QString spec =
        QString::fromUtf8(QJsonDocument(sampleSpec(QStringLiteral("big")).toJson()).toJson(QJsonDocument::Compact));
    {
        QSqlDatabase raw = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), QStringLiteral("bulk"));
        raw.setHostName(server.socketDir());
        raw.setPort(server.port());
        raw.setUserName(PostgresProcess::superuser());
        raw.setDatabaseName(uri.section(QLatin1Char('/'), 3).section(QLatin1Char('?'), 0, 0));
        if (!raw.open())
            fail(raw.lastError().text());
        QSqlQuery q(raw);
        q.prepare(
            QStringLiteral("INSERT INTO requests (id, name, name_key, state, attempts, created_at, updated_at, spec)"
                           " SELECT gen_random_uuid()::text, 'big-' || g, 'big-' || g, 'QUEUED_FOR_PROVISIONING', 0,"
                           " CAST(? AS bigint) + g, CAST(? AS bigint) + g, ?"
                           " FROM generate_series(1, 100000) g"));
        q.addBindValue(t0().toMSecsSinceEpoch());
        q.addBindValue(t0().toMSecsSinceEpoch());
        q.addBindValue(spec);
        if (!q.exec())
            fail(q.lastError().text());
        // Each with the history step that put it in the queue: a request without one is quarantined.
        QSqlQuery history(raw);
        if (!history.exec(
                QStringLiteral("INSERT INTO request_events (request_id, seq, at, from_state, to_state, reason,"
                               " attempts) SELECT id, 0, created_at, 'SUBMITTED', 'QUEUED_FOR_PROVISIONING',"
                               " 'bench', 0 FROM requests")))
            fail(history.lastError().text());
        QSqlQuery(raw).exec(QStringLiteral("ANALYZE requests"));
        QSqlQuery(raw).exec(QStringLiteral("ANALYZE request_events"));
        // The database's own account of one claim (the same statement PgRequestStore runs), rolled back.
        QSqlQuery(raw).exec(QStringLiteral("BEGIN"));
        QSqlQuery plan(raw);
        if (!plan.exec(QStringLiteral(
                "EXPLAIN (ANALYZE, COSTS OFF) WITH picked AS (SELECT id AS picked_id FROM requests"
                " WHERE state IN ('QUEUED_FOR_PROVISIONING', 'SUBMITTED')"
                " AND (state = 'SUBMITTED' OR next_attempt_at IS NULL OR next_attempt_at <= 9999999999999)"
                " AND (lease_until IS NULL OR lease_until <= 9999999999999)"
                " ORDER BY created_at, seq LIMIT 4 FOR UPDATE SKIP LOCKED)"
                " UPDATE requests SET lease_owner = 'explain', lease_until = 1 FROM picked WHERE id = picked_id")))
            fail(plan.lastError().text());
        while (plan.next())
            std::printf("  plan: %s\n", qPrintable(plan.value(0).toString()));
        QSqlQuery(raw).exec(QStringLiteral("ROLLBACK"));
    }
    QSqlDatabase::removeDatabase(QStringLiteral("bulk"));
    Figure claim;
    for (int r = 0; r < runs; ++r) {
        std::vector<double> ms;
        for (int i = 0; i < 50; ++i) {
            QElapsedTimer t;
            t.start();
            auto batch =
                store.value()->claimNext(QStringLiteral("big-%1").arg(r), t0().addSecs(3600), t0().addSecs(600000), 4);
            if (!batch.ok() || batch.value().size() != 4)
                fail(batch.ok() ? QStringLiteral("a claim took %1 of 4").arg(batch.value().size())
                                : batch.error().message);
            ms.push_back(double(t.nsecsElapsed()) / 1e6);
        }
        claim.runs.push_back(percentile(ms, 0.5));
    }
    std::printf("PostgreSQL one claim of 4 with 100,000 queued: p50 %.2f ms (%.2f)\n", claim.median(),
                claim.worst(true));
    return 0;
}
