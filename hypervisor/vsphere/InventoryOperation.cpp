#include "InventoryOperation.h"

#include "VimSession.h"

#include <QElapsedTimer>
#include <QLoggingCategory>

namespace dcm::vsphere {

namespace {
Q_LOGGING_CATEGORY(lcInventory, "dcm.hypervisor.inventory", QtInfoMsg)
}

InventoryOperation::InventoryOperation(VimSession& session, const VsphereOptions& options, InventoryKinds kinds,
                                       Done done)
    : TypedOperation(session, std::move(done)), m_kinds(kinds), m_builderOptions{options.requestIdsInInventory},
      m_builder(kinds, MoRef(), m_builderOptions),
      m_query(
          session, [this](const SoapRequest& r, XmlEventHandler& h, Next n) { send(r, h, std::move(n)); },
          [this](const SoapRequest& r) { fireAndForget(r); }, options.pageSize)
{}

void InventoryOperation::start()
{
    ensureSession([this](Result<void> r) {
        if (!r.ok())
            return fail(r.error());
        auto clock = std::make_shared<QElapsedTimer>();
        clock->start();
        withRelogin(
            [this](Next n) {
                const MoRef root = m_session.content().rootFolder;
                m_builder = InventoryBuilder(m_kinds, root, m_builderOptions);
                m_query.run(
                    root, InventoryBuilder::viewTypes(m_kinds),
                    InventoryBuilder::propertySpecs(m_kinds, m_builderOptions),
                    [this](ObjectContent&& o) { return m_builder.add(std::move(o)); }, std::move(n));
            },
            [this, clock](Result<void> r2) {
                if (!r2.ok())
                    return fail(r2.error());
                const int objects = m_builder.objectCount();
                InventorySnapshot snapshot = m_builder.take();
                qCInfo(lcInventory).noquote() << "inventory:" << objects << "objects," << m_query.pages() << "page(s),"
                                              << snapshot.vms.size() << "VMs in" << clock->elapsed() << "ms";
                succeed(std::move(snapshot));
            });
    });
}

} // namespace dcm::vsphere
