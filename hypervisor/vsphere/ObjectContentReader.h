#pragma once

#include "ObjectContent.h"
#include "XmlEventHandler.h"
#include "XmlValueBuilder.h"

#include <functional>

namespace dcm::vsphere {

// Streams a RetrieveResult (RetrievePropertiesEx / ContinueRetrievePropertiesEx): each ObjectContent is
// handed to the sink as soon as its element closes, and dropped. Only the page token is kept.
class ObjectContentReader final : public XmlEventHandler
{
public:
    using Sink = std::function<bool(ObjectContent&&)>; // false: refuse the reply (rejection())

    explicit ObjectContentReader(Sink sink) : m_sink(std::move(sink)) {}

    bool startElement(const XmlStartTag& tag) override;
    bool characters(std::string_view text) override;
    bool endElement() override;
    QString rejection() const override { return m_rejection; }
    void reset() override;

    // The page token (empty on the last page).
    QString token() const { return m_token; }
    int objectCount() const { return m_objects; }
    // A property came back as missing with NotAuthenticated: vcsim (and vCenter for some sessionless
    // reads) reports a lost session per property instead of as a fault.
    bool sessionLost() const { return m_sessionLost; }

private:
    enum class Field
    {
        None,
        Token,
        Obj,
        PropName,
        MissingPath,
    };

    QByteArray internName(std::string_view name);
    bool leafBecomesTree(const XmlStartTag& child);

    Sink m_sink;
    XmlValueBuilder m_value;
    int m_depth = 0;
    bool m_inObjects = false;
    bool m_inPropSet = false;
    bool m_inMissing = false;
    bool m_sessionLost = false;
    // Most values are leaves (<val xsi:type="xsd:string">x</val>): read those without the tree builder.
    bool m_inLeafValue = false;
    XmlValue m_leaf;
    Field m_field = Field::None;
    QByteArray m_text;
    QByteArray m_propName;
    XmlValue m_propValue;
    bool m_hasValue = false;
    ObjectContent m_current;
    QString m_token;
    int m_objects = 0;
    QString m_rejection;
    std::vector<QByteArray> m_names; // property names seen, shared so that each object does not allocate them
};

} // namespace dcm::vsphere
