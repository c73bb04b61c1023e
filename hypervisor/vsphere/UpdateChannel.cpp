#include "UpdateChannel.h"

#include "VimRequests.h"
#include "VimSession.h"

#include <QLoggingCategory>

namespace dcm::vsphere {

namespace {
Q_LOGGING_CATEGORY(lcUpdates, "dcm.hypervisor.updates", QtInfoMsg)

bool isRefusal(const Error& e)
{
    return e.kind == ErrorKind::Authentication || e.kind == ErrorKind::Permission || e.kind == ErrorKind::Trust;
}
} // namespace

UpdateChannel::UpdateChannel(VimSession& session, const VsphereOptions& options, QObject* parent)
    : QObject(parent), m_session(session), m_options(options),
      m_reader([this](ObjectUpdate&& u) { return dispatch(std::move(u)); })
{
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &UpdateChannel::pump);
}

UpdateChannel::~UpdateChannel() = default;

int UpdateChannel::serverFilters() const
{
    int n = 0;
    for (const auto& [id, e] : m_entries)
        n += e.serverFilter.isNull() ? 0 : 1;
    return n;
}

UpdateChannel::Id UpdateChannel::add(Filter filter, Follower follower)
{
    const Id id = m_nextId++;
    if (m_gaveUp || m_unsupported) {
        const Error e = m_gaveUp ? *m_gaveUp
                                 : Error::make(ErrorKind::Business, QStringLiteral("no-update-channel"),
                                               QStringLiteral("this server offers no PropertyCollector of our own"));
        QMetaObject::invokeMethod(
            this,
            [f = std::move(follower.onFailed), e] {
                if (f)
                    f(e);
            },
            Qt::QueuedConnection);
        return id;
    }
    Entry entry;
    entry.filter = std::move(filter);
    entry.follower = std::move(follower);
    m_entries.emplace(id, std::move(entry));
    // From the event loop: the caller may still be setting up around this call.
    QMetaObject::invokeMethod(this, &UpdateChannel::pump, Qt::QueuedConnection);
    return id;
}

void UpdateChannel::remove(Id id)
{
    auto it = m_entries.find(id);
    if (it == m_entries.end())
        return;
    if (!it->second.serverFilter.isNull()) {
        m_byFilter.erase(it->second.serverFilter.value);
        m_cleanups.push_back(VimRequests::destroyPropertyFilter(it->second.serverFilter));
    }
    if (!it->second.view.isNull())
        m_cleanups.push_back(VimRequests::destroyView(it->second.view));
    m_touched.erase(id);
    m_entries.erase(it);
    QMetaObject::invokeMethod(this, &UpdateChannel::pump, Qt::QueuedConnection);
}

void UpdateChannel::stop()
{
    ++m_generation;
    m_retry.stop();
    if (m_waitCall)
        m_session.transport().cancel(m_waitCall);
    m_waitCall = 0;
    if (!m_collector.isNull() && m_session.isLoggedIn() && m_session.epoch() == m_collectorEpoch) {
        qCInfo(lcUpdates).noquote() << "destroying property collector" << m_collector.value;
        fireAndForget(VimRequests::destroyPropertyCollector(m_collector)); // its filters go with it
    }
    m_collector = MoRef();
    m_collectorEpoch = 0;
    m_entries.clear();
    m_byFilter.clear();
    m_touched.clear();
    m_cleanups.clear();
    m_version.clear();
    m_restartFromEmpty = m_setupBusy = m_unsupported = false;
    m_gaveUp.reset();
    m_failures = 0;
    m_backoff = std::chrono::milliseconds(0);
}

void UpdateChannel::fireAndForget(const SoapRequest& request)
{
    auto reader = std::make_shared<ReturnValueReader>();
    m_session.transport().post(request, *reader, [reader](Result<void>) {});
}

void UpdateChannel::later(std::chrono::milliseconds delay)
{
    m_retry.start(delay);
}

CallReport UpdateChannel::gateOrWait()
{
    const CallGate& gate = m_session.callGate();
    if (!gate)
        return [](const Error*) {};
    CallReport report = gate();
    if (!report)
        later(m_options.taskPollMax); // the breaker is open: send nothing, look again later
    return report;
}

void UpdateChannel::forgetServerState()
{
    // A new session: the collector, its filters and views of the old one are gone with it.
    ++m_generation;
    if (m_waitCall)
        m_session.transport().cancel(m_waitCall);
    m_waitCall = 0;
    m_collector = MoRef();
    m_collectorEpoch = m_session.epoch();
    m_version.clear();
    m_restartFromEmpty = false;
    m_setupBusy = false;
    m_byFilter.clear();
    m_touched.clear();
    m_cleanups.clear();
    for (auto& [id, e] : m_entries) {
        e.serverFilter = MoRef();
        e.view = MoRef();
        e.creating = false;
        e.fresh = false;
    }
}

bool UpdateChannel::ensureSessionCurrent()
{
    if (!m_session.isConfigured())
        return false;
    if (!m_session.isLoggedIn()) {
        m_setupBusy = true;
        const quint64 generation = m_generation;
        m_session.ensureLoggedIn([this, generation](Result<void> r) {
            if (generation != m_generation)
                return;
            m_setupBusy = false;
            if (!r.ok()) {
                CallReport none;
                handleFailure(r.error(), none, m_session.epoch());
                return;
            }
            pump();
        });
        return false;
    }
    if (m_session.epoch() != m_collectorEpoch) {
        if (!m_collector.isNull())
            qCInfo(lcUpdates) << "new vCenter session: recreating the update channel from an empty version";
        forgetServerState();
    }
    return true;
}

void UpdateChannel::pump()
{
    if (m_gaveUp || m_unsupported || m_setupBusy || m_retry.isActive())
        return;
    if (m_entries.empty() && m_cleanups.empty())
        return;
    if (!ensureSessionCurrent())
        return;
    sendCleanups();
    if (m_retry.isActive() || m_entries.empty())
        return;
    if (m_collector.isNull()) {
        if (CallReport report = gateOrWait())
            createCollector(std::move(report));
        return;
    }
    bool anyFilter = false;
    for (auto& [id, e] : m_entries) {
        if (e.serverFilter.isNull()) {
            if (CallReport report = gateOrWait())
                createFilter(id, std::move(report));
            return;
        }
        anyFilter = true;
    }
    if (anyFilter && !m_waitCall) {
        if (CallReport report = gateOrWait())
            startWait(std::move(report));
    }
}

void UpdateChannel::sendCleanups()
{
    while (!m_cleanups.empty()) {
        CallReport report = gateOrWait();
        if (!report)
            return;
        SoapRequest request = std::move(m_cleanups.back());
        m_cleanups.pop_back();
        auto reader = std::make_shared<ReturnValueReader>();
        m_session.transport().post(request, *reader, [reader, report](Result<void> r) {
            // A filter the server forgot already (its session ended) is gone all the same.
            report(r.ok() ? nullptr : &r.error());
        });
    }
}

bool UpdateChannel::handleFailure(const Error& e, CallReport& report, quint64 sentEpoch)
{
    if (report) {
        // A refusal or a fault is an answer; only what the breaker counts as failing is passed on.
        report(&e);
        report = nullptr;
    }
    if (isRefusal(e)) {
        failAll(e);
        m_gaveUp = e;
        return true;
    }
    if (e.kind == ErrorKind::SessionExpired) {
        m_setupBusy = true;
        const quint64 generation = m_generation;
        m_session.relogin(sentEpoch, [this, generation](Result<void> r) {
            if (generation != m_generation)
                return;
            m_setupBusy = false;
            if (!r.ok()) {
                CallReport none;
                handleFailure(r.error(), none, m_session.epoch());
                return;
            }
            pump();
        });
        return true;
    }
    if (e.vimFault == QLatin1String("ManagedObjectNotFound")) {
        // Our collector or filter is gone while the session stayed (the server dropped it): start over.
        qCInfo(lcUpdates) << "the update channel's collector is gone; recreating it";
        forgetServerState();
        m_collectorEpoch = m_session.epoch();
    }
    ++m_failures;
    if (!m_session.callGate() && m_failures > m_options.taskPollFailuresTolerated) {
        // Without a breaker to decide, a channel that keeps failing gives its followers up (a task
        // follower then reports its outcome as unknown, as polling would).
        Error lost =
            Error::make(ErrorKind::Transient, QStringLiteral("update-channel-lost"),
                        QStringLiteral("the update channel failed %1 times: %2").arg(m_failures).arg(e.message));
        m_failures = 0;
        failAll(lost);
        return true;
    }
    m_backoff = m_backoff.count() == 0 ? m_options.taskPollMin : std::min(m_backoff * 2, m_options.taskPollMax);
    later(m_backoff);
    return true;
}

void UpdateChannel::failAll(const Error& e)
{
    qCInfo(lcUpdates).noquote() << "update channel stops following:" << e.code << e.message;
    std::map<Id, Entry> entries = std::exchange(m_entries, {});
    for (auto& [id, entry] : entries) {
        if (!entry.serverFilter.isNull())
            m_cleanups.push_back(VimRequests::destroyPropertyFilter(entry.serverFilter));
        if (!entry.view.isNull())
            m_cleanups.push_back(VimRequests::destroyView(entry.view));
    }
    m_byFilter.clear();
    m_touched.clear();
    for (auto& [id, entry] : entries) {
        if (entry.follower.onFailed)
            entry.follower.onFailed(e);
    }
}

void UpdateChannel::createCollector(CallReport report)
{
    m_setupBusy = true;
    const quint64 generation = m_generation;
    const quint64 epoch = m_session.epoch();
    m_setupReader.reset();
    m_session.transport().post(VimRequests::createPropertyCollector(m_session.content().propertyCollector),
                               m_setupReader, [this, generation, epoch, report](Result<void> r) mutable {
                                   if (generation != m_generation) {
                                       report(r.ok() ? nullptr : &r.error());
                                       return;
                                   }
                                   m_setupBusy = false;
                                   const XmlValue* rv = m_setupReader.first();
                                   if (r.ok() && (!rv || rv->text.isEmpty()))
                                       r = Error::make(ErrorKind::Transient, QStringLiteral("malformed-reply"),
                                                       QStringLiteral("CreatePropertyCollector returned no collector"));
                                   if (!r.ok()) {
                                       if (r.error().kind == ErrorKind::Business &&
                                           r.error().vimFault != QLatin1String("ManagedObjectNotFound")) {
                                           report(nullptr);
                                           m_unsupported = true;
                                           failAll(r.error());
                                           return;
                                       }
                                       handleFailure(r.error(), report, epoch);
                                       return;
                                   }
                                   report(nullptr);
                                   m_collector = MoRef{QString::fromUtf8(rv->typeAttr), rv->string()};
                                   m_collectorEpoch = epoch;
                                   m_version.clear();
                                   qCInfo(lcUpdates).noquote()
                                       << "update channel: property collector" << m_collector.value;
                                   pump();
                               });
}

void UpdateChannel::createFilter(Id id, CallReport report)
{
    Entry& entry = m_entries.at(id);
    m_setupBusy = true;
    entry.creating = true;
    const quint64 generation = m_generation;
    const quint64 epoch = m_session.epoch();
    m_setupReader.reset();
    const bool needsView = !entry.filter.viewTypes.isEmpty() && entry.view.isNull();
    const MoRef container = entry.filter.container.isNull() ? m_session.content().rootFolder : entry.filter.container;
    const SoapRequest request =
        needsView
            ? VimRequests::createContainerView(m_session.content().viewManager, container, entry.filter.viewTypes, true)
            : VimRequests::createFilter(m_collector, entry.filter.propSet, entry.view, entry.filter.objects);
    m_session.transport().post(
        request, m_setupReader, [this, id, generation, epoch, needsView, report](Result<void> r) mutable {
            if (generation != m_generation) {
                report(r.ok() ? nullptr : &r.error());
                return;
            }
            m_setupBusy = false;
            const XmlValue* rv = m_setupReader.first();
            if (r.ok() && (!rv || rv->text.isEmpty()))
                r = Error::make(
                    ErrorKind::Transient, QStringLiteral("malformed-reply"),
                    QStringLiteral("%1 returned no reference")
                        .arg(needsView ? QStringLiteral("CreateContainerView") : QStringLiteral("CreateFilter")));
            auto it = m_entries.find(id);
            if (r.ok()) {
                report(nullptr);
                m_failures = 0;
                m_backoff = std::chrono::milliseconds(0);
                const MoRef made{QString::fromUtf8(rv->typeAttr), rv->string()};
                if (it == m_entries.end()) { // removed meanwhile: never leave it on the server
                    m_cleanups.push_back(needsView ? VimRequests::destroyView(made)
                                                   : VimRequests::destroyPropertyFilter(made));
                    return pump();
                }
                Entry& e = it->second;
                if (needsView) {
                    e.view = made;
                    return pump();
                }
                e.creating = false;
                e.serverFilter = made;
                e.fresh = true;
                m_byFilter[made.value] = id;
                if (e.follower.onFreshState)
                    e.follower.onFreshState();
                if (!m_version.isEmpty() && !e.filter.viewTypes.isEmpty()) {
                    // A watch needs its whole initial state now; asking from an empty version gives it
                    // (once per watch and session: the other filters' full state is small).
                    m_restartFromEmpty = true;
                    if (m_waitCall) {
                        if (CallReport cancelReport = gateOrWait()) {
                            auto reader = std::make_shared<ReturnValueReader>();
                            m_session.transport().post(VimRequests::cancelWaitForUpdates(m_collector), *reader,
                                                       [reader, cancelReport](Result<void> cr) {
                                                           cancelReport(cr.ok() ? nullptr : &cr.error());
                                                       });
                        }
                    } else {
                        m_version.clear();
                        m_restartFromEmpty = false;
                    }
                }
                return pump();
            }
            if (it != m_entries.end())
                it->second.creating = false;
            const Error& err = r.error();
            if (err.kind == ErrorKind::Business && err.vimFault != QLatin1String("ManagedObjectNotFound") &&
                it != m_entries.end()) {
                // The server refuses this filter (an old server, a bad spec): that follower alone fails.
                report(nullptr);
                Entry gone = std::move(it->second);
                m_entries.erase(it);
                if (!gone.view.isNull())
                    m_cleanups.push_back(VimRequests::destroyView(gone.view));
                if (gone.follower.onFailed)
                    gone.follower.onFailed(err);
                return pump();
            }
            handleFailure(err, report, epoch);
        });
}

bool UpdateChannel::dispatch(ObjectUpdate&& u)
{
    auto f = m_byFilter.find(u.filter);
    if (f == m_byFilter.end())
        return true; // a filter removed meanwhile
    auto it = m_entries.find(f->second);
    if (it == m_entries.end())
        return true;
    m_touched.insert(f->second);
    if (it->second.follower.onUpdate)
        it->second.follower.onUpdate(u);
    return true;
}

void UpdateChannel::startWait(CallReport report)
{
    const bool fromEmpty = m_version.isEmpty();
    const quint64 generation = m_generation;
    m_reader.reset();
    ++m_waits;
    m_waitCall = m_session.transport().post(
        VimRequests::waitForUpdatesEx(m_collector, m_version, m_options.updateWaitSeconds, m_options.maxObjectUpdates),
        m_reader, [this, report, generation, fromEmpty](Result<void> r) mutable {
            waited(std::move(r), std::move(report), generation, fromEmpty);
        });
}

void UpdateChannel::waited(Result<void> r, CallReport report, quint64 generation, bool fromEmpty)
{
    if (generation != m_generation) {
        report(r.ok() || r.error().kind == ErrorKind::Cancelled ? nullptr : &r.error());
        return;
    }
    m_waitCall = 0;
    if (!r.ok()) {
        if (r.error().kind == ErrorKind::Cancelled) {
            // CancelWaitForUpdates (ours: a watch wants its full state) answered with RequestCanceled.
            report(nullptr);
            if (m_restartFromEmpty) {
                m_version.clear();
                m_restartFromEmpty = false;
            }
            return pump();
        }
        qCInfo(lcUpdates).noquote() << "WaitForUpdatesEx failed:" << r.error().code << r.error().message;
        handleFailure(r.error(), report, m_collectorEpoch);
        return;
    }
    report(nullptr);
    m_failures = 0;
    m_backoff = std::chrono::milliseconds(0);
    const bool truncated = m_reader.hasUpdateSet() && m_reader.truncated();
    if (m_reader.hasUpdateSet())
        m_version = m_reader.version();
    for (const MoRef& missing : m_reader.missingObjects())
        qCInfo(lcUpdates).noquote() << "a followed object is missing on the server:" << missing.value;
    if (m_restartFromEmpty) {
        m_version.clear();
        m_restartFromEmpty = false;
    } else if (!truncated) {
        std::vector<Id> current;
        for (auto& [id, e] : m_entries) {
            if (m_touched.count(id) || (fromEmpty && e.fresh && !e.serverFilter.isNull()))
                current.push_back(id);
        }
        m_touched.clear();
        for (Id id : current) {
            auto it = m_entries.find(id);
            if (it == m_entries.end())
                continue;
            it->second.fresh = false;
            if (it->second.follower.onCaughtUp)
                it->second.follower.onCaughtUp();
        }
    }
    pump();
}

} // namespace dcm::vsphere
