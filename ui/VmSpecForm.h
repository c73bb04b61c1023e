#pragma once

#include "app/service/SubmitAnswer.h"
#include "domain/Inventory.h"
#include "domain/VmSpec.h"
#include "ui/PlacementCascade.h"

#include <array>
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
class VmSpecForm final : public QWidget
{
    Q_OBJECT

public:
    VmSpecForm(ServiceClient* client, UiSettings* settings, QWidget* parent = nullptr);
    ~VmSpecForm() override;

    VmSpec spec() const;
    const QList<FieldProblem>& problems() const { return m_problems; }
    bool canSubmit() const;
    bool hasInventory() const { return m_cascade.hasInventory(); }
    const InventoryIndex& inventoryIndex() const { return m_cascade.index(); }
    QString fieldNoteText(const QString& field) const;
    QString feedbackText() const;

    // Indexes the snapshot off the GUI thread, then fills the pickers (hasInventory() turns true then).
    void setInventory(const InventorySnapshot& snapshot);
    void submit();
    void refreshInventory();
    void focusFirstField();

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
    FieldNote* m_generalNote;
    FieldNote* m_inventoryNote;
    Banner* m_feedback;
    QLabel* m_summary;
    QPushButton* m_submit;
    QPushButton* m_reset;
    QTimer* m_ageTimer;
};

} // namespace dcm
