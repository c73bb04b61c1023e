#pragma once

#include "XmlEventHandler.h"
#include "XmlValue.h"
#include "XmlValueBuilder.h"

#include <vector>

namespace dcm::vsphere {

// Keeps every top-level element it is fed as a bounded XmlValue: the <returnval>s of a small reply
// (service content, a moref, a time) or the root of a small document (vimServiceVersions.xml).
class ReturnValueReader final : public XmlEventHandler
{
public:
    bool startElement(const XmlStartTag& tag) override;
    bool characters(std::string_view text) override;
    bool endElement() override;
    QString rejection() const override { return m_builder.rejection(); }
    void reset() override;

    const std::vector<XmlValue>& values() const { return m_values; }
    // The first returnval, or nullptr (e.g. FindByUuid found nothing).
    const XmlValue* first() const { return m_values.empty() ? nullptr : &m_values.front(); }

private:
    static constexpr size_t kMaxValues = 10000;
    XmlValueBuilder m_builder;
    std::vector<XmlValue> m_values;
};

} // namespace dcm::vsphere
