#include "ui/DiskListEditor.h"

#include "ui/FieldNote.h"
#include "ui/NumberField.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

namespace dcm {

namespace {

constexpr double mibPerGib = 1024.0;

} // namespace

DiskListEditor::DiskListEditor(QWidget* parent)
    : QWidget(parent), m_rowsLayout(new QVBoxLayout), m_add(new QPushButton(tr("&Add disk"), this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    m_rowsLayout->setSpacing(4);
    layout->addLayout(m_rowsLayout);
    m_general = new FieldNote(FieldNote::Kind::Problem, this, this);
    layout->addWidget(m_general);
    auto* addRow = new QHBoxLayout;
    m_add->setObjectName(QStringLiteral("addDisk"));
    m_add->setIcon(style()->standardIcon(QStyle::SP_FileDialogNewFolder));
    m_add->setToolTip(tr("Add another virtual disk (at most %1)").arg(VmSpec::maxDisks));
    addRow->addWidget(m_add);
    addRow->addStretch(1);
    layout->addLayout(addRow);
    connect(m_add, &QPushButton::clicked, this, [this] {
        const std::optional<double> last = m_rows.isEmpty() ? std::nullopt : m_rows.back().size->value();
        addDisk(DiskSpec{m_rows.isEmpty()    ? 40 * 1024
                         : last && *last > 0 ? qRound64(*last * mibPerGib)
                                             : 10 * 1024,
                         true});
        m_rows.back().size->setFocus();
        m_rows.back().size->selectAll();
    });
}

void DiskListEditor::addDisk(const DiskSpec& disk)
{
    Row row;
    row.container = new QWidget(this);
    auto* v = new QVBoxLayout(row.container);
    v->setContentsMargins(0, 0, 0, 0);
    v->setSpacing(2);
    auto* h = new QHBoxLayout;
    h->setSpacing(6);
    row.label = new QLabel(row.container);
    row.size = new NumberField(row.container);
    row.size->setObjectName(QStringLiteral("diskSize"));
    row.size->setDecimals(1);
    // The arrows stay within the domain's limits; a size typed beyond them stays as typed and the
    // domain's message explains the limit.
    row.size->setRange(0, double(VmSpec::maxDiskMiB) / mibPerGib);
    row.size->setLimits(-1e9, 1e9);
    row.size->setSingleStep(1);
    row.size->setSuffix(tr(" GiB"));
    row.size->setValue(double(disk.sizeMiB) / mibPerGib);
    row.size->setAlignment(Qt::AlignRight);
    row.size->setMinimumWidth(row.size->fontMetrics().horizontalAdvance(QStringLiteral("000000.0 GiB")) + 30);
    row.size->setToolTip(tr("Size of the virtual disk in GiB (1 GiB = 1024 MiB)"));
    row.label->setBuddy(row.size);
    row.provisioning = new QComboBox(row.container);
    row.provisioning->setObjectName(QStringLiteral("diskProvisioning"));
    row.provisioning->addItem(tr("Thin provisioned"), true);
    row.provisioning->addItem(tr("Thick provisioned"), false);
    row.provisioning->setCurrentIndex(disk.thin ? 0 : 1);
    row.provisioning->setToolTip(tr("Thin: space is taken as the guest writes. Thick: all space is reserved "
                                    "when the disk is created."));
    row.remove = new QToolButton(row.container);
    row.remove->setObjectName(QStringLiteral("removeDisk"));
    row.remove->setIcon(style()->standardIcon(QStyle::SP_DialogDiscardButton));
    row.remove->setAutoRaise(true);
    h->addWidget(row.label);
    h->addWidget(row.size);
    h->addWidget(row.provisioning);
    h->addWidget(row.remove);
    h->addStretch(1);
    v->addLayout(h);
    row.note = new FieldNote(FieldNote::Kind::Problem, row.size, row.container);
    v->addWidget(row.note);
    m_rowsLayout->addWidget(row.container);

    // Keep the keyboard order visual: the new row goes right before "Add disk".
    QWidget* previous = m_rows.isEmpty() ? m_add->previousInFocusChain() : m_rows.back().remove;
    m_rows.append(row);
    if (previous && previous != row.size)
        setTabOrder(previous, row.size);
    setTabOrder(row.size, row.provisioning);
    setTabOrder(row.provisioning, row.remove);
    setTabOrder(row.remove, m_add);

    QWidget* container = row.container;
    connect(row.size, &NumberField::valueChanged, this, &DiskListEditor::changed);
    connect(row.provisioning, &QComboBox::currentIndexChanged, this, &DiskListEditor::changed);
    connect(row.remove, &QToolButton::clicked, this, [this, container] {
        for (int i = 0; i < m_rows.size(); ++i)
            if (m_rows.at(i).container == container)
                return removeDisk(i);
    });
    relabel();
    Q_EMIT changed();
}

void DiskListEditor::removeDisk(int index)
{
    if (index < 0 || index >= m_rows.size())
        return;
    const Row row = m_rows.takeAt(index);
    row.container->hide();
    row.container->deleteLater();
    relabel();
    if (!m_rows.isEmpty())
        m_rows.at(std::min<int>(index, int(m_rows.size()) - 1)).size->setFocus();
    else
        m_add->setFocus();
    Q_EMIT changed();
}

void DiskListEditor::relabel()
{
    for (int i = 0; i < m_rows.size(); ++i) {
        const Row& r = m_rows.at(i);
        r.label->setText(tr("Disk &%1").arg(i + 1));
        r.size->setAccessibleName(tr("Disk %1 size").arg(i + 1));
        r.provisioning->setAccessibleName(tr("Disk %1 provisioning").arg(i + 1));
        r.remove->setAccessibleName(tr("Remove disk %1").arg(i + 1));
        r.remove->setToolTip(tr("Remove disk %1").arg(i + 1));
    }
    m_add->setEnabled(m_rows.size() < VmSpec::maxDisks);
}

QList<DiskSpec> DiskListEditor::disks() const
{
    QList<DiskSpec> result;
    for (const Row& r : m_rows)
        result.append(
            DiskSpec{qRound64(r.size->value().value_or(0) * mibPerGib), r.provisioning->currentData().toBool()});
    return result;
}

QList<FieldProblem> DiskListEditor::sizeProblems() const
{
    QList<FieldProblem> problems;
    for (int i = 0; i < m_rows.size(); ++i)
        if (const QString p = m_rows.at(i).size->problem(); !p.isEmpty())
            problems.append(FieldProblem{QStringLiteral("disks[%1].sizeMiB").arg(i), p});
    return problems;
}

void DiskListEditor::setDisks(const QList<DiskSpec>& disks)
{
    const QSignalBlocker block(this);
    while (!m_rows.isEmpty())
        removeDisk(int(m_rows.size()) - 1);
    for (const DiskSpec& d : disks)
        addDisk(d);
    blockSignals(false);
    Q_EMIT changed();
}

qint64 DiskListEditor::totalMiB() const
{
    qint64 total = 0;
    for (const DiskSpec& d : disks())
        total += d.sizeMiB;
    return total;
}

void DiskListEditor::setProblems(const QStringList& general, const QHash<int, QStringList>& perDisk)
{
    m_general->setMessages(general);
    for (int i = 0; i < m_rows.size(); ++i)
        m_rows.at(i).note->setMessages(perDisk.value(i));
}

NumberField* DiskListEditor::sizeEditor(int index) const
{
    return index < 0 || index >= m_rows.size() ? nullptr : m_rows.at(index).size;
}

QWidget* DiskListEditor::firstFocusWidget() const
{
    return m_rows.isEmpty() ? static_cast<QWidget*>(m_add) : m_rows.front().size;
}

QWidget* DiskListEditor::lastFocusWidget() const
{
    return m_add;
}

} // namespace dcm
