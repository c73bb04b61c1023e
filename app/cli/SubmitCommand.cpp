#include "SubmitCommand.h"

#include "domain/BatchPlan.h"
#include "domain/LocalActor.h"
#include "domain/RequestEventText.h"

#include <QJsonArray>
#include <QJsonObject>

#include <cstdio>

namespace dcm::ctl {

SubmitCommand::~SubmitCommand()
{
    m_service.reset();
}

namespace {

QList<FieldProblem> problemsOf(const Error& e)
{
    QList<FieldProblem> problems;
    for (const QVariant& v : e.details.value(QStringLiteral("problems")).toList()) {
        const QVariantMap m = v.toMap();
        problems.append(
            FieldProblem{m.value(QStringLiteral("field")).toString(), m.value(QStringLiteral("message")).toString()});
    }
    return problems;
}

QJsonObject batchEntry(const ProvisioningRequest& r)
{
    return QJsonObject{{QStringLiteral("id"), r.id().toString(QUuid::WithoutBraces)},
                       {QStringLiteral("name"), r.spec().name},
                       {QStringLiteral("state"), toString(r.state())}};
}

} // namespace

void SubmitCommand::start()
{
    QList<FieldProblem> problems;
    if (isBatch()) {
        auto planned = expandBatch(options().spec, options().count);
        if (planned.ok())
            m_specs = planned.value();
        else
            problems = problemsOf(planned.error());
    } else {
        problems = options().spec.validate();
    }
    if (!problems.isEmpty()) {
        QStringList lines;
        QJsonArray arr;
        for (const FieldProblem& p : problems) {
            lines << QStringLiteral("%1: %2").arg(p.field, p.message);
            arr.append(QJsonObject{{QStringLiteral("field"), p.field}, {QStringLiteral("message"), p.message}});
        }
        std::fprintf(stderr, "dcmctl: invalid spec\n  %s\n", qPrintable(lines.join(QStringLiteral("\n  "))));
        if (out().json())
            out().document(QJsonObject{{QStringLiteral("error"),
                                        QJsonObject{{QStringLiteral("kind"), toString(ErrorKind::InvalidInput)},
                                                    {QStringLiteral("code"), QStringLiteral("invalid-spec")},
                                                    {QStringLiteral("message"), QStringLiteral("invalid spec")},
                                                    {QStringLiteral("exitCode"), int(ExitInvalidInput)},
                                                    {QStringLiteral("problems"), arr}}}},
                           QString());
        return finish(ExitInvalidInput);
    }
    if (options().waitSeconds < 0)
        return store();
    connection().withPassword([this](Result<ConnectionSettings> c) {
        if (!c.ok())
            return (void)fail(c.error());
        drive(c.value());
    });
}

// Durable and left for whichever service drains the queue (the console, or `dcmctl serve`). When the
// breaker a service last recorded on this database is not CLOSED, vCenter is away: the request is
// stored as QUEUED_FOR_PROVISIONING with that reason, and the operator is told so, as the console does.
void SubmitCommand::store()
{
    auto store = connection().openStore();
    if (!store.ok())
        return (void)fail(store.error());
    QString breakerState;
    if (auto log = connection().openBreakerLog(); log.ok() && log.value()) {
        auto last = log.value()->lastBreakerState();
        if (last.ok() && last.value() && last.value()->snapshot.state != BreakerState::Closed)
            breakerState = toString(last.value()->snapshot.state);
    }
    const QString message =
        breakerState.isEmpty()
            ? QStringLiteral("Request accepted. It waits in the queue for a service to provision it.")
            : QStringLiteral("Request accepted. Provisioning will start when the hypervisor is online.");
    const QList<VmSpec> specs = isBatch() ? m_specs : QList<VmSpec>{options().spec};
    const QUuid batchId = isBatch() ? QUuid::createUuid() : QUuid();
    QList<ProvisioningRequest> stored;
    for (const VmSpec& spec : specs) {
        ProvisioningRequest request(QUuid::createUuid(), spec, connection().clock().utcNow());
        request.setRequestedBy(localActor());
        request.setBatchId(batchId);
        if (!breakerState.isEmpty()) {
            (void)request.transitionTo(RequestState::QueuedForProvisioning,
                                       RequestEventText::reason(RequestEventText::kBreakerOpen, {breakerState}),
                                       request.createdAt());
            request.setNextAttemptAt(request.createdAt());
        }
        if (auto inserted = store.value()->insert(request, QString(), QDateTime()); !inserted.ok()) {
            // The ones stored stay stored (each is its own request): say which they are.
            for (const ProvisioningRequest& r : std::as_const(stored))
                std::fprintf(stderr, "dcmctl: stored before the failure: %s %s\n",
                             qPrintable(r.id().toString(QUuid::WithoutBraces)), qPrintable(r.spec().name));
            return (void)fail(inserted.error());
        }
        stored.append(request);
    }
    std::fprintf(stderr, "dcmctl: %s\n", qPrintable(message));
    if (isBatch()) {
        QJsonArray arr;
        QString text;
        for (const ProvisioningRequest& r : std::as_const(stored)) {
            arr.append(batchEntry(r));
            text += QStringLiteral("%1 %2 %3\n")
                        .arg(r.id().toString(QUuid::WithoutBraces), r.spec().name, toString(r.state()));
        }
        out().document(arr, text);
        return finish(ExitAccepted);
    }
    const ProvisioningRequest& request = stored.front();
    out().document(
        QJsonObject{{QStringLiteral("id"), request.id().toString(QUuid::WithoutBraces)},
                    {QStringLiteral("state"), toString(request.state())},
                    {QStringLiteral("message"), message}},
        QStringLiteral("%1 %2\n").arg(request.id().toString(QUuid::WithoutBraces), toString(request.state())));
    finish(ExitAccepted);
}

void SubmitCommand::drive(const ConnectionSettings& settings)
{
    m_service = connection().makeService(true);
    // Durable first, then connect: if vCenter is down the request waits in the queue all the same.
    connect(m_service.get(), &ProvisioningService::initialized, this, [this, settings](std::optional<Error> e) {
        if (e)
            return (void)fail(*e);
        if (isBatch()) {
            const QList<SubmitAnswer> answers = m_service->submitBatch(options().spec, options().count);
            for (const SubmitAnswer& a : answers) {
                if (!a.accepted())
                    return (void)fail(
                        a.error.value_or(Error::make(ErrorKind::Internal, QStringLiteral("rejected"), a.message)));
                m_batchWaitFor.append(a.id);
                std::fprintf(stderr, "dcmctl: accepted %s\n", qPrintable(a.id.toString(QUuid::WithoutBraces)));
            }
            m_service->connectTo(settings);
            return;
        }
        const SubmitAnswer a = m_service->submit(options().spec);
        if (!a.accepted())
            return (void)fail(
                a.error.value_or(Error::make(ErrorKind::Internal, QStringLiteral("rejected"), a.message)));
        m_waitFor = a.id;
        std::fprintf(stderr, "dcmctl: accepted %s\n", qPrintable(a.id.toString(QUuid::WithoutBraces)));
        m_service->connectTo(settings);
    });
    connect(
        m_service.get(), &ProvisioningService::connectionChanged, this, [this, settings](const ConnectionStatus& s) {
            if (s.state != ConnectionStatus::State::NeedsOperator || !s.error || isFinished())
                return;
            // Refused credentials: one line naming the account; the request stays queued for a
            // service that can log in. An untrusted certificate keeps its own message (exit 4).
            std::optional<Error> refused = CtlConnection::refusedCredentials(*s.error, settings.server, settings.user);
            if (!refused) {
                std::fprintf(stderr, "dcmctl: request %s stays queued until a service can log in\n",
                             qPrintable(m_waitFor.toString(QUuid::WithoutBraces)));
                return (void)fail(*s.error);
            }
            refused->details.insert(QStringLiteral("requestId"), m_waitFor.toString(QUuid::WithoutBraces));
            m_service->shutdown();
            fail(*refused);
        });
    const auto readBatch = [this]() -> std::optional<QList<ProvisioningRequest>> {
        auto stored = connection().openStore();
        if (!stored.ok())
            return std::nullopt;
        QList<ProvisioningRequest> requests;
        for (const QUuid& id : std::as_const(m_batchWaitFor)) {
            auto r = stored.value()->get(id);
            if (!r.ok() || !r.value())
                return std::nullopt;
            requests.append(*r.value());
        }
        return requests;
    };
    connect(m_service.get(), &ProvisioningService::requestChanged, this,
            [this, readBatch](const ProvisioningRequest& r) {
                if (r.id() == m_waitFor && isSettled(r.state()))
                    return report(r);
                if (!m_batchWaitFor.contains(r.id()) || !isSettled(r.state()))
                    return;
                const auto all = readBatch();
                if (all && std::all_of(all->cbegin(), all->cend(),
                                       [](const ProvisioningRequest& x) { return isSettled(x.state()); }))
                    reportBatch(*all);
            });
    m_deadline.setSingleShot(true);
    m_deadline.callOnTimeout(this, [this, readBatch] {
        if (isBatch()) {
            if (const auto all = readBatch())
                return reportBatch(*all);
            return finish(ExitAccepted);
        }
        auto stored = connection().openStore();
        if (stored.ok()) {
            if (auto r = stored.value()->get(m_waitFor); r.ok() && r.value())
                return report(*r.value());
        }
        finish(ExitAccepted);
    });
    m_deadline.start(std::chrono::seconds(options().waitSeconds));
    m_service->initialize();
}

void SubmitCommand::reportBatch(const QList<ProvisioningRequest>& requests)
{
    if (isFinished())
        return;
    QJsonArray arr;
    QString text;
    int exitCode = ExitOk;
    for (const ProvisioningRequest& r : requests) {
        arr.append(batchEntry(r));
        text += requestLine(r);
        // The batch's exit code is its worst request's: a failure over "not yet" over done.
        const int code = exitCodeForState(r.state());
        if (code == ExitFailure || (code == ExitAccepted && exitCode == ExitOk))
            exitCode = code;
    }
    out().document(arr, text);
    finish(exitCode);
}

void SubmitCommand::report(const ProvisioningRequest& r)
{
    if (isFinished())
        return;
    out().document(requestJson(r, false), requestLine(r));
    finish(exitCodeForState(r.state()));
}

} // namespace dcm::ctl
