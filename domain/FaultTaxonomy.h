#pragma once

#include "domain/Error.h"

#include <QList>
#include <QString>
#include <QStringView>

namespace dcm {

// One classification of everything that can go wrong talking to a hypervisor. The adapter turns what it
// saw into an ErrorKind with these functions; the breaker, the retry policy and the service decide on
// the kind alone, never on message text.
class FaultTaxonomy
{
public:
    struct VimFaultClass
    {
        const char* faultType;
        ErrorKind kind;
    };

    // A vim fault type name as the SOAP fault names it: "InvalidLogin", its detail element
    // "InvalidLoginFault", or prefixed ("vim25:InvalidLogin", "vim.fault.InvalidLogin").
    // Unknown names are Business (see the .cpp for why); an empty name (a fault without a type) is a
    // malformed reply and therefore Transient.
    static ErrorKind classifyVimFault(QStringView faultType);
    // An HTTP status that came without a SOAP fault in the body.
    static ErrorKind classifyHttpStatus(int status);

    // Failures that say the hypervisor is unreachable or unwell; only these move the breaker.
    static bool countsForBreaker(ErrorKind kind);
    // Worth trying again automatically (after a backoff; OutcomeUnknown only after reconciling;
    // SessionExpired once, after a re-login).
    static bool isRetryable(ErrorKind kind);
    // The hypervisor answered, so it is up, even though the call failed: a scout that ends like this
    // closes the breaker (the failure is then for the operator, not for the breaker).
    static bool provesHypervisorReachable(ErrorKind kind);

    // The explicit table, for tests and the admin documentation.
    static const QList<VimFaultClass>& knownVimFaults();
};

} // namespace dcm
