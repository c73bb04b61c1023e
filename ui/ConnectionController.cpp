#include "ui/ConnectionController.h"

#include "ui/ConnectDialog.h"
#include "ui/PasswordDialog.h"
#include "ui/ServiceClient.h"
#include "ui/ThumbprintMismatchDialog.h"
#include "ui/TrustDialog.h"
#include "ui/UiSettings.h"

#include <QWidget>

namespace dcm {

ConnectionController::ConnectionController(ServiceClient* client, UiSettings* settings, QWidget* window)
    : QObject(window), m_client(client), m_settings(settings), m_window(window)
{
    connect(client, &ServiceClient::passwordRequired, this, &ConnectionController::onPasswordRequired);
    connect(client, &ServiceClient::connectionChanged, this, &ConnectionController::onConnectionChanged);
    connect(client, &ServiceClient::credentialNotice, this,
            [this](const Error& e) { Q_EMIT notice(StateStyle::Notice::Warning, tr("Keychain: %1").arg(e.message)); });
    if (const auto last = settings->profile(settings->lastProfileName()))
        m_profile = *last;
}

void ConnectionController::setProfile(const ConnectionProfile& profile, bool persist)
{
    m_profile = profile;
    m_persist = persist;
    m_stoppedOn.reset();
    if (persist) {
        m_settings->saveProfile(profile);
        m_settings->setLastProfileName(profile.displayName());
    }
    Q_EMIT profileChanged(profile);
}

void ConnectionController::connectProfile(const ConnectionProfile& profile, bool persist)
{
    if (profile.displayName() != m_profile.displayName() || profile.server != m_profile.server)
        m_sessionPassword.clear();
    setProfile(profile, persist);
    if (!m_sessionPassword.isEmpty()) {
        reconnect();
        return;
    }
    m_client->connectWithStoredPassword(profile.toSettings());
}

void ConnectionController::connectWithPassword(const ConnectionProfile& profile, const QString& password)
{
    setProfile(profile, false);
    m_sessionPassword = password;
    reconnect();
}

void ConnectionController::reconnect()
{
    m_stoppedOn.reset();
    ConnectionSettings settings = m_profile.toSettings();
    if (m_sessionPassword.isEmpty()) {
        m_client->connectWithStoredPassword(settings);
        return;
    }
    settings.password = m_sessionPassword;
    m_client->connectTo(settings);
}

void ConnectionController::present(QDialog* dialog)
{
    if (m_dialog)
        m_dialog->close();
    m_dialog = dialog;
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    dialog->open();
    Q_EMIT dialogShown(dialog);
}

void ConnectionController::showConnectDialog()
{
    auto* dialog = new ConnectDialog(m_settings->profiles(), m_profile, m_window);
    connect(dialog, &ConnectDialog::deleteRequested, this,
            [this](const QString& name) { m_settings->removeProfile(name); });
    connect(dialog, &ConnectDialog::forgetPasswordRequested, this, [this](const ConnectionProfile& p) {
        m_client->forgetPassword(p.toSettings());
        if (p.displayName() == m_profile.displayName())
            m_sessionPassword.clear();
        Q_EMIT notice(StateStyle::Notice::Info,
                      tr("The saved password of %1 was removed from the keychain.").arg(p.displayName()));
    });
    connect(dialog, &QDialog::accepted, this, [this, dialog] { connectProfile(dialog->profile(), true); });
    present(dialog);
}

void ConnectionController::onPasswordRequired(const QString& server, const QString& user,
                                              const std::optional<Error>& reason)
{
    Q_UNUSED(server);
    Q_UNUSED(user);
    QString why;
    if (reason && !reason->is(ErrorCode::NoPassword))
        why = reason->message;
    askPassword(why);
}

void ConnectionController::askPassword(const QString& reason)
{
    if (qobject_cast<PasswordDialog*>(m_dialog.data()))
        return; // already asking
    auto* dialog = new PasswordDialog(m_profile.host(), m_profile.user, reason, m_window);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        m_sessionPassword = dialog->password();
        ConnectionSettings settings = m_profile.toSettings();
        settings.password = m_sessionPassword;
        m_stoppedOn.reset();
        m_client->connectWithPassword(settings, dialog->remember());
    });
    present(dialog);
}

void ConnectionController::onConnectionChanged(const ConnectionStatus& status)
{
    if (status.state != ConnectionStatus::State::NeedsOperator || !status.error)
        return;
    const Error& e = *status.error;
    switch (e.kind) {
    case ErrorKind::Trust: {
        // The typed code decides which stop this is; the thumbprints in `details` are only shown.
        const bool mismatch = e.is(ErrorCode::ThumbprintMismatch);
        const TrustStop stop{mismatch, e.details.value(QStringLiteral("actualThumbprint")).toString()};
        if (m_stoppedOn == stop)
            return; // shown already for this attempt (later calls report the same stop)
        m_stoppedOn = stop;
        if (mismatch)
            showMismatch(e);
        else
            showTrust(e);
        return;
    }
    case ErrorKind::Authentication:
        askPassword(tr("vCenter refused the user name or password: %1").arg(e.message));
        m_sessionPassword.clear();
        return;
    case ErrorKind::Permission:
        Q_EMIT notice(StateStyle::Notice::Error, tr("%1 may not use this vCenter: %2").arg(m_profile.user, e.message));
        return;
    default:
        return;
    }
}

void ConnectionController::showTrust(const Error& error)
{
    auto* dialog = new TrustDialog(m_profile.host(), error, m_window);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        ConnectionProfile pinned = m_profile;
        pinned.thumbprint = dialog->thumbprint();
        const QString password = m_sessionPassword;
        setProfile(pinned, m_persist);
        m_sessionPassword = password;
        Q_EMIT notice(StateStyle::Notice::Info, tr("Pinned the certificate of %1; connecting.").arg(pinned.host()));
        reconnect();
    });
    connect(dialog, &QDialog::rejected, this, [this] {
        Q_EMIT notice(StateStyle::Notice::Warning,
                      tr("Not connected: the certificate of %1 was not trusted.").arg(m_profile.host()));
    });
    present(dialog);
}

void ConnectionController::showMismatch(const Error& error)
{
    auto* dialog = new ThumbprintMismatchDialog(m_profile.host(), error, m_window);
    Q_EMIT notice(
        StateStyle::Notice::Security,
        tr("Connection to %1 stopped: its certificate no longer matches the pinned thumbprint.").arg(m_profile.host()));
    present(dialog);
}

} // namespace dcm
