#pragma once

// Sample requests for the store tests (the contract suite and each adapter's own tests): a fixed
// start time, a spec with every field set (non-ASCII, quotes and a newline included), requests that
// went through a given path of states, and small readers of results.

#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QTest>
#include <QUuid>

#include "domain/BreakerSnapshot.h"
#include "domain/ProvisioningRequest.h"

// A Result that must be ok; on failure the error's code and message are printed.
#define VERIFY_OK(result)                                                                                              \
    do {                                                                                                               \
        const auto& r_ = (result);                                                                                     \
        QVERIFY2(r_.ok(), r_.ok() ? "" : qPrintable(r_.error().code + QStringLiteral(": ") + r_.error().message));     \
    } while (false)

// A Result that must be a Storage error with this code.
#define VERIFY_ERROR(result, expectedCode)                                                                             \
    do {                                                                                                               \
        const auto& r_ = (result);                                                                                     \
        QVERIFY2(!r_.ok(), "expected the error " expectedCode);                                                        \
        QCOMPARE(r_.error().code, QStringLiteral(expectedCode));                                                       \
        QCOMPARE(toString(r_.error().kind), toString(dcm::ErrorKind::Storage));                                        \
    } while (false)

namespace storetest {

inline QDateTime t0()
{
    return QDateTime(QDate(2026, 1, 1), QTime(8, 0), Qt::UTC);
}

inline dcm::VmSpec sampleSpec(const QString& name)
{
    dcm::VmSpec spec;
    spec.name = name;
    spec.cpus = 4;
    spec.coresPerSocket = 2;
    spec.memoryMiB = 8192;
    spec.disks = {dcm::DiskSpec{40960, true}, dcm::DiskSpec{102400, false}};
    spec.nics = {dcm::NicSpec{QStringLiteral("VM Network")}};
    spec.datastore = QStringLiteral("datastore1");
    spec.folder = QStringLiteral("/DC0/vm/web");
    spec.datacenter = QStringLiteral("DC0");
    spec.cluster = QStringLiteral("DC0_C0");
    spec.host = QStringLiteral("DC0_C0_H1");
    spec.guestId = QStringLiteral("ubuntu64Guest");
    spec.annotation = QStringLiteral("ticket 42\nsecond line, \"quoted\", ünïcødé");
    spec.powerOn = true;
    return spec;
}

// A clone with every clone field set: template, disk format, two NICs, typed Linux customization.
inline dcm::VmSpec sampleCloneSpec(const QString& name)
{
    dcm::VmSpec spec = sampleSpec(name);
    spec.templateName = QStringLiteral("/DC0/vm/templates/ubuntu-22.04");
    spec.cloneDiskFormat = QStringLiteral("thin");
    spec.cpus = 0; // as the template
    spec.nics = {dcm::NicSpec{QStringLiteral("VM Network")},
                 dcm::NicSpec{QStringLiteral("DC0_DVPG0"), dcm::NicSpec::e1000e}};
    spec.customization.mode = dcm::GuestCustomization::Mode::Linux;
    spec.customization.hostName = QStringLiteral("web-01");
    spec.customization.domain = QStringLiteral("example.com");
    spec.customization.timeZone = QStringLiteral("Europe/Berlin");
    spec.customization.nics = {dcm::NicAddress{false, QStringLiteral("10.0.0.11"), 24, QStringLiteral("10.0.0.1")},
                               dcm::NicAddress{}};
    spec.customization.dnsServers = {QStringLiteral("10.0.0.53"), QStringLiteral("10.0.1.53")};
    spec.customization.dnsSuffixes = {QStringLiteral("example.com")};
    return spec;
}

// A request created at `createdAt` that went through `path` (one second per step).
inline dcm::ProvisioningRequest makeRequest(const QString& name, const QDateTime& createdAt,
                                            const QList<dcm::RequestState>& path = {})
{
    dcm::ProvisioningRequest request(QUuid::createUuid(), sampleSpec(name), createdAt);
    QDateTime at = createdAt;
    for (dcm::RequestState to : path) {
        at = at.addSecs(1);
        if (auto moved = request.transitionTo(to, QStringLiteral("test step"), at); !moved) {
            qFatal("makeRequest: %s", qPrintable(moved.error().message));
        }
    }
    return request;
}

// A request that went through every state a successful but bumpy provisioning visits, with causes.
inline dcm::ProvisioningRequest eventfulRequest()
{
    using namespace dcm;
    ProvisioningRequest request(QUuid::createUuid(), sampleSpec(QStringLiteral("web-01")), t0());
    Error refused =
        Error::make(ErrorKind::Transient, QStringLiteral("connection-refused"), QStringLiteral("Connection refused"));
    refused.details.insert(QStringLiteral("host"), QStringLiteral("vc1.example.org"));
    const Error timeout = Error::make(ErrorKind::OutcomeUnknown, QStringLiteral("timeout"),
                                      QStringLiteral("no reply within 60 s"), QStringLiteral("SystemError"));
    const QDateTime t = t0();
    bool ok = request.transitionTo(RequestState::Provisioning, QStringLiteral("breaker closed"), t.addMSecs(10)).ok();
    ok = ok &&
         request.transitionTo(RequestState::QueuedForProvisioning, QStringLiteral("transient"), t.addMSecs(20), refused)
             .ok();
    request.setNextAttemptAt(t.addSecs(30));
    ok = ok && request.transitionTo(RequestState::Provisioning, QStringLiteral("due"), t.addSecs(31)).ok();
    ok = ok &&
         request.transitionTo(RequestState::Reconciling, QStringLiteral("lost reply"), t.addSecs(91), timeout).ok();
    ok = ok &&
         request.transitionTo(RequestState::Provisioned, QStringLiteral("adopted"), t.addSecs(92).addMSecs(7)).ok();
    if (!ok) {
        qFatal("eventfulRequest: a transition was refused");
    }
    request.setTaskRef(QStringLiteral("task-42"));
    request.setVmRef(QStringLiteral("vm-1001"));
    request.setInstanceUuid(request.id().toString(QUuid::WithoutBraces));
    request.setBatchId(QUuid(QStringLiteral("{1b4e28ba-2fa1-11d2-883f-0016d3cca427}")));
    request.setGuestHostName(QStringLiteral("web-01.example.com"));
    request.setIpAddress(QStringLiteral("10.0.0.11"));
    request.setProvisionStep(dcm::ProvisionStep::PoweredOn);
    return request;
}

// A QUEUED request, due at `due` (none: due at once).
inline dcm::ProvisioningRequest queuedRequest(const QString& name, const QDateTime& createdAt, const QDateTime& due)
{
    dcm::ProvisioningRequest request = makeRequest(name, createdAt, {dcm::RequestState::QueuedForProvisioning});
    request.setNextAttemptAt(due);
    return request;
}

// A breaker snapshot with every field set.
inline dcm::BreakerSnapshot sampleSnapshot(dcm::BreakerState state, int failures)
{
    using namespace std::chrono_literals;
    dcm::BreakerSnapshot s;
    s.state = state;
    s.consecutiveFailures = failures;
    s.failureThreshold = 5;
    s.openedAt = t0().addSecs(100);
    s.nextProbeAt = t0().addSecs(130);
    s.stateSince = t0().addSecs(100);
    s.timeInState = 1234ms;
    s.lastReason = QStringLiteral("5 consecutive failures; last: connection refused");
    dcm::Error error = dcm::Error::make(dcm::ErrorKind::Transient, QStringLiteral("connection-refused"),
                                        QStringLiteral("Connection refused"));
    error.details.insert(QStringLiteral("host"), QStringLiteral("vc1"));
    s.lastError = error;
    s.lastSuccessAt = t0().addSecs(50);
    s.succeeded = 10;
    s.failed = 5;
    s.ignored = 2;
    s.rejected = 7;
    s.latencySamples = 10;
    s.latencyP50 = 1500us;
    s.latencyP90 = 4000us;
    s.latencyP99 = 9000us;
    return s;
}

inline QStringList ids(const QList<dcm::ProvisioningRequest>& requests)
{
    QStringList result;
    for (const auto& request : requests) {
        result.append(request.id().toString(QUuid::WithoutBraces));
    }
    return result;
}

inline QByteArray sha256(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}

inline QString jsonText(const dcm::ProvisioningRequest& request)
{
    return QString::fromUtf8(QJsonDocument(request.toJson()).toJson(QJsonDocument::Indented));
}

inline QStringList names(const QList<dcm::ProvisioningRequest>& requests)
{
    QStringList result;
    for (const auto& request : requests) {
        result.append(request.spec().name);
    }
    return result;
}

} // namespace storetest
