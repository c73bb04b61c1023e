#include "app/service/ProvisioningService.h"

#include "domain/FaultTaxonomy.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QSysInfo>

Q_LOGGING_CATEGORY(lcService, "dcm.app.service", QtInfoMsg)

namespace dcm {

namespace {

using Clock = std::chrono::steady_clock;

QString defaultOwner()
{
    return QStringLiteral("%1:%2:%3")
        .arg(QSysInfo::machineHostName())
        .arg(QCoreApplication::applicationPid())
        .arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
}

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

} // namespace

void ProvisioningService::registerMetaTypes()
{
    qRegisterMetaType<VmSpec>();
    qRegisterMetaType<ProvisioningRequest>();
    qRegisterMetaType<QList<ProvisioningRequest>>();
    qRegisterMetaType<SubmitAnswer>();
    qRegisterMetaType<BreakerSnapshot>();
    qRegisterMetaType<BreakerTransition>();
    qRegisterMetaType<InventorySnapshot>();
    qRegisterMetaType<Error>();
    qRegisterMetaType<std::optional<Error>>();
    qRegisterMetaType<RequestProgress>();
    qRegisterMetaType<ConnectionStatus>();
    qRegisterMetaType<ConnectionSettings>();
}

ProvisioningService::ProvisioningService(HypervisorFactory hypervisor, StoreFactory store, const ClockPort& clock,
                                         ServiceConfig config, QObject* parent)
    : QObject(parent), m_hypervisorFactory(std::move(hypervisor)), m_storeFactory(std::move(store)), m_clock(clock),
      m_config(std::move(config)), m_owner(m_config.owner.isEmpty() ? defaultOwner() : m_config.owner),
      m_breaker(clock, m_config.breaker), m_retry(m_config.retryBase, m_config.retryCap, m_config.maxAttempts)
{
    registerMetaTypes();
    m_breaker.setTransitionListener([this](const BreakerTransition& t) { onBreakerTransition(t); });
}

ProvisioningService::~ProvisioningService()
{
    // The adapter's callbacks capture `this`: drop it before anything else goes.
    m_hypervisor.reset();
}

void ProvisioningService::initialize()
{
    if (m_store)
        return;
    m_hypervisor = m_hypervisorFactory();
    auto opened = m_storeFactory();
    if (!opened.ok()) {
        qCWarning(lcService) << "cannot open the request store:" << opened.error().message;
        Q_EMIT initialized(opened.error());
        return;
    }
    m_store = std::move(opened.value());
    if (m_credentialFactory)
        m_credentials = m_credentialFactory();
    std::optional<Error> logError;
    if (m_breakerLogFactory) {
        auto log = m_breakerLogFactory();
        if (log.ok())
            m_breakerLog = std::move(log.value());
        else
            logError = log.error();
    }
    // Task polls pass the breaker one by one: a vCenter that stops answering opens it within
    // threshold x call timeout, and no poll goes out while it is open.
    m_hypervisor->setCallGate([this]() -> CallReport {
        if (m_shuttingDown)
            return {};
        const BreakerPermit permit = m_breaker.tryAcquire();
        if (permit.isRejected())
            return {};
        if (permit.isScout()) {
            if (!m_scoutInFlight)
                sendScoutWith(permit);
            else
                m_breaker.onFailure(permit, Error::make(ErrorKind::Cancelled, QStringLiteral("not-sent"),
                                                        QStringLiteral("a scout is already out")));
            return {};
        }
        const auto started = m_clock.monotonicNow();
        return [this, permit, started](const Error* failure) { noteCall(permit, started, failure); };
    });
    if (m_config.tickInterval.count() > 0) {
        m_timer = new QTimer(this);
        m_timer->setInterval(m_config.tickInterval);
        connect(m_timer, &QTimer::timeout, this, &ProvisioningService::tick);
        m_timer->start();
    }
    qCInfo(lcService) << "service" << m_owner << "ready";
    Q_EMIT initialized(std::nullopt);
    if (logError)
        reportStorageError(*logError);
    Q_EMIT breakerChanged(m_breaker.snapshot());
    publishQueueDepth();
}

void ProvisioningService::connectTo(const ConnectionSettings& settings)
{
    m_settings = settings;
    m_connection = ConnectionStatus{};
    m_connection.state = ConnectionStatus::State::Connecting;
    m_connection.server = settings.server.toString();
    m_connection.user = settings.user;
    Q_EMIT connectionChanged(m_connection);
    if (!m_hypervisor || m_connectInFlight)
        return;
    const BreakerPermit permit = m_breaker.tryAcquire();
    if (permit.isRejected())
        return; // the scout will log in when the breaker lets it
    attemptConnect(permit);
}

QString ProvisioningService::credentialKey(const QUrl& server, const QString& user)
{
    return user + QLatin1Char('@') + server.host();
}

void ProvisioningService::connectWithStoredPassword(const ConnectionSettings& settings)
{
    if (!m_credentials) {
        Q_EMIT passwordRequired(settings.server.toString(), settings.user, std::nullopt);
        return;
    }
    m_credentials->readPassword(
        credentialKey(settings.server, settings.user), [this, settings](Result<QString> password) {
            if (!password.ok()) {
                Q_EMIT passwordRequired(settings.server.toString(), settings.user, password.error());
                return;
            }
            ConnectionSettings withPassword = settings;
            withPassword.password = password.value();
            connectTo(withPassword);
        });
}

void ProvisioningService::connectWithPassword(const ConnectionSettings& settings, bool remember)
{
    if (remember && m_credentials) {
        m_credentials->writePassword(credentialKey(settings.server, settings.user), settings.password,
                                     [this](Result<void> written) {
                                         if (!written.ok())
                                             Q_EMIT credentialNotice(written.error());
                                     });
    }
    connectTo(settings);
}

void ProvisioningService::forgetPassword(const ConnectionSettings& settings)
{
    if (m_credentials)
        m_credentials->removePassword(credentialKey(settings.server, settings.user), [](Result<void>) {});
}

void ProvisioningService::attemptConnect(const BreakerPermit& permit)
{
    m_connectInFlight = true;
    if (permit.isScout())
        m_scoutInFlight = true;
    const auto started = m_clock.monotonicNow();
    m_hypervisor->connectTo(*m_settings, [this, permit, started](Result<AboutInfo> result) {
        m_connectInFlight = false;
        if (permit.isScout())
            m_scoutInFlight = false;
        noteCall(permit, started, result.ok() ? nullptr : &result.error());
        if (result.ok()) {
            m_connection.state = ConnectionStatus::State::Connected;
            m_connection.about = result.value();
            m_connection.error.reset();
            qCInfo(lcService) << "connected to" << m_connection.server << result.value().fullName;
            Q_EMIT connectionChanged(m_connection);
            scheduleDrain();
            return;
        }
        const Error& e = result.error();
        if (needsOperator(e) && m_connection.state == ConnectionStatus::State::NeedsOperator)
            return; // noteCall has said it
        m_connection.state =
            needsOperator(e) ? ConnectionStatus::State::NeedsOperator : ConnectionStatus::State::Connecting;
        m_connection.error = e;
        qCWarning(lcService) << "connecting failed:" << toString(e.kind) << e.message;
        Q_EMIT connectionChanged(m_connection);
    });
}

void ProvisioningService::shutdown()
{
    m_shuttingDown = true;
    if (m_timer)
        m_timer->stop();
    for (const ProvisioningRequest& r : std::as_const(m_awaitingInventory))
        if (m_store)
            (void)m_store->releaseClaim(r.id(), m_owner);
    m_awaitingInventory.clear();
    if (m_hypervisor && m_connection.state == ConnectionStatus::State::Connected)
        m_hypervisor->disconnectFrom([](Result<void>) {});
}

QDateTime ProvisioningService::leaseUntil() const
{
    return m_clock.utcNow().addMSecs(m_config.leaseDuration.count());
}

void ProvisioningService::publish(const ProvisioningRequest& request)
{
    Q_EMIT requestChanged(request);
}

void ProvisioningService::publishQueueDepth()
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

void ProvisioningService::reportStorageError(const Error& error)
{
    qCWarning(lcService) << "request store:" << error.message;
    Q_EMIT storageFailed(error);
}

bool ProvisioningService::store(ProvisioningRequest& request, RequestState expected)
{
    auto written = m_store->update(request, expected);
    if (!written.ok()) {
        if (written.error().is(ErrorCode::Conflict)) {
            // Someone else (an operator's cancel, another service) moved it first: theirs stands.
            qCInfo(lcService) << "request" << request.id() << "moved meanwhile; keeping the stored state";
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

SubmitAnswer ProvisioningService::submit(const VmSpec& spec, quint64 token)
{
    SubmitAnswer answer;
    answer.token = token;
    const auto finish = [&]() -> SubmitAnswer {
        Q_EMIT submitAnswered(answer);
        return answer;
    };

    answer.problems = spec.validate();
    if (!answer.problems.isEmpty()) {
        answer.outcome = SubmitAnswer::Outcome::Rejected;
        answer.error = Error::make(ErrorKind::InvalidInput, QStringLiteral("invalid-spec"),
                                   tr("The VM spec has problems; nothing was submitted."));
        answer.message = answer.error->message;
        return finish();
    }
    if (!m_store) {
        answer.outcome = SubmitAnswer::Outcome::Failed;
        answer.error = Error::make(ErrorKind::Storage, QStringLiteral("store-closed"),
                                   tr("The request database is not open; nothing was submitted."));
        answer.message = answer.error->message;
        return finish();
    }

    ProvisioningRequest request(QUuid::createUuid(), spec, m_clock.utcNow());
    if (auto inserted = m_store->insert(request, m_owner, leaseUntil()); !inserted.ok()) {
        answer.outcome = SubmitAnswer::Outcome::Failed;
        answer.error = inserted.error();
        answer.message =
            tr("The request could not be stored, so it was not accepted: %1").arg(inserted.error().message);
        reportStorageError(inserted.error());
        return finish();
    }
    answer.id = request.id();
    publish(request);

    const auto queued = [&](const QString& reason, const QString& message) {
        queue(request, RequestState::Submitted, reason, std::nullopt, std::chrono::milliseconds(0));
        answer.outcome = SubmitAnswer::Outcome::Queued;
        answer.state = RequestState::QueuedForProvisioning;
        answer.message = message;
    };
    const QString offline = tr("Request accepted. Provisioning will start when the hypervisor is online.");
    if (m_paused) {
        queued(tr("the queue is paused by an administrator"),
               tr("Request accepted. Provisioning will start when an administrator resumes the queue."));
    } else if (m_connection.state != ConnectionStatus::State::Connected) {
        queued(tr("not connected to the hypervisor"), offline);
    } else {
        const BreakerPermit permit = m_breaker.tryAcquire();
        if (permit.isRejected()) {
            queued(tr("the hypervisor is offline (circuit breaker %1)").arg(toString(m_breaker.state())), offline);
        } else if (permit.isScout()) {
            // The scout must be the cheap probe, never a provisioning call.
            queued(tr("waiting for the hypervisor to answer a probe"), offline);
            sendScoutWith(permit);
        } else {
            dispatch(request, permit);
            answer.outcome = SubmitAnswer::Outcome::Started;
            answer.state = RequestState::Provisioning;
            answer.message = tr("Request accepted. Provisioning has started.");
        }
    }
    publishQueueDepth();
    return finish();
}

void ProvisioningService::dispatch(ProvisioningRequest request, const BreakerPermit& permit)
{
    const RequestState expected = request.state();
    const QDateTime now = m_clock.utcNow();
    if (auto moved = request.transitionTo(RequestState::Provisioning, tr("sent to the hypervisor"), now); !moved.ok()) {
        m_breaker.onFailure(permit, moved.error());
        return;
    }
    if (!store(request, expected)) {
        // Nothing was sent: give the permit back as a failure the breaker does not count.
        m_breaker.onFailure(permit, Error::make(ErrorKind::Storage, QStringLiteral("not-sent"),
                                                QStringLiteral("request could not be stored; nothing sent")));
        (void)m_store->releaseClaim(request.id(), m_owner);
        m_inFlight.remove(request.id());
        return;
    }
    const QUuid id = request.id();
    m_inFlight.insert(id, InFlight{request, 0, false, std::nullopt});
    const auto started = m_clock.monotonicNow();
    ProvisionOrder order{id, request.spec()};
    const CallId call = m_hypervisor->provision(
        order,
        [this, id](const ProvisionProgress& p) {
            Q_EMIT requestProgress(RequestProgress{id, p.percent, p.stage, p.taskRef});
        },
        [this, id, permit, started](Result<ProvisionOutcome> result) {
            onProvisioned(id, permit, started, std::move(result));
        });
    if (auto it = m_inFlight.find(id); it != m_inFlight.end())
        it->call = call;
}

void ProvisioningService::queue(ProvisioningRequest request, RequestState expected, const QString& reason,
                                std::optional<Error> cause, std::chrono::milliseconds delay)
{
    const QDateTime now = m_clock.utcNow();
    const Result<void> moved = cause ? request.transitionTo(RequestState::QueuedForProvisioning, reason, now, *cause)
                                     : request.transitionTo(RequestState::QueuedForProvisioning, reason, now);
    if (!moved.ok()) {
        qCWarning(lcService) << "cannot queue" << request.id() << moved.error().message;
        return;
    }
    request.setNextAttemptAt(now.addMSecs(delay.count()));
    store(request, expected);
    (void)m_store->releaseClaim(request.id(), m_owner);
    m_inFlight.remove(request.id());
    notifyIfIdle();
}

void ProvisioningService::fail(ProvisioningRequest request, RequestState expected, const QString& reason,
                               const Error& cause)
{
    if (auto moved = request.transitionTo(RequestState::Failed, reason, m_clock.utcNow(), cause); !moved.ok()) {
        qCWarning(lcService) << "cannot fail" << request.id() << moved.error().message;
        return;
    }
    if (store(request, expected))
        Q_EMIT requestSettled(request);
    settle(request.id());
}

void ProvisioningService::settle(const QUuid& id)
{
    (void)m_store->releaseClaim(id, m_owner);
    m_inFlight.remove(id);
    publishQueueDepth();
    scheduleDrain();
}

void ProvisioningService::noteCall(const BreakerPermit& permit, Clock::time_point started, const Error* error)
{
    const auto latency = std::chrono::duration_cast<std::chrono::microseconds>(m_clock.monotonicNow() - started);
    if (error)
        m_breaker.onFailure(permit, *error);
    else
        m_breaker.onSuccess(permit, latency);
    Q_EMIT breakerChanged(m_breaker.snapshot());
    if (error && needsOperator(*error))
        stopForOperator(*error);
}

bool ProvisioningService::needsOperator(const Error& e)
{
    return e.kind == ErrorKind::Trust || e.kind == ErrorKind::Authentication || e.kind == ErrorKind::Permission;
}

void ProvisioningService::stopForOperator(const Error& e)
{
    // Whatever call met it — drain, inventory, a task poll, reconciliation, the scout — the connection
    // waits for the operator: no call of ours may send another Login with credentials vCenter refused.
    if (m_connection.state == ConnectionStatus::State::NeedsOperator && m_connection.error &&
        m_connection.error->code == e.code)
        return;
    m_connection.state = ConnectionStatus::State::NeedsOperator;
    m_connection.error = e;
    if (e.kind == ErrorKind::Trust)
        qCWarning(lcService).noquote() << QStringLiteral("the certificate of %1 is not trusted; nothing is sent until "
                                                         "an operator reviews it: %2")
                                              .arg(m_connection.server, e.message);
    else
        qCWarning(lcService).noquote()
            << QStringLiteral("vCenter refused the credentials of %1; nothing is sent until the password is changed "
                              "(console: enter it again; dcmctl: `dcmctl login` or DCM_PASSWORD) or an administrator "
                              "probes. The queue is kept.")
                   .arg(m_connection.user);
    Q_EMIT connectionChanged(m_connection);
}

void ProvisioningService::onProvisioned(const QUuid& id, const BreakerPermit& permit, Clock::time_point started,
                                        Result<ProvisionOutcome> result)
{
    if (result.ok() && !result.value().readBack) {
        // Its last call failed and was counted through the gate: this permit proves nothing either way.
        m_breaker.onFailure(permit, Error::make(ErrorKind::Cancelled, QStringLiteral("counted-apart"),
                                                QStringLiteral("the VM was created; its read-back failed")));
    } else {
        noteCall(permit, started, result.ok() ? nullptr : &result.error());
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
        const QString reason = outcome.poweredOn ? tr("created %1 and powered it on").arg(outcome.vm.ref)
                                                 : tr("created %1").arg(outcome.vm.ref);
        if (request.transitionTo(RequestState::Provisioned, reason, m_clock.utcNow()).ok() &&
            store(request, RequestState::Provisioning))
            Q_EMIT requestSettled(request);
        settle(id);
        return;
    }

    const Error& e = result.error();
    qCInfo(lcService) << "provisioning" << id << "failed:" << toString(e.kind) << describe(e);
    switch (e.kind) {
    case ErrorKind::Transient:
    case ErrorKind::SessionExpired:
        if (m_retry.shouldGiveUp(request.attempts())) {
            fail(request, RequestState::Provisioning, RetryPolicy::gaveUpMessage(request.attempts(), e),
                 RetryPolicy::gaveUpError(request.attempts(), e));
        } else {
            queue(request, RequestState::Provisioning, tr("transient failure: %1").arg(describe(e)), e,
                  m_retry.nextDelay(request.attempts()));
            scheduleDrain();
        }
        return;
    case ErrorKind::OutcomeUnknown:
        it->reconciling = true;
        if (request
                .transitionTo(RequestState::Reconciling, tr("no answer after sending: %1").arg(describe(e)),
                              m_clock.utcNow(), e)
                .ok() &&
            store(request, RequestState::Provisioning)) {
            it->request = request;
            reconcile(request);
        } else {
            m_inFlight.remove(id);
        }
        return;
    case ErrorKind::Trust:
    case ErrorKind::Authentication:
        // Not the request's fault: it waits for the operator to fix trust or credentials (noteCall has
        // stopped the connection). If it was sent, the next drain looks it up by its key first.
        queue(request, RequestState::Provisioning,
              e.details.value(QStringLiteral("outcomePending")).toBool()
                  ? tr("sent; outcome pending until the operator fixes the connection: %1").arg(describe(e))
                  : tr("waiting for the operator: %1").arg(describe(e)),
              e, std::chrono::milliseconds(0));
        return;
    case ErrorKind::Cancelled:
        // Only shutdown cancels calls: the lease lapses and the next service reconciles.
        m_inFlight.remove(id);
        notifyIfIdle();
        return;
    case ErrorKind::Business:
        if (e.is(ErrorCode::DuplicateName) && request.attempts() > 1) {
            // An earlier attempt of ours may have created it: look before calling it a failure.
            it->duplicateName = e;
            it->reconciling = true;
            if (request
                    .transitionTo(RequestState::Reconciling, tr("name already taken; looking for our VM"),
                                  m_clock.utcNow(), e)
                    .ok() &&
                store(request, RequestState::Provisioning)) {
                it->request = request;
                reconcile(request);
            }
            return;
        }
        [[fallthrough]];
    default:
        fail(request, RequestState::Provisioning, describe(e), e);
        return;
    }
}

void ProvisioningService::reconcile(ProvisioningRequest request)
{
    const QUuid id = request.id();
    auto it = m_inFlight.find(id);
    if (it == m_inFlight.end())
        it = m_inFlight.insert(id, InFlight{request, 0, true, std::nullopt});
    it->reconciling = true;
    it->request = request;

    if (m_connection.state == ConnectionStatus::State::NeedsOperator) {
        queue(request, RequestState::Reconciling,
              tr("waiting for the operator; the VM will be looked for before anything is sent again"), std::nullopt,
              std::chrono::milliseconds(0));
        return;
    }
    const BreakerPermit permit = m_breaker.tryAcquire();
    if (!permit.isAllowed() || permit.isScout()) {
        if (permit.isScout())
            sendScoutWith(permit);
        queue(request, RequestState::Reconciling,
              tr("hypervisor offline; the VM will be looked for before anything is sent again"), std::nullopt,
              std::chrono::milliseconds(0));
        return;
    }
    const auto started = m_clock.monotonicNow();
    it->call = m_hypervisor->findByRequestKey(id, [this, id, permit, started](Result<std::optional<VmRef>> result) {
        onReconciled(id, permit, started, std::move(result));
    });
}

void ProvisioningService::onReconciled(const QUuid& id, const BreakerPermit& permit, Clock::time_point started,
                                       Result<std::optional<VmRef>> result)
{
    noteCall(permit, started, result.ok() ? nullptr : &result.error());
    auto it = m_inFlight.find(id);
    if (it == m_inFlight.end())
        return;
    ProvisioningRequest request = it->request;
    const std::optional<Error> duplicate = it->duplicateName;

    if (!result.ok()) {
        const Error& e = result.error();
        if (m_retry.shouldGiveUp(request.attempts()) && !FaultTaxonomy::isRetryable(e.kind)) {
            fail(request, RequestState::Reconciling, describe(e), e);
            return;
        }
        queue(request, RequestState::Reconciling, tr("could not look the VM up: %1").arg(describe(e)), e,
              m_retry.nextDelay(std::max(1, request.attempts())));
        return;
    }

    if (const std::optional<VmRef>& vm = result.value()) {
        request.setVmRef(vm->ref);
        request.setInstanceUuid(vm->instanceUuid);
        request.setLastError(std::nullopt);
        if (request
                .transitionTo(RequestState::Provisioned,
                              tr("adopted %1, which already carries this request's key").arg(vm->ref), m_clock.utcNow())
                .ok() &&
            store(request, RequestState::Reconciling))
            Q_EMIT requestSettled(request);
        settle(id);
        return;
    }

    // No VM carries the key: nothing was created, so sending again is safe.
    if (duplicate) {
        fail(request, RequestState::Reconciling, describe(*duplicate), *duplicate);
        return;
    }
    if (m_retry.shouldGiveUp(request.attempts())) {
        const Error cause = request.lastError().value_or(
            Error::make(ErrorKind::Transient, QStringLiteral("unknown"), QStringLiteral("no VM was created")));
        fail(request, RequestState::Reconciling, RetryPolicy::gaveUpMessage(request.attempts(), cause),
             RetryPolicy::gaveUpError(request.attempts(), cause));
        return;
    }
    const BreakerPermit next = m_breaker.tryAcquire();
    if (next.isAllowed() && !next.isScout() && !m_paused) {
        it->reconciling = false;
        it->duplicateName.reset();
        dispatch(request, next);
        return;
    }
    if (next.isScout())
        sendScoutWith(next);
    queue(request, RequestState::Reconciling, tr("no VM found; it will be sent when the hypervisor is online"),
          std::nullopt, std::chrono::milliseconds(0));
}

void ProvisioningService::tick()
{
    if (!m_store || m_shuttingDown)
        return;
    renewLeases();
    takeOverOrphans();
    const bool operatorNeeded = m_connection.state == ConnectionStatus::State::NeedsOperator;
    if (m_breaker.isScoutDue() && !m_scoutInFlight && !operatorNeeded) {
        sendScout();
    } else if (m_settings && !m_connectInFlight && m_connection.state == ConnectionStatus::State::Connecting &&
               m_breaker.state() == BreakerState::Closed) {
        // Still not logged in while the breaker is closed: try again; failures count towards opening it.
        const BreakerPermit permit = m_breaker.tryAcquire();
        if (permit.isAllowed())
            attemptConnect(permit);
    }
    drain();
    publishQueueDepth();
}

void ProvisioningService::sendScout()
{
    const BreakerPermit permit = m_breaker.tryAcquire();
    if (permit.isRejected())
        return;
    sendScoutWith(permit);
}

void ProvisioningService::sendScoutWith(const BreakerPermit& permit)
{
    if (!m_hypervisor)
        return;
    // Not logged in yet (or any more): the login is the cheap, repeatable call.
    if (m_settings && m_connection.state != ConnectionStatus::State::Connected &&
        m_connection.state != ConnectionStatus::State::NeedsOperator && !m_connectInFlight) {
        attemptConnect(permit);
        return;
    }
    if (m_connection.state == ConnectionStatus::State::NeedsOperator) {
        // Without credentials vCenter accepts, a scout would prove nothing and a Login is not ours to
        // send: hand the permit back unanswered; the breaker stays open until the operator acts.
        m_breaker.onFailure(permit, Error::make(ErrorKind::Cancelled, QStringLiteral("not-sent"),
                                                tr("no scout: the connection waits for the operator")));
        return;
    }
    m_scoutInFlight = true;
    const auto started = m_clock.monotonicNow();
    m_hypervisor->probe([this, permit, started](Result<QDateTime> result) {
        m_scoutInFlight = false;
        noteCall(permit, started, result.ok() ? nullptr : &result.error());
    });
}

void ProvisioningService::renewLeases()
{
    const QDateTime until = leaseUntil();
    for (auto it = m_inFlight.begin(); it != m_inFlight.end(); ++it) {
        auto renewed = m_store->renewLease(it.key(), m_owner, until);
        if (!renewed.ok())
            qCWarning(lcService) << "lease of" << it.key() << "not renewed:" << renewed.error().message;
    }
}

void ProvisioningService::takeOverOrphans()
{
    auto orphans = m_store->takeOverExpired(m_owner, leaseUntil(), m_clock.utcNow());
    if (!orphans.ok())
        return reportStorageError(orphans.error());
    for (ProvisioningRequest request : orphans.value()) {
        if (m_inFlight.contains(request.id()))
            continue;
        qCInfo(lcService) << "taking over" << request.id() << "left" << toString(request.state())
                          << "by a service that stopped";
        if (request.state() == RequestState::Provisioning) {
            const RequestState expected = request.state();
            if (!request
                     .transitionTo(RequestState::Reconciling,
                                   tr("taken over from a service that stopped while provisioning"), m_clock.utcNow())
                     .ok() ||
                !store(request, expected))
                continue;
        }
        reconcile(request);
    }
}

void ProvisioningService::drain()
{
    if (!m_store || m_shuttingDown || m_paused || m_inventoryInFlight)
        return;
    if (m_connection.state != ConnectionStatus::State::Connected || m_breaker.state() != BreakerState::Closed)
        return;
    const int free = m_config.drainConcurrency - int(m_inFlight.size());
    if (free <= 0)
        return;
    auto claimed = m_store->claimNext(m_owner, leaseUntil(), m_clock.utcNow(), free);
    if (!claimed.ok())
        return reportStorageError(claimed.error());
    if (claimed.value().isEmpty())
        return;
    for (const ProvisioningRequest& r : claimed.value())
        m_inFlight.insert(r.id(), InFlight{r, 0, false, std::nullopt});

    const bool stale = !m_inventory || m_clock.monotonicNow() - m_inventoryAt > m_config.inventoryMaxAge;
    if (!stale) {
        dispatchClaimed(claimed.value());
        return;
    }
    m_awaitingInventory = claimed.value();
    const BreakerPermit permit = m_breaker.tryAcquire();
    if (!permit.isAllowed() || permit.isScout()) {
        if (permit.isScout())
            sendScoutWith(permit);
        for (const ProvisioningRequest& r : std::as_const(m_awaitingInventory)) {
            (void)m_store->releaseClaim(r.id(), m_owner);
            m_inFlight.remove(r.id());
        }
        m_awaitingInventory.clear();
        return;
    }
    m_inventoryInFlight = true;
    const auto started = m_clock.monotonicNow();
    const InventoryKinds kinds = InventoryKind::Datacenters | InventoryKind::Clusters | InventoryKind::ResourcePools |
                                 InventoryKind::Hosts | InventoryKind::Datastores | InventoryKind::Networks |
                                 InventoryKind::Folders;
    m_hypervisor->inventory(kinds, [this, permit, started](Result<InventorySnapshot> result) {
        m_inventoryInFlight = false;
        noteCall(permit, started, result.ok() ? nullptr : &result.error());
        QList<ProvisioningRequest> waiting = std::exchange(m_awaitingInventory, {});
        if (!result.ok()) {
            Q_EMIT inventoryFailed(result.error());
            for (const ProvisioningRequest& r : std::as_const(waiting)) {
                (void)m_store->releaseClaim(r.id(), m_owner);
                m_inFlight.remove(r.id());
            }
            return;
        }
        m_inventory = result.value();
        m_inventoryAt = m_clock.monotonicNow();
        Q_EMIT inventoryChanged(*m_inventory);
        dispatchClaimed(waiting);
    });
}

std::optional<QString> ProvisioningService::vanishedPlacement(const VmSpec& spec) const
{
    if (!m_inventory)
        return std::nullopt;
    const auto has = [](const auto& list, const QString& name) {
        return std::any_of(list.cbegin(), list.cend(),
                           [&](const auto& item) { return item.name == name || item.path == name; });
    };
    if (!has(m_inventory->datacenters, spec.datacenter))
        return tr("datacenter '%1' no longer exists").arg(spec.datacenter);
    if (!spec.cluster.isEmpty() && !has(m_inventory->clusters, spec.cluster))
        return tr("cluster '%1' no longer exists").arg(spec.cluster);
    if (!has(m_inventory->datastores, spec.datastore))
        return tr("datastore '%1' no longer exists").arg(spec.datastore);
    for (const DatastoreInfo& ds : m_inventory->datastores)
        if (ds.name == spec.datastore && !ds.accessible)
            return tr("datastore '%1' is not accessible").arg(spec.datastore);
    if (!has(m_inventory->networks, spec.network))
        return tr("network '%1' no longer exists").arg(spec.network);
    return std::nullopt;
}

void ProvisioningService::dispatchClaimed(QList<ProvisioningRequest> claimed)
{
    for (qsizetype i = 0; i < claimed.size(); ++i) {
        ProvisioningRequest request = claimed.at(i);
        const RequestState state = request.state();
        if (state != RequestState::QueuedForProvisioning && state != RequestState::Submitted) {
            (void)m_store->releaseClaim(request.id(), m_owner);
            m_inFlight.remove(request.id());
            continue;
        }
        if (const auto vanished = vanishedPlacement(request.spec())) {
            const Error e = Error::make(ErrorKind::Business, QStringLiteral("placement-vanished"), *vanished);
            fail(request, state, tr("checked against fresh inventory: %1").arg(*vanished), e);
            continue;
        }
        if (wasSentBefore(request)) {
            // Sent before (even before an operator's retry reset the attempts): look for the VM first,
            // whatever the last answer was.
            if (request
                    .transitionTo(RequestState::Reconciling, tr("sent before; looking for the VM first"),
                                  m_clock.utcNow())
                    .ok() &&
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
                sendScoutWith(permit);
            for (qsizetype j = i; j < claimed.size(); ++j) {
                (void)m_store->releaseClaim(claimed.at(j).id(), m_owner);
                m_inFlight.remove(claimed.at(j).id());
            }
            return;
        }
        dispatch(request, permit);
    }
}

std::optional<Error> ProvisioningService::cancel(const QUuid& id)
{
    if (!m_store)
        return Error::make(ErrorKind::Storage, QStringLiteral("store-closed"), tr("the request database is not open"));
    if (m_inFlight.contains(id) && m_inFlight.value(id).call != 0)
        return Error::make(ErrorKind::InvalidInput, QStringLiteral("already-sent"),
                           tr("the request is being sent to the hypervisor and can no longer be cancelled"));
    auto found = m_store->get(id);
    if (!found.ok())
        return found.error();
    if (!found.value())
        return Error::make(ErrorKind::InvalidInput, QStringLiteral("not-found"),
                           tr("no request with id %1").arg(id.toString(QUuid::WithoutBraces)));
    ProvisioningRequest request = *found.value();
    const RequestState expected = request.state();
    if (expected != RequestState::Submitted && expected != RequestState::QueuedForProvisioning)
        return Error::make(ErrorKind::InvalidInput, QStringLiteral("not-cancellable"),
                           tr("a request in state %1 cannot be cancelled").arg(toString(expected)));
    if (auto moved = request.transitionTo(RequestState::Cancelled, tr("cancelled by the operator"), m_clock.utcNow());
        !moved.ok())
        return moved.error();
    auto written = m_store->update(request, expected);
    if (!written.ok())
        return written.error().is(ErrorCode::Conflict)
                   ? Error::make(ErrorKind::InvalidInput, QStringLiteral("moved-on"),
                                 tr("the request moved on meanwhile and can no longer be cancelled"))
                   : written.error();
    publish(request);
    Q_EMIT requestSettled(request);
    publishQueueDepth();
    return std::nullopt;
}

std::optional<Error> ProvisioningService::retryNow(const QUuid& id)
{
    if (!m_store)
        return Error::make(ErrorKind::Storage, QStringLiteral("store-closed"), tr("the request database is not open"));
    auto found = m_store->get(id);
    if (!found.ok())
        return found.error();
    if (!found.value())
        return Error::make(ErrorKind::InvalidInput, QStringLiteral("not-found"),
                           tr("no request with id %1").arg(id.toString(QUuid::WithoutBraces)));
    ProvisioningRequest request = *found.value();
    const RequestState expected = request.state();
    const QDateTime now = m_clock.utcNow();
    if (expected == RequestState::Failed) {
        if (auto moved =
                request.transitionTo(RequestState::QueuedForProvisioning, tr("retry requested by the operator"), now);
            !moved.ok())
            return moved.error();
    } else if (expected != RequestState::QueuedForProvisioning) {
        return Error::make(ErrorKind::InvalidInput, QStringLiteral("not-retryable"),
                           tr("a request in state %1 cannot be retried").arg(toString(expected)));
    }
    request.setNextAttemptAt(now);
    auto written = m_store->update(request, expected);
    if (!written.ok())
        return written.error();
    publish(request);
    publishQueueDepth();
    scheduleDrain();
    return std::nullopt;
}

void ProvisioningService::setQueuePaused(bool paused)
{
    if (m_paused == paused)
        return;
    m_paused = paused;
    qCInfo(lcService) << (paused ? "queue paused" : "queue resumed");
    Q_EMIT queuePausedChanged(paused);
    if (!paused)
        scheduleDrain();
}

void ProvisioningService::forceBreakerOpen(const QString& reason)
{
    m_breaker.forceOpen(reason);
    Q_EMIT breakerChanged(m_breaker.snapshot());
}

void ProvisioningService::resetBreaker(const QString& reason)
{
    m_breaker.reset(reason);
    Q_EMIT breakerChanged(m_breaker.snapshot());
    scheduleDrain();
}

void ProvisioningService::probeNow()
{
    if (m_settings && !m_connectInFlight && m_connection.state == ConnectionStatus::State::NeedsOperator &&
        m_connection.error && m_connection.error->kind != ErrorKind::Trust) {
        // An administrator asks to try the refused credentials once more: one Login.
        qCInfo(lcService) << "probe requested: trying the stored credentials once more";
        connectTo(*m_settings);
        return;
    }
    if (m_breaker.probeNow() && !m_scoutInFlight)
        sendScout();
    Q_EMIT breakerChanged(m_breaker.snapshot());
}

void ProvisioningService::refreshInventory()
{
    if (!m_hypervisor || m_connection.state != ConnectionStatus::State::Connected)
        return Q_EMIT inventoryFailed(
            Error::make(ErrorKind::Transient, QStringLiteral("not-connected"), tr("not connected to the hypervisor")));
    const BreakerPermit permit = m_breaker.tryAcquire();
    if (!permit.isAllowed() || permit.isScout()) {
        if (permit.isScout())
            sendScoutWith(permit);
        return Q_EMIT inventoryFailed(Error::make(ErrorKind::Transient, QStringLiteral("breaker-open"),
                                                  tr("the hypervisor is offline (circuit breaker open)")));
    }
    const auto started = m_clock.monotonicNow();
    m_hypervisor->inventory(allInventoryKinds(), [this, permit, started](Result<InventorySnapshot> result) {
        noteCall(permit, started, result.ok() ? nullptr : &result.error());
        if (!result.ok())
            return Q_EMIT inventoryFailed(result.error());
        m_inventory = result.value();
        m_inventoryAt = m_clock.monotonicNow();
        Q_EMIT inventoryChanged(*m_inventory);
    });
}

void ProvisioningService::loadRequests()
{
    if (!m_store)
        return;
    auto all = m_store->list(RequestFilter{});
    if (!all.ok())
        return reportStorageError(all.error());
    Q_EMIT requestsLoaded(all.value());
}

void ProvisioningService::onBreakerTransition(const BreakerTransition& transition)
{
    qCInfo(lcService) << "breaker" << toString(transition.from) << "->" << toString(transition.to) << ":"
                      << transition.reason;
    const BreakerSnapshot snapshot = m_breaker.snapshot();
    if (m_breakerLog) {
        if (auto stored = m_breakerLog->appendBreakerEvent(transition, snapshot, m_owner); !stored.ok())
            reportStorageError(stored.error());
    }
    Q_EMIT breakerTransitioned(transition);
    Q_EMIT breakerChanged(snapshot);
    if (transition.to == BreakerState::Closed)
        scheduleDrain();
}

void ProvisioningService::whenIdle(std::function<void()> idle)
{
    m_idleWaiters.append(std::move(idle));
    notifyIfIdle();
}

void ProvisioningService::notifyIfIdle()
{
    if (!m_inFlight.isEmpty() || m_idleWaiters.isEmpty())
        return;
    const auto waiters = std::exchange(m_idleWaiters, {});
    for (const auto& waiter : waiters)
        waiter();
}

void ProvisioningService::scheduleDrain()
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
