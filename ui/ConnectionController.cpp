#include "ui/ConnectionController.h"

#include "ui/Banner.h"
#include "ui/ConnectDialog.h"
#include "ui/PasswordDialog.h"
#include "ui/ServiceClient.h"
#include "ui/ThumbprintMismatchDialog.h"
#include "ui/TrustDialog.h"
#include "ui/UiSettings.h"

#include <QWidget>

namespace dcm {

namespace {

// One password per account on a server in the keychain: profiles naming the same user on the same host
// and port share it.
bool sameAccount(const ConnectionProfile& a, const ConnectionProfile& b)
{
    const QUrl x = a.serverUrl();
    const QUrl y = b.serverUrl();
    return a.user.trimmed() == b.user.trimmed() && x.host().compare(y.host(), Qt::CaseInsensitive) == 0 &&
           x.port(443) == y.port(443);
}

} // namespace

ConnectionController::ConnectionController(ServiceClient* client, UiSettings* settings, QWidget* window,
                                           BannerArea* banners)
    : QObject(window), m_client(client), m_settings(settings), m_window(window), m_banners(banners)
{
    Q_ASSERT(banners);
    connect(client, &ServiceClient::passwordRequired, this, &ConnectionController::onPasswordRequired);
    connect(client, &ServiceClient::connectionChanged, this, &ConnectionController::onConnectionChanged);
    connect(client, &ServiceClient::credentialNotice, this, [this](const Error& e) {
        m_banners->showMessage(keychainSubject, StateStyle::Notice::Warning, tr("Keychain: %1").arg(e.message));
    });
    connect(client, &ServiceClient::queuePasswordRequired, this, &ConnectionController::askQueuePassword);
    connect(client, &ServiceClient::queueSwitchFailed, this, [this](const QString&, const Error& e) {
        const QString staying = m_client->queueName().isEmpty()
                                    ? tr("No queue is open: nothing can be submitted until one is.")
                                    : tr("The console stays on %1.")
                                          .arg(QueueChoice::describe(m_client->isTeamQueue(), m_client->queueName()));
        m_banners->showMessage(queueSubject, StateStyle::Notice::Error,
                               tr("Could not switch queues: %1. %2").arg(e.message, staying));
    });
    connect(client, &ServiceClient::queueChanged, this, [this] { m_banners->clear(queueSubject); });
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
    applyQueue(profile);
    if (!m_sessionPassword.isEmpty()) {
        reconnect();
        return;
    }
    m_client->connectWithStoredPassword(profile.toSettings());
}

void ConnectionController::connectWithPassword(const ConnectionProfile& profile, const QString& password)
{
    setProfile(profile, false);
    applyQueue(profile);
    m_sessionPassword = password;
    reconnect();
}

void ConnectionController::applyQueue(const ConnectionProfile& profile)
{
    // --db/DCM_DB wins for the whole life of the console.
    if (!m_queueChoice.overriddenBy.isEmpty())
        return;
    m_client->useQueue(profile.queue.trimmed());
}

void ConnectionController::askQueuePassword(const QString& location, const QString& name,
                                            const std::optional<Error>& reason)
{
    auto* dialog = new PasswordDialog(name, QString(), reason ? reason->message : QString(), m_window);
    dialog->setObjectName(QStringLiteral("queuePasswordDialog"));
    dialog->setIntro(tr("The team database %1 asks for a password; none was found in the keychain, PGPASSWORD or "
                        "PGPASSFILE.")
                         .arg(name));
    connect(dialog, &QDialog::accepted, this,
            [this, dialog, location] { m_client->useQueue(location, dialog->password(), dialog->remember()); });
    present(dialog);
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

void ConnectionController::say(StateStyle::Notice notice, const QString& text, bool stop, const QString& actionText,
                               std::function<void()> action)
{
    m_bannerIsStop = stop;
    m_banners->showMessage(connectionSubject, notice, text, actionText, std::move(action));
}

void ConnectionController::showConnectDialog()
{
    auto* dialog = new ConnectDialog(m_settings->profiles(), m_profile, m_window);
    dialog->setQueueChoice(m_queueChoice);
    connect(dialog, &ConnectDialog::deleteRequested, this, &ConnectionController::deleteProfile);
    connect(dialog, &ConnectDialog::forgetPasswordRequested, this, [this](const ConnectionProfile& p) {
        m_client->forgetPassword(p.toSettings());
        if (p.displayName() == m_profile.displayName())
            m_sessionPassword.clear();
        m_banners->showMessage(keychainSubject, StateStyle::Notice::Info,
                               tr("The saved password of %1 was removed from the keychain.").arg(p.displayName()));
    });
    connect(dialog, &QDialog::accepted, this, [this, dialog] { connectProfile(dialog->profile(), true); });
    present(dialog);
}

void ConnectionController::deleteProfile(const QString& name)
{
    const std::optional<ConnectionProfile> gone = m_settings->profile(name);
    m_settings->removeProfile(name);
    if (m_settings->lastProfileName() == name)
        m_settings->setLastProfileName({});
    if (!gone)
        return;
    const QList<ConnectionProfile> left = m_settings->profiles();
    const auto sharing =
        std::find_if(left.cbegin(), left.cend(), [&](const ConnectionProfile& p) { return sameAccount(p, *gone); });
    if (sharing != left.cend()) {
        m_banners->showMessage(keychainSubject, StateStyle::Notice::Info,
                               tr("Deleted the profile %1. Its saved password stays in the keychain: the profile %2 "
                                  "uses the same account.")
                                   .arg(gone->displayName(), sharing->displayName()));
        return;
    }
    m_client->forgetPassword(gone->toSettings());
    if (sameAccount(*gone, m_profile))
        m_sessionPassword.clear();
    m_banners->showMessage(
        keychainSubject, StateStyle::Notice::Info,
        tr("Deleted the profile %1 and removed its saved password from the keychain.").arg(gone->displayName()));
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
    switch (status.state) {
    case ConnectionStatus::State::Connected:
        // Whatever the connection waited on is over.
        m_stoppedOn.reset();
        m_trustProblem.reset();
        m_bannerIsStop = false;
        m_banners->clear(connectionSubject);
        return;
    case ConnectionStatus::State::Connecting:
        // A new attempt: the reason of the last stop no longer holds (news such as "pinned; connecting"
        // stay until the attempt ends).
        if (m_bannerIsStop) {
            m_bannerIsStop = false;
            m_banners->clear(connectionSubject);
        }
        return;
    case ConnectionStatus::State::Disconnected:
        return;
    case ConnectionStatus::State::NeedsOperator:
        break;
    }
    if (!status.error)
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
        m_trustProblem = e;
        const auto review = [this] { reviewCertificate(); };
        if (mismatch) {
            say(StateStyle::Notice::Security,
                tr("Connection to %1 stopped: its certificate changed and no longer matches the pinned thumbprint. "
                   "Nothing is sent to vCenter until you review the new certificate; requests stay queued.")
                    .arg(m_profile.host()),
                true, tr("Review certificate…"), review);
            showMismatch(e);
        } else {
            say(StateStyle::Notice::Trust,
                tr("%1 presents a certificate this computer does not trust: nothing is sent to vCenter until you "
                   "review it.")
                    .arg(m_profile.host()),
                true, tr("Review certificate…"), review);
            showTrust(e);
        }
        return;
    }
    case ErrorKind::Authentication: {
        const QString reason = tr("vCenter refused the user name or password: %1").arg(e.message);
        say(StateStyle::Notice::Error,
            tr("Waiting for the operator: vCenter refused the credentials of %1. Nothing is sent to vCenter until the "
               "password is entered again; requests stay queued.")
                .arg(status.user.isEmpty() ? m_profile.user : status.user),
            true, tr("Enter password…"), [this, reason] { askPassword(reason); });
        askPassword(reason);
        m_sessionPassword.clear();
        return;
    }
    case ErrorKind::Permission:
        say(StateStyle::Notice::Error, tr("%1 may not use this vCenter: %2").arg(m_profile.user, e.message), true);
        return;
    default:
        say(StateStyle::Notice::Error, tr("Waiting for the operator: %1").arg(e.message), true);
        return;
    }
}

bool ConnectionController::reviewCertificate()
{
    if (!m_trustProblem)
        return false;
    showTrust(*m_trustProblem);
    return true;
}

void ConnectionController::showTrust(const Error& error)
{
    auto* dialog = new TrustDialog(m_profile.host(), error, m_window, m_profile.thumbprint);
    const bool replacing = dialog->isReplacingPin();
    connect(dialog, &QDialog::accepted, this, [this, dialog, replacing] {
        ConnectionProfile pinned = m_profile;
        pinned.thumbprint = dialog->thumbprint();
        const QString password = m_sessionPassword;
        setProfile(pinned, m_persist);
        m_sessionPassword = password;
        m_trustProblem.reset();
        say(StateStyle::Notice::Info,
            replacing ? tr("Replaced the pinned certificate of %1 with the new one; connecting.").arg(pinned.host())
                      : tr("Pinned the certificate of %1; connecting.").arg(pinned.host()),
            false);
        reconnect();
    });
    connect(dialog, &QDialog::rejected, this, [this, replacing] {
        const auto review = [this] { reviewCertificate(); };
        if (replacing)
            say(StateStyle::Notice::Security,
                tr("Connection to %1 stays stopped: the new certificate was not accepted and the old pin stays.")
                    .arg(m_profile.host()),
                true, tr("Review certificate…"), review);
        else
            say(StateStyle::Notice::Warning,
                tr("Not connected: the certificate of %1 was not trusted.").arg(m_profile.host()), true,
                tr("Review certificate…"), review);
    });
    present(dialog);
}

void ConnectionController::showMismatch(const Error& error)
{
    auto* dialog = new ThumbprintMismatchDialog(m_profile.host(), error, m_window);
    connect(dialog, &ThumbprintMismatchDialog::reviewRequested, this, [this] { reviewCertificate(); });
    present(dialog);
}

} // namespace dcm
