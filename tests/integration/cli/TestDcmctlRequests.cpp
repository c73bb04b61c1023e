// `dcmctl requests` over a history of several pages (the real binary on a real SQLite file): the
// streamed JSON is one valid array holding every request once, newest first; --limit keeps the newest
// N; --state is answered by the store across pages; the text form prints one line per request.
#include "DcmctlRunner.h"

#include "app/cli/RequestsCommand.h"
#include "app/storage/SqliteDatabase.h"
#include "app/storage/SqliteRequestStore.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace dcm;

namespace {

// Two full pages and a partial one; some share a creation time (a batch) across a page boundary.
constexpr int s_stored = 2 * ctl::RequestsCommand::pageSize + 61;

QString nameOf(int i)
{
    return QStringLiteral("vm-%1").arg(i, 5, 10, QLatin1Char('0'));
}

VmSpec specOf(int i)
{
    VmSpec s;
    s.name = nameOf(i);
    s.cpus = 1;
    s.coresPerSocket = 1;
    s.memoryMiB = 1024;
    s.disks = {DiskSpec{10240, true}};
    s.nics = {NicSpec{QStringLiteral("VM Network")}};
    s.datastore = QStringLiteral("ds1");
    s.datacenter = QStringLiteral("DC0");
    s.cluster = QStringLiteral("C0");
    s.guestId = QStringLiteral("otherLinux64Guest");
    return s;
}

} // namespace

class TestDcmctlRequests final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_db;
    int m_failed = 0;

    QProcessEnvironment env() const
    {
        QProcessEnvironment e;
        e.insert(QStringLiteral("DCM_DB"), m_db);
        e.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("dcm.*.debug=false;dcm.*.info=false"));
        return e;
    }

    static QStringList names(const QJsonArray& array)
    {
        QStringList out;
        for (const QJsonValue& v : array)
            out << v.toObject().value(QStringLiteral("name")).toString();
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_db = m_dir.filePath(QStringLiteral("requests.sqlite"));
        auto opened = SqliteRequestStore::open(m_db);
        QVERIFY(opened.ok());
        // The fixture only (fewer fsyncs); dcmctl's own connection keeps its durable settings.
        QVERIFY(QSqlQuery(opened.value()->database().database()).exec(QStringLiteral("PRAGMA synchronous=OFF")));
        const QDateTime start(QDate(2026, 1, 1), QTime(8, 0), Qt::UTC);
        for (int i = 0; i < s_stored; ++i) {
            // Three requests per second of creation: pages end in the middle of equal times.
            const QDateTime at = start.addSecs(i / 3);
            ProvisioningRequest r(QUuid::createUuid(), specOf(i), at);
            QVERIFY(opened.value()->insert(r, QString(), at).ok());
            if (i % 9 == 0) {
                QVERIFY(r.transitionTo(RequestState::Failed, QStringLiteral("fixture"), at).ok());
                QVERIFY(opened.value()->update(r, RequestState::Submitted).ok());
                ++m_failed;
            }
        }
    }

    void jsonIsOneArrayOfEveryRequestNewestFirst()
    {
        const DcmctlRun run = runDcmctl({QStringLiteral("requests"), QStringLiteral("--json")}, env());
        QCOMPARE(run.exitCode, 0);
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(run.out, &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        QVERIFY(doc.isArray());
        QStringList expected;
        for (int i = s_stored - 1; i >= 0; --i)
            expected << nameOf(i);
        QCOMPARE(names(doc.array()), expected);
        // Formatted as the document built in memory was.
        QCOMPARE(run.out, QJsonDocument(doc.array()).toJson(QJsonDocument::Indented));
    }

    void limitKeepsTheNewest()
    {
        const int limit = ctl::RequestsCommand::pageSize + 7;
        const DcmctlRun run = runDcmctl(
            {QStringLiteral("requests"), QStringLiteral("--limit"), QString::number(limit), QStringLiteral("--json")},
            env());
        QCOMPARE(run.exitCode, 0);
        const QJsonArray array = run.json().array();
        QCOMPARE(array.size(), limit);
        QCOMPARE(names(array).constFirst(), nameOf(s_stored - 1));
        QCOMPARE(names(array).constLast(), nameOf(s_stored - limit));
    }

    void aBadLimitIsRefusedNamingTheOption()
    {
        const DcmctlRun run =
            runDcmctl({QStringLiteral("requests"), QStringLiteral("--limit"), QStringLiteral("ten")}, env());
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("limit"), run.err.constData());
    }

    void stateIsAnsweredAcrossPages()
    {
        const DcmctlRun run = runDcmctl(
            {QStringLiteral("requests"), QStringLiteral("--state"), QStringLiteral("FAILED"), QStringLiteral("--json")},
            env());
        QCOMPARE(run.exitCode, 0);
        const QJsonArray array = run.json().array();
        QCOMPARE(array.size(), m_failed);
        for (const QJsonValue& v : array)
            QCOMPARE(v.toObject().value(QStringLiteral("state")).toString(), QStringLiteral("FAILED"));
    }

    void textHasOneLinePerRequest()
    {
        const DcmctlRun run = runDcmctl({QStringLiteral("requests")}, env());
        QCOMPARE(run.exitCode, 0);
        const QList<QByteArray> lines = run.out.trimmed().split('\n');
        QCOMPARE(lines.size(), s_stored);
        QVERIFY(lines.constFirst().contains(nameOf(s_stored - 1).toUtf8()));
        QVERIFY(lines.constLast().contains(nameOf(0).toUtf8()));
    }

    void anEmptyDatabaseIsAnEmptyArray()
    {
        QTemporaryDir empty;
        QProcessEnvironment e = env();
        e.insert(QStringLiteral("DCM_DB"), empty.filePath(QStringLiteral("none.sqlite")));
        const DcmctlRun run = runDcmctl({QStringLiteral("requests"), QStringLiteral("--json")}, e);
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.json().isArray());
        QCOMPARE(run.json().array().size(), 0);
    }
};

QTEST_MAIN(TestDcmctlRequests)
#include "TestDcmctlRequests.moc"
