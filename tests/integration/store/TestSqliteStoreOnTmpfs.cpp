// The store on a disk that fills up, and on one that cannot be written: a small tmpfs mounted by the
// test (mount(2); CI runs as root — where mounting is not permitted the tests skip, saying so).
//  - A full disk is reported as such (ErrorCode::DiskFull, "the disk holding PATH is full: N requests
//    are safe; free space to continue") by the store, the breaker log, the service's submit and the
//    real dcmctl; nothing acknowledged is lost; once space is freed the same running store works again,
//    with no restart, and its owed checkpoint goes through.
//  - Opening on a full disk (no room for SQLite's -shm) says the same, with the count.
//  - On a read-only file system, opening names the path and the reason.
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QSet>
#include <QStorageInfo>
#include <QTemporaryDir>
#include <QTest>

#include <cerrno>
#include <cstring>
#include <sys/mount.h>

#include "../cli/DcmctlRunner.h"
#include "FakeHypervisor.h"
#include "FakeHypervisorOwner.h"
#include "ManualClock.h"
#include "StoreSamples.h"
#include "app/service/ProvisioningService.h"
#include "app/storage/SqliteBreakerLog.h"
#include "app/storage/SqliteDatabase.h"
#include "app/storage/SqliteRequestStore.h"

using namespace dcm;
using namespace storetest;
using namespace std::chrono_literals;

namespace {

// A tmpfs of `bytes` mounted on a temporary folder for the life of the object.
class Tmpfs final
{
public:
    explicit Tmpfs(qint64 bytes) : m_options(QStringLiteral("size=%1,mode=0755").arg(bytes).toLatin1())
    {
        if (!m_dir.isValid()) {
            m_error = QStringLiteral("no temporary folder");
            return;
        }
        if (::mount("tmpfs", QFile::encodeName(m_dir.path()).constData(), "tmpfs", 0, m_options.constData()) != 0) {
            m_error = QString::fromLocal8Bit(std::strerror(errno));
            return;
        }
        m_mounted = true;
    }
    ~Tmpfs()
    {
        if (m_mounted) {
            ::umount2(QFile::encodeName(m_dir.path()).constData(), MNT_DETACH);
        }
    }
    Tmpfs(const Tmpfs&) = delete;
    Tmpfs& operator=(const Tmpfs&) = delete;

    bool isMounted() const { return m_mounted; }
    QString error() const { return m_error; }
    QString filePath(const QString& name) const { return m_dir.filePath(name); }
    QString path() const { return m_dir.path(); }

    bool remountReadOnly()
    {
        return ::mount("tmpfs", QFile::encodeName(m_dir.path()).constData(), "tmpfs", MS_REMOUNT | MS_RDONLY,
                       m_options.constData()) == 0;
    }

    // Fills the file system to its last byte with one file, whose path it returns.
    QString fill() const
    {
        const QString filler = m_dir.filePath(QStringLiteral("filler"));
        QFile file(filler);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Unbuffered)) {
            return {};
        }
        for (qsizetype chunk = 64 * 1024; chunk >= 1; chunk /= 2) {
            const QByteArray bytes(chunk, 'x');
            while (file.write(bytes) == chunk) {
            }
        }
        return filler;
    }

private:
    QTemporaryDir m_dir;
    QByteArray m_options;
    QString m_error;
    bool m_mounted = false;
};

QString fullSentence(const QString& path, int safe)
{
    return QStringLiteral("the disk holding %1 is full: %2; free space to continue")
        .arg(path, safe == 1 ? QStringLiteral("1 request is safe") : QStringLiteral("%1 requests are safe").arg(safe));
}

QStringList specArgs(const QString& name)
{
    return {QStringLiteral("--name"),       name,
            QStringLiteral("--cpus"),       QStringLiteral("2"),
            QStringLiteral("--memory-mib"), QStringLiteral("1024"),
            QStringLiteral("--disk-gib"),   QStringLiteral("4"),
            QStringLiteral("--datacenter"), QStringLiteral("DC0"),
            QStringLiteral("--cluster"),    QStringLiteral("DC0_C0"),
            QStringLiteral("--datastore"),  QStringLiteral("LocalDS_0"),
            QStringLiteral("--network"),    QStringLiteral("VM Network")};
}

std::unique_ptr<SqliteRequestStore> openStore(const QString& path)
{
    auto opened = SqliteRequestStore::open(path);
    if (!opened) {
        qWarning("open %s: %s", qPrintable(path), qPrintable(opened.error().message));
        return nullptr;
    }
    return std::move(opened).value();
}

} // namespace

// Skips the test when no tmpfs could be mounted here.
#define MOUNT_OR_SKIP(fs)                                                                                              \
    do {                                                                                                               \
        if (!(fs).isMounted()) {                                                                                       \
            QSKIP(qPrintable(                                                                                          \
                QStringLiteral("cannot mount a tmpfs here (%1); it needs root or CAP_SYS_ADMIN").arg((fs).error())));  \
        }                                                                                                              \
    } while (false)

class TestSqliteStoreOnTmpfs final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { ProvisioningService::registerMetaTypes(); }

    // Pins: with 0 bytes free a submit is refused as DiskFull with the sentence and the count of
    // requests that stay stored; every acknowledged request is still listed; the breaker log says the
    // same; once space is freed the same store (no restart) accepts again and its owed checkpoint
    // succeeds, leaving the WAL within its bound.
    void aFullDiskIsReportedAndTheRunningStoreRecovers()
    {
        Tmpfs fs(8 * 1024 * 1024);
        MOUNT_OR_SKIP(fs);
        const QString path = fs.filePath(QStringLiteral("requests.db"));
        auto store = openStore(path);
        QVERIFY(store);
        auto log = SqliteBreakerLog::open(path);
        VERIFY_OK(log);
        QList<ProvisioningRequest> acknowledged;
        for (int i = 0; i < 20; ++i) {
            acknowledged.append(makeRequest(QStringLiteral("before-%1").arg(i), t0().addSecs(i)));
            VERIFY_OK(store->insert(acknowledged.last(), {}, {}));
        }
        // Still in the WAL, not yet in the database file: a checkpoint needs room to grow the file.
        QVERIFY(QFileInfo(path + QStringLiteral("-wal")).size() > 0);

        const QString filler = fs.fill();
        QVERIFY(!filler.isEmpty());
        QCOMPARE(QStorageInfo(fs.path()).bytesAvailable(), 0);

        // The WAL's last page may hold one more; the disk refuses soon after.
        ProvisioningRequest refusedRequest;
        Result<void> refused;
        for (int i = 0; i < 50 && refused.ok(); ++i) {
            refusedRequest = makeRequest(QStringLiteral("while-full-%1").arg(i), t0().addSecs(100 + i));
            refused = store->insert(refusedRequest, {}, {});
            if (refused.ok()) {
                acknowledged.append(refusedRequest);
            }
        }
        QVERIFY2(!refused.ok(), "the full disk took 50 more requests");
        QVERIFY2(refused.error().is(ErrorCode::DiskFull), qPrintable(refused.error().message));
        QCOMPARE(toString(refused.error().kind), toString(ErrorKind::Storage));
        QCOMPARE(refused.error().message, fullSentence(path, int(acknowledged.size())));
        QCOMPARE(refused.error().details.value(QStringLiteral("path")).toString(), path);
        QVERIFY(store->database().isCheckpointDue());

        auto listed = store->list({});
        VERIFY_OK(listed);
        const QStringList listedIds = ids(listed.value());
        const QStringList acknowledgedIds = ids(acknowledged);
        QCOMPARE(QSet<QString>(listedIds.cbegin(), listedIds.cend()),
                 QSet<QString>(acknowledgedIds.cbegin(), acknowledgedIds.cend()));
        auto missing = store->get(refusedRequest.id());
        VERIFY_OK(missing);
        QVERIFY(!missing.value().has_value());

        auto logged = log.value()->appendBreakerEvent(
            {t0(), BreakerState::Closed, BreakerState::Open, QStringLiteral("5 failures")},
            sampleSnapshot(BreakerState::Open, 5), QStringLiteral("svc"));
        QVERIFY(!logged.ok());
        QVERIFY2(logged.error().is(ErrorCode::DiskFull), qPrintable(logged.error().message));

        QVERIFY(QFile::remove(filler));
        const auto after = makeRequest(QStringLiteral("after"), t0().addSecs(500));
        VERIFY_OK(store->insert(after, {}, {}));
        QVERIFY(!store->database().isCheckpointDue());
        acknowledged.append(after);
        listed = store->list({});
        VERIFY_OK(listed);
        QCOMPARE(listed.value().size(), acknowledged.size());
        VERIFY_OK(log.value()->appendBreakerEvent(
            {t0(), BreakerState::Closed, BreakerState::Open, QStringLiteral("5 failures")},
            sampleSnapshot(BreakerState::Open, 5), QStringLiteral("svc")));
        QVERIFY(QFileInfo(path + QStringLiteral("-wal")).size() <= SqliteDatabase::walSizeLimitBytes);
    }

    // Pins: the service's submit on a full disk answers Failed with the DiskFull error and says so in
    // its message: the request was not accepted, and nothing else was lost.
    void submitOnAFullDiskIsNotAccepted()
    {
        Tmpfs fs(8 * 1024 * 1024);
        MOUNT_OR_SKIP(fs);
        const QString path = fs.filePath(QStringLiteral("requests.db"));
        ManualClock clock;
        ServiceConfig config;
        config.tickInterval = 0ms;
        config.owner = QStringLiteral("svc");
        ProvisioningService service([] { return std::unique_ptr<HypervisorPort>(new FakeHypervisor()); },
                                    [path]() -> Result<std::unique_ptr<RequestStorePort>> {
                                        auto opened = SqliteRequestStore::open(path);
                                        if (!opened) {
                                            return opened.error();
                                        }
                                        return std::unique_ptr<RequestStorePort>(std::move(opened).value());
                                    },
                                    clock, config);
        service.initialize();
        QVERIFY(service.isInitialized());
        VmSpec spec = sampleSpec(QStringLiteral("first"));
        QVERIFY(service.submit(spec).accepted());
        QVERIFY(!fs.fill().isEmpty());

        SubmitAnswer answer;
        for (int i = 0; i < 50 && (i == 0 || answer.accepted()); ++i) {
            spec.name = QStringLiteral("while-full-%1").arg(i);
            answer = service.submit(spec);
        }
        QCOMPARE(int(answer.outcome), int(SubmitAnswer::Outcome::Failed));
        QVERIFY(answer.error.has_value());
        QVERIFY2(answer.error->is(ErrorCode::DiskFull), qPrintable(answer.error->message));
        QVERIFY2(answer.message.contains(QStringLiteral("the disk holding %1 is full: ").arg(path)),
                 qPrintable(answer.message));
        QVERIFY2(answer.message.endsWith(QStringLiteral("; free space to continue")), qPrintable(answer.message));
    }

    // Pins: a database opened on a disk with no room for SQLite's -shm is refused as DiskFull with the
    // count of stored requests (read without the -shm), and opens normally once space is freed.
    void openingOnAFullDiskSaysSoWithTheCount()
    {
        Tmpfs fs(8 * 1024 * 1024);
        MOUNT_OR_SKIP(fs);
        const QString path = fs.filePath(QStringLiteral("requests.db"));
        {
            auto store = openStore(path);
            QVERIFY(store);
            for (int i = 0; i < 5; ++i) {
                VERIFY_OK(store->insert(makeRequest(QStringLiteral("r%1").arg(i), t0().addSecs(i)), {}, {}));
            }
        }
        QVERIFY(!QFile::exists(path + QStringLiteral("-shm")));
        const QString filler = fs.fill();
        QVERIFY(!filler.isEmpty());

        auto refused = SqliteRequestStore::open(path);
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().is(ErrorCode::DiskFull), qPrintable(refused.error().message));
        QCOMPARE(refused.error().message, fullSentence(path, 5));
        auto refusedLog = SqliteBreakerLog::open(path);
        QVERIFY(!refusedLog.ok());
        QCOMPARE(refusedLog.error().message, fullSentence(path, 5));

        QVERIFY(QFile::remove(filler));
        auto store = openStore(path);
        QVERIFY(store);
        auto listed = store->list({});
        VERIFY_OK(listed);
        QCOMPARE(listed.value().size(), 5);
    }

    // Pins: the real dcmctl on a full disk exits 1 with the sentence on stderr (and "disk-full" in its
    // JSON error), for submit and for requests; once space is freed it works again.
    void dcmctlOnAFullDiskSaysSoAndWorksAgainOnceSpaceIsFreed()
    {
        Tmpfs fs(8 * 1024 * 1024);
        MOUNT_OR_SKIP(fs);
        const QString path = fs.filePath(QStringLiteral("queue/requests.db"));
        QProcessEnvironment env;
        env.insert(QStringLiteral("DCM_DB"), path);
        env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("dcm.*.debug=false;dcm.*.info=false"));

        const DcmctlRun first = runDcmctl(
            QStringList{QStringLiteral("submit"), QStringLiteral("--json")} + specArgs(QStringLiteral("a")), env);
        QCOMPARE(first.exitCode, 3);

        const QString filler = fs.fill();
        QVERIFY(!filler.isEmpty());
        const QByteArray sentence = QStringLiteral("dcmctl: %1\n").arg(fullSentence(path, 1)).toUtf8();
        const DcmctlRun refused = runDcmctl(
            QStringList{QStringLiteral("submit"), QStringLiteral("--json")} + specArgs(QStringLiteral("b")), env);
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.endsWith(sentence), refused.err.constData());
        QCOMPARE(refused.json().object().value(QStringLiteral("error")).toObject().value(QStringLiteral("code")),
                 QJsonValue(QStringLiteral("disk-full")));
        const DcmctlRun listWhileFull = runDcmctl({QStringLiteral("requests")}, env);
        QCOMPARE(listWhileFull.exitCode, 1);
        QVERIFY2(listWhileFull.err.endsWith(sentence), listWhileFull.err.constData());

        QVERIFY(QFile::remove(filler));
        const DcmctlRun again = runDcmctl(
            QStringList{QStringLiteral("submit"), QStringLiteral("--json")} + specArgs(QStringLiteral("c")), env);
        QCOMPARE(again.exitCode, 3);
        const DcmctlRun list = runDcmctl({QStringLiteral("requests"), QStringLiteral("--json")}, env);
        QCOMPARE(list.exitCode, 0);
        QCOMPARE(list.json().array().size(), 2);
    }

    // Pins: on a read-only file system (as root, permission bits stop nothing; a read-only mount
    // does) opening names the path and the reason: a new database, a new folder, an existing file.
    void aReadOnlyFileSystemIsNamedWithThePathAndTheReason()
    {
        Tmpfs fs(1024 * 1024);
        MOUNT_OR_SKIP(fs);
        const QString existing = fs.filePath(QStringLiteral("requests.db"));
        {
            auto store = openStore(existing);
            QVERIFY(store);
            VERIFY_OK(store->insert(makeRequest(QStringLiteral("kept"), t0()), {}, {}));
        }
        QVERIFY(QDir().mkdir(fs.filePath(QStringLiteral("empty"))));
        QVERIFY(fs.remountReadOnly());

        const QString fresh = fs.filePath(QStringLiteral("empty/requests.db"));
        auto inFolder = SqliteRequestStore::open(fresh);
        VERIFY_ERROR(inFolder, "database-unwritable");
        QCOMPARE(inFolder.error().message, QStringLiteral("cannot create %1: the folder %2 is not writable")
                                               .arg(fresh, fs.filePath(QStringLiteral("empty"))));

        const QString nested = fs.filePath(QStringLiteral("new/requests.db"));
        auto newFolder = SqliteRequestStore::open(nested);
        VERIFY_ERROR(newFolder, "database-unwritable");
        QCOMPARE(newFolder.error().message, QStringLiteral("cannot create the folder %1 for %2: the folder %3 is not "
                                                           "writable")
                                                .arg(fs.filePath(QStringLiteral("new")), nested, fs.path()));

        auto readOnlyFile = SqliteRequestStore::open(existing);
        VERIFY_ERROR(readOnlyFile, "database-unwritable");
        QCOMPARE(readOnlyFile.error().message, QStringLiteral("cannot open %1: the file is read-only").arg(existing));
    }
};

QTEST_GUILESS_MAIN(TestSqliteStoreOnTmpfs)
#include "TestSqliteStoreOnTmpfs.moc"
