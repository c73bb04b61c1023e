#include "ui/PageScrollArea.h"

namespace dcm {

PageScrollArea::PageScrollArea(QWidget* content, QWidget* parent) : QScrollArea(parent)
{
    setWidget(content);
    setWidgetResizable(true);
    setFrameShape(QFrame::NoFrame);
}

QSize PageScrollArea::sizeHint() const
{
    return QSize(960, 640);
}

} // namespace dcm
