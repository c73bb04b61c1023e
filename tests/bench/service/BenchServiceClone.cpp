// bench_service_clone: a batch of clones drained by the real service beside a govmomi peer cloning the
// same number from the same template, on one simulator (started with a template), in the same run.
//
// Each round, for each concurrency C:
//   peer      dcm-bench-peer -mode clone: CloneVM_Task + task wait, C at a time, the adapter's CloneSpec
//             (request key, CPUs/memory, the template's NIC reconnected); template and placement looked
//             up once before its clock starts
//   peer-each the same, but the template found and its devices read for every clone, as the adapter does
//             (--no-peer-each leaves it out)
//   dcm       ProvisioningService::submitBatch of N clones (one call, a fresh SQLite database, connected
//             first) drained C at a time: placement, the template found and read, CloneVM_Task, task
//             polls, read-back, every step written; timed from submitBatch to the last PROVISIONED
// The order of the clients alternates from round to round, and every clone is destroyed after its run
// so that each run starts from the same inventory. SOAP calls per clone come from the simulator's /stats.
//
// Usage: DCM_VCSIM_BIN=build/tests/vcsim/dcm-vcsim DCM_BENCH_PEER=build/tests/bench/hypervisor/dcm-bench-peer
//          bench_service_clone [--requests 50] [--concurrency 4,8] [--rounds 5] [--no-peer-each]
//          [--template DC0_TMPL0] [--db-dir DIR]
// --db-dir: where the SQLite databases go (default: the temporary directory, on the disk like the
// console's); /dev/shm shows what the drain costs without the disk's commits.
// Without DCM_BENCH_PEER only the drain runs (no ratio). One JSON line per run, a summary line, a table
// on stderr. Exit 1 when any run fails: a request not PROVISIONED, a key carried by other than exactly one
// VM, a peer that failed or left other than one VM per name, or a run that did not finish in time.
#include "ServiceBench.h"
#include "VcsimProcess.h"

#include "domain/BatchPlan.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <type_traits>

using namespace dcm;
using namespace dcm::bench;
using namespace std::chrono_literals;

namespace {

const QString kNetwork = QStringLiteral("VM Network");
constexpr int kCpus = 1;
constexpr qint64 kMemoryMiB = 512;

struct Options
{
    int requests = 50;
    QList<int> concurrencies{4, 8};
    int rounds = 5;
    bool peerEach = true;
    int runTimeoutMs = 600000;
    QString templateName = QStringLiteral("DC0_TMPL0");
    QString dbDir; // empty: a temporary directory on the disk, as the console's database
};

struct Run
{
    bool ok = false;
    double seconds = 0;
    double storeMs = 0;  // dcm: time in the request store on the service's thread
    double submitMs = 0; // dcm: the submitBatch call
    QString failure;
};

// The store the service uses, timed: every call runs on the service's thread (the event loop that also
// sends and answers the SOAP calls), so the time spent here is time the drain sends nothing. Counts and
// milliseconds per method.
class TimedStore final : public RequestStorePort
{
public:
    struct Tally
    {
        int calls = 0;
        qint64 ns = 0;
    };
    using Tallies = QMap<QString, Tally>;

    TimedStore(std::unique_ptr<RequestStorePort> inner, std::shared_ptr<Tallies> tallies)
        : m_inner(std::move(inner)), m_tallies(std::move(tallies))
    {}

    Result<void> insert(const ProvisioningRequest& r, const QString& owner, const QDateTime& until) override
    {
        return timed("insert", [&] { return m_inner->insert(r, owner, until); });
    }
    Result<void> update(const ProvisioningRequest& r, RequestState expected) override
    {
        return timed("update", [&] { return m_inner->update(r, expected); });
    }
    Result<std::optional<ProvisioningRequest>> get(const QUuid& id) override
    {
        return timed("get", [&] { return m_inner->get(id); });
    }
    Result<QList<ProvisioningRequest>> list(const RequestFilter& filter) override
    {
        return timed("list", [&] { return m_inner->list(filter); });
    }
    Result<QMap<RequestState, int>> countByState() override
    {
        return timed("countByState", [&] { return m_inner->countByState(); });
    }
    Result<QList<ProvisioningRequest>> claimNext(const QString& owner, const QDateTime& until, const QDateTime& now,
                                                 int maxCount) override
    {
        return timed("claimNext", [&] { return m_inner->claimNext(owner, until, now, maxCount); });
    }
    Result<void> renewLease(const QUuid& id, const QString& owner, const QDateTime& until) override
    {
        return timed("renewLease", [&] { return m_inner->renewLease(id, owner, until); });
    }
    Result<void> releaseClaim(const QUuid& id, const QString& owner) override
    {
        return timed("releaseClaim", [&] { return m_inner->releaseClaim(id, owner); });
    }
    Result<QList<ProvisioningRequest>> takeOverExpired(const QString& owner, const QDateTime& until,
                                                       const QDateTime& now) override
    {
        return timed("takeOverExpired", [&] { return m_inner->takeOverExpired(owner, until, now); });
    }
    Result<bool> othersWrote() override
    {
        return timed("othersWrote", [&] { return m_inner->othersWrote(); });
    }
    Result<void> insertAll(const QList<ProvisioningRequest>& requests, const QString& owner,
                           const QDateTime& until) override
    {
        return timed("insertAll", [&] { return m_inner->insertAll(requests, owner, until); });
    }
    Result<void> updateAndRelease(const ProvisioningRequest& r, RequestState expected, const QString& owner,
                                  Durability durability = Durability::Synced) override
    {
        return timed(durability == Durability::Relaxed ? "updateAndRelease(relaxed)" : "updateAndRelease",
                     [&] { return m_inner->updateAndRelease(r, expected, owner, durability); });
    }
    Result<QList<ProvisioningRequest>> claimAndStart(const QString& owner, const QDateTime& until, const QDateTime& now,
                                                     int maxCount, const ClaimStart& start) override
    {
        return timed("claimAndStart", [&] { return m_inner->claimAndStart(owner, until, now, maxCount, start); });
    }

private:
    template <typename F> std::invoke_result_t<F&> timed(const char* name, F&& f)
    {
        QElapsedTimer t;
        t.start();
        auto result = f();
        Tally& tally = (*m_tallies)[QString::fromLatin1(name)];
        tally.calls += 1;
        tally.ns += t.nsecsElapsed();
        return result;
    }

    std::unique_ptr<RequestStorePort> m_inner;
    std::shared_ptr<Tallies> m_tallies;
};

double median(QList<double> v)
{
    if (v.isEmpty())
        return 0;
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v.at(v.size() / 2) : (v.at(v.size() / 2 - 1) + v.at(v.size() / 2)) / 2;
}

// Every VM or template the simulator holds, by name, with the request key each carries.
QHash<QString, QStringList> keysByName(VcsimProcess& sim)
{
    QHash<QString, QStringList> out;
    for (const QJsonValue& v : sim.vms()) {
        const QJsonObject vm = v.toObject();
        out[vm.value(QStringLiteral("name")).toString()].append(
            vm.value(QStringLiteral("extraConfig")).toObject().value(QStringLiteral("dcm.requestId")).toString());
    }
    return out;
}

// Destroys the run's clones so that the next run sees the same inventory (the adapter lists the
// datacenter's VMs to find the template: a growing inventory would slow the later runs).
void destroyClones(VcsimProcess& sim, const QStringList& names)
{
    for (const QString& name : names)
        sim.post(QStringLiteral("/vm/destroy"), {{QStringLiteral("name"), name}});
}

QJsonObject callsPerClone(const QJsonObject& stats, int clones)
{
    QJsonObject out;
    const QJsonObject calls = stats.value(QStringLiteral("calls")).toObject();
    for (auto it = calls.begin(); it != calls.end(); ++it)
        out.insert(it.key(), it.value().toDouble() / clones);
    return out;
}

Run runPeer(VcsimProcess& sim, const QString& peer, const Options& o, int round, int concurrency, bool lookupEach)
{
    Run run;
    const QString prefix = QStringLiteral("peer%1-r%2-c%3").arg(lookupEach ? "each" : "").arg(round).arg(concurrency);
    sim.post(QStringLiteral("/stats/reset"));
    QProcess p;
    QStringList args{QStringLiteral("-mode"),     QStringLiteral("clone"),
                     QStringLiteral("-url"),      sim.sdkUrl().toString(),
                     QStringLiteral("-user"),     sim.username(),
                     QStringLiteral("-cafile"),   sim.certFile(),
                     QStringLiteral("-count"),    QString::number(o.requests),
                     QStringLiteral("-parallel"), QString::number(concurrency),
                     QStringLiteral("-network"),  kNetwork,
                     QStringLiteral("-template"), o.templateName,
                     QStringLiteral("-cpus"),     QString::number(kCpus),
                     QStringLiteral("-memory"),   QString::number(kMemoryMiB),
                     QStringLiteral("-prefix"),   prefix};
    if (lookupEach)
        args << QStringLiteral("-lookup-each");
    // The password goes through the environment, never the command line (visible to every user).
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("DCM_PEER_PASSWORD"), sim.password());
    p.setProcessEnvironment(env);
    p.start(peer, args);
    const bool finished = p.waitForFinished(o.runTimeoutMs);
    const QJsonObject stats = sim.stats();
    QJsonObject line;
    for (const QByteArray& l : p.readAllStandardOutput().split('\n'))
        if (!l.trimmed().isEmpty())
            line = QJsonDocument::fromJson(l).object();
    const QByteArray err = p.readAllStandardError().trimmed();
    if (!finished || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0 || line.isEmpty())
        run.failure = QStringLiteral("peer failed: %1").arg(QString::fromLocal8Bit(err.right(300)));

    // Exactly one VM per clone name, each with its own key.
    QStringList names;
    for (int i = 0; i < o.requests; ++i)
        names << QStringLiteral("%1-%2").arg(prefix).arg(i);
    if (run.failure.isEmpty()) {
        const QHash<QString, QStringList> byName = keysByName(sim);
        QSet<QString> keys;
        for (const QString& n : std::as_const(names)) {
            const QStringList k = byName.value(n);
            if (k.size() != 1 || k.front().isEmpty() || keys.contains(k.front())) {
                run.failure = QStringLiteral("peer: %1 VM(s) named %2").arg(k.size()).arg(n);
                break;
            }
            keys.insert(k.front());
        }
    }
    run.ok = run.failure.isEmpty();
    run.seconds = line.value(QStringLiteral("ms")).toDouble() / 1000;
    emitLine({{QStringLiteral("case"), lookupEach ? QStringLiteral("peer-each") : QStringLiteral("peer")},
              {QStringLiteral("round"), round},
              {QStringLiteral("concurrency"), concurrency},
              {QStringLiteral("clones"), o.requests},
              {QStringLiteral("ok"), run.ok},
              {QStringLiteral("failure"), run.failure},
              {QStringLiteral("seconds"), run.seconds},
              {QStringLiteral("perSecond"), run.ok ? o.requests / run.seconds : 0.0},
              {QStringLiteral("cloneMedianMs"), line.value(QStringLiteral("cloneMedianMs"))},
              {QStringLiteral("cloneMaxMs"), line.value(QStringLiteral("cloneMaxMs"))},
              {QStringLiteral("soapCalls"), stats.value(QStringLiteral("total")).toInt()},
              {QStringLiteral("callsPerClone"), callsPerClone(stats, o.requests)}});
    destroyClones(sim, names);
    return run;
}

Run runDrain(VcsimProcess& sim, const QString& dir, const Options& o, int round, int concurrency)
{
    Run run;
    auto fail = [&](const QString& why) {
        if (run.failure.isEmpty())
            run.failure = why;
    };
    SystemClock clock;
    ServiceConfig config;
    config.drainConcurrency = concurrency;
    config.owner = QStringLiteral("bench-clone-r%1-c%2").arg(round).arg(concurrency);
    const QString db = QStringLiteral("%1/clone-r%2-c%3.sqlite").arg(dir).arg(round).arg(concurrency);
    auto tallies = std::make_shared<TimedStore::Tallies>();
    auto service = std::make_unique<ProvisioningService>(
        [] { return std::make_unique<VsphereHypervisor>(); },
        [db, tallies]() -> Result<std::unique_ptr<RequestStorePort>> {
            auto store = SqliteRequestStore::open(db);
            if (!store.ok())
                return store.error();
            return std::unique_ptr<RequestStorePort>(std::make_unique<TimedStore>(std::move(store.value()), tallies));
        },
        clock, config);

    QHash<QUuid, qint64> sentAt; // first PROVISIONING
    QHash<QUuid, qint64> taskAt; // first progress naming the CloneVM_Task: the call was answered
    QHash<QUuid, qint64> settledAt;
    QHash<QUuid, RequestState> settled;
    QElapsedTimer timer;
    QObject::connect(service.get(), &ProvisioningService::requestChanged, [&](const ProvisioningRequest& r) {
        if (timer.isValid() && r.state() == RequestState::Provisioning && !sentAt.contains(r.id()))
            sentAt.insert(r.id(), timer.nsecsElapsed());
    });
    QObject::connect(service.get(), &ProvisioningService::requestProgress, [&](const RequestProgress& p) {
        if (timer.isValid() && !p.taskRef.isEmpty() && !taskAt.contains(p.id))
            taskAt.insert(p.id, timer.nsecsElapsed());
    });
    QObject::connect(service.get(), &ProvisioningService::requestSettled, [&](const ProvisioningRequest& r) {
        settled.insert(r.id(), r.state());
        settledAt.insert(r.id(), timer.nsecsElapsed());
        if (r.state() != RequestState::Provisioned)
            fail(QStringLiteral("request %1 ended %2: %3")
                     .arg(r.spec().name, toString(r.state()), r.lastError() ? r.lastError()->message : QString()));
    });
    QObject::connect(service.get(), &ProvisioningService::storageFailed,
                     [&](const Error& e) { fail(QStringLiteral("store failed: %1").arg(e.message)); });

    service->initialize();
    if (!service->isInitialized())
        fail(QStringLiteral("the service did not initialize"));
    if (run.failure.isEmpty()) {
        service->connectTo(settingsFor(sim));
        if (!waitFor([&] { return service->connectionStatus().state == ConnectionStatus::State::Connected; }, 30000))
            fail(QStringLiteral("not connected within 30 s"));
    }

    VmSpec pattern;
    pattern.name = QStringLiteral("dcm-r%1-c%2-{nn}").arg(round).arg(concurrency);
    pattern.templateName = o.templateName;
    pattern.cpus = kCpus;
    pattern.memoryMiB = kMemoryMiB;
    pattern.datacenter = QStringLiteral("DC0");
    pattern.cluster = QStringLiteral("DC0_C0");
    pattern.datastore = QStringLiteral("LocalDS_0");
    pattern.nics = {NicSpec{kNetwork}};
    pattern.powerOn = false;

    QList<QUuid> ids;
    QStringList names;
    TimedStore::Tallies storeAtEnd; // the store's calls from submitBatch to the last PROVISIONED
    double submitBatchMs = 0;       // the call itself: every request stored (one commit each) before it returns
    QJsonObject stats;
    if (run.failure.isEmpty()) {
        // The calls that follow a connect (its inventory read) are left to end before the clock starts.
        runEventLoop(200);
        sim.post(QStringLiteral("/stats/reset"));
        tallies->clear();
        timer.start();
        const QList<SubmitAnswer> answers = service->submitBatch(pattern, o.requests);
        submitBatchMs = double(timer.nsecsElapsed()) / 1e6;
        for (const SubmitAnswer& a : answers) {
            if (!a.accepted())
                fail(QStringLiteral("batch refused: %1").arg(a.message));
            ids << a.id;
        }
        if (run.failure.isEmpty() &&
            !waitFor([&] { return settled.size() >= ids.size() || !run.failure.isEmpty(); }, o.runTimeoutMs))
            fail(QStringLiteral("%1 of %2 settled within %3 s")
                     .arg(settled.size())
                     .arg(ids.size())
                     .arg(o.runTimeoutMs / 1000));
        run.seconds = double(timer.nsecsElapsed()) / 1e9;
        stats = sim.stats();
        storeAtEnd = *tallies;
        for (int i = 1; i <= o.requests; ++i)
            names << batchName(pattern.name, i);
    }

    // Exactly one VM per request key, and every request PROVISIONED.
    if (run.failure.isEmpty()) {
        const QHash<QString, int> perKey = sim.vmsPerRequestKey();
        for (const QUuid& id : std::as_const(ids)) {
            const int n = perKey.value(id.toString(QUuid::WithoutBraces));
            if (settled.value(id) != RequestState::Provisioned)
                fail(QStringLiteral("request %1 not PROVISIONED").arg(id.toString()));
            else if (n != 1)
                fail(QStringLiteral("request %1 is carried by %2 VMs").arg(id.toString()).arg(n));
        }
    }
    run.ok = run.failure.isEmpty();

    // Where a request's time goes: sent -> CloneVM_Task answered (placement, the template found and read,
    // the clone call) and answered -> PROVISIONED (task polls, read-back, the store's writes).
    QList<double> toTask;
    QList<double> afterTask;
    QList<double> perRequest;
    for (const QUuid& id : std::as_const(ids)) {
        if (!sentAt.contains(id) || !settledAt.contains(id))
            continue;
        perRequest << (settledAt.value(id) - sentAt.value(id)) / 1e6;
        if (taskAt.contains(id)) {
            toTask << (taskAt.value(id) - sentAt.value(id)) / 1e6;
            afterTask << (settledAt.value(id) - taskAt.value(id)) / 1e6;
        }
    }
    const int total = stats.value(QStringLiteral("total")).toInt();
    QJsonObject storeCalls;
    double storeMs = 0;
    for (auto it = storeAtEnd.cbegin(); it != storeAtEnd.cend(); ++it) {
        storeCalls.insert(
            it.key(), QJsonObject{{QStringLiteral("calls"), it->calls}, {QStringLiteral("ms"), double(it->ns) / 1e6}});
        storeMs += double(it->ns) / 1e6;
    }
    run.storeMs = storeMs;
    run.submitMs = submitBatchMs;
    emitLine(
        {{QStringLiteral("case"), QStringLiteral("dcm")},
         {QStringLiteral("round"), round},
         {QStringLiteral("concurrency"), concurrency},
         {QStringLiteral("clones"), o.requests},
         {QStringLiteral("submit"), QStringLiteral("submitBatch")},
         {QStringLiteral("ok"), run.ok},
         {QStringLiteral("failure"), run.failure},
         {QStringLiteral("provisioned"), int(std::count(settled.cbegin(), settled.cend(), RequestState::Provisioned))},
         {QStringLiteral("seconds"), run.seconds},
         {QStringLiteral("perSecond"), run.ok ? o.requests / run.seconds : 0.0},
         {QStringLiteral("submitBatchMs"), submitBatchMs},
         {QStringLiteral("storeMs"), storeMs},
         {QStringLiteral("storeCalls"), storeCalls},
         {QStringLiteral("requestMedianMs"), median(perRequest)},
         {QStringLiteral("requestMaxMs"),
          perRequest.isEmpty() ? 0.0 : *std::max_element(perRequest.cbegin(), perRequest.cend())},
         {QStringLiteral("sentToTaskMedianMs"), median(toTask)},
         {QStringLiteral("taskToProvisionedMedianMs"), median(afterTask)},
         {QStringLiteral("soapCalls"), total},
         {QStringLiteral("callsPerClone"), callsPerClone(stats, o.requests)}});
    service->shutdown();
    runEventLoop(50);
    service.reset();
    destroyClones(sim, names);
    return run;
}

QString loadAverage()
{
    QFile f(QStringLiteral("/proc/loadavg"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromLatin1(f.readAll()).section(QLatin1Char(' '), 0, 2);
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    Options o;
    const QStringList args = QCoreApplication::arguments();
    for (int i = 1; i < args.size(); ++i) {
        const bool hasValue = i + 1 < args.size();
        if (args.at(i) == QLatin1String("--requests") && hasValue)
            o.requests = args.at(++i).toInt();
        else if (args.at(i) == QLatin1String("--rounds") && hasValue)
            o.rounds = args.at(++i).toInt();
        else if (args.at(i) == QLatin1String("--concurrency") && hasValue) {
            o.concurrencies.clear();
            for (const QString& c : args.at(++i).split(QLatin1Char(',')))
                o.concurrencies << c.toInt();
        } else if (args.at(i) == QLatin1String("--db-dir") && hasValue)
            o.dbDir = args.at(++i);
        else if (args.at(i) == QLatin1String("--template") && hasValue)
            o.templateName = args.at(++i);
        else if (args.at(i) == QLatin1String("--no-peer-each"))
            o.peerEach = false;
        else {
            std::fprintf(stderr, "bench_service_clone: unknown argument %s\n", qPrintable(args.at(i)));
            return 2;
        }
    }
    if (o.requests < 1 || o.requests > maxBatchCount || o.rounds < 1 || o.concurrencies.isEmpty() ||
        std::any_of(o.concurrencies.cbegin(), o.concurrencies.cend(), [](int c) { return c < 1; })) {
        std::fprintf(stderr, "bench_service_clone: --requests 1..%d, --rounds >= 1, --concurrency of values >= 1\n",
                     maxBatchCount);
        return 2;
    }
    QLoggingCategory::setFilterRules(QStringLiteral("dcm.*.debug=false\ndcm.*.info=false"));
    const QString peer = qEnvironmentVariable("DCM_BENCH_PEER");
    if (peer.isEmpty())
        std::fprintf(stderr, "bench_service_clone: DCM_BENCH_PEER not set; no govmomi reference run\n");

    QTemporaryDir dir(o.dbDir.isEmpty() ? QDir::tempPath() + QStringLiteral("/bench-clone-XXXXXX")
                                        : o.dbDir + QStringLiteral("/bench-clone-XXXXXX"));
    if (!dir.isValid()) {
        std::fprintf(stderr, "bench_service_clone: cannot make a directory for the databases: %s\n",
                     qPrintable(dir.errorString()));
        return 1;
    }
    VcsimProcess sim{QStringList{QStringLiteral("-templates"), QStringLiteral("1")}};
    QString error;
    if (!sim.start(&error)) {
        std::fprintf(stderr, "bench_service_clone: %s\n", qPrintable(error));
        return 1;
    }
    const QString loadBefore = loadAverage();

    struct Figures
    {
        QList<double> dcm, peer, peerEach, ratio, ratioEach, storeShare, submitMs;
    };
    QHash<int, Figures> figures;
    bool allOk = true;
    for (int round = 1; round <= o.rounds; ++round) {
        for (int c : std::as_const(o.concurrencies)) {
            Run mine;
            Run theirs;
            Run theirsEach;
            const bool peerFirst = round % 2 == 1;
            if (peerFirst && !peer.isEmpty())
                theirs = runPeer(sim, peer, o, round, c, false);
            if (o.peerEach && !peer.isEmpty())
                theirsEach = runPeer(sim, peer, o, round, c, true);
            mine = runDrain(sim, dir.path(), o, round, c);
            if (!peerFirst && !peer.isEmpty())
                theirs = runPeer(sim, peer, o, round, c, false);
            Figures& f = figures[c];
            allOk = allOk && mine.ok;
            if (mine.ok) {
                f.dcm << mine.seconds;
                f.storeShare << mine.storeMs / 1000 / mine.seconds;
                f.submitMs << mine.submitMs;
            }
            if (!peer.isEmpty()) {
                allOk = allOk && theirs.ok && (!o.peerEach || theirsEach.ok);
                if (theirs.ok)
                    f.peer << theirs.seconds;
                if (mine.ok && theirs.ok)
                    f.ratio << theirs.seconds / mine.seconds; // throughput ratio dcm / peer
                if (o.peerEach && theirsEach.ok) {
                    f.peerEach << theirsEach.seconds;
                    if (mine.ok)
                        f.ratioEach << theirsEach.seconds / mine.seconds;
                }
            }
        }
    }
    const QString loadAfter = loadAverage();

    // Median and worst of the rounds: the slowest wall time, the lowest ratio.
    QJsonArray summary;
    std::fprintf(stderr, "\n%d clones a run, %d round(s), load average %s -> %s\n", o.requests, o.rounds,
                 qPrintable(loadBefore), qPrintable(loadAfter));
    std::fprintf(stderr, "%4s  %-22s  %-22s  %-22s  %-17s  %-17s  %s\n", "C", "dcm s (median/worst)",
                 "peer s (median/worst)", "peer-each s", "dcm/peer ratio", "dcm/peer-each",
                 "dcm: store share, submitBatch ms (medians)");
    for (int c : std::as_const(o.concurrencies)) {
        const Figures& f = figures.value(c);
        auto worst = [](const QList<double>& v, bool highest) {
            if (v.isEmpty())
                return 0.0;
            return highest ? *std::max_element(v.cbegin(), v.cend()) : *std::min_element(v.cbegin(), v.cend());
        };
        summary.append(
            QJsonObject{{QStringLiteral("concurrency"), c},
                        {QStringLiteral("runsOk"), int(f.dcm.size())},
                        {QStringLiteral("dcmMedianS"), median(f.dcm)},
                        {QStringLiteral("dcmWorstS"), worst(f.dcm, true)},
                        {QStringLiteral("dcmMedianPerSecond"), f.dcm.isEmpty() ? 0.0 : o.requests / median(f.dcm)},
                        {QStringLiteral("peerMedianS"), median(f.peer)},
                        {QStringLiteral("peerWorstS"), worst(f.peer, true)},
                        {QStringLiteral("peerMedianPerSecond"), f.peer.isEmpty() ? 0.0 : o.requests / median(f.peer)},
                        {QStringLiteral("peerEachMedianS"), median(f.peerEach)},
                        {QStringLiteral("peerEachWorstS"), worst(f.peerEach, true)},
                        {QStringLiteral("ratioMedian"), median(f.ratio)},
                        {QStringLiteral("ratioWorst"), worst(f.ratio, false)},
                        {QStringLiteral("ratioEachMedian"), median(f.ratioEach)},
                        {QStringLiteral("ratioEachWorst"), worst(f.ratioEach, false)},
                        {QStringLiteral("dcmStoreShareMedian"), median(f.storeShare)},
                        {QStringLiteral("dcmSubmitBatchMsMedian"), median(f.submitMs)}});
        std::fprintf(
            stderr,
            "%4d  %9.3f / %-10.3f  %9.3f / %-10.3f  %9.3f / %-10.3f  %6.2f / %-8.2f  %6.2f / %-8.2f  %3.0f %%, %.0f\n",
            c, median(f.dcm), worst(f.dcm, true), median(f.peer), worst(f.peer, true), median(f.peerEach),
            worst(f.peerEach, true), median(f.ratio), worst(f.ratio, false), median(f.ratioEach),
            worst(f.ratioEach, false), 100 * median(f.storeShare), median(f.submitMs));
    }
    emitLine({{QStringLiteral("case"), QStringLiteral("clone-summary")},
              {QStringLiteral("ok"), allOk},
              {QStringLiteral("clones"), o.requests},
              {QStringLiteral("rounds"), o.rounds},
              {QStringLiteral("dbDir"), dir.path()},
              {QStringLiteral("peer"), !peer.isEmpty()},
              {QStringLiteral("loadAverageBefore"), loadBefore},
              {QStringLiteral("loadAverageAfter"), loadAfter},
              {QStringLiteral("concurrencies"), summary}});
    return allOk ? 0 : 1;
}
