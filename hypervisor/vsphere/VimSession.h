#pragma once

#include "ReturnValueReader.h"
#include "ServiceContent.h"
#include "SoapTransport.h"

#include "VsphereOptions.h"
#include "domain/Result.h"
#include "domain/ports/HypervisorPort.h"

#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

class QNetworkAccessManager;

namespace dcm::vsphere {

// One vCenter session: API version negotiation (/sdk/vimServiceVersions.xml), ServiceContent, Login,
// a keepalive that survives failed beats, and re-login after NotAuthenticated — single-flight, so that
// concurrent calls that all find the session gone cause one Login and share its result.
//
// One refused Login per credential: once vCenter refuses a Login (InvalidLogin, NoPermission, or
// NotAuthenticated on the Login itself), the session remembers the refusal and answers every later
// ensureLoggedIn()/relogin() with it at once, without sending anything — vCenter SSO locks an account
// after a few failed logins, and a service that retries on its own would lock the team's account. Only
// new settings (configure(): a new password) or an explicit allowLoginAgain() lift it.
class VimSession final : public QObject
{
    Q_OBJECT
public:
    using Done = std::function<void(Result<void>)>;

    VimSession(QNetworkAccessManager* nam, const VsphereOptions& options, QObject* parent = nullptr);
    ~VimSession() override;

    // Validates and adopts the settings; any session of earlier settings is abandoned.
    Result<void> configure(const ConnectionSettings& settings);
    // Forgets the settings (and the password) and the session.
    void forget();
    bool isConfigured() const { return m_configured; }
    bool isLoggedIn() const { return m_state == State::LoggedIn; }
    // The refusal that stops further logins, if vCenter refused the current credentials.
    const std::optional<Error>& loginRefusal() const { return m_refusal; }
    // An operator's explicit "try again" with the same credentials: the next call may log in once.
    void allowLoginAgain() { m_refusal.reset(); }

    SoapTransport& transport() { return *m_transport; }
    const ServiceContent& content() const { return m_content; }

    // Logs in unless logged in; `done` at once when already logged in.
    void ensureLoggedIn(Done done);
    // The session was found gone (NotAuthenticated) by a call sent in session `epoch`: one new Login,
    // shared by all who ask meanwhile; none if a newer session already exists.
    void relogin(quint64 epoch, Done done);
    // Increases with every successful Login.
    quint64 epoch() const { return m_epoch; }
    // Logout (best effort), then forget().
    void logout(Done done);

    int loginCount() const { return m_logins; }

    // The caller's gate for calls the adapter makes on its own (task polls); may be empty.
    void setCallGate(CallGate gate) { m_gate = std::move(gate); }
    const CallGate& callGate() const { return m_gate; }

    // The session's update channel (owned by the adapter), for task followers; may be null.
    void setUpdateChannel(class UpdateChannel* channel) { m_updates = channel; }
    class UpdateChannel* updateChannel() const { return m_updates; }

private:
    enum class State
    {
        LoggedOut,
        LoggingIn,
        LoggedIn,
    };

    void startSequence(bool refreshContent);
    void fetchVersions(quint64 generation);
    void fetchContent(quint64 generation);
    void sendLogin(quint64 generation);
    void finishSequence(Result<void> result);
    void beat();
    static Error notConnected();
    static bool isRefusal(const Error& e);
    Error refuse(const Error& cause);

    VsphereOptions m_options;
    SoapTransport* m_transport; // child
    ConnectionSettings m_settings;
    bool m_configured = false;
    State m_state = State::LoggedOut;
    quint64 m_generation = 0;
    ServiceContent m_content;
    std::vector<Done> m_waiters;
    SoapTransport::Id m_sequenceCall = 0;
    SoapTransport::Id m_beatCall = 0;
    ReturnValueReader m_sequenceReader;
    ReturnValueReader m_beatReader;
    ReturnValueReader m_logoutReader;
    QTimer m_keepalive;
    int m_logins = 0;
    quint64 m_epoch = 0;
    std::optional<Error> m_refusal;
    CallGate m_gate;
    class UpdateChannel* m_updates = nullptr;
};

} // namespace dcm::vsphere
