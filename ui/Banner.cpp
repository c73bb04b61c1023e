#include "ui/Banner.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QTimer>
#include <QToolButton>

namespace dcm {

Banner::Banner(QWidget* parent)
    : QFrame(parent), m_icon(new QLabel(this)), m_text(new QLabel(this)), m_action(new QPushButton(this)),
      m_close(new QToolButton(this)), m_hideTimer(new QTimer(this))
{
    setObjectName(QStringLiteral("banner"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 6, 6);
    layout->setSpacing(10);
    m_icon->setFixedSize(20, 20);
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_text->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    m_action->setVisible(false);
    m_close->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    m_close->setAutoRaise(true);
    m_close->setToolTip(tr("Dismiss"));
    m_close->setAccessibleName(tr("Dismiss message"));
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_action, 0, Qt::AlignVCenter);
    layout->addWidget(m_close, 0, Qt::AlignTop);
    m_hideTimer->setSingleShot(true);
    connect(m_hideTimer, &QTimer::timeout, this, &Banner::dismiss);
    connect(m_close, &QToolButton::clicked, this, &Banner::dismiss);
    connect(m_action, &QPushButton::clicked, this, &Banner::actionTriggered);
    setAccessibleName(tr("Message"));
    hide();
}

void Banner::showMessage(StateStyle::Notice notice, const QString& text, const QString& actionText, int autoHideMs)
{
    m_notice = notice;
    m_icon->setPixmap(StateStyle::noticeIcon(notice).pixmap(QSize(20, 20), devicePixelRatioF()));
    m_text->setText(text);
    m_action->setText(actionText);
    m_action->setVisible(!actionText.isEmpty());
    setAccessibleDescription(text);
    applyTint();
    show();
    if (autoHideMs > 0)
        m_hideTimer->start(autoHideMs);
    else
        m_hideTimer->stop();
}

void Banner::dismiss()
{
    m_hideTimer->stop();
    if (isHidden())
        return;
    hide();
    Q_EMIT dismissed();
}

QString Banner::text() const
{
    return m_text->text();
}

void Banner::changeEvent(QEvent* event)
{
    QFrame::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange) {
        // Re-tint from the new system palette (light <-> dark switch) without recursing.
        if (!m_tinting)
            applyTint();
    }
}

void Banner::applyTint()
{
    m_tinting = true;
    QPalette p = parentWidget() ? parentWidget()->palette() : palette();
    const QColor accent = StateStyle::accent(m_notice, p);
    const QColor base = p.color(QPalette::Window);
    // 14% of the accent over the window colour: a tint that keeps the palette's text readable.
    const auto mix = [&](int a, int b) { return (a * 86 + b * 14) / 100; };
    const QColor tint(mix(base.red(), accent.red()), mix(base.green(), accent.green()),
                      mix(base.blue(), accent.blue()));
    p.setColor(QPalette::Window, tint);
    p.setColor(QPalette::Light, accent);
    p.setColor(QPalette::Dark, accent);
    p.setColor(QPalette::Mid, accent);
    setPalette(p);
    m_tinting = false;
}

} // namespace dcm
