#include "ReadStateOperation.h"

#include "InventoryBuilder.h"
#include "PropertySpecDef.h"
#include "VimRequests.h"
#include "VimSession.h"

namespace dcm::vsphere {

ReadStateOperation::ReadStateOperation(VimSession& session, QString vmRef, Done done)
    : TypedOperation(session, std::move(done)), m_vm{QStringLiteral("VirtualMachine"), std::move(vmRef)},
      m_reader([this](ObjectContent&& o) {
          if (o.obj == m_vm)
              m_content = std::move(o);
          return true;
      })
{}

const QList<PropertySpecDef>& ReadStateOperation::paths()
{
    static const QList<PropertySpecDef> specs{
        {"VirtualMachine",
         {"name", "runtime.powerState", "config.template", "config.instanceUuid", "config.extraConfig",
          "config.tools.pendingCustomization", "guest.toolsRunningStatus", "guest.hostName", "guest.ipAddress"}}};
    return specs;
}

VmState ReadStateOperation::toState(const ObjectContent& o)
{
    VmState s;
    s.vm.ref = o.obj.value;
    s.vm.name = o.text("name");
    s.vm.instanceUuid = o.text("config.instanceUuid");
    s.vm.powerState = o.text("runtime.powerState");
    if (const XmlValue* t = o.prop("config.template"))
        s.isTemplate = t->toBool();
    if (const XmlValue* extra = o.prop("config.extraConfig")) {
        for (const XmlValue& option : extra->children) {
            const XmlValue* key = option.child("key");
            if (key && key->text == InventoryBuilder::kRequestIdKey) {
                s.requestId = option.textAt("value").trimmed();
                break;
            }
        }
    }
    s.pendingCustomization = o.text("config.tools.pendingCustomization");
    s.toolsRunningStatus = o.text("guest.toolsRunningStatus");
    s.guestHostName = o.text("guest.hostName");
    s.ipAddress = o.text("guest.ipAddress");
    return s;
}

void ReadStateOperation::start()
{
    if (m_vm.isNull())
        return fail(Error::make(ErrorKind::InvalidInput, QStringLiteral("invalid-vm-ref"),
                                QStringLiteral("reading a VM's state needs its reference")));
    ensureSession([this](Result<void> r) {
        if (!r.ok())
            return fail(r.error());
        m_content = ObjectContent();
        retrieve(VimRequests::retrieveObjects(m_session.content().propertyCollector, {m_vm}, paths()), m_reader,
                 [this](Result<void> r2) {
                     if (!r2.ok()) {
                         if (r2.error().vimFault == QLatin1String("ManagedObjectNotFound"))
                             return succeed(std::nullopt);
                         return fail(r2.error());
                     }
                     if (m_content.obj.isNull())
                         return succeed(std::nullopt);
                     for (const auto& [path, fault] : m_content.missing) {
                         // The VM went away while its properties were read.
                         if (fault.type == QLatin1String("ManagedObjectNotFound"))
                             return succeed(std::nullopt);
                     }
                     succeed(toState(m_content));
                 });
    });
}

} // namespace dcm::vsphere
