#pragma once

#include "domain/VmSpec.h"

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
class NumberField;

// The VM's disks: one row per disk (size in GiB, thin or thick provisioning, remove), "Add disk", and
// the domain's problems next to the disk they concern.
class DiskListEditor final : public QWidget
{
    Q_OBJECT

public:
    explicit DiskListEditor(QWidget* parent = nullptr);

    // A size that is not a number counts as 0 MiB here; sizeProblems() says why.
    QList<DiskSpec> disks() const;
    // Sizes that are not numbers, as "disks[i].sizeMiB" problems.
    QList<FieldProblem> sizeProblems() const;
    void setDisks(const QList<DiskSpec>& disks);
    int count() const { return int(m_rows.size()); }
    // Problems for the whole list ("disks") and per disk ("disks[i].sizeMiB").
    void setProblems(const QStringList& general, const QHash<int, QStringList>& perDisk);
    qint64 totalMiB() const;

    NumberField* sizeEditor(int index) const;
    QPushButton* addButton() const { return m_add; }
    QWidget* firstFocusWidget() const;
    QWidget* lastFocusWidget() const;

    void addDisk(const DiskSpec& disk);
    void removeDisk(int index);

Q_SIGNALS:
    void changed();

private:
    struct Row
    {
        QWidget* container = nullptr;
        QLabel* label = nullptr;
        NumberField* size = nullptr;
        QComboBox* provisioning = nullptr;
        QToolButton* remove = nullptr;
        FieldNote* note = nullptr;
    };
    void relabel();

    QList<Row> m_rows;
    QVBoxLayout* m_rowsLayout;
    QPushButton* m_add;
    FieldNote* m_general;
};

} // namespace dcm
