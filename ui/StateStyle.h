#pragma once

#include "app/service/ServiceTypes.h"
#include "domain/BreakerState.h"
#include "domain/RequestState.h"

#include <QColor>
#include <QCoreApplication>
#include <QDateTime>
#include <QIcon>
#include <QPalette>
#include <QString>

#include <optional>

namespace dcm {

// How states look: every state has words and an icon whose *shape* differs (a check, a cross, a clock,
// an octagon, a padlock …), so that nothing relies on colour alone. Colours are accents only.
class StateStyle final
{
    Q_DECLARE_TR_FUNCTIONS(dcm::StateStyle)

public:
    enum class Notice
    {
        Info,
        Success,
        Warning,
        Error,
        Security, // a security stop (certificate changed)
        Trust,    // a trust decision is needed
    };

    static QIcon requestIcon(RequestState state);
    static QString requestText(RequestState state);        // "Queued", "Provisioned", …
    static QString requestDescription(RequestState state); // one sentence for tooltips

    static QIcon breakerIcon(BreakerState state);
    static QString breakerText(BreakerState state);        // "CLOSED", "OPEN", "HALF-OPEN", "HELD OPEN"
    static QString breakerDescription(BreakerState state); // what it means for requests

    static QIcon noticeIcon(Notice notice);
    // An accent colour for the notice that stays readable on the given palette (light or dark).
    static QColor accent(Notice notice, const QPalette& palette);
    static QColor accent(BreakerState state, const QPalette& palette);
    static bool isDark(const QPalette& palette);

    static QString connectionText(ConnectionStatus::State state);

    // What the status bar says about the connection and the breaker, apart, and whether all is well.
    // Healthy (the only green) needs both: connected, and the breaker CLOSED with no counted failure
    // since the last success. Every other combination says what is happening instead.
    struct StatusLine
    {
        Notice connectionNotice = Notice::Info;
        QString connection; // "vc.test — Connected (…)", "Not connected", "vc.test — Connection stopped: …"
        QString connectionTip;
        bool breakerKnown = false;
        bool breakerHealthy = false; // its icon may be the CLOSED one (green)
        Notice breakerNotice = Notice::Info;
        QString breaker; // "Breaker: OPEN — vCenter not answering, next scout in 00:27"
        QString breakerTip;
        bool healthy = false;
        bool counting = false; // the breaker text has a countdown that moves with the clock
    };
    // `now` is the service's clock (the scout's due time is on it).
    static StatusLine statusLine(const ConnectionStatus& connection, const std::optional<BreakerSnapshot>& breaker,
                                 const QDateTime& now);

    // Makes the compiled-in icons available (the resources live in a static library).
    static void ensureResources();

private:
    static QIcon loadIcon(const QString& name);
};

} // namespace dcm
