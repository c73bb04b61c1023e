#pragma once

#include "MoRef.h"
#include "ObjectContent.h"
#include "PropertySpecDef.h"

#include "domain/Inventory.h"

#include <QHash>
#include <QSet>
#include <QStringList>

namespace dcm::vsphere {

// Turns the PropertyCollector's objects into the domain's inventory, with inventory paths
// ("/DC0/host/DC0_C0/Resources") computed from names and parents once every object is in.
class InventoryBuilder
{
public:
    struct Options
    {
        bool vmRequestIds = true; // read VMs' extraConfig for dcm.requestId
    };

    static constexpr const char* kRequestIdKey = "dcm.requestId";

    InventoryBuilder(InventoryKinds kinds, MoRef rootFolder, Options options);

    // What to ask the PropertyCollector for: the ContainerView's types and one PropertySpec per type,
    // each with explicit paths. Folders and datacenters are always read: paths are made of them.
    static QStringList viewTypes(InventoryKinds kinds);
    static QList<PropertySpecDef> propertySpecs(InventoryKinds kinds, Options options);
    // Templates: the main query finds them (config.template); their details come from a second read of
    // these paths on the templates alone, filled in by fillTemplate() (DV portgroup names from `networks`).
    static QList<PropertySpecDef> templateDetailSpecs();
    static void fillTemplate(TemplateInfo& t, const ObjectContent& o, const QList<NetworkInfo>& networks);
    // CustomizationSpecManager.info: name, type, description, last update of each saved specification.
    static QList<CustomizationSpecInfo> customizationSpecs(const ObjectContent& manager);

    bool add(ObjectContent&& object);
    // Completes paths and cross references; the builder is spent afterwards.
    InventorySnapshot take();
    void reset();
    int objectCount() const { return m_objects; }

private:
    struct Node
    {
        QString name;
        QString parent;
        QString type;
    };
    QString pathOf(const QString& ref);
    QString datacenterOf(const QString& ref) const;

    InventoryKinds m_kinds;
    MoRef m_root;
    Options m_options;
    QHash<QString, Node> m_nodes;
    QHash<QString, QString> m_paths;
    QHash<QString, QString> m_dvsUuid;      // switch ref -> uuid
    QHash<QString, QString> m_portgroupDvs; // portgroup ref -> switch ref
    QSet<QString> m_uplinkPortgroups;
    QSet<QString> m_vmFolders;
    InventorySnapshot m_snapshot;
    int m_objects = 0;
};

} // namespace dcm::vsphere
