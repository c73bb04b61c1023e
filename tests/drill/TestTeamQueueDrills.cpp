// Drills of the team queue with real processes: eight `dcmctl serve` on one PostgreSQL database drain
// 400 requests against the bundled simulator while drainers are killed with SIGKILL and restarted at
// random and PostgreSQL itself is restarted once — every request PROVISIONED, exactly one VM per
// request key; and six drainers in front of a vCenter that is down for ten cooldowns send at most one
// scout per cooldown between them (counted at the simulator), then all resume when it is back.
// DCM_DRILL_SEED=<n> replays the kill moments of a run.
#include "DomainQCompare.h"
#include "PgRawConnection.h"
#include "PostgresProcess.h"
#include "SimulatorSpec.h"
#include "VcsimProcess.h"

#include "app/storage/PgLocation.h"
#include "app/storage/PgRequestStore.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTest>

#include <memory>
#include <vector>

using namespace dcm;

class TestTeamQueueDrills final : public QObject
{
    Q_OBJECT

private:
    VcsimProcess m_sim;
    PostgresProcess m_pg;

    QProcessEnvironment serveEnv(const QString& uri) const
    {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.insert(QStringLiteral("DCM_SERVER"), m_sim.sdkUrl().toString());
        e.insert(QStringLiteral("DCM_USER"), m_sim.username());
        e.insert(QStringLiteral("DCM_THUMBPRINT"), m_sim.thumbprint());
        e.insert(QStringLiteral("DCM_PASSWORD"), m_sim.password());
        e.insert(QStringLiteral("DCM_DB"), uri);
        e.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("dcm.*.debug=false;dcm.*.info=false"));
        return e;
    }

    std::unique_ptr<QProcess> startServe(const QString& uri, const QStringList& extra = {})
    {
        auto p = std::make_unique<QProcess>();
        p->setProcessEnvironment(serveEnv(uri));
        p->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        p->start(QStringLiteral(DCMCTL_PATH),
                 QStringList{QStringLiteral("serve"), QStringLiteral("--lease"), QStringLiteral("3"),
                             QStringLiteral("--drain-concurrency"), QStringLiteral("4")} +
                     extra);
        return p;
    }

    static std::unique_ptr<RequestStorePort> openStore(const QString& uri)
    {
        auto where = PgLocation::parse(uri);
        if (!where)
            qFatal("bad URI: %s", qPrintable(where.error().message));
        auto store = PgRequestStore::open(where.value());
        if (!store)
            qFatal("cannot open %s: %s", qPrintable(where.value().display()), qPrintable(store.error().message));
        return std::move(store).value();
    }

    // Requests waiting for any drainer, as `dcmctl submit` leaves them when no service is connected.
    static QList<QUuid> seed(RequestStorePort& store, const QString& prefix, int count)
    {
        QList<QUuid> ids;
        const QDateTime t0 = QDateTime::currentDateTimeUtc();
        for (int i = 0; i < count; ++i) {
            ProvisioningRequest r(QUuid::createUuid(),
                                  simulatorSpec(QStringLiteral("%1-%2").arg(prefix).arg(i, 3, 10, QLatin1Char('0'))),
                                  t0.addMSecs(i));
            if (!store.insert(r, QString(), QDateTime()).ok())
                qFatal("insert failed");
            ids << r.id();
        }
        return ids;
    }

    static int provisioned(RequestStorePort& store)
    {
        auto counts = store.countByState();
        return counts.ok() ? counts.value().value(RequestState::Provisioned) : -1;
    }

    void verifyExactlyOnce(RequestStorePort& store, const QList<QUuid>& ids)
    {
        const QHash<QString, int> perKey = m_sim.vmsPerRequestKey();
        int duplicates = 0;
        int missing = 0;
        for (const QUuid& id : ids) {
            const int n = perKey.value(id.toString(QUuid::WithoutBraces));
            duplicates += n > 1 ? 1 : 0;
            missing += n == 0 ? 1 : 0;
            auto r = store.get(id);
            QVERIFY(r.ok() && r.value());
            QCOMPARE(r.value()->state(), RequestState::Provisioned);
        }
        QCOMPARE(duplicates, 0);
        QCOMPARE(missing, 0);
        auto counts = store.countByState();
        QVERIFY(counts.ok());
        QCOMPARE(counts.value().value(RequestState::Failed), 0);
    }

    static void stopAll(std::vector<std::unique_ptr<QProcess>>& drainers)
    {
        for (auto& p : drainers)
            if (p->state() != QProcess::NotRunning)
                p->terminate();
        for (auto& p : drainers)
            if (!p->waitForFinished(20000))
                p->kill();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_sim.start(&error), qPrintable(error));
        QVERIFY2(m_pg.start(&error), qPrintable(error));
    }

    void eightDrainersKilledAtRandomAndADatabaseRestartLoseNothing()
    {
        bool seedGiven = false;
        const quint32 seedValue = qEnvironmentVariable("DCM_DRILL_SEED").toUInt(&seedGiven);
        const quint32 drillSeed = seedGiven ? seedValue : QRandomGenerator::global()->generate();
        qInfo("random seed %u%s (replay with DCM_DRILL_SEED=%u)", drillSeed, seedGiven ? " from DCM_DRILL_SEED" : "",
              drillSeed);
        QRandomGenerator random(drillSeed);
        // A little latency on the call that matters keeps kills in the middle of some work.
        m_sim.post(QStringLiteral("/delay"),
                   {{QStringLiteral("method"), QStringLiteral("CreateVM_Task")}, {QStringLiteral("ms"), 100}});

        const QString uri = m_pg.freshDatabase(QStringLiteral("drill"));
        auto store = openStore(uri);
        const QList<QUuid> ids = seed(*store, QStringLiteral("team"), 400);
        std::vector<std::unique_ptr<QProcess>> drainers;
        for (int i = 0; i < 8; ++i)
            drainers.push_back(startServe(uri));

        constexpr int deadlineMs = 240000;
        QElapsedTimer overall;
        overall.start();
        int kills = 0;
        int restarts = 0;
        bool databaseRestarted = false;
        int done = 0;
        while ((done = provisioned(*store)) < ids.size()) {
            QVERIFY2(overall.elapsed() < deadlineMs,
                     qPrintable(QStringLiteral("%1 of %2 provisioned after %3 s (%4 kills, DCM_DRILL_SEED=%5)")
                                    .arg(done)
                                    .arg(ids.size())
                                    .arg(deadlineMs / 1000)
                                    .arg(kills)
                                    .arg(drillSeed)));
            QTest::qWait(int(random.bounded(200, 900)));
            auto& victim = drainers[random.bounded(quint32(drainers.size()))];
            if (victim->state() == QProcess::Running) {
                victim->kill(); // SIGKILL: no goodbye, leases left behind
                QVERIFY(victim->waitForFinished(10000));
                ++kills;
            }
            victim = startServe(uri);
            // A drainer that found the database down at its start exits; it is started again, as its
            // service manager would.
            for (auto& p : drainers) {
                if (p->state() == QProcess::NotRunning) {
                    p = startServe(uri);
                    ++restarts;
                }
            }
            if (!databaseRestarted && done >= ids.size() / 3) {
                qInfo("restarting PostgreSQL with %d of %d provisioned", done, int(ids.size()));
                QString error;
                QVERIFY2(m_pg.restart(&error), qPrintable(error));
                databaseRestarted = true;
            }
        }
        qInfo("all %d provisioned after %d kills, %d restarts of exited drainers, %.1f s", int(ids.size()), kills,
              restarts, overall.elapsed() / 1000.0);
        QVERIFY(databaseRestarted);
        QVERIFY(kills > 0);
        stopAll(drainers);
        verifyExactlyOnce(*store, ids);
    }

    // Six drainers; vCenter answers every call with HTTP 503 for ten cooldowns: between them they send
    // at most one scout per cooldown (counted at the simulator); once it answers again they all resume.
    void sixDrainersSendAtMostOneScoutPerCooldown()
    {
        constexpr int cooldownS = 3;
        m_sim.reset();
        m_sim.post(QStringLiteral("/door/http"), {{QStringLiteral("status"), 503}});
        const QString uri = m_pg.freshDatabase(QStringLiteral("scouts"));
        const QString database = uri.section(QLatin1Char('/'), 3).section(QLatin1Char('?'), 0, 0);
        auto store = openStore(uri);
        std::vector<std::unique_ptr<QProcess>> drainers;
        for (int i = 0; i < 6; ++i)
            drainers.push_back(startServe(uri, {QStringLiteral("--failure-threshold"), QStringLiteral("2"),
                                                QStringLiteral("--cooldown"), QString::number(cooldownS)}));

        PgRawConnection raw(m_pg, database);
        QTRY_COMPARE_WITH_TIMEOUT(raw.scalar(QStringLiteral("SELECT state FROM fleet_breaker")).toString(),
                                  QStringLiteral("OPEN"), 60000);
        // Every member follows within a tick; then only scouts may reach vCenter.
        QTest::qWait(2000);
        m_sim.post(QStringLiteral("/stats/reset"));
        QElapsedTimer window;
        window.start();
        QTest::qWait(10 * cooldownS * 1000);
        const QJsonObject stats = m_sim.stats();
        const int reached = stats.value(QStringLiteral("requests")).toInt();
        const int leases = raw.scalar(QStringLiteral("SELECT count(*) FROM breaker_events"
                                                     " WHERE from_state = 'OPEN' AND to_state = 'HALF_OPEN'"
                                                     " AND at >= (extract(epoch FROM clock_timestamp()) * 1000)::bigint"
                                                     " - ?"),
                                      {qint64(window.elapsed())})
                               .toInt();
        qInfo("in %.1f s (%d cooldowns of %d s): %d requests reached the simulator; %d members took a scout permit",
              window.elapsed() / 1000.0, 10, cooldownS, reached, leases);
        QVERIFY2(reached <= 10, qPrintable(QStringLiteral("%1 requests reached vCenter in 10 cooldowns").arg(reached)));
        QVERIFY2(reached >= 5, qPrintable(QStringLiteral("only %1 scouts in 10 cooldowns").arg(reached)));
        for (auto& p : drainers)
            QCOMPARE(p->state(), QProcess::Running);

        m_sim.post(QStringLiteral("/door/normal"));
        QTRY_COMPARE_WITH_TIMEOUT(raw.scalar(QStringLiteral("SELECT state FROM fleet_breaker")).toString(),
                                  QStringLiteral("CLOSED"), 30000);
        const QList<QUuid> ids = seed(*store, QStringLiteral("after"), 30);
        QTRY_COMPARE_WITH_TIMEOUT(provisioned(*store), int(ids.size()), 120000);
        stopAll(drainers);
        verifyExactlyOnce(*store, ids);
    }
};

QTEST_GUILESS_MAIN(TestTeamQueueDrills)
#include "TestTeamQueueDrills.moc"
