#pragma once

#include "Placement.h"

#include "domain/Inventory.h"
#include "domain/Result.h"
#include "domain/VmSpec.h"

namespace dcm::vsphere {

// Resolves the names and paths an operator gave (VmSpec) against the inventory. Within the chosen
// datacenter, a name is accepted when it is unique; a path may be absolute ("/DC0/host/C0/Resources/rp")
// or relative to the datacenter's folder of that kind ("C0/Resources/rp").
class PlacementResolver
{
public:
    static Result<Placement> resolve(const VmSpec& spec, const InventorySnapshot& inventory);
};

} // namespace dcm::vsphere
