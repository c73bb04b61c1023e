// Pins the retry policy: exponential ceilings with a cap, full jitter over [0, ceiling] driven by an
// injected random source, the attempt budget, and the "gave up after N attempts" message.
#include "domain/RetryPolicy.h"

#include <chrono>

#include <QTest>

#include "DomainQCompare.h"

using namespace dcm;
using namespace std::chrono_literals;

namespace {

RetryPolicy::RandomSource fixed(double value)
{
    return [value] { return value; };
}

} // namespace

class TestRetryPolicy : public QObject
{
    Q_OBJECT

private slots:
    void ceilingDoublesUpToTheCap_data()
    {
        QTest::addColumn<int>("attempts");
        QTest::addColumn<qint64>("ceilingMs");
        // base 1 s, cap 30 s
        QTest::newRow("after 1") << 1 << qint64(1000);
        QTest::newRow("after 2") << 2 << qint64(2000);
        QTest::newRow("after 3") << 3 << qint64(4000);
        QTest::newRow("after 5") << 5 << qint64(16000);
        QTest::newRow("after 6: 32 s capped") << 6 << qint64(30000);
        QTest::newRow("after 1000: no overflow") << 1000 << qint64(30000);
        QTest::newRow("after 0: treated as 1") << 0 << qint64(1000);
        QTest::newRow("negative: treated as 1") << -3 << qint64(1000);
    }

    void ceilingDoublesUpToTheCap()
    {
        QFETCH(int, attempts);
        QFETCH(qint64, ceilingMs);
        const RetryPolicy policy(1s, 30s, 10, fixed(0.5));
        QCOMPARE(policy.ceilingAfter(attempts).count(), ceilingMs);
    }

    void fullJitter_data()
    {
        QTest::addColumn<double>("random");
        QTest::addColumn<qint64>("delayMs");
        // ceiling 4000 ms (after 3 attempts, base 1 s)
        QTest::newRow("0 gives no wait") << 0.0 << qint64(0);
        QTest::newRow("0.25") << 0.25 << qint64(1000);
        QTest::newRow("0.5 gives half") << 0.5 << qint64(2000);
        QTest::newRow("just below 1") << 0.99999 << qint64(3999);
        QTest::newRow("1 is clamped to the ceiling") << 1.0 << qint64(4000);
        QTest::newRow("above 1 is clamped") << 7.0 << qint64(4000);
        QTest::newRow("negative is clamped to 0") << -0.5 << qint64(0);
        QTest::newRow("NaN is treated as 0") << std::nan("") << qint64(0);
    }

    void fullJitter()
    {
        QFETCH(double, random);
        QFETCH(qint64, delayMs);
        const RetryPolicy policy(1s, 60s, 10, fixed(random));
        QCOMPARE(policy.nextDelay(3).count(), delayMs);
    }

    // Same seed, same delays: drills and tests can replay a schedule. Different seeds differ.
    void seededRandomIsReproducible()
    {
        const RetryPolicy a(500ms, 60s, 10, RetryPolicy::seededRandom(42));
        const RetryPolicy b(500ms, 60s, 10, RetryPolicy::seededRandom(42));
        const RetryPolicy c(500ms, 60s, 10, RetryPolicy::seededRandom(43));
        QList<qint64> da;
        QList<qint64> db;
        QList<qint64> dc;
        for (int attempt = 1; attempt <= 20; ++attempt) {
            da.append(a.nextDelay(attempt).count());
            db.append(b.nextDelay(attempt).count());
            dc.append(c.nextDelay(attempt).count());
            QVERIFY(da.back() >= 0 && da.back() <= a.ceilingAfter(attempt).count());
        }
        QCOMPARE(da, db);
        QVERIFY(da != dc);
    }

    // Full jitter spreads a burst of retries over the whole window: mean near half the ceiling, and
    // both halves of the window used. Seeded, so not flaky.
    void jitterSpreadsOverTheWindow()
    {
        const RetryPolicy policy(1s, 8s, 10, RetryPolicy::seededRandom(7));
        const int n = 10000;
        double sum = 0;
        int low = 0;
        for (int i = 0; i < n; ++i) {
            const qint64 d = policy.nextDelay(4).count(); // ceiling 8000 ms
            QVERIFY(d >= 0 && d <= 8000);
            sum += double(d);
            low += d < 4000 ? 1 : 0;
        }
        QVERIFY2(std::abs(sum / n - 4000.0) < 200.0, qPrintable(QString::number(sum / n)));
        QVERIFY(low > n * 0.45 && low < n * 0.55);
    }

    void defaultRandomSourceStaysInTheWindow()
    {
        const RetryPolicy policy(100ms, 1s, 3);
        QSet<qint64> seen;
        for (int i = 0; i < 200; ++i) {
            const qint64 d = policy.nextDelay(2).count();
            QVERIFY(d >= 0 && d <= 200);
            seen.insert(d);
        }
        QVERIFY(seen.size() > 10); // actually random
    }

    void shouldGiveUp_data()
    {
        QTest::addColumn<int>("attempts");
        QTest::addColumn<bool>("giveUp");
        QTest::newRow("0") << 0 << false;
        QTest::newRow("2") << 2 << false;
        QTest::newRow("3 = max") << 3 << true;
        QTest::newRow("4") << 4 << true;
    }

    void shouldGiveUp()
    {
        QFETCH(int, attempts);
        QFETCH(bool, giveUp);
        const RetryPolicy policy(1s, 10s, 3);
        QCOMPARE(policy.shouldGiveUp(attempts), giveUp);
    }

    void constructorKeepsValuesSane()
    {
        const RetryPolicy policy(5s, 1s, 0);
        QCOMPARE(policy.cap(), 5000ms); // a cap below the base would shrink the first delay
        QCOMPARE(policy.maxAttempts(), 1);
        const RetryPolicy defaults;
        QCOMPARE(defaults.base(), RetryPolicy::defaultBase);
        QCOMPARE(defaults.cap(), RetryPolicy::defaultCap);
        QCOMPARE(defaults.maxAttempts(), RetryPolicy::defaultMaxAttempts);
    }

    void gaveUpMessage_data()
    {
        QTest::addColumn<int>("attempts");
        QTest::addColumn<Error>("cause");
        QTest::addColumn<QString>("message");
        QTest::newRow("plain") << 6
                               << Error::make(ErrorKind::Transient, QStringLiteral("connection-refused"),
                                              QStringLiteral("Connection refused"))
                               << QStringLiteral("gave up after 6 attempts: Connection refused");
        QTest::newRow("singular") << 1
                                  << Error::make(ErrorKind::Transient, QStringLiteral("timeout"),
                                                 QStringLiteral("No reply within 30 s"))
                                  << QStringLiteral("gave up after 1 attempt: No reply within 30 s");
        QTest::newRow("vim fault named") << 3
                                         << Error::make(ErrorKind::Transient, QStringLiteral("vim-fault"),
                                                        QStringLiteral("A general system error occurred"),
                                                        QStringLiteral("SystemError"))
                                         << QStringLiteral("gave up after 3 attempts: SystemError: A general system "
                                                           "error occurred");
        QTest::newRow("fault already in message")
            << 2
            << Error::make(ErrorKind::Transient, QStringLiteral("vim-fault"), QStringLiteral("SystemError: boom"),
                           QStringLiteral("SystemError"))
            << QStringLiteral("gave up after 2 attempts: SystemError: boom");
        QTest::newRow("no message: the kind") << 4 << Error::make(ErrorKind::OutcomeUnknown, QString(), QString())
                                              << QStringLiteral("gave up after 4 attempts: outcome-unknown");
        QTest::newRow("percent signs survive")
            << 2 << Error::make(ErrorKind::Transient, QStringLiteral("x"), QStringLiteral("disk 100% %1 full"))
            << QStringLiteral("gave up after 2 attempts: disk 100% %1 full");
    }

    void gaveUpMessage()
    {
        QFETCH(int, attempts);
        QFETCH(Error, cause);
        QFETCH(QString, message);
        QCOMPARE(RetryPolicy::gaveUpMessage(attempts, cause), message);
    }

    void gaveUpErrorKeepsKindAndFault()
    {
        const Error cause = Error::make(ErrorKind::Transient, QStringLiteral("vim-fault"), QStringLiteral("boom"),
                                        QStringLiteral("HostCommunication"));
        const Error error = RetryPolicy::gaveUpError(5, cause);
        QCOMPARE(error.kind, ErrorKind::Transient);
        QCOMPARE(error.code, QStringLiteral("gave-up"));
        QCOMPARE(error.vimFault, QStringLiteral("HostCommunication"));
        QCOMPARE(error.message, QStringLiteral("gave up after 5 attempts: HostCommunication: boom"));
        QCOMPARE(error.details.value(QStringLiteral("attempts")).toInt(), 5);
        QCOMPARE(error.details.value(QStringLiteral("lastCode")).toString(), QStringLiteral("vim-fault"));
    }
};

QTEST_GUILESS_MAIN(TestRetryPolicy)
#include "TestRetryPolicy.moc"
