#pragma once

#include "app/service/ServiceTypes.h"
#include "domain/FaultSentence.h"
#include "domain/ProvisioningRequest.h"
#include "domain/ports/ClockPort.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QTimer>

namespace dcm {

// Every request, as the service reports it: fed only by requestsLoaded, requestChanged and
// requestProgress (never by the database). Bursts (a queue of 1,000 draining) are coalesced: changes
// are collected and applied at most every `coalesceInterval`, as one insert and per-row updates, so
// that the GUI thread never spends long in one go. Times that depend on "now" (ages, a next attempt
// that is already due) are read from the clock given with setClock (the system clock by default).
class RequestTableModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        NameColumn,
        BatchColumn, // the batch a request was submitted in ("3f2a9c01 · 2 of 5"), empty for one VM
        StateColumn,
        ProgressColumn,
        AttemptsColumn,
        TaskColumn,   // vCenter's task (its moref, e.g. task-71)
        SourceColumn, // the template cloned, or "Blank VM"
        PlacementColumn,
        GuestHostColumn, // the guest's host name as vCenter reports it once the VM runs
        IpAddressColumn, // the guest's IP address, likewise
        LastErrorColumn,
        StartedColumn,     // the first attempt
        FinishedColumn,    // settled
        RequestedByColumn, // user@host of the console or dcmctl that submitted it
        AgeColumn,
        ColumnCount,
    };
    enum Role
    {
        IdRole = Qt::UserRole + 1, // QUuid
        StateRole,                 // int(RequestState)
        ProgressRole,              // ProgressColumn: int percent 0..100 while a task runs, else -1
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

    void setClock(const ClockPort& clock);
    QDateTime now() const { return m_clock->utcNow(); }
    // The account the service talks to vCenter with, for the error sentences.
    void setAccount(const QString& user, const QString& server);
    FaultContext faultContext(const ProvisioningRequest& request) const;

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
    // vCenter's task of the request: the one that created the VM, the one running, or the one whose
    // failure the last error reports; empty when none is known.
    QString taskOf(const QUuid& id) const;
    // What the request carries once the service has it (empty otherwise).
    static QUuid batchIdOf(const ProvisioningRequest& request);
    static QString guestHostNameOf(const ProvisioningRequest& request);
    static QString ipAddressOf(const ProvisioningRequest& request);
    // "Template ubuntu-22.04" / "Blank VM".
    static QString sourceText(const VmSpec& spec);
    // A request's place in its batch, as "3f2a9c01 · 2 of 5" (by creation), empty for a single VM.
    QString batchLabel(const ProvisioningRequest& request) const;

Q_SIGNALS:
    // A request's data changed (the details pane follows it).
    void requestUpdated(const QUuid& id);

private:
    struct Row
    {
        ProvisioningRequest request;
        int percent = -1;
        QString stage;
        QString runningTask; // from the progress reports of the running task
    };
    QString taskOf(const Row& row) const;
    QVariant displayData(const Row& row, int column) const;
    QVariant sortData(const Row& row, int column) const;
    void scheduleFlush();
    void emitRowsChanged(QList<int> rows);

    void indexBatch(const ProvisioningRequest& request);

    QList<Row> m_rows; // oldest first; the proxy sorts
    // Members of each batch, by creation (then id): "2 of 5" without a scan of every row per cell.
    QHash<QUuid, QList<std::pair<QDateTime, QUuid>>> m_batches;
    QHash<QUuid, int> m_rowById;
    QHash<QUuid, ProvisioningRequest> m_pendingChanges;
    QList<QUuid> m_pendingOrder;
    QHash<QUuid, RequestProgress> m_pendingProgress;
    QTimer m_flushTimer;
    QTimer m_ageTimer;
    const ClockPort* m_clock;
    QString m_user;
    QString m_server;
};

} // namespace dcm
