#pragma once

// The real ProvisioningService on the test thread, with a scriptable hypervisor, an in-memory store and
// a manual clock, for driving the real widgets. The widgets still reach the service only through queued
// invocations (ServiceClient), so every answer arrives later through the event loop, as in production.
// (TestConsoleOnServiceThread runs the service on its own thread through ServiceHost, as dcm-console does.)
#include "FakeHypervisor.h"
#include "FakeHypervisorOwner.h"
#include "FakeRequestStore.h"
#include "FakeRequestStoreOwner.h"
#include "ManualClock.h"

#include "app/service/ProvisioningService.h"
#include "ui/ServiceClient.h"

#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include "DomainQCompare.h"

#include <memory>

namespace QTest {
inline bool qCompare(dcm::ConnectionStatus::State t1, dcm::ConnectionStatus::State t2, const char* actual,
                     const char* expected, const char* file, int line)
{
    return qCompare(int(t1), int(t2), actual, expected, file, line);
}
inline bool qCompare(dcm::SubmitAnswer::Outcome t1, dcm::SubmitAnswer::Outcome t2, const char* actual,
                     const char* expected, const char* file, int line)
{
    return qCompare(int(t1), int(t2), actual, expected, file, line);
}
} // namespace QTest

class GuiHarness
{
public:
    explicit GuiHarness(dcm::ServiceConfig config = {})
    {
        config.tickInterval = std::chrono::milliseconds(0); // the test ticks, after moving the clock
        config.owner = QStringLiteral("gui-test");
        auto hv = hypervisor;
        auto st = store;
        service = std::make_unique<dcm::ProvisioningService>(
            [hv] { return std::unique_ptr<dcm::HypervisorPort>(std::make_unique<FakeHypervisorOwner>(hv)); },
            [st]() -> dcm::Result<std::unique_ptr<dcm::RequestStorePort>> {
                return std::unique_ptr<dcm::RequestStorePort>(std::make_unique<FakeRequestStoreOwner>(st));
            },
            clock, config);
        service->initialize();
    }

    static dcm::ConnectionSettings settings()
    {
        dcm::ConnectionSettings s;
        s.server = QUrl(QStringLiteral("https://vc.test/sdk"));
        s.user = QStringLiteral("operator");
        s.password = QStringLiteral("secret");
        return s;
    }

    // Connects the service directly (as a started console would be) and waits until it is connected.
    bool connect()
    {
        service->connectTo(settings());
        return QTest::qWaitFor(
            [this] { return service->connectionStatus().state == dcm::ConnectionStatus::State::Connected; });
    }

    // The widgets' handle on this service (a MainWindow takes it over).
    std::unique_ptr<dcm::ServiceClient> client() { return std::make_unique<dcm::ServiceClient>(*service); }

    ManualClock clock;
    std::shared_ptr<FakeHypervisor> hypervisor = std::make_shared<FakeHypervisor>();
    std::shared_ptr<FakeRequestStore> store = std::make_shared<FakeRequestStore>();
    std::unique_ptr<dcm::ProvisioningService> service;
};

// Settings of every GUI test go to a private folder: nothing of the developer's is read or written.
class IsolatedSettings
{
public:
    IsolatedSettings()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.path());
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.path());
    }
    QString path() const { return m_dir.path(); }

private:
    QTemporaryDir m_dir;
};

inline dcm::VmSpec validSpec(const QString& name = QStringLiteral("web-01"))
{
    dcm::VmSpec s;
    s.name = name;
    s.cpus = 1;
    s.coresPerSocket = 1;
    s.memoryMiB = 1024;
    s.disks = {dcm::DiskSpec{10240, true}};
    s.nics = {dcm::NicSpec{QStringLiteral("/DC0/network/VM Network")}};
    s.datastore = QStringLiteral("/DC0/datastore/ds1");
    s.datacenter = QStringLiteral("DC0");
    s.cluster = QStringLiteral("/DC0/host/C0");
    s.guestId = QStringLiteral("otherLinux64Guest");
    return s;
}
