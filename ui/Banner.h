#pragma once

#include "ui/StateStyle.h"

#include <QFrame>

class QLabel;
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
    QString text() const;
    StateStyle::Notice notice() const { return m_notice; }

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

} // namespace dcm
