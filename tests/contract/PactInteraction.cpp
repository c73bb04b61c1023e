#include "PactInteraction.h"

#include <QJsonDocument>
#include <QtGlobal>

namespace {

QByteArray compact(const QJsonObject& json)
{
    return QJsonDocument(json).toJson(QJsonDocument::Compact);
}

} // namespace

PactInteraction::PactInteraction(PactHandle pact, const QString& description)
    : m_handle(pactffi_new_interaction(pact, description.toUtf8().constData()))
{
    check(m_handle != 0);
}

void PactInteraction::check(bool accepted)
{
    m_ok = m_ok && accepted;
}

PactInteraction& PactInteraction::given(const QString& state)
{
    check(pactffi_given(m_handle, state.toUtf8().constData()));
    return *this;
}

PactInteraction& PactInteraction::given(const QString& state, const QString& parameter, const QString& value)
{
    check(pactffi_given_with_param(m_handle, state.toUtf8().constData(), parameter.toUtf8().constData(),
                                   value.toUtf8().constData()));
    return *this;
}

PactInteraction& PactInteraction::request(const QString& method, const QString& path)
{
    check(pactffi_with_request(m_handle, method.toUtf8().constData(), path.toUtf8().constData()));
    return *this;
}

PactInteraction& PactInteraction::header(PactInteractionPart part, const QString& name, const QString& example,
                                         const QString& regex)
{
    QByteArray value = example.toUtf8();
    if (!regex.isEmpty()) {
        value = compact(QJsonObject{{QStringLiteral("value"), example},
                                    {QStringLiteral("pact:matcher:type"), QStringLiteral("regex")},
                                    {QStringLiteral("regex"), regex}});
    }
    check(pactffi_with_header_v2(m_handle, part, name.toUtf8().constData(), 0, value.constData()));
    return *this;
}

PactInteraction& PactInteraction::headerFromProviderState(const QString& name, const QString& expression)
{
    const QJsonObject generator{{QStringLiteral("type"), QStringLiteral("ProviderState")},
                                {QStringLiteral("expression"), expression}};
    const QJsonObject generators{{QStringLiteral("header"), QJsonObject{{name, generator}}}};
    check(pactffi_with_generators(m_handle, PactRequestPart, compact(generators).constData()));
    return *this;
}

PactInteraction& PactInteraction::xmlBody(PactInteractionPart part, const XmlPattern& document)
{
    const QStringList conflicts = document.conflicts();
    if (!conflicts.isEmpty()) {
        qWarning("ambiguous XML pattern, one path with different rules: %s",
                 qPrintable(conflicts.join(QLatin1Char(' '))));
        check(false);
    }
    // Raw XML (not pact_ffi's JSON XML builder): the example goes on the wire exactly as written.
    check(pactffi_with_body(m_handle, part, "text/xml; charset=utf-8", document.toXml().constData()));
    const QJsonObject rules = document.matchingRules();
    if (!rules.isEmpty()) {
        check(pactffi_with_matching_rules(m_handle, part,
                                          compact(QJsonObject{{QStringLiteral("body"), rules}}).constData()));
    }
    const QJsonObject generators = document.generators();
    if (!generators.isEmpty()) {
        check(pactffi_with_generators(m_handle, part,
                                      compact(QJsonObject{{QStringLiteral("body"), generators}}).constData()));
    }
    return *this;
}

PactInteraction& PactInteraction::status(int status)
{
    check(pactffi_response_status(m_handle, static_cast<unsigned short>(status)));
    return *this;
}
