#pragma once

#include "VimFault.h"
#include "XmlEventHandler.h"
#include "XmlValueBuilder.h"

#include <QByteArray>

namespace dcm::vsphere {

// The SOAP 1.1 envelope of a vim25 reply. Checks the envelope and the namespaces, collects a fault,
// and hands the children of the response element (<returnval>…) to the body handler as they stream.
class SoapReplyReader final : public XmlEventHandler
{
public:
    enum class Outcome
    {
        Incomplete,
        Response,
        Fault,
    };

    // `expectedResponse` is the response element's local name, e.g. "RetrievePropertiesExResponse".
    SoapReplyReader(XmlEventHandler& body, QByteArray expectedResponse);

    bool startElement(const XmlStartTag& tag) override;
    bool characters(std::string_view text) override;
    bool endElement() override;
    QString rejection() const override { return m_rejection; }
    void reset() override;

    Outcome outcome() const { return m_outcome; }
    const VimFault& fault() const { return m_fault; }

private:
    bool reject(QString why);

    XmlEventHandler& m_body;
    QByteArray m_expected;
    int m_depth = 0;
    bool m_inHeader = false;
    bool m_inBody = false;
    bool m_inResponse = false;
    bool m_inFault = false;
    bool m_sawBodyChild = false;
    bool m_envelopeClosed = false;
    Outcome m_outcome = Outcome::Incomplete;
    XmlValueBuilder m_faultBuilder;
    VimFault m_fault;
    QString m_rejection;
};

} // namespace dcm::vsphere
