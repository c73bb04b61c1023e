#include "FindVmOperation.h"

#include "InventoryBuilder.h"
#include "VimRequests.h"
#include "VimSession.h"

#include <QStringList>

namespace dcm::vsphere {

namespace {
const QList<PropertySpecDef>& vmPaths(bool withExtraConfig)
{
    static const QList<PropertySpecDef> plain{
        {"VirtualMachine", {"name", "config.instanceUuid", "runtime.powerState"}}};
    static const QList<PropertySpecDef> extra{
        {"VirtualMachine", {"name", "config.instanceUuid", "runtime.powerState", "config.extraConfig"}}};
    return withExtraConfig ? extra : plain;
}
} // namespace

FindVmOperation::FindVmOperation(VimSession& session, const VsphereOptions& options, QUuid requestId, Done done)
    : TypedOperation(session, std::move(done)), m_requestId(requestId), m_key(requestId.toString(QUuid::WithoutBraces)),
      m_vmReader([this](ObjectContent&& o) {
          m_vm = std::move(o);
          return true;
      }),
      m_query(
          session, [this](const SoapRequest& r, XmlEventHandler& h, Next n) { send(r, h, std::move(n)); },
          [this](const SoapRequest& r) { fireAndForget(r); }, options.pageSize)
{}

VmRef FindVmOperation::toVmRef(const ObjectContent& o)
{
    VmRef ref;
    ref.ref = o.obj.value;
    ref.name = o.text("name");
    ref.instanceUuid = o.text("config.instanceUuid");
    ref.powerState = o.text("runtime.powerState");
    return ref;
}

void FindVmOperation::start()
{
    if (m_requestId.isNull())
        return fail(Error::make(ErrorKind::InvalidInput, QStringLiteral("invalid-request-id"),
                                QStringLiteral("a request key must be a UUID")));
    ensureSession([this](Result<void> r) {
        if (!r.ok())
            return fail(r.error());
        call(VimRequests::findByUuid(m_session.content().searchIndex, m_key, true), m_reader, [this](Result<void> r2) {
            if (!r2.ok())
                return fail(r2.error());
            const XmlValue* found = m_reader.first();
            if (found && !found->text.isEmpty())
                return readFound(MoRef{QStringLiteral("VirtualMachine"), found->string()});
            scan();
        });
    });
}

void FindVmOperation::readFound(const MoRef& vm)
{
    m_vm = ObjectContent();
    retrieve(VimRequests::retrieveObjects(m_session.content().propertyCollector, {vm}, vmPaths(false)), m_vmReader,
             [this](Result<void> r) {
                 if (!r.ok())
                     return fail(r.error());
                 if (m_vm.obj.isNull()) // deleted between the two calls
                     return scan();
                 succeed(toVmRef(m_vm));
             });
}

void FindVmOperation::scan()
{
    withRelogin(
        [this](Next n) {
            m_matches.clear();
            const MoRef root = m_session.content().rootFolder;
            m_query.run(
                root, {QStringLiteral("VirtualMachine")}, vmPaths(true),
                [this](ObjectContent&& o) {
                    const XmlValue* extra = o.prop("config.extraConfig");
                    if (!extra)
                        return true;
                    for (const XmlValue& option : extra->children) {
                        const XmlValue* key = option.child("key");
                        if (key && key->text == InventoryBuilder::kRequestIdKey &&
                            option.textAt("value").trimmed().compare(m_key, Qt::CaseInsensitive) == 0) {
                            m_matches.append(toVmRef(o));
                            break;
                        }
                    }
                    return true;
                },
                std::move(n));
        },
        [this](Result<void> r) {
            if (!r.ok())
                return fail(r.error());
            if (m_matches.isEmpty())
                return succeed(std::nullopt);
            if (m_matches.size() == 1)
                return succeed(m_matches.front());
            QStringList refs;
            for (const VmRef& v : m_matches)
                refs << v.ref;
            Error e = Error::make(ErrorKind::Internal, QStringLiteral("ambiguous-request-key"),
                                  QStringLiteral("%1 VMs carry request key %2: %3")
                                      .arg(m_matches.size())
                                      .arg(m_key, refs.join(QStringLiteral(", "))));
            e.details.insert(QStringLiteral("vmRefs"), refs);
            fail(e);
        });
}

} // namespace dcm::vsphere
