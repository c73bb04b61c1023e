// Admin mode's VM operation, through the main window against the real service: Admin > VM operation… is
// enabled only in admin mode; its picker lists the inventory's VMs (no templates) and filters them; the
// submit button needs a reason, and for decommission the VM's name typed back exactly; submitting makes
// an operation request naming the chosen VM by its moref, with its name and the reason, and the requests
// view shows the service's answer as it does for its own operations.
#include "GuiHarness.h"

#include "ui/AdminVmOperationDialog.h"
#include "ui/Banner.h"
#include "ui/MainWindow.h"
#include "ui/NotificationCenter.h"
#include "ui/RequestsPage.h"

#include <QAction>
#include <QComboBox>
#include <QLineEdit>
#include <QMenuBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QTableView>
#include <QTest>

using namespace dcm;

class TestAdminVmOperation final : public QObject
{
    Q_OBJECT

private:
    IsolatedSettings m_settingsDir;
    std::unique_ptr<GuiHarness> m_h;
    std::unique_ptr<MainWindow> m_w;

    static VmInfo vm(const QString& ref, const QString& name, const QString& power, bool isTemplate = false)
    {
        VmInfo v;
        v.ref = ref;
        v.name = name;
        v.path = QStringLiteral("/DC0/vm/legacy/%1").arg(name);
        v.powerState = power;
        v.isTemplate = isTemplate;
        return v;
    }

    // Listed names, in the picker's order, as the filter shows them.
    static QStringList listed(AdminVmOperationDialog* d)
    {
        QStringList names;
        const QAbstractItemModel* m = d->vmList()->model();
        for (int row = 0; row < m->rowCount(); ++row)
            names << m->index(row, AdminVmOperationDialog::NameColumn).data().toString();
        return names;
    }

    // Admin mode on, the dialog opened from its menu entry.
    AdminVmOperationDialog* openDialog()
    {
        if (!m_w->adminModeAction()->isChecked())
            m_w->adminModeAction()->trigger();
        [&] { QVERIFY(m_w->adminVmOperationAction()->isEnabled()); }();
        m_w->adminVmOperationAction()->trigger();
        [&] { QTRY_VERIFY(m_w->adminVmOperationDialog()); }();
        return m_w->adminVmOperationDialog();
    }

    void choose(AdminVmOperationDialog* d, RequestKind kind)
    {
        d->operationField()->setCurrentIndex(d->operationField()->findData(QVariant::fromValue(kind)));
        QVERIFY(d->kind() == kind);
    }

    std::optional<ProvisioningRequest> operationOnRef(const QString& ref)
    {
        const auto all = m_h->store->list({});
        for (const ProvisioningRequest& r : all.value())
            if (r.isOperation() && r.target().vmRef == ref)
                return r;
        return std::nullopt;
    }

private Q_SLOTS:
    void init()
    {
        m_h = std::make_unique<GuiHarness>();
        InventorySnapshot inventory = FakeHypervisor::sampleInventory();
        // VMs this product did not provision (no request key), and a template, which is no VM to act on.
        inventory.vms = {vm(QStringLiteral("vm-901"), QStringLiteral("legacy-db"), QStringLiteral("poweredOn")),
                         vm(QStringLiteral("vm-902"), QStringLiteral("legacy-web"), QStringLiteral("poweredOff")),
                         vm(QStringLiteral("vm-903"), QStringLiteral("old-tpl"), QStringLiteral("poweredOff"), true)};
        m_h->hypervisor->setInventory(inventory);
        m_w = std::make_unique<MainWindow>(m_h->client());
        m_w->notifications()->setTrayAllowed(false);
        m_w->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_w.get()));
        QVERIFY(m_h->connect());
        QTRY_VERIFY(m_w->client()->inventory().has_value()); // fetched on connecting
    }
    void cleanup()
    {
        m_w.reset();
        m_h.reset();
    }

    // Pins: the entry is in the Admin menu, disabled outside admin mode (triggering it then opens
    // nothing), enabled in it; leaving admin mode disables it and closes an open dialog.
    void theEntryNeedsAdminMode()
    {
        QAction* entry = m_w->adminVmOperationAction();
        bool inMenu = false;
        for (QAction* menu : m_w->menuBar()->actions())
            if (menu->menu() && menu->menu()->actions().contains(entry))
                inMenu = menu->text().remove(QLatin1Char('&')) == QStringLiteral("Admin");
        QVERIFY(inMenu);
        QVERIFY(!m_w->adminModeAction()->isChecked());
        QVERIFY(!entry->isEnabled());
        entry->trigger();
        QCoreApplication::processEvents();
        QVERIFY(!m_w->adminVmOperationDialog());

        m_w->adminModeAction()->trigger();
        QVERIFY(entry->isEnabled());
        entry->trigger();
        QTRY_VERIFY(m_w->adminVmOperationDialog());
        QPointer<AdminVmOperationDialog> open = m_w->adminVmOperationDialog();
        QVERIFY(open->isVisible());

        m_w->adminModeAction()->trigger();
        QVERIFY(!entry->isEnabled());
        QTRY_VERIFY(!open);
        QVERIFY(!m_w->adminVmOperationDialog());
    }

    // Pins: the picker lists the inventory's VMs with path and power state, never a template; the filter
    // matches name, path or power state.
    void thePickerListsVmsWithoutTemplatesAndFilters()
    {
        AdminVmOperationDialog* d = openDialog();
        QCOMPARE(listed(d), (QStringList{QStringLiteral("legacy-db"), QStringLiteral("legacy-web")}));
        const QAbstractItemModel* m = d->vmList()->model();
        QCOMPARE(m->index(0, AdminVmOperationDialog::PathColumn).data().toString(),
                 QStringLiteral("/DC0/vm/legacy/legacy-db"));
        QCOMPARE(m->index(0, AdminVmOperationDialog::PowerColumn).data().toString(), QStringLiteral("On"));
        QCOMPARE(m->index(1, AdminVmOperationDialog::PowerColumn).data().toString(), QStringLiteral("Off"));
        QTest::keyClicks(d->filterField(), QStringLiteral("WEB"));
        QCOMPARE(listed(d), QStringList{QStringLiteral("legacy-web")});
        d->filterField()->clear();
        QTest::keyClicks(d->filterField(), QStringLiteral("tpl"));
        QCOMPARE(listed(d), QStringList());
        d->filterField()->clear();
        QTest::keyClicks(d->filterField(), QStringLiteral("off"));
        QCOMPARE(listed(d), QStringList{QStringLiteral("legacy-web")});
    }

    // Pins: no submit without a VM or without a reason (blanks are no reason); for decommission not until
    // the chosen VM's name is typed back exactly (DecommissionDialog's rule); the guest timeout is offered
    // for power off and decommission only.
    void submitNeedsAReasonAndForDecommissionTheName()
    {
        AdminVmOperationDialog* d = openDialog();
        choose(d, RequestKind::PowerOn);
        QTest::keyClicks(d->reasonField(), QStringLiteral("host evacuation"));
        QVERIFY(!d->submitButton()->isEnabled()); // no VM chosen yet
        QVERIFY(d->selectVm(QStringLiteral("vm-901")));
        QVERIFY(d->submitButton()->isEnabled());
        QVERIFY(!d->guestTimeoutField()->isEnabled());
        d->reasonField()->setText(QStringLiteral("   "));
        QVERIFY(!d->submitButton()->isEnabled());
        d->reasonField()->clear();
        QVERIFY(!d->submitButton()->isEnabled());

        choose(d, RequestKind::Decommission);
        QVERIFY(d->guestTimeoutField()->isEnabled());
        QVERIFY(!d->typedNameField()->isHidden());
        QTest::keyClicks(d->typedNameField(), QStringLiteral("legacy-db"));
        QVERIFY(!d->submitButton()->isEnabled()); // the name alone is not enough: no reason
        QTest::keyClicks(d->reasonField(), QStringLiteral("retired by the DBA team"));
        QVERIFY(d->submitButton()->isEnabled());
        d->typedNameField()->clear();
        QTest::keyClicks(d->typedNameField(), QStringLiteral("LEGACY-DB"));
        QVERIFY(!d->submitButton()->isEnabled()); // another case is not the name
        d->typedNameField()->clear();
        QTest::keyClicks(d->typedNameField(), QStringLiteral("legacy-web"));
        QVERIFY(!d->submitButton()->isEnabled()); // another VM's name is not this one's
        QVERIFY(d->selectVm(QStringLiteral("vm-902")));
        QVERIFY(d->submitButton()->isEnabled()); // ... until that VM is the one chosen

        choose(d, RequestKind::Restart);
        QVERIFY(!d->guestTimeoutField()->isEnabled());
        QVERIFY(d->typedNameField()->isHidden());
        QVERIFY(d->submitButton()->isEnabled());

        // A VM the filter hides is not acted on, nor is the neighbour the view would make current instead.
        QTest::keyClicks(d->filterField(), QStringLiteral("legacy-db"));
        QCOMPARE(listed(d), QStringList{QStringLiteral("legacy-db")});
        QVERIFY(!d->submitButton()->isEnabled());
        QVERIFY(d->target().isNull());
        // Narrowing the filter while the chosen VM stays listed keeps it chosen.
        d->filterField()->clear();
        QVERIFY(d->selectVm(QStringLiteral("vm-902")));
        QTest::keyClicks(d->filterField(), QStringLiteral("web"));
        QCOMPARE(d->target().vmRef, QStringLiteral("vm-902"));
        QVERIFY(d->submitButton()->isEnabled());
    }

    // Pins: submitting a decommission sends the chosen VM's moref and name, the trimmed reason and the
    // guest timeout as one admin operation; the requests view shows the answer and selects the request.
    void submitSendsTheChosenVmWithTheReason()
    {
        AdminVmOperationDialog* d = openDialog();
        QTest::keyClicks(d->filterField(), QStringLiteral("web"));
        QVERIFY(d->selectVm(QStringLiteral("vm-902")));
        choose(d, RequestKind::Decommission);
        d->guestTimeoutField()->setValue(30);
        QTest::keyClicks(d->reasonField(), QStringLiteral("  retired app, ticket CHG-7  "));
        QTest::keyClicks(d->typedNameField(), QStringLiteral("legacy-web"));
        QTRY_VERIFY(d->submitButton()->isEnabled());
        QSignalSpy answers(m_w->client(), &ServiceClient::submitAnswered);
        QTest::mouseClick(d->submitButton(), Qt::LeftButton);
        QTRY_COMPARE(answers.count(), 1);
        const SubmitAnswer answer = answers.at(0).at(0).value<SubmitAnswer>();
        QVERIFY2(answer.accepted(), qPrintable(answer.message));
        QTRY_VERIFY(!m_w->adminVmOperationDialog());

        const std::optional<ProvisioningRequest> op = operationOnRef(QStringLiteral("vm-902"));
        QVERIFY(op.has_value());
        QCOMPARE(op->id(), answer.id);
        QVERIFY(op->kind() == RequestKind::Decommission);
        QVERIFY(op->target().requestId.isNull());
        QCOMPARE(op->target().vmName, QStringLiteral("legacy-web"));
        QCOMPARE(op->target().adminReason, QStringLiteral("retired app, ticket CHG-7"));
        QCOMPARE(op->target().guestTimeoutSeconds, 30);
        QVERIFY(!operationOnRef(QStringLiteral("vm-901")).has_value());

        QCOMPARE(m_w->currentView(), MainWindow::View::Requests);
        RequestsPage* page = m_w->requestsPage();
        QVERIFY2(page->banner()->text().contains(QStringLiteral("legacy-web")) &&
                     page->banner()->text().contains(answer.message),
                 qPrintable(page->banner()->text()));
        QTRY_COMPARE(page->selectedId(), answer.id);
    }

    // Pins: cancelling sends nothing.
    void cancellingSendsNothing()
    {
        AdminVmOperationDialog* d = openDialog();
        QVERIFY(d->selectVm(QStringLiteral("vm-901")));
        QTest::keyClicks(d->reasonField(), QStringLiteral("changed my mind"));
        QVERIFY(d->submitButton()->isEnabled());
        QSignalSpy answers(m_w->client(), &ServiceClient::submitAnswered);
        d->reject();
        QTRY_VERIFY(!m_w->adminVmOperationDialog());
        QCoreApplication::processEvents();
        QCOMPARE(answers.count(), 0);
        QVERIFY(!operationOnRef(QStringLiteral("vm-901")).has_value());
    }
};

QTEST_MAIN(TestAdminVmOperation)
#include "TestAdminVmOperation.moc"
