// The RequestStorePort contract (tests/support/RequestStoreContract) run against PgRequestStore: one
// private PostgreSQL server for the executable (tests/support/PostgresProcess), a fresh database per
// test function, a second PgRequestStore on it as "another connection", and a plain QPSQL connection
// to read leases and damage a spec.
#include <QCoreApplication>
#include <QTest>

#include "PgRawConnection.h"
#include "PostgresProcess.h"
#include "RequestStoreContract.h"
#include "app/storage/PgLocation.h"
#include "app/storage/PgRequestStore.h"

using namespace dcm;

namespace {

PostgresProcess* s_server = nullptr;

class PgContractBackend final : public RequestStoreContractBackend
{
public:
    PgContractBackend() : m_uri(s_server->freshDatabase(QStringLiteral("contract")))
    {
        m_database = m_uri.section(QLatin1Char('/'), 3).section(QLatin1Char('?'), 0, 0);
    }

    Result<std::unique_ptr<RequestStorePort>> open() override
    {
        auto where = PgLocation::parse(m_uri);
        if (!where)
            return where.error();
        auto opened = PgRequestStore::open(where.value());
        if (!opened)
            return opened.error();
        return std::unique_ptr<RequestStorePort>(std::move(opened).value());
    }

    std::optional<Lease> lease(const QUuid& id) override
    {
        PgRawConnection raw(*s_server, m_database);
        QSqlQuery q(raw.db());
        q.prepare(QStringLiteral("SELECT lease_owner, lease_until FROM requests WHERE id = ?"));
        q.addBindValue(id.toString(QUuid::WithoutBraces));
        if (!q.exec() || !q.next())
            return std::nullopt;
        Lease lease;
        lease.owner = q.value(0).toString();
        if (!q.isNull(1))
            lease.until = QDateTime::fromMSecsSinceEpoch(q.value(1).toLongLong(), Qt::UTC);
        return lease;
    }

    QByteArray rawSpec(const QUuid& id) override
    {
        return PgRawConnection(*s_server, m_database)
            .scalar(QStringLiteral("SELECT spec FROM requests WHERE id = ?"), {id.toString(QUuid::WithoutBraces)})
            .toString()
            .toUtf8();
    }

    bool damageSpec(const QUuid& id, const QByteArray& bytes) override
    {
        return PgRawConnection(*s_server, m_database)
            .exec(QStringLiteral("UPDATE requests SET spec = ? WHERE id = ?"),
                  {QString::fromUtf8(bytes), id.toString(QUuid::WithoutBraces)})
            .isEmpty();
    }

private:
    QString m_uri;
    QString m_database;
};

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    PostgresProcess server;
    QString error;
    if (!server.start(&error)) {
        qCritical("cannot start a private PostgreSQL: %s", qPrintable(error));
        return 1;
    }
    s_server = &server;
    RequestStoreContract contract([] { return std::make_unique<PgContractBackend>(); });
    const int failed = QTest::qExec(&contract, argc, argv);
    s_server = nullptr;
    return failed;
}
