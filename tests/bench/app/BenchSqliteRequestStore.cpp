// The SQLite store's costs that operators feel: how long "accepted" takes (insert until durable,
// synchronous=FULL), how long the console waits for 10,000 requests (list, and open + list), a page of
// the history view at 100,000 (BM_HistoryPage100k), and what a drain pays per claim.
// Run: bench_request_store --benchmark_counters_tabular=true
#include <algorithm>
#include <chrono>
#include <memory>
#include <vector>

#include <benchmark/benchmark.h>

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QTemporaryDir>

#include "app/storage/SqliteDatabase.h"
#include "app/storage/SqliteRequestStore.h"

using namespace dcm;

namespace {

constexpr int s_listSize = 10000;
constexpr int s_historySize = 100000;

QDateTime t0()
{
    return QDateTime(QDate(2026, 1, 1), QTime(8, 0), Qt::UTC);
}

VmSpec spec(int i)
{
    VmSpec spec;
    spec.name = QStringLiteral("web-%1").arg(i, 5, 10, QLatin1Char('0'));
    spec.cpus = 4;
    spec.coresPerSocket = 2;
    spec.memoryMiB = 8192;
    spec.disks = {DiskSpec{40960, true}, DiskSpec{102400, false}};
    spec.nics = {dcm::NicSpec{QStringLiteral("VM Network")}};
    spec.datastore = QStringLiteral("datastore1");
    spec.folder = QStringLiteral("/DC0/vm/web");
    spec.datacenter = QStringLiteral("DC0");
    spec.cluster = QStringLiteral("DC0_C0");
    spec.guestId = QStringLiteral("ubuntu64Guest");
    spec.annotation = QStringLiteral("created by the benchmark");
    return spec;
}

void step(ProvisioningRequest& request, RequestState to, QDateTime& at, const std::optional<Error>& cause = {})
{
    at = at.addSecs(5);
    const auto moved = cause ? request.transitionTo(to, QStringLiteral("bench"), at, *cause)
                             : request.transitionTo(to, QStringLiteral("bench"), at);
    if (!moved) {
        qFatal("bench: %s", qPrintable(moved.error().message));
    }
}

// A mix like a console that has been in use for a while: mostly provisioned, some queued, failed,
// cancelled or fresh; 1 to 5 history events each.
ProvisioningRequest realisticRequest(int i)
{
    QDateTime at = t0().addSecs(i);
    ProvisioningRequest request(QUuid::createUuid(), spec(i), at);
    const Error refused =
        Error::make(ErrorKind::Transient, QStringLiteral("connection-refused"), QStringLiteral("Connection refused"));
    switch (i % 20) {
    case 0:
    case 1:
        step(request, RequestState::QueuedForProvisioning, at, refused);
        request.setNextAttemptAt(at.addSecs(30));
        break;
    case 2:
    case 3:
        step(request, RequestState::Provisioning, at);
        step(request, RequestState::QueuedForProvisioning, at, refused);
        step(request, RequestState::Provisioning, at);
        step(request, RequestState::Failed, at,
             Error::make(ErrorKind::Business, QStringLiteral("vim-fault"), QStringLiteral("The name already exists."),
                         QStringLiteral("DuplicateName")));
        break;
    case 4:
        break;
    case 5:
        step(request, RequestState::Cancelled, at);
        break;
    default:
        step(request, RequestState::Provisioning, at);
        step(request, RequestState::Provisioned, at);
        request.setVmRef(QStringLiteral("vm-%1").arg(i));
        request.setInstanceUuid(request.id().toString(QUuid::WithoutBraces));
        break;
    }
    return request;
}

std::unique_ptr<SqliteRequestStore> openStore(const QString& path)
{
    auto opened = SqliteRequestStore::open(path);
    if (!opened) {
        qFatal("bench: open %s: %s", qPrintable(path), qPrintable(opened.error().message));
    }
    return std::move(opened).value();
}

// Bulk set-up with synchronous=OFF on the loading connection only; what is measured runs with FULL.
void fill(const QString& path, int count, ProvisioningRequest (*make)(int))
{
    auto store = openStore(path);
    QSqlQuery(store->database().database()).exec(QStringLiteral("PRAGMA synchronous=OFF"));
    for (int i = 0; i < count; ++i) {
        if (auto inserted = store->insert(make(i), {}, {}); !inserted) {
            qFatal("bench: insert: %s", qPrintable(inserted.error().message));
        }
    }
}

ProvisioningRequest queuedRequest(int i)
{
    QDateTime at = t0().addSecs(i);
    ProvisioningRequest request(QUuid::createUuid(), spec(i), at);
    step(request, RequestState::QueuedForProvisioning, at);
    return request;
}

QTemporaryDir& scratch()
{
    static QTemporaryDir dir(QDir::tempPath() + QStringLiteral("/bench_request_store-XXXXXX"));
    return dir;
}

// The 10,000-request database, built once per run.
const QString& listDatabase()
{
    static const QString path = [] {
        const QString p = scratch().filePath(QStringLiteral("list10k.db"));
        fill(p, s_listSize, realisticRequest);
        return p;
    }();
    return path;
}

double percentile(std::vector<double> samples, double p)
{
    if (samples.empty()) {
        return 0;
    }
    std::sort(samples.begin(), samples.end());
    const auto index = std::min(samples.size() - 1, static_cast<std::size_t>(p * double(samples.size())));
    return samples[index];
}

// Submit -> durable: one insert (a committed, fsync'd WAL transaction) per iteration, timed one by one.
void BM_InsertDurable(benchmark::State& state)
{
    const QString path = scratch().filePath(QStringLiteral("insert.db"));
    QFile::remove(path);
    auto store = openStore(path);
    std::vector<double> micros;
    micros.reserve(std::size_t(state.max_iterations));
    int i = 0;
    for (auto _ : state) {
        state.PauseTiming();
        ProvisioningRequest request(QUuid::createUuid(), spec(i), t0().addMSecs(i));
        ++i;
        state.ResumeTiming();
        const auto start = std::chrono::steady_clock::now();
        const auto inserted = store->insert(request, QStringLiteral("console"), t0().addSecs(30));
        const auto elapsed = std::chrono::steady_clock::now() - start;
        if (!inserted) {
            state.SkipWithError(qPrintable(inserted.error().message));
            break;
        }
        micros.push_back(std::chrono::duration<double, std::micro>(elapsed).count());
    }
    state.counters["p50_us"] = percentile(micros, 0.50);
    state.counters["p99_us"] = percentile(micros, 0.99);
    state.counters["max_us"] = percentile(micros, 1.0);
    state.counters["synchronous"] = store->database().pragma(QStringLiteral("synchronous")).value().toDouble();
}
BENCHMARK(BM_InsertDurable)->Iterations(500)->Unit(benchmark::kMicrosecond);

// The console's first query: every request with its history, newest first.
void BM_List10k(benchmark::State& state)
{
    auto store = openStore(listDatabase());
    RequestFilter filter;
    filter.limit = int(state.range(0));
    qsizetype rows = 0;
    for (auto _ : state) {
        auto listed = store->list(filter);
        if (!listed) {
            state.SkipWithError(qPrintable(listed.error().message));
            break;
        }
        rows = listed.value().size();
        benchmark::DoNotOptimize(listed);
    }
    state.counters["requests"] = double(rows);
    state.SetItemsProcessed(state.iterations() * rows);
}
BENCHMARK(BM_List10k)->Arg(0)->Arg(500)->Unit(benchmark::kMillisecond);

// A state filter (the admin's "queued" tab) over the same 10,000.
void BM_List10kQueuedOnly(benchmark::State& state)
{
    auto store = openStore(listDatabase());
    RequestFilter filter;
    filter.states = {RequestState::QueuedForProvisioning};
    qsizetype rows = 0;
    for (auto _ : state) {
        auto listed = store->list(filter);
        rows = listed ? listed.value().size() : 0;
        benchmark::DoNotOptimize(listed);
    }
    state.counters["requests"] = double(rows);
}
BENCHMARK(BM_List10kQueuedOnly)->Unit(benchmark::kMillisecond);

// What the console pays before its first window: open (integrity check, WAL, schema) + list all.
void BM_OpenAndList10k(benchmark::State& state)
{
    const QString path = listDatabase();
    for (auto _ : state) {
        auto store = openStore(path);
        auto listed = store->list({});
        benchmark::DoNotOptimize(listed);
    }
}
BENCHMARK(BM_OpenAndList10k)->Unit(benchmark::kMillisecond);

void BM_CountByState10k(benchmark::State& state)
{
    auto store = openStore(listDatabase());
    for (auto _ : state) {
        auto counts = store->countByState();
        benchmark::DoNotOptimize(counts);
    }
}
BENCHMARK(BM_CountByState10k)->Unit(benchmark::kMicrosecond);

// The 100,000-request database of the history view's figures, built once per run (only when one of
// its benchmarks runs: about a minute).
const QString& historyDatabase()
{
    static const QString path = [] {
        const QString p = scratch().filePath(QStringLiteral("history100k.db"));
        fill(p, s_historySize, realisticRequest);
        return p;
    }();
    return path;
}

// The console's history view at 100,000 requests: one page of 500 (newest first, with histories) as
// the table asks for it — the first; the 100th, by cursor (no OFFSET: it should cost the same); the
// first of one state (FAILED, a tenth); the first of a name search (rare: 10 matches, so the whole
// table is walked) — and the count shown beside it ("500 of 100,000"), all and FAILED; and the
// service's read of what was written lately.
void BM_HistoryPage100k(benchmark::State& state)
{
    auto store = openStore(historyDatabase());
    RequestFilter filter;
    filter.limit = 500;
    const int which = int(state.range(0));
    if (which == 1) {
        // The cursor of the 50,000th newest request: realisticRequest(i) is created i seconds after t0.
        RequestFilter find;
        find.limit = 1;
        find.olderThan = RequestCursor{t0().addSecs(s_historySize - 50000 + 1), QUuid()};
        auto found = store->list(find);
        if (!found || found.value().isEmpty()) {
            state.SkipWithError("no cursor row");
            return;
        }
        filter.olderThan = RequestCursor{found.value().constFirst().createdAt(), found.value().constFirst().id()};
    } else if (which == 2 || which == 5) {
        filter.states = {RequestState::Failed};
    } else if (which == 3) {
        filter.nameContains = QStringLiteral("web-0999");
    } else if (which == 6) {
        // What the service reads when others wrote, and at start for the guests it still follows: the
        // few requests written in the last minute or so, PROVISIONED ones.
        filter.limit = 0;
        filter.states = {RequestState::Provisioned};
        filter.updatedAfter = t0().addSecs(s_historySize - 60);
    }
    qsizetype rows = 0;
    for (auto _ : state) {
        if (which == 4 || which == 5) {
            auto counted = store->countMatching(filter);
            rows = counted ? counted.value() : 0;
            benchmark::DoNotOptimize(counted);
            continue;
        }
        auto listed = store->list(filter);
        if (!listed) {
            state.SkipWithError(qPrintable(listed.error().message));
            break;
        }
        rows = listed.value().size();
        benchmark::DoNotOptimize(listed);
    }
    static const char* const labels[] = {"first page",
                                         "100th page (cursor)",
                                         "first FAILED page",
                                         "first page of a search",
                                         "countMatching all",
                                         "countMatching FAILED",
                                         "PROVISIONED written lately (updatedAfter)"};
    state.SetLabel(labels[which]);
    state.counters["rows"] = double(rows);
}
BENCHMARK(BM_HistoryPage100k)->DenseRange(0, 6)->Unit(benchmark::kMillisecond);

// One stored spec read back, as every listed row is: the JSON text parsed (arg 0), then VmSpec::fromJson
// on the parsed object (arg 1) — the two parts of what a row's spec costs.
void BM_StoredSpecParse(benchmark::State& state)
{
    const QByteArray stored = QJsonDocument(spec(12345).toJson()).toJson(QJsonDocument::Compact);
    const QJsonObject parsed = QJsonDocument::fromJson(stored).object();
    for (auto _ : state) {
        if (state.range(0) == 0) {
            auto doc = QJsonDocument::fromJson(stored);
            benchmark::DoNotOptimize(doc);
        } else {
            auto read = VmSpec::fromJson(parsed);
            if (!read) {
                state.SkipWithError(qPrintable(read.error().message));
                break;
            }
            benchmark::DoNotOptimize(read);
        }
    }
    state.SetLabel(state.range(0) == 0 ? "QJsonDocument::fromJson" : "VmSpec::fromJson");
    state.counters["bytes"] = double(stored.size());
}
BENCHMARK(BM_StoredSpecParse)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

// A drain's claim of `range(0)` requests from 10,000 queued ones: one UPDATE … RETURNING plus their
// histories, committed with FULL. Leases last 30 s and the clock moves 1 s per claim, so claimed rows
// pile up (and are skipped) until their leases lapse, as in a real drain.
void BM_ClaimNextBatch(benchmark::State& state)
{
    const QString path = scratch().filePath(QStringLiteral("claim-%1.db").arg(state.range(0)));
    if (!QFile::exists(path)) {
        fill(path, s_listSize, queuedRequest);
    }
    auto store = openStore(path);
    QDateTime now = t0().addDays(1);
    const int batch = int(state.range(0));
    std::int64_t claimed = 0;
    for (auto _ : state) {
        auto got = store->claimNext(QStringLiteral("drain"), now.addSecs(30), now, batch);
        if (!got) {
            state.SkipWithError(qPrintable(got.error().message));
            break;
        }
        claimed += got.value().size();
        now = now.addSecs(1);
    }
    state.SetItemsProcessed(claimed);
}
BENCHMARK(BM_ClaimNextBatch)->Arg(1)->Arg(4)->Arg(16)->Arg(64)->Unit(benchmark::kMicrosecond);

} // namespace

int main(int argc, char** argv)
{
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
        return 1;
    }
    // QtSql needs an application object (it loads the SQLite driver as a plugin).
    QCoreApplication app(argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
