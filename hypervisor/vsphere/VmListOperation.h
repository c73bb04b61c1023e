#pragma once

#include "ContainerQuery.h"
#include "InventoryBuilder.h"
#include "TypedOperation.h"
#include "VsphereOptions.h"

#include "domain/ports/HypervisorPort.h"

#include <QElapsedTimer>
#include <QHash>

namespace dcm::vsphere {

// listVms(): two ContainerView reads. First the folders and datacenters (name, parent: a few hundred
// objects at most), which give every VM folder its path; then the VMs alone with name, parent and the
// fields asked for, paged by RetrievePropertiesEx / ContinueRetrievePropertiesEx. Each VM is decoded as
// the reply streams in (SAX), and the VMs are handed to the caller as soon as a page has been read, or
// 1,000 of them decoded (a server may ignore maxObjects and answer in one reply), before anything more
// is asked for — so memory holds one page, not the inventory.
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
    bool addVm(ObjectContent&& o);
    void flushPage();

    VmFields m_fields;
    HypervisorPort::VmPageFn m_onPage;
    InventoryBuilder m_folderBuilder;
    QHash<QString, QString> m_folderPaths; // VM folder ref -> its inventory path
    ContainerQuery m_query;
    QList<VmInfo> m_page;
    int m_delivered = 0;
    int m_pagesDelivered = 0;
    QElapsedTimer m_clock;
};

} // namespace dcm::vsphere
