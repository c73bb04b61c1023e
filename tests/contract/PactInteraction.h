#pragma once

#include "PactFfi.h"
#include "XmlPattern.h"

#include <QJsonObject>
#include <QString>

// Builds one HTTP interaction of a pact through pact_ffi. Every FFI call reports success; ok() is
// false if any of them refused (a typo in a rule, a pact whose mock server already runs).
class PactInteraction
{
public:
    PactInteraction(PactHandle pact, const QString& description);

    PactInteraction& given(const QString& state);
    PactInteraction& given(const QString& state, const QString& parameter, const QString& value);
    PactInteraction& request(const QString& method, const QString& path);
    // A header equal to the example, or, with `regex`, any value matching it.
    PactInteraction& header(PactInteractionPart part, const QString& name, const QString& example,
                            const QString& regex = {});
    // At verification, the request header is replaced by a provider-state expression.
    PactInteraction& headerFromProviderState(const QString& name, const QString& expression);
    PactInteraction& xmlBody(PactInteractionPart part, const XmlPattern& document);
    PactInteraction& status(int status);

    bool ok() const { return m_ok; }

private:
    void check(bool accepted);

    InteractionHandle m_handle;
    bool m_ok = true;
};
