#include "ui/StateStyle.h"

#include "ui/UiFormat.h"

#include <QCoreApplication>
#include <QHash>
#include <QUrl>

// Q_INIT_RESOURCE must be used outside any namespace.
static void dcmInitIconResources()
{
    Q_INIT_RESOURCE(icons);
}

namespace dcm {

void StateStyle::ensureResources()
{
    static const bool done = [] {
        dcmInitIconResources();
        return true;
    }();
    Q_UNUSED(done);
}

QIcon StateStyle::loadIcon(const QString& name)
{
    ensureResources();
    static QHash<QString, QIcon> cache;
    auto it = cache.find(name);
    if (it != cache.end())
        return *it;
    QIcon icon;
    for (int size : {16, 32, 64, 128})
        icon.addFile(QStringLiteral(":/icons/state/%1-%2.png").arg(name).arg(size), QSize(size, size));
    cache.insert(name, icon);
    return icon;
}

QIcon StateStyle::requestIcon(RequestState state)
{
    switch (state) {
    case RequestState::Submitted:
        return loadIcon(QStringLiteral("request-submitted"));
    case RequestState::Provisioning:
        return loadIcon(QStringLiteral("request-provisioning"));
    case RequestState::QueuedForProvisioning:
        return loadIcon(QStringLiteral("request-queued"));
    case RequestState::Reconciling:
        return loadIcon(QStringLiteral("request-reconciling"));
    case RequestState::Provisioned:
        return loadIcon(QStringLiteral("request-provisioned"));
    case RequestState::Failed:
        return loadIcon(QStringLiteral("request-failed"));
    case RequestState::Cancelled:
        return loadIcon(QStringLiteral("request-cancelled"));
    }
    return {};
}

QString StateStyle::requestText(RequestState state)
{
    switch (state) {
    case RequestState::Submitted:
        return tr("Submitted");
    case RequestState::Provisioning:
        return tr("Provisioning");
    case RequestState::QueuedForProvisioning:
        return tr("Queued");
    case RequestState::Reconciling:
        return tr("Reconciling");
    case RequestState::Provisioned:
        return tr("Provisioned");
    case RequestState::Failed:
        return tr("Failed");
    case RequestState::Cancelled:
        return tr("Cancelled");
    }
    return {};
}

QString StateStyle::requestDescription(RequestState state)
{
    switch (state) {
    case RequestState::Submitted:
        return tr("Stored safely; the console is deciding whether to send it now or queue it.");
    case RequestState::Provisioning:
        return tr("Sent to vCenter; the creation task is running.");
    case RequestState::QueuedForProvisioning:
        return tr("Stored and waiting: it is sent when the hypervisor is online and its next attempt is due.");
    case RequestState::Reconciling:
        return tr("An earlier attempt may have reached vCenter: the console looks for the VM before sending "
                  "anything again.");
    case RequestState::Provisioned:
        return tr("The VM exists.");
    case RequestState::Failed:
        return tr("vCenter refused it or every attempt failed; you may retry it.");
    case RequestState::Cancelled:
        return tr("Withdrawn before it reached vCenter.");
    }
    return {};
}

QIcon StateStyle::breakerIcon(BreakerState state)
{
    switch (state) {
    case BreakerState::Closed:
        return loadIcon(QStringLiteral("breaker-closed"));
    case BreakerState::Open:
        return loadIcon(QStringLiteral("breaker-open"));
    case BreakerState::HalfOpen:
        return loadIcon(QStringLiteral("breaker-half-open"));
    case BreakerState::ForcedOpen:
        return loadIcon(QStringLiteral("breaker-forced-open"));
    }
    return {};
}

QString StateStyle::breakerText(BreakerState state)
{
    switch (state) {
    case BreakerState::Closed:
        return tr("CLOSED");
    case BreakerState::Open:
        return tr("OPEN");
    case BreakerState::HalfOpen:
        return tr("HALF_OPEN");
    case BreakerState::ForcedOpen:
        return tr("FORCED_OPEN");
    }
    return {};
}

QString StateStyle::breakerDescription(BreakerState state)
{
    switch (state) {
    case BreakerState::Closed:
        return tr("The hypervisor answers: requests are sent at once.");
    case BreakerState::Open:
        return tr("The hypervisor is failing: calls stop, new requests are queued, and a scout probes it after "
                  "the cooldown.");
    case BreakerState::HalfOpen:
        return tr("A scout is probing the hypervisor; requests wait for its answer.");
    case BreakerState::ForcedOpen:
        return tr("Held open by an administrator (maintenance): requests are queued until it is released.");
    }
    return {};
}

QIcon StateStyle::noticeIcon(Notice notice)
{
    switch (notice) {
    case Notice::Info:
        return loadIcon(QStringLiteral("notice-info"));
    case Notice::Success:
        return loadIcon(QStringLiteral("notice-success"));
    case Notice::Warning:
        return loadIcon(QStringLiteral("notice-warning"));
    case Notice::Error:
        return loadIcon(QStringLiteral("notice-error"));
    case Notice::Security:
        return loadIcon(QStringLiteral("notice-security"));
    case Notice::Trust:
        return loadIcon(QStringLiteral("notice-trust"));
    }
    return {};
}

bool StateStyle::isDark(const QPalette& palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

QColor StateStyle::accent(Notice notice, const QPalette& palette)
{
    const bool dark = isDark(palette);
    switch (notice) {
    case Notice::Info:
        return dark ? QColor(0x8a, 0xb4, 0xf8) : QColor(0x1f, 0x5f, 0xa6);
    case Notice::Success:
        return dark ? QColor(0x81, 0xc9, 0x95) : QColor(0x1e, 0x6b, 0x2a);
    case Notice::Warning:
    case Notice::Trust:
        return dark ? QColor(0xfd, 0xd6, 0x63) : QColor(0x8a, 0x5a, 0x00);
    case Notice::Error:
    case Notice::Security:
        return dark ? QColor(0xf2, 0x8b, 0x82) : QColor(0xb3, 0x26, 0x1e);
    }
    return palette.color(QPalette::Text);
}

QColor StateStyle::accent(BreakerState state, const QPalette& palette)
{
    switch (state) {
    case BreakerState::Closed:
        return accent(Notice::Success, palette);
    case BreakerState::HalfOpen:
        return accent(Notice::Warning, palette);
    case BreakerState::Open:
    case BreakerState::ForcedOpen:
        return accent(Notice::Error, palette);
    }
    return palette.color(QPalette::Text);
}

QString StateStyle::connectionText(ConnectionStatus::State state)
{
    switch (state) {
    case ConnectionStatus::State::Disconnected:
        return tr("Not connected");
    case ConnectionStatus::State::Connecting:
        return tr("Connecting…");
    case ConnectionStatus::State::Connected:
        return tr("Connected");
    case ConnectionStatus::State::NeedsOperator:
        return tr("Needs your attention");
    }
    return {};
}

namespace {

// Why the connection waits for the operator, in the status bar's few words. Decided on the kind and the
// typed code only; the message stays for the tooltip.
QString waitingFor(const ConnectionStatus& status)
{
    if (!status.error)
        return StateStyle::tr("Waiting for the operator");
    const Error& e = *status.error;
    if (e.is(ErrorCode::ThumbprintMismatch))
        return StateStyle::tr("Connection stopped: certificate changed");
    switch (e.kind) {
    case ErrorKind::Trust:
        return StateStyle::tr("Waiting for the operator: the certificate is not trusted");
    case ErrorKind::Permission:
        return StateStyle::tr("Waiting for the operator: vCenter does not let %1 log in").arg(status.user);
    case ErrorKind::Authentication:
        return StateStyle::tr("Waiting for the operator: vCenter refused the credentials of %1").arg(status.user);
    default:
        return e.is(ErrorCode::LoginRefused)
                   ? StateStyle::tr("Waiting for the operator: vCenter refused the credentials of %1").arg(status.user)
                   : StateStyle::tr("Waiting for the operator: %1").arg(e.message);
    }
}

} // namespace

StateStyle::StatusLine StateStyle::statusLine(const ConnectionStatus& connection,
                                              const std::optional<BreakerSnapshot>& breaker, const QDateTime& now)
{
    using State = ConnectionStatus::State;
    StatusLine line;
    const bool connected = connection.state == State::Connected;
    const bool waiting = connection.state == State::NeedsOperator;

    // --- the breaker
    if (!breaker) {
        line.breaker = tr("Breaker: —");
        line.breakerTip = tr("The service has not reported its breaker yet.");
    } else {
        const BreakerSnapshot& b = *breaker;
        line.breakerKnown = true;
        const QString state = breakerText(b.state);
        line.breakerTip = breakerDescription(b.state);
        switch (b.state) {
        case BreakerState::Closed:
            if (b.consecutiveFailures > 0) {
                line.breakerNotice = Notice::Warning;
                line.breaker = b.consecutiveFailures == 1
                                   ? tr("Breaker: %1 — 1 failure since the last success").arg(state)
                                   : tr("Breaker: %1 — %2 failures in a row").arg(state).arg(b.consecutiveFailures);
                line.breakerTip = tr("Counted failures since the last success: %1; the breaker opens at %2.")
                                      .arg(b.consecutiveFailures)
                                      .arg(b.failureThreshold);
                if (b.lastError)
                    line.breakerTip += QLatin1Char('\n') + tr("Last failure: %1").arg(b.lastError->message);
            } else if (!connected) {
                // Closed only because nothing has been tried: not a sign of health.
                line.breakerNotice = Notice::Info;
                line.breaker = tr("Breaker: %1 — no calls while not connected").arg(state);
            } else {
                line.breakerNotice = Notice::Success;
                line.breakerHealthy = true;
                line.breaker = tr("Breaker: %1").arg(state);
            }
            break;
        case BreakerState::Open:
            line.breakerNotice = Notice::Error;
            if (waiting) {
                // No scout goes out while the connection waits for the operator: no countdown either.
                line.breaker = tr("Breaker: %1 — no scout until the operator acts").arg(state);
            } else if (b.nextProbeAt.isValid() && now.isValid()) {
                const auto remaining = std::chrono::milliseconds(now.msecsTo(b.nextProbeAt));
                line.counting = true;
                line.breaker = remaining.count() > 0
                                   ? tr("Breaker: %1 — vCenter not answering, next scout in %2")
                                         .arg(state, UiFormat::countdown(remaining))
                                   : tr("Breaker: %1 — vCenter not answering, scout due now").arg(state);
            } else {
                line.breaker = tr("Breaker: %1 — vCenter not answering").arg(state);
            }
            if (b.lastError)
                line.breakerTip += QLatin1Char('\n') + tr("Last failure: %1").arg(b.lastError->message);
            break;
        case BreakerState::HalfOpen:
            line.breakerNotice = Notice::Warning;
            line.breaker = tr("Breaker: %1 — a scout is checking whether vCenter answers").arg(state);
            break;
        case BreakerState::ForcedOpen:
            line.breakerNotice = Notice::Error;
            line.breaker = tr("Breaker: %1 — held by an administrator").arg(state);
            if (!b.lastReason.isEmpty())
                line.breakerTip += QLatin1Char('\n') + tr("Reason: %1").arg(b.lastReason);
            break;
        }
    }
    line.healthy = connected && line.breakerHealthy;

    // --- the connection
    QString said;
    switch (connection.state) {
    case State::Disconnected:
        line.connectionNotice = Notice::Warning;
        said = connectionText(connection.state);
        break;
    case State::Connecting:
        line.connectionNotice = Notice::Info;
        said = connection.error ? tr("Connecting… (the last attempt failed)") : connectionText(connection.state);
        break;
    case State::Connected:
        // Logged in, but green only when the breaker says vCenter answers.
        line.connectionNotice = line.healthy ? Notice::Success : Notice::Warning;
        said = connectionText(connection.state);
        if (!connection.about.fullName.isEmpty())
            said += tr(" (%1)").arg(connection.about.fullName);
        break;
    case State::NeedsOperator:
        line.connectionNotice =
            connection.error && connection.error->kind == ErrorKind::Trust ? Notice::Security : Notice::Error;
        said = waitingFor(connection);
        break;
    }
    const QString host = QUrl(connection.server).host();
    line.connection = host.isEmpty() ? said : tr("%1 — %2").arg(host, said);
    line.connectionTip = connection.error ? tr("Last error: %1").arg(connection.error->message) : connection.server;
    return line;
}

} // namespace dcm
