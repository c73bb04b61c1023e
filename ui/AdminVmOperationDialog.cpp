#include "ui/AdminVmOperationDialog.h"

#include "ui/DecommissionDialog.h"
#include "ui/ServiceClient.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

namespace dcm {

namespace {

// vSphere's runtime.powerState in an operator's words; anything else as it came.
QString powerLabel(const QString& state)
{
    if (state == QLatin1String("poweredOn"))
        return AdminVmOperationDialog::tr("On");
    if (state == QLatin1String("poweredOff"))
        return AdminVmOperationDialog::tr("Off");
    if (state == QLatin1String("suspended"))
        return AdminVmOperationDialog::tr("Suspended");
    return state;
}

} // namespace

AdminVmOperationDialog::AdminVmOperationDialog(ServiceClient* client, QWidget* parent)
    : QDialog(parent), m_model(new QStandardItemModel(0, ColumnCount, this)), m_proxy(new QSortFilterProxyModel(this))
{
    setObjectName(QStringLiteral("adminVmOperationDialog"));
    setWindowTitle(tr("VM operation (admin)"));
    auto* what = new QLabel(tr("Act on any VM of the inventory, also one not provisioned here. The operation "
                               "goes through the queue like every request, with your reason recorded."),
                            this);
    what->setWordWrap(true);

    m_model->setHorizontalHeaderLabels({tr("Name"), tr("Path"), tr("Power")});
    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterKeyColumn(-1); // name, path or power state
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setSortCaseSensitivity(Qt::CaseInsensitive);
    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("adminVmFilter"));
    m_filter->setPlaceholderText(tr("Filter by name, path or power state"));
    m_filter->setAccessibleName(tr("Filter the VMs"));
    m_filter->setClearButtonEnabled(true);
    m_list = new QTableView(this);
    m_list->setObjectName(QStringLiteral("adminVmList"));
    m_list->setAccessibleName(tr("VMs of the inventory"));
    m_list->setModel(m_proxy);
    m_list->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->setSortingEnabled(true);
    m_list->sortByColumn(NameColumn, Qt::AscendingOrder);
    m_list->verticalHeader()->hide();
    m_list->horizontalHeader()->setSectionResizeMode(PathColumn, QHeaderView::Stretch);
    m_list->setMinimumHeight(m_list->fontMetrics().height() * 12);
    m_inventoryNote = new QLabel(this);
    m_inventoryNote->setObjectName(QStringLiteral("adminVmInventoryNote"));
    m_inventoryNote->setWordWrap(true);
    m_inventoryNote->setForegroundRole(QPalette::PlaceholderText);

    m_operation = new QComboBox(this);
    m_operation->setObjectName(QStringLiteral("adminVmOperation"));
    for (RequestKind k : {RequestKind::PowerOn, RequestKind::PowerOff, RequestKind::Restart, RequestKind::Decommission})
        m_operation->addItem(k == RequestKind::PowerOn    ? tr("Power on")
                             : k == RequestKind::PowerOff ? tr("Power off")
                             : k == RequestKind::Restart  ? tr("Restart")
                                                          : tr("Decommission"),
                             QVariant::fromValue(k));
    m_reason = new QLineEdit(this);
    m_reason->setObjectName(QStringLiteral("adminVmReason"));
    m_reason->setPlaceholderText(tr("Required: why, for the request's record"));
    m_reason->setAccessibleName(tr("Reason"));
    m_timeout = new QSpinBox(this);
    m_timeout->setObjectName(QStringLiteral("adminVmGuestTimeout"));
    m_timeout->setRange(1, OperationTarget::maxGuestTimeoutSeconds);
    m_timeout->setValue(OperationTarget::defaultGuestTimeoutSeconds);
    m_timeout->setSuffix(tr(" s"));
    m_timeout->setToolTip(tr("When VMware Tools run, the guest is asked to shut down first; if it is still "
                             "running after this long, the VM is powered off hard"));
    m_typed = new QLineEdit(this);
    m_typed->setObjectName(QStringLiteral("adminVmTypedName"));
    m_typed->setAccessibleName(tr("The VM's name, typed to confirm"));
    m_typedLabel = new QLabel(tr("Type the VM's name to confirm:"), this);
    m_hint = new QLabel(this);
    m_hint->setObjectName(QStringLiteral("adminVmHint"));
    m_hint->setWordWrap(true);

    auto* form = new QFormLayout;
    form->addRow(tr("&Operation:"), m_operation);
    form->addRow(tr("&Reason:"), m_reason);
    form->addRow(tr("Guest shutdown &timeout:"), m_timeout);
    form->addRow(m_typedLabel, m_typed);

    auto* buttons = new QDialogButtonBox(this);
    m_submit = buttons->addButton(tr("Submit"), QDialogButtonBox::AcceptRole);
    m_submit->setObjectName(QStringLiteral("adminVmSubmit"));
    QPushButton* close = buttons->addButton(QDialogButtonBox::Cancel);
    close->setObjectName(QStringLiteral("adminVmCancel"));
    close->setDefault(true); // Enter in a field never submits by accident
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (isSubmittable())
            accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(what);
    layout->addWidget(m_filter);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_inventoryNote);
    layout->addLayout(form);
    layout->addWidget(m_hint);
    layout->addWidget(buttons);
    resize(720, 560);

    connect(m_filter, &QLineEdit::textChanged, this, &AdminVmOperationDialog::applyFilter);
    connect(m_list->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &AdminVmOperationDialog::updateState);
    connect(m_operation, &QComboBox::currentIndexChanged, this, &AdminVmOperationDialog::updateState);
    connect(m_reason, &QLineEdit::textChanged, this, &AdminVmOperationDialog::updateState);
    connect(m_typed, &QLineEdit::textChanged, this, &AdminVmOperationDialog::updateState);
    // The list follows the inventory while the dialog is open; the chosen VM stays chosen if it is still there.
    connect(client, &ServiceClient::inventoryChanged, this,
            [this](const InventorySnapshot& inventory) { setVms(inventory.vms); });
    if (client->inventory())
        setVms(client->inventory()->vms);
    else
        setVms({});
    m_inventoryNote->setText(client->inventory() ? QString()
                                                 : tr("No inventory yet: connect to vCenter, or refresh it (F5)."));
    connect(client, &ServiceClient::inventoryChanged, m_inventoryNote, [this] { m_inventoryNote->clear(); });
    updateState();
}

void AdminVmOperationDialog::setVms(const QList<VmInfo>& vms)
{
    const VmInfo* chosen = chosenVm();
    const QString keep = chosen ? chosen->ref : QString();
    m_vms.clear();
    m_model->removeRows(0, m_model->rowCount());
    for (const VmInfo& vm : vms) {
        if (vm.isTemplate)
            continue;
        m_vms.append(vm);
        QList<QStandardItem*> row{new QStandardItem(vm.name), new QStandardItem(vm.path),
                                  new QStandardItem(powerLabel(vm.powerState))};
        for (QStandardItem* item : row) {
            item->setData(vm.ref, RefRole);
            item->setToolTip(QStringLiteral("%1 (%2)").arg(vm.path.isEmpty() ? vm.name : vm.path, vm.ref));
        }
        m_model->appendRow(row);
    }
    if (!keep.isEmpty())
        selectVm(keep);
    updateState();
}

void AdminVmOperationDialog::applyFilter(const QString& text)
{
    const VmInfo* chosen = chosenVm();
    const QString keep = chosen ? chosen->ref : QString();
    m_proxy->setFilterFixedString(text);
    // When the chosen row is filtered out the view makes its neighbour current and selected: another VM
    // the admin never picked. Only the VM picked stays chosen, and only while it is shown.
    m_list->selectionModel()->clear();
    if (!keep.isEmpty())
        selectVm(keep);
    updateState();
}

bool AdminVmOperationDialog::selectVm(const QString& vmRef)
{
    for (int row = 0; row < m_proxy->rowCount(); ++row) {
        const QModelIndex index = m_proxy->index(row, NameColumn);
        if (index.data(RefRole).toString() == vmRef) {
            m_list->selectionModel()->setCurrentIndex(index,
                                                      QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
            m_list->scrollTo(index);
            return true;
        }
    }
    return false;
}

const VmInfo* AdminVmOperationDialog::chosenVm() const
{
    // The selected row, and only while the filter shows it: what is acted on is always in sight.
    const QModelIndexList rows = m_list->selectionModel()->selectedRows(NameColumn);
    if (rows.isEmpty())
        return nullptr;
    const QString ref = rows.first().data(RefRole).toString();
    for (const VmInfo& vm : m_vms)
        if (vm.ref == ref)
            return &vm;
    return nullptr;
}

RequestKind AdminVmOperationDialog::kind() const
{
    return m_operation->currentData().value<RequestKind>();
}

OperationTarget AdminVmOperationDialog::target() const
{
    OperationTarget target;
    const VmInfo* vm = chosenVm();
    if (!vm)
        return target;
    target.vmRef = vm->ref;
    target.vmName = vm->name;
    target.adminReason = m_reason->text().trimmed();
    target.guestTimeoutSeconds = m_timeout->value();
    return target;
}

bool AdminVmOperationDialog::isSubmittable() const
{
    const VmInfo* vm = chosenVm();
    if (!vm || m_reason->text().trimmed().isEmpty())
        return false;
    return kind() != RequestKind::Decommission || DecommissionDialog::nameMatches(m_typed->text(), vm->name);
}

void AdminVmOperationDialog::updateState()
{
    const RequestKind k = kind();
    const VmInfo* vm = chosenVm();
    m_timeout->setEnabled(shutsGuestDown(k));
    const bool decommission = k == RequestKind::Decommission;
    m_typed->setVisible(decommission);
    m_typedLabel->setVisible(decommission);
    m_typed->setPlaceholderText(vm ? vm->name : QString());
    m_submit->setEnabled(isSubmittable());
    m_submit->setText(m_operation->currentText());
    // The first thing still missing, in the order of the form.
    QString hint;
    if (!vm)
        hint = m_vms.isEmpty() ? QString() : tr("Choose a VM.");
    else if (m_reason->text().trimmed().isEmpty())
        hint = tr("A reason is required.");
    else if (decommission && !DecommissionDialog::nameMatches(m_typed->text(), vm->name))
        hint =
            m_typed->text().isEmpty()
                ? tr("Decommission deletes “%1” (%2) with its disks: type its name to confirm.").arg(vm->name, vm->ref)
                : tr("That is not the VM's name.");
    m_hint->setText(hint);
}

} // namespace dcm
