#include "ui/Banner.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QTimer>
#include <QToolButton>

#include <QVBoxLayout>
#include <algorithm>

namespace dcm {

void Banner::keepSpace()
{
    QSizePolicy policy = sizePolicy();
    policy.setRetainSizeWhenHidden(true);
    setSizePolicy(policy);
    const QMargins margins = layout()->contentsMargins();
    const int textHeight = 2 * m_text->fontMetrics().lineSpacing();
    setFixedHeight(std::max(textHeight, m_close->sizeHint().height()) + margins.top() + margins.bottom() +
                   2 * frameWidth());
}

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
    m_text->setToolTip(text);
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

// ---- BannerArea

BannerArea::BannerArea(QWidget* parent, QWidget* anchor)
    : QWidget(parent), m_anchor(anchor), m_layout(new QVBoxLayout(this))
{
    Q_ASSERT(parent);
    setObjectName(QStringLiteral("banners"));
    setAccessibleName(tr("Messages"));
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setSpacing(4);
    // Not in any layout: it follows its parent's size and its anchor's place by itself.
    parent->installEventFilter(this);
    if (anchor)
        anchor->installEventFilter(this);
    hide();
}

Banner* BannerArea::showMessage(const QString& subject, StateStyle::Notice notice, const QString& text,
                                const QString& actionText, std::function<void()> action, int autoHideMs)
{
    Banner* banner = m_messages.value(subject);
    if (!banner) {
        banner = new Banner(this);
        banner->setObjectName(QStringLiteral("banner:%1").arg(subject));
        m_layout->addWidget(banner);
        m_messages.insert(subject, banner);
        m_order.append(subject);
        connect(banner, &Banner::actionTriggered, this, [this, subject] {
            // A copy: the action may replace or clear this very message.
            const std::function<void()> run = m_actions.value(subject);
            if (run)
                run();
        });
        connect(banner, &Banner::dismissed, this, [this, subject] { remove(subject); });
    }
    m_actions.insert(subject, std::move(action));
    banner->showMessage(notice, text, actionText, autoHideMs);
    m_latest = subject;
    place();
    Q_EMIT changed();
    return banner;
}

void BannerArea::clear(const QString& subject)
{
    if (m_messages.contains(subject))
        remove(subject);
}

void BannerArea::clearMatching(const QString& prefix)
{
    const QStringList subjects = m_order;
    for (const QString& subject : subjects)
        if (subject.startsWith(prefix))
            remove(subject);
}

QString BannerArea::text(const QString& subject) const
{
    const Banner* banner = m_messages.value(subject);
    return banner ? banner->text() : QString();
}

QString BannerArea::text() const
{
    return text(m_latest);
}

void BannerArea::remove(const QString& subject)
{
    Banner* banner = m_messages.take(subject);
    if (!banner)
        return;
    m_actions.remove(subject);
    m_order.removeAll(subject);
    if (m_latest == subject)
        m_latest = m_order.isEmpty() ? QString() : m_order.constLast();
    m_layout->removeWidget(banner);
    banner->hide();
    banner->deleteLater(); // its own button's click may be what is running now
    place();
    Q_EMIT changed();
}

bool BannerArea::eventFilter(QObject* watched, QEvent* event)
{
    switch (event->type()) {
    case QEvent::Resize:
    case QEvent::Move:
    case QEvent::Show:
    case QEvent::Hide:
    case QEvent::LayoutRequest:
        if (watched == parentWidget() || watched == m_anchor)
            place();
        break;
    default:
        break;
    }
    return QWidget::eventFilter(watched, event);
}

void BannerArea::place()
{
    QWidget* over = parentWidget();
    if (m_order.isEmpty() || !over) {
        hide();
        return;
    }
    int top = 0;
    if (m_anchor && m_anchor->isVisible() && over->isAncestorOf(m_anchor))
        top = m_anchor->mapTo(over, QPoint(0, m_anchor->height())).y();
    constexpr int margin = 8;
    const int width = std::max(0, over->width() - 2 * margin);
    const int wanted =
        m_layout->hasHeightForWidth() ? m_layout->totalHeightForWidth(width) : m_layout->totalSizeHint().height();
    const int room = std::max(0, over->height() - top - margin);
    setGeometry(margin, top + margin / 2, width, std::min(wanted, room));
    show();
    raise();
}

} // namespace dcm
