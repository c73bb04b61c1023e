#pragma once

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace dcm {

// Asks for the password of a server and user, when the keychain has none or vCenter refused it.
// "Remember in keychain" stores it through the service (never in the settings).
class PasswordDialog final : public QDialog
{
    Q_OBJECT

public:
    PasswordDialog(const QString& server, const QString& user, const QString& reason, QWidget* parent = nullptr);
    ~PasswordDialog() override;

    void accept() override;
    QString password() const;
    bool remember() const;
    void setPassword(const QString& password);
    void setRemember(bool remember);
    // Replaces the first line ("Enter the vCenter password of …"), e.g. for a team database's password.
    void setIntro(const QString& text);

private:
    QLabel* m_intro;
    QLineEdit* m_password;
    QCheckBox* m_remember;
    QPushButton* m_connect;
};

} // namespace dcm
