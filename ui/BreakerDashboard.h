#pragma once

#include "domain/BreakerSnapshot.h"
#include "domain/BreakerTransition.h"

#include <QElapsedTimer>
#include <QWidget>

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

class LatencyChart;
class ServiceClient;

// The circuit breaker and the queue for admins (in the spirit of Hystrix's dashboard): the state, large;
// consecutive failures against the threshold; the countdown to the next scout; the last error and the
// last success; call counts; recent latency; queue depth; every transition. Admin actions (hold,
// release, probe now, pause/resume the queue) work only in admin mode.
class BreakerDashboard final : public QWidget
{
    Q_OBJECT

public:
    BreakerDashboard(ServiceClient* client, QAction* adminMode, QWidget* parent = nullptr);

    const std::optional<BreakerSnapshot>& snapshot() const { return m_snapshot; }
    QString stateText() const;
    QString countdownText() const;
    int transitionCount() const;
    QString transitionText(int row) const;
    LatencyChart* chart() const { return m_chart; }
    bool isAdminMode() const;

    void applySnapshot(const BreakerSnapshot& snapshot);
    void addTransition(const BreakerTransition& transition);

private:
    QFrame* tile(const QString& title, QLabel* value, QWidget* extra = nullptr);
    void updateCountdown();
    void updateQueue();
    void updateAdmin();
    QString reason(const QString& fallback) const;

    ServiceClient* m_client;
    QAction* m_adminMode;
    std::optional<BreakerSnapshot> m_snapshot;
    std::optional<BreakerState> m_shownState;
    QElapsedTimer m_snapshotAge;
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
    QPushButton* m_hold;
    QPushButton* m_release;
    QPushButton* m_probe;
    QPushButton* m_pause;
    QLabel* m_adminHint;
    QTimer* m_tick;
};

} // namespace dcm
