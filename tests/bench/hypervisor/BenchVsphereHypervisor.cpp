// bench_vsphere_hypervisor: the adapter end to end against a running simulator (or vCenter).
//   inventory  inventory(all kinds) N times after one warm-up; median wall time and peak RSS
//   create     provision() `count` VMs, `parallel` at a time (placement lookup, CreateVM_Task, task
//              tracking, read-back: the product's path)
// Writes the PropertySpecs it sends to --specs-out, so that the Go peer asks for exactly the same.
// Output: one JSON object per line. Asynchronous like the product: one event loop, no waiting.

#include "hypervisor/vsphere/InventoryBuilder.h"
#include "hypervisor/vsphere/VsphereHypervisor.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <functional>

using namespace dcm;

namespace {

double peakRssMiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray& line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toDouble() / 1024.0;
    }
    return 0;
}

// CPU time of this process (all threads), in ms: a measure that load elsewhere on the machine moves less.
double cpuMs()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e3 +
           (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e3;
}

void printJson(const QJsonObject& o)
{
    std::printf("%s\n", QJsonDocument(o).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);
}

[[noreturn]] void die(const QString& what, const Error& e)
{
    std::fprintf(stderr, "bench_vsphere_hypervisor: %s: %s %s\n", qPrintable(what), qPrintable(e.code),
                 qPrintable(e.message));
    std::exit(1);
}

void writeSpecs(const QString& path, int pageSize)
{
    const InventoryKinds kinds = allInventoryKinds();
    QJsonObject doc;
    doc.insert(QStringLiteral("types"), QJsonArray::fromStringList(vsphere::InventoryBuilder::viewTypes(kinds)));
    QJsonArray propSet;
    for (const vsphere::PropertySpecDef& s : vsphere::InventoryBuilder::propertySpecs(kinds, {true})) {
        QJsonArray paths;
        for (const QByteArray& p : s.pathSet)
            paths.append(QString::fromLatin1(p));
        propSet.append(
            QJsonObject{{QStringLiteral("type"), QString::fromLatin1(s.type)}, {QStringLiteral("pathSet"), paths}});
    }
    doc.insert(QStringLiteral("propSet"), propSet);
    doc.insert(QStringLiteral("pageSize"), pageSize);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        die(QStringLiteral("writing %1").arg(path), Error());
    f.write(QJsonDocument(doc).toJson());
}

class Bench
{
public:
    Bench(ConnectionSettings settings, QString mode, int runs, int count, int parallel, QString network)
        : m_settings(std::move(settings)), m_mode(std::move(mode)), m_runs(runs), m_count(count), m_parallel(parallel),
          m_network(std::move(network))
    {}

    void start()
    {
        m_hv.connectTo(m_settings, [this](Result<AboutInfo> r) {
            if (!r)
                die(QStringLiteral("connect"), r.error());
            if (m_mode == QLatin1String("inventory"))
                inventoryRun(0);
            else
                createStart();
        });
    }

private:
    void inventoryRun(int i)
    {
        m_clock.start();
        const double cpuBefore = cpuMs();
        m_hv.inventory(allInventoryKinds(), [this, i, cpuBefore](Result<InventorySnapshot> r) {
            const double ms = double(m_clock.nsecsElapsed()) / 1e6;
            if (!r)
                die(QStringLiteral("inventory"), r.error());
            if (i > 0) {
                m_times.append(ms);
                m_cpu.append(cpuMs() - cpuBefore);
            }
            m_vms = int(r.value().vms.size());
            if (i < m_runs)
                return inventoryRun(i + 1); // the snapshot of this run is freed before the next starts
            QList<double> sorted = m_times;
            std::sort(sorted.begin(), sorted.end());
            QJsonArray times;
            for (double t : m_times)
                times.append(t);
            QList<double> cpu = m_cpu;
            std::sort(cpu.begin(), cpu.end());
            printJson(QJsonObject{{QStringLiteral("client"), QStringLiteral("dcm")},
                                  {QStringLiteral("case"), QStringLiteral("inventory")},
                                  {QStringLiteral("vms"), m_vms},
                                  {QStringLiteral("ms"), times},
                                  {QStringLiteral("medianMs"), sorted.value(sorted.size() / 2)},
                                  {QStringLiteral("cpuMs"), cpu.value(cpu.size() / 2)},
                                  {QStringLiteral("peakRssMiB"), peakRssMiB()}});
            QCoreApplication::quit();
        });
    }

    VmSpec spec(int i) const
    {
        VmSpec s;
        s.name = QStringLiteral("dcm-%1-%2-%3").arg(QCoreApplication::applicationPid()).arg(m_parallel).arg(i);
        s.cpus = 1;
        s.memoryMiB = 512;
        s.disks = {DiskSpec{1024, true}};
        s.guestId = QStringLiteral("otherGuest64");
        s.datacenter = QStringLiteral("DC0");
        s.cluster = QStringLiteral("DC0_C0");
        s.datastore = QStringLiteral("LocalDS_0");
        s.nics = {dcm::NicSpec{m_network}};
        return s;
    }

    void createStart()
    {
        m_clock.start();
        for (int i = 0; i < std::min(m_parallel, m_count); ++i)
            createNext();
    }

    void createNext()
    {
        const int i = m_started++;
        m_hv.provision(ProvisionOrder{QUuid::createUuid(), spec(i)}, {}, [this](Result<ProvisionOutcome> r) {
            if (!r)
                die(QStringLiteral("provision"), r.error());
            if (++m_finished == m_count) {
                const double ms = double(m_clock.nsecsElapsed()) / 1e6;
                printJson(QJsonObject{{QStringLiteral("client"), QStringLiteral("dcm")},
                                      {QStringLiteral("case"), QStringLiteral("create")},
                                      {QStringLiteral("count"), m_count},
                                      {QStringLiteral("parallel"), m_parallel},
                                      {QStringLiteral("ms"), ms},
                                      {QStringLiteral("perSecond"), m_count / (ms / 1000.0)}});
                QCoreApplication::quit();
            } else if (m_started < m_count) {
                createNext();
            }
        });
    }

    VsphereHypervisor m_hv;
    ConnectionSettings m_settings;
    QString m_mode;
    int m_runs;
    int m_count;
    int m_parallel;
    QString m_network;
    QElapsedTimer m_clock;
    QList<double> m_times;
    QList<double> m_cpu;
    int m_vms = 0;
    int m_started = 0;
    int m_finished = 0;
};

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption url(QStringLiteral("url"), QStringLiteral("SDK URL"), QStringLiteral("url"));
    const QCommandLineOption user(QStringLiteral("user"), QStringLiteral("user"), QStringLiteral("name"));
    const QCommandLineOption thumbprint(QStringLiteral("thumbprint"), QStringLiteral("SHA-256 pin"),
                                        QStringLiteral("hex"));
    const QCommandLineOption mode(QStringLiteral("mode"), QStringLiteral("inventory | create"), QStringLiteral("mode"),
                                  QStringLiteral("inventory"));
    const QCommandLineOption runs(QStringLiteral("runs"), QStringLiteral("measured runs"), QStringLiteral("n"),
                                  QStringLiteral("3"));
    const QCommandLineOption count(QStringLiteral("count"), QStringLiteral("VMs to create"), QStringLiteral("n"),
                                   QStringLiteral("100"));
    const QCommandLineOption parallel(QStringLiteral("parallel"), QStringLiteral("creations at a time"),
                                      QStringLiteral("n"), QStringLiteral("1"));
    const QCommandLineOption network(QStringLiteral("network"), QStringLiteral("network of created VMs"),
                                     QStringLiteral("name"), QStringLiteral("DC0_DVPG0"));
    const QCommandLineOption specsOut(QStringLiteral("specs-out"), QStringLiteral("write the PropertySpecs here"),
                                      QStringLiteral("file"));
    parser.addOptions({url, user, thumbprint, mode, runs, count, parallel, network, specsOut});
    parser.process(app);

    const VsphereOptions options;
    if (parser.isSet(specsOut))
        writeSpecs(parser.value(specsOut), options.pageSize);

    ConnectionSettings settings;
    settings.server = QUrl(parser.value(url));
    settings.user = parser.value(user);
    settings.password = qEnvironmentVariable("DCM_PASSWORD");
    settings.thumbprint = parser.value(thumbprint);
    settings.callTimeout = std::chrono::minutes(5);

    Bench bench(settings, parser.value(mode), parser.value(runs).toInt(), parser.value(count).toInt(),
                parser.value(parallel).toInt(), parser.value(network));
    QTimer::singleShot(0, &app, [&bench] { bench.start(); });
    return app.exec();
}
