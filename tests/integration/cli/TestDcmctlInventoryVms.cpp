// `dcmctl inventory vms` against the bundled simulator with a few thousand VMs: the streamed JSON
// document is valid and lists exactly the simulator's VMs; a reply that breaks midway (the door cuts it)
// ends the command with a clear error and a non-zero exit, with the VMs decoded before the break already
// on stdout (written as they were read, not built in memory first) and the document left unclosed, so
// that no parser takes it for the inventory.
#include "DcmctlRunner.h"
#include "VcsimProcess.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

namespace {

// Two clusters and a standalone host of 1,000 VMs each (and one template): three compute resources,
// read two at a time.
constexpr int kVms = 3000;
// A compute resource's reply is about 1.3 kB per VM (1.3 MB); cut after 0.7 MB. The folders' reply is
// far shorter, so the door serves it whole (a cut only takes replies longer than its byte count); the
// reply read beside the cut one arrives whole, and its VMs are written before the listing ends.
constexpr int kCutAfterBytes = 700000;

QStringList sortedNames(const QJsonArray& vms)
{
    QStringList names;
    for (const QJsonValue& v : vms)
        names.append(v.toObject().value(QStringLiteral("name")).toString());
    names.sort();
    return names;
}

// The VM objects written so far: one per line after the document's opening lines.
int vmLines(const QByteArray& out)
{
    int n = 0;
    for (const QByteArray& line : out.split('\n'))
        if (line.startsWith("{\"cpus\""))
            ++n;
    return n;
}

} // namespace

class TestDcmctlInventoryVms final : public QObject
{
    Q_OBJECT

private:
    VcsimProcess m_sim{{QStringLiteral("-cluster"), QStringLiteral("2"), QStringLiteral("-standalone"),
                        QStringLiteral("1"), QStringLiteral("-vm"), QStringLiteral("1000"),
                        QStringLiteral("-templates"), QStringLiteral("1")}};
    QTemporaryDir m_dir;

    QProcessEnvironment env() const
    {
        return simulatorEnv(m_sim, m_dir.filePath(QStringLiteral("requests.sqlite")), m_sim.password());
    }

    // A listing broken after it started writing: stdout holds some VMs, one per line, in a document
    // never closed; stderr says how many and that the output is incomplete.
    void checkIncomplete(const DcmctlRun& r)
    {
        QVERIFY2(r.exitCode != 0, r.out.right(200).constData());
        QJsonParseError parsed;
        QJsonDocument::fromJson(r.out, &parsed);
        QVERIFY2(parsed.error != QJsonParseError::NoError, "the partial output parses as a complete document");
        const int written = vmLines(r.out);
        QVERIFY2(written > 0 && written < kVms, qPrintable(QString::number(written)));
        QVERIFY2(r.err.contains(QByteArray("listing VMs failed after ") + QByteArray::number(written) +
                                " VMs; the output is incomplete"),
                 r.err.constData());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString error;
        QVERIFY2(m_sim.start(&error), qPrintable(error));
    }

    void init() { m_sim.reset(); }
    void cleanup() { m_sim.reset(); }

    void jsonIsOneValidDocumentWithEveryVmOfTheSimulator()
    {
        m_sim.post(QStringLiteral("/stats/reset"));
        const DcmctlRun r =
            runDcmctl({QStringLiteral("inventory"), QStringLiteral("vms"), QStringLiteral("--json")}, env());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QJsonParseError parsed;
        const QJsonDocument doc = QJsonDocument::fromJson(r.out, &parsed);
        QVERIFY2(parsed.error == QJsonParseError::NoError, qPrintable(parsed.errorString()));
        const QJsonArray vms = doc.object().value(QStringLiteral("vms")).toArray();
        const QJsonArray simulated = m_sim.vms();
        QCOMPARE(simulated.size(), kVms + 1); // and the template
        QCOMPARE(vms.size(), simulated.size());
        QCOMPARE(sortedNames(vms), sortedNames(simulated));
        QVERIFY(!doc.object().value(QStringLiteral("fetchedAt")).toString().isEmpty());

        QSet<QString> morefs;
        for (const QJsonValue& v : vms) {
            const QJsonObject o = v.toObject();
            const QString name = o.value(QStringLiteral("name")).toString();
            QVERIFY2(o.value(QStringLiteral("path")).toString().startsWith(QLatin1String("/DC0/vm/")),
                     qPrintable(name));
            QVERIFY2(o.value(QStringLiteral("path")).toString().endsWith(QLatin1Char('/') + name), qPrintable(name));
            morefs.insert(o.value(QStringLiteral("moref")).toString());
            QVERIFY2(o.value(QStringLiteral("cpus")).toInt() > 0, qPrintable(name));
            QVERIFY2(o.value(QStringLiteral("memoryMiB")).toInt() > 0, qPrintable(name));
            QVERIFY2(!o.value(QStringLiteral("powerState")).toString().isEmpty(), qPrintable(name));
            QVERIFY2(!o.value(QStringLiteral("instanceUuid")).toString().isEmpty(), qPrintable(name));
            // Not asked for: extraConfig is not read without --request-ids.
            QVERIFY2(!o.contains(QStringLiteral("requestId")), qPrintable(name));
        }
        QCOMPARE(morefs.size(), vms.size());
        // One read of the folders and compute resources, then one per compute resource (the simulator
        // answers each in one page).
        QCOMPARE(m_sim.callCount(QStringLiteral("RetrievePropertiesEx")), 4);
        QCOMPARE(m_sim.callCount(QStringLiteral("CreateContainerView")), 4);
    }

    void requestIdsAreReadWhenAskedFor()
    {
        const DcmctlRun r = runDcmctl({QStringLiteral("inventory"), QStringLiteral("vms"), QStringLiteral("--json"),
                                       QStringLiteral("--request-ids")},
                                      env());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonArray vms = r.json().object().value(QStringLiteral("vms")).toArray();
        QCOMPARE(vms.size(), kVms + 1);
        for (const QJsonValue& v : vms)
            QVERIFY(v.toObject().contains(QStringLiteral("requestId")));
        // Only with `inventory vms`: elsewhere the option would promise what it does not change.
        const DcmctlRun other =
            runDcmctl({QStringLiteral("inventory"), QStringLiteral("hosts"), QStringLiteral("--request-ids")}, env());
        QCOMPARE(other.exitCode, 2);
        QVERIFY2(other.err.contains("--request-ids"), other.err.constData());
    }

    void textListsEveryVmWithTheCountFirst()
    {
        const DcmctlRun r = runDcmctl({QStringLiteral("inventory"), QStringLiteral("vms")}, env());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QList<QByteArray> lines = r.out.trimmed().split('\n');
        QCOMPARE(lines.first(), QByteArray("vms (%1)").replace("%1", QByteArray::number(kVms + 1)));
        QCOMPARE(lines.size(), kVms + 2);
    }

    void aReplyCutMidwayEndsWithAClearErrorAndNoValidDocument()
    {
        m_sim.post(QStringLiteral("/cut"), {{QStringLiteral("method"), QStringLiteral("RetrievePropertiesEx")},
                                            {QStringLiteral("bytes"), kCutAfterBytes}});
        checkIncomplete(
            runDcmctl({QStringLiteral("inventory"), QStringLiteral("vms"), QStringLiteral("--json")}, env()));
    }

    void aFailureBeforeAnyVmWasWrittenIsTheErrorDocument()
    {
        m_sim.post(QStringLiteral("/fault"), {{QStringLiteral("method"), QStringLiteral("RetrievePropertiesEx")},
                                              {QStringLiteral("fault"), QStringLiteral("SystemError")},
                                              {QStringLiteral("message"), QStringLiteral("injected")}});
        const DcmctlRun r =
            runDcmctl({QStringLiteral("inventory"), QStringLiteral("vms"), QStringLiteral("--json")}, env());
        QVERIFY(r.exitCode != 0);
        QCOMPARE(vmLines(r.out), 0);
        const QJsonObject error = r.json().object().value(QStringLiteral("error")).toObject();
        QVERIFY2(error.value(QStringLiteral("message")).toString().contains(QLatin1String("injected")),
                 r.out.constData());
        QVERIFY(!r.json().object().contains(QStringLiteral("vms")));
    }
};

QTEST_GUILESS_MAIN(TestDcmctlInventoryVms)
#include "TestDcmctlInventoryVms.moc"
