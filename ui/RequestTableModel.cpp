#include "ui/RequestTableModel.h"

#include "ui/StateStyle.h"
#include "ui/UiFormat.h"

#include <QLocale>

#include <algorithm>

namespace dcm {

namespace {

QString placementOf(const VmSpec& spec)
{
    QString compute = UiFormat::leafName(spec.cluster.isEmpty() ? spec.resourcePool : spec.cluster);
    if (!spec.host.isEmpty())
        compute += QStringLiteral(" / ") + UiFormat::leafName(spec.host);
    return QStringLiteral("%1 › %2 · %3").arg(spec.datacenter, compute, UiFormat::leafName(spec.datastore));
}

// "Power off", "Decommission": what an operation does, capitalised for the name column.
QString stateLabelKind(RequestKind kind)
{
    QString verb = operationVerb(kind);
    if (!verb.isEmpty())
        verb[0] = verb[0].toUpper();
    return verb;
}

// An operation's target: the VM, and the provisioning request it came from (or the admin's reason).
QString targetOf(const ProvisioningRequest& r)
{
    const OperationTarget& t = r.target();
    const QString vm = t.vmRef.isEmpty() ? t.vmName : QStringLiteral("%1 (%2)").arg(t.vmName, t.vmRef);
    if (t.isAdmin())
        return RequestTableModel::tr("VM %1 · admin: %2").arg(vm, t.adminReason);
    return RequestTableModel::tr("VM %1 · of request %2").arg(vm, t.requestId.toString(QUuid::WithoutBraces).left(8));
}

} // namespace

QUuid RequestTableModel::batchIdOf(const ProvisioningRequest& request)
{
    return request.batchId();
}

QString RequestTableModel::guestHostNameOf(const ProvisioningRequest& request)
{
    return request.guestHostName();
}

QString RequestTableModel::ipAddressOf(const ProvisioningRequest& request)
{
    return request.ipAddress();
}

QString RequestTableModel::sourceText(const VmSpec& spec)
{
    return spec.isClone() ? UiFormat::leafName(spec.templateName) : tr("Blank VM");
}

QString RequestTableModel::batchLabel(const ProvisioningRequest& request) const
{
    const QUuid batch = batchIdOf(request);
    if (batch.isNull())
        return QString();
    const auto members = m_batches.value(batch);
    qsizetype position = 0;
    for (qsizetype i = 0; i < members.size(); ++i)
        if (members.at(i).second == request.id())
            position = i + 1;
    // The first 8 hex digits tell batches apart at a glance; the id in full is in the details.
    return tr("%1 · %2 of %3").arg(batch.toString(QUuid::WithoutBraces).left(8)).arg(position).arg(members.size());
}

void RequestTableModel::indexBatch(const ProvisioningRequest& request)
{
    const QUuid batch = batchIdOf(request);
    if (batch.isNull())
        return;
    auto& members = m_batches[batch];
    const std::pair<QDateTime, QUuid> key{request.createdAt(), request.id()};
    for (const auto& m : std::as_const(members))
        if (m.second == request.id())
            return;
    members.insert(std::lower_bound(members.begin(), members.end(), key), key);
}

RequestTableModel::RequestTableModel(QObject* parent) : QAbstractTableModel(parent), m_clock(&UiFormat::systemClock())
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(coalesceIntervalMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &RequestTableModel::flush);
    // Ages ("5 min ago") move on by themselves, and a next attempt that falls due turns into "waiting for
    // vCenter". Not the sort role: nothing moves, and the proxy does not sort again.
    m_ageTimer.setInterval(30000);
    connect(&m_ageTimer, &QTimer::timeout, this, [this] {
        if (m_rows.isEmpty())
            return;
        const int last = int(m_rows.size()) - 1;
        Q_EMIT dataChanged(index(0, AgeColumn), index(last, AgeColumn), {Qt::DisplayRole, Qt::ToolTipRole});
        Q_EMIT dataChanged(index(0, ProgressColumn), index(last, ProgressColumn), {Qt::DisplayRole, Qt::ToolTipRole});
    });
    m_ageTimer.start();
}

void RequestTableModel::setClock(const ClockPort& clock)
{
    m_clock = &clock;
}

void RequestTableModel::setAccount(const QString& user, const QString& server)
{
    m_user = user;
    m_server = server;
}

FaultContext RequestTableModel::faultContext(const ProvisioningRequest& request) const
{
    FaultContext c = FaultContext::of(request.spec());
    c.user = m_user;
    c.server = m_server;
    return c;
}

int RequestTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RequestTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RequestTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case NameColumn:
            return tr("Name");
        case BatchColumn:
            return tr("Batch");
        case SourceColumn:
            return tr("Source");
        case GuestHostColumn:
            return tr("Guest host name");
        case IpAddressColumn:
            return tr("IP address");
        case StateColumn:
            return tr("State");
        case ProgressColumn:
            return tr("Progress");
        case AttemptsColumn:
            return tr("Attempts");
        case TaskColumn:
            return tr("vCenter task");
        case PlacementColumn:
            return tr("Placement");
        case LastErrorColumn:
            return tr("Last error");
        case StartedColumn:
            return tr("Started");
        case FinishedColumn:
            return tr("Finished");
        case RequestedByColumn:
            return tr("Requested by");
        case AgeColumn:
            return tr("Age");
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case ProgressColumn:
            return tr("The running vCenter task, or when the next attempt is due");
        case AttemptsColumn:
            return tr("Times the request was sent to vCenter");
        case TaskColumn:
            return tr("The vCenter task that created the VM, is running, or failed (find it in the vSphere Client)");
        case PlacementColumn:
            return tr("Datacenter › cluster or pool (/ host) · datastore");
        case BatchColumn:
            return tr("The batch the request was submitted in, and its place there");
        case SourceColumn:
            return tr("The template cloned, or a blank VM");
        case GuestHostColumn:
            return tr("The guest's host name, as vCenter reports it once the VM runs");
        case IpAddressColumn:
            return tr("The guest's IP address, as vCenter reports it once the VM runs");
        case StartedColumn:
            return tr("When the request was first sent to vCenter");
        case FinishedColumn:
            return tr("When the request was provisioned, failed or cancelled");
        case RequestedByColumn:
            return tr("The OS account and host of the console or dcmctl that submitted it");
        default:
            return {};
        }
    }
    return {};
}

QVariant RequestTableModel::displayData(const Row& row, int column) const
{
    const ProvisioningRequest& r = row.request;
    switch (column) {
    case NameColumn:
        // An operation reads as what it does to which VM.
        return r.isOperation() ? tr("%1 · %2").arg(stateLabelKind(r.kind()), r.spec().name) : r.spec().name;
    case BatchColumn:
        return batchLabel(r);
    case SourceColumn:
        // An operation has no source of its own: its target is in the name.
        return r.isOperation() ? QVariant() : QVariant(sourceText(r.spec()));
    case GuestHostColumn:
        return guestHostNameOf(r);
    case IpAddressColumn:
        return ipAddressOf(r);
    case StateColumn:
        if (r.isOperation())
            return stateLabel(r.kind(), r.state());
        if (r.decommissionedAt().isValid())
            return tr("Decommissioned");
        return StateStyle::requestText(r.state());
    case ProgressColumn:
        if (r.state() == RequestState::Provisioning) {
            const int percent = std::max(0, row.percent);
            return row.stage.isEmpty() ? tr("%1%").arg(percent) : tr("%1% · %2").arg(percent).arg(row.stage);
        }
        if (r.state() == RequestState::QueuedForProvisioning) {
            // A next attempt already due waits for vCenter (the breaker, the connection, a paused queue),
            // not for a time in the past.
            if (r.nextAttemptAt().isValid() && r.nextAttemptAt() > now())
                return tr("next attempt %1").arg(UiFormat::localTime(r.nextAttemptAt()));
            return tr("waiting for vCenter");
        }
        if (r.state() == RequestState::Reconciling)
            return r.isOperation() ? tr("reading the VM's state") : tr("looking for the VM");
        if (r.decommissionedAt().isValid())
            return tr("decommissioned at %1, by %2")
                .arg(UiFormat::localTime(r.decommissionedAt()), r.decommissionedBy());
        if (r.state() == RequestState::Provisioned)
            return r.isOperation() ? QString() : r.vmRef();
        return QString();
    case AttemptsColumn:
        return r.attempts();
    case TaskColumn:
        return taskOf(row);
    case PlacementColumn:
        // For an operation: its target.
        return r.isOperation() ? targetOf(r) : placementOf(r.spec());
    case LastErrorColumn:
        return r.lastError() ? UiFormat::errorLine(*r.lastError(), faultContext(r)) : QString();
    case StartedColumn:
        return UiFormat::localTime(UiFormat::startedAt(r));
    case FinishedColumn:
        return UiFormat::localTime(UiFormat::finishedAt(r));
    case RequestedByColumn:
        return r.requestedBy();
    case AgeColumn:
        return UiFormat::age(r.createdAt(), now());
    default:
        return {};
    }
}

QString RequestTableModel::taskOf(const Row& row) const
{
    const ProvisioningRequest& r = row.request;
    if (!r.taskRef().isEmpty())
        return r.taskRef();
    if (r.state() == RequestState::Provisioning && !row.runningTask.isEmpty())
        return row.runningTask;
    // A task that failed: the adapter names it in the error it reports.
    if (r.lastError())
        return r.lastError()->details.value(QStringLiteral("createTaskRef")).toString();
    return QString();
}

QString RequestTableModel::taskOf(const QUuid& id) const
{
    const int row = m_rowById.value(id, -1);
    return row < 0 ? QString() : taskOf(m_rows.at(row));
}

QVariant RequestTableModel::sortData(const Row& row, int column) const
{
    const ProvisioningRequest& r = row.request;
    switch (column) {
    case StateColumn:
        return int(r.state());
    case ProgressColumn:
        return row.percent;
    case AttemptsColumn:
        return r.attempts();
    case StartedColumn:
        return UiFormat::startedAt(r);
    case FinishedColumn:
        return UiFormat::finishedAt(r);
    case AgeColumn:
        return r.createdAt();
    case BatchColumn:
        // Members together, in their order; single VMs (no batch) first.
        return batchIdOf(r).isNull()
                   ? QString()
                   : batchIdOf(r).toString() + r.createdAt().toString(Qt::ISODateWithMs) + r.id().toString();
    default:
        return displayData(row, column);
    }
}

QVariant RequestTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row& row = m_rows.at(index.row());
    const ProvisioningRequest& r = row.request;
    switch (role) {
    case Qt::DisplayRole:
        return displayData(row, index.column());
    case Qt::DecorationRole:
        if (index.column() == StateColumn)
            return StateStyle::requestIcon(r.state());
        return {};
    case Qt::ToolTipRole:
        switch (index.column()) {
        case StateColumn:
            return StateStyle::requestDescription(r.state());
        case ProgressColumn:
            if (r.state() == RequestState::QueuedForProvisioning && r.nextAttemptAt().isValid())
                return r.nextAttemptAt() > now()
                           ? tr("Next attempt at %1").arg(UiFormat::localDateTime(r.nextAttemptAt()))
                           : tr("The next attempt was due at %1; it is sent as soon as vCenter is reachable and "
                                "the queue is not paused")
                                 .arg(UiFormat::localDateTime(r.nextAttemptAt()));
            return {};
        case LastErrorColumn:
            return r.lastError() ? UiFormat::errorReport(*r.lastError(), faultContext(r)) : QString();
        case StartedColumn:
            return UiFormat::localDateTime(UiFormat::startedAt(r));
        case FinishedColumn:
            return UiFormat::localDateTime(UiFormat::finishedAt(r));
        case AgeColumn:
            return UiFormat::localDateTime(r.createdAt());
        case BatchColumn:
            return batchIdOf(r).isNull() ? QString() : tr("Batch %1").arg(batchIdOf(r).toString(QUuid::WithoutBraces));
        case SourceColumn:
            return r.spec().isClone() ? r.spec().templateName : QString();
        case PlacementColumn:
            return QStringList{r.spec().datacenter,
                               r.spec().cluster.isEmpty() ? r.spec().resourcePool : r.spec().cluster, r.spec().host,
                               r.spec().datastore, r.spec().primaryNetwork()}
                .join(QLatin1Char('\n'))
                .trimmed();
        default:
            return {};
        }
    case Qt::TextAlignmentRole:
        if (index.column() == AttemptsColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case IdRole:
        return r.id();
    case StateRole:
        return int(r.state());
    case ProgressRole:
        return index.column() == ProgressColumn && r.state() == RequestState::Provisioning ? std::max(0, row.percent)
                                                                                           : -1;
    case SortRole:
        return sortData(row, index.column());
    default:
        return {};
    }
}

void RequestTableModel::setRequests(const QList<ProvisioningRequest>& requests)
{
    // Everything received before this list was emitted before it, so the list already includes it.
    m_pendingChanges.clear();
    // The whole listing at once (setFirstPage says otherwise for a page).
    m_hasMore = false;
    m_fetching = false;
    m_fetchHeld = false;
    m_cursor.reset();
    m_listing = RequestFilter();
    m_total = int(requests.size());
    m_newestListed = requests.isEmpty() ? QDateTime() : requests.constFirst().createdAt();
    m_pendingOrder.clear();
    QHash<QUuid, Row> progress;
    for (const Row& row : std::as_const(m_rows))
        if (row.percent >= 0)
            progress.insert(row.request.id(), row);

    beginResetModel();
    m_rows.clear();
    m_rowById.clear();
    m_batches.clear();
    m_rows.reserve(requests.size());
    m_rowById.reserve(requests.size());
    // The service lists newest first; rows are kept oldest first so that new ones are appended.
    for (auto it = requests.crbegin(); it != requests.crend(); ++it) {
        Row row{*it, -1, QString(), QString()};
        if (auto p = progress.find(it->id()); p != progress.end() && it->state() == RequestState::Provisioning) {
            row.percent = p->percent;
            row.stage = p->stage;
            row.runningTask = p->runningTask;
        }
        m_rowById.insert(it->id(), int(m_rows.size()));
        indexBatch(*it);
        m_rows.append(std::move(row));
    }
    endResetModel();
}

void RequestTableModel::setFirstPage(const QList<ProvisioningRequest>& requests, int total, bool more,
                                     const RequestFilter& filter)
{
    setRequests(requests);
    m_listing = filter;
    m_total = total;
    m_newestListed = requests.isEmpty() ? QDateTime() : requests.constFirst().createdAt();
    m_fetching = false;
    m_fetchHeld = false;
    m_cursor.reset();
    takePage(requests, more);
}

void RequestTableModel::appendPage(const QList<ProvisioningRequest>& requests, bool more)
{
    m_fetching = false;
    takePage(requests, more);
    QList<Row> added;
    QList<int> changedRows;
    QList<QUuid> updatedIds;
    for (const ProvisioningRequest& request : requests) {
        if (m_pendingChanges.contains(request.id()))
            continue; // a newer copy is on its way in
        if (const int row = m_rowById.value(request.id(), -1); row >= 0) {
            // Already here (it changed while shown): the page's copy is as new as what we have.
            m_rows[row].request = request;
            changedRows.append(row);
            updatedIds.append(request.id());
        } else {
            added.append(Row{request, -1, QString(), QString()});
        }
    }
    if (!added.isEmpty()) {
        const int first = int(m_rows.size());
        beginInsertRows(QModelIndex(), first, first + int(added.size()) - 1);
        for (Row& row : added) {
            m_rowById.insert(row.request.id(), int(m_rows.size()));
            indexBatch(row.request);
            for (const auto& member : m_batches.value(batchIdOf(row.request)))
                if (const int other = m_rowById.value(member.second, -1); other >= 0)
                    changedRows.append(other);
            m_rows.append(std::move(row));
        }
        endInsertRows();
    }
    emitRowsChanged(std::move(changedRows));
    for (const QUuid& id : std::as_const(updatedIds))
        Q_EMIT requestUpdated(id);
}

void RequestTableModel::takePage(const QList<ProvisioningRequest>& requests, bool more)
{
    m_hasMore = more && !requests.isEmpty();
    if (!requests.isEmpty())
        m_cursor = RequestCursor{requests.constLast().createdAt(), requests.constLast().id()};
}

bool RequestTableModel::inListing(const ProvisioningRequest& request) const
{
    // As the store answers RequestFilter's states and nameContains (with nameOrBatch).
    if (!m_listing.states.isEmpty() && !m_listing.states.contains(request.state()))
        return false;
    const QString& part = m_listing.nameContains;
    if (part.isEmpty())
        return true;
    if (request.spec().name.toCaseFolded().contains(part.toCaseFolded()))
        return true;
    return m_listing.nameOrBatch && !request.batchId().isNull() &&
           request.batchId().toString(QUuid::WithoutBraces).startsWith(part.toLower());
}

bool RequestTableModel::canFetchMore(const QModelIndex& parent) const
{
    return !parent.isValid() && m_hasMore && !m_fetching && !m_fetchHeld && m_cursor.has_value();
}

void RequestTableModel::fetchMore(const QModelIndex& parent)
{
    if (!canFetchMore(parent))
        return;
    m_fetching = true;
    Q_EMIT moreRequested(*m_cursor);
}

void RequestTableModel::applyChange(const ProvisioningRequest& request)
{
    if (!m_pendingChanges.contains(request.id()))
        m_pendingOrder.append(request.id());
    m_pendingChanges.insert(request.id(), request);
    scheduleFlush();
}

void RequestTableModel::applyProgress(const RequestProgress& progress)
{
    m_pendingProgress.insert(progress.id, progress);
    scheduleFlush();
}

void RequestTableModel::scheduleFlush()
{
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void RequestTableModel::flush()
{
    m_flushTimer.stop();
    QList<int> changedRows;
    QList<QUuid> updatedIds;
    QList<Row> added;

    for (const QUuid& id : std::as_const(m_pendingOrder)) {
        const ProvisioningRequest& request = m_pendingChanges[id];
        updatedIds.append(id);
        const int row = m_rowById.value(id, -1);
        if (row >= 0) {
            Row& existing = m_rows[row];
            existing.request = request;
            if (request.state() != RequestState::Provisioning) {
                existing.percent = -1;
                existing.stage.clear();
                existing.runningTask.clear();
            }
            changedRows.append(row);
        } else {
            added.append(Row{request, -1, QString(), QString()});
            // Created since the listing was read (not an older one that changed), and one the listing
            // would hold: one more in all.
            if (m_total >= 0 && (!m_newestListed.isValid() || request.createdAt() > m_newestListed) &&
                inListing(request))
                ++m_total;
        }
    }
    m_pendingChanges.clear();
    m_pendingOrder.clear();

    if (!added.isEmpty()) {
        const int first = int(m_rows.size());
        beginInsertRows(QModelIndex(), first, first + int(added.size()) - 1);
        for (Row& row : added) {
            m_rowById.insert(row.request.id(), int(m_rows.size()));
            // A new member changes how its batch is counted ("of 5"): the other members' cells follow.
            indexBatch(row.request);
            for (const auto& member : m_batches.value(batchIdOf(row.request)))
                if (const int other = m_rowById.value(member.second, -1); other >= 0)
                    changedRows.append(other);
            m_rows.append(std::move(row));
        }
        endInsertRows();
    }

    for (auto it = m_pendingProgress.cbegin(); it != m_pendingProgress.cend(); ++it) {
        const int row = m_rowById.value(it.key(), -1);
        if (row < 0 || m_rows[row].request.state() != RequestState::Provisioning)
            continue; // a late report for a task that has finished
        m_rows[row].percent = std::clamp(it->percent, 0, 100);
        m_rows[row].stage = it->stage;
        if (!it->taskRef.isEmpty())
            m_rows[row].runningTask = it->taskRef;
        changedRows.append(row);
        updatedIds.append(it.key());
    }
    m_pendingProgress.clear();

    emitRowsChanged(std::move(changedRows));
    for (const QUuid& id : std::as_const(updatedIds))
        Q_EMIT requestUpdated(id);
}

void RequestTableModel::emitRowsChanged(QList<int> rows)
{
    static_assert(AgeColumn == ColumnCount - 1, "the Age column is left out of row updates: keep it last");
    if (rows.isEmpty())
        return;
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    // Contiguous runs: one signal per run keeps the proxy's work proportional to what changed.
    int start = rows.front();
    int previous = start;
    for (qsizetype i = 1; i <= rows.size(); ++i) {
        if (i < rows.size() && rows.at(i) == previous + 1) {
            previous = rows.at(i);
            continue;
        }
        // createdAt never changes: leaving the Age column out keeps the proxy from re-sorting by it.
        Q_EMIT dataChanged(index(start, 0), index(previous, AgeColumn - 1));
        if (i < rows.size())
            start = previous = rows.at(i);
    }
}

const ProvisioningRequest* RequestTableModel::request(const QUuid& id) const
{
    const int row = m_rowById.value(id, -1);
    return row < 0 ? nullptr : &m_rows.at(row).request;
}

const ProvisioningRequest* RequestTableModel::requestAt(int row) const
{
    return row < 0 || row >= m_rows.size() ? nullptr : &m_rows.at(row).request;
}

std::pair<int, QString> RequestTableModel::progressOf(const QUuid& id) const
{
    const int row = m_rowById.value(id, -1);
    if (row < 0)
        return {-1, QString()};
    return {m_rows.at(row).percent, m_rows.at(row).stage};
}

} // namespace dcm
