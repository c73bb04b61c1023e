#include "SoapWriter.h"

namespace dcm::vsphere {

SoapWriter::SoapWriter(const char* method) : m_method(method)
{
    m_out.reserve(1024);
    m_out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
             "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\""
             " xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\""
             " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><soapenv:Body><";
    m_out += m_method;
    m_out += " xmlns=\"urn:vim25\">";
}

SoapWriter SoapWriter::fragment()
{
    return SoapWriter();
}

void SoapWriter::appendEscaped(QByteArray& out, const QString& value)
{
    const QByteArray utf8 = value.toUtf8();
    for (const char c : utf8) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\r':
            out += "&#13;";
            break;
        default:
            // XML 1.0 cannot carry other C0 controls at all, not even as character references.
            if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n')
                break;
            out += c;
        }
    }
}

SoapWriter& SoapWriter::open(const char* element, const char* xsiType)
{
    m_out += '<';
    m_out += element;
    if (xsiType) {
        m_out += " xsi:type=\"";
        m_out += xsiType;
        m_out += '"';
    }
    m_out += '>';
    return *this;
}

SoapWriter& SoapWriter::close(const char* element)
{
    m_out += "</";
    m_out += element;
    m_out += '>';
    return *this;
}

SoapWriter& SoapWriter::text(const char* element, const QString& value, const char* xsiType)
{
    open(element, xsiType);
    appendEscaped(m_out, value);
    return close(element);
}

SoapWriter& SoapWriter::number(const char* element, qint64 value)
{
    open(element);
    m_out += QByteArray::number(value);
    return close(element);
}

SoapWriter& SoapWriter::boolean(const char* element, bool value)
{
    open(element);
    m_out += value ? "true" : "false";
    return close(element);
}

SoapWriter& SoapWriter::moref(const char* element, const MoRef& ref)
{
    m_out += '<';
    m_out += element;
    m_out += " type=\"";
    appendEscaped(m_out, ref.type);
    m_out += "\">";
    appendEscaped(m_out, ref.value);
    return close(element);
}

SoapWriter& SoapWriter::raw(const QByteArray& xml)
{
    m_out += xml;
    return *this;
}

QByteArray SoapWriter::finish()
{
    m_out += "</";
    m_out += m_method;
    m_out += "></soapenv:Body></soapenv:Envelope>";
    return std::move(m_out);
}

} // namespace dcm::vsphere
