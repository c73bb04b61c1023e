#pragma once

#include <QString>

#include <string_view>

namespace dcm::vsphere {

// One start tag as the streaming parser reports it. Views point into the parser's buffers and are
// valid only during the callback. vim25 replies carry only two attributes that matter: `xsi:type`
// (the concrete type of a polymorphic value) and `type` (the managed object type of a moref).
struct XmlStartTag
{
    std::string_view localName;
    std::string_view namespaceUri;
    std::string_view xsiType;       // local part of xsi:type ("xsd:string" -> "string"), empty if absent
    std::string_view xsiTypePrefix; // "xsd" for schema types, empty for vim types
    std::string_view typeAttribute; // unqualified `type` attribute (ManagedObjectReference), empty if absent
};

// Receives the events of a streamed XML document. A callback returning false stops the parse: the
// reply is then reported as malformed with rejection() as the reason.
class XmlEventHandler
{
public:
    virtual ~XmlEventHandler() = default;
    virtual bool startElement(const XmlStartTag& tag) = 0;
    virtual bool characters(std::string_view text) = 0;
    virtual bool endElement() = 0;
    // Why the last callback returned false.
    virtual QString rejection() const { return {}; }
    // Forget everything seen so far: the same handler is fed a fresh reply (a retried call).
    virtual void reset() = 0;
};

} // namespace dcm::vsphere
