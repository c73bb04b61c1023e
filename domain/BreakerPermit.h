#pragma once

#include <QtGlobal>

namespace dcm {

// The breaker's answer to "may I call?". A few bytes, trivially copyable: deciding allocates nothing.
// Report every allowed permit exactly once, with onSuccess or onFailure.
class BreakerPermit
{
public:
    enum class Kind : quint8
    {
        Rejected, // do not call; the breaker is open (queue the work)
        Call,     // a normal call
        Scout,    // this call decides whether the hypervisor is back: send the cheap, repeatable probe
                  // with it (never a provisioning call) and keep any work queued until it reports
    };

    BreakerPermit() = default; // rejected

    Kind kind() const { return m_kind; }
    bool isAllowed() const { return m_kind != Kind::Rejected; }
    bool isScout() const { return m_kind == Kind::Scout; }
    bool isRejected() const { return m_kind == Kind::Rejected; }

private:
    friend class CircuitBreaker;
    BreakerPermit(Kind kind, quint64 epoch) : m_kind(kind), m_epoch(epoch) {}

    Kind m_kind = Kind::Rejected;
    quint64 m_epoch = 0; // the breaker state it was granted in; late reports from older states are stale
};

} // namespace dcm
