#include "XmlPushParser.h"

#include "XmlEventHandler.h"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>

#include <cstring>
#include <mutex>

namespace dcm::vsphere {

namespace {

constexpr std::string_view kXsiNamespace = "http://www.w3.org/2001/XMLSchema-instance";

std::string_view view(const xmlChar* s)
{
    return s ? std::string_view(reinterpret_cast<const char*>(s)) : std::string_view();
}

void initLibxml()
{
    // xmlInitParser is not safe to race; the service thread and tests may construct parsers first.
    static std::once_flag once;
    std::call_once(once, [] { xmlInitParser(); });
}

} // namespace

struct XmlPushParserCallbacks
{
    static XmlPushParser* self(void* ctx)
    {
        auto* ctxt = static_cast<xmlParserCtxtPtr>(ctx);
        return static_cast<XmlPushParser*>(ctxt->_private);
    }

    static void startElement(void* ctx, const xmlChar* localName, const xmlChar* /*prefix*/, const xmlChar* uri,
                             int /*namespaceCount*/, const xmlChar** /*namespaces*/, int attributeCount,
                             int /*defaultedCount*/, const xmlChar** attributes)
    {
        XmlPushParser* p = self(ctx);
        if (p->m_failure != XmlPushParser::Failure::None)
            return;
        XmlStartTag tag;
        tag.localName = view(localName);
        tag.namespaceUri = view(uri);
        // libxml2 passes attributes as (localname, prefix, URI, value, end) tuples.
        for (int i = 0; i < attributeCount; ++i) {
            const xmlChar** a = attributes + i * 5;
            const std::string_view name = view(a[0]);
            const std::string_view value(reinterpret_cast<const char*>(a[3]), static_cast<size_t>(a[4] - a[3]));
            if (a[2] == nullptr) {
                if (name == "type")
                    tag.typeAttribute = value;
            } else if (name == "type" && view(a[2]) == kXsiNamespace) {
                const size_t colon = value.find(':');
                if (colon == std::string_view::npos) {
                    tag.xsiType = value;
                } else {
                    tag.xsiTypePrefix = value.substr(0, colon);
                    tag.xsiType = value.substr(colon + 1);
                }
            }
        }
        if (!p->m_handler.startElement(tag))
            p->fail(XmlPushParser::Failure::Rejected, p->m_handler.rejection());
    }

    static void endElement(void* ctx, const xmlChar*, const xmlChar*, const xmlChar*)
    {
        XmlPushParser* p = self(ctx);
        if (p->m_failure != XmlPushParser::Failure::None)
            return;
        if (!p->m_handler.endElement())
            p->fail(XmlPushParser::Failure::Rejected, p->m_handler.rejection());
    }

    static void characters(void* ctx, const xmlChar* text, int length)
    {
        XmlPushParser* p = self(ctx);
        if (p->m_failure != XmlPushParser::Failure::None)
            return;
        if (!p->m_handler.characters(std::string_view(reinterpret_cast<const char*>(text), size_t(length))))
            p->fail(XmlPushParser::Failure::Rejected, p->m_handler.rejection());
    }

    static void internalSubset(void* ctx, const xmlChar* name, const xmlChar*, const xmlChar*)
    {
        self(ctx)->fail(XmlPushParser::Failure::Forbidden,
                        QStringLiteral("reply has a DOCTYPE (%1), which SOAP forbids").arg(QString::fromUtf8(name)));
    }

    static void entityDecl(void* ctx, const xmlChar* name, int, const xmlChar*, const xmlChar*, xmlChar*)
    {
        self(ctx)->fail(XmlPushParser::Failure::Forbidden,
                        QStringLiteral("reply declares an entity (%1)").arg(QString::fromUtf8(name)));
    }

    static xmlEntityPtr getEntity(void* ctx, const xmlChar* name)
    {
        // Only reached for non-predefined entities, which a SOAP reply cannot declare.
        self(ctx)->fail(XmlPushParser::Failure::Forbidden,
                        QStringLiteral("reply references an undeclared entity (%1)").arg(QString::fromUtf8(name)));
        return nullptr;
    }

    static void structuredError(void* ctx, xmlErrorPtr error)
    {
        if (!error || error->level < XML_ERR_ERROR)
            return;
        XmlPushParser* p = self(ctx);
        QString message = QString::fromUtf8(error->message ? error->message : "XML error").trimmed();
        p->fail(XmlPushParser::Failure::Malformed, QStringLiteral("line %1: %2").arg(error->line).arg(message));
    }
};

XmlPushParser::XmlPushParser(XmlEventHandler& handler) : m_handler(handler)
{
    initLibxml();
    create();
}

XmlPushParser::~XmlPushParser()
{
    destroy();
}

void XmlPushParser::create()
{
    xmlSAXHandler sax;
    std::memset(&sax, 0, sizeof sax);
    sax.initialized = XML_SAX2_MAGIC;
    sax.startElementNs = &XmlPushParserCallbacks::startElement;
    sax.endElementNs = &XmlPushParserCallbacks::endElement;
    sax.characters = &XmlPushParserCallbacks::characters;
    sax.cdataBlock = &XmlPushParserCallbacks::characters;
    sax.internalSubset = &XmlPushParserCallbacks::internalSubset;
    sax.externalSubset = &XmlPushParserCallbacks::internalSubset;
    sax.entityDecl = &XmlPushParserCallbacks::entityDecl;
    sax.getEntity = &XmlPushParserCallbacks::getEntity;
    sax.getParameterEntity = &XmlPushParserCallbacks::getEntity;
    sax.serror = &XmlPushParserCallbacks::structuredError;

    m_ctxt = xmlCreatePushParserCtxt(&sax, nullptr, nullptr, 0, nullptr);
    if (!m_ctxt) {
        fail(Failure::Malformed, QStringLiteral("cannot create an XML parser"));
        return;
    }
    m_ctxt->_private = this;
    // SAX callbacks receive the parser context (user data = the context itself).
    m_ctxt->userData = m_ctxt;
    // Deliberately only NONET: no NOENT, DTDLOAD, DTDATTR, DTDVALID, XINCLUDE or HUGE.
    xmlCtxtUseOptions(m_ctxt, XML_PARSE_NONET);
}

void XmlPushParser::destroy()
{
    if (m_ctxt) {
        xmlFreeParserCtxt(m_ctxt);
        m_ctxt = nullptr;
    }
}

void XmlPushParser::restart()
{
    destroy();
    m_failure = Failure::None;
    m_error.clear();
    m_started = false;
    m_finished = false;
    create();
}

void XmlPushParser::fail(Failure failure, const QString& message)
{
    if (m_failure == Failure::None) {
        m_failure = failure;
        m_error = message.isEmpty() ? QStringLiteral("invalid XML") : message;
    }
    if (m_ctxt)
        xmlStopParser(m_ctxt);
}

bool XmlPushParser::checkContext()
{
    if (m_failure != Failure::None)
        return false;
    if (m_ctxt && !m_ctxt->wellFormed) {
        fail(Failure::Malformed, QStringLiteral("reply is not well-formed XML"));
        return false;
    }
    return true;
}

bool XmlPushParser::feed(const char* data, qsizetype size)
{
    if (m_failure != Failure::None || !m_ctxt)
        return false;
    if (m_finished) {
        fail(Failure::Malformed, QStringLiteral("data after the end of the document"));
        return false;
    }
    constexpr qsizetype kSlice = 1 << 20; // xmlParseChunk takes an int
    while (size > 0) {
        const int n = int(std::min(size, kSlice));
        m_started = true;
        const int rc = xmlParseChunk(m_ctxt, data, n, 0);
        if (rc != 0 && m_failure == Failure::None)
            fail(Failure::Malformed, QStringLiteral("XML error %1").arg(rc));
        if (!checkContext())
            return false;
        data += n;
        size -= n;
    }
    return true;
}

bool XmlPushParser::finish()
{
    if (m_failure != Failure::None || !m_ctxt)
        return false;
    m_finished = true;
    const int rc = xmlParseChunk(m_ctxt, nullptr, 0, 1);
    if (rc != 0 && m_failure == Failure::None)
        fail(Failure::Malformed, m_started ? QStringLiteral("reply ends before the document is complete")
                                           : QStringLiteral("reply is empty"));
    return checkContext();
}

} // namespace dcm::vsphere
