// The New VM form against the real service: inline validation with the domain's words, Submit only for
// a valid spec, the cascading pickers and their capacity hints (errors for what cannot run, warnings for
// what may not fit, a confirmation for a datastore too small), a taken name (an error while the inventory
// is fresh, a warning saying its age after), the service's answer in words, and a spec loaded for "edit
// and resubmit".
#include "GuiHarness.h"

#include "ui/DiskListEditor.h"
#include "ui/FieldNote.h"
#include "ui/NumberField.h"
#include "ui/ServiceClient.h"
#include "ui/UiSettings.h"
#include "ui/VmSpecForm.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>

using namespace dcm;
using namespace std::chrono_literals;

namespace {

// Two hosts in C0 that reach different datastores and networks, and a resource pool.
InventorySnapshot twoHostInventory()
{
    InventorySnapshot s = FakeHypervisor::sampleInventory();
    s.folders.front().parentRef = s.datacenters.front().ref; // the datacenter's root VM folder, as vCenter has it
    HostInfo h2 = s.hosts.front();
    h2.ref = QStringLiteral("host-22");
    h2.name = QStringLiteral("DC0_C0_H1");
    h2.path = QStringLiteral("/DC0/host/C0/DC0_C0_H1");
    h2.memoryBytes = qint64(16) * 1024 * 1024 * 1024;
    h2.memoryUsedMiB = 2048;
    h2.cpuCores = 8;
    h2.datastoreRefs = {QStringLiteral("datastore-2")};
    h2.networkRefs = {QStringLiteral("network-2")};
    s.hosts << h2;
    DatastoreInfo ds2 = s.datastores.front();
    ds2.ref = QStringLiteral("datastore-2");
    ds2.name = QStringLiteral("ds2");
    ds2.path = QStringLiteral("/DC0/datastore/ds2");
    ds2.capacityBytes = qint64(100) * 1024 * 1024 * 1024;
    ds2.freeBytes = qint64(20) * 1024 * 1024 * 1024;
    s.datastores << ds2;
    NetworkInfo n2 = s.networks.front();
    n2.ref = QStringLiteral("network-2");
    n2.name = QStringLiteral("Backend");
    n2.path = QStringLiteral("/DC0/network/Backend");
    s.networks << n2;
    ResourcePoolInfo pool;
    pool.ref = QStringLiteral("resgroup-9");
    pool.name = QStringLiteral("Web");
    pool.path = QStringLiteral("/DC0/host/C0/Resources/Web");
    pool.parentRef = QStringLiteral("resgroup-8");
    pool.ownerRef = QStringLiteral("domain-c7");
    s.resourcePools << pool;
    VmInfo vm;
    vm.ref = QStringLiteral("vm-9");
    vm.name = QStringLiteral("taken");
    vm.parentRef = QStringLiteral("group-v3");
    s.vms << vm;
    return s;
}

QStringList itemTexts(const QComboBox* combo)
{
    QStringList texts;
    for (int i = 0; i < combo->count(); ++i)
        texts << combo->itemText(i);
    return texts;
}

} // namespace

class TestVmSpecForm final : public QObject
{
    Q_OBJECT

private:
    IsolatedSettings m_settingsDir;
    std::unique_ptr<GuiHarness> m_h;
    std::unique_ptr<UiSettings> m_settings;
    std::unique_ptr<ServiceClient> m_client;
    std::unique_ptr<VmSpecForm> m_form;

    template <class T> T* field(const char* name)
    {
        auto* w = m_form->findChild<T*>(QLatin1String(name));
        if (!w)
            qFatal("no field %s", name);
        return w;
    }
    QPushButton* submitButton() { return field<QPushButton>("submit"); }

    // The form with the sample inventory loaded and a valid spec typed in.
    void fillValid()
    {
        QTest::keyClicks(field<QLineEdit>("name"), QStringLiteral("web-01"));
        QTRY_VERIFY(m_form->hasInventory());
        QTRY_VERIFY(submitButton()->isEnabled());
    }

private Q_SLOTS:
    void init()
    {
        m_h = std::make_unique<GuiHarness>();
        m_h->hypervisor->setInventory(twoHostInventory());
        // Each test starts from no remembered choices (a submit remembers them).
        m_settings = std::make_unique<UiSettings>(std::make_unique<QSettings>(
            QStringLiteral("%1/%2.ini").arg(m_settingsDir.path(), QLatin1String(QTest::currentTestFunction())),
            QSettings::IniFormat));
        m_client = m_h->client();
        m_form = std::make_unique<VmSpecForm>(m_client.get(), m_settings.get());
        m_form->setClock(m_h->clock); // the service's clock: the inventory's age is read against it
        m_form->resize(1100, 800);
        m_form->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_form.get()));
        QVERIFY(m_h->connect());
        m_form->refreshInventory();
    }
    void cleanup()
    {
        m_form.reset();
        m_client.reset();
        m_settings.reset();
        m_h.reset();
    }

    // Each invalid input shows the domain's message next to its field and keeps Submit disabled.
    void invalidInputShowsTheDomainMessageAndKeepsSubmitDisabled_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("expected");
        QTest::newRow("name with a slash") << "name"
                                           << "The name must not contain";
        QTest::newRow("cores do not divide cpus") << "coresPerSocket"
                                                  << "cannot be split into sockets";
        QTest::newRow("memory not a multiple of 4 MiB") << "memoryMiB"
                                                        << "Memory must be a multiple of 4 MiB";
        QTest::newRow("zero cpus") << "cpus"
                                   << "Choose between 1 and 768 virtual CPUs";
        QTest::newRow("disk of 0 GiB") << "disks[0]"
                                       << "Disk 1 must be at least 1 MiB";
    }
    void invalidInputShowsTheDomainMessageAndKeepsSubmitDisabled()
    {
        QFETCH(QString, field);
        QFETCH(QString, expected);
        fillValid();
        if (field == QLatin1String("name")) {
            auto* name = this->field<QLineEdit>("name");
            name->clear();
            QTest::keyClicks(name, QStringLiteral("web/01"));
        } else if (field == QLatin1String("coresPerSocket")) {
            this->field<NumberField>("cpus")->setValue(3);
            this->field<NumberField>("coresPerSocket")->setValue(2);
        } else if (field == QLatin1String("memoryMiB")) {
            this->field<QComboBox>("memoryUnit")->setCurrentIndex(0); // MiB
            this->field<NumberField>("memory")->setValue(1023);
        } else if (field == QLatin1String("cpus")) {
            this->field<NumberField>("cpus")->setValue(0);
        } else {
            this->field<DiskListEditor>("disks")->sizeEditor(0)->setValue(0);
        }
        QVERIFY(!submitButton()->isEnabled());
        if (field.startsWith(QLatin1String("disks"))) {
            const auto notes = this->field<DiskListEditor>("disks")->findChildren<QWidget*>();
            QVERIFY(std::any_of(notes.cbegin(), notes.cend(), [&](QWidget* w) {
                const auto* label = qobject_cast<QLabel*>(w);
                return label && label->isVisibleTo(m_form.get()) && label->text().contains(expected);
            }));
        } else {
            QVERIFY2(m_form->fieldNoteText(field).contains(expected), qPrintable(m_form->fieldNoteText(field)));
        }
        // Fixing it makes the message go and Submit come back.
        if (field == QLatin1String("coresPerSocket"))
            this->field<NumberField>("coresPerSocket")->setValue(1);
        else if (field == QLatin1String("memoryMiB"))
            this->field<NumberField>("memory")->setValue(1024);
        else if (field == QLatin1String("cpus"))
            this->field<NumberField>("cpus")->setValue(2);
        else if (field == QLatin1String("name"))
            this->field<QLineEdit>("name")->setText(QStringLiteral("web-01"));
        else
            this->field<DiskListEditor>("disks")->sizeEditor(0)->setValue(10);
        QVERIFY(submitButton()->isEnabled());
        QCOMPARE(m_form->fieldNoteText(field), QString());
    }

    // A value beyond a field's range stays as typed, the field says why, and Submit stays disabled
    // (QDoubleSpinBox used to drop the fifth key of 99999 GiB and leave 9999 without a word).
    void outOfRangeValuesStayAsTypedAndBlockSubmit_data()
    {
        QTest::addColumn<QString>("objectName");
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QString>("specField");
        QTest::addColumn<QString>("expected");
        QTest::newRow("99999 GiB of memory") << "memory"
                                             << "99999"
                                             << "memoryMiB"
                                             << "Memory can be at most 24 TiB";
        QTest::newRow("99999 vCPUs") << "cpus"
                                     << "99999"
                                     << "cpus"
                                     << "Choose between 1 and 768 virtual CPUs (99999 requested).";
        QTest::newRow("more cores than vCPUs") << "coresPerSocket"
                                               << "1000"
                                               << "coresPerSocket"
                                               << "2 CPUs cannot be split into sockets of 1000 cores";
        QTest::newRow("no number at all") << "cpus"
                                          << "twelve"
                                          << "cpus"
                                          << "\"twelve\" is not a number.";
        QTest::newRow("memory beyond what the form carries") << "memory"
                                                             << "5000000000"
                                                             << "memoryMiB"
                                                             << "At most 1000000000.00 can be entered here.";
    }
    void outOfRangeValuesStayAsTypedAndBlockSubmit()
    {
        QFETCH(QString, objectName);
        QFETCH(QString, typed);
        QFETCH(QString, specField);
        QFETCH(QString, expected);
        fillValid();
        field<NumberField>("cpus")->setValue(2);
        auto* number = m_form->findChild<NumberField*>(objectName);
        QVERIFY(number);
        number->setFocus();
        number->selectAll();
        QTest::keyClick(number, Qt::Key_Backspace);
        QTest::keyClicks(number, typed);
        field<QLineEdit>("name")->setFocus(); // leaving the field is when a spin box would clamp
        QTRY_VERIFY(!number->hasFocus());
        QCOMPARE(number->text(), typed);
        QVERIFY(!submitButton()->isEnabled());
        QVERIFY(!m_form->canSubmit());
        QVERIFY2(m_form->fieldNoteText(specField).contains(expected), qPrintable(m_form->fieldNoteText(specField)));
        const QList<FieldProblem>& problems = m_form->problems();
        QVERIFY(std::any_of(problems.cbegin(), problems.cend(),
                            [&](const FieldProblem& p) { return p.field == specField; }));
        // Ctrl+Return does not get past it either.
        QSignalSpy answered(m_client.get(), &ServiceClient::submitAnswered);
        QTest::keyClick(field<QLineEdit>("name"), Qt::Key_Return, Qt::ControlModifier);
        QTest::keyClick(field<QLineEdit>("name"), Qt::Key_Return);
        QCoreApplication::processEvents(); // a submit would be posted to the service: let it run
        QCOMPARE(answered.count(), 0);
        QCOMPARE(m_h->store->size(), 0);
    }

    // A disk size beyond the 62 TiB limit stays as typed; its row says why.
    void oversizedDiskStaysAsTyped()
    {
        fillValid();
        NumberField* size = field<DiskListEditor>("disks")->sizeEditor(0);
        size->setFocus();
        size->selectAll();
        QTest::keyClick(size, Qt::Key_Backspace);
        QTest::keyClicks(size, QStringLiteral("100000"));
        field<QLineEdit>("name")->setFocus();
        QTRY_VERIFY(!size->hasFocus());
        QCOMPARE(size->text(), QStringLiteral("100000"));
        QCOMPARE(m_form->spec().disks.front().sizeMiB, qint64(100000) * 1024);
        QVERIFY(!submitButton()->isEnabled());
        const auto labels = field<DiskListEditor>("disks")->findChildren<QLabel*>();
        QVERIFY(std::any_of(labels.cbegin(), labels.cend(), [&](const QLabel* l) {
            return l->isVisibleTo(m_form.get()) && l->text().contains(QStringLiteral("Disk 1 can be at most 62 TiB"));
        }));
    }

    // Switching the memory unit converts exactly: nothing is rounded on the way.
    void memoryUnitSwitchNeverRounds()
    {
        fillValid();
        auto* memory = field<NumberField>("memory");
        auto* unit = field<QComboBox>("memoryUnit");
        unit->setCurrentIndex(0); // MiB
        QCOMPARE(memory->text(), QStringLiteral("4096"));
        memory->setValue(1023);
        unit->setCurrentIndex(1); // GiB: 0.999… needs more than the 2 places the field takes
        QCOMPARE(memory->text(), QStringLiteral("0.9990234375"));
        QCOMPARE(m_form->fieldNoteText(QStringLiteral("memoryMiB")), QStringLiteral("Use at most 2 decimal places."));
        QVERIFY(!submitButton()->isEnabled());
        unit->setCurrentIndex(0);
        QCOMPARE(memory->text(), QStringLiteral("1023"));
        QVERIFY(m_form->fieldNoteText(QStringLiteral("memoryMiB")).contains(QStringLiteral("multiple of 4 MiB")));
        memory->setValue(1024);
        QVERIFY(submitButton()->isEnabled());
        QCOMPARE(m_form->spec().memoryMiB, qint64(1024));
    }

    // A fresh form is not valid (no name), but shows no red line before the operator types.
    void freshFormDisablesSubmitWithoutShoutingAboutTheName()
    {
        QTRY_VERIFY(m_form->hasInventory());
        QVERIFY(!submitButton()->isEnabled());
        QCOMPARE(m_form->fieldNoteText(QStringLiteral("name")), QString());
        QCOMPARE(field<QLabel>("problemSummary")->text(), QStringLiteral("Enter a name for the VM."));
    }

    // Add and remove disks; the spec follows, with the unit converted (GiB in the form, MiB in the spec).
    void disksCanBeAddedAndRemoved()
    {
        fillValid();
        auto* disks = field<DiskListEditor>("disks");
        const int before = disks->count();
        QTest::mouseClick(disks->addButton(), Qt::LeftButton);
        QCOMPARE(disks->count(), before + 1);
        disks->sizeEditor(before)->setValue(2.5);
        QCOMPARE(m_form->spec().disks.size(), before + 1);
        QCOMPARE(m_form->spec().disks.back().sizeMiB, qint64(2560));
        auto* remove = disks->findChildren<QToolButton*>(QStringLiteral("removeDisk")).back();
        QTest::mouseClick(remove, Qt::LeftButton);
        QTRY_COMPARE(disks->count(), before);
        // Removing the last disk is a problem the domain names.
        while (disks->count() > 0)
            disks->removeDisk(0);
        QVERIFY(!submitButton()->isEnabled());
    }

    // Datacenter -> cluster/pool -> host -> datastores and networks that host reaches.
    void pickersCascadeFromTheInventory()
    {
        fillValid();
        auto* compute = field<QComboBox>("compute");
        auto* host = field<QComboBox>("host");
        auto* datastore = field<QComboBox>("datastore");
        auto* network = field<QComboBox>("network");
        QCOMPARE(field<QComboBox>("datacenter")->currentText(), QStringLiteral("DC0"));
        QCOMPARE(itemTexts(compute),
                 (QStringList{QStringLiteral("C0 (cluster)"), QStringLiteral("C0/Resources/Web (resource pool)")}));
        QCOMPARE(host->count(), 3); // "any host" and the cluster's two hosts
        // Any host: what either host reaches.
        QCOMPARE(datastore->count(), 2);
        QCOMPARE(network->count(), 2);
        host->setCurrentIndex(host->findText(QStringLiteral("DC0_C0_H1")));
        QCOMPARE(datastore->count(), 1);
        QVERIFY(datastore->currentText().startsWith(QStringLiteral("ds2")));
        QCOMPARE(itemTexts(network), QStringList{QStringLiteral("Backend")});
        const VmSpec s = m_form->spec();
        QCOMPARE(s.host, QStringLiteral("/DC0/host/C0/DC0_C0_H1"));
        QCOMPARE(s.datastore, QStringLiteral("/DC0/datastore/ds2"));
        QCOMPARE(s.cluster, QStringLiteral("/DC0/host/C0"));
        // Choosing the pool puts a resource pool, not a cluster, in the spec.
        compute->setCurrentIndex(1);
        QCOMPARE(m_form->spec().resourcePool, QStringLiteral("/DC0/host/C0/Resources/Web"));
        QVERIFY(m_form->spec().cluster.isEmpty());
    }

    // A host in maintenance is listed but cannot be chosen, even when code sets the picker to it.
    void aHostInMaintenanceCannotBeChosen()
    {
        InventorySnapshot inventory = twoHostInventory();
        inventory.hosts[1].inMaintenance = true;
        m_h->hypervisor->setInventory(inventory);
        fillValid();
        m_form->refreshInventory();
        auto* host = field<QComboBox>("host");
        QTRY_VERIFY(host->findText(QStringLiteral("DC0_C0_H1 (maintenance mode)")) >= 0);
        host->setCurrentIndex(host->findText(QStringLiteral("DC0_C0_H0")));
        host->setCurrentIndex(host->findText(QStringLiteral("DC0_C0_H1 (maintenance mode)")));
        QCOMPARE(host->currentText(), QStringLiteral("DC0_C0_H0"));
        QCOMPARE(m_form->spec().host, QStringLiteral("/DC0/host/C0/DC0_C0_H0"));
        QCOMPARE(field<QComboBox>("datastore")->count(), 1); // what DC0_C0_H0 reaches
    }

    // What no host of the placement can run is an error naming the limit; memory that is not free now
    // is a warning.
    void whatNoHostCanRunIsAnError()
    {
        fillValid();
        auto* host = field<QComboBox>("host");
        host->setCurrentIndex(host->findText(QStringLiteral("DC0_C0_H0"))); // 4 GiB, 1 GiB used, 2 cores
        auto* hostWarning = field<FieldNote>("hostWarning");
        field<QComboBox>("memoryUnit")->setCurrentIndex(1);
        field<NumberField>("memory")->setValue(2);
        QVERIFY(hostWarning->isHidden());
        QVERIFY(field<QLabel>("hostHint")->text().contains(QStringLiteral("3.00 GiB of 4.00 GiB memory free")));
        // More than is free, less than the host has: it may not power on now, which is advice.
        field<NumberField>("memory")->setValue(3.5);
        QVERIFY(!hostWarning->isHidden());
        QVERIFY(hostWarning->text().contains(QStringLiteral("the host has 3.00 GiB free")));
        QVERIFY(submitButton()->isEnabled());
        // More than the host has at all: never.
        field<NumberField>("memory")->setValue(8);
        QCOMPARE(m_form->fieldNoteText(QStringLiteral("memoryMiB")),
                 QStringLiteral("At most 4.00 GiB: all the memory host DC0_C0_H0 has."));
        QVERIFY(hostWarning->isHidden());
        QVERIFY(!submitButton()->isEnabled());
        field<NumberField>("memory")->setValue(1);
        QVERIFY(submitButton()->isEnabled());
        field<NumberField>("cpus")->setValue(4);
        QCOMPARE(m_form->fieldNoteText(QStringLiteral("cpus")),
                 QStringLiteral("At most 2 vCPUs: host DC0_C0_H0 has 2 cores."));
        QVERIFY(!submitButton()->isEnabled());
        // Any host of the cluster: the largest host sets the limits.
        host->setCurrentIndex(0);
        QCOMPARE(m_form->fieldNoteText(QStringLiteral("cpus")), QString());
        QVERIFY(submitButton()->isEnabled());
        field<NumberField>("cpus")->setValue(9);
        QVERIFY2(m_form->fieldNoteText(QStringLiteral("cpus"))
                     .startsWith(QStringLiteral("At most 8 vCPUs: the largest host, DC0_C0_H1, has 8 cores.")),
                 qPrintable(m_form->fieldNoteText(QStringLiteral("cpus"))));
        field<NumberField>("cpus")->setValue(1);
        field<NumberField>("memory")->setValue(17);
        QVERIFY(m_form->fieldNoteText(QStringLiteral("memoryMiB"))
                    .contains(QStringLiteral("At most 16.0 GiB: all the memory of the largest host, DC0_C0_H1.")));
        QVERIFY(!submitButton()->isEnabled());
        QVERIFY(!m_form->canSubmit());
    }

    // A datastore the thick disks and the swap file will not fit: a warning, and Submit only once
    // "Submit anyway" is ticked — for that datastore, while it will not fit.
    void aDatastoreThatWillNotFitNeedsSubmitAnyway()
    {
        fillValid();
        field<NumberField>("memory")->setValue(1);
        auto* host = field<QComboBox>("host");
        host->setCurrentIndex(host->findText(QStringLiteral("DC0_C0_H1"))); // ds2: 20 GiB free
        auto* dsWarning = field<FieldNote>("datastoreWarning");
        auto* anyway = field<QCheckBox>("submitAnyway");
        auto* disks = field<DiskListEditor>("disks");
        disks->setDisks({DiskSpec{qint64(30) * 1024, false}});
        QVERIFY(!dsWarning->isHidden());
        QVERIFY(dsWarning->text().contains(QStringLiteral("It will not fit")));
        QVERIFY(anyway->isVisibleTo(m_form.get()));
        QVERIFY(m_form->needsFitConfirmation());
        QVERIFY(!submitButton()->isEnabled());
        QVERIFY(field<QLabel>("problemSummary")->text().contains(QStringLiteral("Submit anyway")));
        QVERIFY(m_form->problems().isEmpty()); // not a problem of the spec: a question to the operator
        QTest::mouseClick(anyway, Qt::LeftButton);
        QVERIFY(anyway->isChecked());
        QVERIFY(submitButton()->isEnabled());

        // Another datastore asks again (the first host reaches ds1, which has room; back on ds2 it does not).
        host->setCurrentIndex(host->findText(QStringLiteral("DC0_C0_H0")));
        QVERIFY(!anyway->isVisibleTo(m_form.get()));
        QVERIFY(submitButton()->isEnabled());
        host->setCurrentIndex(host->findText(QStringLiteral("DC0_C0_H1")));
        QVERIFY(anyway->isVisibleTo(m_form.get()));
        QVERIFY(!anyway->isChecked());
        QVERIFY(!submitButton()->isEnabled());

        // Submitted anyway: the next VM is asked about again.
        anyway->setChecked(true);
        QSignalSpy answered(m_client.get(), &ServiceClient::submitAnswered);
        QTest::mouseClick(submitButton(), Qt::LeftButton);
        QTRY_COMPARE(answered.count(), 1);
        QVERIFY(!anyway->isChecked());
        QTest::keyClicks(field<QLineEdit>("name"), QStringLiteral("web-02"));
        QVERIFY(!submitButton()->isEnabled());

        // Thin disks that may fill it up are a warning only.
        disks->setDisks({DiskSpec{qint64(30) * 1024, true}});
        QVERIFY(!dsWarning->isHidden());
        QVERIFY(dsWarning->text().contains(QStringLiteral("could fill up")));
        QVERIFY(!anyway->isVisibleTo(m_form.get()));
        QVERIFY(submitButton()->isEnabled());
    }

    // A name the folder holds: an error while the inventory's VM list is fresh, a warning that says the
    // list's age once it is older; a refresh makes it certain again.
    void aTakenNameIsAnErrorWhileTheInventoryIsFresh()
    {
        fillValid();
        auto* name = field<QLineEdit>("name");
        name->setText(QStringLiteral("taken"));
        QCOMPARE(m_form->fieldNoteText(QStringLiteral("name")),
                 QStringLiteral("A VM named taken already exists in this folder (inventory read just now): vCenter "
                                "refuses a second one."));
        QVERIFY(!submitButton()->isEnabled());

        m_h->clock.advance(VmSpecForm::nameCheckFreshFor + 1min);
        name->setText(QStringLiteral("taken")); // unchanged text: nothing to check again
        QTest::keyClick(name, Qt::Key_Backspace);
        QTest::keyClicks(name, QStringLiteral("n"));
        QCOMPARE(m_form->fieldNoteText(QStringLiteral("name")), QString());
        const QList<FieldNote*> notes = m_form->findChildren<FieldNote*>();
        const auto warning = std::find_if(notes.cbegin(), notes.cend(), [](const FieldNote* n) {
            return !n->isHidden() && n->kind() == FieldNote::Kind::Warning &&
                   n->text().contains(QStringLiteral("lists a VM named taken"));
        });
        QVERIFY(warning != notes.cend());
        QCOMPARE((*warning)->text(), QStringLiteral("The inventory read 6 min ago lists a VM named taken in this "
                                                    "folder: vCenter refuses a second one if it is still there. "
                                                    "Refresh the inventory to be sure."));
        QVERIFY(submitButton()->isEnabled());

        QSignalSpy inventory(m_client.get(), &ServiceClient::inventoryChanged);
        m_form->refreshInventory();
        QTRY_COMPARE(inventory.count(), 1);
        QTRY_VERIFY(!m_form->fieldNoteText(QStringLiteral("name")).isEmpty());
        QVERIFY(m_form->fieldNoteText(QStringLiteral("name")).contains(QStringLiteral("already exists")));
        QVERIFY(!submitButton()->isEnabled());
    }

    // "Edit and resubmit": every field from the request's spec; Submit makes a new request.
    void aLoadedSpecFillsEveryFieldAndSubmitsANewRequest()
    {
        QTRY_VERIFY(m_form->hasInventory());
        VmSpec copy = validSpec(QStringLiteral("copy-01"));
        copy.cpus = 4;
        copy.coresPerSocket = 2;
        copy.memoryMiB = 1536; // not whole GiB: shown in MiB
        copy.disks = {DiskSpec{10240, true}, DiskSpec{2048, false}};
        copy.host = QStringLiteral("/DC0/host/C0/DC0_C0_H1");
        copy.datastore = QStringLiteral("/DC0/datastore/ds2");
        copy.nics = {dcm::NicSpec{QStringLiteral("/DC0/network/Backend")}};
        copy.annotation = QStringLiteral("owner: web team");
        copy.powerOn = true;
        const QUuid from = QUuid::createUuid();
        m_form->loadSpec(copy, from);
        QCOMPARE(m_form->spec().toJson(), copy.toJson());
        QCOMPARE(field<QComboBox>("memoryUnit")->currentIndex(), 0);
        QVERIFY(m_form->feedbackText().contains(from.toString(QUuid::WithoutBraces)));
        QVERIFY(m_form->feedbackText().contains(QStringLiteral("makes a new request")));
        QVERIFY(submitButton()->isEnabled());
        QSignalSpy answered(m_client.get(), &ServiceClient::submitAnswered);
        QTest::mouseClick(submitButton(), Qt::LeftButton);
        QTRY_COMPARE(answered.count(), 1);
        const auto answer = answered.at(0).at(0).value<SubmitAnswer>();
        QVERIFY(answer.accepted());
        QVERIFY(answer.id != from);
        QCOMPARE(m_h->store->get(answer.id).value()->spec(), copy);

        // A datastore the inventory no longer has: the cascade's choice, and the form says so.
        VmSpec gone = copy;
        gone.datastore = QStringLiteral("/DC0/datastore/removed");
        m_form->loadSpec(gone);
        QCOMPARE(m_form->spec().datastore, QStringLiteral("/DC0/datastore/ds2"));
        QVERIFY2(m_form->feedbackText().contains(QStringLiteral("datastore /DC0/datastore/ds2 (was "
                                                                "/DC0/datastore/removed)")),
                 qPrintable(m_form->feedbackText()));
    }

    // After Submit: the service's own sentence, the form ready for the next VM, and the choices kept.
    void submitShowsTheServiceAnswerAndRemembersChoices()
    {
        fillValid();
        QSignalSpy answered(m_client.get(), &ServiceClient::submitAnswered);
        QTest::mouseClick(submitButton(), Qt::LeftButton);
        QTRY_COMPARE(answered.count(), 1);
        const auto answer = answered.at(0).at(0).value<SubmitAnswer>();
        QCOMPARE(answer.outcome, SubmitAnswer::Outcome::Started);
        QCOMPARE(m_form->feedbackText(), answer.message);
        QCOMPARE(field<QLineEdit>("name")->text(), QString());
        QVERIFY(!submitButton()->isEnabled());
        QCOMPARE(m_settings->lastChoice(QStringLiteral("datastore")).toString(), m_form->spec().datastore);
    }

    // Offline at start: no inventory, the pickers accept typed values, and the request is queued with
    // the service's exact sentence.
    void withoutInventoryTypedPlacementIsQueued()
    {
        m_form.reset();
        m_client.reset();
        m_h = std::make_unique<GuiHarness>();
        m_client = m_h->client();
        m_form = std::make_unique<VmSpecForm>(m_client.get(), m_settings.get());
        QVERIFY(!m_form->hasInventory());
        field<QLineEdit>("name")->setText(QStringLiteral("offline-01"));
        field<QComboBox>("datacenter")->setEditText(QStringLiteral("DC0"));
        field<QComboBox>("compute")->setEditText(QStringLiteral("/DC0/host/C0"));
        field<QComboBox>("datastore")->setEditText(QStringLiteral("/DC0/datastore/ds1"));
        field<QComboBox>("network")->setEditText(QStringLiteral("/DC0/network/VM Network"));
        QVERIFY2(submitButton()->isEnabled(), qPrintable(field<QLabel>("problemSummary")->text()));
        QCOMPARE(m_form->spec().cluster, QStringLiteral("/DC0/host/C0"));
        QSignalSpy answered(m_client.get(), &ServiceClient::submitAnswered);
        QTest::mouseClick(submitButton(), Qt::LeftButton);
        QTRY_COMPARE(answered.count(), 1);
        QCOMPARE(m_form->feedbackText(),
                 QStringLiteral("Request accepted. Provisioning will start when the hypervisor is online."));
    }
};

QTEST_MAIN(TestVmSpecForm)
#include "TestVmSpecForm.moc"
