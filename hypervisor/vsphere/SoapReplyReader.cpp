#include "SoapReplyReader.h"

#include "VimFaultParser.h"

namespace dcm::vsphere {

namespace {
constexpr std::string_view kSoapEnvelopeNs = "http://schemas.xmlsoap.org/soap/envelope/";
constexpr std::string_view kVimNs = "urn:vim25";
} // namespace

SoapReplyReader::SoapReplyReader(XmlEventHandler& body, QByteArray expectedResponse)
    : m_body(body), m_expected(std::move(expectedResponse))
{}

void SoapReplyReader::reset()
{
    m_depth = 0;
    m_inHeader = m_inBody = m_inResponse = m_inFault = m_sawBodyChild = m_envelopeClosed = false;
    m_outcome = Outcome::Incomplete;
    m_faultBuilder.clear();
    m_fault = VimFault();
    m_rejection.clear();
    m_body.reset();
}

bool SoapReplyReader::reject(QString why)
{
    m_rejection = std::move(why);
    return false;
}

bool SoapReplyReader::startElement(const XmlStartTag& tag)
{
    ++m_depth;
    if (m_inResponse) {
        if (!m_body.startElement(tag))
            return reject(m_body.rejection());
        return true;
    }
    if (m_inFault) {
        if (!m_faultBuilder.startElement(tag))
            return reject(m_faultBuilder.rejection());
        return true;
    }
    if (m_inHeader)
        return true;
    switch (m_depth) {
    case 1:
        if (tag.localName != "Envelope" || tag.namespaceUri != kSoapEnvelopeNs)
            return reject(QStringLiteral("reply is not a SOAP 1.1 envelope (root <%1> in namespace '%2')")
                              .arg(QString::fromUtf8(tag.localName.data(), qsizetype(tag.localName.size())),
                                   QString::fromUtf8(tag.namespaceUri.data(), qsizetype(tag.namespaceUri.size()))));
        return true;
    case 2:
        if (tag.namespaceUri != kSoapEnvelopeNs)
            return reject(QStringLiteral("unexpected element in the SOAP envelope"));
        if (tag.localName == "Header") {
            m_inHeader = true;
            return true;
        }
        if (tag.localName == "Body") {
            m_inBody = true;
            return true;
        }
        return reject(QStringLiteral("unexpected element in the SOAP envelope"));
    case 3:
        if (!m_inBody || m_sawBodyChild)
            return reject(QStringLiteral("unexpected element in the SOAP body"));
        m_sawBodyChild = true;
        if (tag.localName == "Fault" && tag.namespaceUri == kSoapEnvelopeNs) {
            m_inFault = true;
            m_faultBuilder.begin(tag);
            return true;
        }
        if (tag.namespaceUri != kVimNs)
            return reject(QStringLiteral("response element is not in the urn:vim25 namespace"));
        if (std::string_view(m_expected.constData(), size_t(m_expected.size())) != tag.localName)
            return reject(QStringLiteral("expected <%1>, got <%2>")
                              .arg(QString::fromLatin1(m_expected),
                                   QString::fromUtf8(tag.localName.data(), qsizetype(tag.localName.size()))));
        m_inResponse = true;
        return true;
    default:
        return reject(QStringLiteral("unexpected element in the SOAP envelope"));
    }
}

bool SoapReplyReader::characters(std::string_view text)
{
    if (m_inResponse && m_depth > 3) {
        if (!m_body.characters(text))
            return reject(m_body.rejection());
    } else if (m_inFault) {
        if (!m_faultBuilder.characters(text))
            return reject(m_faultBuilder.rejection());
    }
    return true;
}

bool SoapReplyReader::endElement()
{
    const int depth = m_depth--;
    if (m_inResponse) {
        if (depth == 3) {
            m_inResponse = false;
            m_outcome = Outcome::Response;
            return true;
        }
        if (!m_body.endElement())
            return reject(m_body.rejection());
        return true;
    }
    if (m_inFault) {
        if (m_faultBuilder.endElement()) {
            m_inFault = false;
            m_fault = VimFaultParser::fromSoapFault(m_faultBuilder.take());
            m_outcome = Outcome::Fault;
        }
        return true;
    }
    if (m_inHeader) {
        if (depth == 2)
            m_inHeader = false;
        return true;
    }
    if (depth == 2)
        m_inBody = false;
    if (depth == 1)
        m_envelopeClosed = true;
    return true;
}

} // namespace dcm::vsphere
