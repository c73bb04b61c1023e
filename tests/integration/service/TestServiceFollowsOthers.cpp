// An open console sees what other processes write to its database, within a tick or two, reading only
// what changed: requests submitted and cancelled by the real `dcmctl` (another process), and a breaker
// transition recorded by another service. The service here is the console's (a fake hypervisor that is
// never connected: nothing of this needs vCenter); the database is real SQLite.
#include "FakeHypervisor.h"
#include "ManualClock.h"

#include "app/service/ProvisioningService.h"
#include "app/storage/SqliteBreakerLog.h"
#include "app/storage/SqliteRequestStore.h"

#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace dcm;
using namespace std::chrono_literals;

class TestServiceFollowsOthers final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_db;
    ManualClock m_clock;
    std::unique_ptr<ProvisioningService> m_service;

    QByteArray dcmctl(const QStringList& args, int* exitCode = nullptr)
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DCM_DB"), m_db);
        env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("dcm.*.info=false"));
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(DCMCTL_PATH), args);
        p.waitForFinished(60000);
        if (exitCode)
            *exitCode = p.exitCode();
        return p.readAllStandardOutput();
    }

    QString submitElsewhere(const QString& name)
    {
        const QByteArray out = dcmctl(
            {QStringLiteral("submit"), QStringLiteral("--name"), name, QStringLiteral("--cpus"), QStringLiteral("1"),
             QStringLiteral("--memory-mib"), QStringLiteral("256"), QStringLiteral("--disk-gib"), QStringLiteral("1"),
             QStringLiteral("--datacenter"), QStringLiteral("DC0"), QStringLiteral("--cluster"), QStringLiteral("C0"),
             QStringLiteral("--datastore"), QStringLiteral("ds1"), QStringLiteral("--network"),
             QStringLiteral("VM Network")});
        return QString::fromUtf8(out).section(QLatin1Char(' '), 0, 0).trimmed();
    }

    // The service's timer, by hand, with the event loop turning in between.
    void tick()
    {
        m_clock.advance(1s);
        m_service->tick();
        QCoreApplication::processEvents();
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_db = m_dir.filePath(QStringLiteral("shared-%1.sqlite").arg(QUuid::createUuid().toString(QUuid::Id128)));
        ServiceConfig config;
        config.tickInterval = 0ms;
        config.owner = QStringLiteral("console-under-test");
        const QString db = m_db;
        m_service = std::make_unique<ProvisioningService>([] { return std::make_unique<FakeHypervisor>(); },
                                                          [db]() -> Result<std::unique_ptr<RequestStorePort>> {
                                                              auto store = SqliteRequestStore::open(db);
                                                              if (!store.ok())
                                                                  return store.error();
                                                              return std::unique_ptr<RequestStorePort>(
                                                                  std::move(store.value()));
                                                          },
                                                          m_clock, config);
        m_service->setBreakerLogFactory([db]() -> Result<std::unique_ptr<BreakerLogPort>> {
            auto log = SqliteBreakerLog::open(db);
            if (!log.ok())
                return log.error();
            return std::unique_ptr<BreakerLogPort>(std::move(log.value()));
        });
        m_service->initialize();
        QVERIFY(m_service->isInitialized());
    }

    void cleanup() { m_service.reset(); }

    void requestsWrittenByAnotherProcessAppearAndChange()
    {
        QSignalSpy changed(m_service.get(), &ProvisioningService::requestChanged);
        const QString id = submitElsewhere(QStringLiteral("from-dcmctl"));
        QVERIFY(!QUuid::fromString(id).isNull());
        const auto seen = [&](const QString& state) {
            for (const QList<QVariant>& args : std::as_const(changed)) {
                const auto r = args.at(0).value<ProvisioningRequest>();
                if (r.id().toString(QUuid::WithoutBraces) == id && toString(r.state()) == state)
                    return true;
            }
            return false;
        };
        tick();
        tick();
        QVERIFY(seen(QStringLiteral("SUBMITTED")));

        int exit = -1;
        dcmctl({QStringLiteral("cancel"), id}, &exit);
        QCOMPARE(exit, 0);
        tick();
        tick();
        QVERIFY(seen(QStringLiteral("CANCELLED")));

        // Nothing written by others: nothing is read or published again.
        const qsizetype before = changed.size();
        for (int i = 0; i < 5; ++i)
            tick();
        QCOMPARE(changed.size(), before);
    }

    void aBreakerTransitionRecordedByAnotherServiceIsShown()
    {
        QSignalSpy transitions(m_service.get(), &ProvisioningService::breakerTransitioned);
        auto other = SqliteBreakerLog::open(m_db);
        QVERIFY(other.ok());
        BreakerTransition held;
        held.at = m_clock.utcNow().addSecs(1);
        held.from = BreakerState::Closed;
        held.to = BreakerState::ForcedOpen;
        held.reason = QStringLiteral("maintenance window (by admin@ops-host)");
        BreakerSnapshot snapshot;
        snapshot.state = BreakerState::ForcedOpen;
        QVERIFY(other.value()->appendBreakerEvent(held, snapshot, QStringLiteral("ops-host:4242:serve")).ok());
        tick();
        tick();
        QCOMPARE(transitions.size(), 1);
        QCOMPARE(transitions.first().at(0).value<BreakerTransition>().reason, held.reason);
        tick();
        QCOMPARE(transitions.size(), 1); // shown once
    }
};

QTEST_GUILESS_MAIN(TestServiceFollowsOthers)
#include "TestServiceFollowsOthers.moc"
