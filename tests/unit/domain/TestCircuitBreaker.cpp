// Pins the circuit breaker in the spirit of Resilience4j's CircuitBreakerStateMachineTest: thresholds,
// reset on success, ignored faults, the cooldown, exactly one scout and its success/failure/timeout,
// rejections while open, forced open, reset, probe now, the transition record, metrics, and concurrent
// callers. Time comes from ManualClock: nothing sleeps.
#include "domain/CircuitBreaker.h"

#include <atomic>
#include <chrono>
#include <latch>
#include <mutex>
#include <thread>
#include <vector>

#include <QTest>

#include "DomainQCompare.h"
#include "ManualClock.h"

using namespace dcm;
using namespace std::chrono_literals;
using Kind = BreakerPermit::Kind;

namespace {

const BreakerConfig config{5, 30s, 10s, 100};

Error failure(ErrorKind kind = ErrorKind::Transient)
{
    return Error::make(kind, QStringLiteral("test"), QStringLiteral("boom"));
}

// Records transitions; safe to call from several threads (the breaker serialises deliveries anyway).
class Recorder
{
public:
    void attach(CircuitBreaker& breaker)
    {
        breaker.setTransitionListener([this](const BreakerTransition& t) {
            std::lock_guard lock(m_mutex);
            m_transitions.append(t);
        });
    }
    QList<BreakerTransition> transitions()
    {
        std::lock_guard lock(m_mutex);
        return m_transitions;
    }
    QList<BreakerState> targets()
    {
        QList<BreakerState> states;
        for (const auto& t : transitions()) {
            states.append(t.to);
        }
        return states;
    }

private:
    std::mutex m_mutex;
    QList<BreakerTransition> m_transitions;
};

void failCalls(CircuitBreaker& breaker, int n, ErrorKind kind = ErrorKind::Transient)
{
    for (int i = 0; i < n; ++i) {
        const BreakerPermit permit = breaker.tryAcquire();
        QVERIFY(permit.kind() == Kind::Call);
        breaker.onFailure(permit, failure(kind));
    }
}

void succeedCall(CircuitBreaker& breaker, std::chrono::microseconds latency = 1ms)
{
    const BreakerPermit permit = breaker.tryAcquire();
    QVERIFY(permit.kind() == Kind::Call);
    breaker.onSuccess(permit, latency);
}

// OPEN, the cooldown elapsed, the scout granted: HALF_OPEN.
BreakerPermit scoutOut(CircuitBreaker& breaker, ManualClock& clock)
{
    failCalls(breaker, breaker.config().failureThreshold);
    clock.advance(breaker.config().cooldown);
    return breaker.tryAcquire();
}

} // namespace

class TestCircuitBreaker : public QObject
{
    Q_OBJECT

private slots:
    void startsClosedAndLetsCallsThrough()
    {
        ManualClock clock;
        CircuitBreaker breaker(clock, config);
        QCOMPARE(breaker.state(), BreakerState::Closed);
        for (int i = 0; i < 3; ++i) {
            QVERIFY(breaker.tryAcquire().kind() == Kind::Call);
        }
        QCOMPARE(breaker.snapshot().rejected, quint64(0));
        QVERIFY(!breaker.nextScoutIn().has_value());
        QVERIFY(!breaker.nextDeadlineIn().has_value());
    }

    void opensAtTheThreshold_data()
    {
        QTest::addColumn<int>("threshold");
        QTest::newRow("1") << 1;
        QTest::newRow("3") << 3;
        QTest::newRow("5 (default)") << 5;
    }

    void opensAtTheThreshold()
    {
        QFETCH(int, threshold);
        ManualClock clock;
        CircuitBreaker breaker(clock, BreakerConfig{threshold, 30s, 10s, 100});
        failCalls(breaker, threshold - 1);
        QCOMPARE(breaker.state(), BreakerState::Closed);
        QCOMPARE(breaker.snapshot().consecutiveFailures, threshold - 1);
        failCalls(breaker, 1);
        QCOMPARE(breaker.state(), BreakerState::Open);
        QVERIFY(breaker.tryAcquire().isRejected());
    }

    // Pins: the fleet's breaker opening opens a CLOSED breaker with a full cooldown, as its own
    // failures would; it leaves HALF_OPEN and FORCED_OPEN alone.
    void openFollowsTheFleetFromClosedOnly()
    {
        ManualClock clock;
        CircuitBreaker breaker(clock, config);
        Recorder recorder;
        recorder.attach(breaker);
        breaker.open(QStringLiteral("the fleet's breaker opened"));
        QCOMPARE(breaker.state(), BreakerState::Open);
        QVERIFY(breaker.tryAcquire().isRejected());
        clock.advance(config.cooldown - 1ms);
        QVERIFY(!breaker.isScoutDue());
        clock.advance(1ms);
        QVERIFY(breaker.tryAcquire().isScout());
        breaker.open(QStringLiteral("again"));
        QCOMPARE(breaker.state(), BreakerState::HalfOpen);
        breaker.forceOpen(QStringLiteral("held"));
        breaker.open(QStringLiteral("again"));
        QCOMPARE(breaker.state(), BreakerState::ForcedOpen);
        QCOMPARE(recorder.targets(),
                 (QList<BreakerState>{BreakerState::Open, BreakerState::HalfOpen, BreakerState::ForcedOpen}));
        QCOMPARE(recorder.transitions().first().reason, QStringLiteral("the fleet's breaker opened"));
    }

    // Pins: a deferred scout (another member of the fleet sends it) keeps the breaker OPEN, with no
    // transition, and makes the scout due a full cooldown later; outside OPEN it does nothing.
    void aDeferredScoutWaitsAnotherCooldownWithoutATransition()
    {
        ManualClock clock;
        CircuitBreaker breaker(clock, config);
        QVERIFY(!breaker.deferScout());
        failCalls(breaker, config.failureThreshold);
        Recorder recorder;
        recorder.attach(breaker);
        clock.advance(config.cooldown);
        QVERIFY(breaker.isScoutDue());
        QVERIFY(breaker.deferScout());
        QCOMPARE(breaker.state(), BreakerState::Open);
        QVERIFY(!breaker.isScoutDue());
        QVERIFY(breaker.tryAcquire().isRejected());
        clock.advance(config.cooldown);
        QVERIFY(breaker.isScoutDue());
        QVERIFY(recorder.transitions().isEmpty());
    }

    void successResetsTheCount()
    {
        ManualClock clock;
        CircuitBreaker breaker(clock, config);
        failCalls(breaker, 4);
        succeedCall(breaker);
        QCOMPARE(breaker.snapshot().consecutiveFailures, 0);
        failCalls(breaker, 4);
        QCOMPARE(breaker.state(), BreakerState::Closed);
        failCalls(breaker, 1);
        QCOMPARE(breaker.state(), BreakerState::Open);
    }

    void countedKinds_data()
    {
        QTest::addColumn<ErrorKind>("kind");
        QTest::newRow("transient") << ErrorKind::Transient;
        QTest::newRow("outcome-unknown") << ErrorKind::OutcomeUnknown;
    }

    void countedKinds()
    {
        QFETCH(ErrorKind, kind);
        ManualClock clock;
        CircuitBreaker breaker(clock, config);
        failCalls(breaker, 5, kind);
        QCOMPARE(breaker.state(), BreakerState::Open);
        QCOMPARE(breaker.snapshot().failed, quint64(5));
    }

    void ignoredFaultsLeaveTheCountAlone_data()
    {
        QTest::addColumn<ErrorKind>("kind");
        QTest::newRow("business") << ErrorKind::Business;
        QTest::newRow("session-expired") << ErrorKind::SessionExpired;
        QTest::newRow("authentication") << ErrorKind::Authentication;
        QTest::newRow("permission") << ErrorKind::Permission;
        QTest::newRow("trust") << ErrorKind::Trust;
        QTest::newRow("cancelled") << ErrorKind::Cancelled;
        QTest::newRow("invalid-input") << ErrorKind::InvalidInput;
        QTest::newRow("internal") << ErrorKind::Internal;
    }

    // Neither counted nor a reset: 4 counted, any number ignored, 1 counted -> OPEN.
    void ignoredFaultsLeaveTheCountAlone()
    {
        QFETCH(ErrorKind, kind);
        ManualClock clock;
        CircuitBreaker breaker(clock, config);
        failCalls(breaker, 4);
        failCalls(breaker, 20, kind);
        QCOMPARE(breaker.state(), BreakerState::Closed);
        QCOMPARE(breaker.snapshot().consecutiveFailures, 4);
        QCOMPARE(breaker.snapshot().ignored, quint64(20));
        QVERIFY(!breaker.snapshot().lastError || breaker.snapshot().lastError->kind == ErrorKind::Transient);
        failCalls(breaker, 1);
        QCOMPARE(breaker.state(), BreakerState::Open);
    }

    void noScoutBeforeTheCooldown()
    {
        ManualClock clock;
        CircuitBreaker breaker(clock, config);
        failCalls(breaker, 5);
        clock.advance(29'999ms);
        QVERIFY(!breaker.isScoutDue());
        QCOMPARE(breaker.nextScoutIn(), std::optional(1ms));
        for (int i = 0; i < 3; ++i) {
            QVERIFY(breaker.tryAcquire().isRejected());
        }
        QCOMPARE(breaker.state(), BreakerState::Open);
        QCOMPARE(breaker.snapshot().rejected, quint64(3));
    }

    void scoutAfterTheCooldown()
    {
        ManualClock clock;
        CircuitBreaker breaker(clock, config);
        failCalls(breaker, 5);
        clock.advance(30s);
        QVERIFY(breaker.isScoutDue());
        QCOMPARE(breaker.nextScoutIn(), std::optional(0ms));
        const BreakerPermit scout = breaker.tryAcquire();
        QVERIFY(scout.isScout());
        QCOMPARE(breaker.state(), BreakerState::HalfOpen);
        QVERIFY(!breaker.isScoutDue());
        QCOMPARE(breaker.nextDeadlineIn(), std::optional<std::chrono::milliseconds>(10s));
    }

    void exactlyOneScoutAtATime()
    {
        ManualClock clock;
        CircuitBreaker breaker(clock, config);
        QVERIFY(scoutOut(breaker, clock).isScout());
        const quint64 rejectedBefore = breaker.snapshot().rejected;
        clock.advance(9s); // still inside the scout's deadline
        for (int i = 0; i < 5; ++i) {
            QVERIFY(breaker.tryAcquire().isRejected());
        }
        QCOMPARE(breaker.snapshot().rejected, rejectedBefore + 5);
        QVERIFY(!breaker.probeNow()); // not even an admin gets a second scout out
    }

    void scoutSuccessCloses()
    {
        ManualClock clock;
        CircuitBreaker breaker(clock, config);
        const BreakerPermit scout = scoutOut(breaker, clock);
        breaker.onSuccess(scout, 3ms);
        const BreakerSnapshot s = breaker.snapshot();
        QCOMPARE(s.state, BreakerState::Closed);
        QCOMPARE(s.consecutiveFailures, 0);
        QVERIFY(!s.openedAt.isValid());
        QCOMPARE(s.lastReason, QStringLiteral("scout succeeded"));
        QVERIFY(breaker.tryAcquire().kind() == Kind::Call);
    }

    void scoutFailureReopensWithANewCooldown()
    {
        ManualClock clock;
        CircuitBreaker breaker(clock, config);
        const BreakerPermit scout = scoutOut(breaker, clock);
        const QDateTime outageStart = clock.utcNow().addSecs(-30);
        clock.advance(2s);
        breaker.onFailure(scout, failure());
        QCOMPARE(breaker.state(), BreakerState::Open);
        QCOMPARE(breaker.snapshot().openedAt, outageStart); // "down since" survives failed scouts
        QVERIFY(breaker.snapshot().lastReason.startsWith(QStringLiteral("scout failed: boom")));
        clock.advance(29'999ms);
        QVERIFY(breaker.tryAcquire().isRejected());
        clock.advance(1ms);
        QVERIFY(breaker.tryAcquire().isScout());
    }

    // The scout's own deadline: a scout that never reports has failed, and the breaker is never stuck.
    void scoutTimeoutReopens()
    {
        ManualClock clock;
        CircuitBreaker breaker(clock, config);
        Recorder recorder;
        recorder.attach(breaker);
        const BreakerPermit scout = scoutOut(breaker, clock);
        clock.advance(9'999ms);
        QCOMPARE(breaker.state(), BreakerState::HalfOpen);
        clock.advance(1ms);
        QCOMPARE(breaker.state(), BreakerState::Open);
        QCOMPARE(recorder.transitions().back().reason, QStringLiteral("scout timed out after 10 s"));
        QCOMPARE(breaker.snapshot().lastError->code, QStringLiteral("scout-timeout"));
        // The new cooldown runs from the deadline.
        clock.advance(29'999ms);
        QVERIFY(!breaker.isScoutDue());
        clock.advance(1ms);
        QVERIFY(breaker.isScoutDue());
        // The silent scout finally answers: too late to decide anything.
        breaker.onSuccess(scout, 40s);
        QCOMPARE(breaker.state(), BreakerState::Open);
        QCOMPARE(breaker.snapshot().succeeded, quint64(1));
    }

    // Timed out even if nobody asked in between: the late report itself finds the deadline passed.
    void lateScoutReportAfterTheDeadlineDoesNotClose()
    {
        ManualClock clock;
        CircuitBreaker breaker(clock, config);
        const BreakerPermit scout = scoutOut(breaker, clock);
        clock.advance(11s);
        breaker.onSuccess(scout, 11s);
        QCOMPARE(breaker.state(), BreakerState::Open);
    }

    void scoutOutcome_data()
    {
        QTest::addColumn<ErrorKind>("kind");
        QTest::addColumn<BreakerState>("after");
        // The hypervisor answered: it is up; the problem is for the operator.
        QTest::newRow("business") << ErrorKind::Business << BreakerState::Closed;
        QTest::newRow("session-expired") << ErrorKind::SessionExpired << BreakerState::Closed;
        QTest::newRow("authentication") << ErrorKind::Authentication << BreakerState::Closed;
        QTest::newRow("permission") << ErrorKind::Permission << BreakerState::Closed;
        QTest::newRow("trust") << ErrorKind::Trust << BreakerState::Closed;
        // No answer, or nothing learnt.
        QTest::newRow("transient") << ErrorKind::Transient << BreakerState::Open;
        QTest::newRow("outcome-unknown") << ErrorKind::OutcomeUnknown << BreakerState::Open;
        QTest::newRow("cancelled") << ErrorKind::Cancelled << BreakerState::Open;
        QTest::newRow("internal") << ErrorKind::Internal << BreakerState::Open;
    }

    void scoutOutcome()
    {
        QFETCH(ErrorKind, kind);
        QFETCH(BreakerState, after);
        ManualClock clock;
        CircuitBreaker breaker(clock, config);
        breaker.onFailure(scoutOut(breaker, clock), failure(kind));
        QCOMPARE(breaker.state(), after);
    }

    void forcedOpenRejectsEvenAfterTheCooldownAndNeverScouts()
    {
        ManualClock clock;
        CircuitBreaker breaker(clock, config);
        breaker.forceOpen(QStringLiteral("vCenter upgrade"));
        QCOMPARE(breaker.state(), BreakerState::ForcedOpen);
        clock.advance(1h);
        QVERIFY(!breaker.isScoutDue());
        QVERIFY(!breaker.nextScoutIn().has_value());
        QVERIFY(!breaker.nextDeadlineIn().has_value());
        QVERIFY(!breaker.probeNow());
        for (int i = 0; i < 4; ++i) {
            QVERIFY(breaker.tryAcquire().isRejected());
        }
        QCOMPARE(breaker.state(), BreakerState::ForcedOpen);
        QCOMPARE(breaker.snapshot().rejected, quint64(4));
        QCOMPARE(breaker.snapshot().lastReason, QStringLiteral("vCenter upgrade"));
    }

    void forceOpenWhileAScoutIsOutIgnoresTheScout()
    {
        ManualClock clock;
        CircuitBreaker breaker(clock, config);
        const BreakerPermit scout = scoutOut(breaker, clock);
        breaker.forceOpen(QStringLiteral("hold"));
        breaker.onSuccess(scout, 1ms);
        QCOMPARE(breaker.state(), BreakerState::ForcedOpen);
        clock.advance(11s); // its deadline passing changes nothing either
        QCOMPARE(breaker.state(), BreakerState::ForcedOpen);
    }

    void resetClosesFromAnyState_data()
    {
        QTest::addColumn<BreakerState>("from");
        QTest::newRow("OPEN") << BreakerState::Open;
        QTest::newRow("HALF_OPEN") << BreakerState::HalfOpen;
        QTest::newRow("FORCED_OPEN") << BreakerState::ForcedOpen;
    }

    void resetClosesFromAnyState()
    {
        QFETCH(BreakerState, from);
        ManualClock clock;
        CircuitBreaker breaker(clock, config);
        Recorder recorder;
        if (from == BreakerState::ForcedOpen) {
            breaker.forceOpen(QStringLiteral("hold"));
        } else {
            failCalls(breaker, 5);
            if (from == BreakerState::HalfOpen) {
                clock.advance(30s);
                QVERIFY(breaker.tryAcquire().isScout());
            }
        }
        QCOMPARE(breaker.state(), from);
        recorder.attach(breaker);
        breaker.reset(QStringLiteral("admin: vCenter is back"));
        QCOMPARE(breaker.state(), BreakerState::Closed);
        QCOMPARE(breaker.snapshot().consecutiveFailures, 0);
        QCOMPARE(recorder.transitions().size(), 1);
        QCOMPARE(recorder.transitions().front().from, from);
        QCOMPARE(recorder.transitions().front().reason, QStringLiteral("admin: vCenter is back"));
        QVERIFY(breaker.tryAcquire().kind() == Kind::Call);
    }

    void resetWhileClosedClearsTheCountSilently()
    {
        ManualClock clock;
        CircuitBreaker breaker(clock, config);
        Recorder recorder;
        recorder.attach(breaker);
        failCalls(breaker, 4);
        breaker.reset(QStringLiteral("admin"));
        QCOMPARE(breaker.snapshot().consecutiveFailures, 0);
        QVERIFY(recorder.transitions().isEmpty());
        failCalls(breaker, 4);
        QCOMPARE(breaker.state(), BreakerState::Closed);
    }

    void probeNowMakesTheScoutDueBeforeTheCooldown()
    {
        ManualClock clock;
        CircuitBreaker breaker(clock, config);
        QVERIFY(!breaker.probeNow()); // CLOSED: nothing to probe
        failCalls(breaker, 5);
        clock.advance(1s);
        QVERIFY(!breaker.isScoutDue());
        QVERIFY(breaker.probeNow());
        QVERIFY(breaker.isScoutDue());
        QCOMPARE(breaker.snapshot().nextProbeAt, clock.utcNow());
        QVERIFY(breaker.tryAcquire().isScout());
        QCOMPARE(breaker.snapshot().lastReason, QStringLiteral("probe requested: scout sent"));
    }

    void transitionsAreReportedInOrderWithReasons()
    {
        ManualClock clock;
        CircuitBreaker breaker(clock, config);
        Recorder recorder;
        recorder.attach(breaker);

        failCalls(breaker, 5);
        const QDateTime openedAt = clock.utcNow();
        clock.advance(30s);
        BreakerPermit scout = breaker.tryAcquire();
        breaker.onFailure(scout, failure());
        clock.advance(5s);
        QVERIFY(breaker.probeNow());
        scout = breaker.tryAcquire();
        clock.advance(100ms);
        breaker.onSuccess(scout, 100ms);
        const QDateTime closedAt = clock.utcNow();
        breaker.forceOpen(QStringLiteral("maintenance"));
        breaker.reset(QStringLiteral("done"));

        using B = BreakerState;
        const QList<BreakerTransition> t = recorder.transitions();
        QCOMPARE(recorder.targets(),
                 (QList<B>{B::Open, B::HalfOpen, B::Open, B::HalfOpen, B::Closed, B::ForcedOpen, B::Closed}));
        for (qsizetype i = 1; i < t.size(); ++i) {
            QCOMPARE(t[i].from, t[i - 1].to);
            QVERIFY(t[i].at >= t[i - 1].at);
        }
        QCOMPARE(t[0].from, B::Closed);
        QCOMPARE(t[0].at, openedAt);
        QCOMPARE(t[0].reason, QStringLiteral("5 consecutive failures (threshold 5); last: boom (transient)"));
        QCOMPARE(t[1].reason, QStringLiteral("cooldown of 30 s elapsed: scout sent"));
        QCOMPARE(t[2].reason, QStringLiteral("scout failed: boom (transient)"));
        QCOMPARE(t[3].reason, QStringLiteral("probe requested: scout sent"));
        QCOMPARE(t[4].reason, QStringLiteral("scout succeeded"));
        QCOMPARE(t[4].at, closedAt);
        QCOMPARE(t[5].reason, QStringLiteral("maintenance"));
        QCOMPARE(t[6].reason, QStringLiteral("done"));
    }

    // A listener may look at the breaker (the service snapshots it for the GUI) without deadlocking.
    void listenerMayCallBackIntoTheBreaker()
    {
        ManualClock clock;
        CircuitBreaker breaker(clock, config);
        QList<BreakerState> seen;
        breaker.setTransitionListener([&](const BreakerTransition&) { seen.append(breaker.snapshot().state); });
        failCalls(breaker, 5);
        breaker.reset(QStringLiteral("x"));
        QCOMPARE(seen, (QList<BreakerState>{BreakerState::Open, BreakerState::Closed}));
    }

    // Transitions a listener causes are delivered after it returns, so every listener sees them in order.
    void transitionsCausedByTheListenerComeAfterIt()
    {
        ManualClock clock;
        CircuitBreaker breaker(clock, config);
        QList<BreakerState> order;
        bool resetOnce = false;
        breaker.setTransitionListener([&](const BreakerTransition& t) {
            if (t.to == BreakerState::Open && !resetOnce) {
                resetOnce = true;
                breaker.reset(QStringLiteral("auto-reset by the listener"));
            }
            order.append(t.to);
        });
        failCalls(breaker, 5);
        QCOMPARE(order, (QList<BreakerState>{BreakerState::Open, BreakerState::Closed}));
        QCOMPARE(breaker.state(), BreakerState::Closed);
    }

    // A result for a permit granted before the last transition moves nothing.
    void stalePermitsDoNotMoveTheBreaker()
    {
        ManualClock clock;
        CircuitBreaker breaker(clock, config);
        const BreakerPermit early = breaker.tryAcquire();
        failCalls(breaker, 5);
        QCOMPARE(breaker.state(), BreakerState::Open);
        breaker.onSuccess(early, 1ms); // a slow call that finally worked does not close an open breaker
        QCOMPARE(breaker.state(), BreakerState::Open);

        const BreakerPermit beforeReset = breaker.tryAcquire(); // rejected: reporting it is a no-op
        breaker.reset(QStringLiteral("admin"));
        const BreakerPermit old = breaker.tryAcquire();
        breaker.forceOpen(QStringLiteral("hold"));
        breaker.reset(QStringLiteral("admin"));
        breaker.onFailure(old, failure());
        breaker.onFailure(beforeReset, failure());
        QCOMPARE(breaker.snapshot().consecutiveFailures, 0);
        QCOMPARE(breaker.snapshot().failed, quint64(6)); // the stale one still shows in the metrics
    }

    void snapshotMetrics()
    {
        ManualClock clock;
        CircuitBreaker breaker(clock, config);
        succeedCall(breaker, 2ms);
        const QDateTime lastSuccess = clock.utcNow();
        clock.advance(1s);
        failCalls(breaker, 1, ErrorKind::Business);
        failCalls(breaker, 4);
        Error last = failure();
        last.message = QStringLiteral("Connection refused");
        const BreakerPermit p = breaker.tryAcquire();
        breaker.onFailure(p, last);
        const QDateTime openedAt = clock.utcNow();
        breaker.tryAcquire();
        breaker.tryAcquire();
        clock.advance(12s);

        const BreakerSnapshot s = breaker.snapshot();
        QCOMPARE(s.state, BreakerState::Open);
        QCOMPARE(s.failureThreshold, 5);
        QCOMPARE(s.consecutiveFailures, 5);
        QCOMPARE(s.succeeded, quint64(1));
        QCOMPARE(s.failed, quint64(5));
        QCOMPARE(s.ignored, quint64(1));
        QCOMPARE(s.rejected, quint64(2));
        QCOMPARE(s.openedAt, openedAt);
        QCOMPARE(s.stateSince, openedAt);
        QCOMPARE(s.nextProbeAt, openedAt.addSecs(30));
        QCOMPARE(s.timeInState, 12000ms);
        QCOMPARE(s.lastError, std::optional<Error>(last));
        QCOMPARE(s.lastSuccessAt, lastSuccess);
        QCOMPARE(s.latencySamples, 1);
        QCOMPARE(s.latencyP50, 2000us);
    }

    void latencyPercentiles()
    {
        ManualClock clock;
        CircuitBreaker breaker(clock, config);
        for (int ms = 100; ms >= 1; --ms) { // order must not matter
            succeedCall(breaker, std::chrono::milliseconds(ms));
        }
        const BreakerSnapshot s = breaker.snapshot();
        QCOMPARE(s.latencySamples, 100);
        QCOMPARE(s.latencyP50, 50ms);
        QCOMPARE(s.latencyP90, 90ms);
        QCOMPARE(s.latencyP99, 99ms);
    }

    void latencyWindowKeepsOnlyTheLatest()
    {
        ManualClock clock;
        CircuitBreaker breaker(clock, BreakerConfig{5, 30s, 10s, 10});
        for (int ms = 1; ms <= 25; ++ms) {
            succeedCall(breaker, std::chrono::milliseconds(ms));
        }
        const BreakerSnapshot s = breaker.snapshot();
        QCOMPARE(s.latencySamples, 10);
        QCOMPARE(s.latencyP50, 20ms); // of 16..25
        QCOMPARE(s.latencyP99, 25ms);
    }

    void configIsKeptSane()
    {
        ManualClock clock;
        CircuitBreaker breaker(clock, BreakerConfig{0, -5s, 0s, 0});
        QCOMPARE(breaker.config().failureThreshold, 1);
        QCOMPARE(breaker.config().cooldown, 0ms);
        QVERIFY(breaker.config().scoutTimeout > 0ms);
        failCalls(breaker, 1);
        QCOMPARE(breaker.state(), BreakerState::Open);
        QVERIFY(breaker.tryAcquire().isScout()); // no cooldown: the scout is due at once
    }

    void stateNames()
    {
        QCOMPARE(toString(BreakerState::Closed), QStringLiteral("CLOSED"));
        QCOMPARE(toString(BreakerState::Open), QStringLiteral("OPEN"));
        QCOMPARE(toString(BreakerState::HalfOpen), QStringLiteral("HALF_OPEN"));
        QCOMPARE(toString(BreakerState::ForcedOpen), QStringLiteral("FORCED_OPEN"));
        QCOMPARE(breakerStateFromString(u"half_open"), std::optional(BreakerState::HalfOpen));
        QCOMPARE(breakerStateFromString(u"AJAR"), std::optional<BreakerState>());
    }

    // Many callers race for the scout the moment the cooldown ends: exactly one gets it, every round.
    void concurrentCallersGetExactlyOneScout()
    {
        constexpr int threads = 8;
        for (int round = 0; round < 50; ++round) {
            ManualClock clock;
            CircuitBreaker breaker(clock, config);
            failCalls(breaker, 5);
            clock.advance(30s);
            std::atomic<int> scouts{0};
            std::atomic<int> rejected{0};
            std::atomic<int> plainCalls{0}; // QtTest may only check on the test thread: counted here
            std::latch start(threads);
            std::vector<std::thread> pool;
            for (int i = 0; i < threads; ++i) {
                pool.emplace_back([&] {
                    start.arrive_and_wait();
                    for (int n = 0; n < 200; ++n) {
                        const BreakerPermit p = breaker.tryAcquire();
                        (p.isScout() ? scouts : rejected)++;
                        plainCalls += p.kind() == Kind::Call ? 1 : 0;
                    }
                });
            }
            for (auto& t : pool) {
                t.join();
            }
            QCOMPARE(plainCalls.load(), 0);
            QCOMPARE(scouts.load(), 1);
            QCOMPARE(breaker.snapshot().rejected, quint64(threads * 200 - 1));
            QCOMPARE(breaker.state(), BreakerState::HalfOpen);
        }
    }

    // Threads call, fail and succeed while time moves. Whatever the interleaving, the counters add up,
    // every transition follows on from the previous one, and each scout matches one OPEN -> HALF_OPEN.
    void concurrentHammeringKeepsTheInvariants()
    {
        ManualClock clock;
        CircuitBreaker breaker(clock, BreakerConfig{3, 50ms, 20ms, 100});
        Recorder recorder;
        recorder.attach(breaker);
        constexpr int workers = 4;
        constexpr int iterations = 20000;
        std::atomic<quint64> allowed{0};
        std::atomic<quint64> refused{0};
        std::atomic<quint64> scouts{0};
        std::atomic<bool> done{false};
        std::latch start(workers + 1);

        std::thread ticker([&] {
            start.arrive_and_wait();
            while (!done.load()) {
                clock.advance(1ms);
                breaker.isScoutDue(); // the service timer
                std::this_thread::yield();
            }
        });
        std::vector<std::thread> pool;
        for (int w = 0; w < workers; ++w) {
            pool.emplace_back([&, w] {
                start.arrive_and_wait();
                for (int i = 0; i < iterations; ++i) {
                    if (i % 20 == 0) {
                        clock.advance(1ms); // time must move even if the ticker is not scheduled
                    }
                    const BreakerPermit p = breaker.tryAcquire();
                    if (p.isRejected()) {
                        ++refused;
                        continue;
                    }
                    ++allowed;
                    scouts += p.isScout() ? 1 : 0;
                    switch ((i + w) % 5) {
                    case 0:
                        breaker.onSuccess(p, 1ms);
                        break;
                    case 1:
                        breaker.onFailure(p, failure(ErrorKind::Business));
                        break;
                    default:
                        breaker.onFailure(p, failure());
                        break;
                    }
                }
            });
        }
        for (auto& t : pool) {
            t.join();
        }
        done = true;
        ticker.join();

        const BreakerSnapshot s = breaker.snapshot();
        const QList<BreakerTransition> t = recorder.transitions();
        const quint64 timedOut = quint64(std::count_if(t.begin(), t.end(), [](const BreakerTransition& x) {
            return x.reason.startsWith(QStringLiteral("scout timed out"));
        }));
        QCOMPARE(allowed + refused, quint64(workers * iterations));
        QCOMPARE(s.rejected, refused.load());
        QCOMPARE(s.succeeded + s.failed + s.ignored, allowed.load() + timedOut);
        QVERIFY(!t.isEmpty());
        QCOMPARE(t.front().from, BreakerState::Closed);
        for (qsizetype i = 1; i < t.size(); ++i) {
            QCOMPARE(t[i].from, t[i - 1].to);
        }
        QCOMPARE(t.back().to, s.state);
        const auto halfOpens = std::count_if(t.begin(), t.end(),
                                             [](const BreakerTransition& x) { return x.to == BreakerState::HalfOpen; });
        QCOMPARE(quint64(halfOpens), scouts.load());
        QVERIFY2(scouts.load() > 10, "the scenario should have cycled through HALF_OPEN many times");
    }
};

QTEST_GUILESS_MAIN(TestCircuitBreaker)
#include "TestCircuitBreaker.moc"
