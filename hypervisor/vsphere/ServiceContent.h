#pragma once

#include "MoRef.h"

#include "domain/ports/HypervisorPort.h"

#include <optional>

namespace dcm::vsphere {

struct XmlValue;

// The parts of vCenter's ServiceContent this adapter uses.
struct ServiceContent
{
    MoRef rootFolder;
    MoRef propertyCollector;
    MoRef viewManager;
    MoRef sessionManager;
    MoRef searchIndex;
    MoRef customizationSpecManager; // null when the server has none (a standalone ESXi host)
    AboutInfo about;

    static std::optional<ServiceContent> fromReturnValue(const XmlValue& returnval);
};

} // namespace dcm::vsphere
