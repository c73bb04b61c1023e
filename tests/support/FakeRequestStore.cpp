#include "FakeRequestStore.h"

#include <algorithm>

#include <QSet>

using namespace dcm;

Error FakeRequestStore::writeError() const
{
    return Error::make(ErrorKind::Storage, QStringLiteral("storage"), QStringLiteral("disk I/O error (fake)"));
}

Result<void> FakeRequestStore::insert(const ProvisioningRequest& request, const QString& owner,
                                      const QDateTime& leaseUntil)
{
    ++m_writes[QStringLiteral("insert")];
    if (m_failWrites)
        return writeError();
    if (m_rows.contains(request.id()))
        return Error::make(ErrorKind::Storage, QStringLiteral("duplicate-id"), QStringLiteral("duplicate id"));
    m_rows.insert(request.id(), Row{request, owner, owner.isEmpty() ? QDateTime() : leaseUntil, m_nextOrder++});
    return {};
}

Result<void> FakeRequestStore::update(const ProvisioningRequest& request, RequestState expectedState)
{
    ++m_writes[QStringLiteral("update")];
    if (m_failWrites)
        return writeError();
    auto it = m_rows.find(request.id());
    if (it == m_rows.end())
        return Error::make(ErrorKind::Storage, QStringLiteral("not-found"), QStringLiteral("no such request"));
    if (it->request.state() != expectedState)
        return Error::make(ErrorKind::Storage, QStringLiteral("conflict"),
                           QStringLiteral("the request moved meanwhile"));
    it->request = request;
    return {};
}

Result<std::optional<ProvisioningRequest>> FakeRequestStore::get(const QUuid& id)
{
    auto it = m_rows.constFind(id);
    if (it == m_rows.cend())
        return std::optional<ProvisioningRequest>{};
    return std::optional<ProvisioningRequest>{it->request};
}

Result<QList<ProvisioningRequest>> FakeRequestStore::list(const RequestFilter& filter)
{
    QList<Row> rows = m_rows.values();
    std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.order > b.order; });
    QList<ProvisioningRequest> out;
    qint64 cursorOrder = -1; // the cursor's request unknown: strictly older than its time
    if (filter.olderThan && m_rows.contains(filter.olderThan->id))
        cursorOrder = m_rows.value(filter.olderThan->id).order;
    for (const Row& r : rows) {
        if (filter.olderThan && !(r.request.createdAt() < filter.olderThan->createdAt ||
                                  (r.request.createdAt() == filter.olderThan->createdAt && r.order < cursorOrder)))
            continue;
        if (!filter.states.isEmpty() && !filter.states.contains(r.request.state()))
            continue;
        if (!filter.nameContains.isEmpty() &&
            !r.request.spec().name.contains(filter.nameContains, Qt::CaseInsensitive) &&
            !(filter.nameOrBatch && !r.request.batchId().isNull() &&
              r.request.batchId().toString(QUuid::WithoutBraces).startsWith(filter.nameContains, Qt::CaseInsensitive)))
            continue;
        if (filter.updatedAfter.isValid() && !(r.request.updatedAt() > filter.updatedAfter))
            continue;
        out.append(r.request);
        if (filter.limit > 0 && out.size() >= filter.limit)
            break;
    }
    return out;
}

Result<QMap<RequestState, int>> FakeRequestStore::countByState()
{
    QMap<RequestState, int> counts;
    for (const Row& r : std::as_const(m_rows))
        counts[r.request.state()] += 1;
    return counts;
}

Result<QList<ProvisioningRequest>> FakeRequestStore::claimNext(const QString& owner, const QDateTime& leaseUntil,
                                                               const QDateTime& now, int maxCount)
{
    ++m_writes[QStringLiteral("claimNext")];
    if (m_failWrites)
        return writeError();
    QList<Row*> due;
    for (Row& r : m_rows) {
        const bool free = r.owner.isEmpty() || !r.leaseUntil.isValid() || r.leaseUntil <= now;
        const RequestState s = r.request.state();
        const bool queuedDue = s == RequestState::QueuedForProvisioning &&
                               (!r.request.nextAttemptAt().isValid() || r.request.nextAttemptAt() <= now);
        if (free && (queuedDue || s == RequestState::Submitted))
            due.append(&r);
    }
    std::sort(due.begin(), due.end(), [](const Row* a, const Row* b) {
        return a->request.createdAt() != b->request.createdAt() ? a->request.createdAt() < b->request.createdAt()
                                                                : a->order < b->order;
    });
    QList<ProvisioningRequest> out;
    for (Row* r : due) {
        if (out.size() >= maxCount)
            break;
        r->owner = owner;
        r->leaseUntil = leaseUntil;
        out.append(r->request);
    }
    return out;
}

Result<void> FakeRequestStore::renewLease(const QUuid& id, const QString& owner, const QDateTime& leaseUntil)
{
    auto it = m_rows.find(id);
    if (it == m_rows.end() || it->owner != owner)
        return Error::make(ErrorKind::Storage, QStringLiteral("not-claimed"), QStringLiteral("lease not held"));
    it->leaseUntil = leaseUntil;
    return {};
}

Result<void> FakeRequestStore::releaseClaim(const QUuid& id, const QString& owner)
{
    ++m_writes[QStringLiteral("releaseClaim")];
    auto it = m_rows.find(id);
    if (it != m_rows.end() && it->owner == owner) {
        it->owner.clear();
        it->leaseUntil = {};
    }
    return {};
}

Result<void> FakeRequestStore::insertAll(const QList<ProvisioningRequest>& requests, const QString& owner,
                                         const QDateTime& leaseUntil)
{
    ++m_writes[QStringLiteral("insertAll")];
    if (m_failWrites)
        return writeError();
    QSet<QUuid> seen;
    for (const ProvisioningRequest& r : requests) {
        if (m_rows.contains(r.id()) || seen.contains(r.id()))
            return Error::make(ErrorKind::Storage, QStringLiteral("duplicate-id"), QStringLiteral("duplicate id"));
        seen.insert(r.id());
    }
    for (const ProvisioningRequest& r : requests) {
        const bool queued = r.state() == RequestState::QueuedForProvisioning;
        const QString by = queued ? QString() : owner;
        m_rows.insert(r.id(), Row{r, by, by.isEmpty() ? QDateTime() : leaseUntil, m_nextOrder++});
    }
    return {};
}

Result<void> FakeRequestStore::updateAndRelease(const ProvisioningRequest& request, RequestState expectedState,
                                                const QString& owner, Durability durability)
{
    // One commit in a real store: counted as itself, not as an update and a release.
    ++m_writes[QStringLiteral("updateAndRelease")];
    if (m_failWrites)
        return writeError();
    if (durability == Durability::Relaxed)
        m_relaxed.append(request);
    auto it = m_rows.find(request.id());
    if (it == m_rows.end())
        return Error::make(ErrorKind::Storage, QStringLiteral("not-found"), QStringLiteral("no such request"));
    if (it->request.state() != expectedState)
        return Error::make(ErrorKind::Storage, QStringLiteral("conflict"),
                           QStringLiteral("the request moved meanwhile"));
    it->request = request;
    if (it->owner == owner) {
        it->owner.clear();
        it->leaseUntil = {};
    }
    return {};
}

Result<QList<ProvisioningRequest>> FakeRequestStore::claimAndStart(const QString& owner, const QDateTime& leaseUntil,
                                                                   const QDateTime& now, int maxCount,
                                                                   const ClaimStart& start)
{
    if (m_failWrites) {
        ++m_writes[QStringLiteral("claimAndStart")];
        return writeError();
    }
    // All or none, as the real stores' one transaction: work on a copy, keep it only if every write held.
    const QHash<QUuid, Row> before = m_rows;
    const int claims = m_writes.value(QStringLiteral("claimNext"));
    auto claimed = claimNext(owner, leaseUntil, now, maxCount);
    m_writes[QStringLiteral("claimNext")] = claims;
    ++m_writes[QStringLiteral("claimAndStart")];
    if (!claimed.ok())
        return claimed;
    QList<ProvisioningRequest> out = claimed.value();
    for (ProvisioningRequest& r : out) {
        std::optional<ProvisioningRequest> started = start ? start(r) : std::nullopt;
        if (!started)
            continue;
        if (started->id() != r.id()) {
            m_rows = before;
            return Error::make(ErrorKind::Internal, QStringLiteral("invalid-argument"),
                               QStringLiteral("a claim's first write must be the claimed request"));
        }
        m_rows[r.id()].request = *started;
        r = *started;
    }
    return out;
}

Result<QList<ProvisioningRequest>> FakeRequestStore::takeOverExpired(const QString& owner, const QDateTime& leaseUntil,
                                                                     const QDateTime& now)
{
    QList<ProvisioningRequest> out;
    for (Row& r : m_rows) {
        const RequestState s = r.request.state();
        if ((s == RequestState::Provisioning || s == RequestState::Reconciling) &&
            (r.owner.isEmpty() || !r.leaseUntil.isValid() || r.leaseUntil < now)) {
            r.owner = owner;
            r.leaseUntil = leaseUntil;
            out.append(r.request);
        }
    }
    return out;
}
