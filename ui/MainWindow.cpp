#include "ui/MainWindow.h"

#include <QLabel>

namespace dcm {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent)
{
    setWindowTitle(tr("DCM Operator Console"));
    auto* label = new QLabel(tr("Not connected."), this);
    label->setAlignment(Qt::AlignCenter);
    setCentralWidget(label);
    resize(1100, 720);
}

} // namespace dcm
