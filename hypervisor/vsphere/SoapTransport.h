#pragma once

#include "CertificateTrust.h"
#include "SoapRequest.h"

#include "domain/Result.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QUrl>

#include <chrono>
#include <functional>
#include <map>
#include <memory>

class QNetworkAccessManager;
class QNetworkReply;
class QNetworkRequest;

namespace dcm::vsphere {

class DeadlineTimers;
class HttpExchange;
class XmlEventHandler;

// vim25 over HTTP for one vCenter: the endpoint, the negotiated SOAPAction, the session cookie and the
// trust decision, applied to every call. Replies stream into the caller's handler; `done` is always
// called later from the event loop, never from inside post()/cancel().
class SoapTransport final : public QObject
{
    Q_OBJECT
public:
    using Done = std::function<void(Result<void>)>;
    using Id = quint64;

    static constexpr const char* kSessionCookieName = "vmware_soap_session";

    explicit SoapTransport(QNetworkAccessManager* nam, QObject* parent = nullptr);
    ~SoapTransport() override;

    void setEndpoint(const QUrl& sdkUrl) { m_endpoint = sdkUrl; }
    QUrl endpoint() const { return m_endpoint; }
    void setApiVersion(const QString& version) { m_apiVersion = version; }
    QString apiVersion() const { return m_apiVersion; }
    void setTrust(const CertificateTrust& trust) { m_trust = trust; }
    void setLimits(qint64 maxReplyBytes, std::chrono::milliseconds timeout);
    // The timers behind each call's deadline (`timeout` above) for calls started from now on; null:
    // real QTimers, the default. Unit tests pass timers they fire by hand.
    void setDeadlineTimers(std::shared_ptr<DeadlineTimers> timers) { m_deadlines = std::move(timers); }
    void clearSessionCookie() { m_cookie.clear(); }
    bool hasSessionCookie() const { return !m_cookie.isEmpty(); }

    // One SOAP call; `body` receives the children of the response element.
    Id post(const SoapRequest& request, XmlEventHandler& body, Done done);
    // A plain XML document next to the SDK endpoint (vimServiceVersions.xml).
    Id getDocument(const QString& fileName, XmlEventHandler& handler, Done done);
    // The call's `done` then reports ErrorKind::Cancelled.
    void cancel(Id id);
    void cancelAll();
    int pendingCount() const { return int(m_exchanges.size()); }

private:
    QNetworkRequest baseRequest(const QUrl& url) const;
    Id track(HttpExchange* exchange, Id id);
    void finished(Id id, Result<void> result, const Done& done);
    void takeCookie(const QNetworkReply& reply);

    QPointer<QNetworkAccessManager> m_nam;
    QUrl m_endpoint;
    QString m_apiVersion;
    CertificateTrust m_trust;
    qint64 m_maxReplyBytes = 0;
    std::chrono::milliseconds m_timeout{30000};
    std::shared_ptr<DeadlineTimers> m_deadlines;
    QByteArray m_cookie; // "vmware_soap_session=…", as the server set it
    std::map<Id, HttpExchange*> m_exchanges;
    Id m_nextId = 1;
};

} // namespace dcm::vsphere
