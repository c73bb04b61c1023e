#pragma once

#include "app/service/SubmitAnswer.h"
#include "domain/Inventory.h"
#include "domain/VmSpec.h"
#include "ui/InventoryIndex.h"

#include <array>
#include <optional>

#include <QHash>
#include <QPointer>
#include <QUuid>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTimer;
class QToolButton;

namespace dcm {

class Banner;
class DiskListEditor;
class FieldNote;
class InventoryListModel;
class ServiceClient;
class UiSettings;

// The New VM form: every field of a VmSpec with the right widget and unit, placement pickers fed by the
// hypervisor's inventory and cascading datacenter -> cluster/pool -> host -> datastores and networks
// that host reaches, live capacity hints, the domain's validation messages next to their fields as the
// operator types, and Submit only for a valid spec. After Submit, the service's answer in words.
class VmSpecForm final : public QWidget
{
    Q_OBJECT

public:
    VmSpecForm(ServiceClient* client, UiSettings* settings, QWidget* parent = nullptr);
    ~VmSpecForm() override;

    VmSpec spec() const;
    const QList<FieldProblem>& problems() const { return m_problems; }
    bool canSubmit() const;
    bool hasInventory() const { return !m_index.isNull(); }
    const InventoryIndex& inventoryIndex() const { return m_index; }
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
    enum class Picker
    {
        Datacenter,
        Compute,
        Host,
        Datastore,
        Network,
        Folder,
    };

    QWidget* buildIdentity();
    QWidget* buildHardware();
    QWidget* buildPlacement();
    QComboBox* makePicker(Picker picker, const QString& objectName);
    QWidget* withNote(QWidget* field, FieldNote* note, FieldNote* second = nullptr, QWidget* extra = nullptr);
    void applyInventory(const InventoryIndex& index);
    void restoreChoices();
    void saveChoices();

    void fillDatacenters();
    void onDatacenterChanged();
    void onComputeChanged();
    void onHostChanged();
    void select(Picker picker, const QString& preferred);
    QString pickerValue(Picker picker) const;
    const InventoryListModel* pickerModel(Picker picker) const;
    void setPickersEditable(bool editable);
    QList<const HostInfo*> candidateHosts() const;
    QString currentDatacenterRef() const;

    void fillGuestOs(const QString& apiVersion);
    qint64 memoryMiB() const;
    void onMemoryUnitChanged();
    void revalidate();
    void updateHints();
    void updateInventoryStatus();
    void onAnswer(const SubmitAnswer& answer);

    ServiceClient* m_client;
    UiSettings* m_settings;
    InventoryIndex m_index;
    QString m_apiVersion;
    QList<FieldProblem> m_problems;
    bool m_lastValid = false;
    bool m_nameTouched = false;
    bool m_refreshing = false;
    std::optional<Error> m_inventoryError;
    quint64 m_pendingToken = 0;
    QUuid m_lastAccepted;
    std::array<QString, 6> m_preferred; // remembered choices, applied when inventory arrives
    bool m_filling = false;
    quint64 m_inventoryGeneration = 0;
    bool m_ready = false; // set once every widget exists

    QLineEdit* m_name;
    QComboBox* m_guestOs;
    QPlainTextEdit* m_annotation;
    QLabel* m_annotationCount;
    QSpinBox* m_cpus;
    QSpinBox* m_cores;
    QLabel* m_socketsHint;
    QDoubleSpinBox* m_memory;
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
