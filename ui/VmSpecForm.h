#pragma once

#include "app/service/SubmitAnswer.h"
#include "domain/Inventory.h"
#include "domain/VmSpec.h"
#include "domain/ports/ClockPort.h"
#include "ui/PlacementCascade.h"

#include <array>
#include <chrono>
#include <optional>

#include <QHash>
#include <QPointer>
#include <QUuid>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QTimer;
class QToolButton;
class QTreeWidget;

namespace dcm {

class Banner;
class DiskListEditor;
class FieldNote;
class InventoryListModel;
class NicListEditor;
class NumberField;
class ServiceClient;
class UiSettings;

// The New VM form: every field of a VmSpec with the right widget and unit, placement pickers fed by the
// hypervisor's inventory and cascading datacenter -> cluster/pool -> host -> datastores and networks
// that host reaches (PlacementCascade), live capacity hints (CapacityAdvisor), the domain's validation
// messages next to their fields as the operator types, and Submit only for a valid spec. Number fields
// keep what was typed (NumberField): a value out of range is shown with its problem, never clamped.
// After Submit, the service's answer in words. The form decides nothing about placement or capacity
// itself: it shows what those two say.
//
// What cannot work is an error (Submit disabled): more vCPUs than the largest candidate host has cores,
// more memory than it has at all, and a VM name the folder already holds while the inventory's VM list is
// fresh (`nameCheckFreshFor`). An older list makes the taken name a warning that says the list's age.
// A datastore the thick disks and swap file will not fit is a warning that needs "Submit anyway" ticked
// (thin disks, or space freed meanwhile, may make it fit); other hints are plain warnings.
//
// Source: a blank VM, or a clone of a template from the inventory. Choosing a template fills CPUs and
// memory with the template's; a value left as the template has it goes into the spec as 0 ("as the
// template"), so that the clone keeps the template's hardware as vCenter has it when the request is
// drained, and only what the operator changed is reconfigured. The disk list then holds the data disks
// added after the template's own (shown, read-only), and guest customization (none, a saved
// specification, or Linux settings per NIC) is offered. One to four NICs, each on a network the chosen
// hosts reach. "Number of VMs" above 1 makes the name a pattern (web-{nn}) and shows every VM's name and
// addresses as the domain's batch expansion gives them; Submit then sends one batch.
class VmSpecForm final : public QWidget
{
    Q_OBJECT

public:
    // Within this age the inventory's VM list is taken as the truth about taken names: someone may create
    // a VM in vCenter at any time, but minutes after a read a name the list holds is very likely still
    // taken, and an operator whose VM was deleted since can refresh.
    static constexpr std::chrono::minutes nameCheckFreshFor{5};

    VmSpecForm(ServiceClient* client, UiSettings* settings, QWidget* parent = nullptr);
    ~VmSpecForm() override;

    // "Now", for the inventory's age (the system clock unless a test gives its own).
    void setClock(const ClockPort& clock);

    VmSpec spec() const;
    const QList<FieldProblem>& problems() const { return m_problems; }
    bool canSubmit() const;
    // The datastore will not take the thick disks and swap file, and "Submit anyway" is not ticked.
    bool needsFitConfirmation() const { return m_fitUnconfirmed; }
    bool hasInventory() const { return m_cascade.hasInventory(); }
    const InventoryIndex& inventoryIndex() const { return m_cascade.index(); }
    QString fieldNoteText(const QString& field) const;
    QString feedbackText() const;
    // The names and addresses the batch preview shows, one line per VM ("web-01  10.0.0.11/24").
    QStringList batchPreviewLines() const;
    // The note under NIC i's network and adapter, and under its guest address row.
    QString nicNoteText(int index) const;
    QString addressNoteText(int index) const;

    // Indexes the snapshot off the GUI thread, then fills the pickers (hasInventory() turns true then).
    void setInventory(const InventorySnapshot& snapshot);
    void submit();
    void refreshInventory();
    void focusFirstField();
    // "Edit and resubmit": every field from `spec` (placement as far as the inventory still has it); a
    // submit makes a new request. `from` is the request it was copied from, named in the form's note.
    void loadSpec(const VmSpec& spec, const QUuid& from = {});

Q_SIGNALS:
    void showRequestRequested(const QUuid& id);
    void specValidityChanged(bool valid);

private:
    using Picker = PlacementCascade::Level;

    QWidget* buildIdentity();
    QWidget* buildHardware();
    QWidget* buildPlacement();
    QWidget* buildCustomization();
    QWidget* buildBatch();
    QComboBox* makePicker(Picker picker, const QString& objectName);
    QWidget* withNote(QWidget* field, FieldNote* note, FieldNote* second = nullptr, QWidget* extra = nullptr);
    void applyInventory(const InventoryIndex& index);
    void restoreChoices();
    void saveChoices();

    void onPicked(Picker picker, int row);
    void showChoices(Picker picker);
    QString pickerValue(Picker picker) const;
    void setPickersEditable(bool editable);

    void fillGuestOs(const QString& apiVersion);
    std::optional<qint64> memoryMiB() const;
    // The number fields' own problems (text that is not a number they can carry), by spec field.
    QList<FieldProblem> numberProblems() const;
    void onMemoryUnitChanged();
    void revalidate();
    void updateHints();
    void updateInventoryStatus();
    void onAnswer(const SubmitAnswer& answer);
    void showBatchAnswers(const QList<SubmitAnswer>& answers);

    // Source, customization and batch.
    bool isClone() const;
    const TemplateInfo* chosenTemplate() const;
    void fillTemplates();
    void fillCustomizationSpecs();
    void onSourceChanged();
    void onTemplateChosen();
    void syncAddressRows();
    GuestCustomization customization() const;
    void loadCustomization(const GuestCustomization& c);
    // The spec with "as the template" replaced by the template's values, for the capacity hints.
    VmSpec effectiveSpec(const VmSpec& s) const;
    void updateBatchPreview(const VmSpec& s, QList<FieldProblem>& problems);
    // Where a problem goes: a note of the form, a row of a list, or the note under the buttons.
    void placeProblems();

    ServiceClient* m_client;
    UiSettings* m_settings;
    PlacementCascade m_cascade;
    QString m_apiVersion;
    QList<FieldProblem> m_problems;
    bool m_lastValid = false;
    bool m_nameTouched = false;
    bool m_refreshing = false;
    std::optional<Error> m_inventoryError;
    quint64 m_pendingToken = 0;
    QUuid m_lastAccepted;
    bool m_filling = false;
    quint64 m_inventoryGeneration = 0;
    bool m_ready = false; // set once every widget exists
    const ClockPort* m_clock;
    QList<FieldProblem> m_capacityProblems; // what the placement cannot run, by field
    bool m_fitUnconfirmed = false;
    QString m_fitConfirmedFor; // the datastore "Submit anyway" was ticked for

    QLineEdit* m_name;
    QComboBox* m_guestOs;
    QPlainTextEdit* m_annotation;
    QLabel* m_annotationCount;
    NumberField* m_cpus;
    NumberField* m_cores;
    QLabel* m_socketsHint;
    NumberField* m_memory;
    QComboBox* m_memoryUnit;
    int m_memoryUnitIndex = 1;
    DiskListEditor* m_disks;
    QCheckBox* m_powerOn;
    // The network level has no picker of its own here: the NIC list shows its choices.
    std::array<QComboBox*, 6> m_pickers{};
    std::array<InventoryListModel*, 6> m_models{};
    QLabel* m_inventoryStatus;
    QToolButton* m_refresh;
    QLabel* m_hostHint;
    QLabel* m_datastoreHint;
    QHash<QString, FieldNote*> m_notes; // by spec field name
    FieldNote* m_nameWarning;
    FieldNote* m_hostWarning;
    FieldNote* m_datastoreWarning;
    QCheckBox* m_submitAnyway;
    FieldNote* m_generalNote;
    FieldNote* m_inventoryNote;
    Banner* m_feedback;
    QLabel* m_summary;
    QPushButton* m_submit;
    QPushButton* m_reset;
    QTimer* m_ageTimer;

    // Source
    QRadioButton* m_sourceBlank;
    QRadioButton* m_sourceTemplate;
    QWidget* m_templateRow;
    QLabel* m_templateLabel;
    QComboBox* m_template;
    InventoryListModel* m_templateModel;
    QLabel* m_templateSummary;
    QWidget* m_guestOsRow;
    QLabel* m_guestOsLabel;
    QLabel* m_templateDisksLabel;
    QLabel* m_templateDisks;
    QLabel* m_disksLabel;
    QLabel* m_cloneFormatLabel;
    QComboBox* m_cloneFormat;
    QList<DiskSpec> m_blankDisks; // the blank VM's disks while a template is the source
    // Networks
    NicListEditor* m_nics;
    // Guest customization
    QWidget* m_customizationGroup;
    QComboBox* m_customizationMode;
    QWidget* m_savedSpecRow;
    QComboBox* m_customizationSpec;
    InventoryListModel* m_customizationSpecModel;
    QWidget* m_linuxBox;
    QLineEdit* m_hostName;
    QLineEdit* m_domain;
    QComboBox* m_timeZone;
    QLineEdit* m_dnsServers;
    QLineEdit* m_dnsSuffixes;
    struct AddressRow
    {
        QWidget* container = nullptr;
        QLabel* label = nullptr;
        QComboBox* mode = nullptr;
        QLineEdit* address = nullptr;
        QSpinBox* prefix = nullptr;
        QLineEdit* gateway = nullptr;
        FieldNote* note = nullptr;
    };
    QList<AddressRow> m_addressRows;
    QWidget* m_addressRowsBox = nullptr;
    FieldNote* m_customizationNote;
    // Batch
    QSpinBox* m_count;
    QLabel* m_nameLabel;
    QGroupBox* m_batchGroup;
    QTreeWidget* m_batchPreview;
    FieldNote* m_batchNote;
    QList<VmSpec> m_batch; // the expanded batch, when the count is above 1 and it expands
    int m_pendingAnswers = 0;
    QList<SubmitAnswer> m_batchAnswers;
};

} // namespace dcm
