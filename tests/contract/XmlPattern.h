#pragma once

#include <utility>

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

// How an actual value may differ from the example.
struct XmlMatch
{
    enum class Kind
    {
        Exact, // no rule: equal to the example
        Regex,
        Type, // any value (for an element: any number of siblings like it, each matched like it)
    };
    Kind kind = Kind::Exact;
    QString regex;
};

// An expected XML document for a pact: the example the other side is shown (the mock server's reply,
// or the request the verifier replays) plus, per value, how a conforming peer may differ from it.
//
// Pact's XML matcher names elements and attributes by namespace URI and local name
// ("$['urn:vim25:returnval']['#text']"), but its XML builder keys the rules it generates by prefix
// ("soapenv:Envelope"), which the verifier then silently ignores for namespaced documents. So the
// rules are written here, keyed by the expanded names. Provider-state generators are the opposite:
// the verifier applies them by the names as written (prefix:local, or just local in a default
// namespace), so those paths keep the prefixes.
class XmlPattern
{
public:
    using Match = XmlMatch;
    static Match regex(QString pattern) { return {Match::Kind::Regex, std::move(pattern)}; }
    static Match anyValue() { return {Match::Kind::Type, {}}; }

    XmlPattern(QString namespaceUri, QString prefix, QString name);

    // xmlns / xmlns:prefix on this element (only written; the caller keeps names consistent).
    XmlPattern& declare(const QString& prefix, const QString& namespaceUri);
    XmlPattern& attribute(const QString& namespaceUri, const QString& prefix, const QString& name, const QString& value,
                          Match match = {});
    XmlPattern& text(const QString& value, Match match = {});
    // At verification, the text is replaced by a provider-state expression such as "${view}".
    XmlPattern& textFromProviderState(const QString& expression);
    // Each actual sibling with this name is matched against this one, however many there are.
    XmlPattern& repeated();
    XmlPattern& add(XmlPattern child);

    QByteArray toXml() const;
    // {"<path>": {"matchers": [...]}, ...}, keyed by namespace-expanded paths.
    QJsonObject matchingRules() const;
    // {"<path>": {"type": "ProviderState", "expression": ...}, ...}, keyed by prefixed paths.
    QJsonObject generators() const;
    // Paths carry no positions, so every element reached by one path shares its rule (all <val>s of a
    // reply, say). Paths given two different rules or generators: the pattern is ambiguous.
    QStringList conflicts() const;

private:
    struct Attribute
    {
        QString namespaceUri;
        QString prefix;
        QString name;
        QString value;
        Match match;
    };

    QString expandedName() const;
    QString writtenName() const;
    void write(QByteArray& out) const;
    void collectRules(const QString& parentPath, QJsonObject& rules, QStringList& conflicts) const;
    void collectGenerators(const QString& parentPath, QJsonObject& generators, QStringList& conflicts) const;

    QString m_namespaceUri;
    QString m_prefix;
    QString m_name;
    QList<QPair<QString, QString>> m_declarations;
    QList<Attribute> m_attributes;
    QString m_text;
    Match m_textMatch;
    QString m_textExpression;
    bool m_repeated = false;
    QList<XmlPattern> m_children;
};
