#include "ScreenshotSession.h"

#include "ui/BreakerDashboard.h"
#include "ui/ConnectionController.h"
#include "ui/DecommissionDialog.h"
#include "ui/DiskListEditor.h"
#include "ui/MainWindow.h"
#include "ui/NotificationCenter.h"
#include "ui/NumberField.h"
#include "ui/RequestFilterProxy.h"
#include "ui/RequestTableModel.h"
#include "ui/RequestsPage.h"
#include "ui/ServiceClient.h"
#include "ui/ThumbprintMismatchDialog.h"
#include "ui/TrustDialog.h"
#include "ui/VmSpecForm.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDialog>
#include <QLineEdit>
#include <QPixmap>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QTableView>
#include <QTimer>

#include <cstdio>

namespace dcm {

ScreenshotSession::ScreenshotSession(MainWindow* window, const QString& directory, const QString& scene,
                                     int timeoutSeconds)
    : QObject(window), m_window(window), m_dir(directory), m_scene(scene)
{
    m_dir.mkpath(QStringLiteral("."));
    window->notifications()->setTrayAllowed(false);
    ServiceClient* client = window->client();
    connect(client, &ServiceClient::inventoryChanged, this, [this] {
        m_inventory = true;
        poll();
    });
    connect(client, &ServiceClient::requestPageLoaded, this, [this] {
        m_requests = true;
        poll();
    });
    connect(client, &ServiceClient::breakerChanged, this, &ScreenshotSession::poll);
    connect(window->connectionController(), &ConnectionController::dialogShown, this, &ScreenshotSession::onDialog);
    QTimer::singleShot(timeoutSeconds * 1000, this, [this, timeoutSeconds] {
        std::fprintf(stderr, "dcm-screenshots: screenshot scene '%s' not reached within %d s\n", qPrintable(m_scene),
                     timeoutSeconds);
        finish(1);
    });
}

QStringList ScreenshotSession::scenes()
{
    return {QStringLiteral("main"),     QStringLiteral("dark"),     QStringLiteral("outage"),
            QStringLiteral("trust"),    QStringLiteral("mismatch"), QStringLiteral("templates"),
            QStringLiteral("lifecycle")};
}

void ScreenshotSession::later(int ms, std::function<void()> step)
{
    QTimer::singleShot(ms, this, std::move(step));
}

void ScreenshotSession::poll()
{
    if (m_started || !m_window)
        return;
    ServiceClient* client = m_window->client();
    if (m_scene == QLatin1String("templates")) {
        // The simulator's templates and saved specifications come with the inventory.
        if (m_inventory && client->connection().state == ConnectionStatus::State::Connected && client->inventory() &&
            !client->inventory()->templates.isEmpty()) {
            m_started = true;
            later(1500, [this] { shootTemplates(); });
        }
    } else if (m_scene == QLatin1String("lifecycle")) {
        if (m_inventory && m_requests && client->connection().state == ConnectionStatus::State::Connected) {
            m_started = true;
            later(2500, [this] { shootLifecycle(); });
        }
    } else if (m_scene == QLatin1String("main") || m_scene == QLatin1String("dark")) {
        if (m_inventory && m_requests && client->connection().state == ConnectionStatus::State::Connected) {
            m_started = true;
            // Let the drain and the table settle, so that the pictures show a steady state.
            later(2500, [this] { shootMain(); });
        }
    } else if (m_scene == QLatin1String("outage")) {
        if (client->breaker() && client->breaker()->state == BreakerState::Open && m_requests) {
            m_started = true;
            later(1500, [this] { shootOutage(); });
        }
    }
}

void ScreenshotSession::onDialog(QDialog* dialog)
{
    const bool wanted = (m_scene == QLatin1String("trust") && qobject_cast<TrustDialog*>(dialog)) ||
                        (m_scene == QLatin1String("mismatch") && qobject_cast<ThumbprintMismatchDialog*>(dialog));
    if (!wanted || m_started)
        return;
    m_started = true;
    QPointer<QDialog> guard(dialog);
    later(800, [this, guard] {
        if (!guard)
            return finish(1);
        save(guard, m_scene == QLatin1String("trust") ? QStringLiteral("trust-dialog.png")
                                                      : QStringLiteral("thumbprint-mismatch.png"));
        finish(m_saved == 1 ? 0 : 1);
    });
}

void ScreenshotSession::fillForm(const QString& name)
{
    VmSpecForm* form = m_window->vmSpecForm();
    form->findChild<QLineEdit*>(QStringLiteral("name"))->setText(name);
    form->findChild<QPlainTextEdit*>(QStringLiteral("annotation"))
        ->setPlainText(QStringLiteral("Owner: web team · change CHG-4711"));
    form->findChild<NumberField*>(QStringLiteral("cpus"))->setValue(2);
    form->findChild<NumberField*>(QStringLiteral("coresPerSocket"))->setValue(1);
    form->findChild<QComboBox*>(QStringLiteral("memoryUnit"))->setCurrentIndex(1);
    form->findChild<NumberField*>(QStringLiteral("memory"))->setValue(2);
    form->findChild<DiskListEditor*>(QStringLiteral("disks"))
        ->setDisks({DiskSpec{16 * 1024, true}, DiskSpec{8 * 1024, false}});
}

void ScreenshotSession::pressSubmit()
{
    auto* submit = m_window->vmSpecForm()->findChild<QPushButton*>(QStringLiteral("submit"));
    if (submit->isEnabled())
        submit->click();
    else
        std::fprintf(stderr, "dcm-screenshots: the form is not valid; not submitted\n");
}

void ScreenshotSession::shootMain()
{
    const bool dark = m_scene == QLatin1String("dark");
    const QString suffix = dark ? QStringLiteral("-dark") : QString();
    m_window->showView(MainWindow::View::NewVm);
    fillForm(QStringLiteral("web-frontend-03"));
    later(600, [this, dark, suffix] {
        save(m_window, QStringLiteral("new-vm%1.png").arg(suffix));
        if (!dark) {
            // Real requests against the simulator, for the table, the timeline and the latency chart.
            pressSubmit();
            VmSpec more = m_window->vmSpecForm()->spec();
            for (const char* name : {"batch-worker-01", "batch-worker-02", "ci-runner-01"}) {
                more.name = QString::fromLatin1(name);
                (void)m_window->client()->submit(more);
            }
        }
        later(dark ? 100 : 3500, [this, dark, suffix] {
            m_window->showView(MainWindow::View::Requests);
            RequestsPage* page = m_window->requestsPage();
            page->table()->selectRow(0);
            later(600, [this, dark, suffix] {
                save(m_window, QStringLiteral("requests%1.png").arg(suffix));
                m_window->adminModeAction()->setChecked(true);
                m_window->showView(MainWindow::View::Dashboard);
                later(600, [this, suffix] {
                    save(m_window, QStringLiteral("breaker-dashboard%1.png").arg(suffix));
                    finish(m_saved == 3 ? 0 : 1);
                });
            });
        });
    });
}

void ScreenshotSession::shootOutage()
{
    // No inventory while vCenter is down: the operator types the placement, and the request is queued.
    m_window->showView(MainWindow::View::NewVm);
    fillForm(QStringLiteral("app-server-04"));
    VmSpecForm* form = m_window->vmSpecForm();
    form->findChild<QComboBox*>(QStringLiteral("datacenter"))->setEditText(QStringLiteral("DC0"));
    form->findChild<QComboBox*>(QStringLiteral("compute"))->setEditText(QStringLiteral("DC0_C0"));
    form->findChild<QComboBox*>(QStringLiteral("datastore"))->setEditText(QStringLiteral("LocalDS_0"));
    form->findChild<QComboBox*>(QStringLiteral("network"))->setEditText(QStringLiteral("VM Network"));
    later(300, [this] {
        pressSubmit();
        later(1200, [this] {
            save(m_window, QStringLiteral("new-vm-queued.png"));
            m_window->adminModeAction()->setChecked(true);
            m_window->showView(MainWindow::View::Dashboard);
            later(600, [this] {
                save(m_window, QStringLiteral("breaker-open.png"));
                m_window->showView(MainWindow::View::Requests);
                RequestsPage* page = m_window->requestsPage();
                page->stateFilter()->setCurrentIndex(1); // active requests
                page->table()->selectRow(0);
                later(600, [this] {
                    save(m_window, QStringLiteral("requests-queued.png"));
                    finish(m_saved == 3 ? 0 : 1);
                });
            });
        });
    });
}

void ScreenshotSession::shootTemplates()
{
    // A clone of the simulator's first template with typed Linux settings and a static address.
    m_window->showView(MainWindow::View::NewVm);
    VmSpecForm* form = m_window->vmSpecForm();
    form->findChild<QRadioButton*>(QStringLiteral("sourceTemplate"))->click();
    form->findChild<QLineEdit*>(QStringLiteral("name"))->setText(QStringLiteral("web-01"));
    form->findChild<QPlainTextEdit*>(QStringLiteral("annotation"))
        ->setPlainText(QStringLiteral("Owner: web team · change CHG-4712"));
    auto* mode = form->findChild<QComboBox*>(QStringLiteral("customizationMode"));
    mode->setCurrentIndex(mode->findData(int(GuestCustomization::Mode::Linux)));
    form->findChild<QLineEdit*>(QStringLiteral("customizationHostName"))->setText(QStringLiteral("web-01"));
    form->findChild<QLineEdit*>(QStringLiteral("customizationDomain"))->setText(QStringLiteral("example.com"));
    form->findChild<QComboBox*>(QStringLiteral("customizationTimeZone"))->setEditText(QStringLiteral("Europe/Berlin"));
    form->findChild<QLineEdit*>(QStringLiteral("customizationDnsServers"))->setText(QStringLiteral("10.0.0.2"));
    auto* addresses = form->findChild<QWidget*>(QStringLiteral("guestAddresses"));
    addresses->findChild<QComboBox*>(QStringLiteral("addressMode"))->setCurrentIndex(1);
    addresses->findChild<QLineEdit*>(QStringLiteral("address"))->setText(QStringLiteral("10.0.0.11"));
    addresses->findChild<QLineEdit*>(QStringLiteral("gateway"))->setText(QStringLiteral("10.0.0.1"));
    later(600, [this, form] {
        save(m_window, QStringLiteral("new-vm-template.png"));
        // Five of them: the name a pattern, the preview with each VM's name and address.
        form->findChild<QSpinBox*>(QStringLiteral("count"))->setValue(5);
        form->findChild<QLineEdit*>(QStringLiteral("name"))->setText(QStringLiteral("web-{nn}"));
        form->findChild<QLineEdit*>(QStringLiteral("customizationHostName"))->setText(QStringLiteral("web-{nn}"));
        // Scrolled to once the preview has been laid out: it is hidden until the count goes above one.
        later(600, [this, form] {
            if (auto* scroll = form->findChild<QScrollArea*>())
                scroll->ensureWidgetVisible(form->findChild<QWidget*>(QStringLiteral("batchGroup")), 0, 0);
            later(300, [this] {
                save(m_window, QStringLiteral("new-vm-batch.png"));
                finish(m_saved == 2 ? 0 : 1);
            });
        });
    });
}

void ScreenshotSession::shootLifecycle()
{
    m_window->showView(MainWindow::View::Requests);
    RequestsPage* page = m_window->requestsPage();
    // The first provisioned request that is not an operation: the VM actions are enabled on it alone.
    // Looked for again after the power-off, whose own row is then on top.
    const auto selectProvisioned = [page] {
        QTableView* table = page->table();
        for (int row = 0; row < table->model()->rowCount(); ++row) {
            table->selectRow(row);
            if (page->decommissionAction()->isEnabled())
                return true;
        }
        std::fprintf(stderr, "dcm-screenshots: no provisioned request to act on among %d rows\n",
                     table->model()->rowCount());
        return false;
    };
    if (!selectProvisioned())
        return finish(1);
    // A power-off through the queue, so the table shows an operation beside the requests.
    page->powerOffAction()->trigger();
    later(2500, [this, page, selectProvisioned] {
        if (!selectProvisioned())
            return finish(1);
        const QString name = page->table()->currentIndex().siblingAtColumn(0).data().toString();
        page->decommissionAction()->trigger();
        later(600, [this, page, name] {
            DecommissionDialog* dialog = page->decommissionDialog();
            if (!dialog) {
                std::fprintf(stderr, "dcm-screenshots: Decommission opened no dialog\n");
                return finish(1);
            }
            // Half typed: the operator is typing the VM's name back, Decommission still disabled.
            if (auto* typed = dialog->findChild<QLineEdit*>())
                typed->setText(name.left(name.size() / 2));
            later(400, [this, dialog] {
                save(dialog, QStringLiteral("decommission-dialog.png"));
                save(m_window, QStringLiteral("requests-operations.png"));
                dialog->reject();
                finish(m_saved == 2 ? 0 : 1);
            });
        });
    });
}

void ScreenshotSession::save(QWidget* widget, const QString& name)
{
    const QString path = m_dir.filePath(name);
    if (widget->grab().save(path)) {
        ++m_saved;
        std::fprintf(stdout, "dcm-screenshots: saved %s\n", qPrintable(path));
        std::fflush(stdout);
    } else {
        std::fprintf(stderr, "dcm-screenshots: could not save %s\n", qPrintable(path));
    }
}

void ScreenshotSession::finish(int code)
{
    // Through the event loop: the window closes (and saves nothing: settings are temporary here).
    QMetaObject::invokeMethod(
        qApp, [code] { QCoreApplication::exit(code); }, Qt::QueuedConnection);
}

} // namespace dcm
