#pragma once

#include "ReturnValueReader.h"
#include "TypedOperation.h"

#include "domain/ports/HypervisorPort.h"

namespace dcm::vsphere {

// about(): vCenter's AboutInfo, read fresh (RetrieveServiceContent) in a logged-in session.
class AboutOperation final : public TypedOperation<AboutInfo>
{
public:
    using TypedOperation::TypedOperation;
    void start() override;

private:
    ReturnValueReader m_reader;
};

} // namespace dcm::vsphere
