#pragma once

// Helpers for the SQLite tests: sample requests, a second raw connection to the same file (the
// "other process" of the locking tests, and an observer that bypasses the store), file bytes.

#include <QAtomicInteger>
#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <QUuid>

#include "domain/ProvisioningRequest.h"

namespace storetest {

inline QDateTime t0()
{
    return QDateTime(QDate(2026, 1, 1), QTime(8, 0), Qt::UTC);
}

inline dcm::VmSpec sampleSpec(const QString& name)
{
    dcm::VmSpec spec;
    spec.name = name;
    spec.cpus = 4;
    spec.coresPerSocket = 2;
    spec.memoryMiB = 8192;
    spec.disks = {dcm::DiskSpec{40960, true}, dcm::DiskSpec{102400, false}};
    spec.network = QStringLiteral("VM Network");
    spec.datastore = QStringLiteral("datastore1");
    spec.folder = QStringLiteral("/DC0/vm/web");
    spec.datacenter = QStringLiteral("DC0");
    spec.cluster = QStringLiteral("DC0_C0");
    spec.host = QStringLiteral("DC0_C0_H1");
    spec.guestId = QStringLiteral("ubuntu64Guest");
    spec.annotation = QStringLiteral("ticket 42\nsecond line, \"quoted\", ünïcødé");
    spec.powerOn = true;
    return spec;
}

// A request created at `createdAt` that went through `path` (one second per step).
inline dcm::ProvisioningRequest makeRequest(const QString& name, const QDateTime& createdAt,
                                            const QList<dcm::RequestState>& path = {})
{
    dcm::ProvisioningRequest request(QUuid::createUuid(), sampleSpec(name), createdAt);
    QDateTime at = createdAt;
    for (dcm::RequestState to : path) {
        at = at.addSecs(1);
        if (auto moved = request.transitionTo(to, QStringLiteral("test step"), at); !moved) {
            qFatal("makeRequest: %s", qPrintable(moved.error().message));
        }
    }
    return request;
}

inline QByteArray sha256(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}

inline QString jsonText(const dcm::ProvisioningRequest& request)
{
    return QString::fromUtf8(QJsonDocument(request.toJson()).toJson(QJsonDocument::Indented));
}

inline QStringList names(const QList<dcm::ProvisioningRequest>& requests)
{
    QStringList result;
    for (const auto& request : requests) {
        result.append(request.spec().name);
    }
    return result;
}

// A connection of its own to the database file, as another process would have.
class RawConnection final
{
public:
    explicit RawConnection(const QString& path, int busyTimeoutMs = 0)
        : m_name(QStringLiteral("raw-%1").arg(s_counter.fetchAndAddRelaxed(1)))
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(busyTimeoutMs));
        db.open();
    }
    ~RawConnection()
    {
        {
            QSqlDatabase db = QSqlDatabase::database(m_name, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(m_name);
    }
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;

    QSqlDatabase db() const { return QSqlDatabase::database(m_name, false); }

    // Runs `sql`; an empty QString on success, else the error text.
    QString exec(const QString& sql, const QVariantList& values = {}) const
    {
        QSqlQuery q(db());
        q.prepare(sql);
        for (const QVariant& v : values) {
            q.addBindValue(v);
        }
        return q.exec() ? QString() : q.lastError().text();
    }

    // The first column of the first row, or an invalid QVariant.
    QVariant scalar(const QString& sql, const QVariantList& values = {}) const
    {
        QSqlQuery q(db());
        q.prepare(sql);
        for (const QVariant& v : values) {
            q.addBindValue(v);
        }
        if (!q.exec() || !q.next()) {
            return {};
        }
        return q.value(0);
    }

private:
    static inline QAtomicInteger<int> s_counter;
    QString m_name;
};

} // namespace storetest
