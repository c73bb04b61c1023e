// The requests view against the real service: cancel asks first (naming the VM), Ctrl+C copies the
// selected cell, the context menu copies the error, the id or the request as dcmctl prints it, and
// starts "edit and resubmit"; retry is refused, with its reason, for failures that would repeat; the
// timeline numbers every attempt and shows each error once as a sentence, its raw fault a click away;
// a cut-off cell shows its full text as tooltip; the timeline is readable at the window's default size.
#include "GuiHarness.h"

#include "app/cli/CtlOutput.h"
#include "domain/FaultSentence.h"
#include "domain/RequestEventText.h"
#include "domain/RetryPolicy.h"
#include "ui/Banner.h"
#include "ui/MainWindow.h"
#include "ui/NotificationCenter.h"
#include "ui/ProgressDelegate.h"
#include "ui/RequestDetailsPane.h"
#include "ui/RequestFilterProxy.h"
#include "ui/RequestTableModel.h"
#include "ui/RequestsPage.h"
#include "ui/UiSettings.h"
#include "ui/VmSpecForm.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QHeaderView>
#include <QHelpEvent>
#include <QJsonDocument>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QToolButton>
#include <QToolTip>
#include <QTreeWidget>

using namespace dcm;
using namespace std::chrono_literals;

namespace {

Error duplicateName(const QString& name)
{
    // As the adapter reports vCenter's DuplicateName: its own code, the fault's name and fields.
    Error e = Error::make(ErrorKind::Business, ErrorCode::DuplicateName,
                          QStringLiteral("The name '%1' already exists.").arg(name), QStringLiteral("DuplicateName"));
    e.details.insert(QStringLiteral("name"), name);
    e.details.insert(QStringLiteral("object"), QStringLiteral("vm-57"));
    return e;
}

Error vimFault(const QString& fault, const QString& message)
{
    return Error::make(ErrorKind::Business, QStringLiteral("vim-fault"), message, fault);
}

} // namespace

class TestRequestsPage final : public QObject
{
    Q_OBJECT

private:
    IsolatedSettings m_settingsDir;
    std::unique_ptr<GuiHarness> m_h;
    std::unique_ptr<UiSettings> m_settings;
    std::unique_ptr<ServiceClient> m_client;
    std::unique_ptr<RequestsPage> m_page;

    RequestTableModel* model() { return m_page->model(); }
    RequestState stored(const QUuid& id) { return m_h->store->get(id).value()->state(); }

    // A request that failed on its first attempt with `error`, shown and selected in the page.
    QUuid failedWith(const QString& name, const Error& error)
    {
        m_h->hypervisor->failNext(FakeHypervisor::Method::Provision, error);
        const QUuid id = m_h->service->submit(validSpec(name)).id;
        [&] { QTRY_COMPARE(stored(id), RequestState::Failed); }();
        [&] { QTRY_VERIFY(model()->request(id) && model()->request(id)->state() == RequestState::Failed); }();
        m_page->selectRequest(id);
        return id;
    }
    // The table's cell of the request (in the proxy's order) in `column`.
    QModelIndex cellOf(const QUuid& id, int column)
    {
        const QModelIndex source = model()->index(model()->rowOf(id), column);
        return m_page->proxy()->mapFromSource(source);
    }
    QStringList timeline()
    {
        QStringList rows;
        for (int i = 0; i < m_page->details()->timelineCount(); ++i)
            rows << m_page->details()->timelineText(i);
        return rows;
    }

private Q_SLOTS:
    void init()
    {
        m_h = std::make_unique<GuiHarness>();
        m_settings = std::make_unique<UiSettings>();
        m_client = m_h->client();
        m_page = std::make_unique<RequestsPage>(m_client.get(), m_settings.get());
        m_page->setClock(m_h->clock);
        m_page->resize(1240, 740);
        m_page->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
        QVERIFY(m_h->connect());
    }
    void cleanup()
    {
        m_page.reset();
        m_client.reset();
        m_settings.reset();
        m_h.reset();
    }

    // A message coming or going never moves the table under the pointer: the banner keeps its place.
    void theBannerNeverMovesTheTable()
    {
        QTRY_VERIFY(m_page->table()->isVisible());
        const QRect before = m_page->table()->geometry();
        m_page->banner()->showMessage(StateStyle::Notice::Warning,
                                      QStringLiteral("a long message that would wrap over several lines if it "
                                                     "were allowed to grow, pushing the table down while the "
                                                     "operator is about to click a row in it, which it must not"));
        QCoreApplication::processEvents();
        QCOMPARE(m_page->table()->geometry(), before);
        m_page->banner()->dismiss();
        QCoreApplication::processEvents();
        QCOMPARE(m_page->table()->geometry(), before);
    }

    // Delete asks, naming the VM; "Keep it" keeps it; confirming cancels it.
    void cancelAsksFirstNamingTheVm()
    {
        m_h->service->forceBreakerOpen(QStringLiteral("test hold"));
        const QUuid id = m_h->service->submit(validSpec(QStringLiteral("to-cancel"))).id;
        QTRY_VERIFY(model()->rowOf(id) >= 0);
        m_page->selectRequest(id);
        m_page->table()->setFocus();
        QVERIFY(m_page->cancelAction()->isEnabled());
        QTest::keyClick(m_page->table(), Qt::Key_Delete);
        QTRY_VERIFY(m_page->cancelQuestion());
        QCOMPARE(m_page->cancelQuestion()->text(), QStringLiteral("Cancel the request for “to-cancel”?"));
        QTest::mouseClick(m_page->cancelQuestion()->findChild<QPushButton*>(QStringLiteral("keepRequestButton")),
                          Qt::LeftButton);
        QTRY_VERIFY(!m_page->cancelQuestion());
        QCoreApplication::processEvents(); // a cancel would be posted to the service: let it run
        QCOMPARE(stored(id), RequestState::QueuedForProvisioning);

        m_page->cancelAction()->trigger();
        QTRY_VERIFY(m_page->cancelQuestion());
        QTest::mouseClick(m_page->cancelQuestion()->findChild<QPushButton*>(QStringLiteral("confirmCancelButton")),
                          Qt::LeftButton);
        QTRY_COMPARE(stored(id), RequestState::Cancelled);
        QTRY_VERIFY(!m_page->cancelAction()->isEnabled());
    }

    // Ctrl+C copies the selected cell: its text, or the whole error in the error column.
    void ctrlCCopiesTheSelectedCell()
    {
        const QUuid id = failedWith(QStringLiteral("to-copy"), duplicateName(QStringLiteral("to-copy")));
        QTableView* table = m_page->table();
        table->setFocus();
        table->selectionModel()->setCurrentIndex(cellOf(id, RequestTableModel::NameColumn),
                                                 QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        QApplication::clipboard()->clear();
        QTest::keyClick(table, Qt::Key_C, Qt::ControlModifier);
        QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("to-copy"));

        table->selectionModel()->setCurrentIndex(cellOf(id, RequestTableModel::LastErrorColumn),
                                                 QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        QTest::keyClick(table, Qt::Key_C, Qt::ControlModifier);
        const QString copied = QApplication::clipboard()->text();
        QVERIFY2(copied.startsWith(QStringLiteral("A VM named to-copy already exists in folder vm.")),
                 qPrintable(copied));
        QVERIFY(copied.endsWith(FaultSentence::raw(*m_h->store->get(id).value()->lastError())));
    }

    // The context menu: the actions on the request, on its VM, its batch, then the copies; JSON as dcmctl prints the
    // request.
    void contextMenuCopiesAndEdits()
    {
        const QUuid id = failedWith(QStringLiteral("menu-01"), duplicateName(QStringLiteral("menu-01")));
        QStringList names;
        for (const QAction* a : m_page->table()->actions())
            names << (a->isSeparator() ? QStringLiteral("-") : a->objectName());
        QCOMPARE(names,
                 (QStringList{QStringLiteral("cancelRequest"), QStringLiteral("retryRequest"),
                              QStringLiteral("editAndResubmit"), QStringLiteral("-"), QStringLiteral("powerOnVm"),
                              QStringLiteral("powerOffVm"), QStringLiteral("restartVm"),
                              QStringLiteral("decommissionVm"), QStringLiteral("-"), QStringLiteral("showBatch"),
                              QStringLiteral("-"), QStringLiteral("copySelection"), QStringLiteral("copyError"),
                              QStringLiteral("copyRequestId"), QStringLiteral("copyJson")}));
        QCOMPARE(m_page->table()->contextMenuPolicy(), Qt::ActionsContextMenu);

        const ProvisioningRequest request = *m_h->store->get(id).value();
        QVERIFY(m_page->copyErrorAction()->isEnabled());
        m_page->copyErrorAction()->trigger();
        QCOMPARE(QApplication::clipboard()->text(),
                 QStringLiteral("A VM named menu-01 already exists in folder vm. Choose another name or folder. "
                                "(DuplicateName)\n\n") +
                     FaultSentence::raw(*request.lastError()));

        m_page->copyJsonAction()->trigger();
        const QJsonDocument json = QJsonDocument::fromJson(QApplication::clipboard()->text().toUtf8());
        QVERIFY(json.isObject());
        QCOMPARE(json.object(), ctl::requestJson(request, true)); // `dcmctl requests --id ID --json`, one element

        m_page->copyIdAction()->trigger();
        QCOMPARE(QApplication::clipboard()->text(), id.toString(QUuid::WithoutBraces));

        QSignalSpy edit(m_page.get(), &RequestsPage::editRequested);
        QVERIFY(m_page->editAction()->isEnabled());
        m_page->editAction()->trigger();
        QCOMPARE(edit.count(), 1);
        QCOMPARE(edit.at(0).at(0).value<VmSpec>(), request.spec());
        QCOMPARE(edit.at(0).at(1).toUuid(), id);
    }

    // Retry stays off, with the reason as its tooltip, for a failure the same spec would meet again.
    void retryIsRefusedForFailuresThatWouldRepeat_data()
    {
        QTest::addColumn<Error>("error");
        QTest::addColumn<bool>("retryable");
        QTest::newRow("DuplicateName") << duplicateName(QStringLiteral("r-dup")) << false;
        QTest::newRow("InvalidVmConfig") << vimFault(QStringLiteral("InvalidVmConfig"), QStringLiteral("bad")) << false;
        QTest::newRow("InvalidArgument") << vimFault(QStringLiteral("InvalidArgument"), QStringLiteral("bad")) << false;
        QTest::newRow("invalid spec") << Error::make(ErrorKind::InvalidInput, QStringLiteral("invalid-spec"),
                                                     QStringLiteral("cpus: too many"))
                                      << false;
        QTest::newRow("InsufficientResourcesFault may clear")
            << vimFault(QStringLiteral("InsufficientResourcesFault"), QStringLiteral("no room")) << true;
    }
    void retryIsRefusedForFailuresThatWouldRepeat()
    {
        QFETCH(Error, error);
        QFETCH(bool, retryable);
        const QUuid id =
            failedWith(QStringLiteral("r-%1").arg(QLatin1String(QTest::currentDataTag())).remove(' '), error);
        QCOMPARE(m_page->selectedId(), id);
        QCOMPARE(m_page->retryAction()->isEnabled(), retryable);
        QVERIFY(m_page->editAction()->isEnabled());
        if (!retryable) {
            QVERIFY2(m_page->retryAction()->toolTip().endsWith(QStringLiteral("Edit and resubmit instead.")),
                     qPrintable(m_page->retryAction()->toolTip()));
            m_page->retryAction()->trigger(); // a shortcut cannot get past it either
            QCoreApplication::processEvents();
            QCOMPARE(stored(id), RequestState::Failed);
        } else {
            m_page->retryAction()->trigger();
            QTRY_COMPARE(stored(id), RequestState::Provisioned);
        }
    }

    // Each attempt is numbered in the timeline, across an operator's retry.
    void theTimelineNumbersEveryAttempt()
    {
        const QUuid id = failedWith(QStringLiteral("twice"),
                                    vimFault(QStringLiteral("InsufficientResourcesFault"), QStringLiteral("no room")));
        QVERIFY(m_page->retryAction()->isEnabled());
        m_page->retryAction()->trigger();
        QTRY_COMPARE(stored(id), RequestState::Provisioned);
        QTRY_COMPARE(model()->request(id)->state(), RequestState::Provisioned);
        const QStringList rows = timeline();
        QCOMPARE(rows.filter(QRegularExpression(QStringLiteral("^Attempt \\d+:"))).size(), 2);
        QVERIFY2(rows.filter(QStringLiteral("Attempt 1:")).size() == 1 &&
                     rows.filter(QStringLiteral("Attempt 2:")).size() == 1,
                 qPrintable(rows.join(QLatin1Char('\n'))));
        QVERIFY(rows.back().startsWith(QStringLiteral("Provisioned")));
    }

    // The same fault on several steps is put in words once; the last error's raw fault is one click away.
    void eachErrorAppearsOnceWithItsRawFaultAClickAway()
    {
        const QDateTime t0 = m_h->clock.utcNow();
        const Error refused =
            Error::make(ErrorKind::Transient, ErrorCode::ConnectionRefused, QStringLiteral("Connection refused"));
        ProvisioningRequest r(QUuid::createUuid(), validSpec(QStringLiteral("flaky")), t0);
        int s = 0;
        const auto step = [&](RequestState to, const auto& reason, const std::optional<Error>& cause = {}) {
            const auto ok = cause ? r.transitionTo(to, reason, t0.addSecs(++s), *cause)
                                  : r.transitionTo(to, reason, t0.addSecs(++s));
            QVERIFY(ok.ok());
        };
        namespace Why = RequestEventText;
        // As the service records these steps: a code whose argument is the error as it came. The first
        // failure as a step stored before codes existed: free text that ends with the error.
        step(RequestState::Provisioning, Why::reason(Why::kSent));
        step(RequestState::QueuedForProvisioning, QStringLiteral("transient failure: Connection refused"), refused);
        step(RequestState::Provisioning, Why::reason(Why::kSent));
        step(RequestState::QueuedForProvisioning, Why::reason(Why::kTransientFailure, {refused.message}), refused);
        step(RequestState::Provisioning, Why::reason(Why::kSent));
        const Error gaveUp = RetryPolicy::gaveUpError(3, refused);
        step(RequestState::Failed, Why::reason(Why::kFailed, {gaveUp.message}), gaveUp);
        model()->setRequests({r});
        m_page->selectRequest(r.id());
        RequestDetailsPane* details = m_page->details();
        QCOMPARE(details->shownId(), r.id());

        const QString all = timeline().join(QLatin1Char('\n'));
        QCOMPARE(all.count(QStringLiteral("vCenter at vc.test refused the connection")), 1);
        QCOMPARE(all.count(QStringLiteral("Connection refused")), 0); // the raw words only behind a click
        QVERIFY2(timeline().at(2).startsWith(QStringLiteral("Queued: transient failure\nvCenter at vc.test refused")),
                 qPrintable(timeline().at(2)));
        QCOMPARE(timeline().at(4), QStringLiteral("Queued: transient failure\nThe same error as above."));
        QCOMPARE(timeline().back(), QStringLiteral("Failed: Gave up after 3 attempts; the same error as above."));
        // The raw fault of the error put in words is the row's child: one click on its arrow.
        QTreeWidgetItem* first = details->timeline()->topLevelItem(2);
        QCOMPARE(first->childCount(), 1);
        QCOMPARE(first->child(0)->text(2), FaultSentence::raw(refused));
        QCOMPARE(details->timeline()->topLevelItem(4)->childCount(), 0);

        // Under the summary: the last error as a sentence; the raw fault after "Show details".
        QCOMPARE(details->errorText(),
                 QStringLiteral("Failed: Gave up after 3 attempts. vCenter at vc.test refused the "
                                "connection. It is down or restarting, or a firewall blocks it; "
                                "waiting requests are sent when it answers again."));
        QCOMPARE(details->rawErrorText(), QString());
        QTest::mouseClick(details->showErrorDetailsButton(), Qt::LeftButton);
        QCOMPARE(details->rawErrorText(), FaultSentence::raw(gaveUp));
        QVERIFY(details->rawErrorText().contains(QStringLiteral("code: gave-up")));
    }

    // A cell whose text is cut off shows all of it as tooltip; one that fits shows the column's own.
    void cutOffCellsShowTheirFullTextAsTooltip()
    {
        const QString longName = QStringLiteral("a-very-long-name-for-a-vm-that-does-not-fit-the-column-01");
        m_h->service->forceBreakerOpen(QStringLiteral("hold"));
        const QUuid id = m_h->service->submit(validSpec(longName)).id;
        QTRY_VERIFY(model()->rowOf(id) >= 0);
        QTableView* table = m_page->table();
        table->setColumnWidth(RequestTableModel::NameColumn, 80);
        const auto showTip = [&](const QModelIndex& index) {
            const QPoint at = table->visualRect(index).center();
            QHelpEvent event(QEvent::ToolTip, at, table->viewport()->mapToGlobal(at));
            QApplication::sendEvent(table->viewport(), &event);
        };
        QToolTip::hideText();
        showTip(cellOf(id, RequestTableModel::NameColumn));
        QTRY_VERIFY(QToolTip::isVisible());
        QCOMPARE(QToolTip::text(), longName);

        auto* delegate = qobject_cast<ProgressDelegate*>(table->itemDelegate());
        QVERIFY(delegate);
        QStyleOptionViewItem option;
        option.initFrom(table->viewport());
        option.widget = table;
        option.rect = table->visualRect(cellOf(id, RequestTableModel::StateColumn));
        QVERIFY(!delegate->isCutOff(option, cellOf(id, RequestTableModel::StateColumn)));
        QCOMPARE(delegate->toolTip(option, cellOf(id, RequestTableModel::StateColumn)),
                 cellOf(id, RequestTableModel::StateColumn).data(Qt::ToolTipRole).toString());
        table->setColumnWidth(RequestTableModel::NameColumn, 2000);
        option.rect = table->visualRect(cellOf(id, RequestTableModel::NameColumn));
        QVERIFY(!delegate->isCutOff(option, cellOf(id, RequestTableModel::NameColumn)));
    }

    // At the window's default size, a typical timeline shows every row without scrolling, and its
    // details column is wide enough to read.
    void theTimelineIsReadableAtTheDefaultWindowSize()
    {
        m_page.reset();
        MainWindow window(m_h->client());
        window.notifications()->setTrayAllowed(false);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.size(), QSize(1240, 820)); // the default, with no geometry remembered
        window.showView(MainWindow::View::Requests);
        RequestsPage* page = window.requestsPage();
        // Queued by an outage, two attempts that failed and one that worked: 7 rows, 2 of them two lines.
        m_h->hypervisor->failNext(
            FakeHypervisor::Method::Provision,
            Error::make(ErrorKind::Transient, ErrorCode::ConnectionRefused, QStringLiteral("Connection refused")), 2);
        m_h->service->forceBreakerOpen(QStringLiteral("outage"));
        const QUuid id = m_h->service->submit(validSpec(QStringLiteral("typical"))).id;
        m_h->service->resetBreaker(QStringLiteral("over"));
        // Each failed attempt waits for its backoff: the clock moves past it and the service looks again.
        for (int attempt = 1; attempt <= 2; ++attempt) {
            QTRY_VERIFY(m_h->store->get(id).value()->attempts() == attempt &&
                        stored(id) == RequestState::QueuedForProvisioning);
            m_h->clock.advance(10min);
            m_h->service->tick();
        }
        QTRY_COMPARE(stored(id), RequestState::Provisioned);
        QTRY_VERIFY(page->model()->request(id) && page->model()->request(id)->state() == RequestState::Provisioned);
        page->selectRequest(id);
        QTreeWidget* timeline = page->details()->timeline();
        QVERIFY2(timeline->topLevelItemCount() >= 7, qPrintable(QString::number(timeline->topLevelItemCount())));
        QCoreApplication::processEvents(); // let the layout settle
        const QRect last = timeline->visualItemRect(timeline->topLevelItem(timeline->topLevelItemCount() - 1));
        QVERIFY2(last.isValid() && last.bottom() <= timeline->viewport()->height(),
                 qPrintable(QStringLiteral("last row ends at %1, the timeline shows %2 px")
                                .arg(last.bottom())
                                .arg(timeline->viewport()->height())));
        const int averageChar = timeline->fontMetrics().averageCharWidth();
        QVERIFY2(timeline->columnWidth(2) >= 40 * averageChar,
                 qPrintable(QStringLiteral("details column %1 px").arg(timeline->columnWidth(2))));
    }

    // Edit and resubmit through the window: the form, prefilled; a new request; the old one kept.
    void editAndResubmitMakesANewRequestAndKeepsTheOld()
    {
        m_page.reset();
        MainWindow window(m_h->client());
        window.notifications()->setTrayAllowed(false);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.vmSpecForm()->refreshInventory(); // the service was connected before the window
        QTRY_VERIFY(window.vmSpecForm()->hasInventory());
        RequestsPage* page = window.requestsPage();
        m_h->hypervisor->failNext(FakeHypervisor::Method::Provision, duplicateName(QStringLiteral("dup-01")));
        const QUuid old = m_h->service->submit(validSpec(QStringLiteral("dup-01"))).id;
        QTRY_VERIFY(page->model()->request(old) && page->model()->request(old)->state() == RequestState::Failed);
        window.showView(MainWindow::View::Requests);
        page->selectRequest(old);
        QVERIFY(!page->retryAction()->isEnabled());
        page->editAction()->trigger();
        QCOMPARE(int(window.currentView()), int(MainWindow::View::NewVm));
        VmSpecForm* form = window.vmSpecForm();
        QCOMPARE(form->spec().name, QStringLiteral("dup-01"));
        QCOMPARE(form->spec().cpus, validSpec().cpus);
        auto* name = form->findChild<QLineEdit*>(QStringLiteral("name"));
        name->setText(QStringLiteral("dup-02"));
        auto* submit = form->findChild<QPushButton*>(QStringLiteral("submit"));
        QTRY_VERIFY(submit->isEnabled());
        QSignalSpy answered(window.client(), &ServiceClient::submitAnswered);
        QTest::mouseClick(submit, Qt::LeftButton);
        QTRY_COMPARE(answered.count(), 1);
        const SubmitAnswer answer = answered.at(0).at(0).value<SubmitAnswer>();
        QVERIFY(answer.accepted());
        QVERIFY(answer.id != old);
        QTRY_COMPARE(stored(answer.id), RequestState::Provisioned);
        QCOMPARE(stored(old), RequestState::Failed);
        QCOMPARE(m_h->store->get(answer.id).value()->spec().name, QStringLiteral("dup-02"));
    }
};

QTEST_MAIN(TestRequestsPage)
#include "TestRequestsPage.moc"
