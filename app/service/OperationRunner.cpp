#include "app/service/OperationRunner.h"

#include "app/service/QueueDrainer.h"
#include "domain/RequestEventText.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcOps, "dcm.app.operations", QtInfoMsg)

namespace dcm {

namespace {

using Clock = std::chrono::steady_clock;
using Step = OutcomeDecision::Step;
using Action = OperationStep::Action;
namespace Why = RequestEventText;

QString describe(const Error& e)
{
    return e.vimFault.isEmpty() ? e.message : QStringLiteral("%1: %2").arg(e.vimFault, e.message);
}

QString vmShown(const ProvisioningRequest& r)
{
    return r.target().vmName.isEmpty() ? r.target().vmRef : r.target().vmName;
}

bool unfinished(RequestState s)
{
    return s == RequestState::Submitted || s == RequestState::QueuedForProvisioning ||
           s == RequestState::Provisioning || s == RequestState::Reconciling;
}

} // namespace

OperationRunner::OperationRunner(QueueDrainer& drainer, CircuitBreaker& breaker, ConnectionManager& connection,
                                 const ClockPort& clock, const RetryPolicy& retry, QObject* parent)
    : QObject(parent), m_drainer(drainer), m_breaker(breaker), m_connection(connection), m_clock(clock), m_policy(retry)
{}

void OperationRunner::attach(HypervisorPort* hypervisor, RequestStorePort* store)
{
    m_hypervisor = hypervisor;
    m_store = store;
}

std::optional<ProvisioningRequest> OperationRunner::earlierOnSameVm(const ProvisioningRequest& request,
                                                                    bool justSubmitted) const
{
    RequestFilter open;
    open.states = {RequestState::Submitted, RequestState::QueuedForProvisioning, RequestState::Provisioning,
                   RequestState::Reconciling};
    auto listed = m_store->list(open);
    if (!listed.ok())
        return std::nullopt;
    std::optional<ProvisioningRequest> earliest;
    for (const ProvisioningRequest& other : std::as_const(listed.value())) {
        if (other.id() == request.id() || !other.isOperation() || !unfinished(other.state()) ||
            !other.target().sameVm(request.target()))
            continue;
        // One that runs is waited for whatever its age; of two that wait, the older goes first (two
        // created in the same millisecond by their ids, so that every service picks the same one).
        const bool running = other.state() == RequestState::Provisioning || other.state() == RequestState::Reconciling;
        const bool older = justSubmitted || running || other.createdAt() < request.createdAt() ||
                           (other.createdAt() == request.createdAt() && other.id() < request.id());
        if (older && (!earliest || other.createdAt() < earliest->createdAt()))
            earliest = other;
    }
    return earliest;
}

QDateTime OperationRunner::newestOnSameVm(const OperationTarget& target) const
{
    RequestFilter open;
    open.states = {RequestState::Submitted, RequestState::QueuedForProvisioning, RequestState::Provisioning,
                   RequestState::Reconciling};
    auto listed = m_store->list(open);
    QDateTime newest;
    if (!listed.ok())
        return newest;
    for (const ProvisioningRequest& other : std::as_const(listed.value()))
        if (other.isOperation() && other.target().sameVm(target) && (!newest.isValid() || other.createdAt() > newest))
            newest = other.createdAt();
    return newest;
}

OperationRunner::Running& OperationRunner::track(const ProvisioningRequest& request)
{
    auto it = m_running.find(request.id());
    if (it == m_running.end())
        it = m_running.insert(request.id(), Running{request, request.target().vmRef, {}, false, {}, {}});
    it->request = request;
    // The drainer's in-flight list keeps the lease renewed and counts the operation against the
    // drain's concurrency.
    auto flight = m_drainer.m_inFlight.find(request.id());
    if (flight == m_drainer.m_inFlight.end())
        m_drainer.m_inFlight.insert(request.id(), QueueDrainer::InFlight{request, 0, false, std::nullopt});
    else
        flight->request = request;
    return *it;
}

bool OperationRunner::write(Running& running, RequestState expected)
{
    if (!m_drainer.store(running.request, expected))
        return false;
    if (auto flight = m_drainer.m_inFlight.find(running.request.id()); flight != m_drainer.m_inFlight.end())
        flight->request = running.request;
    return true;
}

bool OperationRunner::startClaimed(ProvisioningRequest request)
{
    if (earlierOnSameVm(request)) {
        start(request, BreakerPermit{}); // parks it: no permit is asked for
        return true;
    }
    const BreakerPermit permit = m_breaker.tryAcquire();
    if (!permit.isAllowed() || permit.isScout()) {
        if (permit.isScout())
            m_connection.scout(permit);
        m_drainer.release(request.id());
        return false;
    }
    start(request, permit);
    return true;
}

void OperationRunner::start(ProvisioningRequest request, const BreakerPermit& permit)
{
    const RequestState expected = request.state();
    const QDateTime now = m_clock.utcNow();
    if (const auto earlier = earlierOnSameVm(request)) {
        if (permit.isAllowed())
            m_breaker.onFailure(permit, Error::make(ErrorKind::Cancelled, QStringLiteral("not-sent"),
                                                    QStringLiteral("the operation waits for an earlier one")));
        const QString earlierId = earlier->id().toString(QUuid::WithoutBraces);
        if (expected == RequestState::Submitted) {
            m_drainer.queue(request, expected, Why::reason(Why::kWaitsForEarlier, {earlierId}), std::nullopt,
                            orderRecheck);
            return;
        }
        // Already queued (and said why): only look again later.
        request.setNextAttemptAt(now.addSecs(orderRecheck.count()));
        m_drainer.store(request, expected);
        m_drainer.release(request.id());
        return;
    }
    if (!request
             .transitionTo(RequestState::Provisioning,
                           Why::reason(Why::kOperationStarted, {operationVerb(request.kind()), vmShown(request)}), now)
             .ok()) {
        if (permit.isAllowed())
            m_breaker.onFailure(permit, Error::make(ErrorKind::Cancelled, QStringLiteral("not-sent"),
                                                    QStringLiteral("the operation could not start")));
        m_drainer.release(request.id());
        return;
    }
    Running& running = track(request);
    if (!write(running, expected)) {
        if (permit.isAllowed())
            m_breaker.onFailure(permit, Error::make(ErrorKind::Storage, QStringLiteral("not-sent"),
                                                    QStringLiteral("request could not be stored; nothing sent")));
        m_running.remove(request.id());
        m_drainer.release(request.id());
        return;
    }
    if (!permit.isAllowed() || permit.isScout()) {
        if (permit.isScout())
            m_connection.scout(permit);
        return queue(request.id(), Why::reason(Why::kOfflineWillLook), std::nullopt, std::chrono::milliseconds(0));
    }
    readVm(request.id(), permit);
}

void OperationRunner::resume(ProvisioningRequest request)
{
    track(request);
    if (m_connection.needsOperator())
        return queue(request.id(), Why::reason(Why::kOperatorWillLook), std::nullopt, std::chrono::milliseconds(0));
    if (const auto permit = permitOrQueue(request.id()))
        readVm(request.id(), *permit);
}

std::optional<BreakerPermit> OperationRunner::permitOrQueue(const QUuid& id)
{
    const BreakerPermit permit = m_breaker.tryAcquire();
    if (permit.isAllowed() && !permit.isScout())
        return permit;
    if (permit.isScout())
        m_connection.scout(permit);
    queue(id, Why::reason(Why::kOfflineWillLook), std::nullopt, std::chrono::milliseconds(0));
    return std::nullopt;
}

void OperationRunner::queue(const QUuid& id, const EventReason& reason, std::optional<Error> cause,
                            std::chrono::milliseconds delay)
{
    auto it = m_running.find(id);
    if (it == m_running.end())
        return;
    const ProvisioningRequest request = it->request;
    m_running.erase(it);
    m_drainer.queue(request, request.state(), reason, std::move(cause), delay);
}

void OperationRunner::readVm(const QUuid& id, const BreakerPermit& permit)
{
    auto it = m_running.find(id);
    if (it == m_running.end())
        return;
    it->busy = true;
    const OperationTarget& target = it->request.target();
    const auto started = m_clock.monotonicNow();
    auto answer = [this, id, permit, started](Result<std::optional<VmState>> result) {
        onRead(id, permit, started, std::move(result));
    };
    // Ours is found by its request key, never by name; in admin mode the VM chosen is read by moref.
    if (!target.requestId.isNull() && !target.isAdmin())
        m_hypervisor->readStateByKey(target.requestId, std::move(answer));
    else
        m_hypervisor->readState(it->vmRef, std::move(answer));
}

void OperationRunner::onRead(const QUuid& id, const BreakerPermit& permit, Clock::time_point started,
                             Result<std::optional<VmState>> result)
{
    m_connection.noteCall(permit, started, result.ok() ? nullptr : &result.error());
    auto it = m_running.find(id);
    if (it == m_running.end())
        return;
    it->busy = false;
    if (!result.ok())
        return failed(id, result.error(), true);
    if (result.value() && !result.value()->vm.ref.isEmpty()) {
        it->vmRef = result.value()->vm.ref;
        it->vmKey = result.value()->requestId;
    }
    act(id, OperationPlan::next(it->request, result.value(), m_clock.utcNow()));
}

void OperationRunner::act(const QUuid& id, const OperationStep& step)
{
    auto it = m_running.find(id);
    if (it == m_running.end())
        return;
    switch (step.action) {
    case Action::Done:
        return done(id, step.reason);
    case Action::Fail: {
        const ProvisioningRequest request = it->request;
        m_running.erase(it);
        return m_drainer.fail(request, request.state(), Why::reason(Why::kFailed, {describe(*step.failure)}),
                              *step.failure);
    }
    case Action::Send:
        return send(id, step.operation);
    case Action::WaitForGuest:
        return waitForGuest(id, step.waitUntil);
    case Action::ReadAgain:
        if (const auto permit = permitOrQueue(id))
            readVm(id, *permit);
        return;
    }
}

void OperationRunner::send(const QUuid& id, VmOperation operation)
{
    const auto permit = permitOrQueue(id);
    if (!permit)
        return;
    Running& running = m_running[id];
    const RequestState expected = running.request.state();
    const QDateTime now = m_clock.utcNow();
    if (expected != RequestState::Provisioning &&
        !running.request
             .transitionTo(
                 RequestState::Provisioning,
                 Why::reason(Why::kOperationSent, {OperationPlan::callName(operation), vmShown(running.request)}), now)
             .ok()) {
        m_breaker.onFailure(*permit, Error::make(ErrorKind::Cancelled, QStringLiteral("not-sent"),
                                                 QStringLiteral("the operation could not move on")));
        return;
    }
    // Written before it goes out: whatever happens next, the next reader knows it may have been sent.
    running.request.setOperationSent(OperationPlan::name(operation), now);
    if (!write(running, expected)) {
        m_breaker.onFailure(*permit, Error::make(ErrorKind::Storage, QStringLiteral("not-sent"),
                                                 QStringLiteral("request could not be stored; nothing sent")));
        m_running.remove(id);
        m_drainer.settle(id);
        return;
    }
    running.busy = true;
    running.waitUntil = QDateTime();
    const auto started = m_clock.monotonicNow();
    qCInfo(lcOps) << "operation" << id << "sends" << OperationPlan::callName(operation) << "to" << running.vmRef;
    const CallId call = m_hypervisor->operate(running.vmRef, operation,
                                              [this, id, operation, permit = *permit, started](Result<void> r) {
                                                  onSent(id, operation, permit, started, std::move(r));
                                              });
    if (auto flight = m_drainer.m_inFlight.find(id); flight != m_drainer.m_inFlight.end())
        flight->call = call;
}

void OperationRunner::onSent(const QUuid& id, VmOperation operation, const BreakerPermit& permit,
                             Clock::time_point started, Result<void> result)
{
    m_connection.noteCall(permit, started, result.ok() ? nullptr : &result.error());
    auto it = m_running.find(id);
    if (it == m_running.end())
        return;
    it->busy = false;
    if (auto flight = m_drainer.m_inFlight.find(id); flight != m_drainer.m_inFlight.end())
        flight->call = 0;
    if (!result.ok())
        return failed(id, result.error(), false);
    act(id, OperationPlan::afterSent(it->request, operation, m_clock.utcNow()));
}

void OperationRunner::failed(const QUuid& id, const Error& e, bool wasRead)
{
    Running& running = m_running[id];
    ProvisioningRequest& request = running.request;
    qCInfo(lcOps) << "operation" << id << (wasRead ? "could not read its VM:" : "call failed:") << describe(e);
    const OutcomeDecision decision =
        wasRead ? m_policy.afterLookupFailed(e, request.attempts()) : m_policy.afterSendFailed(e, request.attempts());
    if (!wasRead && decision.step != Step::Reconcile && decision.step != Step::Abandon &&
        decision.step != Step::WaitForOperator)
        request.setOperationSent(QString(), QDateTime()); // refused before it did anything
    switch (decision.step) {
    case Step::Requeue:
    case Step::Resend:
        return queue(id, Why::reason(wasRead ? Why::kLookupFailed : Why::kTransientFailure, {describe(e)}), e,
                     decision.delay);
    case Step::WaitForOperator:
        return queue(id,
                     e.details.value(QStringLiteral("outcomePending")).toBool() || !wasRead
                         ? Why::reason(Why::kOutcomePending, {describe(e)})
                         : Why::reason(Why::kWaitingForOperator, {describe(e)}),
                     e, std::chrono::milliseconds(0));
    case Step::Reconcile: {
        // The call may have gone through: read the VM before anything is sent again.
        const RequestState expected = request.state();
        if (!request
                 .transitionTo(RequestState::Reconciling, Why::reason(Why::kNoAnswer, {describe(e)}), m_clock.utcNow(),
                               e)
                 .ok() ||
            !write(running, expected)) {
            m_running.remove(id);
            m_drainer.m_inFlight.remove(id);
            return;
        }
        if (const auto permit = permitOrQueue(id))
            readVm(id, *permit);
        return;
    }
    case Step::Abandon:
        m_running.remove(id);
        m_drainer.m_inFlight.remove(id);
        m_drainer.notifyIfIdle();
        return;
    case Step::Fail: {
        const ProvisioningRequest copy = request;
        m_running.remove(id);
        return m_drainer.fail(copy, copy.state(),
                              Why::reason(Why::kFailed, {e.is(ErrorCode::GaveUp) ? e.message : describe(e)}),
                              decision.failure.value_or(e));
    }
    }
}

void OperationRunner::waitForGuest(const QUuid& id, const QDateTime& until)
{
    Running& running = m_running[id];
    const QDateTime now = m_clock.utcNow();
    if (running.request.state() == RequestState::Provisioning) {
        const EventReason why =
            Why::reason(Why::kGuestShutdownWaiting,
                        {vmShown(running.request), QString::number(running.request.target().guestTimeoutSeconds),
                         until.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"))});
        if (!running.request.transitionTo(RequestState::Reconciling, why, now).ok() ||
            !write(running, RequestState::Provisioning)) {
            m_running.remove(id);
            m_drainer.m_inFlight.remove(id);
            return;
        }
    }
    running.waitUntil = until;
    running.nextPollAt = std::min(now.addSecs(guestPollInterval.count()), until);
}

void OperationRunner::poll()
{
    const QDateTime now = m_clock.utcNow();
    const QList<QUuid> ids = m_running.keys();
    for (const QUuid& id : ids) {
        auto it = m_running.find(id);
        if (it == m_running.end() || it->busy || !it->waitUntil.isValid() || now < it->nextPollAt)
            continue;
        const BreakerPermit permit = m_breaker.tryAcquire();
        if (!permit.isAllowed() || permit.isScout()) {
            // vCenter is away: the guest keeps its time; the state is read once the breaker closes.
            if (permit.isScout())
                m_connection.scout(permit);
            return;
        }
        readVm(id, permit);
    }
}

void OperationRunner::done(const QUuid& id, const EventReason& reason)
{
    Running& running = m_running[id];
    ProvisioningRequest request = running.request;
    const QString vmKey =
        running.vmKey.isEmpty() ? request.target().requestId.toString(QUuid::WithoutBraces) : running.vmKey;
    const RequestState expected = request.state();
    request.setLastError(std::nullopt);
    if (!running.vmRef.isEmpty())
        request.setVmRef(running.vmRef);
    m_running.remove(id);
    if (request.transitionTo(RequestState::Provisioned, reason, m_clock.utcNow()).ok() &&
        m_drainer.store(request, expected)) {
        if (request.kind() == RequestKind::Decommission)
            markDecommissioned(request, vmKey);
        Q_EMIT m_drainer.requestSettled(request);
    }
    m_drainer.settle(id);
}

void OperationRunner::markDecommissioned(const ProvisioningRequest& operation, const QString& vmKey)
{
    const QUuid provisioningId = QUuid::fromString(vmKey);
    if (provisioningId.isNull())
        return; // an admin's VM that was never ours
    auto found = m_store->get(provisioningId);
    if (!found.ok() || !found.value() || found.value()->isOperation())
        return;
    ProvisioningRequest provisioned = *found.value();
    provisioned.setDecommissioned(operation.updatedAt(), operation.requestedBy());
    m_drainer.store(provisioned, provisioned.state());
}

} // namespace dcm
