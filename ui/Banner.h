#pragma once

#include "ui/StateStyle.h"

#include <QFrame>
#include <QHash>
#include <QPointer>
#include <QWidget>

#include <functional>

class QLabel;
class QVBoxLayout;
class QPushButton;
class QToolButton;
class QTimer;

namespace dcm {

// A message strip inside the window: an icon and words (never colour alone), an optional action
// button, and a dismiss button. Tinted from the system palette, so it reads in light and dark themes.
class Banner final : public QFrame
{
    Q_OBJECT

public:
    explicit Banner(QWidget* parent = nullptr);

    // Shows the message; `actionText` non-empty adds a button that emits actionTriggered().
    // `autoHideMs` > 0 hides it after that time.
    void showMessage(StateStyle::Notice notice, const QString& text, const QString& actionText = {},
                     int autoHideMs = 0);
    void dismiss();
    // For a banner inside a page's layout: it keeps its place (two lines high) while hidden, and a longer
    // message is cut with its whole text as tooltip — a message coming or going never moves the content
    // under the pointer.
    void keepSpace();
    QString text() const;
    StateStyle::Notice notice() const { return m_notice; }
    QPushButton* actionButton() const { return m_action; }

Q_SIGNALS:
    void actionTriggered();
    void dismissed();

protected:
    void changeEvent(QEvent* event) override;

private:
    void applyTint();

    StateStyle::Notice m_notice = StateStyle::Notice::Info;
    bool m_tinting = false;
    QLabel* m_icon;
    QLabel* m_text;
    QPushButton* m_action;
    QToolButton* m_close;
    QTimer* m_hideTimer;
};

// The window's messages: at most one per subject ("connection", "breaker", "storage", a request's id …).
// Showing a subject again replaces its message, so a newer state never sits under an older one, and a
// subject is cleared when what it describes is over. The area floats over the top of its parent, below
// an anchor (the tab bar), outside every layout: a message appearing or going never moves the content
// under the pointer; it covers the top of the page until it is dismissed or cleared.
class BannerArea final : public QWidget
{
    Q_OBJECT

public:
    // `parent` is the widget it floats over; `anchor` (a descendant of `parent`, may be null) is the
    // widget it sits below.
    BannerArea(QWidget* parent, QWidget* anchor = nullptr);

    // Shows (or replaces) the message of `subject`. `action`, with `actionText`, runs when its button is
    // pressed. `autoHideMs` > 0 clears it after that time. Returns the message's strip.
    Banner* showMessage(const QString& subject, StateStyle::Notice notice, const QString& text,
                        const QString& actionText = {}, std::function<void()> action = {}, int autoHideMs = 0);
    void clear(const QString& subject);
    // Every subject that starts with `prefix` ("request:").
    void clearMatching(const QString& prefix);

    bool has(const QString& subject) const { return m_messages.contains(subject); }
    Banner* message(const QString& subject) const { return m_messages.value(subject); }
    QString text(const QString& subject) const;
    // The text of the message shown or replaced last; empty when there is none.
    QString text() const;
    // Subjects from top to bottom.
    QStringList subjects() const { return m_order; }
    int count() const { return int(m_order.size()); }

Q_SIGNALS:
    void changed();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void place();
    void remove(const QString& subject);

    QPointer<QWidget> m_anchor;
    QVBoxLayout* m_layout;
    QHash<QString, Banner*> m_messages;
    QHash<QString, std::function<void()>> m_actions;
    QStringList m_order;
    QString m_latest;
};

} // namespace dcm
