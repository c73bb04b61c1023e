#pragma once

#include "ContainerQuery.h"
#include "InventoryBuilder.h"
#include "ObjectContentReader.h"
#include "TypedOperation.h"
#include "VsphereOptions.h"

#include "domain/Inventory.h"

#include <QElapsedTimer>
#include <QHash>

namespace dcm::vsphere {

// inventory(): one ContainerView over the root folder and one paged RetrievePropertiesEx with the
// property paths each kind needs; then, for templates, one read of the templates' details
// (InventoryBuilder::templateDetailSpecs) and, for customization specifications, one read of
// CustomizationSpecManager.info.
class InventoryOperation final : public TypedOperation<InventorySnapshot>
{
public:
    InventoryOperation(VimSession& session, const VsphereOptions& options, InventoryKinds kinds, Done done);
    void start() override;

private:
    void readTemplates(qsizetype from);
    void readCustomizationSpecs();
    void finish();

    InventoryKinds m_kinds;
    InventoryKinds m_queryKinds; // m_kinds plus what the extra reads need (networks, to name DV portgroups)
    InventorySnapshot m_snapshot;
    ObjectContentReader m_detailReader;
    QHash<QString, qsizetype> m_templateIndex;
    InventoryBuilder::Options m_builderOptions;
    InventoryBuilder m_builder;
    ContainerQuery m_query;
    QElapsedTimer m_clock;
    int m_objects = 0;
};

} // namespace dcm::vsphere
