#pragma once

#include <QMainWindow>

namespace dcm {

class MainWindow final : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);
};

} // namespace dcm
