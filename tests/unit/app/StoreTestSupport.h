#pragma once

// Helpers for the SQLite tests: the sample requests (StoreSamples.h), and a second raw connection to
// the same file (the "other process" of the locking tests, and an observer that bypasses the store).

#include <QAtomicInteger>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

#include "StoreSamples.h"

namespace storetest {

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
