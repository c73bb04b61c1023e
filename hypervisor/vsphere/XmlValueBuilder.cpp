#include "XmlValueBuilder.h"

namespace dcm::vsphere {

QByteArray XmlValueBuilder::intern(std::string_view text)
{
    for (const QByteArray& known : m_interned) {
        if (std::string_view(known.constData(), size_t(known.size())) == text)
            return known;
    }
    QByteArray copy(text.data(), qsizetype(text.size()));
    if (m_interned.size() < 128)
        m_interned.push_back(copy);
    return copy;
}

void XmlValueBuilder::assign(XmlValue& node, const XmlStartTag& tag)
{
    node.name = intern(tag.localName);
    if (!tag.xsiType.empty())
        node.xsiType = intern(tag.xsiType);
    if (!tag.typeAttribute.empty())
        node.typeAttr = intern(tag.typeAttribute);
}

void XmlValueBuilder::begin(const XmlStartTag& tag)
{
    clear();
    assign(m_root, tag);
    m_stack.push_back(&m_root);
    m_nodes = 1;
}

bool XmlValueBuilder::startElement(const XmlStartTag& tag)
{
    if (int(m_stack.size()) >= kMaxDepth || ++m_nodes > kMaxNodes) {
        m_rejection = QStringLiteral("a value in the reply is nested too deep or too large");
        return false;
    }
    XmlValue* parent = m_stack.back();
    parent->children.emplace_back();
    XmlValue& node = parent->children.back();
    assign(node, tag);
    // Pointers into a parent's vector stay valid: siblings are only appended once this one is closed.
    m_stack.push_back(&node);
    return true;
}

bool XmlValueBuilder::characters(std::string_view text)
{
    XmlValue* node = m_stack.back();
    if (node->text.size() + qsizetype(text.size()) > kMaxTextBytes) {
        m_rejection = QStringLiteral("a text value in the reply is too large");
        return false;
    }
    node->text.append(text.data(), qsizetype(text.size()));
    return true;
}

bool XmlValueBuilder::endElement()
{
    XmlValue* node = m_stack.back();
    if (!node->children.empty())
        node->text.clear(); // whitespace between child elements
    m_stack.pop_back();
    return m_stack.empty();
}

XmlValue XmlValueBuilder::take()
{
    XmlValue v = std::move(m_root);
    clear();
    return v;
}

void XmlValueBuilder::clear()
{
    m_root = XmlValue();
    m_stack.clear();
    m_nodes = 0;
}

} // namespace dcm::vsphere
