#pragma once

#include "ui/InventoryIndex.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

#include <array>

namespace dcm {

// One entry of a placement picker.
struct PlacementChoice
{
    QString text;
    QString value; // what goes into the spec
    QString ref;   // the inventory reference
    QString toolTip;
    bool enabled = true;
    int kind = 0; // compute: InventoryIndex::ComputeChoice::Kind
};

// The New VM form's placement, without widgets: datacenter -> cluster, resource pool or standalone host
// -> host ("any host" first) -> the datastores and networks the candidate hosts reach; and the VM
// folders of the datacenter. Each level's choices follow from the current choice of the level above.
// A level that is refilled keeps its preferred value (the operator's last pick, or a remembered one)
// when that value is among its enabled choices, and takes its first enabled choice otherwise.
class PlacementCascade final
{
    Q_DECLARE_TR_FUNCTIONS(dcm::PlacementCascade)

public:
    enum class Level
    {
        Datacenter,
        Compute,
        Host,
        Datastore,
        Network,
        Folder,
    };
    static constexpr int levelCount = 6;
    static constexpr std::array<Level, levelCount> levels{Level::Datacenter, Level::Compute, Level::Host,
                                                          Level::Datastore,  Level::Network, Level::Folder};

    // A new inventory: every level refilled from the top.
    void setIndex(InventoryIndex index);
    const InventoryIndex& index() const { return m_index; }
    bool hasInventory() const { return !m_index.isNull(); }

    // The value a level should keep when it is refilled ("" for the root folder and "any host").
    void setPreferred(Level level, const QString& value) { m_preferred[at(level)] = value; }
    QString preferred(Level level) const { return m_preferred[at(level)]; }

    const QList<PlacementChoice>& choices(Level level) const { return m_choices[at(level)]; }
    // The current row of a level; -1 when it has no choices.
    int current(Level level) const { return m_current[at(level)]; }
    const PlacementChoice* currentChoice(Level level) const;

    // The operator picks `row` of `level`: it becomes that level's preferred value and the levels that
    // depend on it are refilled. Returns those levels, in order (the ones whose pickers need new rows).
    QList<Level> choose(Level level, int row);

    // Where the VM may run: the chosen host, else every host of the chosen cluster, pool or standalone host.
    QList<const HostInfo*> candidateHosts() const;
    QString datacenterRef() const;
    QString folderRef() const;

    // Whether a compute value names a cluster (else a resource pool). The current choice knows; a value
    // typed by hand (no inventory) is a pool when its path passes through a cluster's root "Resources".
    bool isCluster(const QString& computeValue) const;

private:
    static constexpr int at(Level level) { return int(level); }
    void refill(Level level);
    void select(Level level);
    void fillDatacenters();
    void fillCompute();
    void fillFolders();
    void fillHosts();
    void fillDatastores();
    void fillNetworks();

    InventoryIndex m_index;
    std::array<QList<PlacementChoice>, levelCount> m_choices;
    std::array<int, levelCount> m_current{-1, -1, -1, -1, -1, -1};
    std::array<QString, levelCount> m_preferred;
};

} // namespace dcm
