#pragma once

#include "ReturnValueReader.h"
#include "TypedOperation.h"

#include <QDateTime>

namespace dcm::vsphere {

// probe(): the breaker's scout, CurrentTime — cheap, repeatable, and it proves the session works.
class ProbeOperation final : public TypedOperation<QDateTime>
{
public:
    using TypedOperation::TypedOperation;
    void start() override;

    // xsd:dateTime as vCenter writes it ("2024-05-01T10:00:00.123456Z", "…+02:00").
    static QDateTime parseDateTime(const QString& text);

private:
    ReturnValueReader m_reader;
};

} // namespace dcm::vsphere
