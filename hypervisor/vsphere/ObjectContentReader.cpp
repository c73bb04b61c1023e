#include "ObjectContentReader.h"

#include "VimFaultParser.h"

namespace dcm::vsphere {

void ObjectContentReader::reset()
{
    m_value.clear();
    m_depth = 0;
    m_inObjects = m_inPropSet = m_inMissing = m_sessionLost = m_hasValue = m_inLeafValue = false;
    m_leaf = XmlValue();
    m_field = Field::None;
    m_text.clear();
    m_propName.clear();
    m_propValue = XmlValue();
    m_current = ObjectContent();
    m_token.clear();
    m_objects = 0;
    m_rejection.clear();
}

QByteArray ObjectContentReader::internName(std::string_view name)
{
    for (const QByteArray& n : m_names) {
        if (std::string_view(n.constData(), size_t(n.size())) == name)
            return n;
    }
    QByteArray n(name.data(), qsizetype(name.size()));
    if (m_names.size() < 256)
        m_names.push_back(n);
    return n;
}

bool ObjectContentReader::leafBecomesTree(const XmlStartTag& child)
{
    // The value has structure after all: replay its start into the tree builder.
    m_inLeafValue = false;
    XmlStartTag start;
    start.localName = std::string_view(m_leaf.name.constData(), size_t(m_leaf.name.size()));
    start.xsiType = std::string_view(m_leaf.xsiType.constData(), size_t(m_leaf.xsiType.size()));
    start.typeAttribute = std::string_view(m_leaf.typeAttr.constData(), size_t(m_leaf.typeAttr.size()));
    m_value.begin(start);
    if (!m_value.startElement(child)) {
        m_rejection = m_value.rejection();
        return false;
    }
    return true;
}

bool ObjectContentReader::startElement(const XmlStartTag& tag)
{
    ++m_depth;
    if (m_inLeafValue)
        return leafBecomesTree(tag);
    if (m_value.active()) {
        if (!m_value.startElement(tag)) {
            m_rejection = m_value.rejection();
            return false;
        }
        return true;
    }
    // Depth 1: returnval; 2: token | objects; 3: obj | propSet | missingSet; 4: name | val | path | fault.
    switch (m_depth) {
    case 2:
        if (tag.localName == "token") {
            m_field = Field::Token;
            m_text.clear();
        } else if (tag.localName == "objects") {
            m_inObjects = true;
            m_current = ObjectContent();
            m_current.props.reserve(16);
        }
        break;
    case 3:
        if (!m_inObjects)
            break;
        if (tag.localName == "obj") {
            m_field = Field::Obj;
            m_text.clear();
            m_current.obj.type = QString::fromUtf8(tag.typeAttribute.data(), qsizetype(tag.typeAttribute.size()));
        } else if (tag.localName == "propSet") {
            m_inPropSet = true;
            m_hasValue = false;
            m_propName.clear();
        } else if (tag.localName == "missingSet") {
            m_inMissing = true;
            m_hasValue = false;
            m_propName.clear();
        }
        break;
    case 4:
        if (m_inPropSet && tag.localName == "name") {
            m_field = Field::PropName;
            m_text.clear();
        } else if (m_inPropSet && tag.localName == "val") {
            m_inLeafValue = true;
            m_leaf.name = internName(tag.localName);
            m_leaf.xsiType = tag.xsiType.empty() ? QByteArray() : internName(tag.xsiType);
            m_leaf.typeAttr = tag.typeAttribute.empty() ? QByteArray() : internName(tag.typeAttribute);
            m_leaf.text.clear();
        } else if (m_inMissing && tag.localName == "path") {
            m_field = Field::MissingPath;
            m_text.clear();
        } else if (m_inMissing && tag.localName == "fault") {
            m_value.begin(tag);
        }
        break;
    default:
        break;
    }
    return true;
}

bool ObjectContentReader::characters(std::string_view text)
{
    if (m_inLeafValue) {
        if (m_leaf.text.size() + qsizetype(text.size()) > XmlValueBuilder::kMaxTextBytes) {
            m_rejection = QStringLiteral("a text value in the reply is too large");
            return false;
        }
        m_leaf.text.append(text.data(), qsizetype(text.size()));
        return true;
    }
    if (m_value.active()) {
        if (!m_value.characters(text)) {
            m_rejection = m_value.rejection();
            return false;
        }
        return true;
    }
    if (m_field != Field::None) {
        if (m_text.size() + qsizetype(text.size()) > 1024 * 1024) {
            m_rejection = QStringLiteral("a name or token in the reply is too long");
            return false;
        }
        m_text.append(text.data(), qsizetype(text.size()));
    }
    return true;
}

bool ObjectContentReader::endElement()
{
    const int depth = m_depth--;
    if (m_inLeafValue) {
        m_inLeafValue = false;
        m_propValue = std::move(m_leaf);
        m_leaf = XmlValue();
        m_hasValue = true;
        return true;
    }
    if (m_value.active()) {
        if (m_value.endElement()) {
            m_propValue = m_value.take();
            m_hasValue = true;
        }
        return true;
    }
    switch (depth) {
    case 2:
        if (m_field == Field::Token) {
            m_token = QString::fromUtf8(m_text);
            m_field = Field::None;
        } else if (m_inObjects) {
            m_inObjects = false;
            ++m_objects;
            if (m_current.obj.value.isEmpty()) {
                m_rejection = QStringLiteral("an object in the reply has no reference");
                return false;
            }
            if (!m_sink(std::move(m_current))) {
                m_rejection = QStringLiteral("the reply's objects were refused");
                return false;
            }
            m_current = ObjectContent();
        }
        break;
    case 3:
        if (m_field == Field::Obj) {
            m_current.obj.value = QString::fromUtf8(m_text);
            m_field = Field::None;
        } else if (m_inPropSet) {
            m_inPropSet = false;
            // An unset property comes without <val>: keep it absent.
            if (m_hasValue)
                m_current.props.emplace_back(m_propName, std::move(m_propValue));
            m_propValue = XmlValue();
        } else if (m_inMissing) {
            m_inMissing = false;
            VimFault fault = m_hasValue ? VimFaultParser::fromLocalizedMethodFault(m_propValue) : VimFault();
            if (fault.type == QLatin1String("NotAuthenticated"))
                m_sessionLost = true;
            m_current.missing.emplace_back(m_propName, std::move(fault));
            m_propValue = XmlValue();
        }
        break;
    case 4:
        if (m_field == Field::PropName || m_field == Field::MissingPath) {
            m_propName = internName(std::string_view(m_text.constData(), size_t(m_text.size())));
            m_field = Field::None;
        }
        break;
    default:
        break;
    }
    return true;
}

} // namespace dcm::vsphere
