#include "HttpExchange.h"

#include "domain/FaultTaxonomy.h"

#include <QSslConfiguration>
#include <QTimer>

namespace dcm::vsphere {

Q_LOGGING_CATEGORY(lcSoap, "dcm.hypervisor.soap", QtInfoMsg)

namespace {

class QtDeadlineTimer final : public DeadlineTimer
{
public:
    QtDeadlineTimer()
    {
        m_timer.setSingleShot(true);
        QObject::connect(&m_timer, &QTimer::timeout, &m_timer, [this] {
            if (m_expired)
                m_expired();
        });
    }
    void start(std::chrono::milliseconds after, std::function<void()> expired) override
    {
        m_expired = std::move(expired);
        m_timer.start(after);
    }
    void stop() override { m_timer.stop(); }

private:
    QTimer m_timer;
    std::function<void()> m_expired;
};

class QtDeadlineTimers final : public DeadlineTimers
{
public:
    std::unique_ptr<DeadlineTimer> create() override { return std::make_unique<QtDeadlineTimer>(); }
};

constexpr qint64 kTraceBytes = 4096;

bool isNetworkLayerError(QNetworkReply::NetworkError e)
{
    // Qt numbers transport and proxy failures below 200; HTTP-level errors (a status was received)
    // from 200 up. ContentReSendError is ours: see OneShotUploadDevice.
    return (e > QNetworkReply::NoError && e < 200) || e == QNetworkReply::ContentReSendError;
}
} // namespace

std::shared_ptr<DeadlineTimers> DeadlineTimers::system()
{
    static const auto timers = std::make_shared<QtDeadlineTimers>();
    return timers;
}

HttpExchange::HttpExchange(QNetworkReply* reply, XmlEventHandler& handler, QByteArray expectedResponse, Config config,
                           Completion completion, QObject* parent)
    : QObject(parent), m_reply(reply), m_config(std::move(config)), m_completion(std::move(completion)),
      m_soap(m_config.soap ? std::make_unique<SoapReplyReader>(handler, std::move(expectedResponse)) : nullptr),
      m_parser(m_soap ? static_cast<XmlEventHandler&>(*m_soap) : handler)
{
    if (m_soap)
        m_soap->reset();
    else
        handler.reset();
    m_clock.start();
    m_deadline = (m_config.deadlines ? m_config.deadlines : DeadlineTimers::system())->create();
    // The timer is ours and dies with us: the callback cannot outlive `this`.
    m_deadline->start(m_config.timeout, [this] { onTimeout(); });

    connect(reply, &QNetworkReply::metaDataChanged, this, &HttpExchange::onMetaData);
    connect(reply, &QNetworkReply::readyRead, this, &HttpExchange::onReadyRead);
    connect(reply, &QNetworkReply::finished, this, &HttpExchange::onFinished);
    connect(reply, &QNetworkReply::sslErrors, this, &HttpExchange::onSslErrors);
    connect(reply, &QNetworkReply::encrypted, this, &HttpExchange::onEncrypted);
    connect(reply, &QNetworkReply::uploadProgress, this, [this](qint64 sent, qint64) {
        if (sent > 0)
            m_maybeSent = true;
    });
}

HttpExchange::~HttpExchange()
{
    if (m_reply) {
        // Going away without a verdict (the adapter is being destroyed): no callbacks any more.
        disconnect(m_reply, nullptr, this, nullptr);
        m_reply->abort();
        delete m_reply.data();
    }
}

void HttpExchange::cancel()
{
    if (m_done)
        return;
    abortWith(Error::make(ErrorKind::Cancelled, QStringLiteral("cancelled"),
                          QStringLiteral("%1 was cancelled").arg(QString::fromLatin1(m_config.label))));
}

Error HttpExchange::afterSendError(QString code, QString message) const
{
    Error e;
    e.kind = (!m_config.idempotent && m_maybeSent) ? ErrorKind::OutcomeUnknown : ErrorKind::Transient;
    e.code = std::move(code);
    e.message = std::move(message);
    e.details.insert(QStringLiteral("method"), QString::fromLatin1(m_config.label));
    e.details.insert(QStringLiteral("requestSent"), m_maybeSent);
    return e;
}

Error HttpExchange::httpError(int status) const
{
    const QString reason =
        m_reply ? m_reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString() : QString();
    const QString code = QStringLiteral("http-%1").arg(status);
    const QString message =
        QStringLiteral("HTTP %1%2 from %3")
            .arg(status)
            .arg(reason.isEmpty() ? QString() : QLatin1Char(' ') + reason, QString::fromLatin1(m_config.label));
    // 503 means "not processed" (RFC 9110); any other 5xx after a changing call may have done it.
    if (status >= 500 && status != 503 && !m_config.idempotent && m_maybeSent)
        return afterSendError(code, message);
    Error e = Error::make(FaultTaxonomy::classifyHttpStatus(status), code, message);
    e.details.insert(QStringLiteral("method"), QString::fromLatin1(m_config.label));
    return e;
}

void HttpExchange::abortWith(Error error)
{
    if (m_done)
        return;
    if (!m_abortReason)
        m_abortReason = std::move(error);
    if (m_reply && m_reply->isRunning())
        m_reply->abort(); // emits finished, synchronously
    if (!m_done)
        onFinished();
}

void HttpExchange::onMetaData()
{
    if (!m_reply)
        return;
    m_maybeSent = true;
    m_status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (m_config.headersSink)
        m_config.headersSink(*m_reply);
    if (m_status != 200 && !(m_config.soap && m_status == 500))
        m_parse = false; // an error page, not a vim reply: read only its status
    const QVariant length = m_reply->header(QNetworkRequest::ContentLengthHeader);
    if (m_config.maxReplyBytes > 0 && length.isValid() && length.toLongLong() > m_config.maxReplyBytes) {
        abortWith(afterSendError(QStringLiteral("reply-too-large"),
                                 QStringLiteral("reply to %1 announces %2 bytes, over the %3-byte limit")
                                     .arg(QString::fromLatin1(m_config.label))
                                     .arg(length.toLongLong())
                                     .arg(m_config.maxReplyBytes)));
    }
}

void HttpExchange::onReadyRead()
{
    char buffer[64 * 1024];
    while (m_reply && !m_done) {
        const qint64 n = m_reply->read(buffer, sizeof buffer);
        if (n <= 0)
            return;
        m_received += n;
        if (m_config.maxReplyBytes > 0 && m_received > m_config.maxReplyBytes) {
            abortWith(afterSendError(QStringLiteral("reply-too-large"),
                                     QStringLiteral("reply to %1 exceeds the %2-byte limit")
                                         .arg(QString::fromLatin1(m_config.label))
                                         .arg(m_config.maxReplyBytes)));
            return;
        }
        if (m_traced < kTraceBytes && m_config.traceReply && lcSoap().isDebugEnabled()) {
            const qint64 take = std::min(n, kTraceBytes - m_traced);
            qCDebug(lcSoap).noquote() << "<-" << m_config.label << "body:" << QByteArray(buffer, take)
                                      << (m_traced + take < m_received ? "..." : "");
            m_traced += take;
        }
        if (m_parse && !m_parser.feed(buffer, n)) {
            if (m_status == 200 || !m_config.soap) {
                abortWith(afterSendError(QStringLiteral("malformed-reply"),
                                         QStringLiteral("malformed reply to %1: %2")
                                             .arg(QString::fromLatin1(m_config.label), m_parser.errorMessage())));
                return;
            }
            m_parse = false; // a 500 that is not a SOAP fault: report its status
        }
    }
}

void HttpExchange::onSslErrors(const QList<QSslError>& errors)
{
    if (!m_reply)
        return;
    QSslCertificate leaf = m_reply->sslConfiguration().peerCertificate();
    if (leaf.isNull() && !errors.isEmpty())
        leaf = errors.constFirst().certificate();
    const CertificateTrust::Verdict verdict = m_config.trust.onSslErrors(leaf, errors);
    if (verdict == CertificateTrust::Verdict::Trusted) {
        m_reply->ignoreSslErrors(errors);
        return;
    }
    m_sslErrors = errors;
    if (!m_abortReason)
        m_abortReason = m_config.trust.error(verdict, leaf, errors);
    // Not ignoring the errors makes Qt fail the handshake: nothing is sent.
}

void HttpExchange::onEncrypted()
{
    if (!m_reply)
        return;
    const QSslCertificate leaf = m_reply->sslConfiguration().peerCertificate();
    const CertificateTrust::Verdict verdict = m_config.trust.onEncrypted(leaf);
    if (verdict != CertificateTrust::Verdict::Trusted) {
        // A CA-valid certificate that is not the pinned one. Qt has sent nothing yet.
        abortWith(m_config.trust.error(verdict, leaf, {}));
    }
}

void HttpExchange::onTimeout()
{
    abortWith(afterSendError(QStringLiteral("timeout"), QStringLiteral("%1 got no complete reply within %2 ms")
                                                            .arg(QString::fromLatin1(m_config.label))
                                                            .arg(m_config.timeout.count())));
}

Result<void> HttpExchange::outcome()
{
    if (m_abortReason)
        return *m_abortReason;
    const QNetworkReply::NetworkError error = m_reply->error();
    if (m_status == 0)
        m_status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();

    if (isNetworkLayerError(error)) {
        const QString detail = m_reply->errorString();
        switch (error) {
        case QNetworkReply::ConnectionRefusedError:
            return Error::make(ErrorKind::Transient, QStringLiteral("connection-refused"), detail);
        case QNetworkReply::HostNotFoundError:
            return Error::make(ErrorKind::Transient, QStringLiteral("host-not-found"), detail);
        case QNetworkReply::SslHandshakeFailedError:
            return m_config.trust.error(CertificateTrust::Verdict::Untrusted,
                                        m_reply->sslConfiguration().peerCertificate(), m_sslErrors);
        case QNetworkReply::OperationCanceledError:
            return Error::make(ErrorKind::Cancelled, QStringLiteral("cancelled"), detail);
        case QNetworkReply::RemoteHostClosedError:
        case QNetworkReply::ContentReSendError:
            return afterSendError(QStringLiteral("connection-closed"),
                                  QStringLiteral("connection closed before the reply to %1 was complete")
                                      .arg(QString::fromLatin1(m_config.label)));
        case QNetworkReply::TimeoutError:
            return afterSendError(QStringLiteral("timeout"), detail);
        default:
            return afterSendError(QStringLiteral("network-error"), detail);
        }
    }

    const bool parseable = m_parse && (m_status == 200 || (m_config.soap && m_status == 500));
    bool parsed = false;
    if (parseable)
        parsed = m_parser.finish();
    if (m_soap && parsed && m_soap->outcome() == SoapReplyReader::Outcome::Fault) {
        // A fault is vCenter's definitive answer, whatever the status line said.
        Error e = m_soap->fault().toError();
        e.details.insert(QStringLiteral("method"), QString::fromLatin1(m_config.label));
        return e;
    }
    if (m_status != 200)
        return httpError(m_status);
    if (!parsed)
        return afterSendError(QStringLiteral("malformed-reply"),
                              QStringLiteral("malformed reply to %1: %2")
                                  .arg(QString::fromLatin1(m_config.label), m_parser.errorMessage()));
    if (m_soap && m_soap->outcome() != SoapReplyReader::Outcome::Response)
        return afterSendError(
            QStringLiteral("malformed-reply"),
            QStringLiteral("reply to %1 has no response element").arg(QString::fromLatin1(m_config.label)));
    return {};
}

void HttpExchange::onFinished()
{
    if (m_done || !m_reply)
        return;
    // Bytes may still be buffered when finished arrives.
    if (!m_abortReason && m_reply->bytesAvailable() > 0)
        onReadyRead();
    if (m_done)
        return;
    m_deadline->stop();
    Result<void> result = outcome();
    qCDebug(lcSoap).noquote() << "<-" << m_config.label << "HTTP" << m_status << m_received << "bytes"
                              << m_clock.elapsed() << "ms"
                              << (result.ok() ? QStringLiteral("ok") : result.error().code);
    complete(std::move(result));
}

void HttpExchange::complete(Result<void> result)
{
    m_done = true;
    m_deadline->stop();
    if (m_reply) {
        disconnect(m_reply, nullptr, this, nullptr);
        m_reply->deleteLater();
        m_reply = nullptr;
    }
    Completion completion = std::move(m_completion);
    if (completion)
        completion(std::move(result));
}

} // namespace dcm::vsphere
