#include "domain/OutcomePolicy.h"

#include "domain/FaultTaxonomy.h"

namespace dcm {

namespace {

using Step = OutcomeDecision::Step;

OutcomeDecision decide(Step step, std::chrono::milliseconds delay = {}, std::optional<Error> failure = {})
{
    return OutcomeDecision{step, delay, std::move(failure)};
}

} // namespace

bool OutcomePolicy::needsOperator(const Error& e)
{
    // NoPermission on one object is that request's problem; refused on the login, it is everybody's.
    return e.kind == ErrorKind::Trust || e.kind == ErrorKind::Authentication || e.is(ErrorCode::LoginRefused);
}

OutcomeDecision OutcomePolicy::afterSendFailed(const Error& e, int attempts) const
{
    if (needsOperator(e))
        return decide(Step::WaitForOperator);
    switch (e.kind) {
    case ErrorKind::Transient:
    case ErrorKind::SessionExpired:
        if (m_retry.shouldGiveUp(attempts))
            return decide(Step::Fail, {}, RetryPolicy::gaveUpError(attempts, e));
        return decide(Step::Requeue, m_retry.nextDelay(attempts));
    case ErrorKind::OutcomeUnknown:
        return decide(Step::Reconcile);
    case ErrorKind::Cancelled:
        return decide(Step::Abandon);
    case ErrorKind::Business:
        // An earlier attempt of ours may have taken the name: look before calling it a failure.
        if (e.is(ErrorCode::DuplicateName) && attempts > 1)
            return decide(Step::Reconcile);
        return decide(Step::Fail, {}, e);
    default:
        return decide(Step::Fail, {}, e);
    }
}

OutcomeDecision OutcomePolicy::afterLookupFailed(const Error& e, int attempts) const
{
    if (needsOperator(e))
        return decide(Step::WaitForOperator);
    if (m_retry.shouldGiveUp(attempts) && !FaultTaxonomy::isRetryable(e.kind))
        return decide(Step::Fail, {}, e);
    return decide(Step::Requeue, m_retry.nextDelay(std::max(1, attempts)));
}

OutcomeDecision OutcomePolicy::afterNothingFound(int attempts, const std::optional<Error>& duplicateName,
                                                 const std::optional<Error>& lastError) const
{
    if (duplicateName)
        return decide(Step::Fail, {}, *duplicateName); // the name belongs to a VM that is not ours
    if (m_retry.shouldGiveUp(attempts)) {
        const Error cause = lastError.value_or(
            Error::make(ErrorKind::Transient, QStringLiteral("unknown"), QStringLiteral("no VM was created")));
        return decide(Step::Fail, {}, RetryPolicy::gaveUpError(attempts, cause));
    }
    return decide(Step::Resend);
}

} // namespace dcm
