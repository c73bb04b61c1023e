#pragma once

#include "domain/ports/BreakerLogPort.h"

#include <QList>

#include <memory>

// An in-memory BreakerLogPort for service and GUI unit tests. A test can make appends fail on demand.
class FakeBreakerLog final : public dcm::BreakerLogPort
{
public:
    dcm::Result<void> appendBreakerEvent(const dcm::BreakerTransition& transition, const dcm::BreakerSnapshot& snapshot,
                                         const QString& owner) override
    {
        if (m_failAppends)
            return dcm::Error::make(dcm::ErrorKind::Storage, QStringLiteral("storage"),
                                    QStringLiteral("disk I/O error (fake)"));
        m_records.append(dcm::BreakerRecord{transition, snapshot, owner});
        return {};
    }
    dcm::Result<std::optional<dcm::BreakerRecord>> lastBreakerState() override
    {
        if (m_records.isEmpty())
            return std::optional<dcm::BreakerRecord>{};
        return std::optional<dcm::BreakerRecord>{m_records.last()};
    }
    dcm::Result<QList<dcm::BreakerTransition>> breakerHistory(int limit) override
    {
        QList<dcm::BreakerTransition> out;
        for (auto it = m_records.crbegin(); it != m_records.crend() && (limit <= 0 || out.size() < limit); ++it)
            out.append(it->transition);
        return out;
    }

    void setFailAppends(bool fail) { m_failAppends = fail; }
    const QList<dcm::BreakerRecord>& records() const { return m_records; }

private:
    QList<dcm::BreakerRecord> m_records;
    bool m_failAppends = false;
};

// The service owns its BreakerLogPort; this owner forwards to a FakeBreakerLog that the test keeps.
class FakeBreakerLogOwner final : public dcm::BreakerLogPort
{
public:
    explicit FakeBreakerLogOwner(std::shared_ptr<FakeBreakerLog> log) : m_log(std::move(log)) {}

    dcm::Result<void> appendBreakerEvent(const dcm::BreakerTransition& t, const dcm::BreakerSnapshot& s,
                                         const QString& o) override
    {
        return m_log->appendBreakerEvent(t, s, o);
    }
    dcm::Result<std::optional<dcm::BreakerRecord>> lastBreakerState() override { return m_log->lastBreakerState(); }
    dcm::Result<QList<dcm::BreakerTransition>> breakerHistory(int l) override { return m_log->breakerHistory(l); }

private:
    std::shared_ptr<FakeBreakerLog> m_log;
};
