#pragma once

#include "ui/ConnectionProfile.h"

#include <QDialog>
#include <QList>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace dcm {

// Chooses or edits a connection profile (name, server, user, pinned thumbprint). The password is not
// asked here: the service reads it from the keychain, or asks for it.
class ConnectDialog final : public QDialog
{
    Q_OBJECT

public:
    ConnectDialog(const QList<ConnectionProfile>& profiles, const ConnectionProfile& current,
                  QWidget* parent = nullptr);

    ConnectionProfile profile() const;

Q_SIGNALS:
    void deleteRequested(const QString& name);
    void forgetPasswordRequested(const dcm::ConnectionProfile& profile);

private:
    void load(const ConnectionProfile& profile);
    void validate();

    QList<ConnectionProfile> m_profiles;
    QComboBox* m_profile;
    QLineEdit* m_server;
    QLineEdit* m_user;
    QLineEdit* m_thumbprint;
    QLabel* m_problem;
    QPushButton* m_connect;
    QPushButton* m_delete;
};

} // namespace dcm
