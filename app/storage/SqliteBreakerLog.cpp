#include "app/storage/SqliteBreakerLog.h"

#include <QSqlQuery>

#include "app/storage/SqliteDatabase.h"
#include "app/storage/SqliteRequestSchema.h"
#include "app/storage/SqliteSql.h"
#include "domain/BreakerSnapshotJson.h"

namespace dcm {

using namespace sqlite;

namespace {

Error corruptBreakerEvent(const QString& why)
{
    return Error::make(ErrorKind::Storage, QStringLiteral("corrupt-breaker-event"),
                       QStringLiteral("A stored breaker transition is unreadable: %1").arg(why));
}

// Reads at, from_state, to_state, reason from columns 0..3.
Result<BreakerTransition> readTransition(const QSqlQuery& q)
{
    const auto from = breakerStateFromString(q.value(1).toString());
    const auto to = breakerStateFromString(q.value(2).toString());
    if (!from || !to) {
        return corruptBreakerEvent(
            QStringLiteral("unknown breaker state \"%1\" -> \"%2\"").arg(q.value(1).toString(), q.value(2).toString()));
    }
    return BreakerTransition{dateAt(q, 0), *from, *to, q.value(3).toString()};
}

} // namespace

SqliteBreakerLog::SqliteBreakerLog(std::unique_ptr<SqliteDatabase> db) : m_db(std::move(db))
{}

SqliteBreakerLog::~SqliteBreakerLog() = default;

Result<std::unique_ptr<SqliteBreakerLog>> SqliteBreakerLog::open(const QString& path,
                                                                 std::chrono::milliseconds busyTimeout)
{
    auto db =
        SqliteDatabase::open(path, SqliteRequestSchema::steps(), busyTimeout, SqliteRequestSchema::countRequests());
    if (!db) {
        return db.error();
    }
    return std::unique_ptr<SqliteBreakerLog>(new SqliteBreakerLog(std::move(db).value()));
}

Result<void> SqliteBreakerLog::appendBreakerEvent(const BreakerTransition& transition, const BreakerSnapshot& snapshot,
                                                  const QString& owner)
{
    if (!transition.at.isValid()) {
        return invalidArgument(QStringLiteral("a breaker transition needs its time"));
    }
    return m_db->transaction([&]() -> Result<void> {
        QSqlQuery q(m_db->database());
        return run(*m_db, q, QStringLiteral("record breaker transition"),
                   QStringLiteral("INSERT INTO breaker_events (at, from_state, to_state, reason, owner, snapshot)"
                                  " VALUES (?, ?, ?, ?, ?, ?)"),
                   {transition.at.toMSecsSinceEpoch(), toString(transition.from), toString(transition.to),
                    textOrNull(transition.reason), textOrNull(owner), jsonText(BreakerSnapshotJson::toJson(snapshot))});
    });
}

Result<std::optional<BreakerRecord>> SqliteBreakerLog::lastBreakerState()
{
    std::optional<BreakerRecord> record;
    auto read = m_db->readTransaction([&]() -> Result<void> {
        QSqlQuery q(m_db->database());
        if (auto ran = run(*m_db, q, QStringLiteral("last breaker state"),
                           QStringLiteral("SELECT at, from_state, to_state, reason, owner, CAST(snapshot AS BLOB)"
                                          " FROM breaker_events ORDER BY seq DESC LIMIT 1"));
            !ran) {
            return ran;
        }
        if (!q.next()) {
            if (q.lastError().isValid()) {
                return m_db->sqlError(QStringLiteral("last breaker state"), q.lastError());
            }
            return {};
        }
        auto transition = readTransition(q);
        if (!transition) {
            return transition.error();
        }
        auto json = parseObject(q.value(5).toByteArray());
        if (!json) {
            return corruptBreakerEvent(json.error().message);
        }
        auto snapshot = BreakerSnapshotJson::fromJson(json.value());
        if (!snapshot) {
            return corruptBreakerEvent(snapshot.error().message);
        }
        record = BreakerRecord{std::move(transition).value(), std::move(snapshot).value(), q.value(4).toString()};
        return {};
    });
    if (!read) {
        return read.error();
    }
    return record;
}

Result<QList<BreakerTransition>> SqliteBreakerLog::breakerHistory(int limit)
{
    QString sql = QStringLiteral("SELECT at, from_state, to_state, reason FROM breaker_events ORDER BY seq DESC");
    QVariantList values;
    if (limit > 0) {
        sql += QStringLiteral(" LIMIT ?");
        values.append(limit);
    }
    QList<BreakerTransition> history;
    auto read = m_db->readTransaction([&]() -> Result<void> {
        QSqlQuery q(m_db->database());
        if (auto ran = run(*m_db, q, QStringLiteral("breaker history"), sql, values); !ran) {
            return ran;
        }
        while (q.next()) {
            auto transition = readTransition(q);
            if (!transition) {
                return transition.error();
            }
            history.append(std::move(transition).value());
        }
        if (q.lastError().isValid()) {
            return m_db->sqlError(QStringLiteral("breaker history"), q.lastError());
        }
        return {};
    });
    if (!read) {
        return read.error();
    }
    return history;
}

} // namespace dcm
