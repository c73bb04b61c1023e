// The breaker dashboard against the real service: the time in the current state keeps counting (read
// from the manual clock, observed through countdownChanged, no sleeps), and admin actions need a reason,
// clear it once used, reach the service and are listed with who did them.
#include "GuiHarness.h"
#include "domain/LocalActor.h"

#include "ui/BreakerDashboard.h"
#include "ui/FieldNote.h"
#include "ui/UiFormat.h"

#include <QAction>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace dcm;
using namespace std::chrono_literals;

class TestBreakerDashboard final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<GuiHarness> m_h;
    std::unique_ptr<ServiceClient> m_client;
    std::unique_ptr<QAction> m_adminMode;
    std::unique_ptr<BreakerDashboard> m_dashboard;

    template <class T> T* child(const char* name)
    {
        auto* w = m_dashboard->findChild<T*>(QLatin1String(name));
        if (!w)
            qFatal("no widget %s", name);
        return w;
    }
    // The countdown line after the clock moved on by `by`: the next tick says it.
    QString afterAdvancing(std::chrono::milliseconds by)
    {
        QSignalSpy changed(m_dashboard.get(), &BreakerDashboard::countdownChanged);
        m_h->clock.advance(by);
        if (!changed.wait(3000))
            return QStringLiteral("(no update)");
        return changed.last().at(0).toString();
    }

private Q_SLOTS:
    void init()
    {
        m_h = std::make_unique<GuiHarness>();
        m_client = m_h->client();
        m_adminMode = std::make_unique<QAction>();
        m_adminMode->setCheckable(true);
        m_dashboard = std::make_unique<BreakerDashboard>(m_client.get(), m_adminMode.get());
        m_dashboard->setClock(m_h->clock);
        m_dashboard->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_dashboard.get()));
        QVERIFY(m_h->connect());
        QTRY_VERIFY(m_dashboard->snapshot().has_value());
    }
    void cleanup()
    {
        m_dashboard.reset();
        m_adminMode.reset();
        m_client.reset();
        m_h.reset();
    }

    // Closed for …, and open for … next to the scout's countdown: both go on with the clock, not only
    // when the service sends a new snapshot.
    void timeInStateKeepsCounting()
    {
        QTRY_COMPARE(m_dashboard->snapshot()->state, BreakerState::Closed);
        const auto closedFor = m_dashboard->snapshot()->timeInState;
        QCOMPARE(m_dashboard->countdownText(), QStringLiteral("closed for %1").arg(UiFormat::countdown(closedFor)));
        QCOMPARE(afterAdvancing(65s), QStringLiteral("closed for %1").arg(UiFormat::countdown(closedFor + 65s)));
        QCOMPARE(afterAdvancing(1h), QStringLiteral("closed for %1").arg(UiFormat::countdown(closedFor + 65s + 1h)));

        m_h->hypervisor->setUnreachable(true);
        for (int i = 0; i < 5; ++i)
            (void)m_h->service->submit(validSpec(QStringLiteral("trip-%1").arg(i)));
        QTRY_COMPARE(m_dashboard->stateText(), QStringLiteral("OPEN"));
        const BreakerSnapshot open = *m_dashboard->snapshot();
        const qint64 scoutIn = open.stateSince.addMSecs(open.timeInState.count()).msecsTo(open.nextProbeAt);
        QCOMPARE(m_dashboard->countdownText(), QStringLiteral("next scout in %1 · open for %2")
                                                   .arg(UiFormat::countdown(std::chrono::milliseconds(scoutIn)),
                                                        UiFormat::countdown(open.timeInState)));
        QCOMPARE(afterAdvancing(10s), QStringLiteral("next scout in %1 · open for %2")
                                          .arg(UiFormat::countdown(std::chrono::milliseconds(scoutIn) - 10s),
                                               UiFormat::countdown(open.timeInState + 10s)));
    }

    // No reason, no action: the field says so and takes the focus. With one, the action reaches the
    // service with it, is listed with its actor, and the field is empty for the next one.
    void adminActionsNeedAReasonAndClearIt()
    {
        auto* hold = child<QPushButton>("holdBreaker");
        auto* pause = child<QPushButton>("pauseQueue");
        auto* reason = child<QLineEdit>("adminReason");
        auto* note = child<FieldNote>("adminReasonNote");
        QSignalSpy taken(m_dashboard.get(), &BreakerDashboard::adminActionTaken);

        QVERIFY(!m_dashboard->performAdminAction(AdminAction::Kind::Hold)); // not in admin mode
        m_adminMode->trigger();
        QVERIFY(hold->isEnabled());
        QTest::mouseClick(hold, Qt::LeftButton);
        QCOMPARE(taken.count(), 0);
        QVERIFY(!note->isHidden());
        QVERIFY2(note->text().startsWith(QStringLiteral("Say why before you hold")), qPrintable(note->text()));
        QVERIFY(reason->hasFocus());
        QCoreApplication::processEvents(); // a hold would be posted to the service: let it run
        QCOMPARE(m_h->service->breakerSnapshot().state, BreakerState::Closed);
        reason->setText(QStringLiteral("   ")); // blanks are no reason
        QTest::mouseClick(hold, Qt::LeftButton);
        QCOMPARE(taken.count(), 0);

        QTest::keyClicks(reason, QStringLiteral("patching vCenter, change 4711"));
        QVERIFY(note->isHidden());
        QTest::mouseClick(hold, Qt::LeftButton);
        QCOMPARE(taken.count(), 1);
        const auto action = taken.at(0).at(0).value<AdminAction>();
        QCOMPARE(int(action.kind), int(AdminAction::Kind::Hold));
        QCOMPARE(action.reason, QStringLiteral("patching vCenter, change 4711"));
        QCOMPARE(action.actor, BreakerDashboard::currentActor());
        QVERIFY(action.actor.contains(QLatin1Char('@')));
        QCOMPARE(action.at, m_h->clock.utcNow());
        QCOMPARE(reason->text(), QString());
        QTRY_COMPARE(m_h->service->breakerSnapshot().state, BreakerState::ForcedOpen);
        QCOMPARE(m_h->service->breakerSnapshot().lastReason,
                 QStringLiteral("held open by %1: patching vCenter, change 4711").arg(localActor()));
        QCOMPARE(m_dashboard->adminActionCount(), 1);
        QCOMPARE(m_dashboard->adminActionText(0),
                 QStringLiteral("Hold (force open): patching vCenter, change 4711 (%1)")
                     .arg(BreakerDashboard::currentActor()));

        // Pausing needs its own reason.
        QTest::mouseClick(pause, Qt::LeftButton);
        QCOMPARE(taken.count(), 1);
        QCoreApplication::processEvents();
        QVERIFY(!m_h->service->isQueuePaused());
        QTest::keyClicks(reason, QStringLiteral("storage migration"));
        QTest::mouseClick(pause, Qt::LeftButton);
        QTRY_VERIFY(m_h->service->isQueuePaused());
        QCOMPARE(taken.count(), 2);
        QCOMPARE(int(taken.at(1).at(0).value<AdminAction>().kind), int(AdminAction::Kind::Pause));
        QCOMPARE(reason->text(), QString());
        QTRY_COMPARE(pause->text(), QStringLiteral("Res&ume queue"));
        QTest::keyClicks(reason, QStringLiteral("migration done"));
        QTest::mouseClick(pause, Qt::LeftButton);
        QTRY_VERIFY(!m_h->service->isQueuePaused());
        QCOMPARE(int(taken.at(2).at(0).value<AdminAction>().kind), int(AdminAction::Kind::Resume));
        QCOMPARE(m_dashboard->adminActionCount(), 3);
        QVERIFY(m_dashboard->adminActionText(0).startsWith(QStringLiteral("Resume queue: migration done")));
    }
};

QTEST_MAIN(TestBreakerDashboard)
#include "TestBreakerDashboard.moc"
