#include "CtlOutput.h"

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
    QString line = QStringLiteral("dcmctl: %1").arg(error.message);
    if (!error.vimFault.isEmpty())
        line += QStringLiteral(" (vim fault %1)").arg(error.vimFault);
    std::fprintf(stderr, "%s\n", qPrintable(line));
    if (m_json) {
        QJsonObject e{{QStringLiteral("kind"), toString(error.kind)},
                      {QStringLiteral("code"), error.code},
                      {QStringLiteral("message"), error.message},
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
    std::fprintf(stderr, "dcmctl: %s\n", qPrintable(message));
    if (m_json) {
        QJsonObject e{{QStringLiteral("code"), code},
                      {QStringLiteral("message"), message},
                      {QStringLiteral("exitCode"), exitCode}};
        writeOut(QJsonDocument(QJsonObject{{QStringLiteral("error"), e}}).toJson(QJsonDocument::Indented));
    }
    return exitCode;
}

} // namespace dcm::ctl
