#pragma once

#include "domain/Inventory.h"
#include "domain/VmSpec.h"

#include <QList>
#include <QString>

namespace dcm {

// Whether a VM fits where it is placed, from the inventory's capacity figures. Two verdicts are certain
// and the form shows them as errors: more vCPUs than the largest candidate host has physical cores, and
// more memory than the largest candidate host has at all (vSphere powers such a VM on nowhere there).
// The rest is advice, shown as warnings: vCenter decides at power-on (DRS may move other VMs away, thin
// disks may never grow).

// The hosts the VM may run on: the chosen host, or every host of the chosen cluster or pool.
struct HostFit
{
    enum class Scope
    {
        NoHosts,     // nothing to judge (no inventory, or a placement typed by hand)
        OneHost,     // the figures are that host's
        BestOfHosts, // the figures are the best any of the hosts offers
    };
    Scope scope = Scope::NoHosts;
    int hostCount = 0;
    QString hostName;          // the one host, or the host with the most memory free
    bool memoryKnown = false;  // false when no host reported its memory size
    qint64 totalMemoryMiB = 0; // OneHost: the host's memory; BestOfHosts: the most memory of any host
    QString largestMemoryHost; // the host with the most memory (OneHost: that host)
    qint64 freeMemoryMiB = 0;  // OneHost: its memory not in use; BestOfHosts: the most any host has free
    qint64 totalCpuMhz = 0;    // OneHost only
    qint64 freeCpuMhz = 0;     // OneHost only
    int cores = 0;             // physical cores of the host, or the most of any host; 0 when unknown
    QString largestCoresHost;  // the host with the most cores (OneHost: that host)
    // The VM needs more memory than is free: it may not power on, or it will swap. A warning.
    bool memoryShort = false;
    // The VM needs more memory than the largest host has in all: it can run on none of them. An error.
    bool memoryExceedsHost = false;
    // More vCPUs than the largest host's physical cores: vSphere will not power the VM on there. An error.
    bool coresShort = false;
};

// The chosen datastore. A VM takes its thick disks at once, and a swap file as large as its memory when
// it powers on; thin disks take space as the guest writes, up to their full size.
struct DatastoreFit
{
    enum class Verdict
    {
        Fits,       // everything, thin disks grown to their full size included
        MayFillUp,  // fits now, but thin disks grown to their full size would not
        WillNotFit, // the thick disks and the swap file alone need more than is free
    };
    Verdict verdict = Verdict::Fits;
    bool accessible = true;
    qint64 freeMiB = 0;  // never below 0 (overcommitted thin disks can make vSphere report less)
    qint64 disksMiB = 0; // every disk at its full size
    qint64 thickMiB = 0; // the thick disks
    qint64 swapMiB = 0;  // the swap file
    qint64 neededNowMiB() const { return thickMiB + swapMiB; }
    qint64 neededAtMostMiB() const { return disksMiB + swapMiB; }
};

class CapacityAdvisor final
{
public:
    static HostFit hosts(const VmSpec& spec, const QList<const HostInfo*>& hosts);
    static DatastoreFit datastore(const VmSpec& spec, const DatastoreInfo& datastore);
};

} // namespace dcm
