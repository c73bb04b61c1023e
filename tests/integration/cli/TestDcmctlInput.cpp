// The real dcmctl with strict input: a number that does not fit, has junk, is NaN/inf or negative is
// exit 2 naming the option and quoting the value, and nothing is stored; `requests --id`, `cancel` and
// `retry` act only on text that is exactly a request id. No server is involved: a database only.
#include "DcmctlRunner.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

class TestDcmctlInput final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_dbCounter = 0;
    QString m_db;

    QProcessEnvironment env() const
    {
        QProcessEnvironment e;
        e.insert(QStringLiteral("DCM_DB"), m_db);
        return e;
    }

    // A valid spec; `override` replaces (or adds) options by name.
    static QStringList spec(const QString& name, const QStringList& override = {})
    {
        QStringList args{QStringLiteral("--name"),       name,
                         QStringLiteral("--cpus"),       QStringLiteral("2"),
                         QStringLiteral("--memory-mib"), QStringLiteral("1024"),
                         QStringLiteral("--disk-gib"),   QStringLiteral("4"),
                         QStringLiteral("--datacenter"), QStringLiteral("DC0"),
                         QStringLiteral("--cluster"),    QStringLiteral("DC0_C0"),
                         QStringLiteral("--datastore"),  QStringLiteral("LocalDS_0"),
                         QStringLiteral("--network"),    QStringLiteral("VM Network")};
        for (qsizetype i = 0; i + 1 < override.size(); i += 2) {
            const qsizetype at = args.indexOf(override[i]);
            if (at >= 0)
                args[at + 1] = override[i + 1];
            else
                args << override[i] << override[i + 1];
        }
        return args;
    }

    int storedRequests() const
    {
        return runDcmctl({QStringLiteral("requests"), QStringLiteral("--json")}, env()).json().array().size();
    }

    QJsonObject request(const QString& id) const
    {
        const DcmctlRun r =
            runDcmctl({QStringLiteral("requests"), QStringLiteral("--id"), id, QStringLiteral("--json")}, env());
        return r.json().array().at(0).toObject();
    }

    QString submit(const QString& name, const QStringList& override = {}) const
    {
        const DcmctlRun r =
            runDcmctl(QStringList{QStringLiteral("submit"), QStringLiteral("--json")} + spec(name, override), env());
        if (r.exitCode != 3)
            qWarning("submit exited %d: %s", r.exitCode, r.err.constData());
        return r.json().object().value(QStringLiteral("id")).toString();
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void init() { m_db = m_dir.filePath(QStringLiteral("requests-%1.sqlite").arg(++m_dbCounter)); }

    void badNumbersExit2NamingTheOptionAndStoreNothing_data()
    {
        QTest::addColumn<QString>("option");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("reason");
        const auto row = [](const char* option, const char* value, const char* reason) {
            QTest::addRow("%s %s", option, value)
                << QString::fromLatin1(option) << QString::fromUtf8(value) << QString::fromLatin1(reason);
        };
        // Each of these used to reach the spec as another number (int(4294967297) is 1 vCPU) or as -1.
        row("--cpus", "4294967297", "is too large (at most 2147483647)");
        row("--cpus", "-1", "is negative");
        row("--cpus", "4x", "is not a whole number");
        row("--cpus", "2.5", "is not a whole number");
        row("--cores-per-socket", "1e1", "is not a whole number");
        row("--memory-mib", "99999999999999999999", "is too large");
        row("--memory-mib", "1024 ", "is not a whole number");
        row("--disk-gib", "1e300", "is too large");
        row("--disk-gib", "inf", "is not a number");
        row("--disk-gib", "nan", "is not a number");
        row("--disk-gib", "-4", "is negative");
        row("--disk-gib", "0.1", "is not a whole number of MiB");
        row("--wait", "1.5", "is not a whole number (allowed: 0 to 604800)");
        row("--wait", "-1", "is negative");
        row("--lease", "4294967298", "is too large (allowed: 2 to 3600)");
        row("--failure-threshold", "0", "is too small (allowed: 1 to 1000)");
        row("--drain-concurrency", "8 workers", "is not a whole number");
        row("--cooldown", "NaN", "is not a whole number");
        row("--call-timeout", "inf", "is not a whole number");
    }

    void badNumbersExit2NamingTheOptionAndStoreNothing()
    {
        QFETCH(QString, option);
        QFETCH(QString, value);
        QFETCH(QString, reason);
        const DcmctlRun r = runDcmctl(QStringList{QStringLiteral("submit"), QStringLiteral("--json")} +
                                          spec(QStringLiteral("n1"), {option, value}),
                                      env());
        QCOMPARE(r.exitCode, 2);
        const QString expected = option + QStringLiteral(" \"") + value + QStringLiteral("\" ") + reason;
        QVERIFY2(QString::fromUtf8(r.err).contains(expected), r.err.constData());
        QCOMPARE(r.err.count('\n'), 1); // one clear line
        const QJsonObject error = r.json().object().value(QStringLiteral("error")).toObject();
        QCOMPARE(error.value(QStringLiteral("code")).toString(), QStringLiteral("bad-number"));
        QCOMPARE(error.value(QStringLiteral("exitCode")).toInt(), 2);
        const QJsonArray problems = error.value(QStringLiteral("problems")).toArray();
        QCOMPARE(problems.size(), 1);
        QCOMPARE(problems.at(0).toObject().value(QStringLiteral("field")).toString(), option);
        QCOMPARE(storedRequests(), 0);
    }

    void everyBadNumberIsNamedInOneRun()
    {
        const DcmctlRun r =
            runDcmctl(QStringList{QStringLiteral("submit"), QStringLiteral("--cooldown"), QStringLiteral("soon")} +
                          spec(QStringLiteral("n2"), {QStringLiteral("--cpus"), QStringLiteral("x"),
                                                      QStringLiteral("--disk-gib"), QStringLiteral("nan")}),
                      env());
        QCOMPARE(r.exitCode, 2);
        for (const char* named : {"--cooldown \"soon\"", "--cpus \"x\"", "--disk-gib \"nan\""})
            QVERIFY2(r.err.contains(named), r.err.constData());
        QCOMPARE(storedRequests(), 0);
    }

    void numbersInRangeAreKeptExactly()
    {
        const QString id = submit(QStringLiteral("exact"),
                                  {QStringLiteral("--cpus"), QStringLiteral("768"), QStringLiteral("--disk-gib"),
                                   QStringLiteral("0.5"), QStringLiteral("--cores-per-socket"), QStringLiteral("8"),
                                   QStringLiteral("--memory-mib"), QStringLiteral("4096")});
        QVERIFY(!id.isEmpty());
        const QJsonObject spec = request(id).value(QStringLiteral("spec")).toObject();
        QCOMPARE(spec.value(QStringLiteral("cpus")).toInt(), 768);
        QCOMPARE(spec.value(QStringLiteral("coresPerSocket")).toInt(), 8);
        QCOMPARE(spec.value(QStringLiteral("memoryMiB")).toInteger(), 4096);
        QCOMPARE(
            spec.value(QStringLiteral("disks")).toArray().at(0).toObject().value(QStringLiteral("sizeMiB")).toInteger(),
            512);
    }

    void aNumberThatFitsButMakesNoSenseIsStillNamedByTheSpecRules()
    {
        const DcmctlRun r = runDcmctl(QStringList{QStringLiteral("submit"), QStringLiteral("--json")} +
                                          spec(QStringLiteral("n3"), {QStringLiteral("--cpus"), QStringLiteral("769")}),
                                      env());
        QCOMPARE(r.exitCode, 2);
        const QJsonArray problems =
            r.json().object().value(QStringLiteral("error")).toObject().value(QStringLiteral("problems")).toArray();
        QCOMPARE(problems.size(), 1);
        QCOMPARE(problems.at(0).toObject().value(QStringLiteral("field")).toString(), QStringLiteral("cpus"));
    }

    void onlyExactRequestIdsAreActedOn_data()
    {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("suffix");
        for (const char* command : {"cancel", "retry", "requests"}) {
            QTest::addRow("%s sql tail", command) << QString::fromLatin1(command) << QStringLiteral("' OR '1'='1");
            QTest::addRow("%s junk", command) << QString::fromLatin1(command) << QStringLiteral("x");
            QTest::addRow("%s line break", command) << QString::fromLatin1(command) << QStringLiteral("\n");
            QTest::addRow("%s blank", command) << QString::fromLatin1(command) << QStringLiteral(" ");
        }
    }

    void onlyExactRequestIdsAreActedOn()
    {
        QFETCH(QString, command);
        QFETCH(QString, suffix);
        const QString id = submit(QStringLiteral("target"));
        QVERIFY(!id.isEmpty());
        const QString typed = id + suffix;
        const QStringList args = command == QLatin1String("requests")
                                     ? QStringList{command, QStringLiteral("--id"), typed, QStringLiteral("--json")}
                                     : QStringList{command, typed, QStringLiteral("--json")};
        const DcmctlRun r = runDcmctl(args, env());
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.startsWith("dcmctl: not a request id: \""), r.err.constData());
        QCOMPARE(r.err.count('\n'), 1);
        const QJsonObject error = r.json().object().value(QStringLiteral("error")).toObject();
        QCOMPARE(error.value(QStringLiteral("code")).toString(), QStringLiteral("bad-id"));
        QVERIFY(r.json().isObject()); // an error document, not the request
        // The request whose id prefixes the text is untouched.
        const QJsonObject stored = request(id);
        QCOMPARE(stored.value(QStringLiteral("state")).toString(), QStringLiteral("SUBMITTED"));
        QCOMPARE(stored.value(QStringLiteral("history")).toArray().size(), 0);
    }

    void canonicalIdsWithBracesOrUpperCaseAreRequestIds()
    {
        const QString id = submit(QStringLiteral("braced"));
        QVERIFY(!id.isEmpty());
        const DcmctlRun one = runDcmctl(
            {QStringLiteral("requests"), QStringLiteral("--id"), id.toUpper(), QStringLiteral("--json")}, env());
        QCOMPARE(one.exitCode, 0);
        QCOMPARE(one.json().array().at(0).toObject().value(QStringLiteral("id")).toString(), id);
        const DcmctlRun cancel = runDcmctl(
            {QStringLiteral("cancel"), QLatin1Char('{') + id + QLatin1Char('}'), QStringLiteral("--json")}, env());
        QCOMPARE(cancel.exitCode, 0);
        QCOMPARE(cancel.json().object().value(QStringLiteral("state")).toString(), QStringLiteral("CANCELLED"));
    }
};

QTEST_GUILESS_MAIN(TestDcmctlInput)
#include "TestDcmctlInput.moc"
