#pragma once

#include "TypedOperation.h"

#include "domain/ports/HypervisorPort.h"

namespace dcm::vsphere {

// connectTo(): negotiate, log in, and report what we are talking to.
class ConnectOperation final : public TypedOperation<AboutInfo>
{
public:
    using TypedOperation::TypedOperation;
    void start() override;
};

} // namespace dcm::vsphere
