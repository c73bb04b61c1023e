#pragma once

#include "ContainerQuery.h"
#include "InventoryBuilder.h"
#include "TypedOperation.h"
#include "VsphereOptions.h"

#include "domain/Inventory.h"

namespace dcm::vsphere {

// inventory(): one ContainerView over the root folder and one paged RetrievePropertiesEx with the
// property paths each kind needs.
class InventoryOperation final : public TypedOperation<InventorySnapshot>
{
public:
    InventoryOperation(VimSession& session, const VsphereOptions& options, InventoryKinds kinds, Done done);
    void start() override;

private:
    InventoryKinds m_kinds;
    InventoryBuilder::Options m_builderOptions;
    InventoryBuilder m_builder;
    ContainerQuery m_query;
};

} // namespace dcm::vsphere
