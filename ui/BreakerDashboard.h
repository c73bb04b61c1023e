#pragma once

#include "domain/BreakerSnapshot.h"
#include "domain/BreakerTransition.h"
#include "domain/ports/ClockPort.h"

#include <QDateTime>
#include <QWidget>

#include <chrono>
#include <optional>

class QAction;
class QFrame;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTimer;
class QToolButton;
class QTreeWidget;

namespace dcm {

class FieldNote;
class LatencyChart;
class ServiceClient;

// One administrator's action on the breaker or the queue: what, why (required) and who (the OS account
// and the machine, "user@host"), as the dashboard sends it.
struct AdminAction
{
    enum class Kind
    {
        Hold,
        Release,
        Probe,
        Pause,
        Resume,
    };
    Kind kind = Kind::Hold;
    QString reason;
    QString actor;
    QDateTime at; // UTC
};

// The circuit breaker and the queue for admins (in the spirit of Hystrix's dashboard): the state, large;
// consecutive failures against the threshold; the countdown to the next scout; the last error and the
// last success; call counts; recent latency; queue depth; every transition. Admin actions (hold,
// release, probe now, pause/resume the queue) work only in admin mode and only with a reason, which is
// cleared once used; each is listed with its reason and actor under the buttons (this session).
// The time in the current state keeps counting on a one-second timer, read from the given clock.
//
// Where an action goes: performAdminAction() is the one place that calls the service, and emits
// adminActionTaken with everything it knows (kind, reason, actor). The service takes a reason for hold
// and release today; the reason of probe, pause and resume, and the actor of every action, reach only
// this session's list until ServiceClient's calls take them.
class BreakerDashboard final : public QWidget
{
    Q_OBJECT

public:
    BreakerDashboard(ServiceClient* client, QAction* adminMode, QWidget* parent = nullptr);

    // The clock the time in a state is counted by (the system clock unless a test gives its own).
    void setClock(const ClockPort& clock);
    // "user@host" of whoever runs the console: the OS account and the machine's name.
    static QString currentActor();

    const std::optional<BreakerSnapshot>& snapshot() const { return m_snapshot; }
    QString stateText() const;
    QString countdownText() const;
    int transitionCount() const;
    QString transitionText(int row) const;
    LatencyChart* chart() const { return m_chart; }
    bool isAdminMode() const;

    void applySnapshot(const BreakerSnapshot& snapshot);
    void addTransition(const BreakerTransition& transition);
    // Sends the action to the service (only in admin mode), lists it, and clears the reason. An empty
    // reason sends nothing: the reason field says it is needed and takes the focus. Returns whether it
    // was sent.
    bool performAdminAction(AdminAction::Kind kind);
    int adminActionCount() const;
    QString adminActionText(int row) const;

Q_SIGNALS:
    // The countdown line changed (every second while it counts).
    void countdownChanged(const QString& text);
    void adminActionTaken(const dcm::AdminAction& action);

private:
    QFrame* tile(const QString& title, QLabel* value, QWidget* extra = nullptr);
    void updateCountdown();
    void updateQueue();
    void updateAdmin();
    std::chrono::milliseconds sinceSnapshot() const;

    ServiceClient* m_client;
    QAction* m_adminMode;
    std::optional<BreakerSnapshot> m_snapshot;
    std::optional<BreakerState> m_shownState;
    const ClockPort* m_clock;
    std::chrono::steady_clock::time_point m_snapshotArrived;
    qint64 m_probeInMsAtSnapshot = -1;
    quint64 m_latencyCursor = 0;
    int m_queueDepth = 0;
    bool m_paused = false;

    QFrame* m_stateCard;
    QLabel* m_stateIcon;
    QLabel* m_state;
    QLabel* m_stateDescription;
    QLabel* m_countdown;
    QLabel* m_failures;
    QProgressBar* m_failureBar;
    QLabel* m_queue;
    QLabel* m_lastSuccess;
    QLabel* m_calls;
    QLabel* m_lastError;
    LatencyChart* m_chart;
    QTreeWidget* m_transitions;
    QLineEdit* m_reason;
    FieldNote* m_reasonNote;
    QTreeWidget* m_adminLog;
    QPushButton* m_hold;
    QPushButton* m_release;
    QPushButton* m_probe;
    QPushButton* m_pause;
    QLabel* m_adminHint;
    QTimer* m_tick;
};

} // namespace dcm

Q_DECLARE_METATYPE(dcm::AdminAction)
