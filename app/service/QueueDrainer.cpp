#include "app/service/QueueDrainer.h"

#include "domain/RequestEventText.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcDrain, "dcm.app.drain", QtInfoMsg)

namespace dcm {

namespace {

using Clock = std::chrono::steady_clock;
using Step = OutcomeDecision::Step;
namespace Why = RequestEventText;

bool wasSentBefore(const ProvisioningRequest& request)
{
    const QList<RequestEvent>& history = request.history();
    return std::any_of(history.cbegin(), history.cend(),
                       [](const RequestEvent& e) { return e.to == RequestState::Provisioning; });
}

QString describe(const Error& e)
{
    return e.vimFault.isEmpty() ? e.message : QStringLiteral("%1: %2").arg(e.vimFault, e.message);
}

// The history's words for a failure: a give-up already says what it gave up on.
QString failureReason(const Error& e)
{
    return e.is(ErrorCode::GaveUp) ? e.message : describe(e);
}

} // namespace

QueueDrainer::QueueDrainer(CircuitBreaker& breaker, ConnectionManager& connection, InventoryCache& inventory,
                           const ClockPort& clock, const ServiceConfig& config, QString owner, const RetryPolicy& retry,
                           QObject* parent)
    : QObject(parent), m_breaker(breaker), m_connection(connection), m_inventory(inventory), m_clock(clock),
      m_config(config), m_owner(std::move(owner)), m_policy(retry),
      m_operations(new OperationRunner(*this, breaker, connection, clock, retry, this))
{}

void QueueDrainer::attach(HypervisorPort* hypervisor, RequestStorePort* store)
{
    m_hypervisor = hypervisor;
    m_store = store;
    m_operations->attach(hypervisor, store);
}

QDateTime QueueDrainer::leaseUntil() const
{
    return m_clock.utcNow().addMSecs(m_config.leaseDuration.count());
}

bool QueueDrainer::setPaused(bool paused)
{
    if (m_paused == paused)
        return false;
    m_paused = paused;
    if (!paused)
        scheduleDrain();
    return true;
}

bool QueueDrainer::isSending(const QUuid& id) const
{
    const auto it = m_inFlight.constFind(id);
    return it != m_inFlight.cend() && it->call != 0;
}

// ---- the store's words ----

void QueueDrainer::publish(const ProvisioningRequest& request)
{
    Q_EMIT requestChanged(request);
}

void QueueDrainer::publishQueueDepth()
{
    if (!m_store)
        return;
    auto counts = m_store->countByState();
    if (!counts.ok())
        return reportStorageError(counts.error());
    // Waiting for a service: queued ones, and those `dcmctl submit` left for whoever drains.
    const int depth =
        counts.value().value(RequestState::QueuedForProvisioning) + counts.value().value(RequestState::Submitted);
    if (depth != m_lastQueueDepth) {
        m_lastQueueDepth = depth;
        Q_EMIT queueDepthChanged(depth);
    }
}

void QueueDrainer::reportStorageError(const Error& error)
{
    qCWarning(lcDrain) << "request store:" << error.message;
    Q_EMIT storageFailed(error);
}

bool QueueDrainer::store(ProvisioningRequest& request, RequestState expected)
{
    auto written = m_store->update(request, expected);
    if (!written.ok()) {
        if (written.error().is(ErrorCode::Conflict)) {
            // Someone else (an operator's cancel, another service) moved it first: theirs stands.
            qCInfo(lcDrain) << "request" << request.id() << "moved meanwhile; keeping the stored state";
            if (auto current = m_store->get(request.id()); current.ok() && current.value())
                publish(*current.value());
        } else {
            reportStorageError(written.error());
        }
        return false;
    }
    publish(request);
    return true;
}

bool QueueDrainer::storeAndRelease(ProvisioningRequest& request, RequestState expected, Durability durability)
{
    auto written = m_store->updateAndRelease(request, expected, m_owner, durability);
    if (written.ok()) {
        publish(request);
        return true;
    }
    if (written.error().is(ErrorCode::Conflict)) {
        qCInfo(lcDrain) << "request" << request.id() << "moved meanwhile; keeping the stored state";
        if (auto current = m_store->get(request.id()); current.ok() && current.value())
            publish(*current.value());
    } else {
        reportStorageError(written.error());
    }
    // Nothing was written, the lease included: give it up on its own (a commit only on this rare path).
    (void)m_store->releaseClaim(request.id(), m_owner);
    return false;
}

// ---- sending and its answers ----

void QueueDrainer::release(const QUuid& id)
{
    (void)m_store->releaseClaim(id, m_owner);
    m_inFlight.remove(id);
}

void QueueDrainer::dispatch(ProvisioningRequest request, const BreakerPermit& permit)
{
    const RequestState expected = request.state();
    if (auto moved = request.transitionTo(RequestState::Provisioning, Why::reason(Why::kSent), m_clock.utcNow());
        !moved.ok()) {
        m_breaker.onFailure(permit, moved.error());
        return;
    }
    // PROVISIONING is written (synced) before the call goes out: whoever finds the request after a crash
    // knows it may have been sent and looks it up by its key instead of sending it again.
    if (!store(request, expected)) {
        // Nothing was sent: give the permit back as a failure the breaker does not count.
        m_breaker.onFailure(permit, Error::make(ErrorKind::Storage, QStringLiteral("not-sent"),
                                                QStringLiteral("request could not be stored; nothing sent")));
        release(request.id());
        return;
    }
    sendStored(std::move(request), permit);
}

void QueueDrainer::sendStored(ProvisioningRequest request, const BreakerPermit& permit)
{
    const QUuid id = request.id();
    m_inFlight.insert(id, InFlight{request, 0, false, std::nullopt});
    if (request.spec().isClone()) {
        continueClone(id, permit);
        return;
    }
    const auto started = m_clock.monotonicNow();
    const CallId call = m_hypervisor->provision(
        ProvisionOrder{id, request.spec()},
        [this, id](const ProvisionProgress& p) {
            Q_EMIT requestProgress(RequestProgress{id, p.percent, p.stage, p.taskRef});
        },
        [this, id, permit, started](Result<ProvisionOutcome> result) {
            onProvisioned(id, permit, started, std::move(result));
        });
    if (auto it = m_inFlight.find(id); it != m_inFlight.end())
        it->call = call;
}

void QueueDrainer::queue(ProvisioningRequest request, RequestState expected, const EventReason& reason,
                         std::optional<Error> cause, std::chrono::milliseconds delay)
{
    const QDateTime now = m_clock.utcNow();
    const Result<void> moved = cause ? request.transitionTo(RequestState::QueuedForProvisioning, reason, now, *cause)
                                     : request.transitionTo(RequestState::QueuedForProvisioning, reason, now);
    if (!moved.ok()) {
        qCWarning(lcDrain) << "cannot queue" << request.id() << moved.error().message;
        return;
    }
    request.setNextAttemptAt(now.addMSecs(delay.count()));
    // One commit: back in the queue and free for the next claim (ours or another drainer's).
    storeAndRelease(request, expected);
    m_inFlight.remove(request.id());
    // Its slot is free: fill it now rather than on the next tick (and tell an idle waiter).
    scheduleDrain();
}

void QueueDrainer::fail(ProvisioningRequest request, RequestState expected, const EventReason& reason,
                        const Error& cause)
{
    if (auto moved = request.transitionTo(RequestState::Failed, reason, m_clock.utcNow(), cause); !moved.ok()) {
        qCWarning(lcDrain) << "cannot fail" << request.id() << moved.error().message;
        return;
    }
    if (storeAndRelease(request, expected))
        Q_EMIT requestSettled(request);
    settleReleased(request.id());
}

void QueueDrainer::settle(const QUuid& id)
{
    release(id);
    publishQueueDepth();
    scheduleDrain();
}

void QueueDrainer::settleReleased(const QUuid& id)
{
    m_inFlight.remove(id);
    publishQueueDepth();
    scheduleDrain();
}

void QueueDrainer::onProvisioned(const QUuid& id, const BreakerPermit& permit, Clock::time_point started,
                                 Result<ProvisionOutcome> result)
{
    if (result.ok() && !result.value().readBack) {
        // Its last call failed and was counted through the gate: this permit proves nothing either way.
        m_breaker.onFailure(permit, Error::make(ErrorKind::Cancelled, QStringLiteral("counted-apart"),
                                                QStringLiteral("the VM was created; its read-back failed")));
    } else {
        m_connection.noteCall(permit, started, result.ok() ? nullptr : &result.error());
    }
    auto it = m_inFlight.find(id);
    if (it == m_inFlight.end())
        return;
    ProvisioningRequest request = it->request;

    if (result.ok()) {
        const ProvisionOutcome& outcome = result.value();
        request.setVmRef(outcome.vm.ref);
        request.setInstanceUuid(outcome.vm.instanceUuid);
        request.setTaskRef(outcome.taskRef);
        request.setLastError(std::nullopt);
        const EventReason reason =
            Why::reason(outcome.poweredOn ? Why::kCreatedPoweredOn : Why::kCreated, {outcome.vm.ref});
        if (!request.transitionTo(RequestState::Provisioned, reason, m_clock.utcNow()).ok())
            return settle(id);
        // The settling write gives the lease up in its own commit, and that commit does not wait for its
        // own sync (Durability::Relaxed). Lost in a power cut, the request is PROVISIONING with a lease
        // that lapses; whoever takes it over looks the VM up by the request key before sending anything,
        // finds this VM and records PROVISIONED — the same outcome, nothing created twice. Anything
        // written after it that is synced (an operation on this VM, the next claim) makes it durable
        // too. Only here: a failure, a cancel, a requeue, a clone step or an operation's outcome is
        // always synced.
        const Durability durability =
            request.isOperation() || request.spec().isClone() ? Durability::Synced : Durability::Relaxed;
        if (storeAndRelease(request, RequestState::Provisioning, durability))
            Q_EMIT requestSettled(request);
        settleReleased(id);
        return;
    }

    onSendFailed(id, result.error());
}

void QueueDrainer::onSendFailed(const QUuid& id, const Error& e)
{
    auto it = m_inFlight.find(id);
    if (it == m_inFlight.end())
        return;
    ProvisioningRequest request = it->request;
    qCInfo(lcDrain) << "provisioning" << id << "failed:" << toString(e.kind) << describe(e);
    const OutcomeDecision decision = m_policy.afterSendFailed(e, request.attempts());
    switch (decision.step) {
    case Step::Requeue:
        queue(request, RequestState::Provisioning, Why::reason(Why::kTransientFailure, {describe(e)}), e,
              decision.delay);
        return;
    case Step::WaitForOperator:
        // Not the request's fault: it waits for the operator to fix trust or credentials (the connection
        // has stopped). If it was sent, the next drain looks it up by its key first.
        queue(request, RequestState::Provisioning,
              e.details.value(QStringLiteral("outcomePending")).toBool()
                  ? Why::reason(Why::kOutcomePending, {describe(e)})
                  : Why::reason(Why::kWaitingForOperator, {describe(e)}),
              e, std::chrono::milliseconds(0));
        return;
    case Step::Reconcile: {
        const bool duplicate = e.is(ErrorCode::DuplicateName);
        it->reconciling = true;
        if (duplicate)
            it->duplicateName = e;
        const EventReason why = duplicate ? Why::reason(Why::kNameTaken) : Why::reason(Why::kNoAnswer, {describe(e)});
        if (request.transitionTo(RequestState::Reconciling, why, m_clock.utcNow(), e).ok() &&
            store(request, RequestState::Provisioning)) {
            it->request = request;
            reconcile(request);
        } else if (!duplicate) {
            m_inFlight.remove(id);
        }
        return;
    }
    case Step::Abandon:
        // Only shutdown cancels calls: the lease lapses and the next service reconciles.
        m_inFlight.remove(id);
        notifyIfIdle();
        return;
    case Step::Fail:
        fail(request, RequestState::Provisioning, Why::reason(Why::kFailed, {failureReason(*decision.failure)}),
             *decision.failure);
        return;
    case Step::Resend: // not an answer to a failed send; keep it queued rather than guess
        queue(request, RequestState::Provisioning, Why::reason(Why::kTransientFailure, {describe(e)}), e,
              decision.delay);
        return;
    }
}

void QueueDrainer::reconcile(ProvisioningRequest request)
{
    // Hook: an operation on a VM is looked at by reading the VM's state (OperationRunner).
    if (request.isOperation())
        return m_operations->resume(std::move(request));
    const QUuid id = request.id();
    auto it = m_inFlight.find(id);
    if (it == m_inFlight.end())
        it = m_inFlight.insert(id, InFlight{request, 0, true, std::nullopt});
    it->reconciling = true;
    it->request = request;

    if (m_connection.needsOperator()) {
        queue(request, RequestState::Reconciling, Why::reason(Why::kOperatorWillLook), std::nullopt,
              std::chrono::milliseconds(0));
        return;
    }
    const BreakerPermit permit = m_breaker.tryAcquire();
    if (!permit.isAllowed() || permit.isScout()) {
        if (permit.isScout())
            m_connection.scout(permit);
        queue(request, RequestState::Reconciling, Why::reason(Why::kOfflineWillLook), std::nullopt,
              std::chrono::milliseconds(0));
        return;
    }
    const auto started = m_clock.monotonicNow();
    if (request.spec().isClone()) {
        // Not only whether the VM exists: which of its steps are done.
        it->call = m_hypervisor->readStateByKey(id, [this, id, permit, started](Result<std::optional<VmState>> result) {
            onCloneReconciled(id, permit, started, std::move(result));
        });
        return;
    }
    it->call = m_hypervisor->findByRequestKey(id, [this, id, permit, started](Result<std::optional<VmRef>> result) {
        onReconciled(id, permit, started, std::move(result));
    });
}

void QueueDrainer::onReconciled(const QUuid& id, const BreakerPermit& permit, Clock::time_point started,
                                Result<std::optional<VmRef>> result)
{
    m_connection.noteCall(permit, started, result.ok() ? nullptr : &result.error());
    auto it = m_inFlight.find(id);
    if (it == m_inFlight.end())
        return;
    ProvisioningRequest request = it->request;

    if (!result.ok()) {
        const Error& e = result.error();
        const OutcomeDecision decision = m_policy.afterLookupFailed(e, request.attempts());
        if (decision.step == Step::Fail)
            return fail(request, RequestState::Reconciling, Why::reason(Why::kFailed, {describe(e)}), e);
        queue(request, RequestState::Reconciling, Why::reason(Why::kLookupFailed, {describe(e)}), e, decision.delay);
        return;
    }

    if (const std::optional<VmRef>& vm = result.value()) {
        request.setVmRef(vm->ref);
        request.setInstanceUuid(vm->instanceUuid);
        request.setLastError(std::nullopt);
        if (!request.transitionTo(RequestState::Provisioned, Why::reason(Why::kAdopted, {vm->ref}), m_clock.utcNow())
                 .ok())
            return settle(id);
        if (storeAndRelease(request, RequestState::Reconciling))
            Q_EMIT requestSettled(request);
        settleReleased(id);
        return;
    }

    onNothingFound(id);
}

void QueueDrainer::onNothingFound(const QUuid& id)
{
    auto it = m_inFlight.find(id);
    if (it == m_inFlight.end())
        return;
    ProvisioningRequest request = it->request;
    const std::optional<Error> duplicate = it->duplicateName;
    // No VM carries the key: nothing was created, so sending again is safe.
    const OutcomeDecision decision = m_policy.afterNothingFound(request.attempts(), duplicate, request.lastError());
    if (decision.step == Step::Fail)
        return fail(request, RequestState::Reconciling, Why::reason(Why::kFailed, {failureReason(*decision.failure)}),
                    *decision.failure);
    const BreakerPermit next = m_breaker.tryAcquire();
    if (next.isAllowed() && !next.isScout() && !m_paused) {
        it->reconciling = false;
        it->duplicateName.reset();
        dispatch(request, next);
        return;
    }
    if (next.isScout())
        m_connection.scout(next);
    queue(request, RequestState::Reconciling, Why::reason(Why::kNothingFoundWillSend), std::nullopt,
          std::chrono::milliseconds(0));
}

// ---- a clone, step by step ----

QueueDrainer::CloneCall QueueDrainer::nextCloneCall(const ProvisioningRequest& request)
{
    const VmSpec& spec = request.spec();
    switch (request.provisionStep()) {
    case ProvisionStep::None:
        return CloneCall::Clone;
    case ProvisionStep::Cloned:
        if (!spec.customization.isNone())
            return CloneCall::Customize;
        return spec.powerOn ? CloneCall::PowerOn : CloneCall::Done;
    case ProvisionStep::Customized:
        return spec.powerOn ? CloneCall::PowerOn : CloneCall::Done;
    case ProvisionStep::PoweredOn:
        return CloneCall::Done;
    }
    return CloneCall::Done;
}

void QueueDrainer::returnPermit(const BreakerPermit& permit)
{
    m_breaker.onFailure(permit, Error::make(ErrorKind::Cancelled, QStringLiteral("not-sent"),
                                            QStringLiteral("nothing left to send for this request")));
}

void QueueDrainer::continueClone(const QUuid& id, std::optional<BreakerPermit> permit)
{
    auto it = m_inFlight.find(id);
    if (it == m_inFlight.end()) {
        if (permit)
            returnPermit(*permit);
        return;
    }
    const ProvisioningRequest request = it->request;
    const CloneCall call = nextCloneCall(request);
    if (call == CloneCall::Done) {
        if (permit)
            returnPermit(*permit);
        finishClone(request, request.state(), Why::reason(Why::kAdopted, {request.vmRef()}));
        return;
    }
    if (!permit) {
        // Between two steps: each step asks the breaker on its own, as a blank VM's one call does.
        if (m_connection.needsOperator()) {
            queue(request, RequestState::Provisioning, Why::reason(Why::kOperatorWillLook), std::nullopt,
                  std::chrono::milliseconds(0));
            return;
        }
        const BreakerPermit next = m_breaker.tryAcquire();
        if (!next.isAllowed() || next.isScout()) {
            if (next.isScout())
                m_connection.scout(next);
            // The steps done are written; the next drain looks the VM up and goes on from there.
            queue(request, RequestState::Provisioning, Why::reason(Why::kOfflineWillLook), std::nullopt,
                  std::chrono::milliseconds(0));
            return;
        }
        permit = next;
    }
    const BreakerPermit p = *permit;
    const auto started = m_clock.monotonicNow();
    const auto stage = [this, id](const QString& name) { Q_EMIT requestProgress(RequestProgress{id, 0, name, {}}); };
    switch (call) {
    case CloneCall::Clone:
        stage(QStringLiteral("cloning"));
        it->call = m_hypervisor->clone(
            ProvisionOrder{id, request.spec()},
            [this, id](const ProvisionProgress& progress) {
                Q_EMIT requestProgress(RequestProgress{id, progress.percent, progress.stage, progress.taskRef});
            },
            [this, id, p, started](Result<ProvisionOutcome> result) {
                if (result.ok())
                    onCloneStep(id, CloneCall::Clone, p, started, std::nullopt, result.value());
                else
                    onCloneStep(id, CloneCall::Clone, p, started, result.error(), std::nullopt);
            });
        return;
    case CloneCall::Customize:
        stage(QStringLiteral("customizing"));
        it->call = m_hypervisor->customize(request.vmRef(), request.spec(), [this, id, p, started](Result<void> r) {
            onCloneStep(id, CloneCall::Customize, p, started, r.ok() ? std::nullopt : std::optional<Error>(r.error()),
                        std::nullopt);
        });
        return;
    case CloneCall::PowerOn:
        stage(QStringLiteral("powering-on"));
        it->call = m_hypervisor->operate(request.vmRef(), VmOperation::PowerOn, [this, id, p, started](Result<void> r) {
            onCloneStep(id, CloneCall::PowerOn, p, started, r.ok() ? std::nullopt : std::optional<Error>(r.error()),
                        std::nullopt);
        });
        return;
    case CloneCall::Done:
        return;
    }
}

void QueueDrainer::onCloneStep(const QUuid& id, CloneCall call, const BreakerPermit& permit, Clock::time_point started,
                               const std::optional<Error>& failure, const std::optional<ProvisionOutcome>& cloned)
{
    if (cloned && !cloned->readBack) {
        // Its last call failed and was counted through the gate: this permit proves nothing either way.
        m_breaker.onFailure(permit, Error::make(ErrorKind::Cancelled, QStringLiteral("counted-apart"),
                                                QStringLiteral("the VM was cloned; its read-back failed")));
    } else {
        m_connection.noteCall(permit, started, failure ? &*failure : nullptr);
    }
    auto it = m_inFlight.find(id);
    if (it == m_inFlight.end())
        return;
    it->call = 0;
    if (failure) {
        qCInfo(lcDrain) << "clone step of" << id << "failed";
        onSendFailed(id, *failure);
        return;
    }
    ProvisioningRequest request = it->request;
    EventReason reason;
    switch (call) {
    case CloneCall::Clone:
        request.setVmRef(cloned->vm.ref);
        request.setInstanceUuid(cloned->vm.instanceUuid);
        request.setTaskRef(cloned->taskRef);
        request.setProvisionStep(ProvisionStep::Cloned);
        reason = Why::reason(Why::kCloned, {cloned->vm.ref, request.spec().templateName});
        break;
    case CloneCall::Customize:
        request.setProvisionStep(ProvisionStep::Customized);
        reason = Why::reason(Why::kCustomizationSent, {request.vmRef()});
        break;
    case CloneCall::PowerOn:
        request.setProvisionStep(ProvisionStep::PoweredOn);
        reason = Why::reason(Why::kPoweredOn, {request.vmRef()});
        break;
    case CloneCall::Done:
        return;
    }
    request.setLastError(std::nullopt);
    if (nextCloneCall(request) == CloneCall::Done) {
        finishClone(request, RequestState::Provisioning, reason);
        return;
    }
    // Written before the next step goes out: a resumed clone reads it.
    if (!request.note(reason, m_clock.utcNow()).ok() || !store(request, RequestState::Provisioning)) {
        // Someone else moved it (or the store failed): the VM says where it stands when it is looked up.
        settle(id);
        return;
    }
    it = m_inFlight.find(id);
    if (it == m_inFlight.end())
        return;
    it->request = request;
    continueClone(id, std::nullopt);
}

void QueueDrainer::finishClone(ProvisioningRequest request, RequestState expected, const EventReason& reason)
{
    const QUuid id = request.id();
    request.setLastError(std::nullopt);
    if (!request.transitionTo(RequestState::Provisioned, reason, m_clock.utcNow()).ok())
        return settle(id);
    if (storeAndRelease(request, expected))
        Q_EMIT requestSettled(request);
    settleReleased(id);
}

void QueueDrainer::onCloneReconciled(const QUuid& id, const BreakerPermit& permit, Clock::time_point started,
                                     Result<std::optional<VmState>> result)
{
    m_connection.noteCall(permit, started, result.ok() ? nullptr : &result.error());
    auto it = m_inFlight.find(id);
    if (it == m_inFlight.end())
        return;
    it->call = 0;
    ProvisioningRequest request = it->request;

    if (!result.ok()) {
        const Error& e = result.error();
        const OutcomeDecision decision = m_policy.afterLookupFailed(e, request.attempts());
        if (decision.step == Step::Fail)
            return fail(request, RequestState::Reconciling, Why::reason(Why::kFailed, {describe(e)}), e);
        queue(request, RequestState::Reconciling, Why::reason(Why::kLookupFailed, {describe(e)}), e, decision.delay);
        return;
    }

    const std::optional<VmState>& state = result.value();
    if (!state) {
        if (request.provisionStep() != ProvisionStep::None) {
            // Our clone existed and is gone (deleted by someone): cloning again would be a second clone
            // of this request, which the operator has not asked for.
            const Error gone =
                Error::make(ErrorKind::Business, QStringLiteral("clone-gone"),
                            tr("the clone %1 that carried this request's key no longer exists").arg(request.vmRef()));
            return fail(request, RequestState::Reconciling, Why::reason(Why::kCloneGone, {request.vmRef()}), gone);
        }
        onNothingFound(id);
        return;
    }

    // What the VM shows, and what was written, whichever got further.
    ProvisionStep seen = ProvisionStep::Cloned;
    if (!state->pendingCustomization.isEmpty())
        seen = ProvisionStep::Customized;
    if (state->vm.powerState == QLatin1String("poweredOn"))
        seen = ProvisionStep::PoweredOn;
    const ProvisionStep step = std::max(seen, request.provisionStep());
    request.setVmRef(state->vm.ref);
    request.setInstanceUuid(state->vm.instanceUuid);
    request.setProvisionStep(step);
    request.setLastError(std::nullopt);
    it->reconciling = false;
    it->duplicateName.reset();
    if (nextCloneCall(request) == CloneCall::Done) {
        finishClone(request, RequestState::Reconciling, Why::reason(Why::kAdopted, {state->vm.ref}));
        return;
    }
    if (!request
             .transitionTo(RequestState::Provisioning, Why::reason(Why::kResuming, {state->vm.ref, toString(step)}),
                           m_clock.utcNow())
             .ok() ||
        !store(request, RequestState::Reconciling)) {
        settle(id);
        return;
    }
    it = m_inFlight.find(id);
    if (it == m_inFlight.end())
        return;
    it->request = request;
    continueClone(id, std::nullopt);
}

// ---- the timer's turns ----

void QueueDrainer::keepLeases()
{
    if (!m_store || m_shuttingDown)
        return;
    renewLeases();
    takeOverOrphans();
}

void QueueDrainer::renewLeases()
{
    // Each renewal is a synced commit per request in flight. A lease runs leaseDuration from its claim
    // (or insert, or last renewal); renewing them all every third of that keeps every one alive — a
    // request claimed since the last renewal holds a lease at least as fresh — at a commit per request
    // every few seconds instead of one every tick.
    const QDateTime now = m_clock.utcNow();
    if (m_lastRenewal.isValid() && now >= m_lastRenewal &&
        m_lastRenewal.msecsTo(now) < m_config.leaseDuration.count() / 3)
        return;
    m_lastRenewal = now;
    const QDateTime until = leaseUntil();
    for (auto it = m_inFlight.begin(); it != m_inFlight.end(); ++it) {
        auto renewed = m_store->renewLease(it.key(), m_owner, until);
        if (!renewed.ok())
            qCWarning(lcDrain) << "lease of" << it.key() << "not renewed:" << renewed.error().message;
    }
}

void QueueDrainer::takeOverOrphans()
{
    auto orphans = m_store->takeOverExpired(m_owner, leaseUntil(), m_clock.utcNow());
    if (!orphans.ok())
        return reportStorageError(orphans.error());
    for (ProvisioningRequest request : orphans.value()) {
        if (m_inFlight.contains(request.id()))
            continue;
        qCInfo(lcDrain) << "taking over" << request.id() << "left" << toString(request.state())
                        << "by a service that stopped";
        if (request.state() == RequestState::Provisioning) {
            const RequestState expected = request.state();
            if (!request.transitionTo(RequestState::Reconciling, Why::reason(Why::kTakenOver), m_clock.utcNow()).ok() ||
                !store(request, expected))
                continue;
        }
        reconcile(request);
    }
}

void QueueDrainer::drain()
{
    if (!m_store || m_shuttingDown || m_paused || m_inventory.isFetching())
        return;
    if (!m_connection.isConnected() || m_breaker.state() != BreakerState::Closed)
        return;
    m_operations->poll(); // hook: operations waiting for a guest to shut down
    const int free = m_config.drainConcurrency - int(m_inFlight.size());
    if (free <= 0)
        return;
    // The claim and the PROVISIONING of what can go out at once are one synced commit: PROVISIONING
    // is still durable before the call goes out, at one sync per claim instead of one more per request.
    QHash<QUuid, BreakerPermit> permits;
    std::optional<BreakerPermit> refused;
    auto claimedAll = m_store->claimAndStart(
        m_owner, leaseUntil(), m_clock.utcNow(), free,
        [this, &permits, &refused](const ProvisioningRequest& r) { return startInClaim(r, permits, refused); });
    if (!claimedAll.ok()) {
        // Rolled back: nothing claimed, nothing written, nothing sent.
        for (const BreakerPermit& permit : std::as_const(permits))
            m_breaker.onFailure(permit, Error::make(ErrorKind::Storage, QStringLiteral("not-sent"),
                                                    QStringLiteral("request could not be stored; nothing sent")));
        if (refused && refused->isScout())
            m_connection.scout(*refused);
        return reportStorageError(claimedAll.error());
    }
    QList<ProvisioningRequest> claimed;
    QList<ProvisioningRequest> started;
    for (const ProvisioningRequest& r : claimedAll.value())
        (permits.contains(r.id()) ? started : claimed).append(r);
    for (const ProvisioningRequest& r : std::as_const(claimed))
        m_inFlight.insert(r.id(), InFlight{r, 0, false, std::nullopt});
    for (ProvisioningRequest& r : started) {
        publish(r);
        sendStored(r, permits.value(r.id()));
    }
    if (refused) {
        // The breaker said no while the claim ran: the rest stay queued, as dispatchClaimed does.
        if (refused->isScout())
            m_connection.scout(*refused);
        for (const ProvisioningRequest& r : std::as_const(claimed))
            release(r.id());
        return;
    }
    if (claimed.isEmpty())
        return;

    InventoryKinds placement = InventoryKind::Datacenters | InventoryKind::Clusters | InventoryKind::ResourcePools |
                               InventoryKind::Hosts | InventoryKind::Datastores | InventoryKind::Networks |
                               InventoryKind::Folders;
    // A clone is checked against its template (and saved specification) too; blank VMs never pay for it.
    for (const ProvisioningRequest& r : claimed) {
        if (r.spec().isClone())
            placement |= InventoryKind::Templates;
        if (r.spec().isClone() && r.spec().customization.mode == GuestCustomization::Mode::SavedSpec)
            placement |= InventoryKind::CustomizationSpecs;
    }
    const bool onlyPlacement = !placement.testFlag(InventoryKind::Templates);
    // Hook: operations on a VM check no placement, so they never wait for an inventory read.
    const bool onlyOperations =
        std::all_of(claimed.cbegin(), claimed.cend(), [](const ProvisioningRequest& r) { return r.isOperation(); });
    if (onlyOperations || (onlyPlacement ? m_inventory.isFresh() : m_inventory.isFresh(placement))) {
        dispatchClaimed(claimed);
        return;
    }
    m_awaitingInventory = claimed;
    m_inventory.fetch(placement, [this](std::optional<Error> failure) {
        QList<ProvisioningRequest> waiting = std::exchange(m_awaitingInventory, {});
        if (failure) {
            for (const ProvisioningRequest& r : std::as_const(waiting))
                release(r.id());
            return;
        }
        dispatchClaimed(waiting);
    });
}

void QueueDrainer::queueSubmittedWhileAway()
{
    if (!m_store || m_shuttingDown || m_breaker.state() == BreakerState::Closed)
        return;
    RequestFilter submitted;
    submitted.states = {RequestState::Submitted};
    submitted.limit = 1;
    auto any = m_store->list(submitted);
    if (!any.ok() || any.value().isEmpty())
        return;
    const int room = std::max(1, m_config.drainConcurrency * 4);
    auto claimed = m_store->claimNext(m_owner, leaseUntil(), m_clock.utcNow(), room);
    if (!claimed.ok())
        return reportStorageError(claimed.error());
    const QString state = toString(m_breaker.state());
    for (const ProvisioningRequest& r : claimed.value()) {
        if (r.state() == RequestState::Submitted && !m_inFlight.contains(r.id()))
            queue(r, RequestState::Submitted, Why::reason(Why::kBreakerOpen, {state}), std::nullopt,
                  std::chrono::milliseconds(0));
        else if (!m_inFlight.contains(r.id()))
            (void)m_store->releaseClaim(r.id(), m_owner);
    }
}

std::optional<ProvisioningRequest> QueueDrainer::startInClaim(const ProvisioningRequest& claimed,
                                                              QHash<QUuid, BreakerPermit>& permits,
                                                              std::optional<BreakerPermit>& refused)
{
    if (refused)
        return std::nullopt;
    const RequestState state = claimed.state();
    if (state != RequestState::QueuedForProvisioning && state != RequestState::Submitted)
        return std::nullopt;
    // Operations on a VM read the VM and order themselves first (OperationRunner); a request sent
    // before is looked up first; one whose inventory is not fresh, or no longer matches, waits for the
    // read or fails: all of those take dispatchClaimed's path.
    if (claimed.isOperation() || wasSentBefore(claimed))
        return std::nullopt;
    const VmSpec& spec = claimed.spec();
    if (spec.isClone()) {
        // The kinds drain() would read for it.
        InventoryKinds kinds = InventoryKind::Datacenters | InventoryKind::Clusters | InventoryKind::ResourcePools |
                               InventoryKind::Hosts | InventoryKind::Datastores | InventoryKind::Networks |
                               InventoryKind::Folders | InventoryKind::Templates;
        if (spec.customization.mode == GuestCustomization::Mode::SavedSpec)
            kinds |= InventoryKind::CustomizationSpecs;
        if (!m_inventory.isFresh(kinds))
            return std::nullopt;
    } else if (!m_inventory.isFresh()) {
        return std::nullopt;
    }
    if (m_inventory.staleReason(spec))
        return std::nullopt;
    ProvisioningRequest request = claimed;
    if (!request.transitionTo(RequestState::Provisioning, Why::reason(Why::kSent), m_clock.utcNow()).ok())
        return std::nullopt;
    const BreakerPermit permit = m_breaker.tryAcquire();
    if (!permit.isAllowed() || permit.isScout()) {
        refused = permit;
        return std::nullopt;
    }
    permits.insert(request.id(), permit);
    return request;
}

void QueueDrainer::dispatchClaimed(QList<ProvisioningRequest> claimed)
{
    for (qsizetype i = 0; i < claimed.size(); ++i) {
        ProvisioningRequest request = claimed.at(i);
        const RequestState state = request.state();
        if (state != RequestState::QueuedForProvisioning && state != RequestState::Submitted) {
            release(request.id());
            continue;
        }
        // Hook: operations on a VM are OperationRunner's (no placement to check, nothing to create).
        if (request.isOperation()) {
            if (m_operations->startClaimed(request))
                continue;
            for (qsizetype j = i + 1; j < claimed.size(); ++j)
                release(claimed.at(j).id());
            return;
        }
        if (const auto stale = m_inventory.staleReason(request.spec())) {
            const Error e = Error::make(ErrorKind::Business, stale->errorCode, stale->message);
            fail(request, state, Why::reason(stale->eventCode, stale->args), e);
            continue;
        }
        if (wasSentBefore(request)) {
            // Sent before (even before an operator's retry reset the attempts): look for the VM first,
            // whatever the last answer was.
            if (request.transitionTo(RequestState::Reconciling, Why::reason(Why::kSentBefore), m_clock.utcNow()).ok() &&
                store(request, state))
                reconcile(request);
            else
                settle(request.id());
            continue;
        }
        const BreakerPermit permit = m_breaker.tryAcquire();
        if (!permit.isAllowed() || permit.isScout()) {
            // The breaker opened meanwhile: the rest stay queued.
            if (permit.isScout())
                m_connection.scout(permit);
            for (qsizetype j = i; j < claimed.size(); ++j)
                release(claimed.at(j).id());
            return;
        }
        dispatch(request, permit);
    }
}

void QueueDrainer::shutdown()
{
    m_shuttingDown = true;
    for (const ProvisioningRequest& r : std::as_const(m_awaitingInventory))
        if (m_store)
            (void)m_store->releaseClaim(r.id(), m_owner);
    m_awaitingInventory.clear();
}

void QueueDrainer::whenIdle(std::function<void()> idle)
{
    m_idleWaiters.append(std::move(idle));
    notifyIfIdle();
}

void QueueDrainer::notifyIfIdle()
{
    if (!m_inFlight.isEmpty() || m_idleWaiters.isEmpty())
        return;
    const auto waiters = std::exchange(m_idleWaiters, {});
    for (const auto& waiter : waiters)
        waiter();
}

void QueueDrainer::scheduleDrain()
{
    notifyIfIdle();
    if (m_drainScheduled || m_shuttingDown)
        return;
    m_drainScheduled = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_drainScheduled = false;
            drain();
        },
        Qt::QueuedConnection);
}

} // namespace dcm
