#pragma once

// A plain QPSQL connection to a database of a PostgresProcess, around the store: the contract's look
// behind the port (leases, the stored spec, damage), and the tests' observers. Needs Qt6::Sql.

#include "PostgresProcess.h"

#include <QAtomicInteger>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

class PgRawConnection final
{
public:
    PgRawConnection(const PostgresProcess& server, const QString& database)
        : m_name(QStringLiteral("pg-raw-%1").arg(counter().fetchAndAddRelaxed(1)))
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), m_name);
        db.setHostName(server.socketDir());
        db.setPort(server.port());
        db.setUserName(PostgresProcess::superuser());
        db.setDatabaseName(database);
        db.open();
    }
    ~PgRawConnection()
    {
        {
            QSqlDatabase db = QSqlDatabase::database(m_name, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(m_name);
    }
    PgRawConnection(const PgRawConnection&) = delete;
    PgRawConnection& operator=(const PgRawConnection&) = delete;

    QSqlDatabase db() const { return QSqlDatabase::database(m_name, false); }
    bool isOpen() const { return db().isOpen(); }

    // Runs `sql`; an empty QString on success, else the error text.
    QString exec(const QString& sql, const QVariantList& values = {}) const
    {
        QSqlQuery q(db());
        q.prepare(sql);
        for (const QVariant& v : values)
            q.addBindValue(v);
        return q.exec() ? QString() : q.lastError().text();
    }

    // The first column of the first row, or an invalid QVariant.
    QVariant scalar(const QString& sql, const QVariantList& values = {}) const
    {
        QSqlQuery q(db());
        q.prepare(sql);
        for (const QVariant& v : values)
            q.addBindValue(v);
        if (!q.exec() || !q.next())
            return {};
        return q.value(0);
    }

private:
    static QAtomicInteger<int>& counter()
    {
        static QAtomicInteger<int> s_counter;
        return s_counter;
    }
    QString m_name;
};
