#pragma once

#include "app/service/ServiceTypes.h"
#include "ui/ConnectionProfile.h"
#include "ui/QueueChoice.h"
#include "ui/StateStyle.h"

#include <QDialog>
#include <QObject>
#include <QPointer>

class QWidget;

namespace dcm {

class BannerArea;
class ServiceClient;
class UiSettings;

// The connection flow around the service: profiles from the settings, the password dialog when the
// service says passwordRequired (or vCenter refused the password), the trust dialog on first contact
// with an untrusted certificate, and the red stop when a pinned thumbprint no longer matches — met by
// any call, the login, an inventory read or a drain. Dialogs are opened asynchronously (no nested event
// loop). Its banner subject is `connectionSubject`: one message that follows the connection's state and
// goes when the connection is back; keychain news go to `keychainSubject`.
class ConnectionController final : public QObject
{
    Q_OBJECT

public:
    static inline const QString connectionSubject = QStringLiteral("connection");
    static inline const QString keychainSubject = QStringLiteral("keychain");
    static inline const QString queueSubject = QStringLiteral("queue");

    ConnectionController(ServiceClient* client, UiSettings* settings, QWidget* window, BannerArea* banners);

    const ConnectionProfile& profile() const { return m_profile; }
    QDialog* activeDialog() const { return m_dialog; }

    // Connects with the keychain's password (asks for one when there is none). `persist`: keep the
    // profile in the settings (not for profiles that come from the environment).
    void connectProfile(const ConnectionProfile& profile, bool persist = true);
    // Connects with a password given by the environment (automation, the demo); nothing is stored.
    void connectWithPassword(const ConnectionProfile& profile, const QString& password);
    void showConnectDialog();
    // Opens the trust dialog on the certificate the connection stopped on (the old and the new
    // thumbprint when it changed under a pin). False when the connection does not wait on a certificate.
    bool reviewCertificate();
    // Deletes a saved profile and asks the service to forget its password — unless another profile
    // still uses the same account on the same server (the keychain keeps one password for both).
    void deleteProfile(const QString& name);
    // How team database URIs are checked and whether --db/DCM_DB names the queue (then a profile's
    // queue is saved but not applied).
    void setQueueChoice(const QueueChoice& choice) { m_queueChoice = choice; }
    const QueueChoice& queueChoice() const { return m_queueChoice; }

Q_SIGNALS:
    void profileChanged(const dcm::ConnectionProfile& profile);
    void dialogShown(QDialog* dialog);

private:
    void onPasswordRequired(const QString& server, const QString& user, const std::optional<Error>& reason);
    void onConnectionChanged(const ConnectionStatus& status);
    void askPassword(const QString& reason);
    void applyQueue(const ConnectionProfile& profile);
    void askQueuePassword(const QString& location, const QString& name, const std::optional<Error>& reason);
    void showTrust(const Error& error);
    void showMismatch(const Error& error);
    void reconnect();
    void setProfile(const ConnectionProfile& profile, bool persist);
    void present(QDialog* dialog);
    // The connection's banner; `stop`: it tells why the connection waits (cleared by a new attempt).
    void say(StateStyle::Notice notice, const QString& text, bool stop, const QString& actionText = {},
             std::function<void()> action = {});

    ServiceClient* m_client;
    UiSettings* m_settings;
    QWidget* m_window;
    BannerArea* m_banners;
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
    std::optional<Error> m_trustProblem;  // the certificate the connection waits on, for "Review certificate…"
    bool m_bannerIsStop = false;
    QueueChoice m_queueChoice;
};

} // namespace dcm
