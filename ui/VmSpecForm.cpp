#include "ui/VmSpecForm.h"

#include "domain/BatchPlan.h"
#include "domain/CapacityAdvisor.h"
#include "domain/GuestOsCatalog.h"
#include "ui/Banner.h"
#include "ui/DiskListEditor.h"
#include "ui/FieldNote.h"
#include "ui/InventoryListModel.h"
#include "ui/NicListEditor.h"
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
#include <QRadioButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QSet>
#include <QShortcut>
#include <QSpinBox>
#include <QStyle>
#include <QThreadPool>
#include <QTimeZone>
#include <QTimer>
#include <QToolButton>
#include <QTreeWidget>
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

const QRegularExpression& nicField()
{
    static const QRegularExpression re(QStringLiteral("^nics\\[(\\d+)\\]"));
    return re;
}

// "customization.nics[1].gateway": the guest address row of NIC 1.
const QRegularExpression& addressField()
{
    static const QRegularExpression re(QStringLiteral("^customization\\.nics\\[(\\d+)\\]"));
    return re;
}

// "customization.dnsServers[1]" belongs under the DNS servers field.
QString listField(const QString& field)
{
    static const QRegularExpression re(QStringLiteral("^(customization\\.(?:dnsServers|dnsSuffixes))\\[\\d+\\]$"));
    const auto m = re.match(field);
    return m.hasMatch() ? m.captured(1) : field;
}

// A picker over an inventory list: the chosen entry's value, or what was typed (no inventory).
QString comboValue(const QComboBox* combo, const InventoryListModel* model)
{
    const InventoryListModel::Entry* entry = model->entryAt(combo->currentIndex());
    if (combo->isEditable()) {
        const QString text = combo->currentText();
        return entry && entry->text == text ? entry->value : text;
    }
    return entry ? entry->value : QString();
}

// "10.0.0.1, 10.0.0.2" or "10.0.0.1 10.0.0.2": one entry each.
QStringList splitList(const QString& text)
{
    static const QRegularExpression separators(QStringLiteral("[,;\\s]+"));
    return text.split(separators, Qt::SkipEmptyParts);
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
    right->setSpacing(12);
    right->addWidget(buildPlacement());
    right->addWidget(buildCustomization());
    right->addWidget(buildBatch());
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
        m_disks->setDisks(isClone() ? QList<DiskSpec>() : QList<DiskSpec>{DiskSpec{40 * 1024, true}});
        m_powerOn->setChecked(false);
        m_count->setValue(1);
        m_hostName->clear();
        if (isClone())
            onTemplateChosen(); // the template's hardware again
        m_nameTouched = false;
        m_feedback->dismiss();
        revalidate();
    });
    connect(m_name, &QLineEdit::returnPressed, this, &VmSpecForm::submit);
    connect(m_feedback, &Banner::actionTriggered, this, [this] {
        if (!m_lastAccepted.isNull())
            Q_EMIT showRequestRequested(m_lastAccepted);
    });

    // Keyboard order follows the eye: identity, hardware, then placement, customization, the batch preview,
    // then the buttons.
    QWidget* chain[] = {m_sourceBlank, m_sourceTemplate,
                        m_template,    m_name,
                        m_count,       m_guestOs,
                        m_annotation,  m_powerOn,
                        m_cpus,        m_cores,
                        m_memory,      m_memoryUnit,
                        m_cloneFormat, m_disks->firstFocusWidget()};
    for (size_t i = 0; i + 1 < std::size(chain); ++i)
        setTabOrder(chain[i], chain[i + 1]);
    setTabOrder(m_disks->lastFocusWidget(), m_refresh);
    QWidget* placement[] = {m_refresh, m_pickers[at(Picker::Datacenter)], m_pickers[at(Picker::Compute)],
                            m_pickers[at(Picker::Host)], m_pickers[at(Picker::Datastore)]};
    for (size_t i = 0; i + 1 < std::size(placement); ++i)
        setTabOrder(placement[i], placement[i + 1]);
    m_nics->setFocusNeighbours(m_pickers[at(Picker::Datastore)], m_pickers[at(Picker::Folder)]);
    QWidget* rest[] = {m_nics->lastFocusWidget(),
                       m_pickers[at(Picker::Folder)],
                       m_customizationMode,
                       m_customizationSpec,
                       m_hostName,
                       m_domain,
                       m_timeZone,
                       m_dnsServers,
                       m_dnsSuffixes,
                       m_batchPreview,
                       m_reset,
                       m_submit};
    for (size_t i = 0; i + 1 < std::size(rest); ++i)
        setTabOrder(rest[i], rest[i + 1]);

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
    syncAddressRows();
    onSourceChanged();
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

    // Source: a blank VM, or a clone of a template.
    m_sourceBlank = new QRadioButton(tr("&Blank VM"));
    m_sourceBlank->setObjectName(QStringLiteral("sourceBlank"));
    m_sourceBlank->setToolTip(tr("An empty VM: you install its operating system yourself"));
    m_sourceTemplate = new QRadioButton(tr("Fr&om template"));
    m_sourceTemplate->setObjectName(QStringLiteral("sourceTemplate"));
    m_sourceTemplate->setToolTip(tr("A clone of a vCenter template, with its operating system, optionally made into "
                                    "a machine of its own by guest customization"));
    m_sourceBlank->setChecked(true);
    auto* sourceRow = new QWidget;
    auto* sourceLayout = new QHBoxLayout(sourceRow);
    sourceLayout->setContentsMargins(0, 0, 0, 0);
    sourceLayout->addWidget(m_sourceBlank);
    sourceLayout->addWidget(m_sourceTemplate);
    sourceLayout->addStretch(1);
    sourceRow->setAccessibleName(tr("Source"));
    form->addRow(tr("Source:"), sourceRow);
    connect(m_sourceTemplate, &QRadioButton::toggled, this, &VmSpecForm::onSourceChanged);

    m_template = new QComboBox;
    m_templateModel = new InventoryListModel(m_template);
    m_template->setModel(m_templateModel);
    m_template->setObjectName(QStringLiteral("template"));
    m_template->setAccessibleName(tr("Template"));
    m_template->setToolTip(tr("The template (or VM) to clone, with its guest OS and hardware"));
    m_template->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_template->setMinimumContentsLength(24);
    m_template->setInsertPolicy(QComboBox::NoInsert);
    m_templateSummary = new QLabel;
    m_templateSummary->setObjectName(QStringLiteral("templateSummary"));
    m_templateSummary->setWordWrap(true);
    m_templateSummary->setForegroundRole(QPalette::PlaceholderText);
    m_notes.insert(QStringLiteral("templateName"), new FieldNote(FieldNote::Kind::Problem, m_template));
    m_templateLabel = new QLabel(tr("Template:"));
    m_templateLabel->setBuddy(m_template);
    auto* templateBox = new QWidget;
    auto* templateLayout = new QVBoxLayout(templateBox);
    templateLayout->setContentsMargins(0, 0, 0, 0);
    templateLayout->setSpacing(3);
    templateLayout->addWidget(m_template);
    templateLayout->addWidget(m_templateSummary);
    templateLayout->addWidget(m_notes.value(QStringLiteral("templateName")));
    form->addRow(m_templateLabel, templateBox);
    m_templateRow = templateBox;
    connect(m_template, &QComboBox::currentIndexChanged, this, [this] {
        if (m_filling)
            return;
        onTemplateChosen();
    });
    connect(m_template, &QComboBox::editTextChanged, this, [this] {
        if (m_filling || !m_template->isEditable())
            return;
        revalidate();
    });

    m_name = new QLineEdit;
    m_name->setObjectName(QStringLiteral("name"));
    m_name->setPlaceholderText(tr("e.g. web-frontend-07"));
    m_name->setToolTip(
        tr("The VM's name in vCenter (at most %1 characters; no %, / or \\)").arg(VmSpec::maxNameLength));
    m_name->setAccessibleName(tr("VM name"));
    m_name->setClearButtonEnabled(true);
    m_notes.insert(QStringLiteral("name"), new FieldNote(FieldNote::Kind::Problem, m_name));
    m_nameWarning = new FieldNote(FieldNote::Kind::Warning, nullptr);
    m_nameLabel = new QLabel(tr("&Name:"));
    m_nameLabel->setBuddy(m_name);
    form->addRow(m_nameLabel, withNote(m_name, m_notes.value(QStringLiteral("name")), m_nameWarning));
    connect(m_name, &QLineEdit::textEdited, this, [this] { m_nameTouched = true; });
    connect(m_name, &QLineEdit::textChanged, this, [this] { revalidate(); });

    // A batch: the name becomes a pattern, previewed VM by VM on the right.
    m_count = new QSpinBox;
    m_count->setObjectName(QStringLiteral("count"));
    m_count->setRange(1, dcm::maxBatchCount);
    m_count->setAccessibleName(tr("Number of VMs"));
    m_count->setToolTip(tr("How many VMs of this spec: above 1, the name is a pattern such as web-{nn} "
                           "({n}, {nn}, {nnn}: the VM's number, zero-padded), and static addresses count up from "
                           "the ones given"));
    m_notes.insert(QStringLiteral("count"), new FieldNote(FieldNote::Kind::Problem, m_count));
    auto* countLabel = new QLabel(tr("Number of &VMs:"));
    countLabel->setBuddy(m_count);
    auto* countRow = new QWidget;
    auto* countLayout = new QHBoxLayout(countRow);
    countLayout->setContentsMargins(0, 0, 0, 0);
    countLayout->addWidget(m_count);
    countLayout->addStretch(1);
    form->addRow(countLabel, withNote(countRow, m_notes.value(QStringLiteral("count"))));
    connect(m_count, &QSpinBox::valueChanged, this, [this](int count) {
        m_nameLabel->setText(count > 1 ? tr("&Name pattern:") : tr("&Name:"));
        m_name->setPlaceholderText(count > 1 ? tr("e.g. web-{nn}") : tr("e.g. web-frontend-07"));
        m_name->setAccessibleName(count > 1 ? tr("VM name pattern") : tr("VM name"));
        revalidate();
    });

    m_guestOs = new QComboBox;
    m_guestOs->setObjectName(QStringLiteral("guestOs"));
    m_guestOs->setAccessibleName(tr("Guest operating system"));
    m_guestOs->setToolTip(tr("The operating system you will install: vSphere tunes the virtual hardware for it"));
    m_guestOs->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_guestOs->setMinimumContentsLength(24);
    m_notes.insert(QStringLiteral("guestId"), new FieldNote(FieldNote::Kind::Problem, m_guestOs));
    m_guestOsLabel = new QLabel(tr("&Guest OS:"));
    m_guestOsLabel->setBuddy(m_guestOs);
    m_guestOsRow = withNote(m_guestOs, m_notes.value(QStringLiteral("guestId")));
    form->addRow(m_guestOsLabel, m_guestOsRow);
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

    // A clone: the template's disks as they are (read-only), and their format in the clone.
    m_templateDisksLabel = new QLabel(tr("Template disks:"));
    m_templateDisks = new QLabel;
    m_templateDisks->setObjectName(QStringLiteral("templateDisks"));
    m_templateDisks->setWordWrap(true);
    m_templateDisks->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(m_templateDisksLabel, m_templateDisks);
    m_cloneFormat = new QComboBox;
    m_cloneFormat->setObjectName(QStringLiteral("cloneDiskFormat"));
    m_cloneFormat->setAccessibleName(tr("Format of the cloned disks"));
    m_cloneFormat->addItem(tr("As the template"), QString());
    m_cloneFormat->addItem(tr("Thin provisioned"), QStringLiteral("thin"));
    m_cloneFormat->addItem(tr("Thick provisioned"), QStringLiteral("thick"));
    m_cloneFormat->setToolTip(tr("How the template's disks are stored in the clone: as they are in the template, "
                                 "thin (space taken as the guest writes) or thick (all reserved at once)"));
    m_notes.insert(QStringLiteral("cloneDiskFormat"), new FieldNote(FieldNote::Kind::Problem, m_cloneFormat));
    m_cloneFormatLabel = new QLabel(tr("Cloned disks:"));
    m_cloneFormatLabel->setBuddy(m_cloneFormat);
    form->addRow(m_cloneFormatLabel, withNote(m_cloneFormat, m_notes.value(QStringLiteral("cloneDiskFormat"))));
    connect(m_cloneFormat, &QComboBox::currentIndexChanged, this, &VmSpecForm::revalidate);

    m_disks = new DiskListEditor;
    m_disks->setObjectName(QStringLiteral("disks"));
    m_disksLabel = new QLabel(tr("Disks:"));
    form->addRow(m_disksLabel, m_disks);
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
    m_nics = new NicListEditor;
    m_nics->setObjectName(QStringLiteral("nics"));
    auto* networksLabel = new QLabel(tr("Net&works:"));
    networksLabel->setBuddy(m_nics->networkPicker(0));
    form->addRow(networksLabel, m_nics);
    connect(m_nics, &NicListEditor::changed, this, [this] {
        syncAddressRows();
        revalidate();
    });
    addPicker(Picker::Folder, QStringLiteral("folder"), QStringLiteral("folder"), tr("&Folder:"), tr("VM folder"),
              tr("The VM folder it is created in"));
    return group;
}

QWidget* VmSpecForm::buildCustomization()
{
    auto* group = new QGroupBox(tr("Guest customization"));
    group->setObjectName(QStringLiteral("customization"));
    m_customizationGroup = group;
    auto* outer = new QVBoxLayout(group);
    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    outer->addLayout(form);

    m_customizationMode = new QComboBox;
    m_customizationMode->setObjectName(QStringLiteral("customizationMode"));
    m_customizationMode->setAccessibleName(tr("Guest customization"));
    m_customizationMode->addItem(tr("None: the clone keeps the template's identity"),
                                 int(GuestCustomization::Mode::None));
    m_customizationMode->addItem(tr("A specification saved in vCenter"), int(GuestCustomization::Mode::SavedSpec));
    m_customizationMode->addItem(tr("Linux settings typed here"), int(GuestCustomization::Mode::Linux));
    m_customizationMode->setToolTip(tr("How the clone becomes a machine of its own (host name, addresses) before it "
                                       "first starts"));
    m_notes.insert(QStringLiteral("customization"), new FieldNote(FieldNote::Kind::Problem, m_customizationMode));
    auto* modeLabel = new QLabel(tr("Customi&zation:"));
    modeLabel->setBuddy(m_customizationMode);
    form->addRow(modeLabel, withNote(m_customizationMode, m_notes.value(QStringLiteral("customization"))));

    m_customizationSpec = new QComboBox;
    m_customizationSpecModel = new InventoryListModel(m_customizationSpec);
    m_customizationSpec->setModel(m_customizationSpecModel);
    m_customizationSpec->setObjectName(QStringLiteral("customizationSpec"));
    m_customizationSpec->setAccessibleName(tr("Saved customization specification"));
    m_customizationSpec->setToolTip(tr("A specification saved in vCenter; its content (a Windows password too) "
                                       "stays in vCenter"));
    m_customizationSpec->setInsertPolicy(QComboBox::NoInsert);
    m_notes.insert(QStringLiteral("customization.specName"),
                   new FieldNote(FieldNote::Kind::Problem, m_customizationSpec));
    m_savedSpecRow = withNote(m_customizationSpec, m_notes.value(QStringLiteral("customization.specName")));
    outer->addWidget(m_savedSpecRow);
    connect(m_customizationSpec, &QComboBox::currentIndexChanged, this, &VmSpecForm::revalidate);
    connect(m_customizationSpec, &QComboBox::editTextChanged, this, [this] {
        if (!m_filling)
            revalidate();
    });

    m_linuxBox = new QWidget;
    auto* linuxForm = new QFormLayout(m_linuxBox);
    linuxForm->setContentsMargins(0, 0, 0, 0);
    linuxForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    const auto addLine = [&](QLineEdit*& edit, const QString& field, const QString& objectName, const QString& label,
                             const QString& accessible, const QString& placeholder, const QString& tip) {
        edit = new QLineEdit;
        edit->setObjectName(objectName);
        edit->setAccessibleName(accessible);
        edit->setPlaceholderText(placeholder);
        edit->setToolTip(tip);
        auto* note = new FieldNote(FieldNote::Kind::Problem, edit);
        m_notes.insert(field, note);
        auto* l = new QLabel(label);
        l->setBuddy(edit);
        linuxForm->addRow(l, withNote(edit, note));
        connect(edit, &QLineEdit::textChanged, this, &VmSpecForm::revalidate);
    };
    addLine(m_hostName, QStringLiteral("customization.hostName"), QStringLiteral("customizationHostName"),
            tr("Host name:"), tr("Guest host name"), tr("e.g. web-01"),
            tr("The guest's host name: letters, digits and hyphens, at most 63 (RFC 1123)"));
    addLine(m_domain, QStringLiteral("customization.domain"), QStringLiteral("customizationDomain"), tr("Domain:"),
            tr("Guest domain"), tr("e.g. example.com"), tr("The guest's DNS domain"));

    m_timeZone = new QComboBox;
    m_timeZone->setObjectName(QStringLiteral("customizationTimeZone"));
    m_timeZone->setAccessibleName(tr("Guest time zone"));
    m_timeZone->setEditable(true);
    m_timeZone->setInsertPolicy(QComboBox::NoInsert);
    m_timeZone->addItem(QString());
    for (const QByteArray& id : QTimeZone::availableTimeZoneIds())
        if (id.contains('/'))
            m_timeZone->addItem(QString::fromLatin1(id));
    m_timeZone->lineEdit()->setPlaceholderText(tr("as the template"));
    m_timeZone->setToolTip(tr("A time zone of the tz database, such as Europe/Berlin; empty keeps the template's"));
    auto* tzNote = new FieldNote(FieldNote::Kind::Problem, m_timeZone);
    m_notes.insert(QStringLiteral("customization.timeZone"), tzNote);
    auto* tzLabel = new QLabel(tr("Time zone:"));
    tzLabel->setBuddy(m_timeZone);
    linuxForm->addRow(tzLabel, withNote(m_timeZone, tzNote));
    connect(m_timeZone, &QComboBox::editTextChanged, this, &VmSpecForm::revalidate);

    // One row per NIC of the VM, in order: DHCP, or a static address with its prefix and gateway.
    m_addressRowsBox = new QWidget;
    m_addressRowsBox->setObjectName(QStringLiteral("guestAddresses"));
    auto* rows = new QVBoxLayout(m_addressRowsBox);
    rows->setContentsMargins(0, 0, 0, 0);
    rows->setSpacing(4);
    linuxForm->addRow(tr("Addresses:"), m_addressRowsBox);

    addLine(m_dnsServers, QStringLiteral("customization.dnsServers"), QStringLiteral("customizationDnsServers"),
            tr("DNS servers:"), tr("DNS servers"), tr("e.g. 10.0.0.2, 10.0.0.3"),
            tr("IPv4 addresses of the guest's DNS servers, separated by commas"));
    addLine(m_dnsSuffixes, QStringLiteral("customization.dnsSuffixes"), QStringLiteral("customizationDnsSuffixes"),
            tr("DNS search:"), tr("DNS search suffixes"), tr("e.g. example.com, corp.example.com"),
            tr("Domains the guest appends to short names, separated by commas"));
    outer->addWidget(m_linuxBox);

    // Problems of the customization that no field of its own shows.
    m_customizationNote = new FieldNote(FieldNote::Kind::Problem, nullptr);
    outer->addWidget(m_customizationNote);

    const auto showMode = [this] {
        const auto mode = GuestCustomization::Mode(m_customizationMode->currentData().toInt());
        m_savedSpecRow->setVisible(mode == GuestCustomization::Mode::SavedSpec);
        m_linuxBox->setVisible(mode == GuestCustomization::Mode::Linux);
    };
    connect(m_customizationMode, &QComboBox::currentIndexChanged, this, [this, showMode] {
        showMode();
        revalidate();
    });
    showMode();
    return group;
}

QWidget* VmSpecForm::buildBatch()
{
    auto* group = new QGroupBox(tr("Batch preview"));
    group->setObjectName(QStringLiteral("batchGroup"));
    m_batchGroup = group;
    auto* layout = new QVBoxLayout(group);
    m_batchPreview = new QTreeWidget;
    m_batchPreview->setObjectName(QStringLiteral("batchPreview"));
    m_batchPreview->setAccessibleName(tr("Batch preview"));
    m_batchPreview->setHeaderLabels({tr("#"), tr("Name"), tr("Guest addresses")});
    m_batchPreview->setRootIsDecorated(false);
    m_batchPreview->setAlternatingRowColors(true);
    m_batchPreview->setUniformRowHeights(true);
    m_batchPreview->setSelectionMode(QAbstractItemView::NoSelection);
    // Ten rows are seen at once; the page scrolls for the rest of the form, the list for the rest of the batch.
    m_batchPreview->setFixedHeight(m_batchPreview->fontMetrics().lineSpacing() * 12);
    layout->addWidget(m_batchPreview);
    m_batchNote = new FieldNote(FieldNote::Kind::Problem, m_batchPreview);
    layout->addWidget(m_batchNote);
    group->hide();
    return group;
}

void VmSpecForm::syncAddressRows()
{
    if (!m_addressRowsBox)
        return;
    const int wanted = m_nics->count();
    while (m_addressRows.size() > wanted) {
        const AddressRow row = m_addressRows.takeLast();
        row.container->hide();
        row.container->deleteLater();
    }
    while (m_addressRows.size() < wanted) {
        const int i = int(m_addressRows.size());
        AddressRow row;
        row.container = new QWidget(m_addressRowsBox);
        auto* v = new QVBoxLayout(row.container);
        v->setContentsMargins(0, 0, 0, 0);
        v->setSpacing(2);
        auto* h = new QHBoxLayout;
        h->setSpacing(6);
        row.label = new QLabel(tr("NIC %1").arg(i + 1), row.container);
        row.mode = new QComboBox(row.container);
        row.mode->setObjectName(QStringLiteral("addressMode"));
        row.mode->addItem(tr("DHCP"), true);
        row.mode->addItem(tr("Static"), false);
        row.mode->setAccessibleName(tr("Address of NIC %1").arg(i + 1));
        row.address = new QLineEdit(row.container);
        row.address->setObjectName(QStringLiteral("address"));
        row.address->setPlaceholderText(tr("10.0.0.11"));
        row.address->setAccessibleName(tr("Static address of NIC %1").arg(i + 1));
        row.address->setToolTip(tr("IPv4 address; in a batch, the first VM's (the next VMs count up from it)"));
        row.prefix = new QSpinBox(row.container);
        row.prefix->setObjectName(QStringLiteral("prefix"));
        row.prefix->setRange(1, 32);
        row.prefix->setValue(24);
        row.prefix->setPrefix(QStringLiteral("/"));
        row.prefix->setAccessibleName(tr("Prefix length of NIC %1").arg(i + 1));
        row.prefix->setToolTip(tr("Prefix length of the subnet (24 = 255.255.255.0)"));
        row.gateway = new QLineEdit(row.container);
        row.gateway->setObjectName(QStringLiteral("gateway"));
        row.gateway->setPlaceholderText(tr("gateway"));
        row.gateway->setAccessibleName(tr("Gateway of NIC %1").arg(i + 1));
        row.gateway->setToolTip(tr("Optional; an address on this NIC's subnet"));
        h->addWidget(row.label);
        h->addWidget(row.mode);
        h->addWidget(row.address, 2);
        h->addWidget(row.prefix);
        h->addWidget(row.gateway, 2);
        v->addLayout(h);
        row.note = new FieldNote(FieldNote::Kind::Problem, row.address, row.container);
        v->addWidget(row.note);
        m_addressRowsBox->layout()->addWidget(row.container);
        row.container->show(); // now, not when the layout gets to it: it takes the keyboard at once
        const auto showStatic = [row] {
            const bool dhcp = row.mode->currentData().toBool();
            row.address->setVisible(!dhcp);
            row.prefix->setVisible(!dhcp);
            row.gateway->setVisible(!dhcp);
        };
        showStatic();
        connect(row.mode, &QComboBox::currentIndexChanged, this, [this, showStatic] {
            showStatic();
            revalidate();
        });
        connect(row.address, &QLineEdit::textChanged, this, &VmSpecForm::revalidate);
        connect(row.prefix, &QSpinBox::valueChanged, this, &VmSpecForm::revalidate);
        connect(row.gateway, &QLineEdit::textChanged, this, &VmSpecForm::revalidate);
        // Keyboard order: after the time zone (or the row above), before the DNS servers.
        QWidget* previous = m_addressRows.isEmpty() ? static_cast<QWidget*>(m_timeZone) : m_addressRows.back().gateway;
        setTabOrder(previous, row.mode);
        setTabOrder(row.mode, row.address);
        setTabOrder(row.address, row.prefix);
        setTabOrder(row.prefix, row.gateway);
        setTabOrder(row.gateway, m_dnsServers);
        m_addressRows.append(row);
    }
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
    // NICs as "adapter type:network", in order.
    QList<NicSpec> nics;
    for (const QString& n : m_settings->lastChoice(QStringLiteral("nics")).toStringList()) {
        const qsizetype colon = n.indexOf(QLatin1Char(':'));
        if (colon > 0)
            nics.append(NicSpec{n.mid(colon + 1), n.left(colon)});
    }
    if (nics.isEmpty())
        nics.append(NicSpec{m_cascade.preferred(Picker::Network)});
    m_nics->setNics(nics.mid(0, VmSpec::maxNics));
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
    // A clone's hardware is the template's: what is remembered for the next blank VM stays a blank VM's.
    if (!s.isClone()) {
        m_settings->setLastChoice(QStringLiteral("guestId"), s.guestId);
        m_settings->setLastChoice(QStringLiteral("cpus"), s.cpus);
        m_settings->setLastChoice(QStringLiteral("coresPerSocket"), s.coresPerSocket);
        m_settings->setLastChoice(QStringLiteral("memoryMiB"), s.memoryMiB);
        m_settings->setLastChoice(QStringLiteral("memoryUnit"), m_memoryUnit->currentIndex());
        QStringList disks;
        for (const DiskSpec& d : s.disks)
            disks << QStringLiteral("%1:%2").arg(d.sizeMiB).arg(d.thin ? QStringLiteral("thin")
                                                                       : QStringLiteral("thick"));
        m_settings->setLastChoice(QStringLiteral("disks"), disks);
    }
    m_settings->setLastChoice(QStringLiteral("powerOn"), s.powerOn);
    QStringList nics;
    for (const NicSpec& n : s.nics)
        nics << QStringLiteral("%1:%2").arg(n.adapterType, n.network);
    m_settings->setLastChoice(QStringLiteral("nics"), nics);
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
    fillTemplates();
    fillCustomizationSpecs();
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
    m_nics->setEditable(editable);
    for (QComboBox* combo : {m_template, m_customizationSpec}) {
        if (combo->isEditable() == editable)
            continue;
        const QSignalBlocker block(combo);
        combo->setEditable(editable);
        if (editable)
            combo->lineEdit()->setPlaceholderText(tr("Type a name"));
    }
    for (QComboBox* combo : m_pickers) {
        if (!combo || combo->isEditable() == editable)
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
            if (combo && combo->currentText().isEmpty())
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
    if (picker == Picker::Network) {
        m_nics->setChoices(m_cascade.choices(picker));
        return;
    }
    m_filling = true;
    m_models[at(picker)]->setEntries(m_cascade.choices(picker));
    m_pickers[at(picker)]->setCurrentIndex(m_cascade.current(picker));
    m_filling = false;
}

QString VmSpecForm::pickerValue(Picker picker) const
{
    if (picker == Picker::Network)
        return m_nics->nics().front().network;
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
    s.annotation = m_annotation->toPlainText();
    s.powerOn = m_powerOn->isChecked();
    // A number field with a problem of its own counts as 0 here; revalidate() shows that problem instead
    // of the domain's. The fields' limits keep every number within int and qint64.
    s.cpus = int(m_cpus->value().value_or(0));
    s.coresPerSocket = int(m_cores->value().value_or(0));
    s.memoryMiB = memoryMiB().value_or(0);
    s.disks = m_disks->disks();
    if (isClone()) {
        s.templateName = comboValue(m_template, m_templateModel);
        // The clone runs the template's guest OS: the guest id is vCenter's to keep.
        s.cloneDiskFormat = m_cloneFormat->currentData().toString();
        s.customization = customization();
        // Left as the template has it: "as the template" (0), so that only what was changed is
        // reconfigured. A changed socket layout needs the CPU count it divides, so it sends both.
        if (const TemplateInfo* t = chosenTemplate()) {
            if (s.cpus == t->cpus && s.coresPerSocket == 1)
                s.cpus = 0;
            if (s.memoryMiB == t->memoryMiB)
                s.memoryMiB = 0;
        }
    } else {
        s.guestId = m_guestOs->currentData().toString();
    }
    s.datacenter = pickerValue(Picker::Datacenter);
    const QString compute = pickerValue(Picker::Compute);
    if (m_cascade.isCluster(compute))
        s.cluster = compute;
    else
        s.resourcePool = compute;
    s.host = pickerValue(Picker::Host);
    s.datastore = pickerValue(Picker::Datastore);
    s.nics = m_nics->nics();
    s.folder = pickerValue(Picker::Folder);
    return s;
}

GuestCustomization VmSpecForm::customization() const
{
    GuestCustomization c;
    c.mode = GuestCustomization::Mode(m_customizationMode->currentData().toInt());
    switch (c.mode) {
    case GuestCustomization::Mode::None:
        break;
    case GuestCustomization::Mode::SavedSpec:
        c.specName = comboValue(m_customizationSpec, m_customizationSpecModel);
        break;
    case GuestCustomization::Mode::Linux:
        c.hostName = m_hostName->text();
        c.domain = m_domain->text();
        c.timeZone = m_timeZone->currentText();
        c.dnsServers = splitList(m_dnsServers->text());
        c.dnsSuffixes = splitList(m_dnsSuffixes->text());
        for (const AddressRow& row : m_addressRows) {
            NicAddress address;
            address.dhcp = row.mode->currentData().toBool();
            if (!address.dhcp) {
                address.address = row.address->text().trimmed();
                address.prefixLength = row.prefix->value();
                address.gateway = row.gateway->text().trimmed();
            }
            c.nics.append(address);
        }
        break;
    }
    return c;
}

bool VmSpecForm::isClone() const
{
    return m_sourceTemplate->isChecked();
}

const TemplateInfo* VmSpecForm::chosenTemplate() const
{
    if (!isClone() || !m_cascade.hasInventory())
        return nullptr;
    const QString value = comboValue(m_template, m_templateModel);
    for (const TemplateInfo& t : m_cascade.index().snapshot().templates)
        if (!value.isEmpty() && (t.path == value || t.name == value))
            return &t;
    return nullptr;
}

VmSpec VmSpecForm::effectiveSpec(const VmSpec& s) const
{
    VmSpec e = s;
    const TemplateInfo* t = chosenTemplate();
    if (!t)
        return e;
    if (e.cpus == 0)
        e.cpus = t->cpus;
    if (e.memoryMiB == 0)
        e.memoryMiB = t->memoryMiB;
    // The datastore takes the template's disks too. Kept as the template has them, their format is not
    // in the inventory: counted as thin, so that "will not fit" is never claimed without cause.
    QList<DiskSpec> disks;
    for (const qint64 size : t->diskSizesMiB)
        disks.append(DiskSpec{size, s.cloneDiskFormat != QLatin1String("thick")});
    e.disks = disks + s.disks;
    return e;
}

void VmSpecForm::fillTemplates()
{
    const QString current = comboValue(m_template, m_templateModel);
    QList<PlacementChoice> entries;
    for (const TemplateInfo& t : m_cascade.index().snapshot().templates) {
        const QString value = t.path.isEmpty() ? t.name : t.path;
        QString text = t.name;
        if (!t.isTemplate)
            text = tr("%1 (VM)").arg(t.name);
        entries.append({text, value, t.ref, t.path, true, 0});
    }
    m_filling = true;
    m_templateModel->setEntries(entries);
    int row = m_templateModel->rowOfValue(current);
    if (row < 0)
        for (int i = 0; i < entries.size() && row < 0; ++i)
            if (entries.at(i).text == current)
                row = i;
    m_template->setCurrentIndex(row >= 0 ? row : m_templateModel->firstEnabledRow());
    m_filling = false;
    if (isClone())
        onTemplateChosen();
}

void VmSpecForm::fillCustomizationSpecs()
{
    const QString current = comboValue(m_customizationSpec, m_customizationSpecModel);
    QList<PlacementChoice> entries;
    for (const CustomizationSpecInfo& c : m_cascade.index().snapshot().customizationSpecs) {
        const QString text = c.type.isEmpty() ? c.name : tr("%1 (%2)").arg(c.name, c.type);
        entries.append({text, c.name, QString(), c.description.isEmpty() ? text : c.description, true, 0});
    }
    m_filling = true;
    m_customizationSpecModel->setEntries(entries);
    const int row = m_customizationSpecModel->rowOfValue(current);
    m_customizationSpec->setCurrentIndex(row >= 0 ? row : m_customizationSpecModel->firstEnabledRow());
    m_filling = false;
}

void VmSpecForm::loadCustomization(const GuestCustomization& c)
{
    m_customizationMode->setCurrentIndex(std::max(0, m_customizationMode->findData(int(c.mode))));
    m_filling = true;
    const int row = m_customizationSpecModel->rowOfValue(c.specName);
    if (m_customizationSpec->isEditable())
        m_customizationSpec->setEditText(c.specName);
    else if (row >= 0)
        m_customizationSpec->setCurrentIndex(row);
    m_hostName->setText(c.hostName);
    m_domain->setText(c.domain);
    m_timeZone->setEditText(c.timeZone);
    m_dnsServers->setText(c.dnsServers.join(QStringLiteral(", ")));
    m_dnsSuffixes->setText(c.dnsSuffixes.join(QStringLiteral(", ")));
    syncAddressRows();
    for (qsizetype i = 0; i < m_addressRows.size(); ++i) {
        const AddressRow& r = m_addressRows.at(i);
        const NicAddress a = c.nics.value(i);
        r.mode->setCurrentIndex(a.dhcp ? 0 : 1);
        r.address->setText(a.address);
        r.prefix->setValue(a.prefixLength > 0 ? a.prefixLength : 24);
        r.gateway->setText(a.gateway);
    }
    m_filling = false;
}

void VmSpecForm::onSourceChanged()
{
    const bool clone = isClone();
    m_templateRow->setVisible(clone);
    m_templateRow->setEnabled(clone);
    // The form layout hides a row's label with its field only through the label itself.
    m_templateLabel->setVisible(clone);
    m_guestOsLabel->setVisible(!clone);
    m_guestOsRow->setVisible(!clone);
    m_templateDisksLabel->setVisible(clone);
    m_templateDisks->setVisible(clone);
    m_cloneFormatLabel->setVisible(clone);
    m_cloneFormat->parentWidget()->setVisible(clone);
    m_customizationGroup->setVisible(clone);
    m_disksLabel->setText(clone ? tr("Extra disks:") : tr("Disks:"));
    m_disksLabel->setToolTip(clone ? tr("Data disks added after the template's own") : QString());
    m_cpus->setToolTip(clone ? tr("Number of virtual CPUs: the template's unless changed")
                             : tr("Number of virtual CPUs (1 to %1)").arg(VmSpec::maxCpus));
    if (m_ready) {
        // The blank VM's disks wait while a template is the source: a clone has the template's.
        if (clone) {
            m_blankDisks = m_disks->disks();
            m_disks->setDisks({});
            onTemplateChosen();
        } else {
            m_disks->setDisks(m_blankDisks.isEmpty() ? QList<DiskSpec>{DiskSpec{40 * 1024, true}} : m_blankDisks);
        }
    }
    revalidate();
}

void VmSpecForm::onTemplateChosen()
{
    const TemplateInfo* t = chosenTemplate();
    if (!t) {
        m_templateSummary->setText(m_cascade.hasInventory() && m_templateModel->rowCount() == 0
                                       ? tr("The inventory lists no templates.")
                                       : QString());
        m_templateSummary->setVisible(!m_templateSummary->text().isEmpty());
        m_templateDisks->setText(tr("as the template has them"));
        revalidate();
        return;
    }
    QStringList disks;
    for (int i = 0; i < t->diskSizesMiB.size(); ++i)
        disks << tr("Disk %1: %2").arg(i + 1).arg(UiFormat::mebibytes(t->diskSizesMiB.at(i)));
    const QString guest = t->guestFullName.isEmpty() ? t->guestId : t->guestFullName;
    m_templateSummary->setText(tr("%1 · %2 vCPU · %3 memory · %4 · %5")
                                   .arg(guest.isEmpty() ? tr("guest OS unknown") : guest)
                                   .arg(t->cpus)
                                   .arg(UiFormat::mebibytes(t->memoryMiB),
                                        disks.isEmpty() ? tr("no disks") : tr("%n disk(s)", nullptr, int(disks.size())),
                                        t->nicNetworks.isEmpty()
                                            ? tr("no NICs")
                                            : tr("NICs: %1").arg(t->nicNetworks.join(QStringLiteral(", ")))));
    m_templateSummary->setToolTip(t->path);
    m_templateSummary->show();
    m_templateDisks->setText(disks.isEmpty() ? tr("none") : disks.join(QStringLiteral(" · ")));

    // The template's hardware is the starting point; what the operator changes is sent as typed.
    m_cpus->setValue(t->cpus);
    m_cores->setValue(1);
    const bool wholeGiB = t->memoryMiB % 1024 == 0;
    m_memoryUnit->setCurrentIndex(wholeGiB ? unitGiB : unitMiB);
    m_memory->setValue(wholeGiB ? double(t->memoryMiB) / 1024.0 : double(t->memoryMiB));
    // The template's NICs are reconnected in order: as many rows, on their networks where the chosen
    // hosts reach them.
    if (!t->nicNetworks.isEmpty()) {
        QList<NicSpec> nics;
        for (const QString& network : t->nicNetworks.mid(0, VmSpec::maxNics)) {
            QString value = network;
            for (const PlacementChoice& c : m_cascade.choices(Picker::Network))
                if (UiFormat::leafName(c.value) == network)
                    value = c.value;
            nics.append(NicSpec{value});
        }
        const QList<NicSpec> current = m_nics->nics();
        for (qsizetype i = 0; i < nics.size() && i < current.size(); ++i)
            nics[i].adapterType = current.at(i).adapterType;
        m_nics->setNics(nics);
    }
    revalidate();
}

bool VmSpecForm::canSubmit() const
{
    return m_problems.isEmpty() && !m_fitUnconfirmed && m_pendingToken == 0;
}

void VmSpecForm::placeProblems()
{
    QHash<QString, QStringList> byField;
    QStringList diskGeneral;
    QHash<int, QStringList> perDisk;
    QStringList nicGeneral;
    QHash<int, QStringList> perNic;
    QHash<int, QStringList> perAddress;
    QStringList customizationGeneral;
    QStringList unplaced;
    for (const FieldProblem& p : std::as_const(m_problems)) {
        const QString field = listField(p.field);
        if (field == QLatin1String("disks")) {
            diskGeneral << p.message;
        } else if (const auto m = diskField().match(field); m.hasMatch()) {
            perDisk[m.captured(1).toInt()] << p.message;
        } else if (field == QLatin1String("nics")) {
            nicGeneral << p.message;
        } else if (const auto n = nicField().match(field); n.hasMatch()) {
            perNic[n.captured(1).toInt()] << p.message;
        } else if (const auto a = addressField().match(field);
                   a.hasMatch() && a.captured(1).toInt() < m_addressRows.size()) {
            perAddress[a.captured(1).toInt()] << p.message;
        } else if (m_notes.contains(field) && field != QLatin1String("customization")) {
            byField[field] << p.message;
        } else if (field.startsWith(QLatin1String("customization"))) {
            customizationGeneral << p.message;
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
    m_nics->setProblems(nicGeneral, perNic);
    for (int i = 0; i < m_addressRows.size(); ++i)
        m_addressRows.at(i).note->setMessages(perAddress.value(i));
    // The mode's own note says what concerns the customization as a whole.
    m_notes.value(QStringLiteral("customization"))->setMessages(customizationGeneral);
    if (isClone())
        m_generalNote->setMessages(unplaced);
    else
        m_generalNote->setMessages(unplaced + customizationGeneral);
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
    const VmSpec s = spec();
    // A batch's pattern ("web-{nn}" as name and host name) is no VM of its own: expandBatch checks the VMs
    // it makes, the first one fully.
    QList<FieldProblem> domain = m_count->value() > 1 ? QList<FieldProblem>{} : s.validate();
    updateBatchPreview(s, domain);
    QSet<QString> seen;
    for (const FieldProblem& p : std::as_const(domain)) {
        // A batch repeats the pattern's problems VM by VM: each is shown once.
        const QString key = p.field + QLatin1Char('\n') + p.message;
        if (ownProblem.contains(p.field) || seen.contains(key))
            continue;
        seen.insert(key);
        m_problems.append(p);
    }
    for (const FieldProblem& p : std::as_const(m_capacityProblems))
        if (!ownProblem.contains(p.field))
            m_problems.append(p);
    placeProblems();

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
    // "As the template" counts as the template's hardware, and the template's disks as the clone's.
    const VmSpec s = effectiveSpec(spec());
    const InventoryIndex& index = m_cascade.index();
    m_capacityProblems.clear();

    // Name already taken in the target folder: vCenter would answer DuplicateName. Certain while the
    // VM list is fresh; after that, the list may be out of date, and the operator is told how old it is.
    const QString folderRef = m_cascade.folderRef();
    m_nameWarning->clear();
    // A batch's names are checked one by one with its preview.
    if (m_count->value() == 1 && !s.name.isEmpty() && !folderRef.isEmpty() && index.isVmNameTaken(folderRef, s.name)) {
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

void VmSpecForm::updateBatchPreview(const VmSpec& s, QList<FieldProblem>& problems)
{
    const int count = m_count->value();
    m_batchGroup->setVisible(count > 1);
    m_batch.clear();
    if (count <= 1) {
        m_batchPreview->clear();
        m_batchNote->clear();
        return;
    }
    m_batchGroup->setTitle(tr("Batch preview: %n VM(s)", nullptr, count));
    Result<QList<VmSpec>> expanded = expandBatch(s, count);
    QStringList notes;
    if (!expanded) {
        // The batch's own problems, by field, with the others: each goes under its field.
        const QVariantList list = expanded.error().details.value(QStringLiteral("problems")).toList();
        for (const QVariant& v : list) {
            const QVariantMap m = v.toMap();
            problems.append(FieldProblem{m.value(QStringLiteral("field")).toString(),
                                         m.value(QStringLiteral("message")).toString()});
        }
        if (list.isEmpty())
            problems.append(FieldProblem{QStringLiteral("count"), expanded.error().message});
        m_batchPreview->clear();
        m_batchNote->setMessage(
            tr("No preview until the name pattern and the addresses make %n VM(s).", nullptr, count));
        return;
    }
    m_batch = expanded.value();
    const QString folderRef = m_cascade.folderRef();
    const InventoryIndex& index = m_cascade.index();
    m_batchPreview->setUpdatesEnabled(false);
    m_batchPreview->clear();
    QList<QTreeWidgetItem*> items;
    for (qsizetype i = 0; i < m_batch.size(); ++i) {
        const VmSpec& vm = m_batch.at(i);
        QStringList addresses;
        if (vm.customization.mode == GuestCustomization::Mode::Linux) {
            for (const NicAddress& a : vm.customization.nics)
                addresses << (a.dhcp ? tr("DHCP") : QStringLiteral("%1/%2").arg(a.address).arg(a.prefixLength));
        }
        auto* item = new QTreeWidgetItem;
        item->setText(0, QString::number(i + 1));
        item->setText(1, vm.name);
        item->setText(2, addresses.join(QStringLiteral(", ")));
        items.append(item);
        if (!folderRef.isEmpty() && index.isVmNameTaken(folderRef, vm.name))
            problems.append(FieldProblem{
                QStringLiteral("name"),
                tr("A VM named %1 already exists in this folder: vCenter refuses a second one.").arg(vm.name)});
    }
    m_batchPreview->addTopLevelItems(items);
    m_batchPreview->resizeColumnToContents(0);
    m_batchPreview->resizeColumnToContents(1);
    m_batchPreview->setUpdatesEnabled(true);
    m_batchNote->setMessages(notes);
}

QStringList VmSpecForm::batchPreviewLines() const
{
    QStringList lines;
    for (int i = 0; i < m_batchPreview->topLevelItemCount(); ++i) {
        const QTreeWidgetItem* item = m_batchPreview->topLevelItem(i);
        lines << QStringLiteral("%1  %2").arg(item->text(1), item->text(2)).trimmed();
    }
    return lines;
}

QString VmSpecForm::nicNoteText(int index) const
{
    return m_nics->problemText(index);
}

QString VmSpecForm::addressNoteText(int index) const
{
    if (index < 0 || index >= m_addressRows.size() || m_addressRows.at(index).note->isHidden())
        return QString();
    return m_addressRows.at(index).note->text();
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
    m_batchAnswers.clear();
    const int count = m_count->value();
    if (count > 1) {
        m_pendingAnswers = count;
        m_pendingToken = m_client->submitBatch(spec(), count);
    } else {
        m_pendingAnswers = 1;
        m_pendingToken = m_client->submit(spec());
    }
    revalidate();
}

void VmSpecForm::onAnswer(const SubmitAnswer& answer)
{
    if (answer.token == 0 || answer.token != m_pendingToken)
        return;
    // A batch answers once per VM; a refusal of the whole batch may come as one answer.
    m_batchAnswers.append(answer);
    if (answer.accepted() && int(m_batchAnswers.size()) < m_pendingAnswers)
        return;
    m_pendingToken = 0;
    const QList<SubmitAnswer> answers = std::exchange(m_batchAnswers, {});
    const int total = std::exchange(m_pendingAnswers, 0);
    if (total > 1) {
        showBatchAnswers(answers);
    } else {
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

void VmSpecForm::showBatchAnswers(const QList<SubmitAnswer>& answers)
{
    int started = 0;
    int queued = 0;
    QStringList refused;
    for (const SubmitAnswer& a : answers) {
        if (a.outcome == SubmitAnswer::Outcome::Started)
            ++started;
        else if (a.outcome == SubmitAnswer::Outcome::Queued)
            ++queued;
        else if (!refused.contains(a.message))
            refused << a.message;
    }
    if (!refused.isEmpty()) {
        m_feedback->showMessage(StateStyle::Notice::Warning,
                                tr("The batch was not accepted: %1").arg(refused.join(QStringLiteral(" "))));
        return;
    }
    m_lastAccepted = answers.isEmpty() ? QUuid() : answers.front().id;
    const QString text = queued == 0 ? tr("Batch accepted: %n request(s) started.", nullptr, started)
                         : started == 0
                             ? tr("Batch accepted: %n request(s) queued; provisioning starts when the hypervisor is "
                                  "online.",
                                  nullptr, queued)
                             : tr("Batch accepted: %1 started, %2 queued.").arg(started).arg(queued);
    m_feedback->showMessage(queued == 0 ? StateStyle::Notice::Success : StateStyle::Notice::Info, text,
                            tr("Show request"));
}

void VmSpecForm::loadSpec(const VmSpec& spec, const QUuid& from)
{
    m_feedback->dismiss();
    m_count->setValue(1);
    // The source first: it decides which fields the rest goes into.
    if (spec.isClone()) {
        m_sourceTemplate->setChecked(true);
        m_filling = true;
        const int row = m_templateModel->rowOfValue(spec.templateName);
        if (row >= 0 && !m_template->isEditable())
            m_template->setCurrentIndex(row);
        else if (m_template->isEditable())
            m_template->setEditText(spec.templateName);
        m_filling = false;
        onTemplateChosen();
        m_cloneFormat->setCurrentIndex(std::max(0, m_cloneFormat->findData(spec.cloneDiskFormat)));
    } else {
        m_sourceBlank->setChecked(true);
    }
    m_name->setText(spec.name);
    m_nameTouched = true;
    if (const int i = m_guestOs->findData(spec.guestId.isEmpty() ? GuestOsCatalog::defaultId() : spec.guestId); i >= 0)
        m_guestOs->setCurrentIndex(i);
    m_annotation->setPlainText(spec.annotation);
    m_powerOn->setChecked(spec.powerOn);
    // "As the template" (0) shows the template's value, as choosing the template does.
    const TemplateInfo* source = chosenTemplate();
    if (spec.cpus != 0 || !source) {
        m_cpus->setValue(spec.cpus);
        m_cores->setValue(spec.coresPerSocket);
    }
    if (spec.memoryMiB != 0 || !source) {
        // Whole GiB in GiB, anything else in MiB: the number is shown exactly as the request has it.
        m_memoryUnit->setCurrentIndex(spec.memoryMiB % 1024 == 0 ? unitGiB : unitMiB);
        m_memory->setValue(m_memoryUnit->currentIndex() == unitGiB ? double(spec.memoryMiB) / 1024.0
                                                                   : double(spec.memoryMiB));
    }
    m_disks->setDisks(spec.disks);
    m_nics->setNics(spec.nics.mid(0, VmSpec::maxNics));
    loadCustomization(spec.customization);

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
            if (m_pickers[at(level)])
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
    for (qsizetype i = 0; i < spec.nics.size() && i < now.nics.size(); ++i)
        compare(spec.nics.size() == 1 ? tr("network") : tr("network of NIC %1").arg(i + 1), spec.nics.at(i).network,
                now.nics.at(i).network);
    if (spec.isClone())
        compare(tr("template"), spec.templateName, now.templateName);
    if (spec.customization.mode == GuestCustomization::Mode::SavedSpec)
        compare(tr("customization specification"), spec.customization.specName, now.customization.specName);
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
