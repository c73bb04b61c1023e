#include "ui/DecommissionDialog.h"

#include "domain/RequestKind.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace dcm {

DecommissionDialog::DecommissionDialog(const QString& vmName, const QString& vmRef, QWidget* parent)
    : QDialog(parent), m_vmName(vmName)
{
    setObjectName(QStringLiteral("decommissionDialog"));
    setWindowTitle(tr("Decommission VM"));
    auto* what = new QLabel(tr("<b>Decommission “%1”%2?</b><br>The VM is powered off and then deleted from vCenter "
                               "with its disks. This cannot be undone.")
                                .arg(vmName.toHtmlEscaped(),
                                     vmRef.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(vmRef.toHtmlEscaped())),
                            this);
    what->setWordWrap(true);
    m_typed = new QLineEdit(this);
    m_typed->setObjectName(QStringLiteral("decommissionName"));
    m_typed->setPlaceholderText(vmName);
    m_typed->setAccessibleName(tr("The VM's name, typed to confirm"));
    m_timeout = new QSpinBox(this);
    m_timeout->setObjectName(QStringLiteral("decommissionGuestTimeout"));
    m_timeout->setRange(1, OperationTarget::maxGuestTimeoutSeconds);
    m_timeout->setValue(OperationTarget::defaultGuestTimeoutSeconds);
    m_timeout->setSuffix(tr(" s"));
    m_timeout->setToolTip(tr("When VMware Tools run, the guest is asked to shut down first; if it is still "
                             "running after this long, the VM is powered off hard"));
    m_hint = new QLabel(this);
    m_hint->setObjectName(QStringLiteral("decommissionHint"));
    auto* form = new QFormLayout;
    form->addRow(tr("Type the VM's name to confirm:"), m_typed);
    form->addRow(tr("Guest shutdown timeout:"), m_timeout);
    auto* buttons = new QDialogButtonBox(this);
    m_confirm = buttons->addButton(tr("Decommission"), QDialogButtonBox::AcceptRole);
    m_confirm->setObjectName(QStringLiteral("decommissionConfirm"));
    QPushButton* keep = buttons->addButton(tr("Keep the VM"), QDialogButtonBox::RejectRole);
    keep->setObjectName(QStringLiteral("decommissionKeep"));
    keep->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (isConfirmable())
            accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_typed, &QLineEdit::textChanged, this, &DecommissionDialog::updateConfirm);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(what);
    layout->addLayout(form);
    layout->addWidget(m_hint);
    layout->addWidget(buttons);
    updateConfirm();
}

int DecommissionDialog::guestTimeoutSeconds() const
{
    return m_timeout->value();
}

bool DecommissionDialog::nameMatches(const QString& typed, const QString& vmName)
{
    return !vmName.isEmpty() && typed == vmName;
}

bool DecommissionDialog::isConfirmable() const
{
    return nameMatches(m_typed->text(), m_vmName);
}

void DecommissionDialog::updateConfirm()
{
    m_confirm->setEnabled(isConfirmable());
    m_hint->setText(m_typed->text().isEmpty() || isConfirmable() ? QString() : tr("That is not the VM's name."));
}

} // namespace dcm
