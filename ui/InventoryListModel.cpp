#include "ui/InventoryListModel.h"

namespace dcm {

InventoryListModel::InventoryListModel(QObject* parent) : QAbstractListModel(parent)
{}

int InventoryListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

QVariant InventoryListModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_entries.size())
        return {};
    const Entry& e = m_entries.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        return e.text;
    case Qt::ToolTipRole:
        return e.toolTip;
    case ValueRole:
        return e.value;
    case RefRole:
        return e.ref;
    case KindRole:
        return e.kind;
    default:
        return {};
    }
}

Qt::ItemFlags InventoryListModel::flags(const QModelIndex& index) const
{
    if (!index.isValid() || index.row() >= m_entries.size())
        return Qt::NoItemFlags;
    return m_entries.at(index.row()).enabled ? Qt::ItemIsSelectable | Qt::ItemIsEnabled : Qt::NoItemFlags;
}

void InventoryListModel::setEntries(QList<Entry> entries)
{
    beginResetModel();
    m_entries = std::move(entries);
    m_rowByValue.clear();
    m_rowByValue.reserve(m_entries.size());
    for (int i = 0; i < m_entries.size(); ++i)
        m_rowByValue.insert(m_entries.at(i).value, i);
    endResetModel();
}

const InventoryListModel::Entry* InventoryListModel::entryAt(int row) const
{
    return row < 0 || row >= m_entries.size() ? nullptr : &m_entries.at(row);
}

int InventoryListModel::firstEnabledRow() const
{
    for (int i = 0; i < m_entries.size(); ++i)
        if (m_entries.at(i).enabled)
            return i;
    return -1;
}

} // namespace dcm
