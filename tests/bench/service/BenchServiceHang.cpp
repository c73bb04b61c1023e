// bench_service_hang: how long the breaker takes to open once vCenter stops answering.
//
// The real service (production adapter options, SQLite store, the real clock and its own tick timer) is
// connected to a private simulator and provisions a batch of requests, `drainConcurrency` at a time. The
// door delays every RetrievePropertiesEx (task polls, read-backs, inventory), so calls are in flight all
// the time. Once the first request is PROVISIONED the door hangs (connections accepted, never answered)
// and the wall time from the hang to the service's breakerTransitioned(→ OPEN) is measured. Each failure
// that opens it is a call timing out after the call timeout T, one by one through the breaker (the task
// polls and read-backs pass its gate), so the expected bound is threshold N × T + one service tick
// (docs/BENCHMARKS.md: with one request in flight the service's own gaps between timeouts can pass it).
//
// Usage: DCM_VCSIM_BIN=build/tests/vcsim/dcm-vcsim bench_service_hang [--thresholds 1,2,5] [--runs 5]
//          [--call-timeout-ms 2000] [--delay-ms 1000] [--tick-ms 1000] [--requests 24] [--concurrency 4]
//          [--give-up-factor 3]
// Prints one JSON line per run and a summary line ("case":"hang-summary"); a table on stderr. Exit 1 when
// any run fails: the breaker did not open within give-up-factor × bound, it opened before the hang or for
// another cause than timeouts, or the service reported an error (store, credentials, a request FAILED).
#include "ServiceBench.h"
#include "SimulatorSpec.h"
#include "VcsimProcess.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>

using namespace dcm;
using namespace dcm::bench;
using namespace std::chrono_literals;

namespace {

struct Options
{
    QList<int> thresholds{1, 2, 5};
    int runs = 5;
    int callTimeoutMs = 2000;
    int delayMs = 1000;
    int tickMs = 1000;
    int requests = 24;
    int concurrency = 4;
    double giveUpFactor = 3.0;
};

struct RunResult
{
    bool ok = false;
    double seconds = 0; // hang -> breakerTransitioned(OPEN)
    QString failure;
    QString openedBy; // SOAP method of the last counted failure
};

double boundSeconds(const Options& o, int threshold)
{
    return (double(threshold) * o.callTimeoutMs + o.tickMs) / 1000.0;
}

RunResult runOnce(VcsimProcess& sim, const QString& dir, const Options& o, int threshold, int run)
{
    RunResult result;
    const double bound = boundSeconds(o, threshold);
    QJsonObject line{{QStringLiteral("case"), QStringLiteral("hang")},
                     {QStringLiteral("threshold"), threshold},
                     {QStringLiteral("run"), run},
                     {QStringLiteral("boundS"), bound}};
    auto fail = [&](const QString& why) {
        if (result.failure.isEmpty())
            result.failure = why;
    };

    sim.reset();
    SystemClock clock;
    ServiceConfig config;
    config.breaker.failureThreshold = threshold;
    config.drainConcurrency = o.concurrency;
    config.tickInterval = std::chrono::milliseconds(o.tickMs);
    config.owner = QStringLiteral("bench-hang-n%1-r%2").arg(threshold).arg(run);
    auto service =
        makeService(clock, QStringLiteral("%1/hang-n%2-r%3.sqlite").arg(dir).arg(threshold).arg(run), config);

    QElapsedTimer sinceHang; // invalid until the door hangs
    qint64 openedAtMs = -1;
    QString openReason;
    BreakerSnapshot atOpen;
    int provisioned = 0;
    int provisionedAtHang = 0;
    int provisionedAtOpen = 0;
    QObject::connect(service.get(), &ProvisioningService::breakerTransitioned, [&](const BreakerTransition& t) {
        if (t.to != BreakerState::Open || openedAtMs >= 0)
            return;
        if (!sinceHang.isValid())
            return fail(QStringLiteral("the breaker opened before the hang: %1").arg(t.reason));
        openedAtMs = sinceHang.elapsed();
        openReason = t.reason;
        provisionedAtOpen = provisioned;
        // Read now: calls already out keep failing after the breaker opened and replace its last error.
        atOpen = service->breakerSnapshot();
    });
    QObject::connect(service.get(), &ProvisioningService::storageFailed,
                     [&](const Error& e) { fail(QStringLiteral("store failed: %1").arg(e.message)); });
    QObject::connect(service.get(), &ProvisioningService::connectionChanged, [&](const ConnectionStatus& c) {
        if (c.state == ConnectionStatus::State::NeedsOperator)
            fail(QStringLiteral("connection needs the operator: %1").arg(c.error ? c.error->message : QString()));
    });
    QObject::connect(service.get(), &ProvisioningService::requestSettled, [&](const ProvisioningRequest& r) {
        if (r.state() == RequestState::Provisioned) {
            ++provisioned;
        } else if (!sinceHang.isValid()) {
            fail(QStringLiteral("request %1 ended %2 before the hang").arg(r.spec().name, toString(r.state())));
        }
    });

    service->initialize();
    if (!service->isInitialized())
        fail(QStringLiteral("the service did not initialize"));
    ConnectionSettings settings = settingsFor(sim);
    settings.callTimeout = std::chrono::milliseconds(o.callTimeoutMs);
    if (result.failure.isEmpty()) {
        service->connectTo(settings);
        if (!waitFor([&] { return service->connectionStatus().state == ConnectionStatus::State::Connected; }, 30000))
            fail(QStringLiteral("not connected within 30 s"));
    }

    int inFlightAtHang = 0;
    qint64 controlCallMs = 0;
    if (result.failure.isEmpty()) {
        // Every poll, read-back and inventory read takes `delayMs` (less than the call timeout, so nothing
        // times out before the hang): calls are in flight whenever the hang begins.
        sim.post(QStringLiteral("/delay"), {{QStringLiteral("method"), QStringLiteral("RetrievePropertiesEx")},
                                            {QStringLiteral("ms"), o.delayMs}});
        // Queued first, then released: the drain sends them `concurrency` at a time, so a new request
        // starts whenever one settles and work stays in flight until the last batch.
        service->setQueuePaused(true);
        for (int i = 0; i < o.requests; ++i)
            service->submit(simulatorSpec(QStringLiteral("hang-n%1-r%2-%3").arg(threshold).arg(run).arg(i)));
        service->setQueuePaused(false);
        if (!waitFor([&] { return (provisioned > 0 && service->inFlightCount() > 0) || !result.failure.isEmpty(); },
                     60000))
            fail(QStringLiteral("no request provisioned within 60 s"));
    }
    if (result.failure.isEmpty()) {
        // Spread the moment of the hang over one delay across the runs: it lands at different points of
        // the calls in flight.
        runEventLoop(o.runs > 1 ? o.delayMs * (run - 1) / o.runs : 0);
        inFlightAtHang = service->inFlightCount();
        provisionedAtHang = provisioned;
        // Timed from before the control call: a call the door answered while switching counts as time
        // to open, never the other way round.
        sinceHang.start();
        sim.post(QStringLiteral("/door/hang"));
        controlCallMs = sinceHang.elapsed();
        const qint64 giveUpMs = qint64(o.giveUpFactor * bound * 1000);
        if (!waitFor([&] { return openedAtMs >= 0 || !result.failure.isEmpty(); }, giveUpMs))
            fail(QStringLiteral("the breaker did not open within %1 s of the hang").arg(giveUpMs / 1000.0));
    }
    const QString lastError = atOpen.lastError ? atOpen.lastError->code : QString();
    // The call whose timeout opened it: a timeout's message starts with the SOAP method.
    result.openedBy = atOpen.lastError ? atOpen.lastError->message.section(QLatin1Char(' '), 0, 0) : QString();
    if (openedAtMs >= 0 && lastError != QLatin1String("timeout"))
        fail(QStringLiteral("the breaker opened on \"%1\", not on timeouts").arg(lastError));

    // Held connections are closed by the door's change back; the service goes with what it holds.
    sim.post(QStringLiteral("/door/normal"));
    service->shutdown();
    service.reset();
    sim.reset();

    result.ok = result.failure.isEmpty();
    result.seconds = openedAtMs / 1000.0;
    line.insert(QStringLiteral("ok"), result.ok);
    if (openedAtMs >= 0) {
        line.insert(QStringLiteral("hangToOpenS"), result.seconds);
        line.insert(QStringLiteral("withinBound"), result.seconds <= bound);
    }
    line.insert(QStringLiteral("inFlightAtHang"), inFlightAtHang);
    line.insert(QStringLiteral("provisionedAtHang"), provisionedAtHang);
    line.insert(QStringLiteral("provisionedAtOpen"), provisionedAtOpen);
    line.insert(QStringLiteral("controlCallMs"), controlCallMs);
    line.insert(QStringLiteral("lastError"), lastError);
    line.insert(QStringLiteral("openedBy"), result.openedBy);
    line.insert(QStringLiteral("reason"), openReason);
    if (!result.ok)
        line.insert(QStringLiteral("failure"), result.failure);
    emitLine(line);
    return result;
}

double median(QList<double> v)
{
    std::sort(v.begin(), v.end());
    const qsizetype n = v.size();
    return n % 2 ? v.at(n / 2) : (v.at(n / 2 - 1) + v.at(n / 2)) / 2.0;
}

// Parses `--name value` pairs; a bad value is reported with its option and the program exits 2.
bool parse(const QStringList& args, Options& o)
{
    auto positive = [](const QString& name, const QString& value, int& out) {
        bool ok = false;
        const int v = value.toInt(&ok);
        if (!ok || v <= 0) {
            std::fprintf(stderr, "bench_service_hang: %s must be a positive integer, got \"%s\"\n", qPrintable(name),
                         qPrintable(value));
            return false;
        }
        out = v;
        return true;
    };
    for (int i = 1; i < args.size(); ++i) {
        const QString& name = args.at(i);
        if (i + 1 >= args.size()) {
            std::fprintf(stderr, "bench_service_hang: %s needs a value\n", qPrintable(name));
            return false;
        }
        const QString value = args.at(++i);
        bool ok = true;
        if (name == QLatin1String("--thresholds")) {
            o.thresholds.clear();
            for (const QString& t : value.split(QLatin1Char(','))) {
                int n = 0;
                if (!positive(name, t, n))
                    return false;
                o.thresholds << n;
            }
        } else if (name == QLatin1String("--runs")) {
            ok = positive(name, value, o.runs);
        } else if (name == QLatin1String("--call-timeout-ms")) {
            ok = positive(name, value, o.callTimeoutMs);
        } else if (name == QLatin1String("--delay-ms")) {
            ok = positive(name, value, o.delayMs);
        } else if (name == QLatin1String("--tick-ms")) {
            ok = positive(name, value, o.tickMs);
        } else if (name == QLatin1String("--requests")) {
            ok = positive(name, value, o.requests);
        } else if (name == QLatin1String("--concurrency")) {
            ok = positive(name, value, o.concurrency);
        } else if (name == QLatin1String("--give-up-factor")) {
            o.giveUpFactor = value.toDouble(&ok);
            if (!ok || o.giveUpFactor < 1.0) {
                std::fprintf(stderr, "bench_service_hang: --give-up-factor must be a number >= 1, got \"%s\"\n",
                             qPrintable(value));
                return false;
            }
        } else {
            std::fprintf(stderr, "bench_service_hang: unknown option %s\n", qPrintable(name));
            return false;
        }
        if (!ok)
            return false;
    }
    if (o.delayMs >= o.callTimeoutMs) {
        std::fprintf(stderr,
                     "bench_service_hang: --delay-ms (%d) must be below --call-timeout-ms (%d), or the delayed "
                     "calls time out before the hang\n",
                     o.delayMs, o.callTimeoutMs);
        return false;
    }
    return true;
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    Options o;
    if (!parse(QCoreApplication::arguments(), o))
        return 2;
    QLoggingCategory::setFilterRules(QStringLiteral("dcm.*.debug=false\ndcm.*.info=false"));
    QTemporaryDir dir;
    VcsimProcess sim;
    QString error;
    if (!sim.start(&error)) {
        std::fprintf(stderr, "bench_service_hang: %s\n", qPrintable(error));
        return 1;
    }

    bool allOk = true;
    QJsonArray summary;
    std::fprintf(stderr, "threshold  runs ok  median s  worst s  bound N*T+tick s\n");
    for (int threshold : std::as_const(o.thresholds)) {
        QList<double> seconds;
        QJsonObject openedBy;
        int failed = 0;
        for (int run = 1; run <= o.runs; ++run) {
            const RunResult r = runOnce(sim, dir.path(), o, threshold, run);
            if (r.ok) {
                seconds << r.seconds;
                openedBy.insert(r.openedBy, openedBy.value(r.openedBy).toInt() + 1);
            } else
                ++failed;
        }
        allOk = allOk && failed == 0;
        const double bound = boundSeconds(o, threshold);
        QJsonObject t{{QStringLiteral("threshold"), threshold},
                      {QStringLiteral("runs"), o.runs},
                      {QStringLiteral("failed"), failed},
                      {QStringLiteral("boundS"), bound},
                      {QStringLiteral("openedBy"), openedBy}};
        if (!seconds.isEmpty()) {
            const double worst = *std::max_element(seconds.cbegin(), seconds.cend());
            t.insert(QStringLiteral("medianS"), median(seconds));
            t.insert(QStringLiteral("worstS"), worst);
            t.insert(QStringLiteral("worstWithinBound"), worst <= bound);
            std::fprintf(stderr, "%9d  %4d/%-2d  %8.2f  %7.2f  %16.2f\n", threshold, int(seconds.size()), o.runs,
                         median(seconds), worst, bound);
        } else {
            std::fprintf(stderr, "%9d  %4d/%-2d  %8s  %7s  %16.2f\n", threshold, 0, o.runs, "-", "-", bound);
        }
        summary.append(t);
    }
    emitLine({{QStringLiteral("case"), QStringLiteral("hang-summary")},
              {QStringLiteral("ok"), allOk},
              {QStringLiteral("callTimeoutMs"), o.callTimeoutMs},
              {QStringLiteral("tickMs"), o.tickMs},
              {QStringLiteral("delayMs"), o.delayMs},
              {QStringLiteral("requests"), o.requests},
              {QStringLiteral("concurrency"), o.concurrency},
              {QStringLiteral("clock"), QStringLiteral("system")},
              {QStringLiteral("thresholds"), summary}});
    return allOk ? 0 : 1;
}
