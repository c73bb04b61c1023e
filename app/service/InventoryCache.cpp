#include "app/service/InventoryCache.h"

#include "domain/RequestEventText.h"

namespace dcm {

InventoryCache::InventoryCache(CircuitBreaker& breaker, ConnectionManager& connection, const ClockPort& clock,
                               std::chrono::milliseconds maxAge, QObject* parent)
    : QObject(parent), m_breaker(breaker), m_connection(connection), m_clock(clock), m_maxAge(maxAge)
{}

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
