#include "domain/CapacityAdvisor.h"

#include <algorithm>

namespace dcm {

namespace {

constexpr qint64 bytesPerMiB = 1024 * 1024;

} // namespace

HostFit CapacityAdvisor::hosts(const VmSpec& spec, const QList<const HostInfo*>& hosts)
{
    HostFit fit;
    fit.hostCount = int(hosts.size());
    if (hosts.isEmpty())
        return fit;
    if (hosts.size() == 1) {
        const HostInfo& h = *hosts.front();
        fit.scope = HostFit::Scope::OneHost;
        fit.hostName = h.name;
        fit.memoryKnown = h.memoryBytes > 0;
        fit.totalMemoryMiB = h.memoryBytes / bytesPerMiB;
        fit.freeMemoryMiB = std::max<qint64>(0, fit.totalMemoryMiB - h.memoryUsedMiB);
        fit.totalCpuMhz = h.cpuMhzTotal;
        fit.freeCpuMhz = std::max<qint64>(0, h.cpuMhzTotal - h.cpuMhzUsed);
        fit.cores = h.cpuCores;
        fit.largestMemoryHost = h.name;
        fit.largestCoresHost = h.name;
    } else {
        fit.scope = HostFit::Scope::BestOfHosts;
        for (const HostInfo* h : hosts) {
            fit.memoryKnown = fit.memoryKnown || h->memoryBytes > 0;
            const qint64 freeMiB = h->memoryBytes / bytesPerMiB - h->memoryUsedMiB;
            if (freeMiB > fit.freeMemoryMiB) {
                fit.freeMemoryMiB = freeMiB;
                fit.hostName = h->name;
            }
            if (h->memoryBytes / bytesPerMiB > fit.totalMemoryMiB) {
                fit.totalMemoryMiB = h->memoryBytes / bytesPerMiB;
                fit.largestMemoryHost = h->name;
            }
            if (h->cpuCores > fit.cores) {
                fit.cores = h->cpuCores;
                fit.largestCoresHost = h->name;
            }
        }
    }
    // A host that reported no memory size (an inventory fetched without host details) says nothing
    // about fit, as a host without a core count does not.
    fit.memoryShort = fit.memoryKnown && spec.memoryMiB > fit.freeMemoryMiB;
    fit.memoryExceedsHost = fit.memoryKnown && spec.memoryMiB > fit.totalMemoryMiB;
    fit.coresShort = fit.cores > 0 && spec.cpus > fit.cores;
    return fit;
}

DatastoreFit CapacityAdvisor::datastore(const VmSpec& spec, const DatastoreInfo& datastore)
{
    DatastoreFit fit;
    fit.accessible = datastore.accessible;
    fit.freeMiB = std::max<qint64>(0, datastore.freeBytes) / bytesPerMiB;
    for (const DiskSpec& d : spec.disks) {
        fit.disksMiB += d.sizeMiB;
        if (!d.thin)
            fit.thickMiB += d.sizeMiB;
    }
    fit.swapMiB = spec.memoryMiB;
    if (fit.neededNowMiB() > fit.freeMiB)
        fit.verdict = DatastoreFit::Verdict::WillNotFit;
    else if (fit.neededAtMostMiB() > fit.freeMiB)
        fit.verdict = DatastoreFit::Verdict::MayFillUp;
    return fit;
}

} // namespace dcm
