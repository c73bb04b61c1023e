#pragma once

#include "VcsimProcess.h"

#include "hypervisor/vsphere/VsphereHypervisor.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

#include <chrono>
#include <memory>
#include <optional>

// Runs port calls against a private simulator and waits for their results with QTRY (no sleeping).
// Also checks the port's delivery contract: `done` exactly once, never from inside the call.
class VcsimDriver
{
public:
    explicit VcsimDriver(VcsimProcess& sim, dcm::VsphereOptions options = {}, QString pin = {})
        : m_sim(sim), m_options(options), m_pin(pin.isEmpty() ? sim.thumbprint() : pin)
    {
        recreate();
    }

    // A fresh adapter (a console restarted): new network manager, new connections, no session.
    void recreate() { m_hv = std::make_unique<dcm::VsphereHypervisor>(m_options); }
    dcm::VsphereHypervisor& hv() { return *m_hv; }

    dcm::ConnectionSettings settings(std::chrono::milliseconds timeout = std::chrono::seconds(20)) const
    {
        dcm::ConnectionSettings s;
        s.server = m_sim.sdkUrl();
        s.user = m_sim.username();
        s.password = m_sim.password();
        s.thumbprint = m_pin;
        s.callTimeout = timeout;
        return s;
    }

    // Starts a call with `start(done)` and waits for its single, later delivery.
    template <class T, class Start> dcm::Result<T> run(Start start, int timeoutMs = 120000)
    {
        std::optional<dcm::Result<T>> result;
        int calls = 0;
        bool inside = true;
        bool reentrant = false;
        start([&](dcm::Result<T> r) {
            ++calls;
            reentrant = reentrant || inside;
            result.emplace(std::move(r));
        });
        inside = false;
        [&] { QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), timeoutMs); }();
        if (!result)
            return dcm::Error::make(dcm::ErrorKind::Internal, QStringLiteral("test-timeout"), {});
        if (reentrant || calls != 1)
            return dcm::Error::make(dcm::ErrorKind::Internal, QStringLiteral("bad-delivery"), {});
        return *result;
    }

    dcm::Result<dcm::AboutInfo> connect(const dcm::ConnectionSettings& s)
    {
        return run<dcm::AboutInfo>([&](auto done) { m_hv->connectTo(s, done); });
    }
    dcm::Result<dcm::AboutInfo> connect() { return connect(settings()); }
    dcm::Result<QDateTime> probe()
    {
        return run<QDateTime>([&](auto done) { m_hv->probe(done); });
    }
    dcm::Result<dcm::InventorySnapshot> inventory(dcm::InventoryKinds kinds = dcm::allInventoryKinds())
    {
        return run<dcm::InventorySnapshot>([&](auto done) { m_hv->inventory(kinds, done); });
    }
    dcm::Result<dcm::ProvisionOutcome> provision(const dcm::ProvisionOrder& order,
                                                 QList<dcm::ProvisionProgress>* progress = nullptr)
    {
        return run<dcm::ProvisionOutcome>([&](auto done) {
            m_hv->provision(
                order,
                [progress](const dcm::ProvisionProgress& p) {
                    if (progress)
                        progress->append(p);
                },
                done);
        });
    }
    dcm::Result<std::optional<dcm::VmRef>> find(const QUuid& requestId)
    {
        return run<std::optional<dcm::VmRef>>([&](auto done) { m_hv->findByRequestKey(requestId, done); });
    }

    dcm::Result<dcm::ProvisionOutcome> clone(const dcm::ProvisionOrder& order,
                                             QList<dcm::ProvisionProgress>* progress = nullptr)
    {
        return run<dcm::ProvisionOutcome>([&](auto done) {
            m_hv->clone(
                order,
                [progress](const dcm::ProvisionProgress& p) {
                    if (progress)
                        progress->append(p);
                },
                done);
        });
    }
    dcm::Result<void> customize(const QString& vmRef, const dcm::VmSpec& spec)
    {
        return run<void>([&](auto done) { m_hv->customize(vmRef, spec, done); });
    }
    dcm::Result<void> operate(const QString& vmRef, dcm::VmOperation operation)
    {
        return run<void>([&](auto done) { m_hv->operate(vmRef, operation, done); });
    }
    dcm::Result<std::optional<dcm::VmState>> readState(const QString& vmRef)
    {
        return run<std::optional<dcm::VmState>>([&](auto done) { m_hv->readState(vmRef, done); });
    }
    dcm::Result<std::optional<dcm::VmState>> readStateByKey(const QUuid& requestId)
    {
        return run<std::optional<dcm::VmState>>([&](auto done) { m_hv->readStateByKey(requestId, done); });
    }

    // The simulator's own view of one VM (GET /vms), by name; empty if absent.
    QList<QJsonObject> simVms(const QString& name) const
    {
        QList<QJsonObject> out;
        for (const QJsonValue& v : m_sim.vms()) {
            if (v.toObject().value(QStringLiteral("name")).toString() == name)
                out.append(v.toObject());
        }
        return out;
    }

    // The simulator's VMs that carry a request key (extraConfig dcm.requestId).
    QList<QJsonObject> simVmsWithKey(const QUuid& requestId) const
    {
        QList<QJsonObject> out;
        const QString key = requestId.toString(QUuid::WithoutBraces);
        for (const QJsonValue& v : m_sim.vms()) {
            const QJsonObject extra = v.toObject().value(QStringLiteral("extraConfig")).toObject();
            if (extra.value(QStringLiteral("dcm.requestId")).toString() == key)
                out.append(v.toObject());
        }
        return out;
    }

private:
    VcsimProcess& m_sim;
    dcm::VsphereOptions m_options;
    QString m_pin;
    std::unique_ptr<dcm::VsphereHypervisor> m_hv;
};

inline QString errorText(const dcm::Error& e)
{
    return QStringLiteral("%1 %2: %3").arg(dcm::toString(e.kind), e.code, e.message);
}

template <class T> QString errorText(const dcm::Result<T>& r)
{
    return r.ok() ? QString() : errorText(r.error());
}
