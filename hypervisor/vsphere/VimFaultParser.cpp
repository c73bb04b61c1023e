#include "VimFaultParser.h"

#include "XmlValue.h"

namespace dcm::vsphere {

VimFault VimFaultParser::fromFaultObject(const XmlValue& faultObject, const QString& elementSuffixToStrip)
{
    VimFault f;
    f.type = QString::fromUtf8(faultObject.xsiType);
    if (f.type.isEmpty()) {
        // Detail elements are named "<Type>Fault" (so InsufficientResourcesFault arrives as
        // InsufficientResourcesFaultFault): strip exactly one suffix.
        f.type = QString::fromUtf8(faultObject.name);
        if (!elementSuffixToStrip.isEmpty() && f.type.endsWith(elementSuffixToStrip) &&
            f.type.size() > elementSuffixToStrip.size())
            f.type.chop(elementSuffixToStrip.size());
    }
    for (const XmlValue& field : faultObject.children) {
        if (field.children.empty()) {
            f.fields.insert(QString::fromUtf8(field.name), field.string());
        } else if (field.name == "faultMessage") {
            const QString msg = field.textAt("message");
            if (!msg.isEmpty())
                f.fields.insert(QStringLiteral("faultMessage"), msg);
        }
    }
    return f;
}

VimFault VimFaultParser::fromSoapFault(const XmlValue& fault)
{
    VimFault f;
    if (const XmlValue* detail = fault.child("detail"); detail && !detail->children.empty())
        f = fromFaultObject(detail->children.front(), QStringLiteral("Fault"));
    f.faultCode = fault.textAt("faultcode");
    f.message = fault.textAt("faultstring").trimmed();
    return f;
}

VimFault VimFaultParser::fromLocalizedMethodFault(const XmlValue& value)
{
    VimFault f;
    if (const XmlValue* object = value.child("fault"))
        f = fromFaultObject(*object);
    f.message = value.textAt("localizedMessage").trimmed();
    return f;
}

} // namespace dcm::vsphere
