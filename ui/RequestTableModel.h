#pragma once

#include "app/service/ServiceTypes.h"
#include "domain/FaultSentence.h"
#include "domain/ProvisioningRequest.h"
#include "domain/ports/ClockPort.h"
#include "domain/ports/RequestStorePort.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QTimer>

namespace dcm {

// The requests the view has asked for, as the service reports them: fed only by requestPageLoaded,
// requestChanged and requestProgress (never by the database). A history of 100,000
// is held a page at a time: the newest page first (setFirstPage), older pages when the view scrolls to
// the bottom (canFetchMore/fetchMore ask for them with moreRequested; appendPage adds them). A request
// that changes or is new while shown is taken in by applyChange whatever page it belongs to; a page
// that brings it again only refreshes its row. Bursts (a queue of 1,000 draining) are coalesced: changes
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
    // The first page of a listing (newest first): replaces what is shown. `total` is how many the
    // listing has in all (-1: not known), `more` whether older pages follow; `filter` is the listing's,
    // so that a request created later is counted into the total only when the listing would hold it.
    void setFirstPage(const QList<ProvisioningRequest>& requests, int total, bool more,
                      const RequestFilter& filter = {});
    // The next older page of the same listing.
    void appendPage(const QList<ProvisioningRequest>& requests, bool more);
    // How many the listing has in all, as the store last counted it plus the requests created since;
    // -1 when not known.
    int totalCount() const { return m_total; }
    // The store has older requests than those shown.
    bool hasMore() const { return m_hasMore; }
    // While the view's filters are about to change the listing, the view must not ask for older pages of
    // the one shown (a filter that hides every row at hand would otherwise read page after page);
    // setFirstPage lifts the hold.
    void holdFetching() { m_fetchHeld = true; }
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;
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
    // The view wants the page after `cursor` (the oldest request of the listing shown so far).
    void moreRequested(const dcm::RequestCursor& cursor);

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
    void takePage(const QList<ProvisioningRequest>& requests, bool more);
    bool inListing(const ProvisioningRequest& request) const;

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
    // Paging: where the listing's last page ended, whether more follow, one page asked at a time.
    std::optional<RequestCursor> m_cursor;
    bool m_hasMore = false;
    bool m_fetching = false;
    bool m_fetchHeld = false;
    int m_total = -1;
    QDateTime m_newestListed; // created since: counted into m_total as they arrive
    RequestFilter m_listing;
};

} // namespace dcm
