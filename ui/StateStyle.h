#pragma once

#include "app/service/ServiceTypes.h"
#include "domain/BreakerState.h"
#include "domain/RequestState.h"

#include <QColor>
#include <QCoreApplication>
#include <QIcon>
#include <QPalette>
#include <QString>

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

    // Makes the compiled-in icons available (the resources live in a static library).
    static void ensureResources();

private:
    static QIcon loadIcon(const QString& name);
};

} // namespace dcm
