#pragma once

#include "domain/ProvisioningRequest.h"

#include <QUuid>
#include <QWidget>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QSplitter;
class QTableView;

namespace dcm {

class Banner;
class RequestDetailsPane;
class RequestFilterProxy;
class RequestTableModel;
class ServiceClient;
class UiSettings;

// Every request with its live state: a filterable, searchable table, the selected request's details
// and timeline, and the operator's actions (cancel, retry now, copy id).
class RequestsPage final : public QWidget
{
    Q_OBJECT

public:
    RequestsPage(ServiceClient* client, UiSettings* settings, QWidget* parent = nullptr);

    RequestTableModel* model() const { return m_model; }
    RequestFilterProxy* proxy() const { return m_proxy; }
    QTableView* table() const { return m_table; }
    RequestDetailsPane* details() const { return m_details; }
    QAction* cancelAction() const { return m_cancel; }
    QAction* retryAction() const { return m_retry; }
    QAction* copyIdAction() const { return m_copyId; }
    QLineEdit* searchField() const { return m_search; }
    QComboBox* stateFilter() const { return m_stateFilter; }
    Banner* banner() const { return m_banner; }

    QUuid selectedId() const;
    void selectRequest(const QUuid& id);
    void focusSearch();
    void saveState();

private:
    void applyStateFilter();
    void updateActions();
    void updateCount();
    void cancelSelected();
    void retrySelected();
    void copySelectedId();

    ServiceClient* m_client;
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
    QAction* m_copyId;
    QUuid m_pendingSelection;
};

} // namespace dcm
