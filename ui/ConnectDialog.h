#pragma once

#include "ui/ConnectionProfile.h"
#include "ui/QueueChoice.h"

#include <QDialog>
#include <QList>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;

namespace dcm {

// Chooses or edits a connection profile (name, server, user, pinned thumbprint, and the queue: this
// workstation or a team database). The password is not asked here: the service reads it from the
// keychain, or asks for it.
class ConnectDialog final : public QDialog
{
    Q_OBJECT

public:
    ConnectDialog(const QList<ConnectionProfile>& profiles, const ConnectionProfile& current,
                  QWidget* parent = nullptr);

    ConnectionProfile profile() const;
    // How a team database's URI is checked, and whether --db/DCM_DB overrides the profile's queue.
    void setQueueChoice(const QueueChoice& choice);

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
    QRadioButton* m_queueLocal;
    QRadioButton* m_queueTeam;
    QLineEdit* m_queueUri;
    QLabel* m_queueNote;
    QueueChoice m_queueChoice;
    QLabel* m_problem;
    QPushButton* m_connect;
    QPushButton* m_delete;
};

} // namespace dcm
