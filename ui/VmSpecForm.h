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
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTimer;
class QToolButton;

namespace dcm {

class Banner;
class DiskListEditor;
class FieldNote;
class InventoryListModel;
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
};

} // namespace dcm
