#pragma once

#include "app/service/ServiceTypes.h"
#include "domain/ProvisioningRequest.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QTimer>

namespace dcm {

// Every request, as the service reports it: fed only by requestsLoaded, requestChanged and
// requestProgress (never by the database). Bursts (a queue of 1,000 draining) are coalesced: changes
// are collected and applied at most every `coalesceInterval`, as one insert and per-row updates, so
// that the GUI thread never spends long in one go.
class RequestTableModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        NameColumn,
        StateColumn,
        ProgressColumn,
        AttemptsColumn,
        PlacementColumn,
        LastErrorColumn,
        AgeColumn,
        ColumnCount,
    };
    enum Role
    {
        IdRole = Qt::UserRole + 1, // QUuid
        StateRole,                 // int(RequestState)
        ProgressRole,              // int percent 0..100 while a task runs, else -1
        SortRole,                  // what the column sorts by
    };
    // Ten table updates a second at most: enough for the eye, and a drain of 1,000 requests does not
    // repaint the table hundreds of times.
    static constexpr int coalesceIntervalMs = 100;

    explicit RequestTableModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setRequests(const QList<ProvisioningRequest>& requests);
    void applyChange(const ProvisioningRequest& request);
    void applyProgress(const RequestProgress& progress);
    // Applies what is pending now (tests and benchmarks; the timer does it otherwise).
    void flush();

    const ProvisioningRequest* request(const QUuid& id) const;
    const ProvisioningRequest* requestAt(int row) const;
    int rowOf(const QUuid& id) const { return m_rowById.value(id, -1); }
    // Live task progress (percent, stage) of a provisioning request; percent -1 when there is none.
    std::pair<int, QString> progressOf(const QUuid& id) const;

Q_SIGNALS:
    // A request's data changed (the details pane follows it).
    void requestUpdated(const QUuid& id);

private:
    struct Row
    {
        ProvisioningRequest request;
        int percent = -1;
        QString stage;
    };
    QVariant displayData(const Row& row, int column) const;
    QVariant sortData(const Row& row, int column) const;
    void scheduleFlush();
    void emitRowsChanged(QList<int> rows);

    QList<Row> m_rows; // oldest first; the proxy sorts
    QHash<QUuid, int> m_rowById;
    QHash<QUuid, ProvisioningRequest> m_pendingChanges;
    QList<QUuid> m_pendingOrder;
    QHash<QUuid, RequestProgress> m_pendingProgress;
    QTimer m_flushTimer;
    QTimer m_ageTimer;
};

} // namespace dcm
