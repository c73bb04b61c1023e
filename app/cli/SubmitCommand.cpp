#include "SubmitCommand.h"

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

void SubmitCommand::start()
{
    const QList<FieldProblem> problems = options().spec.validate();
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
    ProvisioningRequest request(QUuid::createUuid(), options().spec, connection().clock().utcNow());
    request.setRequestedBy(localActor());
    QString message = QStringLiteral("Request accepted. It waits in the queue for a service to provision it.");
    if (auto log = connection().openBreakerLog(); log.ok() && log.value()) {
        auto last = log.value()->lastBreakerState();
        if (last.ok() && last.value() && last.value()->snapshot.state != BreakerState::Closed) {
            const QString state = toString(last.value()->snapshot.state);
            (void)request.transitionTo(RequestState::QueuedForProvisioning,
                                       RequestEventText::reason(RequestEventText::kBreakerOpen, {state}),
                                       request.createdAt());
            request.setNextAttemptAt(request.createdAt());
            message = QStringLiteral("Request accepted. Provisioning will start when the hypervisor is online.");
        }
    }
    if (auto inserted = store.value()->insert(request, QString(), QDateTime()); !inserted.ok())
        return (void)fail(inserted.error());
    std::fprintf(stderr, "dcmctl: %s\n", qPrintable(message));
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
    connect(m_service.get(), &ProvisioningService::requestChanged, this, [this](const ProvisioningRequest& r) {
        if (r.id() == m_waitFor && isSettled(r.state()))
            report(r);
    });
    m_deadline.setSingleShot(true);
    m_deadline.callOnTimeout(this, [this] {
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

void SubmitCommand::report(const ProvisioningRequest& r)
{
    if (isFinished())
        return;
    out().document(requestJson(r, false), requestLine(r));
    finish(exitCodeForState(r.state()));
}

} // namespace dcm::ctl
