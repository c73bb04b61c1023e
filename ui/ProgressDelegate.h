#pragma once

#include <QStyledItemDelegate>

namespace dcm {

// The request table's cells: the running vCenter task as a progress bar (with its percentage and stage
// as text), other cells as usual; and a cell whose text is cut off gets its full text as tooltip (with
// the model's own tooltip after it when that says more).
class ProgressDelegate final : public QStyledItemDelegate
{
    Q_OBJECT

public:
    explicit ProgressDelegate(QObject* parent = nullptr);
    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    bool helpEvent(QHelpEvent* event, QAbstractItemView* view, const QStyleOptionViewItem& option,
                   const QModelIndex& index) override;

    // Whether the cell's text does not fit the cell as laid out by `option`.
    bool isCutOff(const QStyleOptionViewItem& option, const QModelIndex& index) const;
    // What the tooltip of the cell says: the full text when it is cut off, else the model's tooltip.
    QString toolTip(const QStyleOptionViewItem& option, const QModelIndex& index) const;
};

} // namespace dcm
