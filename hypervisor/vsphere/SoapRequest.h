#pragma once

#include <QByteArray>

namespace dcm::vsphere {

// One vim25 call as it goes on the wire.
struct SoapRequest
{
    QByteArray method; // "RetrievePropertiesEx"
    QByteArray body;   // the whole envelope
    QByteArray trace;  // the envelope with secrets redacted, for the debug trace; empty = body is safe
    // False for calls that change the inventory (CreateVM_Task, PowerOnVM_Task): a reply lost after the
    // request may have reached vCenter makes the outcome unknown, and the request is never re-sent.
    bool idempotent = true;

    QByteArray responseElement() const { return method + "Response"; }
    const QByteArray& traceBody() const { return trace.isEmpty() ? body : trace; }
};

} // namespace dcm::vsphere
