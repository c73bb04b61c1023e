#pragma once

#include <QString>

#include <QtGlobal>

struct _xmlParserCtxt;

namespace dcm::vsphere {

class XmlEventHandler;

// libxml2's SAX2 push parser, hardened for replies from a server we do not fully trust. Fed chunk by
// chunk as the bytes arrive, it never holds the document: only the handler decides what to keep.
// - A DOCTYPE is refused (SOAP 1.1 forbids one); so is any entity declaration.
// - Never XML_PARSE_NOENT, DTDLOAD or HUGE: libxml2 2.9.14 has no XXE switch and no amplification
//   limit, and those flags let billion-laughs and file:// entities through.
// - No network access; libxml2's own limits (depth 256, 10 MB text nodes) stay in force.
class XmlPushParser
{
public:
    enum class Failure
    {
        None,
        Malformed, // not well-formed, truncated, empty
        Forbidden, // DOCTYPE or entity declaration
        Rejected,  // the handler refused what it saw (wrong namespace, unexpected element, ...)
    };

    explicit XmlPushParser(XmlEventHandler& handler);
    ~XmlPushParser();
    XmlPushParser(const XmlPushParser&) = delete;
    XmlPushParser& operator=(const XmlPushParser&) = delete;

    // Feeds the next bytes. False once the parse has failed; failure() and errorMessage() say why.
    bool feed(const char* data, qsizetype size);
    // The input is complete. False if the document is not a complete, well-formed one.
    bool finish();
    // Starts over for a new document with the same handler (the handler is not reset here).
    void restart();

    Failure failure() const { return m_failure; }
    QString errorMessage() const { return m_error; }
    bool started() const { return m_started; }

private:
    friend struct XmlPushParserCallbacks;

    void create();
    void destroy();
    void fail(Failure failure, const QString& message);
    bool checkContext();

    XmlEventHandler& m_handler;
    _xmlParserCtxt* m_ctxt = nullptr;
    Failure m_failure = Failure::None;
    QString m_error;
    bool m_started = false;
    bool m_finished = false;
};

} // namespace dcm::vsphere
