#include "ui/PlacementCascade.h"

#include "ui/UiFormat.h"

#include <algorithm>

namespace dcm {

void PlacementCascade::setIndex(InventoryIndex index)
{
    m_index = std::move(index);
    refill(Level::Datacenter);
}

const PlacementChoice* PlacementCascade::currentChoice(Level level) const
{
    const int row = m_current[at(level)];
    const QList<PlacementChoice>& list = m_choices[at(level)];
    return row < 0 || row >= list.size() ? nullptr : &list.at(row);
}

QList<PlacementCascade::Level> PlacementCascade::choose(Level level, int row)
{
    const QList<PlacementChoice>& list = m_choices[at(level)];
    if (row < 0 || row >= list.size() || !list.at(row).enabled)
        return {};
    m_current[at(level)] = row;
    m_preferred[at(level)] = list.at(row).value;
    switch (level) {
    case Level::Datacenter:
        refill(Level::Compute);
        return {Level::Compute, Level::Folder, Level::Host, Level::Datastore, Level::Network};
    case Level::Compute:
        refill(Level::Host);
        return {Level::Host, Level::Datastore, Level::Network};
    case Level::Host:
        refill(Level::Datastore);
        return {Level::Datastore, Level::Network};
    case Level::Datastore:
    case Level::Network:
    case Level::Folder:
        return {};
    }
    return {};
}

// Refills `level` and everything below it.
void PlacementCascade::refill(Level level)
{
    switch (level) {
    case Level::Datacenter:
        fillDatacenters();
        [[fallthrough]];
    case Level::Compute:
    case Level::Folder:
        fillCompute();
        fillFolders();
        [[fallthrough]];
    case Level::Host:
        fillHosts();
        [[fallthrough]];
    case Level::Datastore:
    case Level::Network:
        fillDatastores();
        fillNetworks();
        break;
    }
}

void PlacementCascade::select(Level level)
{
    const QList<PlacementChoice>& list = m_choices[at(level)];
    const QString& preferred = m_preferred[at(level)];
    const auto usable = [](const PlacementChoice& c) { return c.enabled; };
    auto it = std::find_if(list.cbegin(), list.cend(),
                           [&](const PlacementChoice& c) { return c.enabled && c.value == preferred; });
    if (it == list.cend())
        it = std::find_if(list.cbegin(), list.cend(), usable);
    m_current[at(level)] = it == list.cend() ? -1 : int(it - list.cbegin());
}

void PlacementCascade::fillDatacenters()
{
    QList<PlacementChoice>& list = m_choices[at(Level::Datacenter)];
    list.clear();
    for (const DatacenterInfo& dc : m_index.snapshot().datacenters)
        list.append({dc.name, dc.name, dc.ref, dc.path, true, 0});
    select(Level::Datacenter);
}

void PlacementCascade::fillCompute()
{
    QList<PlacementChoice>& list = m_choices[at(Level::Compute)];
    list.clear();
    for (const InventoryIndex::ComputeChoice& c : m_index.computeChoices(datacenterRef()))
        list.append({c.label, c.value, c.ownerRef, c.toolTip, true, int(c.kind)});
    select(Level::Compute);
}

void PlacementCascade::fillFolders()
{
    QList<PlacementChoice>& list = m_choices[at(Level::Folder)];
    list.clear();
    const QString dcRef = datacenterRef();
    const PlacementChoice* dcChoice = currentChoice(Level::Datacenter);
    const DatacenterInfo* dc = dcChoice ? m_index.datacenterNamed(dcChoice->value) : nullptr;
    const QString vmRoot = (dc ? dc->path : QString()) + QStringLiteral("/vm/");
    for (const FolderInfo* f : m_index.vmFolders(dcRef)) {
        // The root VM folder is what an empty folder in the spec means.
        if (f->parentRef == dcRef)
            list.append({tr("%1 (top level)").arg(f->name), QString(), f->ref, f->path, true, 0});
        else
            list.append(
                {f->path.startsWith(vmRoot) ? f->path.mid(vmRoot.size()) : f->path, f->path, f->ref, f->path, true, 0});
    }
    select(Level::Folder);
}

void PlacementCascade::fillHosts()
{
    QList<PlacementChoice>& list = m_choices[at(Level::Host)];
    list.clear();
    list.append({tr("Any host (vCenter places the VM)"), QString(), QString(),
                 tr("vCenter (DRS) picks a host of the cluster"), true, 0});
    if (const PlacementChoice* compute = currentChoice(Level::Compute)) {
        for (const HostInfo* h : m_index.hostsOf(compute->ref)) {
            // A host in maintenance or not connected takes no new VMs: listed, but not to be chosen.
            const bool usable =
                !h->inMaintenance && (h->connectionState.isEmpty() || h->connectionState == QLatin1String("connected"));
            QString text = h->name;
            if (h->inMaintenance)
                text += tr(" (maintenance mode)");
            else if (!usable)
                text += tr(" (%1)").arg(h->connectionState);
            list.append({text, h->path, h->ref, h->path, usable, 0});
        }
    }
    select(Level::Host);
}

void PlacementCascade::fillDatastores()
{
    QList<PlacementChoice>& list = m_choices[at(Level::Datastore)];
    list.clear();
    for (const DatastoreInfo* ds : m_index.datastoresFor(candidateHosts(), datacenterRef())) {
        // Overcommitted thin disks can make vSphere (and vcsim) report negative free space.
        QString text =
            tr("%1 — %2 free of %3")
                .arg(ds->name, UiFormat::bytes(std::max<qint64>(0, ds->freeBytes)), UiFormat::bytes(ds->capacityBytes));
        if (!ds->accessible)
            text = tr("%1 — not accessible").arg(ds->name);
        list.append({text, ds->path, ds->ref, tr("%1 (%2)").arg(ds->path, ds->type), ds->accessible, 0});
    }
    select(Level::Datastore);
}

void PlacementCascade::fillNetworks()
{
    QList<PlacementChoice>& list = m_choices[at(Level::Network)];
    list.clear();
    for (const NetworkInfo* n : m_index.networksFor(candidateHosts(), datacenterRef()))
        list.append(
            {n->distributed ? tr("%1 (distributed)").arg(n->name) : n->name, n->path, n->ref, n->path, true, 0});
    select(Level::Network);
}

QList<const HostInfo*> PlacementCascade::candidateHosts() const
{
    const PlacementChoice* host = currentChoice(Level::Host);
    if (host && !host->ref.isEmpty()) {
        if (const HostInfo* h = m_index.host(host->ref))
            return {h};
    }
    const PlacementChoice* compute = currentChoice(Level::Compute);
    return compute ? m_index.hostsOf(compute->ref) : QList<const HostInfo*>();
}

QString PlacementCascade::datacenterRef() const
{
    const PlacementChoice* dc = currentChoice(Level::Datacenter);
    return dc ? dc->ref : QString();
}

QString PlacementCascade::folderRef() const
{
    const PlacementChoice* folder = currentChoice(Level::Folder);
    return folder ? folder->ref : QString();
}

bool PlacementCascade::isCluster(const QString& computeValue) const
{
    const PlacementChoice* compute = currentChoice(Level::Compute);
    if (compute && compute->value == computeValue)
        return compute->kind == int(InventoryIndex::ComputeChoice::Kind::Cluster);
    return !computeValue.contains(QLatin1String("/Resources"));
}

} // namespace dcm
