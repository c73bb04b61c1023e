#include "ui/FieldNote.h"

#include "ui/StateStyle.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>

namespace dcm {

namespace {

StateStyle::Notice noticeOf(FieldNote::Kind kind)
{
    switch (kind) {
    case FieldNote::Kind::Problem:
        return StateStyle::Notice::Error;
    case FieldNote::Kind::Warning:
        return StateStyle::Notice::Warning;
    case FieldNote::Kind::Info:
        return StateStyle::Notice::Info;
    }
    return StateStyle::Notice::Info;
}

} // namespace

FieldNote::FieldNote(Kind kind, QWidget* field, QWidget* parent)
    : QWidget(parent), m_kind(kind), m_field(field), m_icon(new QLabel(this)), m_text(new QLabel(this))
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);
    const int side = fontMetrics().height();
    m_icon->setFixedSize(side, side);
    m_icon->setPixmap(StateStyle::noticeIcon(noticeOf(kind)).pixmap(QSize(side, side), devicePixelRatioF()));
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::PlainText);
    m_text->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    layout->addWidget(m_text, 1);
    applyColour();
    hide();
}

void FieldNote::setMessages(const QStringList& messages)
{
    if (messages == m_messages)
        return;
    m_messages = messages;
    m_text->setText(messages.join(QLatin1Char('\n')));
    setVisible(!messages.isEmpty());
    if (m_field && m_kind != Kind::Info)
        m_field->setAccessibleDescription(messages.join(QLatin1Char(' ')));
}

QString FieldNote::text() const
{
    return m_text->text();
}

void FieldNote::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyColour();
}

void FieldNote::applyColour()
{
    if (m_kind == Kind::Info)
        return;
    QPalette p = m_text->palette();
    p.setColor(QPalette::WindowText, StateStyle::accent(noticeOf(m_kind), palette()));
    m_text->setPalette(p);
}

} // namespace dcm
