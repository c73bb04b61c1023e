#include "domain/RetryPolicy.h"

#include <algorithm>
#include <cmath>
#include <memory>

#include <QRandomGenerator>

namespace dcm {

RetryPolicy::RetryPolicy(std::chrono::milliseconds base, std::chrono::milliseconds cap, int maxAttempts,
                         RandomSource random)
    : m_base(std::max(base, std::chrono::milliseconds(1))), m_cap(std::max(cap, m_base)),
      m_maxAttempts(std::max(maxAttempts, 1)), m_random(std::move(random))
{
    if (!m_random) {
        m_random = [] { return QRandomGenerator::global()->generateDouble(); };
    }
}

std::chrono::milliseconds RetryPolicy::ceilingAfter(int attempts) const
{
    // Doubling until the cap rather than base << n: no overflow however many attempts are asked about.
    std::chrono::milliseconds ceiling = m_base;
    for (int i = 1; i < attempts && ceiling < m_cap; ++i) {
        ceiling *= 2;
    }
    return std::min(ceiling, m_cap);
}

std::chrono::milliseconds RetryPolicy::nextDelay(int attempts) const
{
    double r = m_random();
    if (!(r >= 0.0)) { // also NaN
        r = 0.0;
    }
    r = std::min(r, 1.0);
    const auto ceiling = ceilingAfter(attempts);
    return std::chrono::milliseconds(static_cast<qint64>(std::floor(r * double(ceiling.count()))));
}

QString RetryPolicy::gaveUpMessage(int attempts, const Error& lastCause)
{
    QString cause = lastCause.message.isEmpty() ? toString(lastCause.kind) : lastCause.message;
    if (!lastCause.vimFault.isEmpty() && !cause.startsWith(lastCause.vimFault)) {
        cause = lastCause.vimFault + QStringLiteral(": ") + cause;
    }
    return (attempts == 1 ? QStringLiteral("gave up after 1 attempt: %1")
                          : QStringLiteral("gave up after %1 attempts: %2").arg(attempts))
        .arg(cause);
}

Error RetryPolicy::gaveUpError(int attempts, const Error& lastCause)
{
    Error error = lastCause;
    error.code = toString(ErrorCode::GaveUp);
    error.message = gaveUpMessage(attempts, lastCause);
    error.details.insert(QStringLiteral("attempts"), attempts);
    error.details.insert(QStringLiteral("lastCode"), lastCause.code);
    return error;
}

RetryPolicy::RandomSource RetryPolicy::seededRandom(quint32 seed)
{
    auto generator = std::make_shared<QRandomGenerator>(seed);
    return [generator] { return generator->generateDouble(); };
}

} // namespace dcm
