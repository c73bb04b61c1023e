#pragma once

#include "MoRef.h"
#include "ObjectContentReader.h"
#include "SoapRequest.h"
#include "VsphereOptions.h"
#include "XmlValue.h"

#include "domain/Result.h"

#include <QDeadlineTimer>
#include <QTimer>

#include <functional>

namespace dcm::vsphere {

class VimSession;

// Follows one vCenter task through the PropertyCollector (info.state, progress, error, result,
// cancelable): polled at once, then with a doubling interval, under a deadline. A few failed polls in
// a row are tolerated; beyond that, or past the deadline, the task's outcome is unknown.
class TaskTracker
{
public:
    using Next = std::function<void(Result<void>)>;
    using Retrieve = std::function<void(const SoapRequest&, ObjectContentReader&, Next)>;
    using FireAndForget = std::function<void(const SoapRequest&)>;
    using Progress = std::function<void(int percent)>;
    using Done = std::function<void(Result<XmlValue>)>; // success: info.result (may be empty)

    TaskTracker(VimSession& session, Retrieve retrieve, FireAndForget fireAndForget, const VsphereOptions& options);

    void track(const MoRef& task, Progress progress, Done done);
    // Asks vCenter to cancel the task (CancelTask) as soon as it says the task is cancelable.
    void requestCancel();
    bool waiting() const { return m_timer.isActive(); }

private:
    void poll();
    void polled(Result<void> r);
    void schedule();
    void finish(Result<XmlValue> r);
    void sendCancelIfPossible();

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
};

} // namespace dcm::vsphere
