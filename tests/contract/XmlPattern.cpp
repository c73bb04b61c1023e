#include "XmlPattern.h"

#include <QJsonArray>

namespace {

QByteArray escaped(const QString& value)
{
    QByteArray out;
    for (const char c : value.toUtf8()) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

QString qualified(const QString& prefix, const QString& name)
{
    return prefix.isEmpty() ? name : prefix + QLatin1Char(':') + name;
}

QString expanded(const QString& namespaceUri, const QString& name)
{
    return namespaceUri.isEmpty() ? name : namespaceUri + QLatin1Char(':') + name;
}

QString step(const QString& path, const QString& segment)
{
    return path + QStringLiteral("['") + segment + QStringLiteral("']");
}

QJsonObject rule(const XmlPattern::Match& match)
{
    QJsonObject matcher;
    if (match.kind == XmlPattern::Match::Kind::Regex) {
        matcher.insert(QStringLiteral("match"), QStringLiteral("regex"));
        matcher.insert(QStringLiteral("regex"), match.regex);
    } else {
        matcher.insert(QStringLiteral("match"), QStringLiteral("type"));
    }
    return QJsonObject{{QStringLiteral("matchers"), QJsonArray{matcher}}};
}

void put(QJsonObject& into, const QString& path, const QJsonObject& value, QStringList& conflicts)
{
    if (into.contains(path) && into.value(path).toObject() != value)
        conflicts.append(path);
    into.insert(path, value);
}

} // namespace

XmlPattern::XmlPattern(QString namespaceUri, QString prefix, QString name)
    : m_namespaceUri(std::move(namespaceUri)), m_prefix(std::move(prefix)), m_name(std::move(name))
{}

XmlPattern& XmlPattern::declare(const QString& prefix, const QString& namespaceUri)
{
    m_declarations.append({prefix, namespaceUri});
    return *this;
}

XmlPattern& XmlPattern::attribute(const QString& namespaceUri, const QString& prefix, const QString& name,
                                  const QString& value, Match match)
{
    m_attributes.append(Attribute{namespaceUri, prefix, name, value, std::move(match)});
    return *this;
}

XmlPattern& XmlPattern::text(const QString& value, Match match)
{
    m_text = value;
    m_textMatch = std::move(match);
    return *this;
}

XmlPattern& XmlPattern::textFromProviderState(const QString& expression)
{
    m_textExpression = expression;
    return *this;
}

XmlPattern& XmlPattern::repeated()
{
    m_repeated = true;
    return *this;
}

XmlPattern& XmlPattern::add(XmlPattern child)
{
    m_children.append(std::move(child));
    return *this;
}

QString XmlPattern::expandedName() const
{
    return expanded(m_namespaceUri, m_name);
}

QString XmlPattern::writtenName() const
{
    return qualified(m_prefix, m_name);
}

QByteArray XmlPattern::toXml() const
{
    QByteArray out = R"(<?xml version="1.0" encoding="UTF-8"?>)";
    write(out);
    return out;
}

void XmlPattern::write(QByteArray& out) const
{
    const QByteArray tag = writtenName().toUtf8();
    out += '<' + tag;
    for (const auto& [prefix, uri] : m_declarations)
        out += ' ' + (prefix.isEmpty() ? QByteArray("xmlns") : "xmlns:" + prefix.toUtf8()) + "=\"" + escaped(uri) + '"';
    for (const Attribute& a : m_attributes)
        out += ' ' + qualified(a.prefix, a.name).toUtf8() + "=\"" + escaped(a.value) + '"';
    out += '>';
    out += escaped(m_text);
    for (const XmlPattern& child : m_children)
        child.write(out);
    out += "</" + tag + '>';
}

QJsonObject XmlPattern::matchingRules() const
{
    QJsonObject rules;
    QStringList conflicts;
    collectRules(QStringLiteral("$"), rules, conflicts);
    return rules;
}

void XmlPattern::collectRules(const QString& parentPath, QJsonObject& rules, QStringList& conflicts) const
{
    const QString path = step(parentPath, expandedName());
    if (m_repeated)
        put(rules, path, rule(anyValue()), conflicts);
    for (const Attribute& a : m_attributes) {
        if (a.match.kind != Match::Kind::Exact)
            put(rules, step(path, QLatin1Char('@') + expanded(a.namespaceUri, a.name)), rule(a.match), conflicts);
    }
    if (m_textMatch.kind != Match::Kind::Exact)
        put(rules, step(path, QStringLiteral("#text")), rule(m_textMatch), conflicts);
    for (const XmlPattern& child : m_children)
        child.collectRules(path, rules, conflicts);
}

QJsonObject XmlPattern::generators() const
{
    QJsonObject generators;
    QStringList conflicts;
    collectGenerators(QStringLiteral("$"), generators, conflicts);
    return generators;
}

void XmlPattern::collectGenerators(const QString& parentPath, QJsonObject& generators, QStringList& conflicts) const
{
    const QString path = step(parentPath, writtenName());
    if (!m_textExpression.isEmpty()) {
        put(generators, step(path, QStringLiteral("#text")),
            QJsonObject{{QStringLiteral("type"), QStringLiteral("ProviderState")},
                        {QStringLiteral("expression"), m_textExpression}},
            conflicts);
    }
    for (const XmlPattern& child : m_children)
        child.collectGenerators(path, generators, conflicts);
}

QStringList XmlPattern::conflicts() const
{
    QJsonObject rules;
    QJsonObject generators;
    QStringList conflicts;
    collectRules(QStringLiteral("$"), rules, conflicts);
    collectGenerators(QStringLiteral("$"), generators, conflicts);
    return conflicts;
}
