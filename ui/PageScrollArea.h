#pragma once

#include <QScrollArea>

namespace dcm {

// A scroll area for a whole page (the New VM form, the dashboard). Its size hint is a constant instead
// of the content's: a label that changes text deep inside the page then does not make the main window
// ask every wrapped label of the page for its height again (measured: ~20 ms per relayout).
class PageScrollArea final : public QScrollArea
{
    Q_OBJECT

public:
    explicit PageScrollArea(QWidget* content, QWidget* parent = nullptr);
    QSize sizeHint() const override;
};

} // namespace dcm
