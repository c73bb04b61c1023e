#include "CtlRunner.h"

#include "domain/BreakerSnapshotJson.h"
#include "domain/ErrorJson.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QTextStream>

#include <cstdio>

#ifdef Q_OS_UNIX
#include <termios.h>
#include <unistd.h>
#endif

namespace dcm::ctl {

namespace {

QString iso(const QDateTime& t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs) : QString();
}

QJsonValue errorJson(const std::optional<Error>& e)
{
    return e ? QJsonValue(ErrorJson::toJson(*e)) : QJsonValue(QJsonValue::Null);
}

QJsonObject requestJson(const ProvisioningRequest& r, bool withHistory)
{
    QJsonObject o{{QStringLiteral("id"), r.id().toString(QUuid::WithoutBraces)},
                  {QStringLiteral("name"), r.spec().name},
                  {QStringLiteral("state"), toString(r.state())},
                  {QStringLiteral("attempts"), r.attempts()},
                  {QStringLiteral("lastError"), errorJson(r.lastError())},
                  {QStringLiteral("vmMoref"), r.vmRef()},
                  {QStringLiteral("instanceUuid"), r.instanceUuid()},
                  {QStringLiteral("createdAt"), iso(r.createdAt())},
                  {QStringLiteral("updatedAt"), iso(r.updatedAt())}};
    if (r.state() == RequestState::QueuedForProvisioning)
        o.insert(QStringLiteral("nextAttemptAt"), iso(r.nextAttemptAt()));
    if (withHistory) {
        QJsonArray history;
        for (const RequestEvent& e : r.history()) {
            QJsonObject h{{QStringLiteral("at"), iso(e.at)},
                          {QStringLiteral("from"), toString(e.from)},
                          {QStringLiteral("to"), toString(e.to)},
                          {QStringLiteral("reason"), e.reason},
                          {QStringLiteral("attempts"), e.attempts}};
            if (e.cause)
                h.insert(QStringLiteral("cause"), ErrorJson::toJson(*e.cause));
            history.append(h);
        }
        o.insert(QStringLiteral("spec"), r.spec().toJson());
        o.insert(QStringLiteral("history"), history);
    }
    return o;
}

QString requestLine(const ProvisioningRequest& r)
{
    QString error;
    if (r.lastError())
        error = r.lastError()->vimFault.isEmpty()
                    ? r.lastError()->message
                    : r.lastError()->vimFault + QStringLiteral(": ") + r.lastError()->message;
    return QStringLiteral("%1  %2  %3  %4  %5  %6\n")
        .arg(r.id().toString(QUuid::WithoutBraces), r.spec().name.leftJustified(20),
             toString(r.state()).leftJustified(23))
        .arg(r.attempts(), 2)
        .arg(r.vmRef().leftJustified(10), error);
}

int exitCodeForState(RequestState s)
{
    switch (s) {
    case RequestState::Provisioned:
        return ExitOk;
    case RequestState::Failed:
    case RequestState::Cancelled:
        return ExitFailure;
    default:
        return ExitAccepted;
    }
}

QString readSecretLine()
{
#ifdef Q_OS_UNIX
    // Do not echo a password typed at a terminal.
    termios old{};
    const bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
    if (tty) {
        std::fprintf(stderr, "Password: ");
        termios quiet = old;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
#endif
    QTextStream in(stdin);
    const QString line = in.readLine();
#ifdef Q_OS_UNIX
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSANOW, &old);
        std::fprintf(stderr, "\n");
    }
#endif
    return line;
}

Error invalid(const QString& code, const QString& message)
{
    return Error::make(ErrorKind::InvalidInput, code, message);
}

} // namespace

CtlRunner::CtlRunner(CtlOptions options, Factories factories, QObject* parent)
    : QObject(parent), m_options(std::move(options)), m_factories(std::move(factories)), m_out(m_options.json)
{
    m_deadline.setSingleShot(true);
}

CtlRunner::~CtlRunner()
{
    m_service.reset();
    m_hypervisor.reset();
}

void CtlRunner::finish(int exitCode)
{
    if (m_finished)
        return;
    m_finished = true;
    QCoreApplication::exit(exitCode);
}

int CtlRunner::fail(const Error& error)
{
    const int code = m_out.fail(error);
    finish(code);
    return code;
}

void CtlRunner::start()
{
    const QString& c = m_options.command;
    if (c == QLatin1String("about"))
        return about();
    if (c == QLatin1String("inventory"))
        return inventory();
    if (c == QLatin1String("submit"))
        return submit();
    if (c == QLatin1String("requests"))
        return requests();
    if (c == QLatin1String("breaker"))
        return breaker();
    if (c == QLatin1String("serve"))
        return serve();
    if (c == QLatin1String("cancel"))
        return cancelOrRetry(true);
    if (c == QLatin1String("retry"))
        return cancelOrRetry(false);
    if (c == QLatin1String("login"))
        return login();
    fail(invalid(QStringLiteral("unknown-command"), QStringLiteral("unknown command '%1' (see dcmctl --help)").arg(c)));
}

void CtlRunner::interrupt()
{
    if (m_serving && m_service) {
        std::fprintf(stderr, "dcmctl: stopping; letting calls in flight finish\n");
        m_serving = false;
        m_service->shutdown();
        m_service->whenIdle([this] { finish(ExitOk); });
        // Calls that do not land in time keep their lease, which lapses: the next service reconciles them.
        QTimer::singleShot(std::chrono::seconds(10), this, [this] { finish(ExitOk); });
        return;
    }
    fail(Error::make(ErrorKind::Cancelled, QStringLiteral("interrupted"), QStringLiteral("interrupted")));
}

void CtlRunner::withPassword(std::function<void(ConnectionSettings)> next)
{
    ConnectionSettings c = m_options.connection;
    if (c.server.isEmpty()) {
        fail(invalid(QStringLiteral("missing-server"),
                     QStringLiteral("no server: give --server URL or set DCM_SERVER")));
        return;
    }
    if (c.user.isEmpty()) {
        fail(invalid(QStringLiteral("missing-user"), QStringLiteral("no user: give --user NAME or set DCM_USER")));
        return;
    }
    c.password = qEnvironmentVariable("DCM_PASSWORD");
    if (!c.password.isEmpty()) {
        next(c);
        return;
    }
    if (!m_credentials && m_factories.credentials)
        m_credentials = m_factories.credentials();
    if (!m_credentials) {
        fail(Error::make(ErrorKind::Authentication, QStringLiteral("missing-password"),
                         QStringLiteral("no password: set DCM_PASSWORD or store one with `dcmctl login`")));
        return;
    }
    m_credentials->readPassword(
        ProvisioningService::credentialKey(c.server, c.user),
        [this, c, next = std::move(next)](Result<QString> password) mutable {
            if (!password.ok() || password.value().isEmpty()) {
                fail(Error::make(ErrorKind::Authentication, QStringLiteral("missing-password"),
                                 QStringLiteral("no password: set DCM_PASSWORD or store one "
                                                "with `dcmctl login` (%1)")
                                     .arg(password.ok() ? QStringLiteral("empty") : password.error().message)));
                return;
            }
            c.password = password.value();
            next(c);
        });
}

void CtlRunner::about()
{
    withPassword([this](ConnectionSettings c) {
        m_hypervisor = m_factories.hypervisor();
        m_hypervisor->connectTo(c, [this](Result<AboutInfo> about) {
            if (!about.ok())
                return (void)fail(about.error());
            const AboutInfo& a = about.value();
            m_out.document(QJsonObject{{QStringLiteral("name"), a.name},
                                       {QStringLiteral("fullName"), a.fullName},
                                       {QStringLiteral("vendor"), a.vendor},
                                       {QStringLiteral("version"), a.version},
                                       {QStringLiteral("build"), a.build},
                                       {QStringLiteral("apiType"), a.apiType},
                                       {QStringLiteral("apiVersion"), a.apiVersion},
                                       {QStringLiteral("instanceUuid"), a.instanceUuid}},
                           QStringLiteral("Product:       %1\nVersion:       %2 (build %3)\nAPI:           %4 %5\n"
                                          "Instance UUID: %6\n")
                               .arg(a.fullName, a.version, a.build, a.apiType, a.apiVersion, a.instanceUuid));
            m_hypervisor->disconnectFrom([this](Result<void>) { finish(ExitOk); });
        });
    });
}

void CtlRunner::inventory()
{
    static const QList<std::pair<QString, InventoryKind>> kinds{
        {QStringLiteral("datacenters"), InventoryKind::Datacenters},
        {QStringLiteral("clusters"), InventoryKind::Clusters},
        {QStringLiteral("pools"), InventoryKind::ResourcePools},
        {QStringLiteral("hosts"), InventoryKind::Hosts},
        {QStringLiteral("datastores"), InventoryKind::Datastores},
        {QStringLiteral("networks"), InventoryKind::Networks},
        {QStringLiteral("folders"), InventoryKind::Folders},
        {QStringLiteral("vms"), InventoryKind::Vms},
    };
    InventoryKinds wanted;
    if (m_options.arguments.isEmpty()) {
        wanted = allInventoryKinds();
    } else {
        for (const QString& arg : std::as_const(m_options.arguments)) {
            const auto it = std::find_if(kinds.cbegin(), kinds.cend(), [&](const auto& k) {
                return k.first == arg.toLower() || k.first.chopped(1) == arg.toLower();
            });
            if (it == kinds.cend())
                return (void)fail(invalid(QStringLiteral("bad-kind"),
                                          QStringLiteral("unknown inventory kind '%1' (datacenters, clusters, pools, "
                                                         "hosts, datastores, networks, folders, vms)")
                                              .arg(arg)));
            wanted |= it->second;
        }
    }
    withPassword([this, wanted](ConnectionSettings c) {
        m_hypervisor = m_factories.hypervisor();
        m_hypervisor->connectTo(c, [this, wanted](Result<AboutInfo> about) {
            if (!about.ok())
                return (void)fail(about.error());
            m_hypervisor->inventory(wanted, [this, wanted](Result<InventorySnapshot> inv) {
                if (!inv.ok())
                    return (void)fail(inv.error());
                const InventorySnapshot& s = inv.value();
                QJsonObject doc{{QStringLiteral("fetchedAt"), iso(s.fetchedAt)}};
                QString text;
                const auto item = [](const InventoryItem& i) {
                    return QJsonObject{{QStringLiteral("name"), i.name},
                                       {QStringLiteral("path"), i.path},
                                       {QStringLiteral("moref"), i.ref}};
                };
                const auto section = [&](InventoryKind kind, const QString& key, const auto& list, auto extra) {
                    if (!wanted.testFlag(kind))
                        return;
                    QJsonArray arr;
                    text += QStringLiteral("%1 (%2)\n").arg(key).arg(list.size());
                    for (const auto& i : list) {
                        QJsonObject o = item(i);
                        extra(o, i);
                        arr.append(o);
                        text += QStringLiteral("  %1  %2\n").arg(i.ref.leftJustified(16), i.path);
                    }
                    doc.insert(key, arr);
                };
                section(InventoryKind::Datacenters, QStringLiteral("datacenters"), s.datacenters,
                        [](QJsonObject&, const DatacenterInfo&) {});
                section(InventoryKind::Clusters, QStringLiteral("clusters"), s.clusters,
                        [](QJsonObject& o, const ClusterInfo& cluster) {
                            o.insert(QStringLiteral("totalCpuMhz"), cluster.totalCpuMhz);
                            o.insert(QStringLiteral("totalMemoryBytes"), cluster.totalMemoryBytes);
                        });
                section(
                    InventoryKind::ResourcePools, QStringLiteral("pools"), s.resourcePools,
                    [](QJsonObject& o, const ResourcePoolInfo& p) { o.insert(QStringLiteral("owner"), p.ownerRef); });
                section(InventoryKind::Hosts, QStringLiteral("hosts"), s.hosts, [](QJsonObject& o, const HostInfo& h) {
                    o.insert(QStringLiteral("cluster"), h.clusterRef);
                    o.insert(QStringLiteral("connectionState"), h.connectionState);
                    o.insert(QStringLiteral("cpuCores"), h.cpuCores);
                    o.insert(QStringLiteral("cpuMhzTotal"), h.cpuMhzTotal);
                    o.insert(QStringLiteral("cpuMhzUsed"), h.cpuMhzUsed);
                    o.insert(QStringLiteral("memoryBytes"), h.memoryBytes);
                    o.insert(QStringLiteral("memoryUsedMiB"), h.memoryUsedMiB);
                });
                section(InventoryKind::Datastores, QStringLiteral("datastores"), s.datastores,
                        [](QJsonObject& o, const DatastoreInfo& d) {
                            o.insert(QStringLiteral("type"), d.type);
                            o.insert(QStringLiteral("capacityBytes"), d.capacityBytes);
                            o.insert(QStringLiteral("freeBytes"), d.freeBytes);
                            o.insert(QStringLiteral("accessible"), d.accessible);
                        });
                section(InventoryKind::Networks, QStringLiteral("networks"), s.networks,
                        [](QJsonObject& o, const NetworkInfo& n) {
                            o.insert(QStringLiteral("distributed"), n.distributed);
                        });
                section(InventoryKind::Folders, QStringLiteral("folders"), s.folders,
                        [](QJsonObject&, const FolderInfo&) {});
                section(InventoryKind::Vms, QStringLiteral("vms"), s.vms, [](QJsonObject& o, const VmInfo& v) {
                    o.insert(QStringLiteral("powerState"), v.powerState);
                    o.insert(QStringLiteral("cpus"), v.cpus);
                    o.insert(QStringLiteral("memoryMiB"), v.memoryMiB);
                    o.insert(QStringLiteral("guestId"), v.guestId);
                    o.insert(QStringLiteral("instanceUuid"), v.instanceUuid);
                    o.insert(QStringLiteral("requestId"), v.requestId);
                });
                m_out.document(doc, text);
                m_hypervisor->disconnectFrom([this](Result<void>) { finish(ExitOk); });
            });
        });
    });
}

Result<std::unique_ptr<RequestStorePort>> CtlRunner::openStore()
{
    return m_factories.store(m_options.database);
}

std::unique_ptr<ProvisioningService> CtlRunner::makeService(bool autoTick)
{
    ServiceConfig config;
    config.breaker.failureThreshold = m_options.failureThreshold;
    config.breaker.cooldown = std::chrono::seconds(m_options.cooldownSeconds);
    config.drainConcurrency = m_options.drainConcurrency;
    config.leaseDuration = std::chrono::seconds(m_options.leaseSeconds);
    if (!autoTick)
        config.tickInterval = std::chrono::milliseconds(0);
    auto service = std::make_unique<ProvisioningService>(
        m_factories.hypervisor, [this] { return openStore(); }, m_clock, config);
    service->setCredentialStoreFactory(m_factories.credentials);
    service->setBreakerLogFactory([this] { return m_factories.breakerLog(m_options.database); });
    return service;
}

void CtlRunner::submit()
{
    const VmSpec& spec = m_options.spec;
    const QList<FieldProblem> problems = spec.validate();
    if (!problems.isEmpty()) {
        QStringList lines;
        QJsonArray arr;
        for (const FieldProblem& p : problems) {
            lines << QStringLiteral("%1: %2").arg(p.field, p.message);
            arr.append(QJsonObject{{QStringLiteral("field"), p.field}, {QStringLiteral("message"), p.message}});
        }
        std::fprintf(stderr, "dcmctl: invalid spec\n  %s\n", qPrintable(lines.join(QStringLiteral("\n  "))));
        if (m_options.json)
            m_out.document(QJsonObject{{QStringLiteral("error"),
                                        QJsonObject{{QStringLiteral("kind"), toString(ErrorKind::InvalidInput)},
                                                    {QStringLiteral("code"), QStringLiteral("invalid-spec")},
                                                    {QStringLiteral("message"), QStringLiteral("invalid spec")},
                                                    {QStringLiteral("exitCode"), int(ExitInvalidInput)},
                                                    {QStringLiteral("problems"), arr}}}},
                           QString());
        return finish(ExitInvalidInput);
    }

    if (m_options.waitSeconds < 0) {
        // Durable and left for whichever service drains the queue (the console, or `dcmctl serve`).
        auto store = openStore();
        if (!store.ok())
            return (void)fail(store.error());
        ProvisioningRequest request(QUuid::createUuid(), spec, m_clock.utcNow());
        if (auto inserted = store.value()->insert(request, QString(), QDateTime()); !inserted.ok())
            return (void)fail(inserted.error());
        m_out.document(
            QJsonObject{{QStringLiteral("id"), request.id().toString(QUuid::WithoutBraces)},
                        {QStringLiteral("state"), toString(request.state())}},
            QStringLiteral("%1 %2\n").arg(request.id().toString(QUuid::WithoutBraces), toString(request.state())));
        return finish(ExitAccepted);
    }

    withPassword([this](ConnectionSettings c) {
        m_service = makeService(true);
        const auto report = [this](const ProvisioningRequest& r) {
            m_out.document(requestJson(r, false), requestLine(r));
            finish(exitCodeForState(r.state()));
        };
        // Durable first, then connect: if vCenter is down the request waits in the queue all the same.
        connect(m_service.get(), &ProvisioningService::initialized, this, [this, c](std::optional<Error> e) {
            if (e)
                return (void)fail(*e);
            const SubmitAnswer a = m_service->submit(m_options.spec);
            if (!a.accepted())
                return (void)fail(
                    a.error.value_or(Error::make(ErrorKind::Internal, QStringLiteral("rejected"), a.message)));
            m_waitFor = a.id;
            std::fprintf(stderr, "dcmctl: accepted %s\n", qPrintable(a.id.toString(QUuid::WithoutBraces)));
            m_service->connectTo(c);
        });
        connect(m_service.get(), &ProvisioningService::connectionChanged, this, [this](const ConnectionStatus& s) {
            if (s.state == ConnectionStatus::State::NeedsOperator && s.error) {
                std::fprintf(stderr, "dcmctl: request %s stays queued until a service can log in\n",
                             qPrintable(m_waitFor.toString(QUuid::WithoutBraces)));
                fail(*s.error);
            }
        });
        connect(m_service.get(), &ProvisioningService::requestChanged, this,
                [this, report](const ProvisioningRequest& r) {
                    if (r.id() == m_waitFor && isSettled(r.state()))
                        report(r);
                });
        m_deadline.callOnTimeout(this, [this, report] {
            auto stored = openStore();
            if (stored.ok()) {
                if (auto r = stored.value()->get(m_waitFor); r.ok() && r.value())
                    return report(*r.value());
            }
            finish(ExitAccepted);
        });
        m_deadline.start(std::chrono::seconds(m_options.waitSeconds));
        m_service->initialize();
    });
}

void CtlRunner::requests()
{
    auto store = openStore();
    if (!store.ok())
        return (void)fail(store.error());
    RequestFilter filter;
    if (!m_options.stateFilter.isEmpty()) {
        auto state = requestStateFromString(m_options.stateFilter);
        if (!state.ok())
            return (void)fail(state.error());
        filter.states << state.value();
    }
    QList<ProvisioningRequest> found;
    if (!m_options.idFilter.isEmpty()) {
        const QUuid id = QUuid::fromString(m_options.idFilter);
        if (id.isNull())
            return (void)fail(
                invalid(QStringLiteral("bad-id"), QStringLiteral("not a request id: %1").arg(m_options.idFilter)));
        auto r = store.value()->get(id);
        if (!r.ok())
            return (void)fail(r.error());
        if (!r.value())
            return (void)fail(Error::make(ErrorKind::InvalidInput, QStringLiteral("not-found"),
                                          QStringLiteral("no request with id %1").arg(m_options.idFilter)));
        found << *r.value();
    } else {
        auto all = store.value()->list(filter);
        if (!all.ok())
            return (void)fail(all.error());
        found = all.value();
    }
    QJsonArray arr;
    QString text;
    for (const ProvisioningRequest& r : std::as_const(found)) {
        arr.append(requestJson(r, !m_options.idFilter.isEmpty()));
        text += requestLine(r);
    }
    m_out.document(arr, text);
    finish(ExitOk);
}

void CtlRunner::breaker()
{
    auto log = m_factories.breakerLog(m_options.database);
    if (!log.ok())
        return (void)fail(log.error());
    auto last = log.value()->lastBreakerState();
    if (!last.ok())
        return (void)fail(last.error());
    // The breaker's one JSON form (BreakerSnapshotJson), and beside it who recorded it, when and why.
    BreakerSnapshot s;
    s.failureThreshold = m_options.failureThreshold;
    if (last.value())
        s = last.value()->snapshot;
    QJsonObject o = BreakerSnapshotJson::toJson(s);
    o.insert(QStringLiteral("recorded"), last.value().has_value());
    QString text = QStringLiteral("state: %1\nconsecutive failures: %2 of %3\n")
                       .arg(toString(s.state))
                       .arg(s.consecutiveFailures)
                       .arg(s.failureThreshold);
    if (last.value()) {
        const BreakerRecord& rec = *last.value();
        o.insert(QStringLiteral("recordedAt"), iso(rec.transition.at));
        o.insert(QStringLiteral("recordedBy"), rec.owner);
        o.insert(QStringLiteral("reason"), rec.transition.reason);
        text += QStringLiteral("since: %1 (%2)\n").arg(iso(rec.transition.at), rec.transition.reason);
    }
    if (s.nextProbeAt.isValid())
        text += QStringLiteral("next scout: %1\n").arg(iso(s.nextProbeAt));
    m_out.document(o, text);
    finish(ExitOk);
}

void CtlRunner::serve()
{
    withPassword([this](ConnectionSettings c) {
        m_service = makeService(true);
        m_serving = true;
        connect(m_service.get(), &ProvisioningService::initialized, this, [this, c](std::optional<Error> e) {
            if (e)
                return (void)fail(*e);
            std::fprintf(stderr, "dcmctl: serving %s as %s (database %s)\n", qPrintable(c.server.toString()),
                         qPrintable(m_service->owner()), qPrintable(m_options.database));
            m_service->connectTo(c);
        });
        connect(m_service.get(), &ProvisioningService::connectionChanged, this, [this](const ConnectionStatus& s) {
            if (s.state == ConnectionStatus::State::NeedsOperator && s.error) {
                // Wrong credentials or an untrusted certificate: retrying would not help (and could lock
                // the account out).
                m_serving = false;
                fail(*s.error);
            }
        });
        connect(m_service.get(), &ProvisioningService::requestSettled, this, [this](const ProvisioningRequest& r) {
            if (!m_options.json)
                std::fprintf(stderr, "dcmctl: %s %s %s\n", qPrintable(r.id().toString(QUuid::WithoutBraces)),
                             qPrintable(r.spec().name), qPrintable(toString(r.state())));
        });
        m_service->initialize();
    });
}

void CtlRunner::cancelOrRetry(bool cancel)
{
    if (m_options.arguments.size() != 1)
        return (void)fail(invalid(QStringLiteral("missing-id"),
                                  QStringLiteral("%1 takes one request id")
                                      .arg(cancel ? QStringLiteral("cancel") : QStringLiteral("retry"))));
    const QUuid id = QUuid::fromString(m_options.arguments.constFirst());
    if (id.isNull())
        return (void)fail(invalid(QStringLiteral("bad-id"),
                                  QStringLiteral("not a request id: %1").arg(m_options.arguments.constFirst())));
    m_service = makeService(false);
    m_service->initialize();
    if (!m_service->isInitialized())
        return (void)fail(Error::make(ErrorKind::Storage, QStringLiteral("store"),
                                      QStringLiteral("cannot open the request database %1").arg(m_options.database)));
    const std::optional<Error> refused = cancel ? m_service->cancel(id) : m_service->retryNow(id);
    if (refused)
        return (void)fail(*refused);
    auto store = openStore();
    if (store.ok()) {
        if (auto r = store.value()->get(id); r.ok() && r.value()) {
            m_out.document(requestJson(*r.value(), false), requestLine(*r.value()));
            return finish(ExitOk);
        }
    }
    finish(ExitOk);
}

void CtlRunner::login()
{
    const ConnectionSettings& c = m_options.connection;
    if (c.server.isEmpty() || c.user.isEmpty())
        return (void)fail(invalid(QStringLiteral("missing-server"),
                                  QStringLiteral("login needs --server and --user (or DCM_SERVER and DCM_USER)")));
    const QString password = readSecretLine();
    if (password.isEmpty())
        return (void)fail(invalid(QStringLiteral("empty-password"), QStringLiteral("no password on standard input")));
    m_credentials = m_factories.credentials();
    const QString key = ProvisioningService::credentialKey(c.server, c.user);
    m_credentials->writePassword(key, password, [this, key](Result<void> written) {
        if (!written.ok())
            return (void)fail(Error::make(ErrorKind::Storage, written.error().code,
                                          QStringLiteral("the password was not stored: %1. Use DCM_PASSWORD instead.")
                                              .arg(written.error().message)));
        m_out.document(QJsonObject{{QStringLiteral("stored"), key}},
                       QStringLiteral("Password stored in the keychain for %1\n").arg(key));
        finish(ExitOk);
    });
}

} // namespace dcm::ctl
