#include "InventoryOperation.h"

#include "VimRequests.h"
#include "VimSession.h"

#include <QLoggingCategory>

namespace dcm::vsphere {

namespace {
Q_LOGGING_CATEGORY(lcInventory, "dcm.hypervisor.inventory", QtInfoMsg)
}

namespace {
InventoryKinds queryKinds(InventoryKinds kinds)
{
    if (kinds.testFlag(InventoryKind::Templates))
        kinds |= InventoryKind::Networks;
    kinds.setFlag(InventoryKind::CustomizationSpecs, false);
    return kinds;
}
constexpr qsizetype kTemplatesPerRead = 200;
} // namespace

InventoryOperation::InventoryOperation(VimSession& session, const VsphereOptions& options, InventoryKinds kinds,
                                       Done done)
    : TypedOperation(session, std::move(done)), m_kinds(kinds), m_queryKinds(queryKinds(kinds)),
      m_detailReader([this](ObjectContent&& o) {
          if (o.obj.type == QLatin1String("VirtualMachine")) {
              if (auto it = m_templateIndex.constFind(o.obj.value); it != m_templateIndex.constEnd())
                  InventoryBuilder::fillTemplate(m_snapshot.templates[*it], o, m_snapshot.networks);
          } else {
              m_snapshot.customizationSpecs = InventoryBuilder::customizationSpecs(o);
          }
          return true;
      }),
      m_builderOptions{options.requestIdsInInventory}, m_builder(m_queryKinds, MoRef(), m_builderOptions),
      m_query(
          session, [this](const SoapRequest& r, XmlEventHandler& h, Next n) { send(r, h, std::move(n)); },
          [this](const SoapRequest& r) { fireAndForget(r); }, options.pageSize)
{}

void InventoryOperation::start()
{
    ensureSession([this](Result<void> r) {
        if (!r.ok())
            return fail(r.error());
        m_clock.start();
        withRelogin(
            [this](Next n) {
                const MoRef root = m_session.content().rootFolder;
                m_builder = InventoryBuilder(m_queryKinds, root, m_builderOptions);
                m_query.run(
                    root, InventoryBuilder::viewTypes(m_queryKinds),
                    InventoryBuilder::propertySpecs(m_queryKinds, m_builderOptions),
                    [this](ObjectContent&& o) { return m_builder.add(std::move(o)); }, std::move(n));
            },
            [this](Result<void> r2) {
                if (!r2.ok())
                    return fail(r2.error());
                m_objects = m_builder.objectCount();
                m_snapshot = m_builder.take();
                m_templateIndex.clear();
                for (qsizetype i = 0; i < m_snapshot.templates.size(); ++i)
                    m_templateIndex.insert(m_snapshot.templates[i].ref, i);
                readTemplates(0);
            });
    });
}

void InventoryOperation::readTemplates(qsizetype from)
{
    if (!m_kinds.testFlag(InventoryKind::Templates) || from >= m_snapshot.templates.size())
        return readCustomizationSpecs();
    QList<MoRef> refs;
    const qsizetype to = std::min(m_snapshot.templates.size(), from + kTemplatesPerRead);
    for (qsizetype i = from; i < to; ++i)
        refs.append(MoRef{QStringLiteral("VirtualMachine"), m_snapshot.templates[i].ref});
    retrieve(VimRequests::retrieveObjects(m_session.content().propertyCollector, refs,
                                          InventoryBuilder::templateDetailSpecs()),
             m_detailReader, [this, to](Result<void> r) {
                 // A template deleted since the first read makes the whole read fail: it is dropped by
                 // reading the inventory again, later; details of others are never invented.
                 if (!r.ok())
                     return fail(r.error());
                 readTemplates(to);
             });
}

void InventoryOperation::readCustomizationSpecs()
{
    const MoRef manager = m_session.content().customizationSpecManager;
    if (!m_kinds.testFlag(InventoryKind::CustomizationSpecs) || manager.isNull())
        return finish();
    static const QList<PropertySpecDef> paths{{"CustomizationSpecManager", {"info"}}};
    retrieve(VimRequests::retrieveObjects(m_session.content().propertyCollector, {manager}, paths), m_detailReader,
             [this](Result<void> r) {
                 if (!r.ok())
                     return fail(r.error());
                 finish();
             });
}

void InventoryOperation::finish()
{
    if (!m_kinds.testFlag(InventoryKind::Networks))
        m_snapshot.networks.clear();
    qCInfo(lcInventory).noquote() << "inventory:" << m_objects << "objects," << m_query.pages() << "page(s),"
                                  << m_snapshot.vms.size() << "VMs," << m_snapshot.templates.size() << "templates in"
                                  << m_clock.elapsed() << "ms";
    succeed(std::move(m_snapshot));
}

} // namespace dcm::vsphere
