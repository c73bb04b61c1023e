#include "app/storage/PgBreakerLog.h"

#include <QSqlQuery>

#include "app/storage/PgDatabase.h"
#include "app/storage/PgRequestSchema.h"
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
    if (!from || !to)
        return corruptBreakerEvent(
            QStringLiteral("unknown breaker state \"%1\" -> \"%2\"").arg(q.value(1).toString(), q.value(2).toString()));
    return BreakerTransition{dateAt(q, 0), *from, *to, q.value(3).toString()};
}

} // namespace

PgBreakerLog::PgBreakerLog(std::unique_ptr<PgDatabase> db) : m_db(std::move(db))
{}

PgBreakerLog::~PgBreakerLog() = default;

Result<std::unique_ptr<PgBreakerLog>> PgBreakerLog::open(const PgLocation& where, const QString& password)
{
    auto db = PgDatabase::open(where, PgRequestSchema::steps(), {}, password);
    if (!db)
        return db.error();
    return std::unique_ptr<PgBreakerLog>(new PgBreakerLog(std::move(db).value()));
}

Result<void> PgBreakerLog::appendBreakerEvent(const BreakerTransition& transition, const BreakerSnapshot& snapshot,
                                              const QString& owner)
{
    if (!transition.at.isValid())
        return invalidArgument(QStringLiteral("a breaker transition needs its time"));
    return m_db->transaction([&]() -> Result<void> {
        QSqlQuery q(m_db->database());
        return m_db->run(q, QStringLiteral("record breaker transition"),
                         QStringLiteral("INSERT INTO breaker_events (at, from_state, to_state, reason, owner, snapshot)"
                                        " VALUES (?, ?, ?, ?, ?, ?)"),
                         {transition.at.toMSecsSinceEpoch(), toString(transition.from), toString(transition.to),
                          textOrNull(transition.reason), textOrNull(owner),
                          jsonText(BreakerSnapshotJson::toJson(snapshot))});
    });
}

Result<std::optional<BreakerRecord>> PgBreakerLog::lastBreakerState()
{
    std::optional<BreakerRecord> record;
    auto read = m_db->readTransaction([&]() -> Result<void> {
        QSqlQuery q(m_db->database());
        if (auto ran = m_db->run(q, QStringLiteral("last breaker state"),
                                 QStringLiteral("SELECT at, from_state, to_state, reason, owner, snapshot"
                                                " FROM breaker_events ORDER BY seq DESC LIMIT 1"));
            !ran)
            return ran;
        if (!q.next())
            return {};
        auto transition = readTransition(q);
        if (!transition)
            return transition.error();
        auto json = parseObject(q.value(5).toString().toUtf8());
        if (!json)
            return corruptBreakerEvent(json.error().message);
        auto snapshot = BreakerSnapshotJson::fromJson(json.value());
        if (!snapshot)
            return corruptBreakerEvent(snapshot.error().message);
        record = BreakerRecord{std::move(transition).value(), std::move(snapshot).value(), q.value(4).toString()};
        return {};
    });
    if (!read)
        return read.error();
    return record;
}

Result<QList<BreakerTransition>> PgBreakerLog::breakerHistory(int limit)
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
        if (auto ran = m_db->run(q, QStringLiteral("breaker history"), sql, values); !ran)
            return ran;
        while (q.next()) {
            auto transition = readTransition(q);
            if (!transition)
                return transition.error();
            history.append(std::move(transition).value());
        }
        return {};
    });
    if (!read)
        return read.error();
    return history;
}

} // namespace dcm
