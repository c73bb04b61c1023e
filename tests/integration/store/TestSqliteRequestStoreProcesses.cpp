// Two OS processes claiming from one SQLite file never claim the same request, and between them claim
// every one: the proof behind "two services on one database never drive the same request". The test
// binary runs itself as the workers (DCM_STORE_WORKER=claim|takeover): each opens its own store, says
// "ready", then claims once per "claim" line on stdin and prints the ids it got ("-" for none). A
// third mode (hold) keeps the write lock for the locking test.
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QSet>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QTextStream>

#include "app/storage/SqliteDatabase.h"
#include "app/storage/SqliteRequestStore.h"

using namespace dcm;
using namespace std::chrono_literals;

namespace {

const char* const s_modeVariable = "DCM_STORE_WORKER";

QDateTime now()
{
    return QDateTime(QDate(2026, 1, 1), QTime(12, 0), Qt::UTC);
}

VmSpec spec(int i)
{
    VmSpec spec;
    spec.name = QStringLiteral("vm-%1").arg(i);
    spec.memoryMiB = 1024;
    spec.disks = {DiskSpec{10240, true}};
    spec.datacenter = QStringLiteral("DC0");
    spec.cluster = QStringLiteral("DC0_C0");
    spec.datastore = QStringLiteral("datastore1");
    spec.nics = {dcm::NicSpec{QStringLiteral("VM Network")}};
    return spec;
}

// Holds the write lock (BEGIN IMMEDIATE) until told to let go, as any other program on the file might.
int holdWriteLock()
{
    QTextStream out(stdout);
    int result = 0;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("holder"));
        db.setDatabaseName(qEnvironmentVariable("DCM_STORE_DB"));
        if (!db.open() || !QSqlQuery(db).exec(QStringLiteral("BEGIN IMMEDIATE"))) {
            QTextStream(stderr) << "cannot take the write lock" << Qt::endl;
            result = 2;
        } else {
            out << "locked" << Qt::endl;
            std::string line;
            std::getline(std::cin, line);
            QSqlQuery(db).exec(QStringLiteral("ROLLBACK"));
            out << "released" << Qt::endl;
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("holder"));
    return result;
}

int runWorker()
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    const QString mode = qEnvironmentVariable(s_modeVariable);
    if (mode == QLatin1String("hold")) {
        return holdWriteLock();
    }
    const QString owner = qEnvironmentVariable("DCM_STORE_OWNER");
    // A generous busy timeout: the other worker holds the write lock for one claim at a time.
    auto opened = SqliteRequestStore::open(qEnvironmentVariable("DCM_STORE_DB"), 30s);
    if (!opened) {
        err << "open: " << opened.error().code << ": " << opened.error().message << Qt::endl;
        return 2;
    }
    SqliteRequestStore& store = *opened.value();
    out << "ready" << Qt::endl;
    const QDateTime leaseUntil = now().addDays(1);
    std::string line;
    for (int round = 0; std::getline(std::cin, line) && line == "claim"; ++round) {
        auto claimed = mode == QLatin1String("takeover") ? store.takeOverExpired(owner, leaseUntil, now())
                                                         : store.claimNext(owner, leaseUntil, now(), 1 + round % 3);
        if (!claimed) {
            err << mode << ": " << claimed.error().code << ": " << claimed.error().message << Qt::endl;
            return 1;
        }
        QStringList ids;
        for (const ProvisioningRequest& request : claimed.value()) {
            ids.append(request.id().toString(QUuid::WithoutBraces));
        }
        out << (ids.isEmpty() ? QStringLiteral("-") : ids.join(QLatin1Char(' '))) << Qt::endl;
    }
    return 0;
}

} // namespace

class TestSqliteRequestStoreProcesses final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    struct Worker
    {
        QString owner;
        std::unique_ptr<QProcess> process;
        QStringList claimed;
    };

    // Seeds `count` requests through the store; `prepare` decides their state and lease.
    QSet<QString> seed(const QString& path, int count,
                       const std::function<Result<void>(SqliteRequestStore&, ProvisioningRequest&)>& prepare)
    {
        QSet<QString> ids;
        auto store = SqliteRequestStore::open(path);
        if (!store) {
            qWarning("seed: %s", qPrintable(store.error().message));
            return ids;
        }
        // Set-up only, for speed: the claims under test run with FULL in the workers.
        QSqlQuery(store.value()->database().database()).exec(QStringLiteral("PRAGMA synchronous=OFF"));
        for (int i = 0; i < count; ++i) {
            ProvisioningRequest request(QUuid::createUuid(), spec(i), now().addSecs(-3600).addMSecs(i));
            if (auto done = prepare(*store.value(), request); !done) {
                qWarning("seed: %s", qPrintable(done.error().message));
                return {};
            }
            ids.insert(request.id().toString(QUuid::WithoutBraces));
        }
        return ids;
    }

    // The next line a worker prints; empty if it died or said nothing for 30 s.
    static QByteArray readLine(QProcess& process)
    {
        while (!process.canReadLine()) {
            if (!process.waitForReadyRead(30000)) {
                return {};
            }
        }
        return process.readLine().trimmed();
    }

    static QString failure(Worker& worker, const char* what)
    {
        return worker.owner + QLatin1Char(' ') + QLatin1String(what) + QStringLiteral(": ") +
               QString::fromUtf8(worker.process->readAllStandardError());
    }

    // Starts the workers and runs claim rounds until a round in which nobody got anything. In every
    // round all workers are told to claim at the same moment, so their claims meet at the write lock
    // each time; SQLite's busy handler is not fair, and left to run freely one process can starve the
    // other and the race would not happen at all. `contended` counts the rounds in which more than one
    // worker got requests.
    void race(const QString& path, const QString& mode, std::vector<Worker>& workers, int& contended)
    {
        contended = 0;
        for (Worker& worker : workers) {
            worker.process = std::make_unique<QProcess>();
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert(QString::fromLatin1(s_modeVariable), mode);
            env.insert(QStringLiteral("DCM_STORE_DB"), path);
            env.insert(QStringLiteral("DCM_STORE_OWNER"), worker.owner);
            worker.process->setProcessEnvironment(env);
            worker.process->start(QCoreApplication::applicationFilePath(), {});
        }
        for (Worker& worker : workers) {
            const QByteArray ready = readLine(*worker.process);
            QVERIFY2(ready == "ready", qPrintable(failure(worker, "did not start")));
        }
        for (int round = 0; round < 10000; ++round) {
            // Written through before anyone's answer is awaited: a QProcess only flushes its stdin while
            // waited on, so the second worker would otherwise hear "claim" after the first had finished.
            for (Worker& worker : workers) {
                worker.process->write("claim\n");
            }
            for (Worker& worker : workers) {
                QVERIFY2(worker.process->waitForBytesWritten(30000), qPrintable(failure(worker, "stopped listening")));
            }
            int gotSome = 0;
            for (Worker& worker : workers) {
                const QByteArray line = readLine(*worker.process);
                QVERIFY2(!line.isEmpty(), qPrintable(failure(worker, "failed")));
                if (line != "-") {
                    worker.claimed.append(QString::fromLatin1(line).split(QLatin1Char(' ')));
                    ++gotSome;
                }
            }
            if (gotSome == 0) {
                break;
            }
            contended += gotSome > 1 ? 1 : 0;
        }
        for (Worker& worker : workers) {
            worker.process->closeWriteChannel();
            const bool finished = worker.process->waitForFinished(30000);
            QVERIFY2(finished && worker.process->exitStatus() == QProcess::NormalExit &&
                         worker.process->exitCode() == 0,
                     qPrintable(failure(worker, "did not end cleanly")));
        }
    }

    // Disjoint, complete, and recorded in the file under the worker that reported each claim.
    void verifyClaims(const QString& path, const QSet<QString>& seeded, const std::vector<Worker>& workers)
    {
        QSet<QString> all;
        for (const Worker& worker : workers) {
            const QSet<QString> mine(worker.claimed.cbegin(), worker.claimed.cend());
            QCOMPARE(mine.size(), worker.claimed.size());
            QVERIFY2(!all.intersects(mine), "two processes claimed the same request");
            all.unite(mine);
        }
        QCOMPARE(all.size(), seeded.size());
        QVERIFY(all == seeded);

        auto store = SqliteRequestStore::open(path);
        QVERIFY(store);
        for (const Worker& worker : workers) {
            QSqlQuery q(store.value()->database().database());
            q.prepare(QStringLiteral("SELECT count(*) FROM requests WHERE lease_owner = ?"));
            q.addBindValue(worker.owner);
            QVERIFY(q.exec() && q.next());
            QCOMPARE(q.value(0).toInt(), worker.claimed.size());
        }
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    // Pins: claimNext from two processes at once: every due request is claimed exactly once, and
    // both processes got some (they really ran against each other).
    void twoProcessesNeverClaimTheSameRequest()
    {
        const QString path = m_dir.filePath(QStringLiteral("claim.db"));
        const QSet<QString> seeded = seed(path, 300, [](SqliteRequestStore& store, ProvisioningRequest& request) {
            return store.insert(request, {}, {});
        });
        QCOMPARE(seeded.size(), 300);

        std::vector<Worker> workers(2);
        workers[0].owner = QStringLiteral("worker-a");
        workers[1].owner = QStringLiteral("worker-b");
        int contended = 0;
        race(path, QStringLiteral("claim"), workers, contended);
        if (QTest::currentTestFailed()) {
            return;
        }
        verifyClaims(path, seeded, workers);
        qInfo("claims: worker-a %lld, worker-b %lld; rounds where both got requests: %d",
              qlonglong(workers[0].claimed.size()), qlonglong(workers[1].claimed.size()), contended);
        QVERIFY2(contended > 0, "the workers never claimed in the same round: the race did not happen");
    }

    // Pins: takeOverExpired from two surviving processes at once: each orphaned in-flight request is
    // taken over by exactly one of them.
    void twoSurvivorsNeverTakeOverTheSameRequest()
    {
        const QString path = m_dir.filePath(QStringLiteral("takeover.db"));
        const QSet<QString> seeded = seed(path, 200, [](SqliteRequestStore& store, ProvisioningRequest& request) {
            if (auto moved =
                    request.transitionTo(RequestState::Provisioning, QStringLiteral("sent"), now().addSecs(-60));
                !moved) {
                return moved;
            }
            return store.insert(request, QStringLiteral("dead-service"), now().addSecs(-1));
        });
        QCOMPARE(seeded.size(), 200);

        std::vector<Worker> workers(2);
        workers[0].owner = QStringLiteral("survivor-a");
        workers[1].owner = QStringLiteral("survivor-b");
        int contended = 0;
        race(path, QStringLiteral("takeover"), workers, contended);
        if (QTest::currentTestFailed()) {
            return;
        }
        verifyClaims(path, seeded, workers);
    }

    // Pins: another *process* holding the write lock makes an insert wait for the busy timeout and
    // fail with "database-locked" (nothing stored); once that process lets go, the same insert works.
    void aWriteLockHeldByAnotherProcessGivesDatabaseLocked()
    {
        const QString path = m_dir.filePath(QStringLiteral("locked.db"));
        auto opened = SqliteRequestStore::open(path, 200ms);
        QVERIFY(opened);
        SqliteRequestStore& store = *opened.value();

        QProcess holder;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QString::fromLatin1(s_modeVariable), QStringLiteral("hold"));
        env.insert(QStringLiteral("DCM_STORE_DB"), path);
        holder.setProcessEnvironment(env);
        holder.start(QCoreApplication::applicationFilePath(), {});
        QTRY_VERIFY_WITH_TIMEOUT(holder.canReadLine() || holder.state() == QProcess::NotRunning, 30000);
        QCOMPARE(holder.readLine().trimmed(), QByteArray("locked"));

        const ProvisioningRequest request(QUuid::createUuid(), spec(1), now());
        QElapsedTimer waited;
        waited.start();
        auto refused = store.insert(request, {}, {});
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, QStringLiteral("database-locked"));
        QVERIFY(waited.elapsed() >= 180);
        auto absent = store.get(request.id());
        QVERIFY(absent && !absent.value().has_value());

        holder.write("release\n");
        holder.closeWriteChannel();
        QTRY_VERIFY_WITH_TIMEOUT(holder.state() == QProcess::NotRunning, 30000);
        QCOMPARE(holder.exitCode(), 0);
        auto inserted = store.insert(request, {}, {});
        QVERIFY2(inserted, inserted ? "" : qPrintable(inserted.error().message));
        auto present = store.get(request.id());
        QVERIFY(present && present.value().has_value());
    }
};

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    if (qEnvironmentVariableIsSet(s_modeVariable)) {
        return runWorker();
    }
    TestSqliteRequestStoreProcesses test;
    return QTest::qExec(&test, argc, argv);
}

#include "TestSqliteRequestStoreProcesses.moc"
