#pragma once

#include <QUuid>
#include <QWidget>

class QFormLayout;
class QLabel;
class QToolButton;
class QTreeWidget;
class QAction;

namespace dcm {

class RequestTableModel;

// The selected request in full: what was asked for, where it stands, and its timeline (submitted,
// queued and why, each attempt, the running task, the result or vCenter's error).
class RequestDetailsPane final : public QWidget
{
    Q_OBJECT

public:
    RequestDetailsPane(RequestTableModel* model, QWidget* parent = nullptr);

    void showRequest(const QUuid& id);
    // Constant: the rich-text summary is not measured again for every layout of the window.
    QSize sizeHint() const override { return QSize(800, 300); }
    QUuid shownId() const { return m_id; }
    // The actions shown as buttons in the pane's header.
    void setActions(const QList<QAction*>& actions);
    int timelineCount() const;
    QString timelineText(int row) const;

private:
    void refresh();

    RequestTableModel* m_model;
    QUuid m_id;
    QLabel* m_title;
    QLabel* m_state;
    QLabel* m_stateIcon;
    QLabel* m_idLabel;
    QLabel* m_summary;
    QLabel* m_error;
    QLabel* m_placeholder;
    QWidget* m_body;
    QTreeWidget* m_timeline;
    QWidget* m_buttons;
};

} // namespace dcm
