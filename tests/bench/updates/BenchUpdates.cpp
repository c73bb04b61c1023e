// bench_updates: the vSphere adapter's update channel against the bundled simulator, before and after.
//   idle   SOAP calls and bytes per minute of a connected, idle console: "refresh" = the inventory read
//          again every --refresh seconds (how a console stays current without notifications),
//          "watch" = one read, then the live VM watch (WaitForUpdatesEx) keeping it current
//   seen   how long a VM renamed elsewhere (the simulator's control API, Rename_Task) takes to reach the
//          watch's delta, --renames times (median and worst; the service adds at most its 1 s throttle)
//   busy   --busy VMs provisioned 8 at a time through one adapter, with and without a live watch
//          running (alternating, --runs times): what a watch costs the simulator while much changes
//   tasks  SOAP calls per provisioned VM and each provision's wall time, tasks followed by polls vs by
//          the update channel (with a watch running, as in the service), --provisions VMs one by one
//   held   the same with tasks that stay running: the simulator holds each CreateVM_Task for each of
//          --delays ms (its task delay), --held VMs provisioned --held-concurrency (8) at a time, polls vs updates:
//          SOAP calls per VM and the delay from each task's completion (its info.completeTime, as the simulator reports
//          it) to provision() delivering the outcome (median and worst); with a live VM watch on the same collector (as
//          in the service) unless --held-watch 0
// Usage: DCM_VCSIM_BIN=build/tests/vcsim/dcm-vcsim bench_updates [--sim "-cluster 4 -host 5 -standalone 0
//        -vm 5000"] [--seconds 60] [--refresh 15] [--renames 10] [--provisions 50] [--runs 3]
//        [--busy 300] [--held 64] [--delays 500,2000] [--held-watch 1|0] [--held-concurrency 8] [--only
//        idle|seen|busy|tasks|held]
// Prints one JSON object per line; a run that fails makes the program fail.
#include "SimulatorSpec.h"
#include "VcsimProcess.h"

#include "hypervisor/vsphere/VsphereHypervisor.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <optional>

using namespace dcm;
using namespace std::chrono_literals;

namespace {

bool failedRun = false;

void emitLine(const QJsonObject& o)
{
    std::printf("%s\n", QJsonDocument(o).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);
}

void spin(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

template <class T, class Start> std::optional<Result<T>> run(Start start, int timeoutMs = 600000)
{
    std::optional<Result<T>> result;
    start([&](Result<T> r) { result.emplace(std::move(r)); });
    QElapsedTimer t;
    t.start();
    while (!result && t.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    return result;
}

ConnectionSettings settingsFor(VcsimProcess& sim)
{
    ConnectionSettings s;
    s.server = sim.sdkUrl();
    s.user = sim.username();
    s.password = sim.password();
    s.thumbprint = sim.thumbprint();
    s.callTimeout = 60s;
    return s;
}

bool connectAndRead(VsphereHypervisor& hv, VcsimProcess& sim)
{
    auto c = run<AboutInfo>([&](auto done) { hv.connectTo(settingsFor(sim), done); });
    if (!c || !c->ok())
        return false;
    auto inv = run<InventorySnapshot>([&](auto done) { hv.inventory(allInventoryKinds(), done); });
    return inv && inv->ok();
}

struct Watching
{
    int full = 0;
    int deltas = 0;
    CallId id = 0;
    QHash<QString, QString> names; // ref -> name
    void start(VsphereHypervisor& hv)
    {
        id = hv.watchInventory(
            InventoryKinds(InventoryKind::Vms),
            [this](const InventoryDelta& d) {
                ++deltas;
                full += d.full ? 1 : 0;
                if (d.full)
                    names.clear();
                for (const VmInfo& vm : d.vms)
                    names.insert(vm.ref, vm.name);
                for (const QString& ref : d.removedVms)
                    names.remove(ref);
            },
            [](Result<void>) {});
    }
};

void seen(VcsimProcess& sim, int renames)
{
    VsphereHypervisor hv;
    auto c = run<AboutInfo>([&](auto done) { hv.connectTo(settingsFor(sim), done); });
    if (!c || !c->ok()) {
        failedRun = true;
        return;
    }
    Watching w;
    w.start(hv);
    QElapsedTimer t;
    t.start();
    while (w.full == 0 && t.elapsed() < 600000)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    const QJsonArray vms = sim.vms();
    if (w.full == 0 || vms.isEmpty()) {
        failedRun = true;
        return;
    }
    QString name = vms.at(0).toObject().value(QStringLiteral("name")).toString();
    const QString ref = vms.at(0).toObject().value(QStringLiteral("moref")).toString();
    QList<double> ms;
    for (int i = 0; i < renames; ++i) {
        const QString next = QStringLiteral("bench-seen-%1").arg(i);
        sim.post(QStringLiteral("/vm/rename"), {{QStringLiteral("name"), name}, {QStringLiteral("newName"), next}});
        QElapsedTimer since; // from the rename having happened (the control call returned)
        since.start();
        while (w.names.value(ref) != next && since.elapsed() < 60000)
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 5);
        if (w.names.value(ref) != next)
            failedRun = true;
        ms.append(double(since.nsecsElapsed()) / 1e6);
        name = next;
    }
    std::sort(ms.begin(), ms.end());
    emitLine({{QStringLiteral("case"), QStringLiteral("seen")},
              {QStringLiteral("renames"), renames},
              {QStringLiteral("msMedian"), ms.at(ms.size() / 2)},
              {QStringLiteral("msWorst"), ms.last()}});
}

QJsonObject perMinute(const QJsonObject& stats, double seconds)
{
    const double f = 60.0 / seconds;
    return {{QStringLiteral("callsPerMinute"), stats.value(QStringLiteral("total")).toDouble() * f},
            {QStringLiteral("bytesInPerMinute"), stats.value(QStringLiteral("bytesIn")).toDouble() * f},
            {QStringLiteral("bytesOutPerMinute"), stats.value(QStringLiteral("bytesOut")).toDouble() * f},
            {QStringLiteral("callsByMethod"), stats.value(QStringLiteral("calls"))}};
}

void idle(VcsimProcess& sim, const QString& mode, int seconds, int refreshSeconds)
{
    VsphereHypervisor hv;
    if (!connectAndRead(hv, sim)) {
        failedRun = true;
        emitLine({{QStringLiteral("case"), QStringLiteral("idle")},
                  {QStringLiteral("mode"), mode},
                  {QStringLiteral("error"), QStringLiteral("connect or first read failed")}});
        return;
    }
    Watching w;
    if (mode == QLatin1String("watch")) {
        w.start(hv);
        QElapsedTimer t;
        t.start();
        while (w.full == 0 && t.elapsed() < 600000)
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
        if (w.full == 0) {
            failedRun = true;
            return;
        }
    }
    sim.post(QStringLiteral("/stats/reset"));
    QElapsedTimer t;
    t.start();
    int reads = 0;
    QTimer refresh;
    if (mode == QLatin1String("refresh")) {
        QObject::connect(&refresh, &QTimer::timeout, [&] {
            hv.inventory(allInventoryKinds(), [&](Result<InventorySnapshot> r) {
                if (!r.ok())
                    failedRun = true;
                ++reads;
            });
        });
        refresh.start(refreshSeconds * 1000);
    }
    spin(seconds * 1000);
    refresh.stop();
    const double elapsed = double(t.elapsed()) / 1000.0;
    QJsonObject line = perMinute(sim.stats(), elapsed);
    line.insert(QStringLiteral("case"), QStringLiteral("idle"));
    line.insert(QStringLiteral("mode"), mode);
    line.insert(QStringLiteral("seconds"), elapsed);
    line.insert(QStringLiteral("reads"), reads);
    line.insert(QStringLiteral("deltas"), w.deltas);
    emitLine(line);
}

void tasks(VcsimProcess& sim, bool byUpdates, int provisions, int run_)
{
    VsphereOptions o;
    o.tasksByUpdates = byUpdates;
    VsphereHypervisor hv(o);
    if (!connectAndRead(hv, sim)) {
        failedRun = true;
        return;
    }
    Watching w; // the service runs one: the task filters share its collector and wait
    w.start(hv);
    QElapsedTimer waitFull;
    waitFull.start();
    while (w.full == 0 && waitFull.elapsed() < 600000)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    sim.post(QStringLiteral("/stats/reset"));
    QList<double> ms;
    int ok = 0;
    for (int i = 0; i < provisions; ++i) {
        QElapsedTimer t;
        t.start();
        const QString name = QStringLiteral("bench-upd-%1-r%2-%3").arg(byUpdates ? "u" : "p").arg(run_).arg(i);
        auto r = run<ProvisionOutcome>([&](auto done) {
            hv.provision(ProvisionOrder{QUuid::createUuid(), simulatorSpec(name)}, {}, done);
        });
        ms.append(double(t.nsecsElapsed()) / 1e6);
        if (r && r->ok())
            ++ok;
        else
            failedRun = true;
    }
    const QJsonObject stats = sim.stats();
    std::sort(ms.begin(), ms.end());
    const QJsonObject calls = stats.value(QStringLiteral("calls")).toObject();
    emitLine({{QStringLiteral("case"), QStringLiteral("tasks")},
              {QStringLiteral("mode"), byUpdates ? QStringLiteral("updates") : QStringLiteral("polls")},
              {QStringLiteral("run"), run_},
              {QStringLiteral("provisioned"), ok},
              {QStringLiteral("callsPerVm"), stats.value(QStringLiteral("total")).toDouble() / std::max(1, ok)},
              {QStringLiteral("retrievePerVm"),
               calls.value(QStringLiteral("RetrievePropertiesEx")).toDouble() / std::max(1, ok)},
              {QStringLiteral("provisionMsMedian"), ms.isEmpty() ? 0.0 : ms.at(ms.size() / 2)},
              {QStringLiteral("provisionMsWorst"), ms.isEmpty() ? 0.0 : ms.last()},
              {QStringLiteral("callsByMethod"), calls}});
}

void held(VcsimProcess& sim, bool byUpdates, int delayMs, int count, int run_, bool watch, int concurrency)
{
    VsphereOptions o;
    o.tasksByUpdates = byUpdates;
    VsphereHypervisor hv(o);
    if (!connectAndRead(hv, sim)) {
        failedRun = true;
        return;
    }
    Watching w; // as in the console: the task filters share the watch's collector and wait
    if (watch) {
        w.start(hv);
        QElapsedTimer waitFull;
        waitFull.start();
        while (w.full == 0 && waitFull.elapsed() < 600000)
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    }
    sim.post(
        QStringLiteral("/door/task-delay"),
        {{QStringLiteral("ms"), delayMs}, {QStringLiteral("methods"), QJsonArray{QStringLiteral("CreateVM_Task")}}});
    sim.post(QStringLiteral("/tasks/completed/reset"));
    sim.post(QStringLiteral("/stats/reset"));
    const QString prefix = QStringLiteral("bench-held-%1-%2-r%3-").arg(byUpdates ? "u" : "p").arg(delayMs).arg(run_);
    QHash<QString, qint64> doneAtMs; // name -> when provision() delivered, ms since the epoch
    int started = 0;
    int done = 0;
    int failed = 0;
    std::function<void()> next = [&] {
        if (started >= count)
            return;
        const QString name = prefix + QString::number(started++);
        hv.provision(ProvisionOrder{QUuid::createUuid(), simulatorSpec(name)}, {},
                     [&, name](Result<ProvisionOutcome> r) {
                         doneAtMs.insert(name, QDateTime::currentMSecsSinceEpoch());
                         ++done;
                         failed += r.ok() ? 0 : 1;
                         next();
                     });
    };
    QElapsedTimer t;
    t.start();
    for (int k = 0; k < concurrency; ++k)
        next();
    // Block in the event loop (processEvents with a time limit would spin and take the simulator's
    // CPU on a small machine); the tick only bounds the wait.
    QTimer tick;
    tick.start(50);
    while (done < count && t.elapsed() < 900000)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    tick.stop();
    const double seconds = double(t.nsecsElapsed()) / 1e9;
    const QJsonObject stats = sim.stats();
    sim.post(QStringLiteral("/door/task-delay"), {{QStringLiteral("ms"), 0}});
    // As a console leaving: the collector is destroyed, so the next run does not pay for this one's.
    run<void>([&](auto bye) { hv.disconnectFrom(bye); });
    if (failed || done < count)
        failedRun = true;
    QList<double> lag;
    const QJsonArray completed =
        sim.get(QStringLiteral("/tasks/completed")).value(QStringLiteral("completed")).toArray();
    for (const QJsonValue& v : completed) {
        const QJsonObject c = v.toObject();
        const QString name = c.value(QStringLiteral("entityName")).toString();
        if (!name.startsWith(prefix) || !doneAtMs.contains(name))
            continue;
        const qint64 end = qint64(c.value(QStringLiteral("completeMs")).toDouble()); // the task's completeTime
        if (end <= 0) {
            failedRun = true;
            continue;
        }
        lag.append(double(doneAtMs.value(name) - end));
    }
    if (lag.size() != count - failed)
        failedRun = true;
    std::sort(lag.begin(), lag.end());
    const QJsonObject calls = stats.value(QStringLiteral("calls")).toObject();
    const int ok = std::max(1, done - failed);
    emitLine({{QStringLiteral("case"), QStringLiteral("held")},
              {QStringLiteral("mode"), byUpdates ? QStringLiteral("updates") : QStringLiteral("polls")},
              {QStringLiteral("taskDelayMs"), delayMs},
              {QStringLiteral("watch"), watch},
              {QStringLiteral("concurrency"), concurrency},
              {QStringLiteral("run"), run_},
              {QStringLiteral("provisioned"), done - failed},
              {QStringLiteral("seconds"), seconds},
              {QStringLiteral("callsPerVm"), stats.value(QStringLiteral("total")).toDouble() / ok},
              {QStringLiteral("retrievePerVm"), calls.value(QStringLiteral("RetrievePropertiesEx")).toDouble() / ok},
              {QStringLiteral("waitPerVm"), calls.value(QStringLiteral("WaitForUpdatesEx")).toDouble() / ok},
              {QStringLiteral("lagMsMedian"), lag.isEmpty() ? 0.0 : lag.at(lag.size() / 2)},
              {QStringLiteral("lagMsWorst"), lag.isEmpty() ? 0.0 : lag.last()},
              {QStringLiteral("lagMsBest"), lag.isEmpty() ? 0.0 : lag.first()},
              {QStringLiteral("callsByMethod"), calls}});
}

void busy(VcsimProcess& sim, bool watching, int count, int run_)
{
    VsphereHypervisor hv;
    if (!connectAndRead(hv, sim)) {
        failedRun = true;
        return;
    }
    Watching w;
    if (watching) {
        w.start(hv);
        QElapsedTimer waitFull;
        waitFull.start();
        while (w.full == 0 && waitFull.elapsed() < 600000)
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    }
    int started = 0;
    int done = 0;
    int failed = 0;
    std::function<void()> next = [&] {
        if (started >= count)
            return;
        const int i = started++;
        const QString name = QStringLiteral("bench-busy-%1-r%2-%3").arg(watching ? "w" : "n").arg(run_).arg(i);
        hv.provision(ProvisionOrder{QUuid::createUuid(), simulatorSpec(name)}, {}, [&](Result<ProvisionOutcome> r) {
            ++done;
            failed += r.ok() ? 0 : 1;
            next();
        });
    };
    QElapsedTimer t;
    t.start();
    for (int k = 0; k < 8; ++k)
        next();
    while (done < count && t.elapsed() < 900000)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    const double seconds = double(t.nsecsElapsed()) / 1e9;
    if (failed || done < count)
        failedRun = true;
    // How long after the last provision the watch has every new VM (its lag under that much change).
    double lag = 0;
    if (watching) {
        const QString prefix = QStringLiteral("bench-busy-w-r%1-").arg(run_);
        const auto seenAll = [&] {
            int n = 0;
            for (const QString& name : std::as_const(w.names))
                n += name.startsWith(prefix) ? 1 : 0;
            return n >= count;
        };
        QElapsedTimer l;
        l.start();
        while (!seenAll() && l.elapsed() < 600000)
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
        if (!seenAll())
            failedRun = true;
        lag = double(l.nsecsElapsed()) / 1e9;
    }
    emitLine({{QStringLiteral("case"), QStringLiteral("busy")},
              {QStringLiteral("watchLagSeconds"), lag},
              {QStringLiteral("watch"), watching},
              {QStringLiteral("run"), run_},
              {QStringLiteral("provisioned"), done - failed},
              {QStringLiteral("seconds"), seconds},
              {QStringLiteral("perSecond"), (done - failed) / seconds},
              {QStringLiteral("deltas"), w.deltas}});
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QStringList simArgs;
    int seconds = 60;
    int refresh = 15;
    int provisions = 50;
    int runs = 3;
    int renames = 10;
    int busyCount = 300;
    int heldCount = 64;
    bool heldWatch = true;
    int heldConcurrency = 8;
    QList<int> delays{500, 2000};
    QString only;
    const QStringList args = QCoreApplication::arguments();
    for (int i = 1; i + 1 < args.size(); ++i) {
        const QString& a = args.at(i);
        const QString& v = args.at(i + 1);
        if (a == QLatin1String("--sim"))
            simArgs = v.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        else if (a == QLatin1String("--seconds"))
            seconds = v.toInt();
        else if (a == QLatin1String("--refresh"))
            refresh = v.toInt();
        else if (a == QLatin1String("--provisions"))
            provisions = v.toInt();
        else if (a == QLatin1String("--runs"))
            runs = v.toInt();
        else if (a == QLatin1String("--only"))
            only = v;
        else if (a == QLatin1String("--renames"))
            renames = v.toInt();
        else if (a == QLatin1String("--busy"))
            busyCount = v.toInt();
        else if (a == QLatin1String("--held"))
            heldCount = v.toInt();
        else if (a == QLatin1String("--held-concurrency"))
            heldConcurrency = std::max(1, v.toInt());
        else if (a == QLatin1String("--held-watch"))
            heldWatch = v != QLatin1String("0");
        else if (a == QLatin1String("--delays")) {
            delays.clear();
            for (const QString& d : v.split(QLatin1Char(','), Qt::SkipEmptyParts))
                delays.append(d.toInt());
        }
    }
    QLoggingCategory::setFilterRules(QStringLiteral("dcm.*.debug=false\ndcm.*.info=false"));
    VcsimProcess sim(simArgs);
    QString error;
    if (!sim.start(&error, 600000)) {
        std::fprintf(stderr, "bench_updates: %s\n", qPrintable(error));
        return 1;
    }
    if (only.isEmpty() || only == QLatin1String("idle")) {
        idle(sim, QStringLiteral("refresh"), seconds, refresh);
        idle(sim, QStringLiteral("watch"), seconds, refresh);
    }
    if (only.isEmpty() || only == QLatin1String("seen"))
        seen(sim, renames);
    if (only.isEmpty() || only == QLatin1String("busy")) {
        for (int r = 0; r < runs; ++r) {
            busy(sim, r % 2 == 0, busyCount, r);
            busy(sim, r % 2 != 0, busyCount, r);
        }
    }
    if (only.isEmpty() || only == QLatin1String("tasks")) {
        for (int r = 0; r < runs; ++r) {
            tasks(sim, false, provisions, r);
            tasks(sim, true, provisions, r);
        }
    }
    if (only == QLatin1String("held")) { // not in the default set: it needs the task delay's minutes
        for (int d : std::as_const(delays)) {
            for (int r = 0; r < runs; ++r) {
                held(sim, r % 2 != 0, d, heldCount, r, heldWatch, heldConcurrency);
                held(sim, r % 2 == 0, d, heldCount, r, heldWatch, heldConcurrency);
            }
        }
    }
    return failedRun ? 1 : 0;
}
