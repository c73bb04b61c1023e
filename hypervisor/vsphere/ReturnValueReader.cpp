#include "ReturnValueReader.h"

namespace dcm::vsphere {

bool ReturnValueReader::startElement(const XmlStartTag& tag)
{
    if (!m_builder.active()) {
        if (m_values.size() >= kMaxValues)
            return false;
        m_builder.begin(tag);
        return true;
    }
    return m_builder.startElement(tag);
}

bool ReturnValueReader::characters(std::string_view text)
{
    return m_builder.active() ? m_builder.characters(text) : true;
}

bool ReturnValueReader::endElement()
{
    if (m_builder.active() && m_builder.endElement())
        m_values.push_back(m_builder.take());
    return true;
}

void ReturnValueReader::reset()
{
    m_builder.clear();
    m_values.clear();
}

} // namespace dcm::vsphere
