#include "VimSession.h"

#include "ApiVersion.h"
#include "VimRequests.h"

#include <QLoggingCategory>

namespace dcm::vsphere {

namespace {
Q_LOGGING_CATEGORY(lcSession, "dcm.hypervisor.session", QtInfoMsg)
}

VimSession::VimSession(QNetworkAccessManager* nam, const VsphereOptions& options, QObject* parent)
    : QObject(parent), m_options(options), m_transport(new SoapTransport(nam, this))
{
    m_keepalive.setInterval(m_options.keepaliveInterval);
    connect(&m_keepalive, &QTimer::timeout, this, &VimSession::beat);
}

VimSession::~VimSession() = default;

Error VimSession::notConnected()
{
    return Error::make(ErrorKind::Internal, QStringLiteral("not-connected"),
                       QStringLiteral("no vCenter connection is configured (connectTo first)"));
}

bool VimSession::isRefusal(const Error& e)
{
    // NotAuthenticated answering the Login itself means these credentials may not log in.
    return e.kind == ErrorKind::Authentication || e.kind == ErrorKind::Permission ||
           e.kind == ErrorKind::SessionExpired;
}

Error VimSession::refuse(const Error& cause)
{
    const QString said = cause.vimFault.isEmpty() || cause.message.contains(cause.vimFault)
                             ? cause.message
                             : QStringLiteral("%1: %2").arg(cause.vimFault, cause.message);
    // NoPermission stays a permission problem (an administrator must grant it); the rest is credentials.
    const ErrorKind kind = cause.kind == ErrorKind::Permission ? ErrorKind::Permission : ErrorKind::Authentication;
    Error e = Error::make(kind, ErrorCode::LoginRefused,
                          QStringLiteral("vCenter refused the credentials of %1 at %2 (%3); no further login is "
                                         "tried until the password is changed or an operator asks to try again")
                              .arg(m_settings.user, m_settings.server.host(), said),
                          cause.vimFault);
    e.details.insert(QStringLiteral("user"), m_settings.user);
    e.details.insert(QStringLiteral("host"), m_settings.server.host());
    qCWarning(lcSession).noquote() << e.message;
    m_refusal = e;
    return e;
}

Result<void> VimSession::configure(const ConnectionSettings& settings)
{
    QUrl url = settings.server;
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || url.host().isEmpty() || (scheme != QLatin1String("https") && scheme != QLatin1String("http")))
        return Error::make(ErrorKind::InvalidInput, QStringLiteral("invalid-server"),
                           QStringLiteral("server must be an https URL such as https://vcenter.example.com/sdk"));
    if (url.path().isEmpty() || url.path() == QLatin1String("/"))
        url.setPath(QStringLiteral("/sdk"));
    QString pin;
    if (!settings.thumbprint.trimmed().isEmpty()) {
        pin = CertificateTrust::normalize(settings.thumbprint);
        if (pin.isEmpty())
            return Error::make(ErrorKind::InvalidInput, QStringLiteral("invalid-thumbprint"),
                               QStringLiteral("thumbprint must be a SHA-256 fingerprint: 32 hex bytes, e.g. AB:CD:…"));
    }
    if (settings.user.isEmpty())
        return Error::make(ErrorKind::InvalidInput, QStringLiteral("invalid-user"), QStringLiteral("user is empty"));
    if (scheme == QLatin1String("http"))
        qCInfo(lcSession) << "connecting over plain http: no transport security";

    forget();
    m_settings = settings;
    m_settings.server = url;
    m_configured = true;
    m_transport->setEndpoint(url);
    m_transport->setTrust(CertificateTrust(pin));
    m_transport->setLimits(m_options.maxReplyBytes, settings.callTimeout);
    return {};
}

void VimSession::forget()
{
    ++m_generation;
    m_keepalive.stop();
    if (m_sequenceCall)
        m_transport->cancel(m_sequenceCall);
    if (m_beatCall)
        m_transport->cancel(m_beatCall);
    m_sequenceCall = m_beatCall = 0;
    m_transport->clearSessionCookie();
    m_transport->setApiVersion({});
    m_content = ServiceContent();
    m_settings.password.clear();
    m_settings = ConnectionSettings();
    m_configured = false;
    m_state = State::LoggedOut;
    m_refusal.reset();
    std::vector<Done> waiters = std::exchange(m_waiters, {});
    for (Done& w : waiters)
        w(Error::make(ErrorKind::Cancelled, QStringLiteral("cancelled"),
                      QStringLiteral("the connection was closed or replaced")));
}

void VimSession::ensureLoggedIn(Done done)
{
    if (!m_configured)
        return done(notConnected());
    if (m_state == State::LoggedIn)
        return done({});
    if (m_refusal)
        return done(*m_refusal);
    m_waiters.push_back(std::move(done));
    if (m_state == State::LoggedOut)
        startSequence(true);
}

void VimSession::relogin(quint64 epoch, Done done)
{
    if (!m_configured)
        return done(notConnected());
    if (m_state == State::LoggedIn && epoch < m_epoch)
        return done({}); // someone else already logged in again
    if (m_refusal) {
        m_state = State::LoggedOut;
        return done(*m_refusal);
    }
    m_waiters.push_back(std::move(done));
    if (m_state == State::LoggingIn)
        return;
    qCInfo(lcSession) << "session no longer valid; logging in again";
    m_transport->clearSessionCookie();
    startSequence(false);
}

void VimSession::startSequence(bool refreshContent)
{
    m_state = State::LoggingIn;
    m_keepalive.stop();
    const quint64 generation = m_generation;
    if (m_transport->apiVersion().isEmpty())
        fetchVersions(generation);
    else if (refreshContent || m_content.sessionManager.isNull())
        fetchContent(generation);
    else
        sendLogin(generation);
}

void VimSession::fetchVersions(quint64 generation)
{
    m_sequenceCall = m_transport->getDocument(
        QStringLiteral("vimServiceVersions.xml"), m_sequenceReader, [this, generation](Result<void> r) {
            if (generation != m_generation)
                return;
            m_sequenceCall = 0;
            QString version;
            if (r.ok()) {
                const XmlValue* doc = m_sequenceReader.first();
                const QStringList offered = doc ? ApiVersion::offered(*doc) : QStringList();
                version = ApiVersion::choose(offered);
                if (version.isEmpty())
                    return finishSequence(
                        Error::make(ErrorKind::Business, QStringLiteral("unsupported-api-version"),
                                    QStringLiteral("vCenter offers vim25 versions [%1]; this console speaks %2 to %3")
                                        .arg(offered.join(QStringLiteral(", ")), QLatin1String(ApiVersion::kMinimum),
                                             QLatin1String(ApiVersion::kMaximum))));
            } else if (r.error().code == QLatin1String("http-404")) {
                // Every vCenter and ESXi since 4.x serves the file; a server that does not gets the
                // oldest version we speak.
                version = QLatin1String(ApiVersion::kMinimum);
                qCWarning(lcSession) << "no vimServiceVersions.xml; using vim25" << version;
            } else {
                return finishSequence(r.error());
            }
            qCInfo(lcSession) << "using vim25 API version" << version;
            m_transport->setApiVersion(version);
            fetchContent(generation);
        });
}

void VimSession::fetchContent(quint64 generation)
{
    m_sequenceCall =
        m_transport->post(VimRequests::retrieveServiceContent(), m_sequenceReader, [this, generation](Result<void> r) {
            if (generation != m_generation)
                return;
            m_sequenceCall = 0;
            if (!r.ok())
                return finishSequence(r.error());
            const XmlValue* rv = m_sequenceReader.first();
            std::optional<ServiceContent> content = rv ? ServiceContent::fromReturnValue(*rv) : std::nullopt;
            if (!content)
                return finishSequence(Error::make(ErrorKind::Transient, QStringLiteral("malformed-reply"),
                                                  QStringLiteral("ServiceContent lacks the objects we need")));
            m_content = *content;
            sendLogin(generation);
        });
}

void VimSession::sendLogin(quint64 generation)
{
    ++m_logins;
    m_sequenceCall =
        m_transport->post(VimRequests::login(m_content.sessionManager, m_settings.user, m_settings.password),
                          m_sequenceReader, [this, generation](Result<void> r) {
                              if (generation != m_generation)
                                  return;
                              m_sequenceCall = 0;
                              if (r.ok() && !m_transport->hasSessionCookie())
                                  r = Error::make(ErrorKind::Transient, QStringLiteral("malformed-reply"),
                                                  QStringLiteral("Login succeeded but set no session cookie"));
                              if (!r.ok() && isRefusal(r.error()))
                                  r = refuse(r.error());
                              finishSequence(std::move(r));
                          });
}

void VimSession::finishSequence(Result<void> result)
{
    m_sequenceReader.reset();
    if (result.ok()) {
        m_state = State::LoggedIn;
        ++m_epoch;
        m_keepalive.start();
        qCInfo(lcSession).noquote() << "logged in to" << m_settings.server.host() << "as" << m_settings.user;
    } else {
        m_state = State::LoggedOut;
        qCInfo(lcSession).noquote() << "login failed:" << result.error().code << result.error().message;
    }
    std::vector<Done> waiters = std::exchange(m_waiters, {});
    for (Done& w : waiters)
        w(result);
}

void VimSession::beat()
{
    if (m_state != State::LoggedIn || m_beatCall)
        return;
    const quint64 generation = m_generation;
    m_beatCall = m_transport->post(VimRequests::currentTime(), m_beatReader, [this, generation](Result<void> r) {
        if (generation != m_generation)
            return;
        m_beatCall = 0;
        if (r.ok())
            return;
        // A failed beat changes nothing but the log; the timer keeps running. A session found gone is
        // re-established now, so that the next call does not pay for it.
        qCInfo(lcSession).noquote() << "keepalive failed:" << r.error().code << r.error().message;
        if (r.error().kind == ErrorKind::SessionExpired && m_state == State::LoggedIn) {
            m_state = State::LoggedOut;
            relogin(m_epoch, [](Result<void>) {});
        }
    });
}

void VimSession::logout(Done done)
{
    if (!m_configured || m_state != State::LoggedIn) {
        forget();
        return done({});
    }
    m_keepalive.stop();
    const quint64 generation = m_generation;
    m_transport->post(VimRequests::logout(m_content.sessionManager), m_logoutReader,
                      [this, generation, done = std::move(done)](Result<void> r) {
                          if (!r.ok())
                              qCInfo(lcSession).noquote()
                                  << "logout failed (session dropped anyway):" << r.error().code;
                          if (generation == m_generation)
                              forget();
                          done({});
                      });
}

} // namespace dcm::vsphere
