#include "ui/VmSpecForm.h"

#include "domain/CapacityAdvisor.h"
#include "domain/GuestOsCatalog.h"
#include "ui/Banner.h"
#include "ui/DiskListEditor.h"
#include "ui/FieldNote.h"
#include "ui/InventoryListModel.h"
#include "ui/NumberField.h"
#include "ui/PageScrollArea.h"
#include "ui/ServiceClient.h"
#include "ui/UiFormat.h"
#include "ui/UiSettings.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QSet>
#include <QShortcut>
#include <QStyle>
#include <QThreadPool>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <QVersionNumber>

namespace dcm {

namespace {

constexpr int unitMiB = 0;
constexpr int unitGiB = 1;

int at(auto picker)
{
    return int(picker);
}

const QRegularExpression& diskField()
{
    static const QRegularExpression re(QStringLiteral("^disks\\[(\\d+)\\]"));
    return re;
}

} // namespace

VmSpecForm::VmSpecForm(ServiceClient* client, UiSettings* settings, QWidget* parent)
    : QWidget(parent), m_client(client), m_settings(settings), m_clock(&UiFormat::systemClock())
{
    setObjectName(QStringLiteral("newVmForm"));

    auto* content = new QWidget;
    auto* columns = new QHBoxLayout(content);
    columns->setContentsMargins(12, 12, 12, 12);
    columns->setSpacing(16);
    auto* left = new QVBoxLayout;
    left->setSpacing(12);
    left->addWidget(buildIdentity());
    left->addWidget(buildHardware());
    left->addStretch(1);
    auto* right = new QVBoxLayout;
    right->addWidget(buildPlacement());
    right->addStretch(1);
    columns->addLayout(left, 1);
    columns->addLayout(right, 1);

    auto* scroll = new PageScrollArea(content, this);

    m_feedback = new Banner(this);
    m_feedback->setObjectName(QStringLiteral("submitFeedback"));
    m_feedback->keepSpace();
    m_generalNote = new FieldNote(FieldNote::Kind::Problem, nullptr, this);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("problemSummary"));
    m_summary->setWordWrap(true);
    m_reset = new QPushButton(tr("C&lear"), this);
    m_reset->setToolTip(tr("Clear the name, notes and hardware; keep the placement"));
    m_submit = new QPushButton(tr("&Submit request"), this);
    m_submit->setObjectName(QStringLiteral("submit"));
    m_submit->setIcon(style()->standardIcon(QStyle::SP_DialogApplyButton));
    m_submit->setAccessibleName(tr("Submit request"));

    auto* buttons = new QHBoxLayout;
    buttons->setContentsMargins(12, 0, 12, 0);
    buttons->addWidget(m_summary, 1);
    buttons->addWidget(m_reset);
    buttons->addWidget(m_submit);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 10);
    layout->setSpacing(8);
    layout->addWidget(scroll, 1);
    auto* bottom = new QVBoxLayout;
    bottom->setContentsMargins(12, 0, 12, 0);
    bottom->addWidget(m_generalNote);
    bottom->addWidget(m_feedback);
    layout->addLayout(bottom);
    layout->addLayout(buttons);

    auto* submitShortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this);
    submitShortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(submitShortcut, &QShortcut::activated, this, &VmSpecForm::submit);
    m_submit->setToolTip(tr("Submit the request (%1)").arg(submitShortcut->key().toString(QKeySequence::NativeText)));
    connect(m_submit, &QPushButton::clicked, this, &VmSpecForm::submit);
    connect(m_reset, &QPushButton::clicked, this, [this] {
        m_name->clear();
        m_annotation->clear();
        m_cpus->setValue(2);
        m_cores->setValue(1);
        m_memoryUnit->setCurrentIndex(unitGiB);
        m_memory->setValue(4);
        m_disks->setDisks({DiskSpec{40 * 1024, true}});
        m_powerOn->setChecked(false);
        m_nameTouched = false;
        m_feedback->dismiss();
        revalidate();
    });
    connect(m_name, &QLineEdit::returnPressed, this, &VmSpecForm::submit);
    connect(m_feedback, &Banner::actionTriggered, this, [this] {
        if (!m_lastAccepted.isNull())
            Q_EMIT showRequestRequested(m_lastAccepted);
    });

    // Keyboard order follows the eye: identity, hardware, then placement, then the buttons.
    QWidget* chain[] = {m_name,    m_guestOs,    m_annotation,
                        m_powerOn, m_cpus,       m_cores,
                        m_memory,  m_memoryUnit, m_disks->firstFocusWidget()};
    for (size_t i = 0; i + 1 < std::size(chain); ++i)
        setTabOrder(chain[i], chain[i + 1]);
    setTabOrder(m_disks->lastFocusWidget(), m_refresh);
    QWidget* placement[] = {m_refresh,
                            m_pickers[at(Picker::Datacenter)],
                            m_pickers[at(Picker::Compute)],
                            m_pickers[at(Picker::Host)],
                            m_pickers[at(Picker::Datastore)],
                            m_pickers[at(Picker::Network)],
                            m_pickers[at(Picker::Folder)],
                            m_reset,
                            m_submit};
    for (size_t i = 0; i + 1 < std::size(placement); ++i)
        setTabOrder(placement[i], placement[i + 1]);

    // The inventory's age moves on: its status line, and a taken name that turns from an error into a
    // warning once the VM list is no longer fresh.
    m_ageTimer = new QTimer(this);
    m_ageTimer->setInterval(10000);
    connect(m_ageTimer, &QTimer::timeout, this, [this] {
        updateInventoryStatus();
        revalidate();
    });
    m_ageTimer->start();

    connect(client, &ServiceClient::inventoryChanged, this, &VmSpecForm::setInventory);
    connect(client, &ServiceClient::inventoryFailed, this, [this](const Error& error) {
        m_refreshing = false;
        m_inventoryError = error;
        if (!m_cascade.hasInventory())
            setPickersEditable(true);
        updateInventoryStatus();
    });
    connect(client, &ServiceClient::connectionChanged, this, [this](const ConnectionStatus& status) {
        if (status.state == ConnectionStatus::State::Connected && status.about.apiVersion != m_apiVersion)
            fillGuestOs(status.about.apiVersion);
    });
    connect(client, &ServiceClient::submitAnswered, this, &VmSpecForm::onAnswer);

    fillGuestOs(client->connection().about.apiVersion);
    restoreChoices();
    setPickersEditable(true);
    m_ready = true;
    if (client->inventory())
        setInventory(*client->inventory());
    updateInventoryStatus();
    revalidate();
}

VmSpecForm::~VmSpecForm() = default;

void VmSpecForm::setClock(const ClockPort& clock)
{
    m_clock = &clock;
    updateInventoryStatus();
    revalidate();
}

QWidget* VmSpecForm::withNote(QWidget* field, FieldNote* note, FieldNote* second, QWidget* extra)
{
    auto* box = new QWidget;
    auto* v = new QVBoxLayout(box);
    v->setContentsMargins(0, 0, 0, 0);
    v->setSpacing(3);
    if (extra) {
        auto* h = new QHBoxLayout;
        h->setSpacing(8);
        h->addWidget(field, 1);
        h->addWidget(extra);
        v->addLayout(h);
    } else {
        v->addWidget(field);
    }
    v->addWidget(note);
    if (second)
        v->addWidget(second);
    return box;
}

QWidget* VmSpecForm::buildIdentity()
{
    auto* group = new QGroupBox(tr("Identity"));
    auto* form = new QFormLayout(group);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    m_name = new QLineEdit;
    m_name->setObjectName(QStringLiteral("name"));
    m_name->setPlaceholderText(tr("e.g. web-frontend-07"));
    m_name->setToolTip(
        tr("The VM's name in vCenter (at most %1 characters; no %, / or \\)").arg(VmSpec::maxNameLength));
    m_name->setAccessibleName(tr("VM name"));
    m_name->setClearButtonEnabled(true);
    m_notes.insert(QStringLiteral("name"), new FieldNote(FieldNote::Kind::Problem, m_name));
    m_nameWarning = new FieldNote(FieldNote::Kind::Warning, nullptr);
    auto* nameLabel = new QLabel(tr("&Name:"));
    nameLabel->setBuddy(m_name);
    form->addRow(nameLabel, withNote(m_name, m_notes.value(QStringLiteral("name")), m_nameWarning));
    connect(m_name, &QLineEdit::textEdited, this, [this] { m_nameTouched = true; });
    connect(m_name, &QLineEdit::textChanged, this, [this] { revalidate(); });

    m_guestOs = new QComboBox;
    m_guestOs->setObjectName(QStringLiteral("guestOs"));
    m_guestOs->setAccessibleName(tr("Guest operating system"));
    m_guestOs->setToolTip(tr("The operating system you will install: vSphere tunes the virtual hardware for it"));
    m_guestOs->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_guestOs->setMinimumContentsLength(24);
    m_notes.insert(QStringLiteral("guestId"), new FieldNote(FieldNote::Kind::Problem, m_guestOs));
    auto* guestLabel = new QLabel(tr("&Guest OS:"));
    guestLabel->setBuddy(m_guestOs);
    form->addRow(guestLabel, withNote(m_guestOs, m_notes.value(QStringLiteral("guestId"))));
    connect(m_guestOs, &QComboBox::currentIndexChanged, this, &VmSpecForm::revalidate);

    m_annotation = new QPlainTextEdit;
    m_annotation->setObjectName(QStringLiteral("annotation"));
    m_annotation->setAccessibleName(tr("Annotation"));
    m_annotation->setPlaceholderText(tr("Notes shown in vCenter (owner, purpose, ticket …)"));
    m_annotation->setTabChangesFocus(true);
    m_annotation->setFixedHeight(m_annotation->fontMetrics().lineSpacing() * 4 + 12);
    m_annotationCount = new QLabel;
    m_annotationCount->setAlignment(Qt::AlignRight | Qt::AlignTop);
    m_annotationCount->setForegroundRole(QPalette::PlaceholderText);
    m_notes.insert(QStringLiteral("annotation"), new FieldNote(FieldNote::Kind::Problem, m_annotation));
    auto* notesBox = new QWidget;
    auto* notesLayout = new QVBoxLayout(notesBox);
    notesLayout->setContentsMargins(0, 0, 0, 0);
    notesLayout->setSpacing(2);
    notesLayout->addWidget(m_annotation);
    notesLayout->addWidget(m_annotationCount);
    auto* annotationLabel = new QLabel(tr("A&nnotation:"));
    annotationLabel->setBuddy(m_annotation);
    form->addRow(annotationLabel, withNote(notesBox, m_notes.value(QStringLiteral("annotation"))));
    connect(m_annotation, &QPlainTextEdit::textChanged, this, [this] {
        m_annotationCount->setText(
            tr("%1 / %2").arg(m_annotation->toPlainText().size()).arg(VmSpec::maxAnnotationLength));
        revalidate();
    });

    m_powerOn = new QCheckBox(tr("&Power on after creation"));
    m_powerOn->setObjectName(QStringLiteral("powerOn"));
    m_powerOn->setToolTip(tr("Start the VM as soon as vCenter has created it"));
    form->addRow(QString(), m_powerOn);
    connect(m_powerOn, &QCheckBox::toggled, this, &VmSpecForm::revalidate);
    return group;
}

QWidget* VmSpecForm::buildHardware()
{
    auto* group = new QGroupBox(tr("Hardware"));
    auto* form = new QFormLayout(group);
    form->setFieldGrowthPolicy(QFormLayout::FieldsStayAtSizeHint);

    // The arrows stay within the domain's limits; anything typed stays as typed, and the domain's words
    // (or the field's, for text that is no number) say what is wrong with it.
    m_cpus = new NumberField;
    m_cpus->setObjectName(QStringLiteral("cpus"));
    m_cpus->setRange(1, VmSpec::maxCpus);
    m_cpus->setLimits(-1e9, 1e9);
    m_cpus->setValue(2);
    m_cpus->setSuffix(tr(" vCPU"));
    m_cpus->setAccessibleName(tr("Virtual CPUs"));
    m_cpus->setToolTip(tr("Number of virtual CPUs (1 to %1)").arg(VmSpec::maxCpus));
    m_notes.insert(QStringLiteral("cpus"), new FieldNote(FieldNote::Kind::Problem, m_cpus));
    auto* cpuLabel = new QLabel(tr("&CPUs:"));
    cpuLabel->setBuddy(m_cpus);
    form->addRow(cpuLabel, withNote(m_cpus, m_notes.value(QStringLiteral("cpus"))));

    m_cores = new NumberField;
    m_cores->setObjectName(QStringLiteral("coresPerSocket"));
    m_cores->setRange(1, VmSpec::maxCpus);
    m_cores->setLimits(-1e9, 1e9);
    m_cores->setValue(1);
    m_cores->setAccessibleName(tr("Cores per socket"));
    m_cores->setToolTip(tr("How the vCPUs are grouped into sockets; it must divide the number of CPUs"));
    m_socketsHint = new QLabel;
    m_socketsHint->setForegroundRole(QPalette::PlaceholderText);
    m_notes.insert(QStringLiteral("coresPerSocket"), new FieldNote(FieldNote::Kind::Problem, m_cores));
    auto* coresLabel = new QLabel(tr("Cores per &socket:"));
    coresLabel->setBuddy(m_cores);
    form->addRow(coresLabel,
                 withNote(m_cores, m_notes.value(QStringLiteral("coresPerSocket")), nullptr, m_socketsHint));
    const auto cpuChanged = [this] {
        const qint64 cpus = qint64(m_cpus->value().value_or(0));
        const qint64 cores = qint64(m_cores->value().value_or(0));
        m_socketsHint->setText(cpus > 0 && cores > 0 && cpus % cores == 0 ? tr("sockets: %1").arg(cpus / cores)
                                                                          : QString());
        revalidate();
    };
    connect(m_cpus, &NumberField::valueChanged, this, cpuChanged);
    connect(m_cores, &NumberField::valueChanged, this, cpuChanged);

    m_memory = new NumberField;
    m_memory->setObjectName(QStringLiteral("memory"));
    m_memory->setAccessibleName(tr("Memory"));
    m_memory->setAlignment(Qt::AlignRight);
    m_memoryUnit = new QComboBox;
    m_memoryUnit->setObjectName(QStringLiteral("memoryUnit"));
    m_memoryUnit->setAccessibleName(tr("Memory unit"));
    m_memoryUnit->addItem(tr("MiB"));
    m_memoryUnit->addItem(tr("GiB"));
    m_memoryUnit->setCurrentIndex(unitGiB);
    m_memory->setDecimals(2);
    m_memory->setRange(0, double(VmSpec::maxMemoryMiB) / 1024.0);
    m_memory->setLimits(-1e9, 1e9);
    m_memory->setValue(4);
    m_memory->setToolTip(tr("Memory of the VM; a multiple of %1 MiB").arg(VmSpec::memoryGranuleMiB));
    auto* memoryRow = new QWidget;
    auto* memoryLayout = new QHBoxLayout(memoryRow);
    memoryLayout->setContentsMargins(0, 0, 0, 0);
    memoryLayout->addWidget(m_memory);
    memoryLayout->addWidget(m_memoryUnit);
    memoryLayout->addStretch(1);
    m_notes.insert(QStringLiteral("memoryMiB"), new FieldNote(FieldNote::Kind::Problem, m_memory));
    auto* memoryLabel = new QLabel(tr("&Memory:"));
    memoryLabel->setBuddy(m_memory);
    form->addRow(memoryLabel, withNote(memoryRow, m_notes.value(QStringLiteral("memoryMiB"))));
    connect(m_memory, &NumberField::valueChanged, this, [this] { revalidate(); });
    connect(m_memoryUnit, &QComboBox::currentIndexChanged, this, &VmSpecForm::onMemoryUnitChanged);

    m_disks = new DiskListEditor;
    m_disks->setObjectName(QStringLiteral("disks"));
    auto* disksLabel = new QLabel(tr("Disks:"));
    form->addRow(disksLabel, m_disks);
    connect(m_disks, &DiskListEditor::changed, this, [this] { revalidate(); });
    m_disks->setDisks({DiskSpec{40 * 1024, true}});
    return group;
}

QComboBox* VmSpecForm::makePicker(Picker picker, const QString& objectName)
{
    auto* combo = new QComboBox;
    auto* model = new InventoryListModel(combo);
    combo->setObjectName(objectName);
    combo->setModel(model);
    // Thousands of entries: no width scan over all of them, uniform rows in the popup.
    combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    combo->setMinimumContentsLength(28);
    combo->setMaxVisibleItems(20);
    combo->setInsertPolicy(QComboBox::NoInsert);
    auto* view = new QListView(combo);
    view->setUniformItemSizes(true);
    combo->setView(view);
    m_pickers[at(picker)] = combo;
    // Typed placement (no inventory yet): validated as it is typed.
    connect(combo, &QComboBox::editTextChanged, this, [this] {
        if (m_filling)
            return;
        revalidate();
    });
    m_models[at(picker)] = model;
    connect(combo, &QComboBox::currentIndexChanged, this, [this, picker](int row) {
        if (m_filling)
            return;
        onPicked(picker, row);
    });
    return combo;
}

QWidget* VmSpecForm::buildPlacement()
{
    auto* group = new QGroupBox(tr("Placement"));
    auto* outer = new QVBoxLayout(group);

    auto* statusRow = new QHBoxLayout;
    m_inventoryStatus = new QLabel;
    m_inventoryStatus->setObjectName(QStringLiteral("inventoryStatus"));
    m_inventoryStatus->setWordWrap(true);
    m_inventoryStatus->setForegroundRole(QPalette::PlaceholderText);
    m_refresh = new QToolButton;
    m_refresh->setObjectName(QStringLiteral("refreshInventory"));
    m_refresh->setText(tr("&Refresh"));
    m_refresh->setIcon(style()->standardIcon(QStyle::SP_BrowserReload));
    m_refresh->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_refresh->setToolTip(tr("Fetch the inventory from vCenter again (F5)"));
    m_refresh->setAccessibleName(tr("Refresh inventory"));
    statusRow->addWidget(m_inventoryStatus, 1);
    statusRow->addWidget(m_refresh);
    outer->addLayout(statusRow);
    m_inventoryNote = new FieldNote(FieldNote::Kind::Warning, nullptr);
    outer->addWidget(m_inventoryNote);
    connect(m_refresh, &QToolButton::clicked, this, &VmSpecForm::refreshInventory);

    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    outer->addLayout(form);
    const auto addPicker = [&](Picker picker, const QString& field, const QString& objectName, const QString& label,
                               const QString& accessible, const QString& tip, QWidget* hint = nullptr,
                               QWidget* warning = nullptr) {
        QComboBox* combo = makePicker(picker, objectName);
        combo->setAccessibleName(accessible);
        combo->setToolTip(tip);
        auto* note = new FieldNote(FieldNote::Kind::Problem, combo);
        m_notes.insert(field, note);
        auto* box = new QWidget;
        auto* v = new QVBoxLayout(box);
        v->setContentsMargins(0, 0, 0, 0);
        v->setSpacing(3);
        v->addWidget(combo);
        if (hint)
            v->addWidget(hint);
        v->addWidget(note);
        if (warning)
            v->addWidget(warning);
        auto* l = new QLabel(label);
        l->setBuddy(combo);
        form->addRow(l, box);
    };

    m_hostHint = new QLabel;
    m_hostHint->setObjectName(QStringLiteral("hostHint"));
    m_hostHint->setWordWrap(true);
    m_hostHint->setForegroundRole(QPalette::PlaceholderText);
    m_hostWarning = new FieldNote(FieldNote::Kind::Warning, nullptr);
    m_hostWarning->setObjectName(QStringLiteral("hostWarning"));
    m_datastoreHint = new QLabel;
    m_datastoreHint->setObjectName(QStringLiteral("datastoreHint"));
    m_datastoreHint->setWordWrap(true);
    m_datastoreHint->setForegroundRole(QPalette::PlaceholderText);
    m_datastoreWarning = new FieldNote(FieldNote::Kind::Warning, nullptr);
    m_datastoreWarning->setObjectName(QStringLiteral("datastoreWarning"));
    m_submitAnyway = new QCheckBox(tr("Submit &anyway: I expect it to fit"));
    m_submitAnyway->setObjectName(QStringLiteral("submitAnyway"));
    m_submitAnyway->setToolTip(tr("Thin disks, or space freed before vCenter creates the VM, may make it fit. "
                                  "Ticking this enables Submit for this datastore."));
    m_submitAnyway->hide();
    connect(m_submitAnyway, &QCheckBox::toggled, this, [this](bool on) {
        m_fitConfirmedFor = on ? spec().datastore : QString();
        revalidate();
    });
    auto* datastoreNotes = new QWidget;
    auto* datastoreNotesLayout = new QVBoxLayout(datastoreNotes);
    datastoreNotesLayout->setContentsMargins(0, 0, 0, 0);
    datastoreNotesLayout->setSpacing(3);
    datastoreNotesLayout->addWidget(m_datastoreWarning);
    datastoreNotesLayout->addWidget(m_submitAnyway);

    addPicker(Picker::Datacenter, QStringLiteral("datacenter"), QStringLiteral("datacenter"), tr("&Datacenter:"),
              tr("Datacenter"), tr("The datacenter the VM belongs to"));
    addPicker(Picker::Compute, QStringLiteral("cluster"), QStringLiteral("compute"), tr("Cl&uster or pool:"),
              tr("Cluster or resource pool"), tr("Where the VM's CPU and memory come from"));
    addPicker(Picker::Host, QStringLiteral("host"), QStringLiteral("host"), tr("&Host:"), tr("Host"),
              tr("A specific host, or let vCenter (DRS) choose one"), m_hostHint, m_hostWarning);
    addPicker(Picker::Datastore, QStringLiteral("datastore"), QStringLiteral("datastore"), tr("Datas&tore:"),
              tr("Datastore"),
              tr("Where the VM's files and disks are stored; only datastores the chosen hosts "
                 "reach are listed"),
              m_datastoreHint, datastoreNotes);
    addPicker(Picker::Network, QStringLiteral("nics[0].network"), QStringLiteral("network"), tr("Net&work:"),
              tr("Network"),
              tr("The network of the VM's first adapter; only networks the chosen hosts reach are listed"));
    addPicker(Picker::Folder, QStringLiteral("folder"), QStringLiteral("folder"), tr("&Folder:"), tr("VM folder"),
              tr("The VM folder it is created in"));
    return group;
}

void VmSpecForm::restoreChoices()
{
    m_cascade.setPreferred(Picker::Datacenter, m_settings->lastChoice(QStringLiteral("datacenter")).toString());
    m_cascade.setPreferred(Picker::Compute, m_settings->lastChoice(QStringLiteral("compute")).toString());
    m_cascade.setPreferred(Picker::Host, m_settings->lastChoice(QStringLiteral("host")).toString());
    m_cascade.setPreferred(Picker::Datastore, m_settings->lastChoice(QStringLiteral("datastore")).toString());
    m_cascade.setPreferred(Picker::Network, m_settings->lastChoice(QStringLiteral("network")).toString());
    m_cascade.setPreferred(Picker::Folder, m_settings->lastChoice(QStringLiteral("folder")).toString());
    const QString guest = m_settings->lastChoice(QStringLiteral("guestId")).toString();
    if (const int i = m_guestOs->findData(guest); i >= 0)
        m_guestOs->setCurrentIndex(i);
    m_cpus->setValue(m_settings->lastChoice(QStringLiteral("cpus"), 2).toDouble());
    m_cores->setValue(m_settings->lastChoice(QStringLiteral("coresPerSocket"), 1).toDouble());
    const qint64 memory = m_settings->lastChoice(QStringLiteral("memoryMiB"), 4096).toLongLong();
    const int unit =
        m_settings->lastChoice(QStringLiteral("memoryUnit"), unitGiB).toInt() == unitMiB ? unitMiB : unitGiB;
    m_memoryUnit->setCurrentIndex(unit);
    m_memory->setValue(unit == unitGiB ? double(memory) / 1024.0 : double(memory));
    const QStringList disks = m_settings->lastChoice(QStringLiteral("disks")).toStringList();
    if (!disks.isEmpty()) {
        QList<DiskSpec> restored;
        for (const QString& d : disks) {
            const QStringList parts = d.split(QLatin1Char(':'));
            restored.append(DiskSpec{parts.value(0).toLongLong(), parts.value(1) != QLatin1String("thick")});
        }
        m_disks->setDisks(restored);
    }
    m_powerOn->setChecked(m_settings->lastChoice(QStringLiteral("powerOn"), false).toBool());
}

void VmSpecForm::saveChoices()
{
    const VmSpec s = spec();
    m_settings->setLastChoice(QStringLiteral("datacenter"), pickerValue(Picker::Datacenter));
    m_settings->setLastChoice(QStringLiteral("compute"), pickerValue(Picker::Compute));
    m_settings->setLastChoice(QStringLiteral("host"), pickerValue(Picker::Host));
    m_settings->setLastChoice(QStringLiteral("datastore"), pickerValue(Picker::Datastore));
    m_settings->setLastChoice(QStringLiteral("network"), pickerValue(Picker::Network));
    m_settings->setLastChoice(QStringLiteral("folder"), pickerValue(Picker::Folder));
    m_settings->setLastChoice(QStringLiteral("guestId"), s.guestId);
    m_settings->setLastChoice(QStringLiteral("cpus"), s.cpus);
    m_settings->setLastChoice(QStringLiteral("coresPerSocket"), s.coresPerSocket);
    m_settings->setLastChoice(QStringLiteral("memoryMiB"), s.memoryMiB);
    m_settings->setLastChoice(QStringLiteral("memoryUnit"), m_memoryUnit->currentIndex());
    QStringList disks;
    for (const DiskSpec& d : s.disks)
        disks << QStringLiteral("%1:%2").arg(d.sizeMiB).arg(d.thin ? QStringLiteral("thin") : QStringLiteral("thick"));
    m_settings->setLastChoice(QStringLiteral("disks"), disks);
    m_settings->setLastChoice(QStringLiteral("powerOn"), s.powerOn);
}

void VmSpecForm::fillGuestOs(const QString& apiVersion)
{
    m_apiVersion = apiVersion;
    const QString current = m_guestOs->currentData().toString();
    const QList<GuestOs> supported = GuestOsCatalog::supportedBy(QVersionNumber::fromString(apiVersion));
    const QSignalBlocker block(m_guestOs);
    m_guestOs->clear();
    std::optional<GuestOsFamily> family;
    for (const GuestOs& os : supported) {
        if (family && *family != os.family)
            m_guestOs->insertSeparator(m_guestOs->count());
        family = os.family;
        m_guestOs->addItem(os.displayName, os.id);
        m_guestOs->setItemData(m_guestOs->count() - 1, os.id, Qt::ToolTipRole);
    }
    int index = m_guestOs->findData(current.isEmpty() ? QStringLiteral("otherLinux64Guest") : current);
    if (index < 0)
        index = m_guestOs->findData(GuestOsCatalog::defaultId());
    m_guestOs->setCurrentIndex(std::max(0, index));
}

std::optional<qint64> VmSpecForm::memoryMiB() const
{
    const std::optional<double> v = m_memory->value();
    if (!v)
        return std::nullopt;
    return m_memoryUnit->currentIndex() == unitGiB ? qRound64(*v * 1024.0) : qRound64(*v);
}

QList<FieldProblem> VmSpecForm::numberProblems() const
{
    QList<FieldProblem> problems;
    for (const auto& [field, number] :
         {std::pair{"cpus", m_cpus}, std::pair{"coresPerSocket", m_cores}, std::pair{"memoryMiB", m_memory}}) {
        if (const QString p = number->problem(); !p.isEmpty())
            problems.append(FieldProblem{QLatin1String(field), p});
    }
    problems += m_disks->sizeProblems();
    return problems;
}

void VmSpecForm::onMemoryUnitChanged()
{
    const int unit = m_memoryUnit->currentIndex();
    const std::optional<double> number = m_memory->typedNumber();
    const std::optional<double> mib =
        number ? std::optional<double>(m_memoryUnitIndex == unitGiB ? *number * 1024.0 : *number) : std::nullopt;
    m_memoryUnitIndex = unit;
    const QSignalBlocker block(m_memory);
    if (unit == unitGiB) {
        m_memory->setDecimals(2);
        m_memory->setRange(0, double(VmSpec::maxMemoryMiB) / 1024.0);
        m_memory->setSingleStep(1);
    } else {
        m_memory->setDecimals(0);
        m_memory->setRange(0, double(VmSpec::maxMemoryMiB));
        m_memory->setSingleStep(double(VmSpec::memoryGranuleMiB) * 256);
    }
    // A number is converted exactly, with every decimal place it needs (the field then says when that is
    // more than it takes); text that is no number stays as it is, with its problem shown.
    if (mib)
        m_memory->setValue(unit == unitGiB ? *mib / 1024.0 : *mib);
    revalidate();
}

// --- Inventory and the cascading pickers

void VmSpecForm::setInventory(const InventorySnapshot& snapshot)
{
    // Indexing 20,000 VMs takes several ms: it is done on a pool thread (the index is a plain value),
    // and only the pickers are filled here. A newer snapshot supersedes one still being indexed.
    const quint64 generation = ++m_inventoryGeneration;
    QPointer<VmSpecForm> self(this);
    QThreadPool::globalInstance()->start([snapshot, generation, self] {
        auto index = std::make_shared<const InventoryIndex>(snapshot);
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [self, generation, index] {
                if (self && generation == self->m_inventoryGeneration)
                    self->applyInventory(*index);
            },
            Qt::QueuedConnection);
    });
}

void VmSpecForm::applyInventory(const InventoryIndex& index)
{
    // What is chosen now wins over what was remembered.
    for (Picker p : PlacementCascade::levels) {
        const QString current = pickerValue(p);
        if (!current.isEmpty())
            m_cascade.setPreferred(p, current);
    }
    m_cascade.setIndex(index);
    m_refreshing = false;
    m_inventoryError.reset();
    setPickersEditable(false);
    for (Picker p : PlacementCascade::levels)
        showChoices(p);
    updateInventoryStatus();
    revalidate();
}

void VmSpecForm::refreshInventory()
{
    m_refreshing = true;
    updateInventoryStatus();
    m_client->refreshInventory();
}

void VmSpecForm::setPickersEditable(bool editable)
{
    for (QComboBox* combo : m_pickers) {
        if (combo->isEditable() == editable)
            continue;
        combo->setEditable(editable);
        if (editable)
            combo->lineEdit()->setPlaceholderText(tr("Type a name or inventory path"));
    }
    if (editable) {
        // No inventory yet: typed values (or the last ones used) let a request be queued while vCenter
        // is offline.
        for (Picker p : PlacementCascade::levels) {
            QComboBox* combo = m_pickers[at(p)];
            if (combo->currentText().isEmpty())
                combo->setEditText(m_cascade.preferred(p));
        }
    }
}

void VmSpecForm::onPicked(Picker picker, int row)
{
    for (Picker refilled : m_cascade.choose(picker, row))
        showChoices(refilled);
    // A row the cascade does not take (a host in maintenance, an inaccessible datastore, set from code):
    // the picker goes back to what the cascade holds.
    if (m_cascade.current(picker) != row)
        showChoices(picker);
    revalidate();
}

void VmSpecForm::showChoices(Picker picker)
{
    m_filling = true;
    m_models[at(picker)]->setEntries(m_cascade.choices(picker));
    m_pickers[at(picker)]->setCurrentIndex(m_cascade.current(picker));
    m_filling = false;
}

QString VmSpecForm::pickerValue(Picker picker) const
{
    const QComboBox* combo = m_pickers[at(picker)];
    const InventoryListModel::Entry* entry = m_models[at(picker)]->entryAt(combo->currentIndex());
    if (combo->isEditable()) {
        const QString text = combo->currentText();
        if (entry && entry->text == text)
            return entry->value;
        return text;
    }
    return entry ? entry->value : QString();
}

// --- The spec, its problems and the hints

VmSpec VmSpecForm::spec() const
{
    VmSpec s;
    s.name = m_name->text();
    s.guestId = m_guestOs->currentData().toString();
    s.annotation = m_annotation->toPlainText();
    s.powerOn = m_powerOn->isChecked();
    // A number field with a problem of its own counts as 0 here; revalidate() shows that problem instead
    // of the domain's. The fields' limits keep every number within int and qint64.
    s.cpus = int(m_cpus->value().value_or(0));
    s.coresPerSocket = int(m_cores->value().value_or(0));
    s.memoryMiB = memoryMiB().value_or(0);
    s.disks = m_disks->disks();
    s.datacenter = pickerValue(Picker::Datacenter);
    const QString compute = pickerValue(Picker::Compute);
    if (m_cascade.isCluster(compute))
        s.cluster = compute;
    else
        s.resourcePool = compute;
    s.host = pickerValue(Picker::Host);
    s.datastore = pickerValue(Picker::Datastore);
    s.nics = {NicSpec{pickerValue(Picker::Network)}};
    s.folder = pickerValue(Picker::Folder);
    return s;
}

bool VmSpecForm::canSubmit() const
{
    return m_problems.isEmpty() && !m_fitUnconfirmed && m_pendingToken == 0;
}

void VmSpecForm::revalidate()
{
    if (m_filling || !m_ready)
        return;
    updateHints();
    // The fields' own problems first; the domain's problem with a field that has one of its own would
    // be about the placeholder 0, not about what was typed. Then what the placement cannot run.
    m_problems = numberProblems();
    QSet<QString> ownProblem;
    for (const FieldProblem& p : std::as_const(m_problems))
        ownProblem.insert(p.field);
    for (const FieldProblem& p : spec().validate())
        if (!ownProblem.contains(p.field)) {
            m_problems.append(p);
            ownProblem.insert(p.field);
        }
    for (const FieldProblem& p : std::as_const(m_capacityProblems))
        if (!ownProblem.contains(p.field))
            m_problems.append(p);
    QHash<QString, QStringList> byField;
    QStringList diskGeneral;
    QHash<int, QStringList> perDisk;
    QStringList unplaced;
    for (const FieldProblem& p : std::as_const(m_problems)) {
        if (p.field == QLatin1String("disks")) {
            diskGeneral << p.message;
        } else if (const auto m = diskField().match(p.field); m.hasMatch()) {
            perDisk[m.captured(1).toInt()] << p.message;
        } else if (m_notes.contains(p.field)) {
            byField[p.field] << p.message;
        } else {
            unplaced << p.message;
        }
    }
    // An empty name on a fresh (or just submitted) form is not an error yet: Submit stays disabled and
    // the summary says why, without a red line before the operator has typed anything.
    if (!m_nameTouched && m_name->text().isEmpty())
        byField.remove(QStringLiteral("name"));
    for (auto it = m_notes.cbegin(); it != m_notes.cend(); ++it)
        it.value()->setMessages(byField.value(it.key()));
    m_disks->setProblems(diskGeneral, perDisk);
    m_generalNote->setMessages(unplaced);

    const bool valid = m_problems.isEmpty();
    m_submit->setEnabled(valid && !m_fitUnconfirmed && m_pendingToken == 0);
    if (m_pendingToken != 0) {
        m_summary->setText(tr("Submitting…"));
    } else if (valid && m_fitUnconfirmed) {
        m_summary->setText(tr("The VM may not fit on the datastore: tick “Submit anyway” under it, or choose "
                              "another datastore."));
    } else if (valid) {
        m_summary->setText(m_client->connection().state == ConnectionStatus::State::Connected
                               ? tr("Ready to submit.")
                               : tr("Ready to submit; it will be queued until the hypervisor is online."));
    } else if (m_problems.size() == 1) {
        m_summary->setText(m_problems.front().message);
    } else {
        m_summary->setText(tr("Problems to fix: %1 (marked next to their fields).").arg(m_problems.size()));
    }
    m_submit->setToolTip(valid && !m_fitUnconfirmed ? tr("Submit the request (Ctrl+Return)") : m_summary->text());
    if (valid != m_lastValid) {
        m_lastValid = valid;
        Q_EMIT specValidityChanged(valid);
    }
}

void VmSpecForm::updateHints()
{
    if (m_filling || !m_ready)
        return;
    const VmSpec s = spec();
    const InventoryIndex& index = m_cascade.index();
    m_capacityProblems.clear();

    // Name already taken in the target folder: vCenter would answer DuplicateName. Certain while the
    // VM list is fresh; after that, the list may be out of date, and the operator is told how old it is.
    const QString folderRef = m_cascade.folderRef();
    m_nameWarning->clear();
    if (!s.name.isEmpty() && !folderRef.isEmpty() && index.isVmNameTaken(folderRef, s.name)) {
        const InventorySnapshot& snapshot = index.snapshot();
        const QDateTime listedAt = snapshot.vmsFetchedAt.isValid() ? snapshot.vmsFetchedAt : snapshot.fetchedAt;
        const QDateTime now = m_clock->utcNow();
        const bool fresh =
            listedAt.isValid() &&
            listedAt.secsTo(now) <= std::chrono::duration_cast<std::chrono::seconds>(nameCheckFreshFor).count();
        if (fresh)
            m_capacityProblems << FieldProblem{
                QStringLiteral("name"),
                tr("A VM named %1 already exists in this folder (inventory read %2): vCenter refuses a second one.")
                    .arg(s.name, UiFormat::age(listedAt, now))};
        else
            m_nameWarning->setMessage(
                tr("The inventory read %1 lists a VM named %2 in this folder: vCenter refuses a second one if it "
                   "is still there. Refresh the inventory to be sure.")
                    .arg(listedAt.isValid() ? UiFormat::age(listedAt, now) : tr("at an unknown time"), s.name));
    }

    // Host capacity: what no candidate host can run is a problem; what may not fit now is a warning.
    const HostFit host = CapacityAdvisor::hosts(s, m_cascade.candidateHosts());
    QStringList hostWarnings;
    // Short: the note sits under a narrow field; the summary line repeats a single problem.
    if (host.coresShort)
        m_capacityProblems << FieldProblem{
            QStringLiteral("cpus"),
            host.scope == HostFit::Scope::OneHost
                ? tr("At most %1 vCPUs: host %2 has %1 cores.").arg(host.cores).arg(host.largestCoresHost)
                : tr("At most %1 vCPUs: the largest host, %2, has %1 cores.")
                      .arg(host.cores)
                      .arg(host.largestCoresHost)};
    if (host.memoryExceedsHost)
        m_capacityProblems << FieldProblem{
            QStringLiteral("memoryMiB"),
            host.scope == HostFit::Scope::OneHost
                ? tr("At most %1: all the memory host %2 has.")
                      .arg(UiFormat::mebibytes(host.totalMemoryMiB), host.largestMemoryHost)
                : tr("At most %1: all the memory of the largest host, %2.")
                      .arg(UiFormat::mebibytes(host.totalMemoryMiB), host.largestMemoryHost)};
    switch (host.scope) {
    case HostFit::Scope::NoHosts:
        m_hostHint->clear();
        m_hostHint->hide();
        break;
    case HostFit::Scope::OneHost:
        m_hostHint->setText(tr("%1: %2 of %3 memory free · CPU %4 of %5 free · %6 cores")
                                .arg(host.hostName, UiFormat::mebibytes(host.freeMemoryMiB),
                                     UiFormat::mebibytes(host.totalMemoryMiB), UiFormat::megahertz(host.freeCpuMhz),
                                     UiFormat::megahertz(host.totalCpuMhz))
                                .arg(host.cores));
        m_hostHint->show();
        if (host.memoryShort && !host.memoryExceedsHost)
            hostWarnings << tr("This VM needs %1 of memory; the host has %2 free. It may not power on, or it will "
                               "swap.")
                                .arg(UiFormat::mebibytes(s.memoryMiB), UiFormat::mebibytes(host.freeMemoryMiB));
        break;
    case HostFit::Scope::BestOfHosts:
        m_hostHint->setText(tr("Hosts: %1 · most memory free: %2 on %3 · up to %4 cores per host")
                                .arg(host.hostCount)
                                .arg(UiFormat::mebibytes(host.freeMemoryMiB), host.hostName)
                                .arg(host.cores));
        m_hostHint->show();
        if (host.memoryShort && !host.memoryExceedsHost)
            hostWarnings << tr("This VM needs %1 of memory; no host has more than %2 free. It will not fit without "
                               "swapping.")
                                .arg(UiFormat::mebibytes(s.memoryMiB), UiFormat::mebibytes(host.freeMemoryMiB));
        break;
    }
    m_hostWarning->setMessages(hostWarnings);

    // Datastore space.
    const DatastoreInfo* ds = index.datastoreByPath(s.datastore);
    const DatastoreFit fit = ds ? CapacityAdvisor::datastore(s, *ds) : DatastoreFit{};
    const bool willNotFit = ds && fit.verdict == DatastoreFit::Verdict::WillNotFit;
    // "Submit anyway" holds for the datastore it was ticked for, while the verdict stands.
    if (m_submitAnyway->isChecked() && (!willNotFit || s.datastore != m_fitConfirmedFor)) {
        const QSignalBlocker block(m_submitAnyway);
        m_submitAnyway->setChecked(false);
        m_fitConfirmedFor.clear();
    }
    m_submitAnyway->setVisible(willNotFit);
    m_fitUnconfirmed = willNotFit && !m_submitAnyway->isChecked();
    if (!ds) {
        m_datastoreHint->clear();
        m_datastoreHint->hide();
        m_datastoreWarning->clear();
        return;
    }
    m_datastoreHint->setText(tr("%1 (%2): %3 free of %4 · this VM's disks: %5")
                                 .arg(ds->name, ds->type, UiFormat::mebibytes(fit.freeMiB),
                                      UiFormat::bytes(ds->capacityBytes), UiFormat::mebibytes(fit.disksMiB)));
    m_datastoreHint->show();
    QStringList dsWarnings;
    switch (fit.verdict) {
    case DatastoreFit::Verdict::WillNotFit:
        dsWarnings << tr("It will not fit: the thick disks and the swap file need %1, and %2 is free.")
                          .arg(UiFormat::mebibytes(fit.neededNowMiB()), UiFormat::mebibytes(fit.freeMiB));
        break;
    case DatastoreFit::Verdict::MayFillUp:
        dsWarnings << tr("Thin disks may grow to %1, more than the %2 free: the datastore could fill up.")
                          .arg(UiFormat::mebibytes(fit.neededAtMostMiB()), UiFormat::mebibytes(fit.freeMiB));
        break;
    case DatastoreFit::Verdict::Fits:
        break;
    }
    if (!fit.accessible)
        dsWarnings << tr("The datastore is not accessible.");
    m_datastoreWarning->setMessages(dsWarnings);
}

void VmSpecForm::updateInventoryStatus()
{
    if (m_refreshing) {
        m_inventoryStatus->setText(tr("Refreshing the inventory…"));
        m_refresh->setEnabled(false);
        return;
    }
    m_refresh->setEnabled(true);
    if (!m_cascade.hasInventory()) {
        m_inventoryStatus->setText(tr("No inventory yet."));
        m_inventoryNote->setMessage(
            m_inventoryError
                ? tr("The inventory could not be fetched (%1). Type names or paths; the request is checked "
                     "against vCenter before it is sent.")
                      .arg(m_inventoryError->message)
                : tr("Connect to a server to pick from its inventory, or type names or paths."));
        return;
    }
    const InventorySnapshot& s = m_cascade.index().snapshot();
    const QLocale locale;
    m_inventoryStatus->setText(tr("Inventory from %1 (%2) · %3 hosts · %4 datastores · %5 VMs")
                                   .arg(UiFormat::localTime(s.fetchedAt), UiFormat::age(s.fetchedAt, m_clock->utcNow()),
                                        locale.toString(s.hosts.size()), locale.toString(s.datastores.size()),
                                        locale.toString(s.vms.size())));
    m_inventoryStatus->setToolTip(UiFormat::localDateTime(s.fetchedAt));
    m_inventoryNote->setMessage(m_inventoryError ? tr("The last refresh failed (%1); showing the inventory from %2.")
                                                       .arg(m_inventoryError->message, UiFormat::localTime(s.fetchedAt))
                                                 : QString());
}

// --- Submit and its answer

void VmSpecForm::submit()
{
    revalidate();
    if (!canSubmit()) {
        m_nameTouched = true;
        revalidate();
        return;
    }
    m_feedback->dismiss();
    m_pendingToken = m_client->submit(spec());
    revalidate();
}

void VmSpecForm::onAnswer(const SubmitAnswer& answer)
{
    if (answer.token == 0 || answer.token != m_pendingToken)
        return;
    m_pendingToken = 0;
    switch (answer.outcome) {
    case SubmitAnswer::Outcome::Started:
        m_lastAccepted = answer.id;
        m_feedback->showMessage(StateStyle::Notice::Success, answer.message, tr("Show request"));
        break;
    case SubmitAnswer::Outcome::Queued:
        m_lastAccepted = answer.id;
        m_feedback->showMessage(StateStyle::Notice::Info, answer.message, tr("Show request"));
        break;
    case SubmitAnswer::Outcome::Rejected:
        m_feedback->showMessage(StateStyle::Notice::Warning, answer.message);
        break;
    case SubmitAnswer::Outcome::Failed:
        m_feedback->showMessage(StateStyle::Notice::Error, answer.message);
        break;
    }
    if (answer.accepted()) {
        saveChoices();
        // The next VM takes more space: whether it fits is asked again.
        m_submitAnyway->setChecked(false);
        // The next VM needs its own name (vCenter refuses duplicates); everything else stays.
        m_name->clear();
        m_nameTouched = false;
        m_name->setFocus();
    }
    revalidate();
}

void VmSpecForm::loadSpec(const VmSpec& spec, const QUuid& from)
{
    m_feedback->dismiss();
    m_name->setText(spec.name);
    m_nameTouched = true;
    if (const int i = m_guestOs->findData(spec.guestId.isEmpty() ? GuestOsCatalog::defaultId() : spec.guestId); i >= 0)
        m_guestOs->setCurrentIndex(i);
    m_annotation->setPlainText(spec.annotation);
    m_powerOn->setChecked(spec.powerOn);
    m_cpus->setValue(spec.cpus);
    m_cores->setValue(spec.coresPerSocket);
    // Whole GiB in GiB, anything else in MiB: the number is shown exactly as the request has it.
    m_memoryUnit->setCurrentIndex(spec.memoryMiB % 1024 == 0 ? unitGiB : unitMiB);
    m_memory->setValue(m_memoryUnit->currentIndex() == unitGiB ? double(spec.memoryMiB) / 1024.0
                                                               : double(spec.memoryMiB));
    m_disks->setDisks(spec.disks);

    const std::array<std::pair<Picker, QString>, PlacementCascade::levelCount> placement{{
        {Picker::Datacenter, spec.datacenter},
        {Picker::Compute, spec.cluster.isEmpty() ? spec.resourcePool : spec.cluster},
        {Picker::Host, spec.host},
        {Picker::Datastore, spec.datastore},
        {Picker::Network, spec.primaryNetwork()},
        {Picker::Folder, spec.folder},
    }};
    for (const auto& [level, value] : placement)
        m_cascade.setPreferred(level, value);
    if (m_cascade.hasInventory()) {
        // Refilled from the top with the request's choices preferred at every level.
        m_cascade.setIndex(InventoryIndex(m_cascade.index()));
        for (Picker p : PlacementCascade::levels)
            showChoices(p);
    } else {
        m_filling = true;
        for (const auto& [level, value] : placement)
            m_pickers[at(level)]->setEditText(value);
        m_filling = false;
    }
    revalidate();

    // What the inventory (or this vCenter's guest OS list) does not offer was replaced: say so.
    const VmSpec now = this->spec();
    QStringList changed;
    const auto compare = [&](const QString& what, const QString& was, const QString& is) {
        if (was != is)
            changed
                << tr("%1 %2 (was %3)").arg(what, is.isEmpty() ? tr("(none)") : is, was.isEmpty() ? tr("(none)") : was);
    };
    compare(tr("guest OS"), spec.guestId.isEmpty() ? GuestOsCatalog::defaultId() : spec.guestId, now.guestId);
    compare(tr("datacenter"), spec.datacenter, now.datacenter);
    compare(tr("cluster or pool"), spec.cluster.isEmpty() ? spec.resourcePool : spec.cluster,
            now.cluster.isEmpty() ? now.resourcePool : now.cluster);
    compare(tr("host"), spec.host, now.host);
    compare(tr("datastore"), spec.datastore, now.datastore);
    compare(tr("network"), spec.primaryNetwork(), now.primaryNetwork());
    compare(tr("folder"), spec.folder, now.folder);
    QString note = from.isNull()
                       ? tr("Editing a copy of the request for %1.").arg(spec.name)
                       : tr("Editing a copy of request %1 (%2).").arg(from.toString(QUuid::WithoutBraces), spec.name);
    note += QLatin1Char(' ') + tr("Submitting makes a new request; the old one stays as it is.");
    if (!changed.isEmpty())
        note += QLatin1Char(' ') +
                tr("Not offered here any more, so chosen anew: %1.").arg(changed.join(QStringLiteral("; ")));
    m_feedback->showMessage(changed.isEmpty() ? StateStyle::Notice::Info : StateStyle::Notice::Warning, note);
    m_name->setFocus();
    m_name->selectAll();
}

QString VmSpecForm::fieldNoteText(const QString& field) const
{
    if (const FieldNote* note = m_notes.value(field))
        return note->text();
    return QString();
}

QString VmSpecForm::feedbackText() const
{
    return m_feedback->isHidden() ? QString() : m_feedback->text();
}

void VmSpecForm::focusFirstField()
{
    m_name->setFocus();
}

} // namespace dcm
