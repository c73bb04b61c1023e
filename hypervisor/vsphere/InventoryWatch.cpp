#include "InventoryWatch.h"

#include "InventoryBuilder.h"
#include "UpdateChannel.h"

namespace dcm::vsphere {

InventoryWatch::InventoryWatch(UpdateChannel& channel, const MoRef& rootFolder, bool requestIds,
                               HypervisorPort::InventoryChangeFn onChange, Ended ended)
    : m_channel(channel), m_onChange(std::move(onChange)), m_ended(std::move(ended))
{
    UpdateChannel::Filter filter;
    filter.container = rootFolder; // empty: the session's root folder, once logged in
    filter.viewTypes = InventoryBuilder::viewTypes(InventoryKind::Vms).filter(QStringLiteral("VirtualMachine"));
    // The inventory read's VM paths, exactly: never whole objects.
    InventoryBuilder::Options options;
    options.vmRequestIds = requestIds;
    for (const PropertySpecDef& spec : InventoryBuilder::propertySpecs(InventoryKind::Vms, options)) {
        if (spec.type == "VirtualMachine")
            filter.propSet.append(spec);
    }
    UpdateChannel::Follower follower;
    follower.onFreshState = [this] { onFresh(); };
    follower.onUpdate = [this](const ObjectUpdate& u) { onUpdate(u); };
    follower.onCaughtUp = [this] { onCaughtUp(); };
    follower.onFailed = [this](const Error& e) {
        m_id = 0;
        if (Ended whenEnded = std::move(m_ended))
            whenEnded(e);
    };
    m_id = m_channel.add(std::move(filter), std::move(follower));
}

InventoryWatch::~InventoryWatch()
{
    stop();
}

void InventoryWatch::stop()
{
    if (m_id)
        m_channel.remove(m_id);
    m_id = 0;
}

void InventoryWatch::apply(VmInfo& vm, const ObjectUpdate& update)
{
    for (const PropertyChange& c : update.changes) {
        const bool unset =
            !c.hasVal || c.op == PropertyChange::Op::Remove || c.op == PropertyChange::Op::IndirectRemove;
        const XmlValue& v = c.val;
        const std::string_view name(c.name.constData(), size_t(c.name.size()));
        if (name == "name")
            vm.name = unset ? QString() : v.string();
        else if (name == "parent")
            vm.parentRef = unset ? QString() : v.string();
        else if (name == "runtime.powerState")
            vm.powerState = unset ? QString() : v.string();
        else if (name == "config.hardware.numCPU")
            vm.cpus = unset ? 0 : int(std::clamp<qint64>(v.toLong(), 0, 1 << 20));
        else if (name == "config.hardware.memoryMB")
            vm.memoryMiB = unset ? 0 : std::max<qint64>(0, v.toLong());
        else if (name == "config.guestId")
            vm.guestId = unset ? QString() : v.string();
        else if (name == "config.instanceUuid")
            vm.instanceUuid = unset ? QString() : v.string();
        else if (name == "config.template")
            vm.isTemplate = !unset && v.toBool();
        else if (name == "config.extraConfig") {
            vm.requestId.clear();
            if (!unset) {
                for (const XmlValue& option : v.children) {
                    const XmlValue* key = option.child("key");
                    if (key && key->text == InventoryBuilder::kRequestIdKey) {
                        vm.requestId = option.textAt("value");
                        break;
                    }
                }
            }
        }
    }
}

void InventoryWatch::onFresh()
{
    m_resync = true;
    m_seen.clear();
}

void InventoryWatch::onUpdate(const ObjectUpdate& u)
{
    if (u.obj.type != QLatin1String("VirtualMachine"))
        return;
    const QString& ref = u.obj.value;
    if (u.kind == ObjectUpdate::Kind::Leave) {
        m_seen.remove(ref);
        m_changed.remove(ref);
        if (m_vms.remove(ref) > 0 || !m_resync)
            m_removed.insert(ref);
        return;
    }
    auto it = m_vms.find(ref);
    if (it == m_vms.end() || u.kind == ObjectUpdate::Kind::Enter) {
        // An object entering comes with every path asked for: start from nothing, so that a property
        // that became unset during a gap does not stay.
        VmInfo fresh;
        fresh.ref = ref;
        it = m_vms.insert(ref, fresh);
    }
    apply(*it, u);
    if (m_resync)
        m_seen.insert(ref);
    m_removed.remove(ref);
    m_changed.insert(ref);
}

void InventoryWatch::onCaughtUp()
{
    InventoryDelta delta;
    if (m_resync) {
        m_resync = false;
        delta.full = true;
        for (auto it = m_vms.begin(); it != m_vms.end();) {
            if (!m_seen.contains(it.key())) {
                m_removed.insert(it.key());
                it = m_vms.erase(it);
            } else {
                ++it;
            }
        }
        m_seen.clear();
        delta.vms.reserve(m_vms.size());
        for (const VmInfo& vm : std::as_const(m_vms))
            delta.vms.append(vm);
    } else {
        if (m_changed.isEmpty() && m_removed.isEmpty())
            return;
        for (const QString& ref : std::as_const(m_changed)) {
            if (auto it = m_vms.constFind(ref); it != m_vms.constEnd())
                delta.vms.append(*it);
        }
    }
    delta.removedVms = QStringList(m_removed.begin(), m_removed.end());
    m_changed.clear();
    m_removed.clear();
    if (m_onChange)
        m_onChange(delta);
}

} // namespace dcm::vsphere
