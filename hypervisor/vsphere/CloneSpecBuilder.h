#pragma once

#include "Placement.h"
#include "TemplateHardware.h"

#include "domain/Result.h"
#include "domain/VmSpec.h"

#include <QByteArray>
#include <QUuid>

namespace dcm::vsphere {

// The VirtualMachineCloneSpec for CloneVM_Task, in the WSDL's element order:
// - location: the placement's datastore, pool and host; with a clone disk format, one disk locator
//   per source disk whose backing says thin or (lazy-zeroed) thick;
// - template false, powerOn false, no customization: customizing and powering on are steps of their
//   own (CustomizeVM_Task, PowerOnVM_Task), each checked and resumed by itself;
// - config: the request key like a created VM (instanceUuid, extraConfig dcm.requestId), CPUs and
//   memory when the spec gives them (0: as the source), the source's NICs reconnected in order to the
//   spec's networks (their adapter type stays the source's), NICs the spec has beyond the source's
//   added with their adapter type, the source's NICs beyond the spec's removed, and data disks added
//   after the source's disks (free units of its SCSI controllers first, then new paravirtual ones).
class CloneSpecBuilder
{
public:
    static constexpr int kMaxScsiBuses = 4;
    static Result<QByteArray> build(const VmSpec& spec, const QUuid& requestId, const Placement& placement,
                                    const TemplateHardware& source);
};

} // namespace dcm::vsphere
