#include "XmlValue.h"

namespace dcm::vsphere {

const XmlValue* XmlValue::child(std::string_view childName) const
{
    for (const XmlValue& c : children) {
        if (std::string_view(c.name.constData(), size_t(c.name.size())) == childName)
            return &c;
    }
    return nullptr;
}

const XmlValue* XmlValue::at(std::string_view dottedPath) const
{
    const XmlValue* node = this;
    while (node && !dottedPath.empty()) {
        const size_t dot = dottedPath.find('.');
        node = node->child(dottedPath.substr(0, dot));
        dottedPath = dot == std::string_view::npos ? std::string_view() : dottedPath.substr(dot + 1);
    }
    return node;
}

QString XmlValue::textAt(std::string_view dottedPath) const
{
    const XmlValue* node = at(dottedPath);
    return node ? node->string() : QString();
}

bool XmlValue::toBool() const
{
    const QByteArray t = text.trimmed();
    return t == "true" || t == "1";
}

} // namespace dcm::vsphere
