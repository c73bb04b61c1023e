#pragma once

#include "ContainerQuery.h"
#include "InventoryBuilder.h"
#include "TypedOperation.h"
#include "VsphereOptions.h"

#include "domain/ports/HypervisorPort.h"

#include <QElapsedTimer>
#include <QHash>
#include <QSet>

#include <memory>
#include <optional>
#include <vector>

namespace dcm::vsphere {

// listVms(): first the folders and datacenters (name, parent: a few hundred objects at most), which
// give every VM folder its path, and the compute resources (clusters and standalone hosts); then the
// VMs alone with name, parent and the fields asked for, one ContainerView per compute resource, two of
// them read at a time. Every VM is registered on a host and every host belongs to one compute resource,
// so their views together hold every VM once (a VM seen twice is handed over once all the same); with
// fewer than two compute resources, one view over the root folder. Split so, the server answers two
// reads side by side (the simulator, which builds each reply whole on one core, does two in 1.4x the
// time of one) and no reply holds the whole inventory.
//
// Each VM is decoded as its reply streams in (SAX), and the VMs are handed to the caller as soon as a
// page has been read, or 1,000 of them decoded (a server may ignore maxObjects and answer in one reply),
// before anything more is asked for — so memory holds a page or two, not the inventory.
class VmListOperation final : public TypedOperation<int>
{
public:
    VmListOperation(VimSession& session, const VsphereOptions& options, VmFields fields,
                    HypervisorPort::VmPageFn onPage, Done done);
    void start() override;

    // The VirtualMachine property paths read for `fields` (name and parent always).
    static QList<QByteArray> vmPaths(VmFields fields);

private:
    void readFolders();
    void readVms();
    // Runs the next container's query on `slot`, or retires the slot when none is left (or one failed).
    void runSlot(size_t slot);
    bool addFolderObject(ObjectContent&& o);
    bool addVm(ObjectContent&& o);
    void flushPage();

    VmFields m_fields;
    HypervisorPort::VmPageFn m_onPage;
    InventoryBuilder m_folderBuilder;
    QHash<QString, QString> m_folderPaths; // VM folder ref -> its inventory path
    QList<MoRef> m_computeResources;
    ContainerQuery m_query;
    std::vector<std::unique_ptr<ContainerQuery>> m_slots;
    QList<MoRef> m_containers; // what the VM reads look in
    qsizetype m_nextContainer = 0;
    size_t m_activeSlots = 0;
    std::optional<Error> m_failure;
    Next m_vmsRead;
    QSet<QString> m_seen;
    QList<VmInfo> m_page;
    int m_delivered = 0;
    int m_pagesDelivered = 0;
    QElapsedTimer m_clock;
};

} // namespace dcm::vsphere
