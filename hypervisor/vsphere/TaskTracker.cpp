#include "TaskTracker.h"

#include "VimFaultParser.h"
#include "VimRequests.h"
#include "VimSession.h"

#include <QLoggingCategory>

#include <algorithm>

namespace dcm::vsphere {

namespace {
Q_LOGGING_CATEGORY(lcTask, "dcm.hypervisor.task", QtInfoMsg)

const QList<PropertySpecDef>& taskPaths()
{
    static const QList<PropertySpecDef> specs{
        {"Task", {"info.state", "info.progress", "info.error", "info.result", "info.cancelable"}}};
    return specs;
}
} // namespace

TaskTracker::TaskTracker(VimSession& session, Retrieve retrieve, FireAndForget fireAndForget,
                         const VsphereOptions& options)
    : m_session(session), m_retrieve(std::move(retrieve)), m_fireAndForget(std::move(fireAndForget)),
      m_options(options), m_reader([this](ObjectContent&& o) {
          m_info = std::move(o);
          return true;
      })
{
    m_timer.setSingleShot(true);
    QObject::connect(&m_timer, &QTimer::timeout, &m_timer, [this] {
        if (m_following)
            return schedule(); // only the deadline is watched while following: it has passed
        poll();
    });
}

TaskTracker::~TaskTracker()
{
    stopFollowing();
}

void TaskTracker::track(const MoRef& task, Progress progress, Done done)
{
    m_task = task;
    m_progress = std::move(progress);
    m_done = std::move(done);
    m_deadline = QDeadlineTimer(m_options.taskTimeout);
    m_delay = std::chrono::milliseconds(0);
    m_failures = 0;
    m_lastPercent = -1;
    m_cancelSent = false;
    m_cancelable = false;
    stopFollowing();
    m_pollOnly = !m_options.tasksByUpdates || !m_session.updateChannel();
    poll(); // vCenter often finishes quick tasks before the first poll; vcsim always does
}

void TaskTracker::requestCancel()
{
    m_cancelWanted = true;
    sendCancelIfPossible();
}

void TaskTracker::sendCancelIfPossible()
{
    if (!m_cancelWanted || m_cancelSent || !m_cancelable || m_task.isNull())
        return;
    m_cancelSent = true;
    qCInfo(lcTask).noquote() << "cancelling task" << m_task.value;
    m_fireAndForget(VimRequests::cancelTask(m_task));
}

void TaskTracker::poll()
{
    CallReport report;
    if (const CallGate& gate = m_session.callGate()) {
        report = gate();
        if (!report)
            return waitForGate();
    }
    m_info = ObjectContent();
    m_retrieve(VimRequests::retrieveObjects(m_session.content().propertyCollector, {m_task}, taskPaths()), m_reader,
               [this, report](Result<void> r) {
                   if (report)
                       report(r.ok() ? nullptr : &r.error());
                   polled(std::move(r), bool(report));
               });
}

void TaskTracker::waitForGate()
{
    // The breaker is open: nothing is sent; look again at the slowest poll rate until the deadline.
    if (m_deadline.hasExpired())
        return schedule(); // reports the deadline
    m_timer.start(std::min<qint64>(m_options.taskPollMax.count(), std::max<qint64>(0, m_deadline.remainingTime())));
}

void TaskTracker::schedule()
{
    if (m_deadline.hasExpired()) {
        Error e = Error::make(ErrorKind::OutcomeUnknown, QStringLiteral("task-timeout"),
                              QStringLiteral("task %1 did not finish within %2 s")
                                  .arg(m_task.value)
                                  .arg(m_options.taskTimeout.count() / 1000));
        e.details.insert(QStringLiteral("taskRef"), m_task.value);
        return finish(e);
    }
    m_delay = m_delay.count() == 0 ? m_options.taskPollMin : std::min(m_delay * 2, m_options.taskPollMax);
    m_timer.start(std::min<qint64>(m_delay.count(), std::max<qint64>(0, m_deadline.remainingTime())));
}

void TaskTracker::polled(Result<void> r, bool gated)
{
    if (!r.ok()) {
        ++m_failures;
        qCInfo(lcTask).noquote() << "polling task" << m_task.value << "failed:" << r.error().code;
        const ErrorKind kind = r.error().kind;
        if (kind == ErrorKind::Authentication || kind == ErrorKind::Permission || kind == ErrorKind::Trust) {
            // Sent, outcome pending: the request waits for the operator and is looked up by its key
            // once vCenter accepts us again. Never "unknown" (that would count and re-send).
            Error e = r.error();
            e.details.insert(QStringLiteral("taskRef"), m_task.value);
            e.details.insert(QStringLiteral("outcomePending"), true);
            return finish(e);
        }
        const bool retryable = kind == ErrorKind::Transient;
        // Behind a gate the breaker has heard this failure and decides when to poll again.
        if (retryable && gated)
            return schedule();
        if (!retryable || m_failures > m_options.taskPollFailuresTolerated) {
            Error e = Error::make(ErrorKind::OutcomeUnknown, QStringLiteral("task-tracking-lost"),
                                  QStringLiteral("lost track of task %1: %2").arg(m_task.value, r.error().message));
            e.details.insert(QStringLiteral("taskRef"), m_task.value);
            e.details.insert(QStringLiteral("cause"), r.error().code);
            return finish(e);
        }
        return schedule();
    }
    m_failures = 0;
    if (m_info.obj.isNull()) {
        Error e = Error::make(ErrorKind::OutcomeUnknown, QStringLiteral("task-tracking-lost"),
                              QStringLiteral("task %1 is no longer known to vCenter").arg(m_task.value));
        e.details.insert(QStringLiteral("taskRef"), m_task.value);
        return finish(e);
    }
    if (judge())
        return;
    if (!m_pollOnly)
        return follow();
    schedule();
}

bool TaskTracker::judge()
{
    const QString state = m_info.text("info.state");
    if (const XmlValue* c = m_info.prop("info.cancelable"))
        m_cancelable = c->toBool();
    const int percent = state == QLatin1String("success") ? 100 : int(m_info.number("info.progress"));
    if (percent != m_lastPercent && m_progress) {
        m_lastPercent = percent;
        m_progress(percent);
    }
    if (state == QLatin1String("success")) {
        const XmlValue* result = m_info.prop("info.result");
        finish(result ? *result : XmlValue());
        return true;
    }
    if (state == QLatin1String("error")) {
        const XmlValue* error = m_info.prop("info.error");
        VimFault fault = error ? VimFaultParser::fromLocalizedMethodFault(*error) : VimFault();
        if (fault.message.isEmpty() && fault.type.isEmpty())
            fault.message = QStringLiteral("task %1 failed without saying why").arg(m_task.value);
        Error e = fault.toError();
        e.details.insert(QStringLiteral("taskRef"), m_task.value);
        finish(e);
        return true;
    }
    sendCancelIfPossible();
    return false;
}

void TaskTracker::follow()
{
    UpdateChannel* channel = m_session.updateChannel();
    if (!channel) {
        m_pollOnly = true;
        return schedule();
    }
    m_following = true;
    m_channel = channel;
    UpdateChannel::Filter filter;
    filter.objects = {m_task};
    filter.propSet = taskPaths();
    UpdateChannel::Follower follower;
    // Each follower gets the task's whole state first ("enter"), so a change between the read above
    // and the filter's creation is not missed.
    follower.onUpdate = [this](const ObjectUpdate& u) { followed(u); };
    follower.onFailed = [this](const Error& e) {
        m_filter = 0;
        followFailed(e);
    };
    m_filter = channel->add(std::move(filter), std::move(follower));
    qCDebug(lcTask).noquote() << "following task" << m_task.value << "through the update channel";
    m_timer.start(std::max<qint64>(0, m_deadline.remainingTime()));
}

void TaskTracker::followed(const ObjectUpdate& u)
{
    if (!m_following || u.obj.value != m_task.value)
        return;
    if (u.kind == ObjectUpdate::Kind::Leave) {
        Error e = Error::make(ErrorKind::OutcomeUnknown, QStringLiteral("task-tracking-lost"),
                              QStringLiteral("task %1 is no longer known to vCenter").arg(m_task.value));
        e.details.insert(QStringLiteral("taskRef"), m_task.value);
        return finish(e);
    }
    m_info.obj = u.obj;
    for (const PropertyChange& c : u.changes) {
        auto& props = m_info.props;
        auto it = std::find_if(props.begin(), props.end(), [&](const auto& p) { return p.first == c.name; });
        const bool unset = !c.hasVal || c.op == PropertyChange::Op::Remove;
        if (unset) {
            if (it != props.end())
                props.erase(it);
        } else if (it != props.end()) {
            it->second = c.val;
        } else {
            props.emplace_back(c.name, c.val);
        }
    }
    judge();
}

void TaskTracker::followFailed(const Error& e)
{
    if (!m_following)
        return;
    m_following = false;
    const ErrorKind kind = e.kind;
    if (kind == ErrorKind::Authentication || kind == ErrorKind::Permission || kind == ErrorKind::Trust)
        return polled(e, false); // the refusal ends tracking as a refused poll would
    // The channel cannot follow this task: poll it, as without a channel.
    qCInfo(lcTask).noquote() << "update channel cannot follow task" << m_task.value << "(" << e.code << "); polling it";
    m_pollOnly = true;
    m_timer.stop();
    schedule();
}

void TaskTracker::stopFollowing()
{
    m_following = false;
    if (m_filter && m_channel)
        m_channel->remove(m_filter); // DestroyPropertyFilter: never one left per task
    m_filter = 0;
}

void TaskTracker::finish(Result<XmlValue> r)
{
    m_timer.stop();
    stopFollowing();
    Done done = std::move(m_done);
    if (done)
        done(std::move(r));
}

} // namespace dcm::vsphere
