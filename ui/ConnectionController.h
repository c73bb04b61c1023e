#pragma once

#include "app/service/ServiceTypes.h"
#include "ui/ConnectionProfile.h"
#include "ui/StateStyle.h"

#include <QDialog>
#include <QObject>
#include <QPointer>

class QWidget;

namespace dcm {

class ServiceClient;
class UiSettings;

// The connection flow around the service: profiles from the settings, the password dialog when the
// service says passwordRequired (or vCenter refused the password), the trust dialog on first contact
// with an untrusted certificate, and the red stop when a pinned thumbprint no longer matches. Dialogs
// are opened asynchronously (no nested event loop).
class ConnectionController final : public QObject
{
    Q_OBJECT

public:
    ConnectionController(ServiceClient* client, UiSettings* settings, QWidget* window);

    const ConnectionProfile& profile() const { return m_profile; }
    QDialog* activeDialog() const { return m_dialog; }

    // Connects with the keychain's password (asks for one when there is none). `persist`: keep the
    // profile in the settings (not for profiles that come from the environment).
    void connectProfile(const ConnectionProfile& profile, bool persist = true);
    // Connects with a password given by the environment (automation, the demo); nothing is stored.
    void connectWithPassword(const ConnectionProfile& profile, const QString& password);
    void showConnectDialog();

Q_SIGNALS:
    void profileChanged(const dcm::ConnectionProfile& profile);
    void dialogShown(QDialog* dialog);
    void notice(dcm::StateStyle::Notice notice, const QString& text);

private:
    void onPasswordRequired(const QString& server, const QString& user, const std::optional<Error>& reason);
    void onConnectionChanged(const ConnectionStatus& status);
    void askPassword(const QString& reason);
    void showTrust(const Error& error);
    void showMismatch(const Error& error);
    void reconnect();
    void setProfile(const ConnectionProfile& profile, bool persist);
    void present(QDialog* dialog);

    ServiceClient* m_client;
    UiSettings* m_settings;
    QWidget* m_window;
    ConnectionProfile m_profile;
    bool m_persist = true;
    QString m_sessionPassword; // memory only: to reconnect after a trust decision without asking again
    QPointer<QDialog> m_dialog;
    struct TrustStop
    {
        bool mismatch = false;
        QString presentedThumbprint;
        friend bool operator==(const TrustStop&, const TrustStop&) = default;
    };
    std::optional<TrustStop> m_stoppedOn; // the trust problem already shown for this attempt: not shown twice
};

} // namespace dcm
