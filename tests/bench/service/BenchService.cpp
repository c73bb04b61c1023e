// bench_service: the provisioning service with the real adapter and store against the bundled simulator.
//   drain   1,000 queued requests provisioned at concurrency 1, 4 and 8 (requests per second)
//   scouts  calls reaching the simulator while the breaker is open, per cooldown (goal: exactly one)
// Usage: DCM_VCSIM_BIN=build/tests/vcsim/dcm-vcsim bench_service [--requests N] [--concurrency 1,4,8]
// Prints one JSON object per line.
#include "ManualClock.h"
#include "ServiceBench.h"
#include "SimulatorSpec.h"
#include "VcsimProcess.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QProcess>
#include <QTemporaryDir>

#include <cstdio>

using namespace dcm;
using namespace dcm::bench;
using namespace std::chrono_literals;

namespace {

VmSpec spec(const QString& name)
{
    return simulatorSpec(name);
}

void drain(VcsimProcess& sim, const QString& dir, int requests, int concurrency)
{
    const QString db = QStringLiteral("%1/drain-%2.sqlite").arg(dir).arg(concurrency);
    {
        auto store = SqliteRequestStore::open(db);
        const QDateTime t0 = QDateTime::currentDateTimeUtc();
        for (int i = 0; i < requests; ++i) {
            ProvisioningRequest r(QUuid::createUuid(), spec(QStringLiteral("drain-c%1-%2").arg(concurrency).arg(i)),
                                  t0.addMSecs(i));
            (void)store.value()->insert(r, QString(), QDateTime());
        }
    }
    SystemClock clock;
    ServiceConfig config;
    config.drainConcurrency = concurrency;
    config.tickInterval = 100ms;
    auto service = makeService(clock, db, config);
    int provisioned = 0;
    int failed = 0;
    QObject::connect(service.get(), &ProvisioningService::requestSettled, [&](const ProvisioningRequest& r) {
        (r.state() == RequestState::Provisioned ? provisioned : failed) += 1;
    });
    service->initialize();
    QElapsedTimer timer;
    timer.start();
    service->connectTo(settingsFor(sim));
    const bool done = waitFor([&] { return provisioned + failed >= requests; }, 600000);
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    emitLine({{QStringLiteral("case"), QStringLiteral("drain")},
              {QStringLiteral("concurrency"), concurrency},
              {QStringLiteral("requests"), requests},
              {QStringLiteral("provisioned"), provisioned},
              {QStringLiteral("failed"), failed},
              {QStringLiteral("complete"), done},
              {QStringLiteral("seconds"), seconds},
              {QStringLiteral("perSecond"), provisioned / seconds}});
}

void scouts(VcsimProcess& sim, const QString& dir, int cooldowns)
{
    ManualClock clock;
    ServiceConfig config;
    config.tickInterval = 0ms;
    auto service = makeService(clock, dir + QStringLiteral("/scouts.sqlite"), config);
    service->initialize();
    service->connectTo(settingsFor(sim));
    waitFor([&] { return service->connectionStatus().state == ConnectionStatus::State::Connected; }, 30000);
    // Every call now answers HTTP 503: counted failures that reach the simulator's door.
    sim.post(QStringLiteral("/door/http"), {{QStringLiteral("status"), 503}});
    for (int i = 0; i < 5; ++i) {
        service->submit(spec(QStringLiteral("scout-trip-%1").arg(i)));
        waitFor([&] { return service->inFlightCount() == 0; }, 30000);
    }
    sim.post(QStringLiteral("/stats/reset"));
    for (int i = 0; i < 20; ++i)
        service->submit(spec(QStringLiteral("scout-queued-%1").arg(i)));
    // The service's loop runs before anything is counted: 30 ticks with the event loop turning between
    // them, so whatever the submissions make it send has reached the simulator's door. The clock stands
    // still inside the cooldown, so no scout is due yet: every call counted here is the submissions'.
    for (int t = 0; t < 30; ++t) {
        service->tick();
        runEventLoop(10);
    }
    runEventLoop(200);
    const int submitted = sim.stats().value(QStringLiteral("total")).toInt();
    for (int c = 0; c < cooldowns; ++c) {
        // Many ticks within the cooldown, then past it: one scout per cooldown, and it fails (503).
        for (int t = 0; t < 30; ++t) {
            clock.advance(1s);
            service->tick();
            QCoreApplication::processEvents();
        }
        clock.advance(1s);
        service->tick();
        waitFor([&] { return service->breakerSnapshot().state == BreakerState::Open; }, 30000);
    }
    const QJsonObject stats = sim.stats();
    const int calls = stats.value(QStringLiteral("total")).toInt();
    sim.post(QStringLiteral("/door/normal"));
    emitLine({{QStringLiteral("case"), QStringLiteral("scouts")},
              {QStringLiteral("cooldowns"), cooldowns},
              {QStringLiteral("callsWhileOpen"), calls},
              {QStringLiteral("callsBySubmissionsWhileOpen"), submitted},
              {QStringLiteral("callsPerCooldown"), double(calls - submitted) / cooldowns},
              {QStringLiteral("callsByMethod"), stats.value(QStringLiteral("calls"))}});
}

// The Go peer (tests/bench/peer, govmomi) creating the same number of VMs, 8 at a time, against the
// same simulator in the same run: the reference throughput the drain is compared with.
void peerCreate(const VcsimProcess& sim, int count)
{
    const QString peer = qEnvironmentVariable("DCM_BENCH_PEER");
    if (peer.isEmpty()) {
        std::fprintf(stderr, "bench_service: DCM_BENCH_PEER not set; no govmomi reference run\n");
        return;
    }
    QProcess p;
    // The password goes through the environment, never the command line (visible to every user).
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("DCM_PEER_PASSWORD"), sim.password());
    p.setProcessEnvironment(env);
    p.start(peer, {QStringLiteral("-mode"), QStringLiteral("create"), QStringLiteral("-url"), sim.sdkUrl().toString(),
                   QStringLiteral("-user"), sim.username(), QStringLiteral("-cafile"), sim.certFile(),
                   QStringLiteral("-count"), QString::number(count), QStringLiteral("-parallel"), QStringLiteral("8"),
                   QStringLiteral("-network"), QStringLiteral("VM Network")});
    p.waitForFinished(600000);
    for (const QByteArray& line : p.readAllStandardOutput().split('\n'))
        if (!line.trimmed().isEmpty())
            std::printf("{\"case\":\"peer\",\"peer\":%s}\n", line.constData());
    std::fflush(stdout);
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    int requests = 1000;
    QList<int> concurrencies{1, 4, 8};
    const QStringList args = QCoreApplication::arguments();
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args.at(i) == QLatin1String("--requests"))
            requests = args.at(i + 1).toInt();
        if (args.at(i) == QLatin1String("--concurrency")) {
            concurrencies.clear();
            for (const QString& c : args.at(i + 1).split(QLatin1Char(',')))
                concurrencies << c.toInt();
        }
    }
    QLoggingCategory::setFilterRules(QStringLiteral("dcm.*.debug=false\ndcm.*.info=false"));
    QTemporaryDir dir;
    VcsimProcess sim;
    QString error;
    if (!sim.start(&error)) {
        std::fprintf(stderr, "bench_service: %s\n", qPrintable(error));
        return 1;
    }
    peerCreate(sim, requests);
    for (int c : std::as_const(concurrencies))
        drain(sim, dir.path(), requests, c);
    if (!args.contains(QStringLiteral("--no-scouts")))
        scouts(sim, dir.path(), 10);
    return 0;
}
