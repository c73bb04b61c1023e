#pragma once

#include <QByteArray>
#include <QString>

#include <string_view>
#include <vector>

namespace dcm::vsphere {

// A small, bounded piece of a reply kept as a tree: one property value, one returnval, one fault.
// Replies as a whole are never kept like this (see ObjectContentReader).
struct XmlValue
{
    QByteArray name;     // element local name
    QByteArray xsiType;  // local part of xsi:type, empty if absent
    QByteArray typeAttr; // `type` attribute (ManagedObjectReference)
    QByteArray text;     // character data (leaf elements)
    std::vector<XmlValue> children;

    // The first child with that name, or nullptr.
    const XmlValue* child(std::string_view childName) const;
    // Text of a descendant reached through a dotted path of child names ("about.apiVersion").
    QString textAt(std::string_view dottedPath) const;
    const XmlValue* at(std::string_view dottedPath) const;
    QString string() const { return QString::fromUtf8(text); }
    qint64 toLong(bool* ok = nullptr) const { return text.trimmed().toLongLong(ok); }
    bool toBool() const;
    bool isNil() const { return text.isEmpty() && children.empty(); }
};

} // namespace dcm::vsphere
