#pragma once

#include "MoRef.h"
#include "PropertySpecDef.h"
#include "ReturnValueReader.h"
#include "SoapTransport.h"
#include "UpdateSetReader.h"
#include "VsphereOptions.h"

#include "domain/Result.h"
#include "domain/ports/HypervisorPort.h"

#include <QObject>
#include <QStringList>
#include <QTimer>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <vector>

namespace dcm::vsphere {

class VimSession;

// The session's update channel: one PropertyCollector of our own (CreatePropertyCollector), a filter
// per follower (CreateFilter, partialUpdates false, explicit paths only) and one long poll
// (WaitForUpdatesEx with a version, maxWaitSeconds and maxObjectUpdates) that serves them all.
//
// Every call the channel makes asks the session's CallGate first, like task polls: while the breaker
// is open nothing goes out (the channel looks again at the slowest poll rate), and each call's outcome
// — a timed-out wait included — is reported as it happens.
//
// A PropertyCollector and its filters belong to one vCenter session. When the session is replaced
// (expiry, re-login) the channel creates them again and starts over from an empty version: the first
// reply is then the full current state of every filter, so that nothing changed during the gap is lost
// (followers are told first through onFreshState). stop() (disconnect) drops the poll in flight and
// every follower; no update is delivered afterwards, and the collector is destroyed on the server.
class UpdateChannel final : public QObject
{
    Q_OBJECT
public:
    using Id = quint64;

    struct Filter
    {
        QList<PropertySpecDef> propSet;
        // The objects of a ContainerView of these types under `container` (recursive; empty: the root
        // folder), or `objects`.
        MoRef container;
        QStringList viewTypes;
        QList<MoRef> objects;
    };

    struct Follower
    {
        // The filter was (re)created: the updates that follow, up to the next onCaughtUp, are the full
        // state of its objects (every one as "enter").
        std::function<void()> onFreshState;
        // One ObjectUpdate of this filter, delivered while the reply streams in. Applying one twice
        // must be harmless: a reply that fails after some updates is asked again from the same version.
        std::function<void(const ObjectUpdate&)> onUpdate;
        // A complete, untruncated reply has been applied: the follower is current.
        std::function<void()> onCaughtUp;
        // The filter cannot be made or the channel gave up (credentials refused, the server has no
        // update channel, too many failures without a gate). The follower is dropped; no call follows.
        std::function<void(const Error&)> onFailed;
    };

    UpdateChannel(VimSession& session, const VsphereOptions& options, QObject* parent = nullptr);
    ~UpdateChannel() override;

    // Starts following; the filter is created on the server as soon as the gate allows.
    Id add(Filter filter, Follower follower);
    // Stops following; the server's filter (and view) are destroyed (DestroyPropertyFilter), never kept.
    void remove(Id id);
    // Disconnect: the poll in flight is dropped, DestroyPropertyCollector is sent if the session is
    // still there, every follower is forgotten without a callback.
    void stop();

    // Diagnostics for tests.
    int followers() const { return int(m_entries.size()); }
    int serverFilters() const;
    quint64 waits() const { return m_waits; }
    bool waiting() const { return m_waitCall != 0; }
    QString version() const { return m_version; }

private:
    struct Entry
    {
        Filter filter;
        Follower follower;
        MoRef serverFilter;
        MoRef view;
        bool creating = false;
        bool fresh = false; // created, full state not yet complete
    };

    void pump();
    void later(std::chrono::milliseconds delay);
    bool ensureSessionCurrent();
    CallReport gateOrWait();
    void createCollector(CallReport report);
    void createFilter(Id id, CallReport report);
    void filterCreated(Id id, Result<void> r, quint64 generation);
    void startWait(CallReport report);
    void waited(Result<void> r, CallReport report, quint64 generation, bool fromEmpty);
    void sendCleanups();
    bool handleFailure(const Error& e, CallReport& report, quint64 sentEpoch);
    void failAll(const Error& e);
    void forgetServerState();
    bool dispatch(ObjectUpdate&& u);
    void fireAndForget(const SoapRequest& request);

    VimSession& m_session;
    VsphereOptions m_options;
    QTimer m_retry;
    std::map<Id, Entry> m_entries;
    std::map<QString, Id> m_byFilter;
    std::set<Id> m_touched;
    std::vector<SoapRequest> m_cleanups; // DestroyPropertyFilter / DestroyView waiting for the gate
    Id m_nextId = 1;
    MoRef m_collector;
    quint64 m_collectorEpoch = 0;
    QString m_version;
    bool m_restartFromEmpty = false;
    bool m_setupBusy = false;
    bool m_unsupported = false;
    std::optional<Error> m_gaveUp;
    SoapTransport::Id m_waitCall = 0;
    quint64 m_generation = 0;
    quint64 m_waits = 0;
    int m_failures = 0;
    std::chrono::milliseconds m_backoff{0};
    ReturnValueReader m_setupReader;
    UpdateSetReader m_reader;
};

} // namespace dcm::vsphere
