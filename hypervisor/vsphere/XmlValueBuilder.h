#pragma once

#include "XmlEventHandler.h"
#include "XmlValue.h"

#include <vector>

namespace dcm::vsphere {

// Builds an XmlValue from the events of one element and its subtree, with bounds so that a hostile
// reply cannot make one value grow without limit.
class XmlValueBuilder
{
public:
    static constexpr int kMaxDepth = 48;
    static constexpr int kMaxNodes = 200000;
    static constexpr qsizetype kMaxTextBytes = 16 * 1024 * 1024;

    // Starts a value at `tag` (the value's own element).
    void begin(const XmlStartTag& tag);
    bool startElement(const XmlStartTag& tag);
    bool characters(std::string_view text);
    // True when the value's own element has ended; take() then returns it.
    bool endElement();
    bool active() const { return !m_stack.empty(); }
    XmlValue take();
    QString rejection() const { return m_rejection; }
    void clear();

private:
    void assign(XmlValue& node, const XmlStartTag& tag);
    // Element names and type names repeat for every object of a reply: share one copy of each.
    QByteArray intern(std::string_view text);

    XmlValue m_root;
    std::vector<QByteArray> m_interned;
    std::vector<XmlValue*> m_stack;
    int m_nodes = 0;
    QString m_rejection;
};

} // namespace dcm::vsphere
