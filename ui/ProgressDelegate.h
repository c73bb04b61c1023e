#pragma once

#include <QStyledItemDelegate>

namespace dcm {

// Draws the running vCenter task as a progress bar (with its percentage and stage as text) in the
// request table; other rows show their text as usual.
class ProgressDelegate final : public QStyledItemDelegate
{
    Q_OBJECT

public:
    explicit ProgressDelegate(QObject* parent = nullptr);
    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

} // namespace dcm
