#include "SoapTransport.h"

#include "HttpExchange.h"
#include "OneShotUploadDevice.h"

#include "domain/Redaction.h"

#include <QCoreApplication>
#include <QNetworkAccessManager>
#include <QNetworkCookie>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace dcm::vsphere {

SoapTransport::SoapTransport(QNetworkAccessManager* nam, QObject* parent) : QObject(parent), m_nam(nam)
{}

SoapTransport::~SoapTransport()
{
    // Exchanges are children: destroyed with us, silently (no callbacks into owners being torn down).
    m_exchanges.clear();
}

void SoapTransport::setLimits(qint64 maxReplyBytes, std::chrono::milliseconds timeout)
{
    m_maxReplyBytes = maxReplyBytes;
    m_timeout = timeout;
}

QNetworkRequest SoapTransport::baseRequest(const QUrl& url) const
{
    QNetworkRequest req(url);
    req.setHeader(QNetworkRequest::UserAgentHeader,
                  QStringLiteral("dcm-operator-console/%1").arg(QCoreApplication::applicationVersion()));
    // The session cookie is ours to manage (one per connection, redacted in traces): keep Qt's jar out.
    req.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    req.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    // vCenter's SOAP endpoint speaks HTTP/1.1; a redirect from it is a misconfiguration, never followed.
    req.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    if (!m_cookie.isEmpty())
        req.setRawHeader("Cookie", m_cookie);
    return req;
}

void SoapTransport::takeCookie(const QNetworkReply& reply)
{
    const auto cookies = reply.header(QNetworkRequest::SetCookieHeader).value<QList<QNetworkCookie>>();
    for (const QNetworkCookie& c : cookies) {
        if (c.name() == kSessionCookieName && !c.value().isEmpty())
            m_cookie = c.toRawForm(QNetworkCookie::NameAndValueOnly);
    }
}

SoapTransport::Id SoapTransport::post(const SoapRequest& request, XmlEventHandler& body, Done done)
{
    const Id id = m_nextId++;
    QNetworkRequest req = baseRequest(m_endpoint);
    req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("text/xml; charset=utf-8"));
    req.setRawHeader("SOAPAction", "urn:vim25/" + m_apiVersion.toLatin1());
    if (lcSoap().isDebugEnabled()) {
        qCDebug(lcSoap).noquote()
            << "->" << request.method << redactedUrl(m_endpoint) << "SOAPAction: urn:vim25/" << m_apiVersion
            << (m_cookie.isEmpty() ? QString()
                                   : QStringLiteral("Cookie: %1=(redacted)").arg(QLatin1String(kSessionCookieName)));
        qCDebug(lcSoap).noquote() << "->" << request.method << "body:" << request.traceBody();
    }
    QNetworkReply* reply = nullptr;
    if (!m_nam) {
        finished(id,
                 Error::make(ErrorKind::Internal, QStringLiteral("no-network"), QStringLiteral("no network access")),
                 done);
        return id;
    }
    if (request.idempotent) {
        reply = m_nam->post(req, request.body);
    } else {
        req.setHeader(QNetworkRequest::ContentLengthHeader, request.body.size());
        req.setAttribute(QNetworkRequest::DoNotBufferUploadDataAttribute, true);
        auto* device = new OneShotUploadDevice(request.body);
        reply = m_nam->post(req, device);
        device->setParent(reply);
    }
    HttpExchange::Config config;
    config.label = request.method;
    config.idempotent = request.idempotent;
    config.soap = true;
    config.traceReply = request.trace.isEmpty(); // a call with secrets in it may have them in the reply
    config.maxReplyBytes = m_maxReplyBytes;
    config.timeout = m_timeout + request.extraTimeout;
    config.deadlines = m_deadlines;
    config.trust = m_trust;
    config.headersSink = [this](const QNetworkReply& r) { takeCookie(r); };
    auto* exchange = new HttpExchange(
        reply, body, request.responseElement(), std::move(config),
        [this, id, done = std::move(done)](Result<void> result) { finished(id, std::move(result), done); }, this);
    return track(exchange, id);
}

SoapTransport::Id SoapTransport::getDocument(const QString& fileName, XmlEventHandler& handler, Done done)
{
    const Id id = m_nextId++;
    QUrl url = m_endpoint;
    QString path = url.path();
    if (!path.endsWith(QLatin1Char('/')))
        path += QLatin1Char('/');
    url.setPath(path + fileName);
    qCDebug(lcSoap).noquote() << "-> GET" << redactedUrl(url);
    if (!m_nam) {
        finished(id,
                 Error::make(ErrorKind::Internal, QStringLiteral("no-network"), QStringLiteral("no network access")),
                 done);
        return id;
    }
    QNetworkReply* reply = m_nam->get(baseRequest(url));
    HttpExchange::Config config;
    config.label = fileName.toLatin1();
    config.soap = false;
    config.maxReplyBytes = std::min<qint64>(m_maxReplyBytes > 0 ? m_maxReplyBytes : 1 << 20, 1 << 20);
    config.timeout = m_timeout;
    config.deadlines = m_deadlines;
    config.trust = m_trust;
    auto* exchange = new HttpExchange(
        reply, handler, {}, std::move(config),
        [this, id, done = std::move(done)](Result<void> result) { finished(id, std::move(result), done); }, this);
    return track(exchange, id);
}

SoapTransport::Id SoapTransport::track(HttpExchange* exchange, Id id)
{
    m_exchanges.emplace(id, exchange);
    return id;
}

void SoapTransport::finished(Id id, Result<void> result, const Done& done)
{
    if (auto it = m_exchanges.find(id); it != m_exchanges.end()) {
        it->second->deleteLater();
        m_exchanges.erase(it);
    }
    // Always from the event loop: callers may start the next call or finish theirs from `done`.
    QMetaObject::invokeMethod(
        this, [done, result = std::move(result)]() mutable { done(std::move(result)); }, Qt::QueuedConnection);
}

void SoapTransport::cancel(Id id)
{
    if (auto it = m_exchanges.find(id); it != m_exchanges.end())
        it->second->cancel();
}

void SoapTransport::cancelAll()
{
    std::vector<Id> ids;
    for (const auto& [id, exchange] : m_exchanges)
        ids.push_back(id);
    for (Id id : ids)
        cancel(id);
}

} // namespace dcm::vsphere
