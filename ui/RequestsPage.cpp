#include "ui/RequestsPage.h"

#include "domain/FaultSentence.h"
#include "ui/Banner.h"
#include "ui/DecommissionDialog.h"
#include "ui/ProgressDelegate.h"
#include "ui/RequestDetailsPane.h"
#include "ui/RequestFilterProxy.h"
#include "ui/RequestTableModel.h"
#include "ui/ServiceClient.h"
#include "ui/StateStyle.h"
#include "ui/UiFormat.h"
#include "ui/UiSettings.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QStyle>
#include <QTableView>
#include <QTimer>
#include <QUrl>
#include <QVBoxLayout>

namespace dcm {

namespace {

// The filter choices: (label, states). An empty set means every state.
struct FilterChoice
{
    const char* label;
    QSet<RequestState> states;
};

QList<FilterChoice> filterChoices()
{
    return {
        {QT_TRANSLATE_NOOP("dcm::RequestsPage", "All requests"), {}},
        {QT_TRANSLATE_NOOP("dcm::RequestsPage", "Active (not finished)"),
         {RequestState::Submitted, RequestState::Provisioning, RequestState::QueuedForProvisioning,
          RequestState::Reconciling}},
        {QT_TRANSLATE_NOOP("dcm::RequestsPage", "Queued"), {RequestState::QueuedForProvisioning}},
        {QT_TRANSLATE_NOOP("dcm::RequestsPage", "Provisioning"), {RequestState::Provisioning}},
        {QT_TRANSLATE_NOOP("dcm::RequestsPage", "Reconciling"), {RequestState::Reconciling}},
        {QT_TRANSLATE_NOOP("dcm::RequestsPage", "Provisioned"), {RequestState::Provisioned}},
        {QT_TRANSLATE_NOOP("dcm::RequestsPage", "Failed"), {RequestState::Failed}},
        {QT_TRANSLATE_NOOP("dcm::RequestsPage", "Cancelled"), {RequestState::Cancelled}},
    };
}

} // namespace

RequestsPage::RequestsPage(ServiceClient* client, UiSettings* settings, QWidget* parent)
    : QWidget(parent), m_client(client), m_settings(settings), m_model(new RequestTableModel(this)),
      m_proxy(new RequestFilterProxy(this))
{
    setObjectName(QStringLiteral("requestsPage"));
    m_proxy->setSourceModel(m_model);

    // Filter bar.
    m_stateFilter = new QComboBox;
    m_stateFilter->setObjectName(QStringLiteral("stateFilter"));
    m_stateFilter->setAccessibleName(tr("Show requests in state"));
    for (const FilterChoice& c : filterChoices()) {
        const QIcon icon = c.states.size() == 1 ? StateStyle::requestIcon(*c.states.cbegin()) : QIcon();
        m_stateFilter->addItem(icon, tr(c.label));
    }
    auto* filterLabel = new QLabel(tr("Sho&w:"));
    filterLabel->setBuddy(m_stateFilter);
    m_search = new QLineEdit;
    m_search->setObjectName(QStringLiteral("search"));
    m_search->setPlaceholderText(tr("Search by VM name or batch (Ctrl+F)"));
    m_search->setAccessibleName(tr("Search requests by VM name or batch"));
    m_search->setClearButtonEnabled(true);
    m_search->addAction(style()->standardIcon(QStyle::SP_FileDialogContentsView), QLineEdit::LeadingPosition);
    m_count = new QLabel;
    m_count->setObjectName(QStringLiteral("requestCount"));
    m_count->setForegroundRole(QPalette::PlaceholderText);
    auto* bar = new QHBoxLayout;
    bar->addWidget(filterLabel);
    bar->addWidget(m_stateFilter);
    bar->addSpacing(12);
    bar->addWidget(m_search, 1);
    bar->addSpacing(12);
    bar->addWidget(m_count);

    // Table.
    m_table = new QTableView;
    m_table->setObjectName(QStringLiteral("requestsTable"));
    m_table->setAccessibleName(tr("Requests"));
    m_table->setModel(m_proxy);
    // Progress bars, and the full text of a cut-off cell as its tooltip, in every column.
    m_table->setItemDelegate(new ProgressDelegate(m_table));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setSortingEnabled(true);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 10);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    QHeaderView* header = m_table->horizontalHeader();
    header->setHighlightSections(false);
    header->setStretchLastSection(false);
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setSectionResizeMode(RequestTableModel::LastErrorColumn, QHeaderView::Stretch);
    const int em = m_table->fontMetrics().horizontalAdvance(QLatin1Char('M'));
    m_table->setColumnWidth(RequestTableModel::NameColumn, em * 12);
    m_table->setColumnWidth(RequestTableModel::StateColumn, em * 10);
    m_table->setColumnWidth(RequestTableModel::ProgressColumn, em * 11);
    m_table->setColumnWidth(RequestTableModel::AttemptsColumn, em * 7);
    m_table->setColumnWidth(RequestTableModel::TaskColumn, em * 8);
    m_table->setColumnWidth(RequestTableModel::PlacementColumn, em * 14);
    m_table->setColumnWidth(RequestTableModel::BatchColumn, em * 9);
    m_table->setColumnWidth(RequestTableModel::SourceColumn, em * 9);
    m_table->setColumnWidth(RequestTableModel::GuestHostColumn, em * 9);
    m_table->setColumnWidth(RequestTableModel::IpAddressColumn, em * 8);
    // "14:03:12" today, "2026-01-02 14:03" before: the time of day fits, a date shows in the tooltip.
    m_table->setColumnWidth(RequestTableModel::StartedColumn, em * 7);
    m_table->setColumnWidth(RequestTableModel::FinishedColumn, em * 7);
    m_table->setColumnWidth(RequestTableModel::AgeColumn, em * 7);
    m_table->sortByColumn(RequestTableModel::AgeColumn, Qt::DescendingOrder);

    m_details = new RequestDetailsPane(m_model);
    m_banner = new Banner;
    m_banner->keepSpace();

    m_splitter = new QSplitter(Qt::Vertical);
    m_splitter->setObjectName(QStringLiteral("requestsSplitter"));
    m_splitter->addWidget(m_table);
    m_splitter->addWidget(m_details);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setChildrenCollapsible(false);
    if (!m_splitter->restoreState(settings->splitterState(QStringLiteral("requests"))))
        m_splitter->setSizes({360, 460}); // the details get room for a timeline of a dozen steps

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->addLayout(bar);
    layout->addWidget(m_banner);
    layout->addWidget(m_splitter, 1);

    // Actions.
    m_cancel = new QAction(StateStyle::requestIcon(RequestState::Cancelled), tr("&Cancel request…"), this);
    m_cancel->setObjectName(QStringLiteral("cancelRequest"));
    m_cancel->setShortcut(QKeySequence::Delete);
    m_cancel->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_cancel->setToolTip(tr("Withdraw the request; possible until it is sent to vCenter (Del)"));
    m_retry = new QAction(style()->standardIcon(QStyle::SP_BrowserReload), tr("&Retry now"), this);
    m_retry->setObjectName(QStringLiteral("retryRequest"));
    m_retry->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_retry->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_edit = new QAction(style()->standardIcon(QStyle::SP_FileDialogNewFolder), tr("&Edit and resubmit…"), this);
    m_edit->setObjectName(QStringLiteral("editAndResubmit"));
    m_edit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_edit->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_edit->setToolTip(tr("Open the New VM form with this request's spec; submitting makes a new request and "
                          "leaves this one as it is (Ctrl+E)"));
    m_copy = new QAction(tr("&Copy"), this);
    m_copy->setObjectName(QStringLiteral("copySelection"));
    m_copy->setShortcut(QKeySequence::Copy);
    m_copy->setShortcutContext(Qt::WidgetShortcut); // the search field and the details keep their own Ctrl+C
    m_copy->setToolTip(tr("Copy the selected cell: its full text, the whole error in the error column (Ctrl+C)"));
    m_copyError = new QAction(tr("Copy e&rror"), this);
    m_copyError->setObjectName(QStringLiteral("copyError"));
    m_copyError->setToolTip(tr("Copy the last error: the sentence and vCenter's fault as it came"));
    m_copyId = new QAction(tr("Copy request &id"), this);
    m_copyId->setObjectName(QStringLiteral("copyRequestId"));
    m_copyId->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    m_copyId->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_copyId->setToolTip(tr("Copy the request's id, e.g. for dcmctl requests --id (Ctrl+Shift+C)"));
    m_showBatch = new QAction(tr("Show this &batch only"), this);
    m_showBatch->setObjectName(QStringLiteral("showBatch"));
    m_showBatch->setToolTip(tr("List only the requests submitted in the same batch as this one"));
    m_copyJson = new QAction(tr("Copy as &JSON"), this);
    m_copyJson->setObjectName(QStringLiteral("copyJson"));
    m_copyJson->setToolTip(tr("Copy the request as dcmctl requests --id ID --json prints it"));
    // Operations on the VM of a provisioned request: requests of their own, through the queue.
    m_powerOn = new QAction(tr("Power &on"), this);
    m_powerOn->setObjectName(QStringLiteral("powerOnVm"));
    m_powerOn->setToolTip(tr("Power the VM on (queued while vCenter is away)"));
    m_powerOff = new QAction(tr("Power o&ff"), this);
    m_powerOff->setObjectName(QStringLiteral("powerOffVm"));
    m_powerOff->setToolTip(tr("Shut the guest down when VMware Tools run, else power the VM off; a guest still "
                              "running after %1 s is powered off hard")
                               .arg(OperationTarget::defaultGuestTimeoutSeconds));
    m_restart = new QAction(tr("Re&start"), this);
    m_restart->setObjectName(QStringLiteral("restartVm"));
    m_restart->setToolTip(tr("Reboot the guest when VMware Tools run, else reset the VM"));
    m_decommission = new QAction(tr("&Decommission…"), this);
    m_decommission->setObjectName(QStringLiteral("decommissionVm"));
    m_decommission->setToolTip(tr("Power the VM off and delete it from vCenter; asks for its name first"));
    const auto separator = [this] {
        auto* s = new QAction(this);
        s->setSeparator(true);
        return s;
    };
    // The table's context menu, in this order; the page takes the shortcuts of the ones that act on the
    // selected request wherever the focus is on the page.
    m_table->addActions({m_cancel, m_retry, m_edit, separator(), m_powerOn, m_powerOff, m_restart, m_decommission,
                         separator(), m_showBatch, separator(), m_copy, m_copyError, m_copyId, m_copyJson});
    addActions({m_cancel, m_retry, m_edit, m_copyId});
    m_details->setActions({m_cancel, m_retry, m_edit, m_copyId, m_powerOn, m_powerOff, m_restart, m_decommission});
    connect(m_powerOn, &QAction::triggered, this, [this] { operateOnSelected(RequestKind::PowerOn); });
    connect(m_powerOff, &QAction::triggered, this, [this] { operateOnSelected(RequestKind::PowerOff); });
    connect(m_restart, &QAction::triggered, this, [this] { operateOnSelected(RequestKind::Restart); });
    connect(m_decommission, &QAction::triggered, this, &RequestsPage::askToDecommissionSelected);
    connect(client, &ServiceClient::submitAnswered, this, &RequestsPage::onAnswer);
    connect(m_cancel, &QAction::triggered, this, &RequestsPage::askToCancelSelected);
    connect(m_retry, &QAction::triggered, this, &RequestsPage::retrySelected);
    connect(m_edit, &QAction::triggered, this, &RequestsPage::editSelected);
    connect(m_copy, &QAction::triggered, this, &RequestsPage::copySelection);
    connect(m_copyError, &QAction::triggered, this, &RequestsPage::copySelectedError);
    connect(m_copyId, &QAction::triggered, this, &RequestsPage::copySelectedId);
    connect(m_copyJson, &QAction::triggered, this, &RequestsPage::copySelectedJson);
    // The batch's short id in the search: the search matches the Batch column too.
    connect(m_showBatch, &QAction::triggered, this, [this] {
        const ProvisioningRequest* r = m_model->request(selectedId());
        if (const QUuid batch = r ? RequestTableModel::batchIdOf(*r) : QUuid(); !batch.isNull())
            m_search->setText(batch.toString(QUuid::WithoutBraces).left(8));
    });

    // Feeding: only the service's signals. The history is read a page at a time, filtered and searched
    // by the store: a table of 100,000 requests costs what its first 500 do.
    connect(client, &ServiceClient::requestPageLoaded, this, &RequestsPage::onPage);
    connect(m_model, &RequestTableModel::moreRequested, this, [this](const RequestCursor& cursor) {
        RequestFilter next = m_listing;
        next.olderThan = cursor;
        m_pageToken = m_client->loadRequestPage(next);
    });
    // Another queue: its history from its newest page.
    connect(client, &ServiceClient::queueChanged, this, [this] { reload(); });
    connect(client, &ServiceClient::requestChanged, m_model, &RequestTableModel::applyChange);
    connect(client, &ServiceClient::requestProgress, m_model, &RequestTableModel::applyProgress);
    const auto account = [this](const ConnectionStatus& status) {
        const QUrl url(status.server);
        m_model->setAccount(status.user, url.host().isEmpty() ? status.server : url.host());
    };
    account(client->connection());
    connect(client, &ServiceClient::connectionChanged, this, account);

    connect(m_stateFilter, &QComboBox::currentIndexChanged, this, &RequestsPage::applyStateFilter);
    // The rows at hand are filtered at once as the operator types; the store is asked once typing pauses.
    m_reloadTimer = new QTimer(this);
    m_reloadTimer->setSingleShot(true);
    m_reloadTimer->setInterval(searchDebounceMs);
    connect(m_reloadTimer, &QTimer::timeout, this, [this] { reload(); });
    connect(m_search, &QLineEdit::textChanged, m_proxy, &RequestFilterProxy::setNameFilter);
    connect(m_search, &QLineEdit::textChanged, this, [this] {
        if (m_pageToken == 0)
            return; // nothing listed from the store yet: the filter is applied to what is at hand only
        m_model->holdFetching();
        m_reloadTimer->start();
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentChanged, this, [this] {
        m_details->showRequest(selectedId());
        updateActions();
    });
    connect(m_model, &RequestTableModel::requestUpdated, this, [this](const QUuid& id) {
        if (id == m_pendingSelection && m_model->rowOf(id) >= 0) {
            selectRequest(id);
        }
        if (id == selectedId())
            updateActions();
    });
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_proxy, signal, this, &RequestsPage::updateCount);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &RequestsPage::updateCount);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &RequestsPage::updateCount);
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        if (!m_pendingSelection.isNull())
            selectRequest(m_pendingSelection);
    });

    m_stateFilter->setCurrentIndex(std::clamp(m_settings->lastChoice(QStringLiteral("requestFilter"), 0).toInt(), 0,
                                              int(filterChoices().size()) - 1));
    applyStateFilter();
    updateActions();
    updateCount();
}

void RequestsPage::applyStateFilter()
{
    const int i = std::max(0, m_stateFilter->currentIndex());
    m_proxy->setStates(filterChoices().value(i).states);
    updateCount();
    if (m_pageToken != 0 && listingFilter().states != m_listing.states) {
        m_model->holdFetching();
        reload();
    }
}

RequestFilter RequestsPage::listingFilter() const
{
    RequestFilter filter;
    const QSet<RequestState>& states = m_proxy->states();
    for (RequestState state : allRequestStates)
        if (states.contains(state))
            filter.states.append(state);
    filter.nameContains = m_search->text().trimmed();
    filter.nameOrBatch = true; // "Show this batch only" searches by the batch's short id
    filter.limit = pageSize;
    return filter;
}

void RequestsPage::reload()
{
    m_reloadTimer->stop();
    m_listing = listingFilter();
    m_pageToken = m_client->loadRequestPage(m_listing);
}

void RequestsPage::onPage(const RequestPage& page)
{
    if (page.token != m_pageToken)
        return; // an answer to a question no longer asked (the filter changed meanwhile)
    if (page.filter.olderThan)
        m_model->appendPage(page.requests, page.more);
    else
        m_model->setFirstPage(page.requests, page.total, page.more, page.filter);
    updateCount();
}

void RequestsPage::updateCount()
{
    const QLocale locale;
    const int shown = m_proxy->rowCount();
    // What the store counted for the listing (the rows not read yet included), else what is at hand.
    const int total = std::max(m_model->totalCount(), m_model->rowCount());
    m_count->setText(shown == total
                         ? tr("Requests: %1").arg(locale.toString(total))
                         : tr("Showing %1 of %2 requests").arg(locale.toString(shown), locale.toString(total)));
}

QUuid RequestsPage::selectedId() const
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    return current.isValid() ? current.data(RequestTableModel::IdRole).toUuid() : QUuid();
}

void RequestsPage::selectRequest(const QUuid& id)
{
    const int sourceRow = m_model->rowOf(id);
    if (sourceRow < 0) {
        // Not arrived yet (the service's signal is on its way): select it when it does.
        m_pendingSelection = id;
        return;
    }
    m_pendingSelection = QUuid();
    QModelIndex index = m_proxy->mapFromSource(m_model->index(sourceRow, 0));
    if (!index.isValid()) {
        // Hidden by the filter: show everything rather than hide what the operator asked for.
        m_search->clear();
        m_stateFilter->setCurrentIndex(0);
        index = m_proxy->mapFromSource(m_model->index(sourceRow, 0));
    }
    m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_table->scrollTo(index);
}

void RequestsPage::focusSearch()
{
    m_search->setFocus();
    m_search->selectAll();
}

void RequestsPage::setClock(const ClockPort& clock)
{
    m_model->setClock(clock);
}

void RequestsPage::updateActions()
{
    const ProvisioningRequest* r = m_model->request(selectedId());
    const RequestState state = r ? r->state() : RequestState::Provisioned;
    m_showBatch->setEnabled(r && !RequestTableModel::batchIdOf(*r).isNull());
    m_cancel->setEnabled(r && (state == RequestState::Submitted || state == RequestState::QueuedForProvisioning));
    // A failure that the same spec would meet again is not retried: the operator edits it instead.
    const std::optional<QString> repeats = r && state == RequestState::Failed && r->lastError()
                                               ? FaultSentence::whyRetryRepeats(*r->lastError())
                                               : std::nullopt;
    m_retry->setEnabled(r && !repeats &&
                        (state == RequestState::Failed || state == RequestState::QueuedForProvisioning));
    const QString retryTip =
        repeats ? *repeats : tr("Send a failed or queued request again as soon as the hypervisor allows (Ctrl+R)");
    m_retry->setToolTip(retryTip);
    m_retry->setStatusTip(retryTip);
    // Edit and resubmit copies a spec: an operation has none.
    m_edit->setEnabled(r != nullptr && !r->isOperation());
    // A VM to act on: a provisioning request that reached PROVISIONED and was not decommissioned.
    const bool hasVm = r && !r->isOperation() && state == RequestState::Provisioned && !r->decommissionedAt().isValid();
    for (QAction* a : {m_powerOn, m_powerOff, m_restart, m_decommission})
        a->setEnabled(hasVm);
    m_copy->setEnabled(r != nullptr);
    m_copyError->setEnabled(r && r->lastError());
    m_copyId->setEnabled(r != nullptr);
    m_copyJson->setEnabled(r != nullptr);
}

QMessageBox* RequestsPage::cancelQuestion() const
{
    return findChild<QMessageBox*>(QStringLiteral("confirmCancel"));
}

void RequestsPage::askToCancelSelected()
{
    const QUuid id = selectedId();
    const ProvisioningRequest* r = m_model->request(id);
    if (!r || cancelQuestion())
        return;
    const QString name = r->spec().name;
    // Asked without blocking: the table keeps following the service while the question is open, and a
    // request sent meanwhile answers the cancel with the service's reason.
    auto* question = new QMessageBox(QMessageBox::Question, tr("Cancel request"),
                                     tr("Cancel the request for “%1”?").arg(name), QMessageBox::NoButton, this);
    question->setObjectName(QStringLiteral("confirmCancel"));
    question->setInformativeText(tr("It has not been sent to vCenter: cancelling withdraws it for good. A new "
                                    "request is needed to create the VM later."));
    QPushButton* confirm = question->addButton(tr("Cancel request"), QMessageBox::DestructiveRole);
    confirm->setObjectName(QStringLiteral("confirmCancelButton"));
    QPushButton* keep = question->addButton(tr("Keep it"), QMessageBox::RejectRole);
    keep->setObjectName(QStringLiteral("keepRequestButton"));
    question->setDefaultButton(keep);
    question->setEscapeButton(keep);
    question->setAttribute(Qt::WA_DeleteOnClose);
    connect(question, &QMessageBox::finished, this, [this, question, confirm, id, name] {
        question->setObjectName(QString()); // answered: no longer the open question
        if (question->clickedButton() == confirm)
            cancel(id, name);
    });
    question->open();
}

void RequestsPage::cancel(const QUuid& id, const QString& name)
{
    m_cancel->setEnabled(false);
    m_client->cancel(id, [this, name](const std::optional<Error>& error) {
        if (error)
            m_banner->showMessage(StateStyle::Notice::Warning,
                                  tr("“%1” was not cancelled: %2").arg(name, error->message));
        else
            m_banner->showMessage(StateStyle::Notice::Info, tr("“%1” was cancelled.").arg(name), {}, 6000);
        updateActions();
    });
}

void RequestsPage::retrySelected()
{
    const QUuid id = selectedId();
    const ProvisioningRequest* r = m_model->request(id);
    if (!r || !m_retry->isEnabled())
        return;
    const QString name = r->spec().name;
    m_retry->setEnabled(false);
    m_client->retryNow(id, [this, name](const std::optional<Error>& error) {
        if (error)
            m_banner->showMessage(StateStyle::Notice::Warning,
                                  tr("“%1” was not retried: %2").arg(name, error->message));
        else
            m_banner->showMessage(StateStyle::Notice::Info,
                                  tr("“%1” will be sent again as soon as the hypervisor allows.").arg(name), {}, 6000);
        updateActions();
    });
}

DecommissionDialog* RequestsPage::decommissionDialog() const
{
    return findChild<DecommissionDialog*>(QStringLiteral("decommissionDialog"));
}

void RequestsPage::operateOnSelected(RequestKind kind)
{
    const ProvisioningRequest* r = m_model->request(selectedId());
    if (!r || !m_powerOn->isEnabled())
        return;
    OperationTarget target;
    target.requestId = r->id();
    submitOperation(kind, target, r->spec().name);
}

void RequestsPage::askToDecommissionSelected()
{
    const ProvisioningRequest* r = m_model->request(selectedId());
    if (!r || !m_decommission->isEnabled() || decommissionDialog())
        return;
    // Not blocking: the table keeps following the service while the operator types.
    auto* dialog = new DecommissionDialog(r->spec().name, r->vmRef(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const QUuid id = r->id();
    const QString name = r->spec().name;
    connect(dialog, &QDialog::finished, this, [this, dialog, id, name](int result) {
        dialog->setObjectName(QString()); // answered: no longer the open question
        if (result != QDialog::Accepted || !dialog->isConfirmable())
            return;
        OperationTarget target;
        target.requestId = id;
        target.guestTimeoutSeconds = dialog->guestTimeoutSeconds();
        submitOperation(RequestKind::Decommission, target, name);
    });
    dialog->open();
}

void RequestsPage::submitOperation(RequestKind kind, const OperationTarget& target, const QString& vmName)
{
    const quint64 token = m_client->submitOperation(kind, target);
    // The banner's sentence begins with it: "Power off “web-01”: Request accepted. …"
    QString verb = operationVerb(kind);
    if (!verb.isEmpty())
        verb[0] = verb[0].toUpper();
    m_operationTokens.insert(token, QStringLiteral("%1 “%2”").arg(verb, vmName));
}

void RequestsPage::onAnswer(const SubmitAnswer& answer)
{
    const auto it = m_operationTokens.constFind(answer.token);
    if (it == m_operationTokens.cend())
        return; // the form's
    const QString what = *it;
    m_operationTokens.erase(it);
    if (answer.accepted()) {
        m_banner->showMessage(StateStyle::Notice::Info, tr("%1: %2").arg(what, answer.message), {}, 8000);
        selectRequest(answer.id);
    } else {
        m_banner->showMessage(StateStyle::Notice::Warning, tr("%1 was refused: %2").arg(what, answer.message));
    }
}

void RequestsPage::editSelected()
{
    const ProvisioningRequest* r = m_model->request(selectedId());
    if (!r)
        return;
    Q_EMIT editRequested(r->spec(), r->id());
}

void RequestsPage::copied(const QString& text, const QString& what)
{
    QApplication::clipboard()->setText(text);
    m_banner->showMessage(StateStyle::Notice::Info, what, {}, 4000);
}

void RequestsPage::copySelection()
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    const ProvisioningRequest* r = m_model->request(selectedId());
    if (!current.isValid() || !r)
        return;
    if (current.column() == RequestTableModel::LastErrorColumn) {
        if (r->lastError())
            copied(UiFormat::errorReport(*r->lastError(), m_model->faultContext(*r)),
                   tr("Copied the error of “%1”.").arg(r->spec().name));
        return;
    }
    const QString text = current.data(Qt::DisplayRole).toString();
    if (text.isEmpty())
        return;
    copied(text, tr("Copied “%1”.").arg(text));
}

void RequestsPage::copySelectedError()
{
    const ProvisioningRequest* r = m_model->request(selectedId());
    if (!r || !r->lastError())
        return;
    copied(UiFormat::errorReport(*r->lastError(), m_model->faultContext(*r)),
           tr("Copied the error of “%1”.").arg(r->spec().name));
}

void RequestsPage::copySelectedId()
{
    const QUuid id = selectedId();
    if (id.isNull())
        return;
    copied(id.toString(QUuid::WithoutBraces), tr("Copied request id %1.").arg(id.toString(QUuid::WithoutBraces)));
}

void RequestsPage::copySelectedJson()
{
    const ProvisioningRequest* r = m_model->request(selectedId());
    if (!r)
        return;
    copied(QString::fromUtf8(QJsonDocument(UiFormat::requestJson(*r)).toJson(QJsonDocument::Indented)),
           tr("Copied “%1” as JSON.").arg(r->spec().name));
}

void RequestsPage::saveState()
{
    m_settings->setSplitterState(QStringLiteral("requests"), m_splitter->saveState());
    // Kept when the window closes, not at every change: writing the settings file on the GUI thread took
    // 14-24 ms at a time on a busy disk.
    m_settings->setLastChoice(QStringLiteral("requestFilter"), std::max(0, m_stateFilter->currentIndex()));
}

} // namespace dcm
