#include "CtlOutput.h"

#include "domain/ErrorJson.h"
#include "domain/Redaction.h"
#include "domain/RequestView.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTextStream>

#include <cstdio>

namespace dcm::ctl {

int exitCodeFor(const Error& error)
{
    switch (error.kind) {
    case ErrorKind::InvalidInput:
        return ExitInvalidInput;
    case ErrorKind::Trust:
        return ExitUntrusted;
    case ErrorKind::Authentication:
        return ExitAuthFailed;
    default:
        return ExitFailure;
    }
}

int exitCodeForState(RequestState s)
{
    switch (s) {
    case RequestState::Provisioned:
        return ExitOk;
    case RequestState::Failed:
    case RequestState::Cancelled:
        return ExitFailure;
    default:
        return ExitAccepted;
    }
}

QString isoTime(const QDateTime& t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs) : QString();
}

QJsonValue errorJson(const std::optional<Error>& e)
{
    return e ? QJsonValue(ErrorJson::toJson(*e)) : QJsonValue(QJsonValue::Null);
}

QJsonObject requestJson(const ProvisioningRequest& r, bool withHistory)
{
    return RequestView::toJson(r, withHistory);
}

QString requestLine(const ProvisioningRequest& r)
{
    QString error;
    if (r.lastError())
        error = r.lastError()->vimFault.isEmpty()
                    ? r.lastError()->message
                    : r.lastError()->vimFault + QStringLiteral(": ") + r.lastError()->message;
    return QStringLiteral("%1  %2  %3  %4  %5  %6\n")
        .arg(
            r.id().toString(QUuid::WithoutBraces),
            // An operation names what it does to which VM: "power-off web-01".
            (r.isOperation() ? toString(r.kind()) + QLatin1Char(' ') + r.spec().name : r.spec().name).leftJustified(20),
            toString(r.state()).leftJustified(23))
        .arg(r.attempts(), 2)
        .arg(r.vmRef().leftJustified(10), error);
}

static void writeOut(const QByteArray& bytes)
{
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    std::fflush(stdout);
}

void CtlOutput::document(const QJsonObject& object, const QString& text) const
{
    if (m_json)
        writeOut(QJsonDocument(object).toJson(QJsonDocument::Indented));
    else
        writeOut(text.toUtf8());
}

void CtlOutput::document(const QJsonArray& array, const QString& text) const
{
    if (m_json)
        writeOut(QJsonDocument(array).toJson(QJsonDocument::Indented));
    else
        writeOut(text.toUtf8());
}

int CtlOutput::fail(const Error& error) const
{
    const int code = exitCodeFor(error);
    const QString message = redactedText(error.message);
    QString line = QStringLiteral("dcmctl: %1").arg(message);
    if (!error.vimFault.isEmpty())
        line += QStringLiteral(" (vim fault %1)").arg(error.vimFault);
    std::fprintf(stderr, "%s\n", qPrintable(line));
    if (m_json) {
        QJsonObject e{{QStringLiteral("kind"), toString(error.kind)},
                      {QStringLiteral("code"), error.code},
                      {QStringLiteral("message"), message},
                      {QStringLiteral("exitCode"), code}};
        if (!error.vimFault.isEmpty())
            e.insert(QStringLiteral("vimFault"), error.vimFault);
        for (auto it = error.details.cbegin(); it != error.details.cend(); ++it)
            e.insert(it.key(), QJsonValue::fromVariant(it.value()));
        writeOut(QJsonDocument(QJsonObject{{QStringLiteral("error"), e}}).toJson(QJsonDocument::Indented));
    }
    return code;
}

int CtlOutput::fail(int exitCode, const QString& code, const QString& message) const
{
    const QString shown = redactedText(message);
    std::fprintf(stderr, "dcmctl: %s\n", qPrintable(shown));
    if (m_json) {
        QJsonObject e{
            {QStringLiteral("code"), code}, {QStringLiteral("message"), shown}, {QStringLiteral("exitCode"), exitCode}};
        writeOut(QJsonDocument(QJsonObject{{QStringLiteral("error"), e}}).toJson(QJsonDocument::Indented));
    }
    return exitCode;
}

} // namespace dcm::ctl
