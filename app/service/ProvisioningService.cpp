#include "app/service/ProvisioningService.h"

#include "app/service/LocalFleetBreaker.h"
#include "domain/BatchPlan.h"
#include "domain/LocalActor.h"
#include "domain/Redaction.h"
#include "domain/RequestEventText.h"

#include <limits>

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QSysInfo>

Q_LOGGING_CATEGORY(lcService, "dcm.app.service", QtInfoMsg)

namespace dcm {

namespace {

QString defaultOwner()
{
    return QStringLiteral("%1:%2:%3")
        .arg(QSysInfo::machineHostName())
        .arg(QCoreApplication::applicationPid())
        .arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
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
    qRegisterMetaType<RequestKind>();
    qRegisterMetaType<OperationTarget>();
    qRegisterMetaType<RequestPage>();
}

ProvisioningService::ProvisioningService(HypervisorFactory hypervisor, StoreFactory store, const ClockPort& clock,
                                         ServiceConfig config, QObject* parent)
    : QObject(parent), m_hypervisorFactory(std::move(hypervisor)), m_storeFactory(std::move(store)), m_clock(clock),
      m_config(std::move(config)), m_breaker(clock, m_config.breaker),
      m_retry(m_config.retryBase, m_config.retryCap, m_config.maxAttempts),
      m_connection(new ConnectionManager(m_breaker, clock, this)),
      m_inventory(new InventoryCache(m_breaker, *m_connection, clock, m_config.inventoryMaxAge, this)),
      m_drainer(new QueueDrainer(m_breaker, *m_connection, *m_inventory, clock, m_config,
                                 m_config.owner.isEmpty() ? defaultOwner() : m_config.owner, m_retry, this)),
      m_follower(new GuestIdentityFollower(m_breaker, *m_connection, clock, m_config.guestIdentityInterval,
                                           m_config.guestIdentityTimeout, this))
{
    registerMetaTypes();
    m_breaker.setTransitionListener([this](const BreakerTransition& t) { onBreakerTransition(t); });

    connect(m_connection, &ConnectionManager::connectionChanged, this, &ProvisioningService::connectionChanged);
    connect(m_connection, &ConnectionManager::passwordRequired, this, &ProvisioningService::passwordRequired);
    connect(m_connection, &ConnectionManager::credentialNotice, this, &ProvisioningService::credentialNotice);
    connect(m_connection, &ConnectionManager::breakerNoted, this, &ProvisioningService::publishBreaker);
    connect(m_connection, &ConnectionManager::connected, m_drainer, &QueueDrainer::scheduleDrain);
    // Queued: the refusal happens inside whichever call wanted the scout; the fleet is looked at after.
    connect(
        m_connection, &ConnectionManager::scoutLeaseRefused, this, [this] { followFleet(true); }, Qt::QueuedConnection);
    connect(m_inventory, &InventoryCache::changed, this, &ProvisioningService::inventoryChanged);
    // Live VMs once a session is up (the adapter keeps the watch across re-logins and ends it on
    // disconnect; while the breaker is open its calls wait at the gate like any other).
    if (m_config.liveInventory)
        connect(m_connection, &ConnectionManager::connected, m_inventory, &InventoryCache::startWatching);
    m_inventory->setDeltaThrottle(m_config.inventoryDeltaThrottle);
    connect(m_inventory, &InventoryCache::failed, this, &ProvisioningService::inventoryFailed);
    connect(m_drainer, &QueueDrainer::requestChanged, this, &ProvisioningService::requestChanged);
    connect(m_drainer, &QueueDrainer::requestProgress, this, &ProvisioningService::requestProgress);
    connect(m_drainer, &QueueDrainer::requestSettled, this, &ProvisioningService::requestSettled);
    connect(m_drainer, &QueueDrainer::requestSettled, m_follower,
            [this](const ProvisioningRequest& request) { m_follower->follow(request); });
    connect(m_drainer, &QueueDrainer::queueDepthChanged, this, &ProvisioningService::queueDepthChanged);
    connect(m_drainer, &QueueDrainer::storageFailed, this, &ProvisioningService::storageFailed);
}

ProvisioningService::~ProvisioningService()
{
    // The adapter's callbacks capture the rooms: drop it before anything else goes.
    m_hypervisor.reset();
}

QString ProvisioningService::owner() const
{
    return m_drainer->owner();
}

bool ProvisioningService::isQueuePaused() const
{
    return m_drainer->isPaused();
}

const ConnectionStatus& ProvisioningService::connectionStatus() const
{
    return m_connection->status();
}

int ProvisioningService::inFlightCount() const
{
    return m_drainer->inFlightCount();
}

void ProvisioningService::whenIdle(std::function<void()> idle)
{
    m_drainer->whenIdle(std::move(idle));
}

QString ProvisioningService::credentialKey(const QUrl& server, const QString& user)
{
    return ConnectionManager::credentialKey(server, user);
}

void ProvisioningService::initialize()
{
    // With a queue opener and no store factory, the queue is opened like a switch (its password may
    // come from the keychain, which answers later): the service starts without a store meanwhile.
    const bool deferred = !m_storeFactory && m_queueOpener.open;
    if (m_store || (deferred && m_hypervisor))
        return;
    m_hypervisor = m_hypervisorFactory();
    if (!deferred) {
        auto opened = m_storeFactory();
        if (!opened.ok()) {
            qCWarning(lcService) << "cannot open the request store:" << opened.error().message;
            Q_EMIT initialized(opened.error());
            return;
        }
        m_store = std::move(opened.value());
    }
    m_connection->attach(m_hypervisor.get(), m_credentialFactory ? m_credentialFactory() : nullptr);
    m_inventory->attach(m_hypervisor.get());
    m_drainer->attach(m_hypervisor.get(), m_store.get());
    m_follower->attach(m_hypervisor.get(), m_store.get(), [this](ProvisioningRequest& request, RequestState expected) {
        return m_drainer->store(request, expected);
    });
    std::optional<Error> logError;
    if (m_breakerLogFactory && !deferred) {
        auto log = m_breakerLogFactory();
        if (log.ok())
            m_breakerLog = std::move(log.value());
        else
            logError = log.error();
    }
    if (m_fleetFactory && !deferred) {
        auto fleet = m_fleetFactory();
        if (fleet.ok())
            m_fleet = std::move(fleet.value());
        else if (!logError)
            logError = fleet.error();
    }
    if (!m_fleet)
        m_fleet = std::make_unique<LocalFleetBreaker>();
    m_connection->attachFleet(m_fleet.get(), owner());
    // Calls the adapter makes on its own (task polls, the read-back) pass the breaker one by one: a
    // vCenter that stops answering opens it within threshold x call timeout, and none goes out while
    // it is open.
    m_hypervisor->setCallGate([this]() -> CallReport {
        if (m_shuttingDown)
            return {};
        const BreakerPermit permit = m_breaker.tryAcquire();
        if (permit.isRejected())
            return {};
        if (permit.isScout()) {
            if (!m_connection->scoutInFlight())
                m_connection->scout(permit);
            else
                m_breaker.onFailure(permit, Error::make(ErrorKind::Cancelled, QStringLiteral("not-sent"),
                                                        QStringLiteral("a scout is already out")));
            return {};
        }
        const auto started = m_clock.monotonicNow();
        return [this, permit, started](const Error* failure) { m_connection->noteCall(permit, started, failure); };
    });
    if (m_config.tickInterval.count() > 0) {
        m_timer = new QTimer(this);
        m_timer->setInterval(m_config.tickInterval);
        connect(m_timer, &QTimer::timeout, this, &ProvisioningService::tick);
        m_timer->start();
    }
    qCInfo(lcService) << "service" << owner() << "ready";
    // Others' writes are followed from now on; what is older a view reads page by page (loadRequestPage).
    m_othersWatermark = m_clock.utcNow();
    m_othersBreakerSeen = m_clock.utcNow();
    if (m_store) {
        (void)m_store->othersWrote(); // the baseline
        resumeFollowingGuests();
    }
    Q_EMIT initialized(std::nullopt);
    if (deferred)
        useQueue(m_queueLocation);
    else if (m_queueOpener.name)
        Q_EMIT queueChanged(m_queueLocation, !m_queueOpener.credentialKey(m_queueLocation).isEmpty(),
                            m_queueOpener.name(m_queueLocation));
    if (logError)
        m_drainer->reportStorageError(*logError);
    publishBreaker();
    m_drainer->publishQueueDepth();
}

void ProvisioningService::connectTo(const ConnectionSettings& settings)
{
    m_connection->connectTo(settings);
}

void ProvisioningService::connectWithStoredPassword(const ConnectionSettings& settings)
{
    m_connection->connectWithStoredPassword(settings);
}

void ProvisioningService::connectWithPassword(const ConnectionSettings& settings, bool remember)
{
    m_connection->connectWithPassword(settings, remember);
}

void ProvisioningService::forgetPassword(const ConnectionSettings& settings)
{
    m_connection->forgetPassword(settings);
}

void ProvisioningService::shutdown()
{
    m_shuttingDown = true;
    if (m_timer)
        m_timer->stop();
    m_drainer->shutdown();
    m_follower->shutdown();
    m_connection->disconnect();
}

bool ProvisioningService::storeSubmitted(ProvisioningRequest& request, SubmitAnswer& answer)
{
    if (auto inserted = m_store->insert(request, m_drainer->owner(), m_drainer->leaseUntil()); !inserted.ok()) {
        answer.outcome = SubmitAnswer::Outcome::Failed;
        answer.error = inserted.error();
        answer.message =
            tr("The request could not be stored, so it was not accepted: %1").arg(inserted.error().message);
        m_drainer->reportStorageError(inserted.error());
        return false;
    }
    answer.id = request.id();
    m_drainer->publish(request);
    return true;
}

void ProvisioningService::queueSubmitted(ProvisioningRequest& request, SubmitAnswer& answer, const EventReason& reason,
                                         const QString& message)
{
    m_drainer->queue(request, RequestState::Submitted, reason, std::nullopt, std::chrono::milliseconds(0));
    answer.outcome = SubmitAnswer::Outcome::Queued;
    answer.state = RequestState::QueuedForProvisioning;
    answer.message = message;
}

void ProvisioningService::resumeFollowingGuests()
{
    RequestFilter recent;
    recent.states = {RequestState::Provisioned};
    recent.updatedAfter = m_clock.utcNow().addMSecs(-m_config.guestIdentityTimeout.count());
    auto rows = m_store->list(recent);
    if (!rows.ok())
        return m_drainer->reportStorageError(rows.error());
    for (const ProvisioningRequest& r : std::as_const(rows.value())) {
        // The wait counts from when it became PROVISIONED, not from this start.
        const auto provisioned = std::find_if(r.history().crbegin(), r.history().crend(), [](const RequestEvent& e) {
            return e.to == RequestState::Provisioned && e.from != RequestState::Provisioned;
        });
        m_follower->follow(r, provisioned == r.history().crend() ? r.updatedAt() : provisioned->at);
    }
}

void ProvisioningService::publishBreaker()
{
    Q_EMIT breakerChanged(m_breaker.snapshot());
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
    return submitValid({spec}, token, QUuid(), std::numeric_limits<int>::max()).first();
}

QList<SubmitAnswer> ProvisioningService::submitBatch(const VmSpec& pattern, int count, quint64 token)
{
    auto planned = expandBatch(pattern, count);
    if (!planned.ok()) {
        SubmitAnswer answer;
        answer.token = token;
        answer.outcome = SubmitAnswer::Outcome::Rejected;
        for (const QVariant& v : planned.error().details.value(QStringLiteral("problems")).toList()) {
            const QVariantMap m = v.toMap();
            answer.problems.append(FieldProblem{m.value(QStringLiteral("field")).toString(),
                                                m.value(QStringLiteral("message")).toString()});
        }
        answer.error = Error::make(ErrorKind::InvalidInput, QStringLiteral("invalid-spec"),
                                   tr("The batch has problems; none of its %n VMs was submitted.", nullptr, count));
        answer.message = answer.error->message;
        Q_EMIT submitAnswered(answer);
        return {answer};
    }
    // As many start now as the drain has slots for; the others wait in the queue, due now, and the
    // drain takes them as slots free up — a batch never puts more calls in flight than the drain would.
    return submitValid(planned.value(), token, QUuid::createUuid(),
                       std::max(0, m_config.drainConcurrency - m_drainer->inFlightCount()));
}

QList<SubmitAnswer> ProvisioningService::submitValid(const QList<VmSpec>& specs, quint64 token, const QUuid& batchId,
                                                     int startLimit)
{
    QList<SubmitAnswer> answers;
    const auto refuseAll = [&](const Error& error) {
        for (qsizetype i = 0; i < specs.size(); ++i) {
            SubmitAnswer answer;
            answer.token = token;
            answer.outcome = SubmitAnswer::Outcome::Failed;
            answer.error = error;
            answer.message = error.message;
            Q_EMIT submitAnswered(answer);
            answers.append(answer);
        }
        return answers;
    };
    if (!m_store)
        return refuseAll(Error::make(ErrorKind::Storage, ErrorCode::StoreClosed,
                                     tr("The request database is not open; nothing was submitted.")));
    if (m_switching) {
        // Accepted now, it would land in the queue being left and vanish from this console's view.
        return refuseAll(Error::make(ErrorKind::Storage, QStringLiteral("switching-queue"),
                                     tr("The console is switching to another queue; nothing was submitted. Submit "
                                        "again in a moment.")));
    }

    // Each request is first given the state it will be stored in — PROVISIONING when it starts now,
    // QUEUED_FOR_PROVISIONING with its reason otherwise — so that storing it is the submit's only
    // commit: SUBMITTED → PROVISIONING is written before its call goes out, and a queued request is
    // never claimed only to be released.
    QList<PlannedSubmit> plans;
    plans.reserve(specs.size());
    int started = 0;
    for (const VmSpec& spec : specs) {
        PlannedSubmit plan{ProvisioningRequest(QUuid::createUuid(), spec, m_clock.utcNow()), {}, {}, {}};
        plan.answer.token = token;
        plan.request.setRequestedBy(localActor());
        plan.request.setBatchId(batchId);
        planSubmitted(plan, started < startLimit);
        if (plan.permit)
            ++started;
        plans.append(std::move(plan));
    }
    QList<ProvisioningRequest> requests;
    requests.reserve(plans.size());
    for (const PlannedSubmit& plan : std::as_const(plans))
        requests.append(plan.request);
    // The operator hears "accepted" only after this commit is synced.
    const Result<void> stored = m_store->insertAll(requests, m_drainer->owner(), m_drainer->leaseUntil());
    if (!stored.ok())
        m_drainer->reportStorageError(stored.error());
    bool queued = false;
    for (PlannedSubmit& plan : plans) {
        SubmitAnswer& answer = plan.answer;
        if (!stored.ok()) {
            if (plan.permit) {
                // Nothing was sent: give the permit back as a failure the breaker does not count.
                m_breaker.onFailure(*plan.permit,
                                    Error::make(ErrorKind::Storage, QStringLiteral("not-sent"),
                                                QStringLiteral("request could not be stored; nothing sent")));
            }
            answer = SubmitAnswer{};
            answer.token = token;
            answer.outcome = SubmitAnswer::Outcome::Failed;
            answer.error = stored.error();
            answer.message =
                tr("The request could not be stored, so it was not accepted: %1").arg(stored.error().message);
        } else {
            answer.id = plan.request.id();
            m_drainer->publish(plan.request);
            if (plan.permit)
                m_drainer->sendStored(plan.request, *plan.permit);
            queued = queued || answer.outcome == SubmitAnswer::Outcome::Queued;
        }
        // The breaker's probe carries no request: it is sent whatever the store answered, so that a
        // permit is never left unused.
        if (plan.scout)
            m_connection->scout(*plan.scout);
    }
    if (queued)
        m_drainer->scheduleDrain();
    if (stored.ok())
        m_drainer->publishQueueDepth();
    for (const PlannedSubmit& plan : std::as_const(plans)) {
        Q_EMIT submitAnswered(plan.answer);
        answers.append(plan.answer);
    }
    return answers;
}

void ProvisioningService::planSubmitted(PlannedSubmit& plan, bool mayStart)
{
    ProvisioningRequest& request = plan.request;
    SubmitAnswer& answer = plan.answer;
    const QDateTime now = m_clock.utcNow();
    // What the answer says if a transition below were refused (none can be from SUBMITTED): the request
    // is stored SUBMITTED, leased to us, and whoever drains takes it once the lease lapses.
    answer.outcome = SubmitAnswer::Outcome::Queued;
    answer.state = RequestState::Submitted;
    answer.message = tr("Request accepted.");
    const auto queued = [&](const EventReason& reason, const QString& message) {
        if (!request.transitionTo(RequestState::QueuedForProvisioning, reason, now).ok())
            return;
        request.setNextAttemptAt(now);
        answer.outcome = SubmitAnswer::Outcome::Queued;
        answer.state = RequestState::QueuedForProvisioning;
        answer.message = message;
    };
    const QString offline = tr("Request accepted. Provisioning will start when the hypervisor is online.");
    if (m_drainer->isPaused()) {
        queued(RequestEventText::reason(RequestEventText::kQueuePaused),
               tr("Request accepted. Provisioning will start when an administrator resumes the queue."));
    } else if (!m_connection->isConnected()) {
        queued(RequestEventText::reason(RequestEventText::kNotConnected), offline);
    } else if (!mayStart) {
        queued(RequestEventText::reason(RequestEventText::kWaitingForSlot),
               tr("Request accepted. Provisioning starts as soon as a drain slot is free."));
    } else {
        const BreakerPermit permit = m_breaker.tryAcquire();
        if (permit.isRejected()) {
            queued(RequestEventText::reason(RequestEventText::kBreakerOpen, {toString(m_breaker.state())}), offline);
        } else if (permit.isScout()) {
            // The scout must be the cheap probe, never a provisioning call.
            queued(RequestEventText::reason(RequestEventText::kWaitingForProbe), offline);
            plan.scout = permit;
        } else if (!request
                        .transitionTo(RequestState::Provisioning, RequestEventText::reason(RequestEventText::kSent),
                                      now)
                        .ok()) {
            m_breaker.onFailure(permit, Error::make(ErrorKind::Internal, QStringLiteral("not-sent"),
                                                    QStringLiteral("request could not start; nothing sent")));
        } else {
            plan.permit = permit;
            answer.outcome = SubmitAnswer::Outcome::Started;
            answer.state = RequestState::Provisioning;
            answer.message = tr("Request accepted. Provisioning has started.");
        }
    }
}

SubmitAnswer ProvisioningService::submitOperation(RequestKind kind, const OperationTarget& asked, quint64 token)
{
    SubmitAnswer answer;
    answer.token = token;
    const auto finish = [&]() -> SubmitAnswer {
        Q_EMIT submitAnswered(answer);
        return answer;
    };
    const auto reject = [&](const QString& code, const QString& message, QList<FieldProblem> problems = {}) {
        answer.outcome = SubmitAnswer::Outcome::Rejected;
        answer.problems = std::move(problems);
        answer.error = Error::make(ErrorKind::InvalidInput, code, message);
        answer.message = message;
        return finish();
    };
    if (!isOperation(kind))
        return reject(QStringLiteral("not-an-operation"), tr("Provisioning is submitted with a VM spec."));
    OperationTarget target = asked;
    target.adminReason = target.adminReason.trimmed();
    if (const QList<FieldProblem> problems = target.problems(); !problems.isEmpty())
        return reject(QStringLiteral("invalid-target"),
                      tr("%1: %2").arg(problems.first().field, problems.first().message), problems);
    if (!m_store) {
        answer.outcome = SubmitAnswer::Outcome::Failed;
        answer.error = Error::make(ErrorKind::Storage, ErrorCode::StoreClosed,
                                   tr("The request database is not open; nothing was submitted."));
        answer.message = answer.error->message;
        return finish();
    }
    if (!target.requestId.isNull()) {
        // Ours: the VM of a provisioning request that reached PROVISIONED, found later by its key.
        auto found = m_store->get(target.requestId);
        if (!found.ok()) {
            answer.outcome = SubmitAnswer::Outcome::Failed;
            answer.error = found.error();
            answer.message = found.error().message;
            return finish();
        }
        const QString id = target.requestId.toString(QUuid::WithoutBraces);
        if (!found.value() || found.value()->isOperation())
            return reject(QStringLiteral("not-found"),
                          tr("target.requestId: no provisioning request with id %1").arg(id));
        const ProvisioningRequest& provisioned = *found.value();
        if (provisioned.state() != RequestState::Provisioned)
            return reject(QStringLiteral("no-vm"),
                          tr("target.requestId: request %1 is %2; only a PROVISIONED request has a VM to act on")
                              .arg(id, toString(provisioned.state())));
        if (provisioned.decommissionedAt().isValid())
            return reject(
                QStringLiteral("decommissioned"),
                tr("target.requestId: the VM of request %1 was decommissioned at %2, by %3")
                    .arg(id, provisioned.decommissionedAt().toString(Qt::ISODate), provisioned.decommissionedBy()));
        target.vmRef = provisioned.vmRef();
        target.vmName = provisioned.spec().name;
    }

    // Operations on one VM run in the order of their age: a new one is younger than every one before it.
    QDateTime createdAt = m_clock.utcNow();
    if (const QDateTime newest = m_drainer->operations().newestOnSameVm(target);
        newest.isValid() && newest >= createdAt)
        createdAt = newest.addMSecs(1);
    ProvisioningRequest request = ProvisioningRequest::operation(QUuid::createUuid(), kind, target, createdAt);
    request.setRequestedBy(localActor());
    if (!storeSubmitted(request, answer))
        return finish();

    const auto queued = [&](const EventReason& reason, const QString& message) {
        queueSubmitted(request, answer, reason, message);
    };
    const QString offline = tr("Request accepted. It will run when the hypervisor is online.");
    OperationRunner& runner = m_drainer->operations();
    if (m_drainer->isPaused()) {
        queued(RequestEventText::reason(RequestEventText::kQueuePaused),
               tr("Request accepted. It will run when an administrator resumes the queue."));
    } else if (!m_connection->isConnected()) {
        queued(RequestEventText::reason(RequestEventText::kNotConnected), offline);
    } else if (const auto earlier = runner.earlierOnSameVm(request, true)) {
        queued(RequestEventText::reason(RequestEventText::kWaitsForEarlier,
                                        {earlier->id().toString(QUuid::WithoutBraces)}),
               tr("Request accepted. It will run once the earlier operation on this VM has finished."));
    } else {
        const BreakerPermit permit = m_breaker.tryAcquire();
        if (permit.isRejected()) {
            queued(RequestEventText::reason(RequestEventText::kBreakerOpen, {toString(m_breaker.state())}), offline);
        } else if (permit.isScout()) {
            queued(RequestEventText::reason(RequestEventText::kWaitingForProbe), offline);
            m_connection->scout(permit);
        } else {
            runner.start(request, permit);
            answer.outcome = SubmitAnswer::Outcome::Started;
            answer.state = RequestState::Provisioning;
            answer.message = tr("Request accepted. The %1 has started.").arg(operationVerb(kind));
        }
    }
    m_drainer->publishQueueDepth();
    return finish();
}

std::optional<Error> ProvisioningService::cancel(const QUuid& id)
{
    if (!m_store)
        return Error::make(ErrorKind::Storage, ErrorCode::StoreClosed, tr("the request database is not open"));
    if (m_drainer->isSending(id))
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
    if (auto moved = request.transitionTo(RequestState::Cancelled,
                                          RequestEventText::reason(RequestEventText::kCancelled), m_clock.utcNow());
        !moved.ok())
        return moved.error();
    auto written = m_store->update(request, expected);
    if (!written.ok())
        return written.error().is(ErrorCode::Conflict)
                   ? Error::make(ErrorKind::InvalidInput, QStringLiteral("moved-on"),
                                 tr("the request moved on meanwhile and can no longer be cancelled"))
                   : written.error();
    m_drainer->publish(request);
    Q_EMIT requestSettled(request);
    m_drainer->publishQueueDepth();
    return std::nullopt;
}

std::optional<Error> ProvisioningService::retryNow(const QUuid& id)
{
    if (!m_store)
        return Error::make(ErrorKind::Storage, ErrorCode::StoreClosed, tr("the request database is not open"));
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
        if (auto moved = request.transitionTo(RequestState::QueuedForProvisioning,
                                              RequestEventText::reason(RequestEventText::kRetryRequested), now);
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
    m_drainer->publish(request);
    m_drainer->publishQueueDepth();
    m_drainer->scheduleDrain();
    return std::nullopt;
}

void ProvisioningService::tick()
{
    if (!m_store || m_shuttingDown)
        return;
    if (m_switching) {
        // Only what is in flight in the queue being left goes on: its leases are kept.
        m_drainer->keepLeases();
        return;
    }
    m_drainer->keepLeases();
    followFleet();
    if (m_breaker.isScoutDue() && !m_connection->scoutInFlight() && !m_connection->needsOperator())
        sendScout();
    else
        m_connection->retryIfDisconnected();
    followOtherWriters();
    m_drainer->queueSubmittedWhileAway();
    m_drainer->drain();
    m_follower->poll();
    m_drainer->publishQueueDepth();
}

void ProvisioningService::followOtherWriters()
{
    // Another console, dcmctl or a drainer on this database: read only what changed since we last
    // looked, never the whole table. Writers' clocks may differ a little (two processes, later two
    // machines): look a few seconds back and let the views take a row they have again in their stride.
    auto wrote = m_store->othersWrote();
    if (!wrote.ok() || !wrote.value())
        return;
    RequestFilter changed;
    changed.updatedAfter = m_othersWatermark.addSecs(-5);
    auto rows = m_store->list(changed);
    if (!rows.ok())
        return m_drainer->reportStorageError(rows.error());
    for (const ProvisioningRequest& r : std::as_const(rows.value())) {
        if (!m_othersWatermark.isValid() || r.updatedAt() > m_othersWatermark)
            m_othersWatermark = r.updatedAt();
        if (m_drainer->isDriving(r.id()))
            continue; // ours: published as we wrote it
        Q_EMIT requestChanged(r);
    }
    if (!m_breakerLog)
        return;
    auto last = m_breakerLog->lastBreakerState();
    if (last.ok() && last.value() && last.value()->owner != owner() &&
        (!m_othersBreakerSeen.isValid() || last.value()->transition.at > m_othersBreakerSeen)) {
        m_othersBreakerSeen = last.value()->transition.at;
        Q_EMIT breakerTransitioned(last.value()->transition);
    }
}

void ProvisioningService::followFleet(bool force)
{
    auto changed = m_fleet->changed();
    if (!changed.ok())
        return; // the team database is away: the store says so; our breaker keeps its own counsel
    if (!changed.value() && !force && m_fleetVersion >= 0)
        return;
    auto fleet = m_fleet->read();
    if (!fleet.ok())
        return;
    applyFleet(fleet.value());
}

void ProvisioningService::applyFleet(const FleetBreakerState& fleet)
{
    m_fleetVersion = fleet.version;
    const BreakerState mine = m_breaker.state();
    const QString by = fleet.changedBy.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(fleet.changedBy);
    m_followingFleet = true;
    if (fleet.state == BreakerState::Open && mine == BreakerState::Closed)
        m_breaker.open(tr("the fleet's breaker opened%1: %2").arg(by, fleet.reason));
    else if (fleet.state == BreakerState::ForcedOpen && mine != BreakerState::ForcedOpen)
        m_breaker.forceOpen(tr("held open for the fleet%1: %2").arg(by, fleet.reason));
    else if (fleet.state == BreakerState::Closed && mine != BreakerState::Closed)
        m_breaker.reset(tr("the fleet's breaker closed%1: %2").arg(by, fleet.reason));
    m_followingFleet = false;
    if (fleet.paused != m_drainer->isPaused() && m_drainer->setPaused(fleet.paused))
        Q_EMIT queuePausedChanged(fleet.paused);
    publishBreaker();
}

void ProvisioningService::sendScout()
{
    // The lease first: a member of the fleet that is not to scout this time keeps its breaker OPEN for
    // another cooldown and looks at the fleet (its scout may have closed it meanwhile).
    if (!m_connection->takeScoutLease()) {
        m_breaker.deferScout();
        followFleet(true);
        return;
    }
    const BreakerPermit permit = m_breaker.tryAcquire();
    if (permit.isRejected())
        return;
    m_connection->scout(permit, true);
}

QString ProvisioningService::byWhom(const QString& what, const QString& reason)
{
    return reason.trimmed().isEmpty() ? QStringLiteral("%1 by %2").arg(what, localActor())
                                      : QStringLiteral("%1 by %2: %3").arg(what, localActor(), reason.trimmed());
}

void ProvisioningService::recordAdminAction(const QString& what, const QString& reason)
{
    BreakerTransition action;
    action.at = m_clock.utcNow();
    action.from = action.to = m_breaker.state();
    action.reason = byWhom(what, reason);
    qCInfo(lcService).noquote() << "admin:" << action.reason;
    if (m_breakerLog) {
        if (auto stored = m_breakerLog->appendBreakerEvent(action, m_breaker.snapshot(), owner()); !stored.ok())
            m_drainer->reportStorageError(stored.error());
    }
    Q_EMIT breakerTransitioned(action);
}

void ProvisioningService::setQueuePaused(bool paused, const QString& reason)
{
    if (!m_drainer->setPaused(paused))
        return;
    recordAdminAction(paused ? QStringLiteral("queue paused") : QStringLiteral("queue resumed"), reason);
    if (m_fleet) {
        if (auto shared = m_fleet->setPaused(paused, reason.trimmed(), localActor()); !shared.ok())
            m_drainer->reportStorageError(shared.error());
    }
    Q_EMIT queuePausedChanged(paused);
}

void ProvisioningService::forceBreakerOpen(const QString& reason)
{
    const QString why = byWhom(QStringLiteral("held open"), reason);
    m_breaker.forceOpen(why);
    if (m_fleet) {
        if (auto shared = m_fleet->hold(why, localActor()); !shared.ok())
            m_drainer->reportStorageError(shared.error());
    }
    publishBreaker();
}

void ProvisioningService::resetBreaker(const QString& reason)
{
    const QString why = byWhom(QStringLiteral("released"), reason);
    m_breaker.reset(why);
    if (m_fleet) {
        if (auto shared = m_fleet->release(why, localActor()); !shared.ok())
            m_drainer->reportStorageError(shared.error());
    }
    publishBreaker();
    m_drainer->scheduleDrain();
}

void ProvisioningService::probeNow(const QString& reason)
{
    if (!reason.trimmed().isEmpty())
        recordAdminAction(QStringLiteral("probe requested"), reason);
    // Waiting for the operator after a refused login, an administrator's probe tries once more.
    if (m_connection->retryRefusedCredentials())
        return;
    if (m_breaker.probeNow() && !m_connection->scoutInFlight())
        sendScout();
    publishBreaker();
}

void ProvisioningService::refreshInventory()
{
    // While the watch keeps the VMs current (after its full state), a refresh reads the rest only.
    InventoryKinds kinds = allInventoryKinds();
    if (m_inventory->isWatching() && m_inventory->snapshot())
        kinds &= ~InventoryKinds(InventoryKind::Vms);
    m_inventory->fetch(kinds, nullptr);
}

void ProvisioningService::loadRequestPage(const RequestFilter& filter, quint64 token)
{
    if (!m_store)
        return;
    RequestPage page;
    page.token = token;
    page.filter = filter;
    auto rows = m_store->list(filter);
    if (!rows.ok())
        return m_drainer->reportStorageError(rows.error());
    page.requests = std::move(rows).value();
    page.more = filter.limit > 0 && page.requests.size() >= filter.limit;
    if (!filter.olderThan) {
        if (!page.more) {
            page.total = int(page.requests.size());
        } else {
            auto total = m_store->countMatching(filter);
            if (!total.ok())
                return m_drainer->reportStorageError(total.error());
            page.total = total.value();
        }
    }
    Q_EMIT requestPageLoaded(page);
}

void ProvisioningService::onBreakerTransition(const BreakerTransition& transition)
{
    qCInfo(lcService) << "breaker" << toString(transition.from) << "->" << toString(transition.to) << ":"
                      << transition.reason;
    const BreakerSnapshot snapshot = m_breaker.snapshot();
    // A transition that follows the fleet's was recorded by the member that made it; only our own go
    // into the log and to the fleet.
    if (m_breakerLog && !m_followingFleet) {
        if (auto stored = m_breakerLog->appendBreakerEvent(transition, snapshot, owner()); !stored.ok())
            m_drainer->reportStorageError(stored.error());
    }
    if (m_fleet && !m_followingFleet) {
        Result<void> shared;
        // Only CLOSED -> OPEN opens the fleet: a scout that failed held the lease, which the fleet
        // grants only while OPEN; a scout handed back unsent must not reopen a fleet that just closed.
        if (transition.to == BreakerState::Open && transition.from == BreakerState::Closed)
            shared = m_fleet->open(transition.reason, owner(), m_breaker.config().cooldown);
        else if (transition.to == BreakerState::Closed && transition.from == BreakerState::HalfOpen)
            shared = m_fleet->close(transition.reason, owner());
        if (!shared.ok())
            m_drainer->reportStorageError(shared.error());
    }
    Q_EMIT breakerTransitioned(transition);
    Q_EMIT breakerChanged(snapshot);
    if (transition.to == BreakerState::Closed)
        m_drainer->scheduleDrain();
}

// ---- switching queues ----

void ProvisioningService::useQueue(const QString& location, const std::optional<QString>& password, bool remember)
{
    if (!m_queueOpener.open) {
        // A service given one store (tests, tools): "this workstation" is the one it has.
        if (!location.isEmpty())
            Q_EMIT queueSwitchFailed(location, Error::make(ErrorKind::Internal, QStringLiteral("no-queue-opener"),
                                                           tr("this service cannot switch queues")));
        return;
    }
    if (m_switching) {
        Q_EMIT queueSwitchFailed(location, Error::make(ErrorKind::InvalidInput, QStringLiteral("switching-queue"),
                                                       tr("the console is still switching to %1; try again once it has")
                                                           .arg(m_queueOpener.name(*m_switching))));
        return;
    }
    if (m_store && location == m_queueLocation && !password) {
        Q_EMIT queueChanged(m_queueLocation, !m_queueOpener.credentialKey(location).isEmpty(),
                            m_queueOpener.name(location));
        return;
    }
    const QString key = m_queueOpener.credentialKey(location);
    CredentialStorePort* keychain = m_connection->credentials();
    if (password || key.isEmpty() || !keychain) {
        openQueue(location, password.value_or(QString()), password.has_value(), remember);
        return;
    }
    // The keychain first (what `dcmctl login --for-db` stored); without an entry, libpq's own ways.
    QPointer<ProvisioningService> self(this);
    keychain->readPassword(key, [self, location](Result<QString> read) {
        if (self)
            self->openQueue(location, read.ok() ? read.value() : QString(), false, false);
    });
}

void ProvisioningService::openQueue(const QString& location, const QString& password, bool typed, bool remember)
{
    if (m_shuttingDown)
        return;
    const QString name = m_queueOpener.name(location);
    auto opened = m_queueOpener.open(location, password);
    if (!opened.ok()) {
        const Error& e = opened.error();
        qCWarning(lcService).noquote() << "cannot switch to the queue" << name << ":" << e.message;
        if (e.kind == ErrorKind::Authentication)
            Q_EMIT queuePasswordRequired(location, name,
                                         e.is(ErrorCode::NoPassword) ? std::nullopt : std::optional<Error>(e));
        else
            Q_EMIT queueSwitchFailed(location, e);
        return;
    }
    if (typed && remember && !password.isEmpty()) {
        if (CredentialStorePort* keychain = m_connection->credentials()) {
            QPointer<ProvisioningService> self(this);
            keychain->writePassword(m_queueOpener.credentialKey(location), password, [self](Result<void> written) {
                if (self && !written.ok())
                    Q_EMIT self->credentialNotice(written.error());
            });
        }
    }
    if (!m_store) {
        installQueue(location, std::move(opened.value()));
        return;
    }
    // Nothing new is claimed from the queue being left; what is in flight lands there first.
    m_switching = location;
    const bool wasPaused = m_drainer->isPaused();
    m_drainer->setPaused(true);
    auto stores = std::make_shared<QueueStores>(std::move(opened.value()));
    QPointer<ProvisioningService> self(this);
    qCInfo(lcService).noquote() << "switching to the queue" << name << "once" << inFlightCount()
                                << "calls in flight have landed";
    m_drainer->whenIdle([self, location, stores, wasPaused] {
        if (!self)
            return;
        // Out of the drainer's own call stack: it is still reporting the call that just landed.
        QMetaObject::invokeMethod(
            self,
            [self, location, stores, wasPaused] {
                if (!self || self->m_shuttingDown)
                    return;
                self->m_drainer->setPaused(wasPaused);
                self->installQueue(location, std::move(*stores));
            },
            Qt::QueuedConnection);
    });
}

void ProvisioningService::installQueue(const QString& location, QueueStores stores)
{
    // The new stores are attached before the old ones go: nothing ever points at a closed store. The
    // guests followed were the old queue's: forgotten (a late answer for one is ignored), and the new
    // queue's recent clones are followed instead once it is installed.
    m_drainer->attach(m_hypervisor.get(), stores.store.get());
    m_follower->shutdown();
    m_follower->attach(
        m_hypervisor.get(), stores.store.get(),
        [this](ProvisioningRequest& request, RequestState expected) { return m_drainer->store(request, expected); });
    std::unique_ptr<FleetBreakerPort> fleet =
        stores.fleet ? std::move(stores.fleet)
                     : std::unique_ptr<FleetBreakerPort>(std::make_unique<LocalFleetBreaker>());
    m_connection->attachFleet(fleet.get(), owner());
    m_store = std::move(stores.store);
    m_breakerLog = std::move(stores.breakerLog);
    m_fleet = std::move(fleet);
    m_fleetVersion = -1; // the new fleet's breaker and pause are followed at once
    m_queueLocation = location;
    m_switching.reset();
    m_othersWatermark = m_clock.utcNow();
    m_othersBreakerSeen = m_clock.utcNow();
    (void)m_store->othersWrote();
    resumeFollowingGuests();
    qCInfo(lcService).noquote() << "queue:" << m_queueOpener.name(location);
    Q_EMIT queueChanged(location, !m_queueOpener.credentialKey(location).isEmpty(), m_queueOpener.name(location));
    followFleet(true);
    m_drainer->publishQueueDepth();
    m_drainer->scheduleDrain();
}

} // namespace dcm
