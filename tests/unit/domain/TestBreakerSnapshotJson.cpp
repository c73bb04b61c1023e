// Pins the one JSON form of a BreakerSnapshot (what the store keeps and `dcmctl breaker --json` prints):
// every field round-trips, the document's shape (keys, ISO times, whole-number durations), and the
// strict reader that refuses anything else with every problem named at once.
#include "domain/BreakerSnapshotJson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTest>

#include "DomainQCompare.h"

using namespace dcm;
using namespace std::chrono_literals;

namespace {

QDateTime t0()
{
    return QDateTime(QDate(2026, 1, 1), QTime(8, 0), Qt::UTC);
}

BreakerSnapshot everyField()
{
    BreakerSnapshot s;
    s.state = BreakerState::Open;
    s.consecutiveFailures = 5;
    s.failureThreshold = 5;
    s.openedAt = t0().addSecs(100);
    s.nextProbeAt = t0().addSecs(130).addMSecs(7);
    s.stateSince = t0().addSecs(100);
    s.timeInState = 1234ms;
    s.lastReason = QStringLiteral("5 consecutive failures; last: connection refused");
    Error error =
        Error::make(ErrorKind::Transient, QStringLiteral("connection-refused"), QStringLiteral("Connection refused"));
    error.details.insert(QStringLiteral("host"), QStringLiteral("vc1"));
    s.lastError = error;
    s.lastSuccessAt = t0().addSecs(50);
    s.succeeded = 10;
    s.failed = 5;
    s.ignored = 2;
    s.rejected = 7;
    s.latencySamples = 10;
    s.latencyP50 = 1500us;
    s.latencyP90 = 4000us;
    s.latencyP99 = 9000us;
    return s;
}

QStringList problemFields(const Error& error)
{
    QStringList fields;
    for (const QVariant& p : error.details.value(QStringLiteral("problems")).toList()) {
        fields.append(p.toMap().value(QStringLiteral("field")).toString());
    }
    fields.sort();
    return fields;
}

} // namespace

class TestBreakerSnapshotJson final : public QObject
{
    Q_OBJECT

private slots:
    // Pins: every field survives toJson -> fromJson, also through the text a store or a pipe carries.
    void everyFieldRoundTrips()
    {
        const BreakerSnapshot s = everyField();
        const QByteArray text = QJsonDocument(BreakerSnapshotJson::toJson(s)).toJson(QJsonDocument::Compact);
        auto back = BreakerSnapshotJson::fromJson(QJsonDocument::fromJson(text).object());
        QVERIFY2(back.ok(), back.ok() ? "" : qPrintable(back.error().message));
        QVERIFY(back.value() == s);

        const BreakerSnapshot closed;
        auto fresh = BreakerSnapshotJson::fromJson(BreakerSnapshotJson::toJson(closed));
        QVERIFY(fresh.ok());
        QVERIFY(fresh.value() == closed);
    }

    // Pins the document: every key always present, times as ISO 8601 UTC text with milliseconds or
    // null, durations and counts as whole numbers, the last error in ErrorJson's form.
    void theDocumentHasOneShape()
    {
        const QJsonObject json = BreakerSnapshotJson::toJson(everyField());
        QStringList keys = json.keys();
        keys.sort();
        QStringList expected = BreakerSnapshotJson::keys();
        expected.sort();
        QCOMPARE(keys, expected);
        QCOMPARE(keys.size(), 18);
        QCOMPARE(json.value(QStringLiteral("state")).toString(), QStringLiteral("OPEN"));
        QCOMPARE(json.value(QStringLiteral("failureThreshold")).toInt(), 5);
        QCOMPARE(json.value(QStringLiteral("openedAt")).toString(), QStringLiteral("2026-01-01T08:01:40.000Z"));
        QCOMPARE(json.value(QStringLiteral("nextProbeAt")).toString(), QStringLiteral("2026-01-01T08:02:10.007Z"));
        QCOMPARE(json.value(QStringLiteral("timeInStateMs")).toInteger(), 1234);
        QCOMPARE(json.value(QStringLiteral("latencyP99Us")).toInteger(), 9000);
        QCOMPARE(json.value(QStringLiteral("lastError")).toObject().value(QStringLiteral("code")).toString(),
                 QStringLiteral("connection-refused"));

        const QJsonObject closed = BreakerSnapshotJson::toJson(BreakerSnapshot{});
        QCOMPARE(closed.size(), 18);
        for (const char* key : {"openedAt", "nextProbeAt", "stateSince", "lastSuccessAt", "lastError"}) {
            QVERIFY2(closed.value(QLatin1String(key)).isNull(), key);
        }
    }

    // Pins: only "state" is required; absent keys keep BreakerSnapshot's defaults.
    void absentKeysKeepTheDefaults()
    {
        auto parsed =
            BreakerSnapshotJson::fromJson(QJsonObject{{QStringLiteral("state"), QStringLiteral("HALF_OPEN")}});
        QVERIFY(parsed.ok());
        BreakerSnapshot expected;
        expected.state = BreakerState::HalfOpen;
        QVERIFY(parsed.value() == expected);

        auto missing = BreakerSnapshotJson::fromJson(QJsonObject{{QStringLiteral("failed"), 3}});
        QVERIFY(!missing.ok());
        QCOMPARE(problemFields(missing.error()), QStringList{QStringLiteral("state")});
    }

    void strictReaderRefuses_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QJsonValue>("value");
        QTest::newRow("unknown key") << QStringLiteral("threshold") << QJsonValue(5);
        QTest::newRow("unknown state") << QStringLiteral("state") << QJsonValue(QStringLiteral("AJAR"));
        QTest::newRow("state not text") << QStringLiteral("state") << QJsonValue(1);
        QTest::newRow("count as text") << QStringLiteral("consecutiveFailures") << QJsonValue(QStringLiteral("5"));
        QTest::newRow("fraction") << QStringLiteral("failed") << QJsonValue(2.5);
        QTest::newRow("negative count") << QStringLiteral("rejected") << QJsonValue(-1);
        QTest::newRow("negative duration") << QStringLiteral("timeInStateMs") << QJsonValue(-20);
        QTest::newRow("time as epoch number") << QStringLiteral("openedAt") << QJsonValue(1767254400000.0);
        QTest::newRow("time not a time") << QStringLiteral("stateSince") << QJsonValue(QStringLiteral("yesterday"));
        QTest::newRow("last error not an object") << QStringLiteral("lastError") << QJsonValue(QStringLiteral("x"));
        QTest::newRow("last error of unknown kind")
            << QStringLiteral("lastError")
            << QJsonValue(QJsonObject{{QStringLiteral("kind"), QStringLiteral("cosmic")},
                                      {QStringLiteral("code"), QStringLiteral("c")},
                                      {QStringLiteral("message"), QStringLiteral("m")}});
        QTest::newRow("int out of range") << QStringLiteral("latencySamples") << QJsonValue(4294967296.0);
    }

    // Pins: one bad value among good ones is refused with code "invalid-breaker-snapshot", naming its key.
    void strictReaderRefuses()
    {
        QFETCH(QString, key);
        QFETCH(QJsonValue, value);
        QJsonObject json = BreakerSnapshotJson::toJson(everyField());
        json.insert(key, value);
        auto parsed = BreakerSnapshotJson::fromJson(json);
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().code, QStringLiteral("invalid-breaker-snapshot"));
        QCOMPARE(problemFields(parsed.error()), QStringList{key});
        QVERIFY2(parsed.error().message.startsWith(key + QStringLiteral(": ")), qPrintable(parsed.error().message));
    }

    // Pins: every problem at once, not the first only.
    void everyProblemIsNamedAtOnce()
    {
        const QJsonObject json{{QStringLiteral("state"), QStringLiteral("AJAR")},
                               {QStringLiteral("failed"), QStringLiteral("many")},
                               {QStringLiteral("recordedBy"), QStringLiteral("svc")}};
        auto parsed = BreakerSnapshotJson::fromJson(json);
        QVERIFY(!parsed.ok());
        QCOMPARE(problemFields(parsed.error()),
                 (QStringList{QStringLiteral("failed"), QStringLiteral("recordedBy"), QStringLiteral("state")}));
    }
};

QTEST_GUILESS_MAIN(TestBreakerSnapshotJson)
#include "TestBreakerSnapshotJson.moc"
