#pragma once

#include "ui/PlacementCascade.h"

#include <QAbstractListModel>
#include <QHash>
#include <QList>

namespace dcm {

// One picker's entries (datacenters, compute, hosts, datastores, networks, folders), replaced as a whole
// with one model reset: a combo box over this model takes thousands of entries without a signal per
// item.
class InventoryListModel final : public QAbstractListModel
{
    Q_OBJECT

public:
    using Entry = PlacementChoice;
    enum Role
    {
        ValueRole = Qt::UserRole + 1,
        RefRole,
        KindRole,
    };

    explicit InventoryListModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;

    void setEntries(QList<Entry> entries);
    const Entry* entryAt(int row) const;
    int rowOfValue(const QString& value) const { return m_rowByValue.value(value, -1); }
    // The first enabled row, or -1.
    int firstEnabledRow() const;

private:
    QList<Entry> m_entries;
    QHash<QString, int> m_rowByValue;
};

} // namespace dcm
