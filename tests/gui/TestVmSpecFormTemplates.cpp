// The New VM form's clone path against the real service: the source switch (which fields show, the
// template's hardware as the starting point and "as the template" in the spec), the NIC list (add,
// remove, at most four, networks the chosen hosts reach, problems under their row), guest customization
// (saved specifications listed with their kind, every problem of the domain at its field at once), the
// batch preview and the batch submitted as shown, and the requests table's source, batch and guest
// identity columns.
#include "GuiHarness.h"

#include "ui/DiskListEditor.h"
#include "ui/FieldNote.h"
#include "ui/NicListEditor.h"
#include "ui/NumberField.h"
#include "ui/RequestDetailsPane.h"
#include "ui/RequestFilterProxy.h"
#include "ui/RequestTableModel.h"
#include "ui/ServiceClient.h"
#include "ui/UiSettings.h"
#include "ui/VmSpecForm.h"

#include <QComboBox>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>
#include <QToolButton>

using namespace dcm;

namespace {

// The sample inventory with a second host that reaches only "Backend", two templates and three saved
// customization specifications.
InventorySnapshot templateInventory()
{
    InventorySnapshot s = FakeHypervisor::sampleInventory();
    s.folders.front().parentRef = s.datacenters.front().ref;
    HostInfo h2 = s.hosts.front();
    h2.ref = QStringLiteral("host-22");
    h2.name = QStringLiteral("DC0_C0_H1");
    h2.path = QStringLiteral("/DC0/host/C0/DC0_C0_H1");
    h2.memoryBytes = qint64(16) * 1024 * 1024 * 1024;
    h2.cpuCores = 8;
    h2.networkRefs = {QStringLiteral("network-2")};
    s.hosts << h2;
    NetworkInfo n2 = s.networks.front();
    n2.ref = QStringLiteral("network-2");
    n2.name = QStringLiteral("Backend");
    n2.path = QStringLiteral("/DC0/network/Backend");
    s.networks << n2;

    // Our own templates and specifications, whatever the fake's sample has.
    s.templates.clear();
    s.customizationSpecs.clear();
    TemplateInfo ubuntu;
    ubuntu.ref = QStringLiteral("vm-50");
    ubuntu.name = QStringLiteral("ubuntu-22.04");
    ubuntu.path = QStringLiteral("/DC0/vm/templates/ubuntu-22.04");
    ubuntu.guestId = QStringLiteral("ubuntu64Guest");
    ubuntu.guestFullName = QStringLiteral("Ubuntu Linux (64-bit)");
    ubuntu.cpus = 2;
    ubuntu.memoryMiB = 2048;
    ubuntu.diskSizesMiB = {16 * 1024};
    ubuntu.nicNetworks = {QStringLiteral("VM Network")};
    ubuntu.datacenterRef = s.datacenters.front().ref;
    TemplateInfo rhel = ubuntu;
    rhel.ref = QStringLiteral("vm-51");
    rhel.name = QStringLiteral("rhel-9");
    rhel.path = QStringLiteral("/DC0/vm/templates/rhel-9");
    rhel.guestId = QStringLiteral("rhel9_64Guest");
    rhel.guestFullName = QStringLiteral("Red Hat Enterprise Linux 9 (64-bit)");
    rhel.cpus = 4;
    rhel.memoryMiB = 6144;
    rhel.diskSizesMiB = {20 * 1024, 8 * 1024};
    rhel.nicNetworks = {QStringLiteral("VM Network"), QStringLiteral("VM Network")};
    s.templates << ubuntu << rhel;

    for (const auto& [name, type] : {std::pair{"vcsim-linux", "Linux"}, std::pair{"vcsim-linux-static", "Linux"},
                                     std::pair{"vcsim-windows-static", "Windows"}}) {
        CustomizationSpecInfo c;
        c.name = QLatin1String(name);
        c.type = QLatin1String(type);
        s.customizationSpecs << c;
    }
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

class TestVmSpecFormTemplates final : public QObject
{
    Q_OBJECT

private:
    IsolatedSettings m_settingsDir;
    std::unique_ptr<GuiHarness> m_h;
    std::unique_ptr<UiSettings> m_settings;
    std::unique_ptr<ServiceClient> m_client;
    std::unique_ptr<VmSpecForm> m_form;

    template <class T> T* field(const QString& name)
    {
        auto* w = m_form->findChild<T*>(name);
        if (!w)
            qFatal("no field %s", qPrintable(name));
        return w;
    }
    QPushButton* submitButton() { return field<QPushButton>(QStringLiteral("submit")); }
    NicListEditor* nics() { return field<NicListEditor>(QStringLiteral("nics")); }
    bool shown(const QString& name) { return field<QWidget>(name)->isVisibleTo(m_form.get()); }

    // From template "ubuntu-22.04", named, inventory loaded.
    void chooseTemplate(const QString& name = QStringLiteral("web-01"))
    {
        QTRY_VERIFY(m_form->hasInventory());
        QTest::mouseClick(field<QRadioButton>(QStringLiteral("sourceTemplate")), Qt::LeftButton);
        QVERIFY(field<QRadioButton>(QStringLiteral("sourceTemplate"))->isChecked());
        auto* picker = field<QComboBox>(QStringLiteral("template"));
        picker->setCurrentIndex(picker->findText(QStringLiteral("ubuntu-22.04")));
        QTest::keyClicks(field<QLineEdit>(QStringLiteral("name")), name);
    }

private Q_SLOTS:
    void init()
    {
        m_h = std::make_unique<GuiHarness>();
        m_h->hypervisor->setInventory(templateInventory());
        m_settings = std::make_unique<UiSettings>(std::make_unique<QSettings>(
            QStringLiteral("%1/%2.ini").arg(m_settingsDir.path(), QLatin1String(QTest::currentTestFunction())),
            QSettings::IniFormat));
        m_client = m_h->client();
        m_form = std::make_unique<VmSpecForm>(m_client.get(), m_settings.get());
        m_form->setClock(m_h->clock);
        m_form->resize(1366, 768);
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

    // Blank VM: guest OS and disks, no template, no customization. From template: the template picker
    // with what the template has, its hardware as the starting point, its disks read-only and the disk
    // list for extra data disks; back to blank: the blank VM's disks again.
    void sourceSwitchShowsTheRightFieldsAndDefaultsFromTheTemplate()
    {
        QTRY_VERIFY(m_form->hasInventory());
        QVERIFY(field<QRadioButton>(QStringLiteral("sourceBlank"))->isChecked());
        QVERIFY(!shown(QStringLiteral("template")));
        QVERIFY(!shown(QStringLiteral("customization")));
        QVERIFY(!shown(QStringLiteral("cloneDiskFormat")));
        QVERIFY(shown(QStringLiteral("guestOs")));
        auto* disks = field<DiskListEditor>(QStringLiteral("disks"));
        QCOMPARE(disks->count(), 1);

        chooseTemplate();
        QVERIFY(shown(QStringLiteral("template")));
        QVERIFY(shown(QStringLiteral("customization")));
        QVERIFY(shown(QStringLiteral("cloneDiskFormat")));
        QVERIFY(shown(QStringLiteral("templateDisks")));
        QVERIFY(!shown(QStringLiteral("guestOs")));
        QCOMPARE(itemTexts(field<QComboBox>(QStringLiteral("template"))),
                 (QStringList{QStringLiteral("ubuntu-22.04"), QStringLiteral("rhel-9")}));
        const QString summary = field<QLabel>(QStringLiteral("templateSummary"))->text();
        QVERIFY2(summary.contains(QStringLiteral("Ubuntu Linux (64-bit)")) &&
                     summary.contains(QStringLiteral("2 vCPU")) && summary.contains(QStringLiteral("2.00 GiB")) &&
                     summary.contains(QStringLiteral("VM Network")),
                 qPrintable(summary));
        QCOMPARE(field<QLabel>(QStringLiteral("templateDisks"))->text(), QStringLiteral("Disk 1: 16.0 GiB"));
        QCOMPARE(disks->count(), 0); // extra data disks only
        QCOMPARE(field<NumberField>(QStringLiteral("cpus"))->value(), std::optional<double>(2));
        QCOMPARE(field<NumberField>(QStringLiteral("memory"))->value(), std::optional<double>(2));

        // Left as the template has it: "as the template" in the spec; the guest OS is the template's.
        VmSpec s = m_form->spec();
        QCOMPARE(s.templateName, QStringLiteral("/DC0/vm/templates/ubuntu-22.04"));
        QCOMPARE(s.cpus, 0);
        QCOMPARE(s.memoryMiB, qint64(0));
        QVERIFY(s.disks.isEmpty());
        QVERIFY(s.guestId.isEmpty());
        QCOMPARE(s.cloneDiskFormat, QString());
        QVERIFY2(submitButton()->isEnabled(), qPrintable(field<QLabel>(QStringLiteral("problemSummary"))->text()));

        // Changed: sent as typed. An extra disk and a format for the clone's disks.
        field<NumberField>(QStringLiteral("cpus"))->setValue(4);
        field<NumberField>(QStringLiteral("memory"))->setValue(8);
        QTest::mouseClick(disks->addButton(), Qt::LeftButton);
        auto* format = field<QComboBox>(QStringLiteral("cloneDiskFormat"));
        format->setCurrentIndex(format->findData(QStringLiteral("thick")));
        s = m_form->spec();
        QCOMPARE(s.cpus, 4);
        QCOMPARE(s.memoryMiB, qint64(8192));
        QCOMPARE(s.disks.size(), 1);
        QCOMPARE(s.cloneDiskFormat, QStringLiteral("thick"));

        // Another template: its hardware.
        auto* picker = field<QComboBox>(QStringLiteral("template"));
        picker->setCurrentIndex(picker->findText(QStringLiteral("rhel-9")));
        QCOMPARE(field<NumberField>(QStringLiteral("cpus"))->value(), std::optional<double>(4));
        QCOMPARE(field<QLabel>(QStringLiteral("templateDisks"))->text(),
                 QStringLiteral("Disk 1: 20.0 GiB · Disk 2: 8.00 GiB"));
        QCOMPARE(nics()->count(), 2); // the template's two NICs, reconnected in order
        QCOMPARE(m_form->spec().cpus, 0);

        // Back to a blank VM: its disks, its guest OS, no clone options.
        QTest::mouseClick(field<QRadioButton>(QStringLiteral("sourceBlank")), Qt::LeftButton);
        QVERIFY(!shown(QStringLiteral("template")));
        QVERIFY(!shown(QStringLiteral("customization")));
        QVERIFY(shown(QStringLiteral("guestOs")));
        QCOMPARE(disks->count(), 1);
        s = m_form->spec();
        QVERIFY(!s.isClone());
        QVERIFY(s.customization.isNone());
        QCOMPARE(s.cloneDiskFormat, QString());
        QVERIFY(!s.guestId.isEmpty());
    }

    // One to four NICs: add until the limit (the button then disabled, its tooltip says why), each with
    // its adapter type; remove any but the last one; every row offers the networks the chosen hosts reach.
    void nicsAreAddedAndRemovedUpToFour()
    {
        QTest::keyClicks(field<QLineEdit>(QStringLiteral("name")), QStringLiteral("web-01"));
        QTRY_VERIFY(m_form->hasInventory());
        NicListEditor* list = nics();
        QCOMPARE(list->count(), 1);
        QVERIFY(!list->removeButton(0)->isEnabled()); // at least one adapter
        QCOMPARE(m_form->spec().nics.front().adapterType, NicSpec::vmxnet3);
        for (int i = 1; i < VmSpec::maxNics; ++i) {
            QVERIFY(list->addButton()->isEnabled());
            QTest::mouseClick(list->addButton(), Qt::LeftButton);
        }
        QCOMPARE(list->count(), 4);
        QVERIFY(!list->addButton()->isEnabled());
        QVERIFY(list->addButton()->toolTip().contains(QStringLiteral("at most 4")));
        list->addButton()->click();
        QCOMPARE(list->count(), 4);
        QCOMPARE(list->networkPicker(3)->accessibleName(), QStringLiteral("Network of NIC 4"));

        list->adapterPicker(1)->setCurrentIndex(list->adapterPicker(1)->findData(NicSpec::e1000e));
        list->networkPicker(1)->setCurrentIndex(list->networkPicker(1)->findText(QStringLiteral("Backend")));
        VmSpec s = m_form->spec();
        QCOMPARE(s.nics.size(), 4);
        QCOMPARE(s.nics.at(1), (NicSpec{QStringLiteral("/DC0/network/Backend"), NicSpec::e1000e}));
        QVERIFY(submitButton()->isEnabled());

        // Removing NIC 1 moves the others up, with their networks and types.
        QTest::mouseClick(list->removeButton(0), Qt::LeftButton);
        QCOMPARE(list->count(), 3);
        s = m_form->spec();
        QCOMPARE(s.nics.front(), (NicSpec{QStringLiteral("/DC0/network/Backend"), NicSpec::e1000e}));
        QVERIFY(list->addButton()->isEnabled());
        QCOMPARE(list->networkPicker(0)->accessibleName(), QStringLiteral("Network of NIC 1"));

        // A host that reaches only Backend: every row offers Backend only.
        auto* host = field<QComboBox>(QStringLiteral("host"));
        host->setCurrentIndex(host->findText(QStringLiteral("DC0_C0_H1")));
        for (int i = 0; i < list->count(); ++i)
            QCOMPARE(itemTexts(list->networkPicker(i)), QStringList{QStringLiteral("Backend")});
        for (const NicSpec& nic : m_form->spec().nics)
            QCOMPARE(nic.network, QStringLiteral("/DC0/network/Backend"));

        // The keyboard reaches each row's network, type and remove button in order, then "Add".
        list->networkPicker(0)->setFocus();
        QTRY_VERIFY(list->networkPicker(0)->hasFocus());
        QTest::keyClick(list->networkPicker(0), Qt::Key_Tab);
        QVERIFY(list->adapterPicker(0)->hasFocus());
        QTest::keyClick(list->adapterPicker(0), Qt::Key_Tab);
        QVERIFY(list->removeButton(0)->hasFocus());
        QTest::keyClick(list->removeButton(0), Qt::Key_Tab);
        QVERIFY(list->networkPicker(1)->hasFocus());
    }

    // The domain's problem with one NIC is shown under that NIC's row, and only there.
    void aNicProblemIsShownUnderItsRow()
    {
        QTRY_VERIFY(m_form->hasInventory());
        VmSpec spec = validSpec(QStringLiteral("web-01"));
        spec.nics = {NicSpec{QStringLiteral("/DC0/network/VM Network")},
                     NicSpec{QStringLiteral("/DC0/network/VM Network"), QStringLiteral("e1000")}};
        m_form->loadSpec(spec);
        QCOMPARE(nics()->count(), 2);
        QVERIFY2(m_form->nicNoteText(1).contains(QStringLiteral("Unknown adapter type \"e1000\"")),
                 qPrintable(m_form->nicNoteText(1)));
        QCOMPARE(m_form->nicNoteText(0), QString());
        QVERIFY(!submitButton()->isEnabled());
        // The description screen readers announce with the field.
        QVERIFY(nics()->networkPicker(1)->accessibleDescription().contains(QStringLiteral("e1000")));
        nics()->adapterPicker(1)->setCurrentIndex(nics()->adapterPicker(1)->findData(NicSpec::e1000e));
        QCOMPARE(m_form->nicNoteText(1), QString());
        QVERIFY(submitButton()->isEnabled());
    }

    // Saved specifications are listed with their kind; the chosen one goes into the spec by name.
    // Linux settings show their fields, and the address rows follow the NICs.
    void customizationModesShowTheirFields()
    {
        chooseTemplate();
        auto* mode = field<QComboBox>(QStringLiteral("customizationMode"));
        QVERIFY(!shown(QStringLiteral("customizationSpec")));
        QVERIFY(!shown(QStringLiteral("customizationHostName")));
        QVERIFY(m_form->spec().customization.isNone());

        mode->setCurrentIndex(mode->findData(int(GuestCustomization::Mode::SavedSpec)));
        auto* saved = field<QComboBox>(QStringLiteral("customizationSpec"));
        QVERIFY(saved->isVisibleTo(m_form.get()));
        QCOMPARE(itemTexts(saved),
                 (QStringList{QStringLiteral("vcsim-linux (Linux)"), QStringLiteral("vcsim-linux-static (Linux)"),
                              QStringLiteral("vcsim-windows-static (Windows)")}));
        saved->setCurrentIndex(2);
        GuestCustomization c = m_form->spec().customization;
        QVERIFY(c.mode == GuestCustomization::Mode::SavedSpec);
        QCOMPARE(c.specName, QStringLiteral("vcsim-windows-static"));
        QVERIFY(submitButton()->isEnabled());

        mode->setCurrentIndex(mode->findData(int(GuestCustomization::Mode::Linux)));
        QVERIFY(!saved->isVisibleTo(m_form.get()));
        QVERIFY(shown(QStringLiteral("customizationHostName")));
        auto rows =
            field<QWidget>(QStringLiteral("guestAddresses"))->findChildren<QComboBox*>(QStringLiteral("addressMode"));
        QCOMPARE(rows.size(), 1);
        QTest::mouseClick(nics()->addButton(), Qt::LeftButton);
        QTRY_COMPARE(field<QWidget>(QStringLiteral("guestAddresses"))
                         ->findChildren<QComboBox*>(QStringLiteral("addressMode"))
                         .size(),
                     2);
        field<QLineEdit>(QStringLiteral("customizationHostName"))->setText(QStringLiteral("web-01"));
        field<QLineEdit>(QStringLiteral("customizationDnsServers"))->setText(QStringLiteral("10.0.0.2, 10.0.0.3"));
        c = m_form->spec().customization;
        QVERIFY(c.mode == GuestCustomization::Mode::Linux);
        QCOMPARE(c.hostName, QStringLiteral("web-01"));
        QCOMPARE(c.dnsServers, (QStringList{QStringLiteral("10.0.0.2"), QStringLiteral("10.0.0.3")}));
        QCOMPARE(c.nics.size(), 2);
        QVERIFY(c.nics.at(0).dhcp && c.nics.at(1).dhcp);
    }

    // Linux settings with several mistakes: every problem of the domain at its own field, at once.
    void customizationProblemsAreShownAtTheirFieldsAllAtOnce()
    {
        chooseTemplate();
        auto* mode = field<QComboBox>(QStringLiteral("customizationMode"));
        mode->setCurrentIndex(mode->findData(int(GuestCustomization::Mode::Linux)));
        QTest::mouseClick(nics()->addButton(), Qt::LeftButton);
        field<QLineEdit>(QStringLiteral("customizationHostName"))->setText(QStringLiteral("-web_01"));
        field<QLineEdit>(QStringLiteral("customizationDomain"))->setText(QStringLiteral("example..com"));
        field<QLineEdit>(QStringLiteral("customizationDnsServers"))->setText(QStringLiteral("10.0.0.2, dns.example"));
        auto* box = field<QWidget>(QStringLiteral("guestAddresses"));
        const auto modes = box->findChildren<QComboBox*>(QStringLiteral("addressMode"));
        const auto addresses = box->findChildren<QLineEdit*>(QStringLiteral("address"));
        const auto gateways = box->findChildren<QLineEdit*>(QStringLiteral("gateway"));
        QCOMPARE(modes.size(), 2);
        modes.at(1)->setCurrentIndex(1); // static
        QVERIFY(addresses.at(1)->isVisibleTo(m_form.get()));
        QVERIFY(!addresses.at(0)->isVisibleTo(m_form.get())); // DHCP: no address to type
        addresses.at(1)->setText(QStringLiteral("10.0.0.5"));
        gateways.at(1)->setText(QStringLiteral("192.168.1.1")); // not on 10.0.0.0/24

        QVERIFY(!submitButton()->isEnabled());
        QSet<QString> fields;
        for (const FieldProblem& p : m_form->problems())
            fields.insert(p.field);
        for (const char* f : {"customization.hostName", "customization.domain", "customization.nics[1].gateway"})
            QVERIFY2(fields.contains(QLatin1String(f)), f);
        QVERIFY2(!m_form->fieldNoteText(QStringLiteral("customization.hostName")).isEmpty(), "host name note");
        QVERIFY2(!m_form->fieldNoteText(QStringLiteral("customization.domain")).isEmpty(), "domain note");
        // "customization.dnsServers[1]" goes under the DNS servers field.
        QVERIFY2(!m_form->fieldNoteText(QStringLiteral("customization.dnsServers")).isEmpty(), "dns note");
        // The gateway's problem under NIC 2's address row, not NIC 1's.
        QVERIFY2(!m_form->addressNoteText(1).isEmpty(), "nic 2 note");
        QCOMPARE(m_form->addressNoteText(0), QString());
        // Nothing was left without a place.
        QVERIFY(!m_form->findChild<QLabel*>(QStringLiteral("problemSummary"))->text().isEmpty());

        // Fixed one by one, the notes go and Submit comes back.
        field<QLineEdit>(QStringLiteral("customizationHostName"))->setText(QStringLiteral("web-01"));
        QCOMPARE(m_form->fieldNoteText(QStringLiteral("customization.hostName")), QString());
        field<QLineEdit>(QStringLiteral("customizationDomain"))->setText(QStringLiteral("example.com"));
        field<QLineEdit>(QStringLiteral("customizationDnsServers"))->setText(QStringLiteral("10.0.0.2"));
        gateways.at(1)->setText(QStringLiteral("10.0.0.1"));
        QCOMPARE(m_form->addressNoteText(1), QString());
        QVERIFY2(submitButton()->isEnabled(), qPrintable(field<QLabel>(QStringLiteral("problemSummary"))->text()));
        const GuestCustomization c = m_form->spec().customization;
        QCOMPARE(c.nics.at(1), (NicAddress{false, QStringLiteral("10.0.0.5"), 24, QStringLiteral("10.0.0.1")}));
    }

    // A count above 1: the name is a pattern, and the preview lists every VM's name and addresses as
    // the domain expands them; a pattern without a number is the name field's problem.
    void batchPreviewShowsNamesAndAddresses()
    {
        chooseTemplate(QStringLiteral("web-{nn}"));
        auto* mode = field<QComboBox>(QStringLiteral("customizationMode"));
        mode->setCurrentIndex(mode->findData(int(GuestCustomization::Mode::Linux)));
        field<QLineEdit>(QStringLiteral("customizationHostName"))->setText(QStringLiteral("web-{nn}"));
        auto* box = field<QWidget>(QStringLiteral("guestAddresses"));
        box->findChildren<QComboBox*>(QStringLiteral("addressMode")).at(0)->setCurrentIndex(1);
        box->findChildren<QLineEdit*>(QStringLiteral("address")).at(0)->setText(QStringLiteral("10.0.0.11"));
        QVERIFY(!shown(QStringLiteral("batchGroup")));

        field<QSpinBox>(QStringLiteral("count"))->setValue(3);
        QVERIFY(shown(QStringLiteral("batchGroup")));
        QCOMPARE(m_form->batchPreviewLines(),
                 (QStringList{QStringLiteral("web-01  10.0.0.11/24"), QStringLiteral("web-02  10.0.0.12/24"),
                              QStringLiteral("web-03  10.0.0.13/24")}));
        QCOMPARE(field<QLineEdit>(QStringLiteral("name"))->accessibleName(), QStringLiteral("VM name pattern"));
        QVERIFY2(submitButton()->isEnabled(), qPrintable(field<QLabel>(QStringLiteral("problemSummary"))->text()));

        // Without a number in the name, three VMs would share one name: the name field says so.
        auto* name = field<QLineEdit>(QStringLiteral("name"));
        name->setText(QStringLiteral("web"));
        QVERIFY(!submitButton()->isEnabled());
        QVERIFY(!m_form->fieldNoteText(QStringLiteral("name")).isEmpty());
        QVERIFY(m_form->batchPreviewLines().isEmpty());
        name->setText(QStringLiteral("web-{n}"));
        QCOMPARE(m_form->batchPreviewLines().value(2), QStringLiteral("web-3  10.0.0.13/24"));

        // One host name for three guests: the host name field says so, nothing can be submitted.
        auto* hostName = field<QLineEdit>(QStringLiteral("customizationHostName"));
        hostName->setText(QStringLiteral("web"));
        QVERIFY(!submitButton()->isEnabled());
        QVERIFY(m_form->fieldNoteText(QStringLiteral("customization.hostName")).contains(QStringLiteral("{nn}")));
        hostName->setText(QStringLiteral("web-{nn}"));
        QVERIFY2(submitButton()->isEnabled(), qPrintable(field<QLabel>(QStringLiteral("problemSummary"))->text()));

        // Back to one VM: no preview, the name is a name again.
        field<QSpinBox>(QStringLiteral("count"))->setValue(1);
        QVERIFY(!shown(QStringLiteral("batchGroup")));
        QCOMPARE(name->accessibleName(), QStringLiteral("VM name"));
    }

    // Batch members carry "batch · i of n" in the Batch column, the search finds them by the batch's
    // short id, and the guest's host name and address have their columns.
    void tableGroupsBatchMembersAndShowsGuestIdentity()
    {
        const QUuid batch = QUuid::createUuid();
        QList<ProvisioningRequest> requests;
        for (int i = 0; i < 2; ++i) {
            ProvisioningRequest r(QUuid::createUuid(), validSpec(QStringLiteral("web-0%1").arg(i + 1)),
                                  QDateTime(QDate(2026, 1, 1), QTime(8, 0, i), Qt::UTC));
            r.setBatchId(batch);
            requests.prepend(r); // the service lists newest first
        }
        requests.front().setGuestHostName(QStringLiteral("web-02.example.com"));
        requests.front().setIpAddress(QStringLiteral("10.0.0.12"));
        ProvisioningRequest single(QUuid::createUuid(), validSpec(QStringLiteral("db-01")),
                                   QDateTime(QDate(2026, 1, 1), QTime(9, 0), Qt::UTC));
        requests.prepend(single);
        RequestTableModel model;
        model.setRequests(requests);
        const QString shortId = batch.toString(QUuid::WithoutBraces).left(8);
        const int first = model.rowOf(requests.at(2).id());
        const int second = model.rowOf(requests.at(1).id());
        QCOMPARE(model.index(first, RequestTableModel::BatchColumn).data().toString(),
                 QStringLiteral("%1 · 1 of 2").arg(shortId));
        QCOMPARE(model.index(second, RequestTableModel::BatchColumn).data().toString(),
                 QStringLiteral("%1 · 2 of 2").arg(shortId));
        QCOMPARE(model.index(model.rowOf(single.id()), RequestTableModel::BatchColumn).data().toString(), QString());
        QCOMPARE(model.index(second, RequestTableModel::GuestHostColumn).data().toString(),
                 QStringLiteral("web-02.example.com"));
        QCOMPARE(model.index(second, RequestTableModel::IpAddressColumn).data().toString(),
                 QStringLiteral("10.0.0.12"));
        QCOMPARE(model.index(first, RequestTableModel::IpAddressColumn).data().toString(), QString());

        // A third member arrives: every member is counted anew.
        ProvisioningRequest third(QUuid::createUuid(), validSpec(QStringLiteral("web-03")),
                                  QDateTime(QDate(2026, 1, 1), QTime(8, 0, 2), Qt::UTC));
        third.setBatchId(batch);
        model.applyChange(third);
        model.flush();
        QCOMPARE(model.index(first, RequestTableModel::BatchColumn).data().toString(),
                 QStringLiteral("%1 · 1 of 3").arg(shortId));

        RequestFilterProxy proxy;
        proxy.setSourceModel(&model);
        proxy.setNameFilter(shortId);
        QCOMPARE(proxy.rowCount(), 3);
        proxy.setNameFilter(QStringLiteral("db-"));
        QCOMPARE(proxy.rowCount(), 1);

        RequestDetailsPane pane(&model);
        pane.showRequest(requests.at(1).id());
        QString summary;
        for (const QLabel* l : pane.findChildren<QLabel*>())
            if (l->text().contains(QStringLiteral("<table>")))
                summary = l->text();
        QVERIFY2(summary.contains(QStringLiteral("web-02.example.com · 10.0.0.12")), qPrintable(summary));
        QVERIFY(summary.contains(batch.toString(QUuid::WithoutBraces)));
    }

    // The requests table names the source; the details show the NICs and the customization in words.
    void tableAndDetailsShowSourceNicsAndCustomization()
    {
        chooseTemplate(QStringLiteral("db-01"));
        auto* mode = field<QComboBox>(QStringLiteral("customizationMode"));
        mode->setCurrentIndex(mode->findData(int(GuestCustomization::Mode::SavedSpec)));
        QTRY_VERIFY(submitButton()->isEnabled());
        QSignalSpy answered(m_client.get(), &ServiceClient::submitAnswered);
        QTest::mouseClick(submitButton(), Qt::LeftButton);
        QTRY_COMPARE(answered.count(), 1);
        const auto answer = answered.at(0).at(0).value<SubmitAnswer>();
        QVERIFY2(answer.accepted(), qPrintable(answer.message));

        RequestTableModel model;
        model.setRequests({*m_h->store->get(answer.id).value()});
        QCOMPARE(model.index(0, RequestTableModel::SourceColumn).data().toString(), QStringLiteral("ubuntu-22.04"));
        QCOMPARE(model.index(0, RequestTableModel::SourceColumn).data(Qt::ToolTipRole).toString(),
                 QStringLiteral("/DC0/vm/templates/ubuntu-22.04"));
        QCOMPARE(model.headerData(RequestTableModel::GuestHostColumn, Qt::Horizontal).toString(),
                 QStringLiteral("Guest host name"));
        QCOMPARE(model.headerData(RequestTableModel::IpAddressColumn, Qt::Horizontal).toString(),
                 QStringLiteral("IP address"));
        RequestDetailsPane pane(&model);
        pane.showRequest(answer.id);
        QString summary;
        for (const QLabel* l : pane.findChildren<QLabel*>())
            if (l->text().contains(QStringLiteral("<table>")))
                summary = l->text();
        QVERIFY2(summary.contains(QStringLiteral("template /DC0/vm/templates/ubuntu-22.04")), qPrintable(summary));
        QVERIFY(summary.contains(QStringLiteral("vCPUs as the template")));
        QVERIFY(summary.contains(QStringLiteral("saved specification vcsim-linux")));
        QVERIFY(summary.contains(QStringLiteral("VM Network (vmxnet3)")));

        RequestTableModel blank;
        blank.setRequests({ProvisioningRequest(QUuid::createUuid(), validSpec(), QDateTime::currentDateTimeUtc())});
        QCOMPARE(blank.index(0, RequestTableModel::SourceColumn).data().toString(), QStringLiteral("Blank VM"));
    }
};

QTEST_MAIN(TestVmSpecFormTemplates)
#include "TestVmSpecFormTemplates.moc"
