// Power and decommission from the requests view, against the real service: the actions exist only for a
// provisioned request with a VM; each makes an operation request that shows in the table with its
// target and its state in an operator's words; decommission asks for the VM's name typed back (its
// button enabled only when the name matches) and marks the provisioning request decommissioned.
#include "GuiHarness.h"

#include "ui/Banner.h"
#include "ui/DecommissionDialog.h"
#include "ui/RequestTableModel.h"
#include "ui/RequestsPage.h"
#include "ui/UiSettings.h"

#include <QAction>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTest>

using namespace dcm;

class TestRequestOperations final : public QObject
{
    Q_OBJECT

private:
    IsolatedSettings m_settingsDir;
    std::unique_ptr<GuiHarness> m_h;
    std::unique_ptr<UiSettings> m_settings;
    std::unique_ptr<ServiceClient> m_client;
    std::unique_ptr<RequestsPage> m_page;

    RequestTableModel* model() { return m_page->model(); }
    ProvisioningRequest stored(const QUuid& id) { return *m_h->store->get(id).value(); }

    // A request provisioned through the service (its VM in the fake's model), shown and selected.
    QUuid provisioned(const QString& name)
    {
        VmSpec spec = validSpec(name);
        spec.powerOn = true;
        const QUuid id = m_h->service->submit(spec).id;
        [&] { QTRY_COMPARE(stored(id).state(), RequestState::Provisioned); }();
        [&] { QTRY_VERIFY(model()->request(id) && model()->request(id)->state() == RequestState::Provisioned); }();
        m_page->selectRequest(id);
        return id;
    }

    // The operation the service stored for provisioning request `of`, once the table shows it.
    std::optional<ProvisioningRequest> operationOn(const QUuid& of, RequestKind kind)
    {
        const auto all = m_h->store->list({});
        for (const ProvisioningRequest& r : all.value())
            if (r.isOperation() && r.kind() == kind && r.target().requestId == of)
                return r;
        return std::nullopt;
    }

    QString cell(const QUuid& id, int column) { return model()->index(model()->rowOf(id), column).data().toString(); }

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

    // Pins: the actions are in the table's context menu, enabled for a provisioned request only; not for
    // one still queued, nor for an operation itself.
    void theActionsNeedAProvisionedRequest()
    {
        const QList<QAction*> menu = m_page->table()->actions();
        for (QAction* a :
             {m_page->powerOnAction(), m_page->powerOffAction(), m_page->restartAction(), m_page->decommissionAction()})
            QVERIFY2(menu.contains(a), qPrintable(a->text()));

        m_h->service->forceBreakerOpen(QStringLiteral("maintenance"));
        const QUuid queued = m_h->service->submit(validSpec(QStringLiteral("queued-01"))).id;
        QTRY_VERIFY(model()->request(queued));
        m_page->selectRequest(queued);
        QTRY_COMPARE(m_page->selectedId(), queued);
        QVERIFY(!m_page->powerOffAction()->isEnabled());
        QVERIFY(!m_page->decommissionAction()->isEnabled());
        m_h->service->resetBreaker(QStringLiteral("over"));

        const QUuid vm = provisioned(QStringLiteral("web-01"));
        QTRY_COMPARE(m_page->selectedId(), vm);
        QVERIFY(m_page->powerOnAction()->isEnabled());
        QVERIFY(m_page->powerOffAction()->isEnabled());
        QVERIFY(m_page->restartAction()->isEnabled());
        QVERIFY(m_page->decommissionAction()->isEnabled());
    }

    // Pins: Power off makes an operation request, which the table shows with its target and reads "Done"
    // once the VM is off; the new request is selected and the answer is in the page's banner.
    void powerOffShowsTheOperationWithItsTarget()
    {
        const QUuid vm = provisioned(QStringLiteral("web-01"));
        const QString ref = stored(vm).vmRef();
        QTRY_VERIFY(m_page->powerOffAction()->isEnabled());
        QSignalSpy answers(m_client.get(), &ServiceClient::submitAnswered);
        m_page->powerOffAction()->trigger();
        QTRY_COMPARE(answers.count(), 1);
        QTRY_VERIFY(operationOn(vm, RequestKind::PowerOff).has_value());
        const QUuid op = operationOn(vm, RequestKind::PowerOff)->id();
        QTRY_VERIFY(model()->request(op) && model()->request(op)->state() == RequestState::Provisioned);
        QCOMPARE(cell(op, RequestTableModel::StateColumn), QStringLiteral("Done"));
        QVERIFY2(cell(op, RequestTableModel::NameColumn).contains(QStringLiteral("web-01")),
                 qPrintable(cell(op, RequestTableModel::NameColumn)));
        const QString target = cell(op, RequestTableModel::PlacementColumn);
        QVERIFY2(target.contains(ref) && target.contains(vm.toString(QUuid::WithoutBraces).left(8)),
                 qPrintable(target));
        QTRY_COMPARE(m_page->selectedId(), op);
        QVERIFY(m_h->hypervisor->operationsOn(ref).last() == VmOperation::PowerOff);
        // An operation is not a VM: it has no power actions of its own.
        QVERIFY(!m_page->powerOnAction()->isEnabled());
    }

    // Pins: Decommission opens the typed-name question; its button is enabled only while the typed text is
    // exactly the VM's name; keeping the VM sends nothing.
    void decommissionAsksForTheNameTypedBack()
    {
        const QUuid vm = provisioned(QStringLiteral("web-01"));
        QTRY_VERIFY(m_page->decommissionAction()->isEnabled());
        m_page->decommissionAction()->trigger();
        QTRY_VERIFY(m_page->decommissionDialog());
        DecommissionDialog* dialog = m_page->decommissionDialog();
        QCOMPARE(dialog->vmName(), QStringLiteral("web-01"));
        QVERIFY(!dialog->confirmButton()->isEnabled());
        QTest::keyClicks(dialog->nameField(), QStringLiteral("web-0"));
        QVERIFY(!dialog->confirmButton()->isEnabled());
        QTest::keyClicks(dialog->nameField(), QStringLiteral("1 "));
        QVERIFY(!dialog->confirmButton()->isEnabled()); // a trailing space is not the name
        dialog->nameField()->clear();
        QTest::keyClicks(dialog->nameField(), QStringLiteral("WEB-01"));
        QVERIFY(!dialog->confirmButton()->isEnabled()); // nor another case
        dialog->nameField()->clear();
        QTest::keyClicks(dialog->nameField(), QStringLiteral("web-01"));
        QVERIFY(dialog->confirmButton()->isEnabled());
        QSignalSpy answers(m_client.get(), &ServiceClient::submitAnswered);
        dialog->reject();
        QTRY_VERIFY(!m_page->decommissionDialog());
        QCoreApplication::processEvents();
        QCOMPARE(answers.count(), 0);
        QVERIFY(!operationOn(vm, RequestKind::Decommission).has_value());
    }

    // Pins: confirmed with the name typed back, the VM is powered off and destroyed, with the guest
    // timeout chosen in the dialog; the provisioning request reads "Decommissioned" with when and by
    // whom, and offers no more actions.
    void decommissionConfirmedDestroysTheVmAndMarksItsRequest()
    {
        const QUuid vm = provisioned(QStringLiteral("web-01"));
        const QString ref = stored(vm).vmRef();
        QTRY_VERIFY(m_page->decommissionAction()->isEnabled());
        m_page->decommissionAction()->trigger();
        QTRY_VERIFY(m_page->decommissionDialog());
        DecommissionDialog* dialog = m_page->decommissionDialog();
        dialog->guestTimeoutField()->setValue(45);
        QTest::keyClicks(dialog->nameField(), QStringLiteral("web-01"));
        QTest::mouseClick(dialog->confirmButton(), Qt::LeftButton);
        QTRY_VERIFY(operationOn(vm, RequestKind::Decommission).has_value());
        const QUuid op = operationOn(vm, RequestKind::Decommission)->id();
        QCOMPARE(stored(op).target().guestTimeoutSeconds, 45);
        QTRY_COMPARE(stored(op).state(), RequestState::Provisioned);
        QCOMPARE(m_h->hypervisor->vmFor(vm), nullptr);
        QTRY_VERIFY(model()->request(vm) && model()->request(vm)->decommissionedAt().isValid());
        QCOMPARE(cell(vm, RequestTableModel::StateColumn), QStringLiteral("Decommissioned"));
        QVERIFY2(cell(vm, RequestTableModel::ProgressColumn).contains(stored(op).requestedBy()),
                 qPrintable(cell(vm, RequestTableModel::ProgressColumn)));
        m_page->selectRequest(vm);
        QTRY_COMPARE(m_page->selectedId(), vm);
        QVERIFY(!m_page->decommissionAction()->isEnabled());
        QVERIFY(!m_page->powerOnAction()->isEnabled());
        QVERIFY(m_h->hypervisor->operationsOn(ref).last() == VmOperation::Destroy);
    }
};

QTEST_MAIN(TestRequestOperations)
#include "TestRequestOperations.moc"
