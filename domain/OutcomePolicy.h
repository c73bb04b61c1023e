#pragma once

#include "domain/Error.h"
#include "domain/RetryPolicy.h"

#include <chrono>
#include <optional>

namespace dcm {

// What happens to a request after a call about it failed, decided from the failure alone: pure, no I/O,
// no clock (the delay comes from the retry policy's jitter). The service carries the decision out.
struct OutcomeDecision
{
    enum class Step
    {
        Requeue,         // back to the queue, due after `delay`
        Reconcile,       // it may exist: look it up by its request key before anything is sent again
        Resend,          // nothing carries its key: sending again is safe
        Fail,            // FAILED with `failure` (a give-up wraps the last cause)
        WaitForOperator, // credentials or trust: queued, due now, but nothing moves until the operator acts
        Abandon,         // our own shutdown cancelled the call: leave it; its lease lapses and is taken over
    };
    Step step = Step::Fail;
    std::chrono::milliseconds delay{0};
    std::optional<Error> failure;

    friend bool operator==(const OutcomeDecision&, const OutcomeDecision&) = default;
};

class OutcomePolicy
{
public:
    explicit OutcomePolicy(const RetryPolicy& retry) : m_retry(retry) {}

    // A provisioning call failed after `attempts` attempts (this one included).
    OutcomeDecision afterSendFailed(const Error& e, int attempts) const;
    // Looking the request's VM up by its key failed.
    OutcomeDecision afterLookupFailed(const Error& e, int attempts) const;
    // The lookup found no VM with the key. `duplicateName` is the DuplicateName answer that sent the
    // request to look (the name is taken by a VM that is not ours); `lastError` the request's last one.
    OutcomeDecision afterNothingFound(int attempts, const std::optional<Error>& duplicateName,
                                      const std::optional<Error>& lastError) const;

    // Credentials or trust: the connection waits for the operator, whatever call met it.
    static bool needsOperator(const Error& e);

private:
    const RetryPolicy& m_retry;
};

} // namespace dcm
