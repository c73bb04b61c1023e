#pragma once

#include "MoRef.h"
#include "ObjectContentReader.h"
#include "TypedOperation.h"

#include "domain/ports/HypervisorPort.h"

#include <optional>

namespace dcm::vsphere {

// readState(): one RetrievePropertiesEx on the VM with the paths a step decision needs, nothing more:
// power state, template flag, instance UUID, extraConfig (for dcm.requestId; the PropertyCollector
// cannot select one key), config.tools.pendingCustomization, and the guest's tools status, host name
// and address. A VM that is gone (ManagedObjectNotFound, or no object in the reply) is nullopt.
class ReadStateOperation final : public TypedOperation<std::optional<VmState>>
{
public:
    ReadStateOperation(VimSession& session, QString vmRef, Done done);
    void start() override;

    static const QList<struct PropertySpecDef>& paths();
    // The state in one object of a reply (exposed for the unit tests of hostile replies).
    static VmState toState(const ObjectContent& o);

private:
    MoRef m_vm;
    ObjectContentReader m_reader;
    ObjectContent m_content;
};

} // namespace dcm::vsphere
