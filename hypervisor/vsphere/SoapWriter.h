#pragma once

#include "MoRef.h"

#include <QByteArray>
#include <QString>

namespace dcm::vsphere {

// Writes one vim25 request envelope. Element names are trusted literals; text is always escaped.
class SoapWriter
{
public:
    explicit SoapWriter(const char* method);

    SoapWriter& open(const char* element, const char* xsiType = nullptr);
    SoapWriter& close(const char* element);
    SoapWriter& text(const char* element, const QString& value, const char* xsiType = nullptr);
    SoapWriter& number(const char* element, qint64 value);
    SoapWriter& boolean(const char* element, bool value);
    SoapWriter& moref(const char* element, const MoRef& ref);
    // Appends an already-written fragment (built with a SoapWriter::fragment()).
    SoapWriter& raw(const QByteArray& xml);

    QByteArray finish();

    // A writer for a fragment without the envelope (nested structures built separately).
    static SoapWriter fragment();
    QByteArray take() { return std::move(m_out); }

    static void appendEscaped(QByteArray& out, const QString& value);

private:
    SoapWriter() = default;
    QByteArray m_out;
    QByteArray m_method;
};

} // namespace dcm::vsphere
