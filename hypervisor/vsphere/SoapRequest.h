#pragma once

#include <QByteArray>

#include <chrono>

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
    // Added to the connection's call timeout: a long poll (WaitForUpdatesEx) is held by the server for
    // up to its own wait on purpose, and must not time out before the server answers.
    std::chrono::milliseconds extraTimeout{0};

    QByteArray responseElement() const { return method + "Response"; }
    const QByteArray& traceBody() const { return trace.isEmpty() ? body : trace; }
};

} // namespace dcm::vsphere
