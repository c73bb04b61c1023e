#pragma once

#include "ContainerQuery.h"
#include "ObjectContentReader.h"
#include "ReturnValueReader.h"
#include "TypedOperation.h"
#include "VsphereOptions.h"

#include "domain/ports/HypervisorPort.h"

#include <QUuid>

#include <optional>

namespace dcm::vsphere {

// findByRequestKey(): SearchIndex.FindByUuid on the instance UUID (the request UUID we set), then — in
// case vCenter did not keep our UUID (it assigns another on a clash) — a scan of the VMs' extraConfig
// for dcm.requestId. More than one match is an error: one request must never own two VMs silently.
class FindVmOperation final : public TypedOperation<std::optional<VmRef>>
{
public:
    FindVmOperation(VimSession& session, const VsphereOptions& options, QUuid requestId, Done done);
    void start() override;

private:
    void readFound(const MoRef& vm);
    void scan();
    static VmRef toVmRef(const ObjectContent& o);

    QUuid m_requestId;
    QString m_key;
    ReturnValueReader m_reader;
    ObjectContentReader m_vmReader;
    ObjectContent m_vm;
    ContainerQuery m_query;
    QList<VmRef> m_matches;
};

} // namespace dcm::vsphere
