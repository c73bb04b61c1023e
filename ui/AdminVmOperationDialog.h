#pragma once

#include "domain/Inventory.h"
#include "domain/RequestKind.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QSpinBox;
class QStandardItemModel;
class QTableView;

namespace dcm {

class ServiceClient;

// Admin mode: an operation (power on, power off, restart, decommission) on any VM of the inventory, also
// one this product did not provision, as `dcmctl power|decommission --vm NAME --admin --reason TEXT`
// does. The VM is picked from the inventory's VMs (templates are not VMs to act on), filtered by name,
// path or power state, and named to the service by its moref (two VMs may share a name). The reason is
// required (the service records it with the request); a decommission also needs the VM's name typed back
// by DecommissionDialog's rule. The dialog only builds the target: whoever opened it submits it.
class AdminVmOperationDialog final : public QDialog
{
    Q_OBJECT

public:
    enum Column
    {
        NameColumn,
        PathColumn,
        PowerColumn,
        ColumnCount
    };
    static constexpr int RefRole = Qt::UserRole + 1;

    explicit AdminVmOperationDialog(ServiceClient* client, QWidget* parent = nullptr);

    RequestKind kind() const;
    // The chosen VM's moref and name, the trimmed reason and the guest timeout; null without a VM.
    OperationTarget target() const;
    // True while OK would submit: a VM chosen, a reason given, for decommission the name typed back.
    bool isSubmittable() const;

    QLineEdit* filterField() const { return m_filter; }
    QTableView* vmList() const { return m_list; }
    QComboBox* operationField() const { return m_operation; }
    QLineEdit* reasonField() const { return m_reason; }
    QSpinBox* guestTimeoutField() const { return m_timeout; }
    QLineEdit* typedNameField() const { return m_typed; }
    QPushButton* submitButton() const { return m_submit; }
    // Selects the VM with this moref when it is listed (and shown by the filter); false otherwise.
    bool selectVm(const QString& vmRef);

private:
    void setVms(const QList<VmInfo>& vms);
    void applyFilter(const QString& text);
    void updateState();
    const VmInfo* chosenVm() const;

    QList<VmInfo> m_vms; // the listed ones (no templates), in the model's row order
    QStandardItemModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QLineEdit* m_filter;
    QTableView* m_list;
    QLabel* m_inventoryNote;
    QComboBox* m_operation;
    QLineEdit* m_reason;
    QSpinBox* m_timeout;
    QLabel* m_typedLabel;
    QLineEdit* m_typed;
    QLabel* m_hint;
    QPushButton* m_submit;
};

} // namespace dcm
