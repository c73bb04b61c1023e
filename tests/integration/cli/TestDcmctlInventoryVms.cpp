// `dcmctl inventory vms` against the bundled simulator with more VMs than one page (1,000 per
// RetrievePropertiesEx page): the streamed JSON document is valid and lists exactly the simulator's VMs;
// each page is on stdout while the next one is still being fetched; a page that fails or is lost midway
// ends the command with a clear error, a non-zero exit and no output that parses as the inventory.
#include "DcmctlRunner.h"
#include "VcsimProcess.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

namespace {

constexpr int kVms = 1200; // one cluster, no standalone host: two pages (1,000 + 201)
constexpr int kPageSize = 1000;

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
    VcsimProcess m_sim{{QStringLiteral("-standalone"), QStringLiteral("0"), QStringLiteral("-vm"),
                        QString::number(kVms), QStringLiteral("-templates"), QStringLiteral("1")}};
    QTemporaryDir m_dir;

    QProcessEnvironment env() const
    {
        return simulatorEnv(m_sim, m_dir.filePath(QStringLiteral("requests.sqlite")), m_sim.password());
    }

    void checkIncomplete(const DcmctlRun& r)
    {
        QVERIFY2(r.exitCode != 0, r.out.right(200).constData());
        QJsonParseError parsed;
        QJsonDocument::fromJson(r.out, &parsed);
        QVERIFY2(parsed.error != QJsonParseError::NoError, "the partial output parses as a complete document");
        QCOMPARE(vmLines(r.out), kPageSize); // the first page went out before the second one failed
        QVERIFY2(r.err.contains("listing VMs failed after 1000 VMs; the output is incomplete"), r.err.constData());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString error;
        QVERIFY2(m_sim.start(&error), qPrintable(error));
    }

    void init() { m_sim.reset(); }

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
        // Two pages of VMs, one of folders: the VMs are never read in one reply.
        QCOMPARE(m_sim.callCount(QStringLiteral("ContinueRetrievePropertiesEx")), 1);
        QCOMPARE(m_sim.callCount(QStringLiteral("RetrievePropertiesEx")), 2);
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

    void aPageThatFailsMidwayEndsWithAClearErrorAndNoValidDocument()
    {
        m_sim.post(QStringLiteral("/fault"),
                   {{QStringLiteral("method"), QStringLiteral("ContinueRetrievePropertiesEx")},
                    {QStringLiteral("fault"), QStringLiteral("SystemError")},
                    {QStringLiteral("message"), QStringLiteral("injected midway")}});
        const DcmctlRun r =
            runDcmctl({QStringLiteral("inventory"), QStringLiteral("vms"), QStringLiteral("--json")}, env());
        checkIncomplete(r);
        QVERIFY2(r.err.contains("injected midway"), r.err.constData());
    }

    void aPageLostMidwayEndsTheSameWay()
    {
        m_sim.post(QStringLiteral("/drop"),
                   {{QStringLiteral("method"), QStringLiteral("ContinueRetrievePropertiesEx")}});
        checkIncomplete(
            runDcmctl({QStringLiteral("inventory"), QStringLiteral("vms"), QStringLiteral("--json")}, env()));
    }

    void eachPageIsOnStdoutWhileTheNextIsFetched()
    {
        // The second page is held by the simulator; the first must be readable meanwhile.
        m_sim.post(QStringLiteral("/delay"),
                   {{QStringLiteral("method"), QStringLiteral("ContinueRetrievePropertiesEx")},
                    {QStringLiteral("ms"), 60000}});
        QProcess p;
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        const QProcessEnvironment extra = env();
        for (const QString& key : extra.keys())
            e.insert(key, extra.value(key));
        p.setProcessEnvironment(e);
        p.start(QStringLiteral(DCMCTL_PATH),
                {QStringLiteral("inventory"), QStringLiteral("vms"), QStringLiteral("--json")});
        QVERIFY(p.waitForStarted());
        QByteArray out;
        QTRY_VERIFY_WITH_TIMEOUT((out += p.readAllStandardOutput(), vmLines(out) >= kPageSize), 50000);
        QCOMPARE(p.state(), QProcess::Running);
        QCOMPARE(vmLines(out), kPageSize);
        // Then the door closes every connection: the held page is lost and the command says so.
        m_sim.post(QStringLiteral("/door/down"));
        QVERIFY(p.waitForFinished(60000));
        out += p.readAllStandardOutput();
        checkIncomplete({p.exitCode(), out, p.readAllStandardError()});
        m_sim.post(
            QStringLiteral("/delay"),
            {{QStringLiteral("method"), QStringLiteral("ContinueRetrievePropertiesEx")}, {QStringLiteral("ms"), 0}});
    }
};

QTEST_GUILESS_MAIN(TestDcmctlInventoryVms)
#include "TestDcmctlInventoryVms.moc"
