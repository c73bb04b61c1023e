#pragma once

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace dcm {

// Decommission destroys a VM for good, so the console asks for its name typed back: the button that
// confirms is enabled only while the text typed is exactly the VM's name (case and spaces count). The
// guest's shutdown timeout (before a hard power-off) is shown and can be changed here.
class DecommissionDialog final : public QDialog
{
    Q_OBJECT

public:
    DecommissionDialog(const QString& vmName, const QString& vmRef, QWidget* parent = nullptr);

    const QString& vmName() const { return m_vmName; }
    int guestTimeoutSeconds() const;
    QLineEdit* nameField() const { return m_typed; }
    QSpinBox* guestTimeoutField() const { return m_timeout; }
    QPushButton* confirmButton() const { return m_confirm; }
    // True while the typed name matches.
    bool isConfirmable() const;
    // The rule itself, for every place that confirms a decommission: exactly the name, nothing trimmed or
    // folded (two VMs may differ only in case), and never an empty name.
    static bool nameMatches(const QString& typed, const QString& vmName);

private:
    void updateConfirm();

    QString m_vmName;
    QLineEdit* m_typed;
    QSpinBox* m_timeout;
    QPushButton* m_confirm;
    QLabel* m_hint;
};

} // namespace dcm
