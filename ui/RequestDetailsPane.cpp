#include "ui/RequestDetailsPane.h"

#include "domain/FaultSentence.h"
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
#include <QScrollArea>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTimer>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace dcm {

namespace {

QString html(const QString& text)
{
    return text.toHtmlEscaped();
}

// The service's reasons often carry the error in its own words ("transient failure: Connection refused");
// the timeline shows the error once, as a sentence, so those words are left out of the reason. A coded
// reason is described without the argument that is the error; free text loses the error at its end.
QString reasonWithoutCause(const RequestEvent& event, const Error& cause, const Error& base)
{
    const auto described = [](const Error& e) {
        return e.vimFault.isEmpty() ? e.message : QStringLiteral("%1: %2").arg(e.vimFault, e.message);
    };
    QStringList said;
    for (const QString& s : {described(cause), cause.message, described(base), base.message})
        if (!s.isEmpty())
            said << s;
    if (!event.code.isEmpty()) {
        static const QString cut = QStringLiteral("\u0001");
        QStringList args = event.args;
        bool removed = false;
        for (QString& arg : args)
            if (said.contains(arg)) {
                arg = cut;
                removed = true;
            }
        if (!removed)
            return RequestEventText::describe(event);
        QString text = RequestEventText::describe(event.code, args);
        text.remove(cut);
        text = text.trimmed();
        while (text.endsWith(QLatin1Char(':')))
            text.chop(1);
        return text.trimmed();
    }
    QString reason = event.reason;
    for (const QString& s : std::as_const(said)) {
        if (reason == s)
            return QString();
        if (reason.endsWith(QStringLiteral(": ") + s)) {
            reason.chop(s.size() + 2);
            return reason.trimmed();
        }
    }
    return reason;
}

// QTreeView measures a row without telling the delegate how wide its columns are, so wrapped text would
// get the height of one unwrapped line per line break: the wrapping column is measured at its width.
// The other columns size themselves to their contents and are measured unwrapped.
class WrappingDelegate final : public QStyledItemDelegate
{
public:
    WrappingDelegate(QTreeView* view, int wrappingColumn)
        : QStyledItemDelegate(view), m_view(view), m_column(wrappingColumn)
    {}

    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override
    {
        if (index.column() != m_column)
            return QStyledItemDelegate::sizeHint(option, index);
        QStyleOptionViewItem opt = option;
        opt.rect =
            QRect(0, 0, std::max(1, m_view->header()->sectionSize(m_column)), std::max(1, opt.fontMetrics.height()));
        return QStyledItemDelegate::sizeHint(opt, index);
    }

private:
    QTreeView* m_view;
    int m_column;
};

// What the guest is made into, in one line. Only what the request itself holds: a saved specification is
// named, never opened (its secrets stay in vCenter).
QString customizationSummary(const GuestCustomization& c)
{
    switch (c.mode) {
    case GuestCustomization::Mode::None:
        return RequestDetailsPane::tr("none (the clone keeps the template's identity)");
    case GuestCustomization::Mode::SavedSpec:
        return RequestDetailsPane::tr("saved specification %1").arg(c.specName);
    case GuestCustomization::Mode::Linux:
        break;
    }
    QStringList parts;
    parts << (c.domain.isEmpty() ? c.hostName : c.hostName + QLatin1Char('.') + c.domain);
    if (!c.timeZone.isEmpty())
        parts << c.timeZone;
    for (qsizetype i = 0; i < c.nics.size(); ++i) {
        const NicAddress& a = c.nics.at(i);
        QString text = a.dhcp ? RequestDetailsPane::tr("NIC %1 DHCP").arg(i + 1)
                              : RequestDetailsPane::tr("NIC %1 %2/%3").arg(i + 1).arg(a.address).arg(a.prefixLength);
        if (!a.dhcp && !a.gateway.isEmpty())
            text += RequestDetailsPane::tr(" via %1").arg(a.gateway);
        parts << text;
    }
    if (!c.dnsServers.isEmpty())
        parts << RequestDetailsPane::tr("DNS %1").arg(c.dnsServers.join(QStringLiteral(", ")));
    if (!c.dnsSuffixes.isEmpty())
        parts << RequestDetailsPane::tr("search %1").arg(c.dnsSuffixes.join(QStringLiteral(", ")));
    return RequestDetailsPane::tr("Linux: %1").arg(parts.join(QStringLiteral(" · ")));
}

} // namespace

RequestDetailsPane::RequestDetailsPane(RequestTableModel* model, QWidget* parent)
    : QWidget(parent), m_model(model), m_title(new QLabel), m_state(new QLabel), m_stateIcon(new QLabel),
      m_idLabel(new QLabel), m_summary(new QLabel), m_errorBox(new QWidget), m_error(new QLabel),
      m_showRaw(new QToolButton), m_rawError(new QLabel), m_placeholder(new QLabel), m_body(new QWidget),
      m_columns(new QSplitter(Qt::Horizontal)), m_timeline(new QTreeWidget), m_buttons(new QWidget)
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

    // Left: what was asked for, and the last error.
    auto* left = new QWidget;
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 8, 0);
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    leftLayout->addWidget(m_summary);
    m_errorBox->setObjectName(QStringLiteral("errorBox"));
    auto* errorLayout = new QVBoxLayout(m_errorBox);
    errorLayout->setContentsMargins(0, 4, 0, 0);
    errorLayout->setSpacing(4);
    m_error->setObjectName(QStringLiteral("errorSentence"));
    m_error->setWordWrap(true);
    m_error->setTextFormat(Qt::PlainText);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_showRaw->setObjectName(QStringLiteral("showErrorDetails"));
    m_showRaw->setCheckable(true);
    m_showRaw->setText(tr("Show details"));
    m_showRaw->setToolTip(tr("vCenter's fault as it came: kind, code, fault name, message and details"));
    m_showRaw->setAutoRaise(true);
    m_rawError->setObjectName(QStringLiteral("errorDetails"));
    m_rawError->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_rawError->setTextFormat(Qt::PlainText);
    m_rawError->setWordWrap(true);
    m_rawError->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_rawError->setAccessibleName(tr("Raw error"));
    m_rawError->hide();
    errorLayout->addWidget(m_error);
    errorLayout->addWidget(m_showRaw, 0, Qt::AlignLeft);
    errorLayout->addWidget(m_rawError);
    leftLayout->addWidget(m_errorBox);
    leftLayout->addStretch(1);
    connect(m_showRaw, &QToolButton::toggled, this, [this](bool on) {
        m_rawError->setVisible(on);
        m_showRaw->setText(on ? tr("Hide details") : tr("Show details"));
    });
    auto* leftScroll = new QScrollArea;
    leftScroll->setWidget(left);
    leftScroll->setWidgetResizable(true);
    leftScroll->setFrameShape(QFrame::NoFrame);

    // Right: the timeline.
    auto* right = new QWidget;
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(8, 0, 0, 0);
    m_timeline->setObjectName(QStringLiteral("timeline"));
    m_timeline->setAccessibleName(tr("Request timeline"));
    m_timeline->setHeaderLabels({tr("Time"), tr("Step"), tr("Details")});
    m_timeline->setUniformRowHeights(false);
    m_timeline->setWordWrap(true);
    m_timeline->setItemDelegate(new WrappingDelegate(m_timeline, 2));
    m_timeline->setAlternatingRowColors(true);
    m_timeline->setIndentation(m_timeline->fontMetrics().horizontalAdvance(QLatin1Char('M')) * 3 / 2);
    m_timeline->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_timeline->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_timeline->header()->setStretchLastSection(true);
    // Rows are measured for the width their columns have when they are filled; when the pane is first
    // shown or resized that width changes, and wrapped details would be cut off: measure them again, once
    // the resizing is over.
    auto* relayout = new QTimer(this);
    relayout->setSingleShot(true);
    relayout->setInterval(0);
    connect(relayout, &QTimer::timeout, m_timeline, &QTreeWidget::doItemsLayout);
    connect(m_timeline->header(), &QHeaderView::sectionResized, relayout, qOverload<>(&QTimer::start));
    auto* timelineLabel = new QLabel(tr("Timeline"));
    QFont bold = timelineLabel->font();
    bold.setBold(true);
    timelineLabel->setFont(bold);
    rightLayout->addWidget(timelineLabel);
    rightLayout->addWidget(m_timeline, 1);

    m_columns->setObjectName(QStringLiteral("detailsColumns"));
    m_columns->addWidget(leftScroll);
    m_columns->addWidget(right);
    m_columns->setStretchFactor(0, 2);
    m_columns->setStretchFactor(1, 3);
    m_columns->setSizes({400, 600}); // two fifths for the request, three for its timeline
    m_columns->setChildrenCollapsible(false);
    body->addWidget(m_columns, 1);
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

QString RequestDetailsPane::lifecycleRows(const ProvisioningRequest& r, const QString& provisioningRows) const
{
    QString rows;
    const auto row = [&rows](const QString& label, const QString& value) {
        if (!value.isEmpty())
            rows += QStringLiteral("<tr><td style='padding-right:12px'><b>%1</b></td><td>%2</td></tr>")
                        .arg(html(label), html(value));
    };
    if (!r.isOperation()) {
        row(tr("Decommissioned"),
            tr("decommissioned at %1, by %2").arg(UiFormat::localDateTime(r.decommissionedAt()), r.decommissionedBy()));
        return rows + provisioningRows;
    }
    const OperationTarget& t = r.target();
    row(tr("Operation"), operationVerb(r.kind()));
    row(tr("VM"), t.vmRef.isEmpty() ? t.vmName : tr("%1 (%2)").arg(t.vmName, t.vmRef));
    row(tr("Of request"), t.requestId.isNull() ? QString() : t.requestId.toString(QUuid::WithoutBraces));
    row(tr("Admin mode"), t.adminReason);
    if (shutsGuestDown(r.kind()))
        row(tr("Guest shutdown"),
            tr("hard power-off after %1 s if the guest is still running").arg(t.guestTimeoutSeconds));
    row(tr("Requested by"), r.requestedBy());
    row(tr("Attempts"), QString::number(r.attempts()));
    row(tr("Created"), UiFormat::localDateTime(r.createdAt()));
    row(tr("Updated"), UiFormat::localDateTime(r.updatedAt()));
    return rows;
}

void RequestDetailsPane::showRequest(const QUuid& id)
{
    if (id != m_id)
        m_showRaw->setChecked(false); // another request: its error in words first
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
    const FaultContext context = m_model->faultContext(*r);
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
    row(tr("Source"), s.isClone() ? tr("template %1").arg(s.templateName) : tr("blank VM"));
    const QString cpus =
        s.cpus == 0 ? tr("vCPUs as the template") : tr("%1 vCPU (%2 per socket)").arg(s.cpus).arg(s.coresPerSocket);
    const QString memory =
        s.memoryMiB == 0 ? tr("memory as the template") : tr("%1 memory").arg(UiFormat::mebibytes(s.memoryMiB));
    if (s.isClone())
        row(tr("Hardware"),
            tr("%1 · %2 · template's disks %3 · extra disks: %4")
                .arg(cpus, memory, s.cloneDiskFormat.isEmpty() ? tr("as they are") : tr("as %1").arg(s.cloneDiskFormat),
                     disks.isEmpty() ? tr("none") : disks.join(QStringLiteral(", "))));
    else
        row(tr("Hardware"), tr("%1 · %2 · disks: %3").arg(cpus, memory, disks.join(QStringLiteral(", "))));
    if (!s.isClone())
        row(tr("Guest OS"), guest ? guest->displayName : s.guestId);
    row(tr("Placement"), QStringList{s.datacenter, compute, s.host}
                             .join(QStringLiteral(" › "))
                             .remove(QRegularExpression(QStringLiteral("( › )+$"))));
    row(tr("Storage"), s.datastore);
    QStringList nics;
    for (qsizetype i = 0; i < s.nics.size(); ++i)
        nics << tr("NIC %1: %2 (%3)").arg(i + 1).arg(s.nics.at(i).network, s.nics.at(i).adapterType);
    row(s.nics.size() == 1 ? tr("Network") : tr("Networks"),
        s.nics.size() == 1 ? tr("%1 (%2)").arg(s.primaryNetwork(), s.nics.front().adapterType)
                           : nics.join(QStringLiteral("; ")));
    if (s.isClone())
        row(tr("Customization"), customizationSummary(s.customization));
    row(tr("Folder"), s.folder.isEmpty() ? tr("(top level)") : s.folder);
    row(tr("Power on"), s.powerOn ? tr("yes") : tr("no"));
    row(tr("Annotation"), s.annotation);
    row(tr("Attempts"), QString::number(r->attempts()));
    if (r->state() == RequestState::QueuedForProvisioning)
        row(tr("Next attempt"), r->nextAttemptAt().isValid() && r->nextAttemptAt() > m_model->now()
                                    ? UiFormat::localDateTime(r->nextAttemptAt())
                                    : tr("waiting for vCenter"));
    row(tr("vCenter task"), m_model->taskOf(r->id()));
    const QString host = RequestTableModel::guestHostNameOf(*r);
    const QString ip = RequestTableModel::ipAddressOf(*r);
    QStringList identity;
    for (const QString& v : {host, ip})
        if (!v.isEmpty())
            identity << v;
    row(tr("Guest identity"), identity.join(QStringLiteral(" · ")));
    if (const QUuid batch = RequestTableModel::batchIdOf(*r); !batch.isNull())
        row(tr("Batch"), tr("%1 (%2)").arg(batch.toString(QUuid::WithoutBraces), m_model->batchLabel(*r)));
    row(tr("VM"), r->vmRef().isEmpty() ? QString() : tr("%1 (instance UUID %2)").arg(r->vmRef(), r->instanceUuid()));
    row(tr("Created"), UiFormat::localDateTime(r->createdAt()));
    row(tr("Started"), UiFormat::localDateTime(UiFormat::startedAt(*r)));
    row(tr("Finished"), UiFormat::localDateTime(UiFormat::finishedAt(*r)));
    row(tr("Updated"), UiFormat::localDateTime(r->updatedAt()));
    m_summary->setText(QStringLiteral("<table>%1</table>").arg(rows));
    // Operations have no hardware of their own, and a decommissioned VM says so (see lifecycleRows).
    if (r->isOperation() || r->decommissionedAt().isValid()) {
        m_state->setText(r->isOperation() ? stateLabel(r->kind(), r->state()) : tr("Decommissioned"));
        m_summary->setText(QStringLiteral("<table>%1</table>").arg(lifecycleRows(*r, rows)));
    }

    const bool showError = r->lastError() && (!r->isTerminal() || r->state() == RequestState::Failed);
    if (showError) {
        const QString line = UiFormat::errorLine(*r->lastError(), context);
        m_error->setText(r->state() == RequestState::Failed ? tr("Failed: %1").arg(line)
                                                            : tr("Last error: %1").arg(line));
        m_rawError->setText(FaultSentence::raw(*r->lastError()));
    }
    m_errorBox->setVisible(showError);
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
    int attempt = 0;
    std::optional<Error> shown; // the fault the timeline last put in words
    for (const RequestEvent& e : r->history()) {
        auto* item = new QTreeWidgetItem;
        item->setText(0, UiFormat::localDateTime(e.at));
        QString step = StateStyle::requestText(e.to);
        // Numbered over the whole history: an operator's retry starts a new budget of attempts, but the
        // timeline keeps counting what was sent.
        if (e.to == RequestState::Provisioning)
            step = tr("Attempt %1").arg(++attempt);
        else if (e.from == e.to && e.to == RequestState::Submitted)
            step = tr("Submitted");
        item->setIcon(1, StateStyle::requestIcon(e.to));
        item->setText(1, step);
        QString details = RequestEventText::describe(e);
        if (e.cause) {
            const Error base = FaultSentence::underlying(*e.cause);
            details = reasonWithoutCause(e, *e.cause, base);
            QString said;
            if (shown && FaultSentence::sameFault(*shown, base)) {
                const int attempts = e.cause->details.value(QStringLiteral("attempts")).toInt();
                if (!e.cause->is(ErrorCode::GaveUp))
                    said = tr("The same error as above.");
                else if (attempts == 1)
                    said = tr("Gave up after 1 attempt; the same error as above.");
                else
                    said = tr("Gave up after %1 attempts; the same error as above.").arg(attempts);
            } else {
                said = UiFormat::errorLine(*e.cause, context);
                shown = base;
                auto* raw = new QTreeWidgetItem(item);
                raw->setText(1, tr("Raw error"));
                raw->setText(2, FaultSentence::raw(*e.cause));
                raw->setFont(2, QFontDatabase::systemFont(QFontDatabase::FixedFont));
                item->setToolTip(2, FaultSentence::raw(*e.cause));
            }
            details = details.isEmpty() ? said : details + QLatin1Char('\n') + said;
        }
        item->setText(2, details);
        if (item->toolTip(2).isEmpty())
            item->setToolTip(2, details);
        items.append(item);
    }
    if (r->state() == RequestState::Provisioning) {
        const auto [percent, stage] = m_model->progressOf(r->id());
        auto* item = new QTreeWidgetItem;
        item->setText(0, tr("now"));
        item->setIcon(1, StateStyle::requestIcon(RequestState::Provisioning));
        item->setText(1, tr("vCenter task"));
        item->setText(2, percent >= 0
                             ? tr("%1 %2% %3").arg(m_model->taskOf(r->id())).arg(percent).arg(stage).simplified()
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

QString RequestDetailsPane::errorText() const
{
    return m_errorBox->isHidden() ? QString() : m_error->text();
}

QString RequestDetailsPane::rawErrorText() const
{
    return m_rawError->isHidden() ? QString() : m_rawError->text();
}

} // namespace dcm
