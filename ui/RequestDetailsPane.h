#pragma once

#include "domain/ProvisioningRequest.h"

#include <QUuid>
#include <QWidget>

class QAction;
class QLabel;
class QSplitter;
class QToolButton;
class QTreeWidget;

namespace dcm {

class RequestTableModel;

// The selected request in full: what was asked for, where it stands, and its timeline (submitted,
// queued and why, each attempt numbered, the running task, the result). An error reads as a sentence
// (FaultSentence), with vCenter's raw fault one click away: "Show details" under the last error, and
// the expandable row of each error in the timeline. Each error appears once in the timeline: a step
// whose cause is the fault shown before says so instead of repeating it.
// Laid out side by side (the request on the left, the timeline on the right), so that the timeline
// keeps its height when the pane is low, as it is below the table at the window's default size.
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
    // "Step: details" of a row of the timeline.
    QString timelineText(int row) const;
    QTreeWidget* timeline() const { return m_timeline; }
    // The error under the summary, as a sentence, and vCenter's fault as it came ("Show details").
    QString errorText() const;
    QString rawErrorText() const;
    QToolButton* showErrorDetailsButton() const { return m_showRaw; }

private:
    // The summary of an operation, or a decommissioned VM's line before its provisioning rows.
    QString lifecycleRows(const ProvisioningRequest& request, const QString& provisioningRows) const;
    void refresh();

    RequestTableModel* m_model;
    QUuid m_id;
    QLabel* m_title;
    QLabel* m_state;
    QLabel* m_stateIcon;
    QLabel* m_idLabel;
    QLabel* m_summary;
    QWidget* m_errorBox;
    QLabel* m_error;
    QToolButton* m_showRaw;
    QLabel* m_rawError;
    QLabel* m_placeholder;
    QWidget* m_body;
    QSplitter* m_columns;
    QTreeWidget* m_timeline;
    QWidget* m_buttons;
};

} // namespace dcm
