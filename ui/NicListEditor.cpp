#include "ui/NicListEditor.h"

#include "ui/FieldNote.h"
#include "ui/InventoryListModel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

namespace dcm {

NicListEditor::NicListEditor(QWidget* parent)
    : QWidget(parent), m_rowsLayout(new QVBoxLayout), m_add(new QPushButton(tr("Add net&work adapter"), this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    m_rowsLayout->setSpacing(4);
    layout->addLayout(m_rowsLayout);
    m_general = new FieldNote(FieldNote::Kind::Problem, this, this);
    layout->addWidget(m_general);
    auto* addRow = new QHBoxLayout;
    m_add->setObjectName(QStringLiteral("addNic"));
    m_add->setIcon(style()->standardIcon(QStyle::SP_FileDialogNewFolder));
    m_add->setAccessibleName(tr("Add network adapter"));
    addRow->addWidget(m_add);
    addRow->addStretch(1);
    layout->addLayout(addRow);
    connect(m_add, &QPushButton::clicked, this, [this] {
        if (m_rows.size() >= VmSpec::maxNics)
            return;
        addNic(NicSpec{});
        m_rows.back().network->setFocus();
    });
    addNic(NicSpec{});
}

void NicListEditor::addNic(const NicSpec& nic)
{
    if (m_rows.size() >= VmSpec::maxNics)
        return;
    Row row;
    row.container = new QWidget(this);
    auto* v = new QVBoxLayout(row.container);
    v->setContentsMargins(0, 0, 0, 0);
    v->setSpacing(2);
    auto* h = new QHBoxLayout;
    h->setSpacing(6);
    row.label = new QLabel(row.container);
    row.network = new QComboBox(row.container);
    row.model = new InventoryListModel(row.network);
    row.network->setModel(row.model);
    // Thousands of portgroups: no width scan over all of them, uniform rows in the popup.
    row.network->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    row.network->setMinimumContentsLength(20);
    row.network->setMaxVisibleItems(20);
    row.network->setInsertPolicy(QComboBox::NoInsert);
    auto* view = new QListView(row.network);
    view->setUniformItemSizes(true);
    row.network->setView(view);
    row.network->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    row.label->setBuddy(row.network);
    row.adapter = new QComboBox(row.container);
    row.adapter->setObjectName(QStringLiteral("nicAdapter"));
    row.adapter->addItem(tr("VMXNET 3"), NicSpec::vmxnet3);
    row.adapter->addItem(tr("E1000E"), NicSpec::e1000e);
    row.adapter->setToolTip(tr("VMXNET 3: paravirtual, fastest, needs VMware Tools in the guest. E1000E: an "
                               "emulated Intel adapter every guest has a driver for."));
    const int adapterIndex = row.adapter->findData(nic.adapterType);
    // A type this console does not offer stays visible, so that the domain can name it.
    if (adapterIndex < 0 && !nic.adapterType.isEmpty())
        row.adapter->addItem(nic.adapterType, nic.adapterType);
    row.adapter->setCurrentIndex(adapterIndex >= 0 ? adapterIndex : row.adapter->count() - 1);
    row.remove = new QToolButton(row.container);
    row.remove->setObjectName(QStringLiteral("removeNic"));
    row.remove->setIcon(style()->standardIcon(QStyle::SP_DialogDiscardButton));
    row.remove->setAutoRaise(true);
    h->addWidget(row.label);
    h->addWidget(row.network, 1);
    h->addWidget(row.adapter);
    h->addWidget(row.remove);
    v->addLayout(h);
    row.note = new FieldNote(FieldNote::Kind::Problem, row.network, row.container);
    v->addWidget(row.note);
    m_rowsLayout->addWidget(row.container);
    // Shown now, not when the layout gets to it: a row just added takes the focus at once.
    row.container->show();
    row.preferred = nic.network;

    m_rows.append(row);
    Row& added = m_rows.back();
    added.network->setEditable(m_editable);
    if (m_editable) {
        added.network->lineEdit()->setPlaceholderText(tr("Type a name or inventory path"));
        added.network->setEditText(nic.network);
    }
    fill(added);

    QWidget* container = added.container;
    const auto rowOf = [this, container] {
        for (int i = 0; i < m_rows.size(); ++i)
            if (m_rows.at(i).container == container)
                return i;
        return -1;
    };
    connect(added.network, &QComboBox::currentIndexChanged, this, [this, rowOf] {
        if (m_filling)
            return;
        if (const int i = rowOf(); i >= 0 && !m_editable)
            m_rows[i].preferred = networkOf(m_rows.at(i));
        Q_EMIT changed();
    });
    connect(added.network, &QComboBox::editTextChanged, this, [this, rowOf] {
        if (m_filling || !m_editable)
            return;
        if (const int i = rowOf(); i >= 0)
            m_rows[i].preferred = networkOf(m_rows.at(i));
        Q_EMIT changed();
    });
    connect(added.adapter, &QComboBox::currentIndexChanged, this, &NicListEditor::changed);
    connect(added.remove, &QToolButton::clicked, this, [this, rowOf] { removeNic(rowOf()); });
    relabel();
    Q_EMIT changed();
}

void NicListEditor::removeNic(int index)
{
    // At least one adapter: the domain asks for one, and an empty list would leave nothing to pick.
    if (index < 0 || index >= m_rows.size() || m_rows.size() <= 1)
        return;
    const Row row = m_rows.takeAt(index);
    row.container->hide();
    row.container->deleteLater();
    relabel();
    m_rows.at(std::min<int>(index, int(m_rows.size()) - 1)).network->setFocus();
    Q_EMIT changed();
}

void NicListEditor::relabel()
{
    for (int i = 0; i < m_rows.size(); ++i) {
        const Row& r = m_rows.at(i);
        // The first adapter's picker keeps the name the single network picker had.
        r.network->setObjectName(i == 0 ? QStringLiteral("network") : QStringLiteral("network%1").arg(i + 1));
        r.label->setText(tr("NIC &%1").arg(i + 1));
        r.network->setAccessibleName(tr("Network of NIC %1").arg(i + 1));
        r.network->setToolTip(
            tr("The network of adapter %1; only networks the chosen hosts reach are listed").arg(i + 1));
        r.adapter->setAccessibleName(tr("Adapter type of NIC %1").arg(i + 1));
        r.remove->setAccessibleName(tr("Remove NIC %1").arg(i + 1));
        r.remove->setToolTip(tr("Remove network adapter %1").arg(i + 1));
        r.remove->setEnabled(m_rows.size() > 1);
    }
    const bool more = m_rows.size() < VmSpec::maxNics;
    m_add->setEnabled(more);
    restoreTabOrder();
    m_add->setToolTip(more ? tr("Add another network adapter (at most %1)").arg(VmSpec::maxNics)
                           : tr("A VM gets at most %1 network adapters here").arg(VmSpec::maxNics));
}

QString NicListEditor::networkOf(const Row& row) const
{
    const InventoryListModel::Entry* entry = row.model->entryAt(row.network->currentIndex());
    if (row.network->isEditable()) {
        const QString text = row.network->currentText();
        return entry && entry->text == text ? entry->value : text;
    }
    return entry ? entry->value : QString();
}

void NicListEditor::fill(Row& row)
{
    m_filling = true;
    const QString keep = row.preferred;
    row.model->setEntries(m_choices);
    int current = -1;
    for (int i = 0; i < m_choices.size() && current < 0; ++i)
        if (m_choices.at(i).enabled && m_choices.at(i).value == keep)
            current = i;
    if (current < 0 && !m_editable)
        current = row.model->firstEnabledRow();
    row.network->setCurrentIndex(current);
    if (m_editable && current < 0)
        row.network->setEditText(keep);
    if (!m_editable)
        row.preferred = networkOf(row);
    m_filling = false;
}

void NicListEditor::setChoices(const QList<PlacementChoice>& choices)
{
    m_choices = choices;
    for (Row& row : m_rows)
        fill(row);
    Q_EMIT changed();
}

void NicListEditor::setEditable(bool editable)
{
    if (editable == m_editable)
        return;
    m_editable = editable;
    for (Row& row : m_rows) {
        m_filling = true;
        row.network->setEditable(editable);
        if (editable) {
            row.network->lineEdit()->setPlaceholderText(tr("Type a name or inventory path"));
            if (row.network->currentText().isEmpty())
                row.network->setEditText(row.preferred);
        }
        m_filling = false;
    }
    restoreTabOrder();
}

QList<NicSpec> NicListEditor::nics() const
{
    QList<NicSpec> result;
    for (const Row& r : m_rows)
        result.append(NicSpec{networkOf(r), r.adapter->currentData().toString()});
    return result;
}

void NicListEditor::setNics(const QList<NicSpec>& nics)
{
    const QSignalBlocker block(this);
    while (m_rows.size() > 1)
        removeNic(int(m_rows.size()) - 1);
    const QList<NicSpec> wanted = nics.isEmpty() ? QList<NicSpec>{NicSpec{}} : nics;
    // The first row stays (it carries the keyboard order into the list); the others are made anew.
    Row& first = m_rows.front();
    first.preferred = wanted.front().network;
    const int adapter = first.adapter->findData(wanted.front().adapterType);
    if (adapter >= 0) {
        first.adapter->setCurrentIndex(adapter);
    } else {
        first.adapter->addItem(wanted.front().adapterType, wanted.front().adapterType);
        first.adapter->setCurrentIndex(first.adapter->count() - 1);
    }
    fill(first);
    if (m_editable) {
        m_filling = true;
        first.network->setEditText(first.preferred);
        m_filling = false;
    }
    for (qsizetype i = 1; i < wanted.size(); ++i)
        addNic(wanted.at(i));
    blockSignals(false);
    Q_EMIT changed();
}

void NicListEditor::setProblems(const QStringList& general, const QHash<int, QStringList>& perNic)
{
    m_general->setMessages(general);
    for (int i = 0; i < m_rows.size(); ++i)
        m_rows.at(i).note->setMessages(perNic.value(i));
}

QString NicListEditor::problemText(int index) const
{
    return index < 0 || index >= m_rows.size() || m_rows.at(index).note->isHidden() ? QString()
                                                                                    : m_rows.at(index).note->text();
}

QComboBox* NicListEditor::networkPicker(int index) const
{
    return index < 0 || index >= m_rows.size() ? nullptr : m_rows.at(index).network;
}

QComboBox* NicListEditor::adapterPicker(int index) const
{
    return index < 0 || index >= m_rows.size() ? nullptr : m_rows.at(index).adapter;
}

QToolButton* NicListEditor::removeButton(int index) const
{
    return index < 0 || index >= m_rows.size() ? nullptr : m_rows.at(index).remove;
}

void NicListEditor::setFocusNeighbours(QWidget* before, QWidget* after)
{
    m_before = before;
    m_after = after;
    restoreTabOrder();
}

// The order is set again as a whole: a picker that turns editable or not changes its focus proxy, and
// rows come and go in the middle.
void NicListEditor::restoreTabOrder()
{
    QList<QWidget*> order = focusOrder();
    if (m_before)
        order.prepend(m_before);
    if (m_after)
        order.append(m_after);
    for (qsizetype i = 0; i + 1 < order.size(); ++i)
        setTabOrder(order.at(i), order.at(i + 1));
}

QList<QWidget*> NicListEditor::focusOrder() const
{
    QList<QWidget*> order;
    for (const Row& r : m_rows)
        order << r.network << r.adapter << r.remove;
    order << m_add;
    return order;
}

QWidget* NicListEditor::lastFocusWidget() const
{
    return m_add;
}

QWidget* NicListEditor::firstFocusWidget() const
{
    return m_rows.front().network;
}

} // namespace dcm
