#include "ui/RequestFilterProxy.h"

#include "ui/RequestTableModel.h"

namespace dcm {

RequestFilterProxy::RequestFilterProxy(QObject* parent) : QSortFilterProxyModel(parent)
{
    setSortRole(RequestTableModel::SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    setDynamicSortFilter(true);
}

void RequestFilterProxy::setStates(const QSet<RequestState>& states)
{
    if (states == m_states)
        return;
    m_states = states;
    invalidateFilter();
}

void RequestFilterProxy::setNameFilter(const QString& text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_name)
        return;
    m_name = trimmed;
    invalidateFilter();
}

bool RequestFilterProxy::lessThan(const QModelIndex& left, const QModelIndex& right) const
{
    const auto* model = qobject_cast<const RequestTableModel*>(sourceModel());
    const ProvisioningRequest* a = model ? model->requestAt(left.row()) : nullptr;
    const ProvisioningRequest* b = model ? model->requestAt(right.row()) : nullptr;
    if (a && b) {
        switch (left.column()) {
        case RequestTableModel::AgeColumn:
            return a->createdAt() < b->createdAt();
        case RequestTableModel::StateColumn:
            return int(a->state()) < int(b->state());
        case RequestTableModel::AttemptsColumn:
            return a->attempts() < b->attempts();
        case RequestTableModel::NameColumn:
            return a->spec().name.compare(b->spec().name, Qt::CaseInsensitive) < 0;
        default:
            break;
        }
    }
    return QSortFilterProxyModel::lessThan(left, right);
}

bool RequestFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    const QAbstractItemModel* source = sourceModel();
    if (!m_states.isEmpty()) {
        const auto state = RequestState(source->index(sourceRow, RequestTableModel::StateColumn, sourceParent)
                                            .data(RequestTableModel::StateRole)
                                            .toInt());
        if (!m_states.contains(state))
            return false;
    }
    if (!m_name.isEmpty()) {
        const QString name = source->index(sourceRow, RequestTableModel::NameColumn, sourceParent).data().toString();
        const QString batch = source->index(sourceRow, RequestTableModel::BatchColumn, sourceParent).data().toString();
        if (!name.contains(m_name, Qt::CaseInsensitive) && !batch.startsWith(m_name, Qt::CaseInsensitive))
            return false;
    }
    return true;
}

} // namespace dcm
