#pragma once

#include "domain/VmSpec.h"
#include "ui/PlacementCascade.h"

#include <QHash>
#include <QList>
#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QToolButton;
class QVBoxLayout;

namespace dcm {

class FieldNote;
class InventoryListModel;

// The VM's network adapters: one row per NIC (its network, its adapter type, remove), "Add network
// adapter" up to VmSpec::maxNics, and the domain's problems under the row they concern
// ("nics[i].network", "nics[i].adapterType"). Every row offers the same networks: the ones the placement
// cascade lists for the chosen hosts. Without an inventory the network pickers take typed names or paths,
// as the other placement pickers do.
class NicListEditor final : public QWidget
{
    Q_OBJECT

public:
    explicit NicListEditor(QWidget* parent = nullptr);

    QList<NicSpec> nics() const;
    // Rows for `nics` (at least one): each row keeps its network when the choices offer it.
    void setNics(const QList<NicSpec>& nics);
    int count() const { return int(m_rows.size()); }

    // The networks the chosen hosts reach. Each row keeps its network when it is among them, and takes
    // the first otherwise.
    void setChoices(const QList<PlacementChoice>& choices);
    // Typed names (no inventory) or a pick from the choices.
    void setEditable(bool editable);
    bool isEditable() const { return m_editable; }

    // Problems for the whole list ("nics") and per NIC, by the field after "nics[i]." ("network",
    // "adapterType").
    void setProblems(const QStringList& general, const QHash<int, QStringList>& perNic);
    QString problemText(int index) const;

    QComboBox* networkPicker(int index) const;
    QComboBox* adapterPicker(int index) const;
    QToolButton* removeButton(int index) const;
    QPushButton* addButton() const { return m_add; }
    QWidget* firstFocusWidget() const;
    QWidget* lastFocusWidget() const;
    // Every row's network, type and remove button, then "Add": the keyboard's order through the list,
    // kept between `before` and `after` as rows come and go.
    QList<QWidget*> focusOrder() const;
    void setFocusNeighbours(QWidget* before, QWidget* after);

    void addNic(const NicSpec& nic);
    void removeNic(int index);

Q_SIGNALS:
    void changed();

private:
    struct Row
    {
        QWidget* container = nullptr;
        QLabel* label = nullptr;
        QComboBox* network = nullptr;
        InventoryListModel* model = nullptr;
        QComboBox* adapter = nullptr;
        QToolButton* remove = nullptr;
        FieldNote* note = nullptr;
        QString preferred; // the network this row keeps across refills
    };
    void relabel();
    void restoreTabOrder();
    void fill(Row& row);
    QString networkOf(const Row& row) const;

    QList<Row> m_rows;
    QList<PlacementChoice> m_choices;
    bool m_editable = true;
    bool m_filling = false;
    QWidget* m_before = nullptr;
    QWidget* m_after = nullptr;
    QVBoxLayout* m_rowsLayout;
    QPushButton* m_add;
    FieldNote* m_general;
};

} // namespace dcm
