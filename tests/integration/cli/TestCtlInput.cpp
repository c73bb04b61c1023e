// dcmctl's strict input rules, without a process: whole numbers, GiB sizes, request ids, the quoting of
// what was typed, and DCM_PASSWORD leaving the environment.
#include "app/cli/CtlConnection.h"
#include "app/cli/CtlInput.h"
#include "app/cli/CtlOptions.h"

#include <QProcess>
#include <QTest>

#include "DomainQCompare.h"

#include <limits>

using namespace dcm;
using namespace dcm::ctl;

class TestCtlInput final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void wholeNumbers_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("max");
        QTest::addColumn<qint64>("expected"); // -1: refused
        QTest::addColumn<QString>("reason");
        const qint64 intMax = std::numeric_limits<int>::max();
        QTest::newRow("plain") << QStringLiteral("4") << intMax << qint64(4) << QString();
        QTest::newRow("zero") << QStringLiteral("0") << intMax << qint64(0) << QString();
        QTest::newRow("leading zeros") << QStringLiteral("007") << intMax << qint64(7) << QString();
        QTest::newRow("int max") << QStringLiteral("2147483647") << intMax << intMax << QString();
        QTest::newRow("int max + 1") << QStringLiteral("2147483648") << intMax << qint64(-1)
                                     << QStringLiteral("is too large (at most 2147483647)");
        // int(4294967297) is 1: the number that must never reach a VM's spec.
        QTest::newRow("2^32 + 1") << QStringLiteral("4294967297") << intMax << qint64(-1)
                                  << QStringLiteral("is too large (at most 2147483647)");
        QTest::newRow("beyond int64") << QStringLiteral("99999999999999999999999") << std::numeric_limits<qint64>::max()
                                      << qint64(-1) << QStringLiteral("is too large");
        QTest::newRow("int64 max") << QStringLiteral("9223372036854775807") << std::numeric_limits<qint64>::max()
                                   << std::numeric_limits<qint64>::max() << QString();
        QTest::newRow("negative") << QStringLiteral("-1") << intMax << qint64(-1) << QStringLiteral("is negative");
        QTest::newRow("minus zero") << QStringLiteral("-0") << intMax << qint64(-1)
                                    << QStringLiteral("is not a whole number");
        QTest::newRow("trailing junk") << QStringLiteral("4x") << intMax << qint64(-1)
                                       << QStringLiteral("is not a whole number");
        QTest::newRow("leading blank") << QStringLiteral(" 4") << intMax << qint64(-1)
                                       << QStringLiteral("is not a whole number");
        QTest::newRow("trailing blank") << QStringLiteral("4 ") << intMax << qint64(-1)
                                        << QStringLiteral("is not a whole number");
        QTest::newRow("plus sign") << QStringLiteral("+4") << intMax << qint64(-1)
                                   << QStringLiteral("is not a whole number");
        QTest::newRow("fraction") << QStringLiteral("2.5") << intMax << qint64(-1)
                                  << QStringLiteral("is not a whole number");
        QTest::newRow("exponent") << QStringLiteral("1e3") << intMax << qint64(-1)
                                  << QStringLiteral("is not a whole number");
        QTest::newRow("hex") << QStringLiteral("0x10") << intMax << qint64(-1)
                             << QStringLiteral("is not a whole number");
        QTest::newRow("nan") << QStringLiteral("nan") << intMax << qint64(-1)
                             << QStringLiteral("is not a whole number");
        QTest::newRow("inf") << QStringLiteral("inf") << intMax << qint64(-1)
                             << QStringLiteral("is not a whole number");
        QTest::newRow("empty") << QString() << intMax << qint64(-1) << QStringLiteral("is not a whole number");
        QTest::newRow("arabic digits") << QStringLiteral("\u0664") << intMax << qint64(-1)
                                       << QStringLiteral("is not a whole number");
    }

    void wholeNumbers()
    {
        QFETCH(QString, text);
        QFETCH(qint64, max);
        QFETCH(qint64, expected);
        QFETCH(QString, reason);
        NumberOptions numbers;
        const std::optional<qint64> v = numbers.whole(QStringLiteral("cpus"), text, 0, max, false);
        if (expected >= 0) {
            QVERIFY(numbers.ok());
            QCOMPARE(v, std::optional<qint64>(expected));
            return;
        }
        QVERIFY(!v);
        QCOMPARE(numbers.problems().size(), 1);
        QCOMPARE(numbers.problems().at(0).field, QStringLiteral("--cpus"));
        const QString message = numbers.problems().at(0).message;
        QVERIFY2(message.startsWith(QStringLiteral("--cpus ") + quotedInput(text) + QLatin1Char(' ')),
                 qPrintable(message));
        QVERIFY2(message.contains(reason), qPrintable(message));
        const Error e = numbers.error();
        QCOMPARE(e.kind, ErrorKind::InvalidInput);
        QCOMPARE(e.code, QStringLiteral("bad-number"));
        QCOMPARE(e.message, message);
    }

    void rangedOptionsSayTheRange()
    {
        NumberOptions numbers;
        QCOMPARE(numbers.whole(QStringLiteral("lease"), QStringLiteral("1"), 2, 3600, true), std::nullopt);
        QCOMPARE(numbers.whole(QStringLiteral("cooldown"), QStringLiteral("soon"), 1, 86400, true), std::nullopt);
        QCOMPARE(numbers.whole(QStringLiteral("wait"), QStringLiteral("604801"), 0, 604800, true), std::nullopt);
        QCOMPARE(numbers.whole(QStringLiteral("wait"), QStringLiteral("604800"), 0, 604800, true),
                 std::optional<qint64>(604800));
        QCOMPARE(numbers.error().message,
                 QStringLiteral("--lease \"1\" is too small (allowed: 2 to 3600); --cooldown \"soon\" is not a whole "
                                "number (allowed: 1 to 86400); --wait \"604801\" is too large (allowed: 0 to 604800)"));
        QCOMPARE(numbers.error().details.value(QStringLiteral("problems")).toList().size(), 3);
    }

    void gibSizes_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("expectedMiB"); // -1: refused
        QTest::addColumn<QString>("reason");
        QTest::newRow("whole") << QStringLiteral("4") << qint64(4096) << QString();
        QTest::newRow("half") << QStringLiteral("0.5") << qint64(512) << QString();
        QTest::newRow("leading dot") << QStringLiteral(".25") << qint64(256) << QString();
        QTest::newRow("exponent") << QStringLiteral("1.5e3") << qint64(1536000) << QString();
        QTest::newRow("zero") << QStringLiteral("0") << qint64(0) << QString();
        QTest::newRow("largest") << QStringLiteral("8796093022208") << NumberOptions::maxDiskMiB << QString();
        QTest::newRow("one past largest") << QStringLiteral("8796093022209") << qint64(-1)
                                          << QStringLiteral("is too large (at most 8796093022208 GiB)");
        QTest::newRow("1e300") << QStringLiteral("1e300") << qint64(-1) << QStringLiteral("is too large");
        QTest::newRow("overflowing exponent")
            << QStringLiteral("1e400") << qint64(-1) << QStringLiteral("is too large");
        QTest::newRow("underflowing exponent")
            << QStringLiteral("1e-400") << qint64(-1) << QStringLiteral("is not a whole number of MiB");
        QTest::newRow("not whole MiB") << QStringLiteral("0.1") << qint64(-1)
                                       << QStringLiteral("is not a whole number of MiB (it is 102.4 MiB)");
        QTest::newRow("nan") << QStringLiteral("nan") << qint64(-1) << QStringLiteral("is not a number");
        QTest::newRow("inf") << QStringLiteral("inf") << qint64(-1) << QStringLiteral("is not a number");
        QTest::newRow("infinity") << QStringLiteral("Infinity") << qint64(-1) << QStringLiteral("is not a number");
        QTest::newRow("negative") << QStringLiteral("-4") << qint64(-1) << QStringLiteral("is negative");
        QTest::newRow("trailing junk") << QStringLiteral("4GiB") << qint64(-1) << QStringLiteral("is not a number");
        QTest::newRow("blank") << QStringLiteral("4 ") << qint64(-1) << QStringLiteral("is not a number");
        QTest::newRow("comma") << QStringLiteral("1,5") << qint64(-1) << QStringLiteral("is not a number");
        QTest::newRow("lone dot") << QStringLiteral(".") << qint64(-1) << QStringLiteral("is not a number");
    }

    void gibSizes()
    {
        QFETCH(QString, text);
        QFETCH(qint64, expectedMiB);
        QFETCH(QString, reason);
        NumberOptions numbers;
        const std::optional<qint64> mib = numbers.gibAsMib(QStringLiteral("disk-gib"), text);
        if (expectedMiB >= 0) {
            QVERIFY2(numbers.ok(), qPrintable(numbers.ok() ? QString() : numbers.error().message));
            QCOMPARE(mib, std::optional<qint64>(expectedMiB));
            return;
        }
        QVERIFY(!mib);
        const QString message = numbers.error().message;
        QVERIFY2(message.startsWith(QStringLiteral("--disk-gib ") + quotedInput(text) + QLatin1Char(' ')),
                 qPrintable(message));
        QVERIFY2(message.contains(reason), qPrintable(message));
    }

    void quotingShowsWhatWasTypedAndNothingElse()
    {
        QCOMPARE(quotedInput(QStringLiteral("4x")), QStringLiteral("\"4x\""));
        QCOMPARE(quotedInput(QStringLiteral("a\"b\\c")), QStringLiteral("\"a\\\"b\\\\c\""));
        QCOMPARE(quotedInput(QStringLiteral("1\n2\t\x1b[31m")), QStringLiteral("\"1\\n2\\t\\u001b[31m\""));
        QCOMPARE(quotedInput(QStringLiteral("%1 %2")), QStringLiteral("\"%1 %2\""));
        const QString longText(500, QLatin1Char('7'));
        QCOMPARE(quotedInput(longText), QLatin1Char('"') + QString(200, QLatin1Char('7')) + QStringLiteral("\"…"));
    }

    void requestIds_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("accepted");
        const QString id = QStringLiteral("6f1c3a52-9b0e-4d7a-8c2f-0e5d4b3a2f10");
        QTest::newRow("canonical") << id << true;
        QTest::newRow("upper case") << id.toUpper() << true;
        QTest::newRow("braces") << QLatin1Char('{') + id + QLatin1Char('}') << true;
        QTest::newRow("sql tail") << id + QStringLiteral("' OR '1'='1") << false;
        QTest::newRow("any tail") << id + QStringLiteral("x") << false;
        QTest::newRow("trailing line break") << id + QLatin1Char('\n') << false;
        QTest::newRow("trailing blank") << id + QLatin1Char(' ') << false;
        QTest::newRow("leading blank") << QLatin1Char(' ') + id << false;
        QTest::newRow("one brace") << QLatin1Char('{') + id << false;
        QTest::newRow("closing brace only") << id + QLatin1Char('}') << false;
        QTest::newRow("braces with tail") << QLatin1Char('{') + id + QStringLiteral("}x") << false;
        QTest::newRow("prefix") << id.left(8) << false;
        QTest::newRow("no dashes") << QString(id).remove(QLatin1Char('-')) << false;
        QTest::newRow("not hex") << QString(id).replace(0, 1, QLatin1Char('g')) << false;
        QTest::newRow("null uuid") << QStringLiteral("00000000-0000-0000-0000-000000000000") << false;
        QTest::newRow("empty") << QString() << false;
    }

    void requestIds()
    {
        QFETCH(QString, text);
        QFETCH(bool, accepted);
        const std::optional<QUuid> id = requestIdFrom(text);
        QCOMPARE(id.has_value(), accepted);
        if (accepted)
            QCOMPARE(*id, QUuid(QStringLiteral("6f1c3a52-9b0e-4d7a-8c2f-0e5d4b3a2f10")));
        else
            QVERIFY(notARequestId(text).message.startsWith(QStringLiteral("not a request id: ") + quotedInput(text)));
    }

    void theEnvironmentPasswordIsTakenOutOfTheEnvironment()
    {
        const QByteArray secret = "env-secret-" + QByteArray::number(QCoreApplication::applicationPid());
        QVERIFY(qputenv("DCM_PASSWORD", secret));
        QCOMPARE(takePasswordFromEnvironment(), QString::fromLatin1(secret));
        QVERIFY(!qEnvironmentVariableIsSet("DCM_PASSWORD"));
        QCOMPARE(takePasswordFromEnvironment(), QString()); // read once

        // A process started afterwards inherits nothing of it.
        QProcess child;
        child.start(QStringLiteral("/usr/bin/env"), QStringList());
        QVERIFY(child.waitForFinished(10000));
        const QByteArray seen = child.readAllStandardOutput();
        QVERIFY(seen.contains("PATH=")); // the child did print its environment
        QVERIFY2(!seen.contains("DCM_PASSWORD"), seen.constData());
        QVERIFY(!seen.contains(secret));
    }
};

QTEST_GUILESS_MAIN(TestCtlInput)
#include "TestCtlInput.moc"
