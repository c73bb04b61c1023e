#pragma once

// What the service benchmarks share: the real service (vSphere adapter, SQLite store) built against a
// private simulator, JSON lines on stdout, and waiting on the event loop in real time.
#include "VcsimProcess.h"

#include "app/service/ProvisioningService.h"
#include "app/storage/SqliteRequestStore.h"
#include "hypervisor/vsphere/VsphereHypervisor.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <cstdio>
#include <functional>
#include <memory>

namespace dcm::bench {

inline void emitLine(const QJsonObject& o)
{
    std::printf("%s\n", QJsonDocument(o).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);
}

inline ConnectionSettings settingsFor(const VcsimProcess& sim)
{
    ConnectionSettings s;
    s.server = sim.sdkUrl();
    s.user = sim.username();
    s.password = sim.password();
    s.thumbprint = sim.thumbprint();
    return s;
}

// The production adapter (default VsphereOptions) and a SQLite store at `db`.
inline std::unique_ptr<ProvisioningService> makeService(const ClockPort& clock, const QString& db, ServiceConfig config)
{
    return std::make_unique<ProvisioningService>([] { return std::make_unique<VsphereHypervisor>(); },
                                                 [db]() -> Result<std::unique_ptr<RequestStorePort>> {
                                                     auto store = SqliteRequestStore::open(db);
                                                     if (!store.ok())
                                                         return store.error();
                                                     return std::unique_ptr<RequestStorePort>(std::move(store.value()));
                                                 },
                                                 clock, config);
}

// Turns the event loop until `done` or `timeoutMs` of real time; false on timeout.
inline bool waitFor(const std::function<bool()>& done, qint64 timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > timeoutMs)
            return false;
        QEventLoop loop;
        QTimer::singleShot(5, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return true;
}

// Runs the event loop for `ms` of real time: lets the network send and answer whatever is pending.
inline void runEventLoop(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

} // namespace dcm::bench
