// `dcmctl breaker` (the real binary) reads the breaker log of a database and prints the breaker in the
// domain's one JSON encoding (BreakerSnapshotJson) plus who recorded it: the output, less its record
// keys, must pass the strict reader and give back the recorded snapshot. No vCenter is involved.
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include "../cli/DcmctlRunner.h"
#include "StoreSamples.h"
#include "app/storage/SqliteBreakerLog.h"
#include "domain/BreakerSnapshotJson.h"

using namespace dcm;
using namespace storetest;

namespace {

const QStringList s_recordKeys{QStringLiteral("recorded"), QStringLiteral("recordedAt"), QStringLiteral("recordedBy"),
                               QStringLiteral("reason")};

QJsonObject withoutRecordKeys(QJsonObject json)
{
    for (const QString& key : s_recordKeys) {
        json.remove(key);
    }
    return json;
}

QString iso(const QDateTime& at)
{
    return at.toUTC().toString(Qt::ISODateWithMs);
}

} // namespace

class TestDcmctlBreaker final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QProcessEnvironment env(const QString& db) const
    {
        QProcessEnvironment e;
        e.insert(QStringLiteral("DCM_DB"), db);
        e.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("dcm.*.debug=false;dcm.*.info=false"));
        return e;
    }

private Q_SLOTS:
    // Pins: before any transition is recorded, a closed breaker with the given threshold, in the one
    // encoding, and "recorded": false with no record keys.
    void nothingRecordedIsAClosedBreaker()
    {
        const QString db = m_dir.filePath(QStringLiteral("fresh.db"));
        const DcmctlRun run = runDcmctl({QStringLiteral("breaker"), QStringLiteral("--json"),
                                         QStringLiteral("--failure-threshold"), QStringLiteral("3")},
                                        env(db));
        QCOMPARE(run.exitCode, 0);
        const QJsonObject json = run.json().object();
        QCOMPARE(json.value(QStringLiteral("recorded")), QJsonValue(false));
        QVERIFY(!json.contains(QStringLiteral("recordedAt")));
        auto snapshot = BreakerSnapshotJson::fromJson(withoutRecordKeys(json));
        QVERIFY2(snapshot.ok(), snapshot.ok() ? "" : qPrintable(snapshot.error().message));
        BreakerSnapshot expected;
        expected.failureThreshold = 3;
        QVERIFY(snapshot.value() == expected);
    }

    // Pins: the last recorded transition's snapshot comes back whole through dcmctl's JSON, with its
    // time, owner and reason; the text form says the same in lines.
    void theLastRecordedSnapshotComesBackWhole()
    {
        const QString db = m_dir.filePath(QStringLiteral("recorded.db"));
        const BreakerSnapshot recorded = sampleSnapshot(BreakerState::Open, 5);
        const BreakerTransition opened{t0().addSecs(100), BreakerState::Closed, BreakerState::Open,
                                       QStringLiteral("5 consecutive failures")};
        {
            auto log = SqliteBreakerLog::open(db);
            VERIFY_OK(log);
            VERIFY_OK(log.value()->appendBreakerEvent(opened, recorded, QStringLiteral("console@host")));
        }
        const DcmctlRun run = runDcmctl({QStringLiteral("breaker"), QStringLiteral("--json")}, env(db));
        QCOMPARE(run.exitCode, 0);
        const QJsonObject json = run.json().object();
        QCOMPARE(json.value(QStringLiteral("recorded")), QJsonValue(true));
        QCOMPARE(json.value(QStringLiteral("recordedAt")).toString(), iso(opened.at));
        QCOMPARE(json.value(QStringLiteral("recordedBy")).toString(), QStringLiteral("console@host"));
        QCOMPARE(json.value(QStringLiteral("reason")).toString(), opened.reason);
        QCOMPARE(withoutRecordKeys(json), BreakerSnapshotJson::toJson(recorded));
        auto snapshot = BreakerSnapshotJson::fromJson(withoutRecordKeys(json));
        QVERIFY2(snapshot.ok(), snapshot.ok() ? "" : qPrintable(snapshot.error().message));
        QVERIFY(snapshot.value() == recorded);

        const DcmctlRun text = runDcmctl({QStringLiteral("breaker")}, env(db));
        QCOMPARE(text.exitCode, 0);
        QCOMPARE(QString::fromUtf8(text.out),
                 QStringLiteral("state: OPEN\nconsecutive failures: 5 of 5\nsince: %1 (%2)\n"
                                "next scout: %3\n")
                     .arg(iso(opened.at), opened.reason, iso(recorded.nextProbeAt)));
    }
};

QTEST_GUILESS_MAIN(TestDcmctlBreaker)
#include "TestDcmctlBreaker.moc"
