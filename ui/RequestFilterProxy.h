#pragma once

#include "domain/RequestState.h"

#include <QSet>
#include <QSortFilterProxyModel>

namespace dcm {

// Filters the rows at hand by state and by a part of the VM name or the start of its batch id
// (case-insensitive), and sorts by each column's SortRole (newest first by default). The store answers
// the same filters for the listing itself (RequestsPage asks it); this keeps the table right at once
// while the operator types, and hides a row that a live change moved out of the filter.
class RequestFilterProxy final : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit RequestFilterProxy(QObject* parent = nullptr);

    // Empty: every state.
    void setStates(const QSet<RequestState>& states);
    void setNameFilter(const QString& text);
    const QSet<RequestState>& states() const { return m_states; }
    const QString& nameFilter() const { return m_name; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
    // Age (the default order) and state compare the requests themselves: sorting 10,000 rows through
    // QVariant took tens of ms on the GUI thread at startup.
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    QSet<RequestState> m_states;
    QString m_name;
};

} // namespace dcm
