#pragma once

#include <QDir>
#include <QObject>
#include <QPointer>
#include <QString>

#include <functional>

class QDialog;
class QWidget;

namespace dcm {

class MainWindow;

// One scene of `dcm-screenshots` (never part of dcm-console): waits for the scene's moment, grabs the
// views with QWidget::grab() into DIR as PNGs, and quits. Used by scripts/screenshots.sh under Xvfb
// against the bundled simulator (see SimulatorGuard.h); the exit code says whether every picture was
// taken.
//   main     — connected, inventory and requests loaded; a few requests submitted:
//              new-vm.png, requests.png, breaker-dashboard.png
//   dark     — the same views under a dark palette: new-vm-dark.png, requests-dark.png, breaker-dashboard-dark.png
//   outage   — the breaker has opened; a request typed in and queued:
//              new-vm-queued.png, breaker-open.png, requests-queued.png
//   templates — from a template, with Linux customization and a static address, then as a batch of
//              five with its preview: new-vm-template.png, new-vm-batch.png
//   trust    — the trust dialog of an unpinned server: trust-dialog.png
//   mismatch — the red stop of a changed certificate: thumbprint-mismatch.png
class ScreenshotSession final : public QObject
{
    Q_OBJECT

public:
    ScreenshotSession(MainWindow* window, const QString& directory, const QString& scene, int timeoutSeconds);

    static QStringList scenes();

private:
    void poll();
    void onDialog(QDialog* dialog);
    void fillForm(const QString& name);
    void pressSubmit();
    void shootMain();
    void shootOutage();
    void shootTemplates();
    void shootLifecycle();
    void save(QWidget* widget, const QString& name);
    void finish(int code);
    void later(int ms, std::function<void()> step);

    QPointer<MainWindow> m_window;
    QDir m_dir;
    QString m_scene;
    bool m_started = false;
    bool m_inventory = false;
    bool m_requests = false;
    int m_saved = 0;
};

} // namespace dcm
