#pragma once

#include "app/service/ServiceTypes.h"
#include "app/service/SubmitAnswer.h"
#include "domain/ProvisioningRequest.h"

#include <QHash>

#include <QUuid>
#include <QWidget>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QMessageBox;
class QSplitter;
class QTableView;
class QTimer;

namespace dcm {

class Banner;
class DecommissionDialog;
class ClockPort;
class RequestDetailsPane;
class RequestFilterProxy;
class RequestTableModel;
class ServiceClient;
class UiSettings;

// The request history with its live state, a page at a time (the newest first, older ones as the table
// is scrolled; filter and search answered by the store): a table, the selected request's details
// and timeline, and the operator's actions: cancel (after a question naming the VM), retry now (not
// for a failure that would only repeat: then "edit and resubmit", with the reason as tooltip), edit and
// resubmit (the form, prefilled; a new request), and copy — the selected cell (Ctrl+C), the error, the
// id, or the request as `dcmctl requests --json` prints it. The actions are the table's context menu.
class RequestsPage final : public QWidget
{
    Q_OBJECT

public:
    RequestsPage(ServiceClient* client, UiSettings* settings, QWidget* parent = nullptr);

    // "Now" for ages and due times (the system clock unless a test gives its own).
    void setClock(const ClockPort& clock);

    RequestTableModel* model() const { return m_model; }
    RequestFilterProxy* proxy() const { return m_proxy; }
    QTableView* table() const { return m_table; }
    RequestDetailsPane* details() const { return m_details; }
    QAction* cancelAction() const { return m_cancel; }
    QAction* retryAction() const { return m_retry; }
    QAction* editAction() const { return m_edit; }
    QAction* copyAction() const { return m_copy; }
    QAction* copyErrorAction() const { return m_copyError; }
    QAction* copyIdAction() const { return m_copyId; }
    QAction* copyJsonAction() const { return m_copyJson; }
    // Operations on the selected provisioned request's VM, through the queue like provisioning.
    QAction* powerOnAction() const { return m_powerOn; }
    QAction* powerOffAction() const { return m_powerOff; }
    QAction* restartAction() const { return m_restart; }
    QAction* decommissionAction() const { return m_decommission; }
    // The typed-name confirmation Decommission opens while it waits for an answer, else null.
    DecommissionDialog* decommissionDialog() const;
    QAction* showBatchAction() const { return m_showBatch; }
    QLineEdit* searchField() const { return m_search; }
    QComboBox* stateFilter() const { return m_stateFilter; }
    Banner* banner() const { return m_banner; }
    // The question Cancel asks while it waits for an answer, else null.
    QMessageBox* cancelQuestion() const;

    // Sends an operation to the service; its answer shows in the page's banner and the new request is
    // selected, the same for the page's own actions and for admin mode's VM operation.
    void submitOperation(RequestKind kind, const OperationTarget& target, const QString& vmName);

    QUuid selectedId() const;
    void selectRequest(const QUuid& id);
    // Reads the listing again from its newest page, as the filters now say (the store answers them).
    void reload();
    // Rows asked of the store at a time.
    static constexpr int pageSize = 500;
    // Typing in the search asks the store once it pauses for this long.
    static constexpr int searchDebounceMs = 250;
    void focusSearch();
    void saveState();

Q_SIGNALS:
    // "Edit and resubmit": the form is to be filled with this spec, for a new request; `from` is the
    // request it was copied from (which stays as it is).
    void editRequested(const dcm::VmSpec& spec, const QUuid& from);

private:
    void applyStateFilter();
    void updateActions();
    void updateCount();
    void askToCancelSelected();
    void cancel(const QUuid& id, const QString& name);
    void retrySelected();
    void copySelection();
    void copySelectedError();
    void copySelectedId();
    void copySelectedJson();
    void editSelected();
    void copied(const QString& text, const QString& what);
    void operateOnSelected(RequestKind kind);
    void askToDecommissionSelected();
    void onAnswer(const SubmitAnswer& answer);
    void onPage(const RequestPage& page);
    RequestFilter listingFilter() const;

    ServiceClient* m_client;
    RequestFilter m_listing; // what the table lists, as last asked of the store
    quint64 m_pageToken = 0; // the one page question whose answer is awaited
    QTimer* m_reloadTimer;
    UiSettings* m_settings;
    RequestTableModel* m_model;
    RequestFilterProxy* m_proxy;
    QComboBox* m_stateFilter;
    QLineEdit* m_search;
    QLabel* m_count;
    QTableView* m_table;
    RequestDetailsPane* m_details;
    QSplitter* m_splitter;
    Banner* m_banner;
    QAction* m_cancel;
    QAction* m_retry;
    QAction* m_edit;
    QAction* m_copy;
    QAction* m_copyError;
    QAction* m_copyId;
    QAction* m_copyJson;
    QAction* m_powerOn;
    QAction* m_powerOff;
    QAction* m_restart;
    QAction* m_decommission;
    QHash<quint64, QString> m_operationTokens; // answers awaited, with the VM's name
    QAction* m_showBatch;
    QUuid m_pendingSelection;
};

} // namespace dcm
