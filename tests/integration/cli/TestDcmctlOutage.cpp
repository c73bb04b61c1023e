// Every front tells the same truth during an outage: with `dcmctl serve` running and its breaker OPEN,
// `dcmctl submit` stores the request as QUEUED_FOR_PROVISIONING with the reason and says "Provisioning
// will start when the hypervisor is online" (exit 3); requests that were left SUBMITTED before the
// outage are moved to QUEUED by the drainer whose breaker is open; vCenter back -> every request
// PROVISIONED, exactly one VM each. Real binaries, the real database, the bundled simulator.
#include "DcmctlRunner.h"
#include "VcsimProcess.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

class TestDcmctlOutage final : public QObject
{
    Q_OBJECT

private:
    VcsimProcess m_sim;
    QTemporaryDir m_dir;
    QString m_db;

    QProcessEnvironment env(bool withPassword) const
    {
        return simulatorEnv(m_sim, m_db, withPassword ? m_sim.password() : QString());
    }

    static QStringList spec(const QString& name) { return simulatorSpecArgs(name); }

    QString submit(const QString& name, QByteArray* err = nullptr, QString* state = nullptr)
    {
        const DcmctlRun r =
            runDcmctl(QStringList{QStringLiteral("submit"), QStringLiteral("--json")} + spec(name), env(false));
        if (err)
            *err = r.err;
        const QJsonObject o = r.json().object();
        if (state)
            *state = o.value(QStringLiteral("state")).toString();
        return r.exitCode == 3 ? o.value(QStringLiteral("id")).toString() : QString();
    }

    QHash<QString, QString> statesById()
    {
        QHash<QString, QString> states;
        const QJsonArray rows =
            runDcmctl({QStringLiteral("requests"), QStringLiteral("--json")}, env(false)).json().array();
        for (const QJsonValue& row : rows)
            states.insert(row.toObject().value(QStringLiteral("id")).toString(),
                          row.toObject().value(QStringLiteral("state")).toString());
        return states;
    }

    bool allIn(const QStringList& ids, const QString& state)
    {
        const auto states = statesById();
        return std::all_of(ids.cbegin(), ids.cend(), [&](const QString& id) { return states.value(id) == state; });
    }

    QString recordedBreakerState()
    {
        return runDcmctl({QStringLiteral("breaker"), QStringLiteral("--json")}, env(false))
            .json()
            .object()
            .value(QStringLiteral("state"))
            .toString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_db = m_dir.filePath(QStringLiteral("outage.sqlite"));
        QString error;
        QVERIFY2(m_sim.start(&error), qPrintable(error));
    }

    void submissionsDuringAnOutageAreQueuedWithTheSentenceAndDrainOnce()
    {
        // Left by dcmctl before any service ran: nobody has recorded a breaker yet.
        QStringList ids;
        QString state;
        for (int i = 0; i < 2; ++i) {
            ids << submit(QStringLiteral("before-outage-%1").arg(i), nullptr, &state);
            QVERIFY(!ids.last().isEmpty());
            QCOMPARE(state, QStringLiteral("SUBMITTED"));
        }

        m_sim.post(QStringLiteral("/door/down"));
        QProcess serve;
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        const QProcessEnvironment extra = env(true);
        for (const QString& key : extra.keys())
            e.insert(key, extra.value(key));
        serve.setProcessEnvironment(e);
        serve.start(QStringLiteral(DCMCTL_PATH),
                    {QStringLiteral("serve"), QStringLiteral("--failure-threshold"), QStringLiteral("1"),
                     QStringLiteral("--cooldown"), QStringLiteral("3")});
        QVERIFY(serve.waitForStarted());
        QTRY_COMPARE_WITH_TIMEOUT(recordedBreakerState(), QStringLiteral("OPEN"), 30000);
        // The drainer whose breaker is open tells the truth about what others left SUBMITTED.
        QTRY_VERIFY_WITH_TIMEOUT(allIn(ids, QStringLiteral("QUEUED_FOR_PROVISIONING")), 30000);

        for (int i = 0; i < 10; ++i) {
            QByteArray err;
            const QString id = submit(QStringLiteral("during-outage-%1").arg(i), &err, &state);
            QVERIFY2(!id.isEmpty(), err.constData());
            QCOMPARE(state, QStringLiteral("QUEUED_FOR_PROVISIONING"));
            QVERIFY2(err.contains("Request accepted. Provisioning will start when the hypervisor is online."),
                     err.constData());
            ids << id;
        }
        QVERIFY(allIn(ids, QStringLiteral("QUEUED_FOR_PROVISIONING")));

        m_sim.post(QStringLiteral("/door/up"));
        QTRY_VERIFY_WITH_TIMEOUT(allIn(ids, QStringLiteral("PROVISIONED")), 120000);
        const auto counts = m_sim.vmsPerRequestKey();
        for (const QString& id : std::as_const(ids))
            QCOMPARE(counts.value(id), 1);

        serve.terminate();
        QVERIFY(serve.waitForFinished(20000));
        QCOMPARE(serve.exitCode(), 0);
    }
};

QTEST_GUILESS_MAIN(TestDcmctlOutage)
#include "TestDcmctlOutage.moc"
