#include "app/service/InventoryCache.h"

#include "domain/RequestEventText.h"

#include <QSet>

namespace dcm {

InventoryCache::InventoryCache(CircuitBreaker& breaker, ConnectionManager& connection, const ClockPort& clock,
                               std::chrono::milliseconds maxAge, QObject* parent)
    : QObject(parent), m_breaker(breaker), m_connection(connection), m_clock(clock), m_maxAge(maxAge)
{
    m_throttle.setSingleShot(true);
    m_throttle.setInterval(std::chrono::milliseconds(1000));
    connect(&m_throttle, &QTimer::timeout, this, [this] {
        if (!m_emitPending || !m_snapshot)
            return;
        m_emitPending = false;
        Q_EMIT changed(*m_snapshot);
        m_throttle.start();
    });
}

bool InventoryCache::isFresh() const
{
    return m_snapshot && m_clock.monotonicNow() - m_readAt <= m_maxAge;
}

bool InventoryCache::isFresh(InventoryKinds kinds) const
{
    if (!m_snapshot)
        return false;
    const auto now = m_clock.monotonicNow();
    for (int bit = 0; bit < 32; ++bit) {
        if (!(int(kinds) & (1 << bit)))
            continue;
        if ((1 << bit) == int(InventoryKind::Vms) && isWatching())
            continue; // kept current by the watch
        const auto it = m_kindReadAt.constFind(1 << bit);
        if (it == m_kindReadAt.cend() || now - *it > m_maxAge)
            return false;
    }
    return true;
}

void InventoryCache::fetch(InventoryKinds kinds, Done done)
{
    const auto refuse = [&](const Error& e) {
        Q_EMIT failed(e);
        if (done)
            done(e);
    };
    if (!m_hypervisor || !m_connection.isConnected())
        return refuse(
            Error::make(ErrorKind::Transient, QStringLiteral("not-connected"), tr("not connected to the hypervisor")));
    const BreakerPermit permit = m_breaker.tryAcquire();
    if (!permit.isAllowed() || permit.isScout()) {
        if (permit.isScout())
            m_connection.scout(permit);
        return refuse(Error::make(ErrorKind::Transient, QStringLiteral("breaker-open"),
                                  tr("the hypervisor is offline (circuit breaker open)")));
    }
    ++m_fetches;
    const auto started = m_clock.monotonicNow();
    m_hypervisor->inventory(kinds, [this, kinds, permit, started, done](Result<InventorySnapshot> result) {
        --m_fetches;
        m_connection.noteCall(permit, started, result.ok() ? nullptr : &result.error());
        if (!result.ok()) {
            Q_EMIT failed(result.error());
            if (done)
                done(result.error());
            return;
        }
        merge(kinds, std::move(result.value()));
        Q_EMIT changed(*m_snapshot);
        if (done)
            done(std::nullopt);
    });
}

void InventoryCache::merge(InventoryKinds kinds, InventorySnapshot fresh)
{
    m_readAt = m_clock.monotonicNow();
    // The service's clock stamps the snapshot, as it stamps requests: the console shows ages against it.
    fresh.fetchedAt = m_clock.utcNow();
    for (int bit = 0; bit < 32; ++bit) {
        if (int(kinds) & (1 << bit))
            m_kindReadAt.insert(1 << bit, m_readAt);
    }
    if (m_snapshot && !kinds.testFlag(InventoryKind::Vms)) {
        fresh.vms = std::move(m_snapshot->vms);
        fresh.vmsFetchedAt = m_snapshot->vmsFetchedAt;
    } else {
        fresh.vmsFetchedAt = fresh.fetchedAt;
    }
    // Kinds not read this time keep what the last read of them brought (a placement-only read must not
    // make every template look gone).
    if (m_snapshot && !kinds.testFlag(InventoryKind::Templates))
        fresh.templates = std::move(m_snapshot->templates);
    if (m_snapshot && !kinds.testFlag(InventoryKind::CustomizationSpecs))
        fresh.customizationSpecs = std::move(m_snapshot->customizationSpecs);
    m_snapshot = std::move(fresh);
}

void InventoryCache::startWatching()
{
    if (m_watch || m_watchUnsupported || !m_hypervisor)
        return;
    m_watchCurrent = false;
    // Zero is never a call id, so m_watch doubles as "a watch is on".
    const CallId id = m_hypervisor->watchInventory(
        InventoryKinds(InventoryKind::Vms),
        [this](const InventoryDelta& delta) {
            if (delta.full)
                m_watchCurrent = true;
            apply(delta);
        },
        [this](Result<void> r) {
            m_watch = 0;
            m_watchCurrent = false;
            if (!r.ok() && r.error().kind != ErrorKind::Cancelled && r.error().kind != ErrorKind::Authentication &&
                r.error().kind != ErrorKind::Permission && r.error().kind != ErrorKind::Trust) {
                // The adapter or server offers no watch: refreshes read the VMs as before.
                m_watchUnsupported = r.error().kind == ErrorKind::Business;
            }
        });
    m_watch = id ? id : m_watch;
}

void InventoryCache::stopWatching()
{
    if (!m_watch)
        return;
    const CallId id = std::exchange(m_watch, 0);
    m_watchCurrent = false;
    if (m_hypervisor)
        m_hypervisor->stopWatching(id);
}

void InventoryCache::apply(const InventoryDelta& delta)
{
    if (!m_snapshot) {
        if (!delta.full)
            return; // nothing to apply a change to; the full state comes first
        m_snapshot = InventorySnapshot();
        m_snapshot->fetchedAt = m_clock.utcNow();
    }
    // VMs sit in folders: their path is the folder's path and their name.
    QHash<QString, QString> folderPaths;
    folderPaths.reserve(m_snapshot->folders.size());
    for (const FolderInfo& f : std::as_const(m_snapshot->folders))
        folderPaths.insert(f.ref, f.path);
    const auto withPath = [&](VmInfo vm) {
        const auto folder = folderPaths.constFind(vm.parentRef);
        vm.path = folder == folderPaths.cend() ? QString() : *folder + QLatin1Char('/') + vm.name;
        return vm;
    };
    QList<VmInfo>& vms = m_snapshot->vms;
    if (delta.full) {
        vms.clear();
        vms.reserve(delta.vms.size());
        for (const VmInfo& vm : delta.vms)
            vms.append(withPath(vm));
    } else {
        QHash<QString, qsizetype> at;
        at.reserve(vms.size());
        for (qsizetype i = 0; i < vms.size(); ++i)
            at.insert(vms.at(i).ref, i);
        for (const VmInfo& vm : delta.vms) {
            if (auto it = at.constFind(vm.ref); it != at.cend())
                vms[*it] = withPath(vm);
            else
                vms.append(withPath(vm));
        }
        if (!delta.removedVms.isEmpty()) {
            const QSet<QString> gone(delta.removedVms.cbegin(), delta.removedVms.cend());
            vms.removeIf([&](const VmInfo& vm) { return gone.contains(vm.ref); });
            // A template removed elsewhere is gone from the clone sources too.
            m_snapshot->templates.removeIf([&](const TemplateInfo& t) { return gone.contains(t.ref); });
        }
    }
    // A template renamed or moved elsewhere keeps the details a read brought, under its new name.
    if (!m_snapshot->templates.isEmpty() && !delta.vms.isEmpty()) {
        QHash<QString, const VmInfo*> changedByRef;
        for (const VmInfo& vm : std::as_const(vms))
            changedByRef.insert(vm.ref, &vm);
        for (TemplateInfo& t : m_snapshot->templates) {
            if (const VmInfo* vm = changedByRef.value(t.ref)) {
                t.name = vm->name;
                t.path = vm->path;
                t.parentRef = vm->parentRef;
            }
        }
    }
    m_snapshot->vmsFetchedAt = m_clock.utcNow();
    m_kindReadAt.insert(int(InventoryKind::Vms), m_clock.monotonicNow());
    if (m_throttle.isActive()) {
        m_emitPending = true;
        return;
    }
    m_emitPending = false;
    Q_EMIT changed(*m_snapshot);
    m_throttle.start();
}

std::optional<QString> InventoryCache::vanishedPlacement(const VmSpec& spec) const
{
    if (!m_snapshot)
        return std::nullopt;
    const auto has = [](const auto& list, const QString& name) {
        return std::any_of(list.cbegin(), list.cend(),
                           [&](const auto& item) { return item.name == name || item.path == name; });
    };
    if (!has(m_snapshot->datacenters, spec.datacenter))
        return tr("datacenter '%1' no longer exists").arg(spec.datacenter);
    if (!spec.cluster.isEmpty() && !has(m_snapshot->clusters, spec.cluster))
        return tr("cluster '%1' no longer exists").arg(spec.cluster);
    if (!has(m_snapshot->datastores, spec.datastore))
        return tr("datastore '%1' no longer exists").arg(spec.datastore);
    for (const DatastoreInfo& ds : m_snapshot->datastores)
        if (ds.name == spec.datastore && !ds.accessible)
            return tr("datastore '%1' is not accessible").arg(spec.datastore);
    for (const NicSpec& nic : spec.nics)
        if (!has(m_snapshot->networks, nic.network))
            return tr("network '%1' no longer exists").arg(nic.network);
    return std::nullopt;
}

std::optional<InventoryCache::Stale> InventoryCache::staleReason(const VmSpec& spec) const
{
    if (!m_snapshot)
        return std::nullopt;
    namespace Why = RequestEventText;
    if (spec.isClone() && m_kindReadAt.contains(int(InventoryKind::Templates))) {
        const auto named = [&](const auto& item) {
            return item.name == spec.templateName || item.path == spec.templateName;
        };
        // A template, or an ordinary VM offered as a clone source (when the VMs were read).
        const bool there = std::any_of(m_snapshot->templates.cbegin(), m_snapshot->templates.cend(), named) ||
                           std::any_of(m_snapshot->vms.cbegin(), m_snapshot->vms.cend(), named);
        if (!there)
            return Stale{Why::kTemplateVanished,
                         {spec.templateName},
                         QStringLiteral("template-vanished"),
                         tr("template '%1' no longer exists").arg(spec.templateName)};
    }
    if (spec.isClone() && spec.customization.mode == GuestCustomization::Mode::SavedSpec &&
        m_kindReadAt.contains(int(InventoryKind::CustomizationSpecs))) {
        const QString& name = spec.customization.specName;
        const bool there = std::any_of(m_snapshot->customizationSpecs.cbegin(), m_snapshot->customizationSpecs.cend(),
                                       [&](const CustomizationSpecInfo& c) { return c.name == name; });
        if (!there)
            return Stale{Why::kCustomizationSpecVanished,
                         {name},
                         QStringLiteral("customization-spec-vanished"),
                         tr("customization specification '%1' no longer exists").arg(name)};
    }
    if (const auto vanished = vanishedPlacement(spec))
        return Stale{Why::kPlacementVanished, {*vanished}, QStringLiteral("placement-vanished"), *vanished};
    return std::nullopt;
}

} // namespace dcm
