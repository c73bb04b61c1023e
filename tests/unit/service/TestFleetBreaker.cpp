// Several services in front of one hypervisor, sharing the fleet's breaker (FleetBreakerPort, here
// the in-memory FakeFleetBreaker with the PostgreSQL adapter's rules): the fleet opens together, one
// scout per cooldown for all, every member resumes when it succeeds, and an administrator's hold,
// release and pause reach every member. Manual clock, fake hypervisors, the test ticks.
#include "DomainQCompare.h"
#include "FakeFleetBreaker.h"
#include "FakeHypervisor.h"
#include "FakeHypervisorOwner.h"
#include "FakeRequestStore.h"
#include "FakeRequestStoreOwner.h"
#include "ManualClock.h"

#include "app/service/ProvisioningService.h"

#include <QSignalSpy>
#include <QTest>

using namespace dcm;
using namespace std::chrono_literals;

namespace {

VmSpec validSpec(const QString& name)
{
    VmSpec s;
    s.name = name;
    s.cpus = 2;
    s.coresPerSocket = 1;
    s.memoryMiB = 2048;
    s.disks = {DiskSpec{10240, true}};
    s.nics = {NicSpec{QStringLiteral("VM Network")}};
    s.datastore = QStringLiteral("ds1");
    s.datacenter = QStringLiteral("DC0");
    s.cluster = QStringLiteral("C0");
    s.guestId = QStringLiteral("otherLinux64Guest");
    return s;
}

struct Member
{
    std::shared_ptr<FakeHypervisor> hv;
    std::shared_ptr<FakeRequestStore> store;
    std::unique_ptr<ProvisioningService> service;

    RequestState stateOf(const QUuid& id) const
    {
        auto r = store->get(id);
        return r.ok() && r.value() ? r.value()->state() : RequestState::Submitted;
    }
};

} // namespace

class TestFleetBreaker final : public QObject
{
    Q_OBJECT

private:
    ManualClock m_clock;
    std::shared_ptr<FakeFleet> m_fleet;
    std::vector<Member> m_members;

    Member& member(int i) { return m_members[std::size_t(i)]; }

    void makeFleet(int size)
    {
        m_fleet = std::make_shared<FakeFleet>(m_clock);
        for (int i = 0; i < size; ++i) {
            Member m;
            m.hv = std::make_shared<FakeHypervisor>();
            m.store = std::make_shared<FakeRequestStore>();
            ServiceConfig config;
            config.tickInterval = 0ms;
            config.owner = QStringLiteral("drainer-%1").arg(i);
            m.service = std::make_unique<ProvisioningService>(
                [hv = m.hv]() mutable { return std::unique_ptr<HypervisorPort>(new FakeHypervisorOwner(hv)); },
                [store = m.store]() mutable -> Result<std::unique_ptr<RequestStorePort>> {
                    return std::unique_ptr<RequestStorePort>(new FakeRequestStoreOwner(store));
                },
                m_clock, config);
            m.service->setFleetBreakerFactory(
                [fleet = m_fleet, owner = config.owner]() -> Result<std::unique_ptr<FleetBreakerPort>> {
                    return std::unique_ptr<FleetBreakerPort>(new FakeFleetBreaker(fleet, owner));
                });
            m.service->initialize();
            QVERIFY(m.service->isInitialized());
            ConnectionSettings s;
            s.server = QUrl(QStringLiteral("https://vc.test/sdk"));
            s.user = QStringLiteral("operator");
            s.password = QStringLiteral("secret");
            m.service->connectTo(s);
            QTRY_COMPARE(m.service->connectionStatus().state, ConnectionStatus::State::Connected);
            m_members.push_back(std::move(m));
        }
    }

    void tickAll()
    {
        for (Member& m : m_members)
            m.service->tick();
    }

    int probesAtTheHypervisor() const
    {
        int probes = 0;
        for (const Member& m : m_members)
            probes += m.hv->calls(FakeHypervisor::Method::Probe) + m.hv->calls(FakeHypervisor::Method::Connect);
        return probes;
    }

    // vCenter goes down; member 0 meets it first and counts its threshold of failures.
    void tripMemberZero()
    {
        for (Member& m : m_members)
            m.hv->setUnreachable(true);
        for (int i = 0; i < 5; ++i) {
            const SubmitAnswer a = member(0).service->submit(validSpec(QStringLiteral("trip-%1").arg(i)));
            QTRY_COMPARE(member(0).stateOf(a.id), RequestState::QueuedForProvisioning);
        }
        QCOMPARE(member(0).service->breakerSnapshot().state, BreakerState::Open);
    }

private Q_SLOTS:
    void cleanup()
    {
        m_members.clear();
        m_fleet.reset();
    }

    // Pins: when one member's breaker opens on its own failures the fleet opens, and every other
    // member's breaker opens at its next tick without sending anything to the hypervisor.
    void whenOneMemberOpensTheWholeFleetOpens()
    {
        makeFleet(3);
        const int connectCalls = member(1).hv->totalCalls() + member(2).hv->totalCalls();
        tripMemberZero();
        QCOMPARE(m_fleet->state.state, BreakerState::Open);
        QCOMPARE(m_fleet->state.changedBy, QStringLiteral("drainer-0"));
        QCOMPARE(member(1).service->breakerSnapshot().state, BreakerState::Closed); // not yet looked
        tickAll();
        QCOMPARE(member(1).service->breakerSnapshot().state, BreakerState::Open);
        QCOMPARE(member(2).service->breakerSnapshot().state, BreakerState::Open);
        QVERIFY(member(1).service->breakerSnapshot().lastReason.contains(QStringLiteral("drainer-0")));
        QCOMPARE(member(1).hv->totalCalls() + member(2).hv->totalCalls(), connectCalls);
    }

    // Pins: over ten cooldowns with vCenter down, the fleet sends at most one scout per cooldown in
    // all (not one per member); when the scout succeeds every member closes and drains.
    void oneScoutPerCooldownForTheWholeFleetThenEveryoneResumes()
    {
        makeFleet(4);
        tripMemberZero();
        tickAll();
        const int before = probesAtTheHypervisor();
        for (int cooldown = 0; cooldown < 10; ++cooldown) {
            m_clock.advance(10s);
            tickAll();
            m_clock.advance(10s);
            tickAll();
            m_clock.advance(11s);
            tickAll();
            QTRY_VERIFY(std::all_of(m_members.begin(), m_members.end(), [](const Member& m) {
                return m.service->breakerSnapshot().state == BreakerState::Open;
            }));
        }
        const int scouts = probesAtTheHypervisor() - before;
        QVERIFY2(scouts >= 5 && scouts <= 10, qPrintable(QStringLiteral("%1 scouts").arg(scouts)));
        QCOMPARE(m_fleet->leasesGranted, scouts);

        // vCenter is back: the next lease holder's scout closes the fleet; the others follow.
        for (Member& m : m_members)
            m.hv->setUnreachable(false);
        const QUuid waiting = member(3).service->submit(validSpec(QStringLiteral("waits"))).id;
        QCOMPARE(member(3).stateOf(waiting), RequestState::QueuedForProvisioning);
        m_clock.advance(31s);
        tickAll();
        QTRY_COMPARE(m_fleet->state.state, BreakerState::Closed);
        tickAll();
        for (Member& m : m_members)
            QCOMPARE(m.service->breakerSnapshot().state, BreakerState::Closed);
        QTRY_COMPARE_WITH_TIMEOUT((member(3).service->tick(), member(3).stateOf(waiting)), RequestState::Provisioned,
                                  10000);
    }

    // Pins: a scout handed back because another member holds the lease does not reopen a fleet that
    // closed meanwhile; the member follows the closed fleet instead.
    void aMemberThatLosesTheLeaseToASuccessfulScoutFollowsTheClosedFleet()
    {
        makeFleet(2);
        tripMemberZero();
        tickAll();
        for (Member& m : m_members)
            m.hv->setUnreachable(false);
        m_clock.advance(31s);
        member(0).service->tick();
        QTRY_COMPARE(m_fleet->state.state, BreakerState::Closed);
        // Member 1 has not looked yet; its own scout is due: the lease is refused (fleet not OPEN).
        member(1).service->tick();
        QTRY_COMPARE(member(1).service->breakerSnapshot().state, BreakerState::Closed);
        QCOMPARE(m_fleet->state.state, BreakerState::Closed);
        QCOMPARE(m_fleet->leasesGranted, 1);
    }

    // Pins: hold, release and pause by an administrator on one member reach the fleet (with who and
    // why) and every member at its next tick.
    void holdReleaseAndPauseActOnTheFleet()
    {
        makeFleet(2);
        member(0).service->forceBreakerOpen(QStringLiteral("vCenter upgrade"));
        QCOMPARE(m_fleet->state.state, BreakerState::ForcedOpen);
        QVERIFY(m_fleet->state.reason.contains(QStringLiteral("vCenter upgrade")));
        QVERIFY(!m_fleet->state.changedBy.isEmpty());
        member(1).service->tick();
        QCOMPARE(member(1).service->breakerSnapshot().state, BreakerState::ForcedOpen);

        member(0).service->resetBreaker(QStringLiteral("upgrade done"));
        QCOMPARE(m_fleet->state.state, BreakerState::Closed);
        member(1).service->tick();
        QCOMPARE(member(1).service->breakerSnapshot().state, BreakerState::Closed);

        QSignalSpy paused(member(1).service.get(), &ProvisioningService::queuePausedChanged);
        member(0).service->setQueuePaused(true, QStringLiteral("change freeze"));
        QVERIFY(m_fleet->state.paused);
        QCOMPARE(m_fleet->state.pausedReason, QStringLiteral("change freeze"));
        member(1).service->tick();
        QVERIFY(member(1).service->isQueuePaused());
        QCOMPARE(paused.count(), 1);
    }

    // Pins: a member that cannot reach the team database sends no scout (it cannot take the lease).
    void noScoutWithoutTheLease()
    {
        makeFleet(1);
        tripMemberZero();
        const int before = probesAtTheHypervisor();
        m_fleet->refuseAll = true;
        m_clock.advance(31s);
        member(0).service->tick();
        QCOMPARE(probesAtTheHypervisor(), before);
        QTRY_COMPARE(member(0).service->breakerSnapshot().state, BreakerState::Open);
    }
};

QTEST_GUILESS_MAIN(TestFleetBreaker)
#include "TestFleetBreaker.moc"
