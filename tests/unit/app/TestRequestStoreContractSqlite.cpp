// The RequestStorePort contract (tests/support/RequestStoreContract) run against SqliteRequestStore: a
// fresh database file in a temporary folder per test function, a second SqliteRequestStore on the same
// file as "another connection", and a raw QtSql connection to read leases and damage a spec.
#include <QCoreApplication>
#include <QTemporaryDir>
#include <QTest>

#include "RequestStoreContract.h"
#include "StoreTestSupport.h"
#include "app/storage/SqliteRequestStore.h"

using namespace dcm;
using namespace storetest;

namespace {

class SqliteContractBackend final : public RequestStoreContractBackend
{
public:
    SqliteContractBackend() : m_path(m_dir.filePath(QStringLiteral("requests.db"))) {}

    Result<std::unique_ptr<RequestStorePort>> open() override
    {
        auto opened = SqliteRequestStore::open(m_path);
        if (!opened) {
            return opened.error();
        }
        return std::unique_ptr<RequestStorePort>(std::move(opened).value());
    }

    std::optional<Lease> lease(const QUuid& id) override
    {
        RawConnection raw(m_path);
        QSqlQuery q(raw.db());
        q.prepare(QStringLiteral("SELECT lease_owner, lease_until FROM requests WHERE id = ?"));
        q.addBindValue(id.toString(QUuid::WithoutBraces));
        if (!q.exec() || !q.next()) {
            return std::nullopt;
        }
        Lease lease;
        lease.owner = q.value(0).toString();
        if (!q.isNull(1)) {
            lease.until = QDateTime::fromMSecsSinceEpoch(q.value(1).toLongLong(), Qt::UTC);
        }
        return lease;
    }

    QByteArray rawSpec(const QUuid& id) override
    {
        return RawConnection(m_path)
            .scalar(QStringLiteral("SELECT CAST(spec AS BLOB) FROM requests WHERE id = ?"),
                    {id.toString(QUuid::WithoutBraces)})
            .toByteArray();
    }

    bool damageSpec(const QUuid& id, const QByteArray& bytes) override
    {
        return RawConnection(m_path)
            .exec(QStringLiteral("UPDATE requests SET spec = ? WHERE id = ?"),
                  {QString::fromUtf8(bytes), id.toString(QUuid::WithoutBraces)})
            .isEmpty();
    }

private:
    QTemporaryDir m_dir;
    QString m_path;
};

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    RequestStoreContract contract([] { return std::make_unique<SqliteContractBackend>(); });
    return QTest::qExec(&contract, argc, argv);
}
