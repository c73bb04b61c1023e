#pragma once

#include "CertificateTrust.h"
#include "SoapReplyReader.h"
#include "XmlPushParser.h"

#include "domain/Result.h"

#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QNetworkReply>
#include <QObject>
#include <QPointer>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

namespace dcm::vsphere {

// The SOAP trace: requests and replies with secrets redacted, off unless dcm.hypervisor.soap.debug is on.
Q_DECLARE_LOGGING_CATEGORY(lcSoap)

// The deadline of one exchange. In production a QTimer on the exchange's thread; unit tests hand the
// transport timers they fire themselves, so a test of "no reply within the deadline" waits for nothing.
class DeadlineTimer
{
public:
    virtual ~DeadlineTimer() = default;
    // Calls `expired` once, from the event loop, `after` from now, unless stopped or destroyed first.
    virtual void start(std::chrono::milliseconds after, std::function<void()> expired) = 0;
    virtual void stop() = 0;
};

// Makes the deadline timers of the exchanges a SoapTransport starts.
class DeadlineTimers
{
public:
    virtual ~DeadlineTimers() = default;
    virtual std::unique_ptr<DeadlineTimer> create() = 0;
    // Real timers (QTimer): what every exchange uses unless a test says otherwise.
    static std::shared_ptr<DeadlineTimers> system();
};

// One HTTP request/reply with vCenter: streams the reply into the XML parser as it arrives, enforces
// the size cap and the deadline, checks the certificate, and turns whatever happened into one Result.
class HttpExchange final : public QObject
{
    Q_OBJECT
public:
    struct Config
    {
        QByteArray label;       // the SOAP method or the GET path, for logs and messages
        bool idempotent = true; // false: failures after sending are OutcomeUnknown
        bool soap = true;       // a SOAP call (else a plain XML document)
        bool traceReply = true; // the reply body may appear in the debug trace
        qint64 maxReplyBytes = 0;
        std::chrono::milliseconds timeout{30000};
        CertificateTrust trust;
        std::function<void(const QNetworkReply&)> headersSink; // sees the reply headers (session cookie)
        std::shared_ptr<DeadlineTimers> deadlines;             // null: DeadlineTimers::system()
    };
    using Completion = std::function<void(Result<void>)>;

    // Takes ownership of `reply`. `handler` receives the document (for SOAP: the body, behind the
    // envelope reader); it must outlive the exchange.
    HttpExchange(QNetworkReply* reply, XmlEventHandler& handler, QByteArray expectedResponse, Config config,
                 Completion completion, QObject* parent = nullptr);
    ~HttpExchange() override;

    // Cancels: the completion reports ErrorKind::Cancelled (later, never from inside this call).
    void cancel();
    QNetworkReply* reply() const { return m_reply; }

private:
    void onMetaData();
    void onReadyRead();
    void onFinished();
    void onSslErrors(const QList<QSslError>& errors);
    void onEncrypted();
    void onTimeout();
    void abortWith(Error error);
    Result<void> outcome();
    Error afterSendError(QString code, QString message) const;
    Error httpError(int status) const;
    void complete(Result<void> result);

    QPointer<QNetworkReply> m_reply;
    Config m_config;
    Completion m_completion;
    std::unique_ptr<SoapReplyReader> m_soap;
    XmlPushParser m_parser;
    std::unique_ptr<DeadlineTimer> m_deadline;
    QElapsedTimer m_clock; // for the trace only
    int m_status = 0;
    bool m_parse = true; // false once the body is known not to be for us (non-SOAP error page)
    bool m_maybeSent = false;
    bool m_done = false;
    qint64 m_received = 0;
    qint64 m_traced = 0;
    std::optional<Error> m_abortReason;
    QList<QSslError> m_sslErrors;
};

} // namespace dcm::vsphere
