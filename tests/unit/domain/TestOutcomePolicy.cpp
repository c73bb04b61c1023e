// What a failure means for a request, decided without I/O, clocks or fakes: every error kind after a
// send and after a lookup, the give-up boundary, DuplicateName on a first and on a later attempt, and
// refused credentials (which wait for the operator, never fail or retry on their own).
#include "domain/OutcomePolicy.h"

#include <QTest>

using namespace dcm;
using namespace std::chrono_literals;
using Step = OutcomeDecision::Step;

Q_DECLARE_METATYPE(dcm::ErrorKind)
Q_DECLARE_METATYPE(dcm::OutcomeDecision::Step)

namespace {

// Jitter pinned to its ceiling, so that delays are the policy's exact bounds.
RetryPolicy retry()
{
    return RetryPolicy(1000ms, 60000ms, 4, [] { return 0.999999; });
}

Error error(ErrorKind kind, const QString& code = QStringLiteral("x"), const QString& vimFault = {})
{
    return Error::make(kind, code, QStringLiteral("what vCenter said"), vimFault);
}

} // namespace

class TestOutcomePolicy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void afterSendFailed_data()
    {
        QTest::addColumn<ErrorKind>("kind");
        QTest::addColumn<QString>("code");
        QTest::addColumn<int>("attempts");
        QTest::addColumn<Step>("step");
        QTest::newRow("transient, first attempt") << ErrorKind::Transient << "timeout" << 1 << Step::Requeue;
        QTest::newRow("transient, last attempt") << ErrorKind::Transient << "timeout" << 4 << Step::Fail;
        QTest::newRow("session expired is retried") << ErrorKind::SessionExpired << "vim-fault" << 2 << Step::Requeue;
        QTest::newRow("no answer after sending") << ErrorKind::OutcomeUnknown << "timeout" << 1 << Step::Reconcile;
        QTest::newRow("no answer, even at the last attempt")
            << ErrorKind::OutcomeUnknown << "timeout" << 4 << Step::Reconcile;
        QTest::newRow("refused credentials")
            << ErrorKind::Authentication << "login-refused" << 1 << Step::WaitForOperator;
        QTest::newRow("refused credentials, last attempt")
            << ErrorKind::Authentication << "login-refused" << 9 << Step::WaitForOperator;
        QTest::newRow("refused permission to log in")
            << ErrorKind::Permission << "login-refused" << 1 << Step::WaitForOperator;
        QTest::newRow("no permission on one object") << ErrorKind::Permission << "vim-fault" << 1 << Step::Fail;
        QTest::newRow("untrusted certificate")
            << ErrorKind::Trust << "thumbprint-mismatch" << 1 << Step::WaitForOperator;
        QTest::newRow("our own shutdown") << ErrorKind::Cancelled << "cancelled" << 1 << Step::Abandon;
        QTest::newRow("business fault") << ErrorKind::Business << "vim-fault" << 1 << Step::Fail;
        QTest::newRow("name taken on the first attempt") << ErrorKind::Business << "duplicate-name" << 1 << Step::Fail;
        QTest::newRow("name taken after an earlier attempt")
            << ErrorKind::Business << "duplicate-name" << 2 << Step::Reconcile;
        QTest::newRow("invalid input") << ErrorKind::InvalidInput << "invalid-spec" << 1 << Step::Fail;
    }
    void afterSendFailed()
    {
        QFETCH(ErrorKind, kind);
        QFETCH(QString, code);
        QFETCH(int, attempts);
        QFETCH(Step, step);
        const RetryPolicy r = retry();
        const OutcomeDecision d = OutcomePolicy(r).afterSendFailed(error(kind, code), attempts);
        QCOMPARE(d.step, step);
        QCOMPARE(d.failure.has_value(), step == Step::Fail);
        if (step != Step::Requeue)
            QCOMPARE(d.delay, 0ms);
    }

    void requeueWaitsTheRetryPolicysDelay()
    {
        const RetryPolicy r = retry();
        const OutcomeDecision d = OutcomePolicy(r).afterSendFailed(error(ErrorKind::Transient), 2);
        QCOMPARE(d.step, Step::Requeue);
        QVERIFY(d.delay > 1000ms);
        QVERIFY(d.delay <= r.ceilingAfter(2));
    }

    void givingUpWrapsTheLastCause()
    {
        const RetryPolicy r = retry();
        const OutcomeDecision d = OutcomePolicy(r).afterSendFailed(
            error(ErrorKind::Transient, QStringLiteral("vim-fault"), QStringLiteral("SystemError")), 4);
        QCOMPARE(d.step, Step::Fail);
        QCOMPARE(d.failure->code, QStringLiteral("gave-up"));
        QCOMPARE(d.failure->vimFault, QStringLiteral("SystemError"));
        QVERIFY(d.failure->message.contains(QStringLiteral("4 attempts")));
        QVERIFY(d.failure->message.contains(QStringLiteral("what vCenter said")));
    }

    void aPermanentFaultFailsWithItself()
    {
        const RetryPolicy r = retry();
        const Error e = error(ErrorKind::Business, QStringLiteral("vim-fault"), QStringLiteral("InvalidVmConfig"));
        QCOMPARE(OutcomePolicy(r).afterSendFailed(e, 1).failure, std::optional<Error>(e));
    }

    void afterLookupFailed()
    {
        const RetryPolicy r = retry();
        const OutcomePolicy p(r);
        QCOMPARE(p.afterLookupFailed(error(ErrorKind::Transient), 1).step, Step::Requeue);
        QCOMPARE(p.afterLookupFailed(error(ErrorKind::Transient), 9).step, Step::Requeue); // a lookup never gives up
        QCOMPARE(p.afterLookupFailed(error(ErrorKind::Business), 2).step, Step::Requeue);
        QCOMPARE(p.afterLookupFailed(error(ErrorKind::Business), 4).step, Step::Fail);
        QCOMPARE(p.afterLookupFailed(error(ErrorKind::Authentication, QStringLiteral("login-refused")), 9).step,
                 Step::WaitForOperator);
        // A lookup after the first attempt still waits at least the first delay.
        QVERIFY(p.afterLookupFailed(error(ErrorKind::Transient), 0).delay > 0ms);
    }

    void afterNothingFound()
    {
        const RetryPolicy r = retry();
        const OutcomePolicy p(r);
        QCOMPARE(p.afterNothingFound(1, std::nullopt, std::nullopt).step, Step::Resend);
        const Error taken =
            error(ErrorKind::Business, QStringLiteral("duplicate-name"), QStringLiteral("DuplicateName"));
        const OutcomeDecision dup = p.afterNothingFound(2, taken, std::nullopt);
        QCOMPARE(dup.step, Step::Fail);
        QCOMPARE(dup.failure, std::optional<Error>(taken)); // the name is someone else's VM
        const OutcomeDecision last = p.afterNothingFound(4, std::nullopt, error(ErrorKind::OutcomeUnknown));
        QCOMPARE(last.step, Step::Fail);
        QCOMPARE(last.failure->code, QStringLiteral("gave-up"));
        QCOMPARE(p.afterNothingFound(4, std::nullopt, std::nullopt).failure->code, QStringLiteral("gave-up"));
    }

    void onlyCredentialsAndTrustStopTheConnection()
    {
        QVERIFY(OutcomePolicy::needsOperator(error(ErrorKind::Authentication)));
        QVERIFY(OutcomePolicy::needsOperator(error(ErrorKind::Trust)));
        QVERIFY(OutcomePolicy::needsOperator(error(ErrorKind::Permission, QStringLiteral("login-refused"))));
        QVERIFY(!OutcomePolicy::needsOperator(error(ErrorKind::Permission)));
        QVERIFY(!OutcomePolicy::needsOperator(error(ErrorKind::Transient)));
        QVERIFY(!OutcomePolicy::needsOperator(error(ErrorKind::SessionExpired)));
    }
};

QTEST_GUILESS_MAIN(TestOutcomePolicy)
#include "TestOutcomePolicy.moc"
