#include "OperationCommand.h"

#include "CtlInput.h"

#include <QJsonObject>
#include <QRegularExpression>

#include <cstdio>

namespace dcm::ctl {

namespace {

Error invalid(const QString& code, const QString& message)
{
    return Error::make(ErrorKind::InvalidInput, code, message);
}

// "vm-42" and the like: a moref as `dcmctl inventory vms` lists it.
bool looksLikeMoref(const QString& text)
{
    static const QRegularExpression moref(QStringLiteral("^vm-[0-9]+$"));
    return moref.match(text).hasMatch();
}

} // namespace

OperationCommand::OperationCommand(CtlContext context, bool decommission)
    : CtlCommand(std::move(context)), m_decommission(decommission)
{}

OperationCommand::~OperationCommand()
{
    m_service.reset();
    m_lookup.reset();
}

void OperationCommand::start()
{
    const QString command = m_decommission ? QStringLiteral("decommission") : QStringLiteral("power");
    QStringList args = options().arguments;
    const bool byVm = !options().vm.isEmpty();
    if (!m_decommission && args.isEmpty() && !byVm)
        return (void)fail(invalid(QStringLiteral("missing-id"),
                                  QStringLiteral("power takes one request id, then on, off or restart")));
    if (!m_decommission) {
        const QString what = args.isEmpty() ? QString() : args.takeLast().toLower();
        if (what == QLatin1String("on"))
            m_kind = RequestKind::PowerOn;
        else if (what == QLatin1String("off"))
            m_kind = RequestKind::PowerOff;
        else if (what == QLatin1String("restart"))
            m_kind = RequestKind::Restart;
        else
            return (void)fail(invalid(
                QStringLiteral("bad-operation"),
                QStringLiteral("power takes on, off or restart after the request id, not %1").arg(quotedInput(what))));
    }
    if (byVm) {
        if (!args.isEmpty())
            return (void)fail(
                invalid(QStringLiteral("bad-option"),
                        QStringLiteral("%1 takes either a request id or --vm NAME, not both").arg(command)));
        if (!options().admin)
            return (void)fail(invalid(QStringLiteral("admin-required"),
                                      QStringLiteral("--vm names a VM this product did not provision: add --admin "
                                                     "and --reason TEXT (ours are named by their request id)")));
        if (options().reason.trimmed().isEmpty())
            return (void)fail(invalid(QStringLiteral("missing-reason"),
                                      QStringLiteral("--reason: admin mode needs the reason, which is recorded")));
    } else if (options().admin) {
        return (void)fail(invalid(QStringLiteral("bad-option"),
                                  QStringLiteral("--admin goes with --vm NAME; a request id names a VM of ours")));
    } else if (args.size() != 1) {
        return (void)fail(invalid(QStringLiteral("missing-id"),
                                  m_decommission
                                      ? QStringLiteral("decommission takes one request id (or --vm NAME "
                                                       "--admin --reason TEXT)")
                                      : QStringLiteral("power takes one request id, then on, off or restart")));
    }

    OperationTarget target;
    target.guestTimeoutSeconds = options().guestTimeoutSeconds;
    if (!byVm) {
        const std::optional<QUuid> id = requestIdFrom(args.constFirst());
        if (!id)
            return (void)fail(notARequestId(args.constFirst()));
        target.requestId = *id;
    } else {
        target.vmName = options().vm;
        target.adminReason = options().reason.trimmed();
    }
    if (m_decommission && !options().confirmed) {
        QString name = target.vmName;
        if (!byVm) {
            if (auto store = connection().openStore(); store.ok())
                if (auto r = store.value()->get(target.requestId); r.ok() && r.value())
                    name = r.value()->spec().name;
        }
        return (void)fail(invalid(QStringLiteral("confirmation-required"),
                                  QStringLiteral("decommission destroys the VM%1 for good: add --yes to confirm")
                                      .arg(name.isEmpty() ? QString() : QStringLiteral(" ") + quotedInput(name))));
    }
    if (!byVm && options().waitSeconds < 0)
        return submit(target, std::nullopt);
    connection().withPassword([this, target](Result<ConnectionSettings> c) {
        if (!c.ok())
            return (void)fail(c.error());
        if (!target.vmName.isEmpty() && target.requestId.isNull())
            return resolveVm(c.value());
        submit(target, c.value());
    });
}

// Admin mode: the VM's moref from vCenter's inventory, by moref or by a name exactly one VM has.
void OperationCommand::resolveVm(const ConnectionSettings& settings)
{
    m_lookup = connection().makeHypervisor();
    m_lookup->connectTo(settings, [this, settings](Result<AboutInfo> about) {
        if (!about.ok())
            return (void)fail(about.error());
        m_lookup->inventory(InventoryKind::Vms, [this, settings](Result<InventorySnapshot> inv) {
            if (!inv.ok())
                return (void)fail(inv.error());
            const QString wanted = options().vm;
            QList<VmInfo> found;
            for (const VmInfo& vm : inv.value().vms)
                if (vm.ref == wanted || (!looksLikeMoref(wanted) && vm.name == wanted))
                    found.append(vm);
            if (found.isEmpty())
                return (void)fail(invalid(
                    QStringLiteral("vm-not-found"),
                    QStringLiteral("--vm: vCenter has no VM %1 (see dcmctl inventory vms)").arg(quotedInput(wanted))));
            if (found.size() > 1)
                return (void)fail(invalid(QStringLiteral("vm-ambiguous"),
                                          QStringLiteral("--vm: %1 VMs are named %2; give the moref instead (see "
                                                         "dcmctl inventory vms)")
                                              .arg(found.size())
                                              .arg(quotedInput(wanted))));
            OperationTarget target;
            target.vmRef = found.first().ref;
            target.vmName = found.first().name;
            target.adminReason = options().reason.trimmed();
            target.guestTimeoutSeconds = options().guestTimeoutSeconds;
            m_lookup->disconnectFrom([](Result<void>) {});
            submit(target, options().waitSeconds >= 0 ? std::optional<ConnectionSettings>(settings) : std::nullopt);
        });
    });
}

void OperationCommand::submit(const OperationTarget& target, std::optional<ConnectionSettings> drive)
{
    m_service = connection().makeService(drive.has_value());
    m_service->initialize();
    if (!m_service->isInitialized())
        return (void)fail(Error::make(ErrorKind::Storage, QStringLiteral("store"),
                                      QStringLiteral("cannot open the request database %1").arg(options().database)));
    const SubmitAnswer a = m_service->submitOperation(m_kind, target);
    if (!a.accepted())
        return (void)fail(a.error.value_or(Error::make(ErrorKind::Internal, QStringLiteral("rejected"), a.message)));
    m_waitFor = a.id;
    if (!drive) {
        // Left for whichever service drains the queue (the console, or `dcmctl serve`).
        QString message = QStringLiteral("Request accepted. It waits in the queue for a service to run it.");
        if (auto log = connection().openBreakerLog(); log.ok() && log.value()) {
            auto last = log.value()->lastBreakerState();
            if (last.ok() && last.value() && last.value()->snapshot.state != BreakerState::Closed)
                message = QStringLiteral("Request accepted. It will run when the hypervisor is online.");
        }
        std::fprintf(stderr, "dcmctl: %s\n", qPrintable(message));
        auto store = connection().openStore();
        if (store.ok())
            if (auto r = store.value()->get(a.id); r.ok() && r.value()) {
                QJsonObject doc = requestJson(*r.value(), false);
                doc.insert(QStringLiteral("message"), message);
                out().document(doc, requestLine(*r.value()));
            }
        return finish(ExitAccepted);
    }
    std::fprintf(stderr, "dcmctl: accepted %s\n", qPrintable(a.id.toString(QUuid::WithoutBraces)));
    const ConnectionSettings settings = *drive;
    connect(
        m_service.get(), &ProvisioningService::connectionChanged, this, [this, settings](const ConnectionStatus& s) {
            if (s.state != ConnectionStatus::State::NeedsOperator || !s.error || isFinished())
                return;
            std::optional<Error> refused = CtlConnection::refusedCredentials(*s.error, settings.server, settings.user);
            if (!refused)
                return (void)fail(*s.error);
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
        if (stored.ok())
            if (auto r = stored.value()->get(m_waitFor); r.ok() && r.value())
                return report(*r.value());
        finish(ExitAccepted);
    });
    m_deadline.start(std::chrono::seconds(options().waitSeconds));
    m_service->connectTo(settings);
}

void OperationCommand::report(const ProvisioningRequest& r)
{
    if (isFinished())
        return;
    out().document(requestJson(r, false), requestLine(r));
    finish(exitCodeForState(r.state()));
}

} // namespace dcm::ctl
