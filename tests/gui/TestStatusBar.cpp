// The status bar against the real service: the connection and the breaker are shown apart, and green
// only when both are well — connected, and the breaker CLOSED with no counted failure since the last
// success. Every other combination says what is happening: not connected, failures in a row, vCenter
// not answering with the scout's countdown (which keeps counting with the service's clock), refused
// credentials, a held breaker.
#include "GuiHarness.h"

#include "ui/MainWindow.h"
#include "ui/NotificationCenter.h"
#include "ui/StateStyle.h"
#include "ui/UiFormat.h"
#include "ui/VmSpecForm.h"

#include <QLabel>
#include <QTest>

using namespace dcm;
using namespace std::chrono_literals;

class TestStatusBar final : public QObject
{
    Q_OBJECT

private:
    IsolatedSettings m_settingsDir;
    std::unique_ptr<GuiHarness> m_h;
    std::unique_ptr<MainWindow> m_w;

    const StateStyle::StatusLine& line() const { return m_w->statusLine(); }
    QString label(const char* name) const { return m_w->findChild<QLabel*>(QLatin1String(name))->text(); }
    // Counted failures, one by one, from inventory reads that time out.
    void failReads(int count)
    {
        m_h->hypervisor->failNext(
            FakeHypervisor::Method::Inventory,
            Error::make(ErrorKind::Transient, QStringLiteral("timeout"), QStringLiteral("no answer within 30 s")),
            count);
        for (int i = 0; i < count; ++i) {
            const int before = m_h->hypervisor->calls(FakeHypervisor::Method::Inventory);
            m_h->service->refreshInventory();
            QTRY_COMPARE(m_h->service->breakerSnapshot().consecutiveFailures, i + 1);
            QCOMPARE(m_h->hypervisor->calls(FakeHypervisor::Method::Inventory), before + 1);
        }
    }

private Q_SLOTS:
    void init()
    {
        m_h = std::make_unique<GuiHarness>();
        m_w = std::make_unique<MainWindow>(m_h->client());
        m_w->setClock(m_h->clock);
        m_w->notifications()->setTrayAllowed(false);
        m_w->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_w.get()));
    }
    void cleanup()
    {
        m_w.reset();
        m_h.reset();
    }

    // Not connected: a CLOSED breaker says nothing about vCenter and is not shown as healthy.
    void notConnectedIsNeverGreen()
    {
        m_h->service->resetBreaker(QStringLiteral("a breaker snapshot while not connected"));
        QTRY_VERIFY(line().breakerKnown);
        QCOMPARE(line().connection, QStringLiteral("Not connected"));
        QVERIFY(!line().healthy);
        QVERIFY(!line().breakerHealthy);
        QVERIFY(line().connectionNotice != StateStyle::Notice::Success);
        QVERIFY(line().breakerNotice != StateStyle::Notice::Success);
        QVERIFY2(line().breaker.contains(QStringLiteral("not connected")), qPrintable(line().breaker));
        QCOMPARE(label("statusServer"), line().connection);
        QCOMPARE(label("statusBreaker"), line().breaker);
    }

    // Green once connected with a quiet breaker; failures since the last success take it away (the
    // connection still says Connected, the breaker how many failed), and the next success brings it back.
    void greenOnlyWhenConnectedAndNoFailureSinceTheLastSuccess()
    {
        QVERIFY(m_h->connect());
        QTRY_VERIFY(m_w->vmSpecForm()->hasInventory()); // the read on connecting is over
        QTRY_VERIFY(line().healthy);
        QCOMPARE(line().connectionNotice, StateStyle::Notice::Success);
        QCOMPARE(line().breaker, QStringLiteral("Breaker: CLOSED"));
        QVERIFY(line().connection.startsWith(QStringLiteral("vc.test — Connected")));

        failReads(2);
        QTRY_VERIFY2(line().breaker.contains(QStringLiteral("2 failures in a row")), qPrintable(line().breaker));
        QVERIFY(line().breaker.startsWith(QStringLiteral("Breaker: CLOSED")));
        QVERIFY(!line().healthy);
        QCOMPARE(line().breakerNotice, StateStyle::Notice::Warning);
        QCOMPARE(line().connectionNotice, StateStyle::Notice::Warning); // connected, but not green
        QVERIFY(line().connection.contains(QStringLiteral("Connected")));
        QVERIFY(m_w->statusBarText().contains(QStringLiteral("2 failures in a row")));

        m_h->service->refreshInventory();
        QTRY_VERIFY(line().healthy);
        QCOMPARE(line().breaker, QStringLiteral("Breaker: CLOSED"));
    }

    // vCenter stops answering: the breaker opens; the status bar says so with the scout's countdown, and
    // the countdown keeps counting with the service's clock; never green while it is open.
    void openBreakerCountsDownToTheScout()
    {
        QVERIFY(m_h->connect());
        QTRY_VERIFY(m_w->vmSpecForm()->hasInventory()); // the read on connecting is over
        QTRY_VERIFY(line().healthy);
        m_h->hypervisor->setUnreachable(true);
        for (int i = 0; i < 5; ++i)
            (void)m_h->service->submit(validSpec(QStringLiteral("trip-%1").arg(i)));
        QTRY_COMPARE(m_h->service->breakerSnapshot().state, BreakerState::Open);
        const QDateTime due = m_h->service->breakerSnapshot().nextProbeAt;
        QVERIFY(due.isValid());
        const auto expect = [&] {
            return QStringLiteral("Breaker: OPEN — vCenter not answering, next scout in %1")
                .arg(UiFormat::countdown(std::chrono::milliseconds(m_h->clock.utcNow().msecsTo(due))));
        };
        QTRY_COMPARE(line().breaker, expect());
        QVERIFY(line().breaker.endsWith(QStringLiteral("00:30")));
        QVERIFY(!line().healthy);
        QVERIFY(line().connectionNotice != StateStyle::Notice::Success);
        QCOMPARE(line().breakerNotice, StateStyle::Notice::Error);

        // Nothing new from the service: only its clock moves, and the countdown with it.
        m_h->clock.advance(3s);
        QTRY_COMPARE(line().breaker, expect());
        QVERIFY(line().breaker.endsWith(QStringLiteral("00:27")));
        QCOMPARE(label("statusBreaker"), line().breaker);
        m_h->clock.advance(27s);
        QTRY_COMPARE(line().breaker, QStringLiteral("Breaker: OPEN — vCenter not answering, scout due now"));

        // The scout finds vCenter back: green again.
        m_h->hypervisor->setUnreachable(false);
        m_h->service->tick();
        QTRY_VERIFY(line().healthy);
    }

    // Refused credentials stop the connection for the operator: the status bar names the account, and
    // the breaker (which credentials never move) is not presented as healthy meanwhile.
    void refusedCredentialsWaitForTheOperator()
    {
        QVERIFY(m_h->connect());
        QTRY_VERIFY(m_w->vmSpecForm()->hasInventory()); // the read on connecting is over
        QTRY_VERIFY(line().healthy);
        Error refused = Error::make(ErrorKind::Authentication, ErrorCode::LoginRefused,
                                    QStringLiteral("vCenter refused the credentials of operator at vc.test"),
                                    QStringLiteral("InvalidLogin"));
        m_h->hypervisor->failNext(FakeHypervisor::Method::Inventory, refused);
        m_h->service->refreshInventory();
        QTRY_COMPARE(m_h->service->connectionStatus().state, ConnectionStatus::State::NeedsOperator);
        QTRY_COMPARE(line().connection,
                     QStringLiteral("vc.test — Waiting for the operator: vCenter refused the credentials of operator"));
        QCOMPARE(line().connectionNotice, StateStyle::Notice::Error);
        QVERIFY(!line().healthy);
        QVERIFY(!line().breakerHealthy);
        QVERIFY(line().connectionTip.contains(QStringLiteral("refused")));
    }

    // An administrator's hold: said as such, with the reason in the tooltip.
    void heldBreakerSaysWhoHoldsIt()
    {
        QVERIFY(m_h->connect());
        QTRY_VERIFY(m_w->vmSpecForm()->hasInventory());
        m_h->service->forceBreakerOpen(QStringLiteral("patching vCenter"));
        QTRY_COMPARE(line().breaker, QStringLiteral("Breaker: FORCED_OPEN — held by an administrator"));
        QVERIFY(line().breakerTip.contains(QStringLiteral("patching vCenter")));
        QVERIFY(!line().healthy);
        QVERIFY(!line().counting); // a hold has no scout to count down to
    }
};

QTEST_MAIN(TestStatusBar)
#include "TestStatusBar.moc"
