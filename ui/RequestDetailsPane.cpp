#include "ui/RequestDetailsPane.h"

#include "domain/GuestOsCatalog.h"
#include "domain/RequestEventText.h"
#include "ui/RequestTableModel.h"
#include "ui/StateStyle.h"
#include "ui/UiFormat.h"

#include <QAction>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QRegularExpression>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace dcm {

namespace {

QString describe(const Error& e)
{
    QString text = toString(e.kind);
    if (!e.vimFault.isEmpty())
        text += QStringLiteral(" · ") + e.vimFault;
    else if (!e.code.isEmpty())
        text += QStringLiteral(" · ") + e.code;
    return text + QStringLiteral(": ") + e.message;
}

QString html(const QString& text)
{
    return text.toHtmlEscaped();
}

} // namespace

RequestDetailsPane::RequestDetailsPane(RequestTableModel* model, QWidget* parent)
    : QWidget(parent), m_model(model), m_title(new QLabel), m_state(new QLabel), m_stateIcon(new QLabel),
      m_idLabel(new QLabel), m_summary(new QLabel), m_error(new QLabel), m_placeholder(new QLabel), m_body(new QWidget),
      m_timeline(new QTreeWidget), m_buttons(new QWidget)
{
    setObjectName(QStringLiteral("requestDetails"));
    setAccessibleName(tr("Request details"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);

    m_placeholder->setText(tr("Select a request to see its details and timeline."));
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(m_placeholder, 1);

    auto* body = new QVBoxLayout(m_body);
    body->setContentsMargins(0, 0, 0, 0);
    auto* header = new QHBoxLayout;
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.35);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_stateIcon->setFixedSize(20, 20);
    header->addWidget(m_title);
    header->addSpacing(8);
    header->addWidget(m_stateIcon);
    header->addWidget(m_state);
    header->addStretch(1);
    auto* buttons = new QHBoxLayout(m_buttons);
    buttons->setContentsMargins(0, 0, 0, 0);
    header->addWidget(m_buttons);
    body->addLayout(header);

    m_idLabel->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_idLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_idLabel->setForegroundRole(QPalette::PlaceholderText);
    body->addWidget(m_idLabel);
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    body->addWidget(m_summary);
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    body->addWidget(m_error);

    m_timeline->setObjectName(QStringLiteral("timeline"));
    m_timeline->setAccessibleName(tr("Request timeline"));
    m_timeline->setHeaderLabels({tr("Time"), tr("Step"), tr("Details")});
    m_timeline->setRootIsDecorated(false);
    m_timeline->setUniformRowHeights(false);
    m_timeline->setWordWrap(true);
    m_timeline->setAlternatingRowColors(true);
    m_timeline->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_timeline->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_timeline->header()->setStretchLastSection(true);
    auto* timelineLabel = new QLabel(tr("Timeline"));
    QFont bold = timelineLabel->font();
    bold.setBold(true);
    timelineLabel->setFont(bold);
    body->addWidget(timelineLabel);
    body->addWidget(m_timeline, 1);
    layout->addWidget(m_body, 1);
    m_body->hide();

    connect(model, &RequestTableModel::requestUpdated, this, [this](const QUuid& id) {
        if (id == m_id)
            refresh();
    });
    connect(model, &QAbstractItemModel::modelReset, this, &RequestDetailsPane::refresh);
}

void RequestDetailsPane::setActions(const QList<QAction*>& actions)
{
    for (QAction* action : actions) {
        auto* button = new QToolButton(m_buttons);
        button->setDefaultAction(action);
        button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        m_buttons->layout()->addWidget(button);
    }
}

void RequestDetailsPane::showRequest(const QUuid& id)
{
    m_id = id;
    refresh();
}

void RequestDetailsPane::refresh()
{
    const ProvisioningRequest* r = m_id.isNull() ? nullptr : m_model->request(m_id);
    m_placeholder->setVisible(r == nullptr);
    m_body->setVisible(r != nullptr);
    if (!r)
        return;
    const VmSpec& s = r->spec();
    m_title->setText(s.name);
    m_stateIcon->setPixmap(StateStyle::requestIcon(r->state()).pixmap(QSize(20, 20), devicePixelRatioF()));
    m_state->setText(StateStyle::requestText(r->state()));
    m_state->setToolTip(StateStyle::requestDescription(r->state()));
    m_idLabel->setText(tr("Request %1").arg(r->id().toString(QUuid::WithoutBraces)));

    QStringList disks;
    for (const DiskSpec& d : s.disks)
        disks << tr("%1 %2").arg(UiFormat::mebibytes(d.sizeMiB), d.thin ? tr("thin") : tr("thick"));
    const auto guest = GuestOsCatalog::find(s.guestId.isEmpty() ? GuestOsCatalog::defaultId() : s.guestId);
    const QString compute = s.cluster.isEmpty() ? s.resourcePool : s.cluster;
    QString rows;
    const auto row = [&rows](const QString& label, const QString& value) {
        if (!value.isEmpty())
            rows += QStringLiteral("<tr><td style='padding-right:12px'><b>%1</b></td><td>%2</td></tr>")
                        .arg(html(label), html(value));
    };
    row(tr("Hardware"), tr("%1 vCPU (%2 per socket) · %3 memory · disks: %4")
                            .arg(s.cpus)
                            .arg(s.coresPerSocket)
                            .arg(UiFormat::mebibytes(s.memoryMiB), disks.join(QStringLiteral(", "))));
    row(tr("Guest OS"), guest ? guest->displayName : s.guestId);
    row(tr("Placement"), QStringList{s.datacenter, compute, s.host}
                             .join(QStringLiteral(" › "))
                             .remove(QRegularExpression(QStringLiteral("( › )+$"))));
    row(tr("Storage"), s.datastore);
    row(tr("Network"), s.network);
    row(tr("Folder"), s.folder.isEmpty() ? tr("(top level)") : s.folder);
    row(tr("Power on"), s.powerOn ? tr("yes") : tr("no"));
    row(tr("Annotation"), s.annotation);
    row(tr("Attempts"), QString::number(r->attempts()));
    if (r->state() == RequestState::QueuedForProvisioning && r->nextAttemptAt().isValid())
        row(tr("Next attempt"), UiFormat::localDateTime(r->nextAttemptAt()));
    row(tr("VM"), r->vmRef().isEmpty() ? QString() : tr("%1 (instance UUID %2)").arg(r->vmRef(), r->instanceUuid()));
    row(tr("Created"), UiFormat::localDateTime(r->createdAt()));
    row(tr("Updated"), UiFormat::localDateTime(r->updatedAt()));
    m_summary->setText(QStringLiteral("<table>%1</table>").arg(rows));

    if (r->lastError() && !r->isTerminal()) {
        m_error->setText(tr("Last error: %1").arg(describe(*r->lastError())));
        m_error->show();
    } else if (r->lastError() && r->state() == RequestState::Failed) {
        m_error->setText(tr("vCenter said: %1").arg(describe(*r->lastError())));
        m_error->show();
    } else {
        m_error->hide();
    }
    QPalette errorPalette = m_error->palette();
    errorPalette.setColor(QPalette::WindowText, StateStyle::accent(StateStyle::Notice::Error, palette()));
    m_error->setPalette(errorPalette);

    m_timeline->clear();
    QList<QTreeWidgetItem*> items;
    // The history holds the steps after the request was stored; its birth is the first line.
    auto* born = new QTreeWidgetItem;
    born->setText(0, UiFormat::localDateTime(r->createdAt()));
    born->setIcon(1, StateStyle::requestIcon(RequestState::Submitted));
    born->setText(1, tr("Submitted"));
    born->setText(2, tr("stored durably; the request will not be lost"));
    items.append(born);
    for (const RequestEvent& e : r->history()) {
        auto* item = new QTreeWidgetItem;
        item->setText(0, UiFormat::localDateTime(e.at));
        QString step = StateStyle::requestText(e.to);
        if (e.to == RequestState::Provisioning)
            step = tr("Attempt %1").arg(e.attempts);
        else if (e.from == e.to && e.to == RequestState::Submitted)
            step = tr("Submitted");
        item->setIcon(1, StateStyle::requestIcon(e.to));
        item->setText(1, step);
        QString details = RequestEventText::describe(e);
        if (e.cause)
            details += (details.isEmpty() ? QString() : QStringLiteral("\n")) + describe(*e.cause);
        item->setText(2, details);
        item->setToolTip(2, details);
        items.append(item);
    }
    if (r->state() == RequestState::Provisioning) {
        const auto [percent, stage] = m_model->progressOf(r->id());
        auto* item = new QTreeWidgetItem;
        item->setText(0, tr("now"));
        item->setIcon(1, StateStyle::requestIcon(RequestState::Provisioning));
        item->setText(1, tr("vCenter task"));
        item->setText(2, percent >= 0 ? tr("%1 %2% %3").arg(r->taskRef()).arg(percent).arg(stage).simplified()
                                      : tr("waiting for vCenter's task to report"));
        items.append(item);
    }
    m_timeline->addTopLevelItems(items);
}

int RequestDetailsPane::timelineCount() const
{
    return m_timeline->topLevelItemCount();
}

QString RequestDetailsPane::timelineText(int row) const
{
    const QTreeWidgetItem* item = m_timeline->topLevelItem(row);
    return item ? item->text(1) + QStringLiteral(": ") + item->text(2) : QString();
}

} // namespace dcm
