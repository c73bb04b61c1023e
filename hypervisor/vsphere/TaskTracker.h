#pragma once

#include "MoRef.h"
#include "ObjectContentReader.h"
#include "SoapRequest.h"
#include "UpdateChannel.h"
#include "VsphereOptions.h"
#include "XmlValue.h"

#include "domain/Result.h"

#include <QDeadlineTimer>
#include <QPointer>
#include <QTimer>

#include <functional>

namespace dcm::vsphere {

class VimSession;

// Follows one vCenter task through the PropertyCollector (info.state, progress, error, result,
// cancelable), under a deadline: read once at once (quick tasks are often done by then), then followed
// through the session's update channel — a filter on the task, whose changes arrive with the channel's
// WaitForUpdatesEx instead of as polls; the filter is destroyed when the task ends. When the channel
// cannot follow it (an old server without CreatePropertyCollector, a CreateFilter fault, a channel
// that gave up), the task is polled as before: with a doubling interval.
//
// With the caller's CallGate (the service's breaker), every poll asks the gate first and reports its
// outcome: a poll that times out counts as it happens, no poll goes out while the gate says no, and
// polling resumes when it says yes again — the task is followed until it ends, vanishes or the
// deadline passes. Without a gate, a few failed polls in a row are tolerated; beyond that the task's
// outcome is unknown. A poll refused for credentials ends tracking at once with that refusal: the
// task was sent and its outcome is pending, which is for the operator, never "unknown".
class TaskTracker
{
public:
    using Next = std::function<void(Result<void>)>;
    using Retrieve = std::function<void(const SoapRequest&, ObjectContentReader&, Next)>;
    using FireAndForget = std::function<void(const SoapRequest&)>;
    using Progress = std::function<void(int percent)>;
    using Done = std::function<void(Result<XmlValue>)>; // success: info.result (may be empty)

    TaskTracker(VimSession& session, Retrieve retrieve, FireAndForget fireAndForget, const VsphereOptions& options);
    ~TaskTracker();
    TaskTracker(const TaskTracker&) = delete;
    TaskTracker& operator=(const TaskTracker&) = delete;

    void track(const MoRef& task, Progress progress, Done done);
    // Asks vCenter to cancel the task (CancelTask) as soon as it says the task is cancelable.
    void requestCancel();
    bool waiting() const { return m_timer.isActive(); }

private:
    void poll();
    void polled(Result<void> r, bool gated);
    void waitForGate();
    void schedule();
    void finish(Result<XmlValue> r);
    void sendCancelIfPossible();
    // Judges m_info; true when the task has ended (and finish() was called).
    bool judge();
    void follow();
    void followed(const ObjectUpdate& u);
    void followFailed(const Error& e);
    void stopFollowing();

    VimSession& m_session;
    Retrieve m_retrieve;
    FireAndForget m_fireAndForget;
    VsphereOptions m_options;
    QTimer m_timer;
    QDeadlineTimer m_deadline;
    ObjectContentReader m_reader;
    ObjectContent m_info;
    MoRef m_task;
    Progress m_progress;
    Done m_done;
    std::chrono::milliseconds m_delay{0};
    int m_failures = 0;
    int m_lastPercent = -1;
    bool m_cancelWanted = false;
    bool m_cancelSent = false;
    bool m_cancelable = false;
    // Following through the update channel: the timer then only watches the deadline.
    UpdateChannel::Id m_filter = 0;
    bool m_following = false;
    bool m_pollOnly = false;           // the channel could not follow this task: poll
    QPointer<UpdateChannel> m_channel; // the channel followed through (it may go before us)
};

} // namespace dcm::vsphere
