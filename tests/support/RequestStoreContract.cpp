#include "RequestStoreContract.h"

#include "DomainQCompare.h"
#include "StoreSamples.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace dcm;
using namespace storetest;

namespace {

// What damage on disk or a bad hand edit leaves: not JSON at all.
const QByteArray s_brokenSpec = QByteArrayLiteral("{\"name\": \"broken\", \"cpus\": 4, \"disks\": [");

// The quarantined view's last error.
bool isSpecUnreadable(const std::optional<Error>& error)
{
    return error && error->code == QLatin1String("stored-spec-unreadable") &&
           error->message.startsWith(QLatin1String("stored spec unreadable: "));
}

} // namespace

RequestStoreContract::RequestStoreContract(BackendFactory makeBackend, QObject* parent)
    : QObject(parent), m_makeBackend(std::move(makeBackend))
{}

RequestStoreContract::~RequestStoreContract() = default;

QString RequestStoreContract::leaseOwner(const QUuid& id)
{
    const auto lease = m_backend->lease(id);
    return lease ? lease->owner : QString();
}

QDateTime RequestStoreContract::leaseUntil(const QUuid& id)
{
    const auto lease = m_backend->lease(id);
    return lease ? lease->until : QDateTime();
}

void RequestStoreContract::init()
{
    m_backend = m_makeBackend();
    QVERIFY(m_backend);
    auto opened = m_backend->open();
    VERIFY_OK(opened);
    m_store = std::move(opened).value();
}

void RequestStoreContract::cleanup()
{
    m_store.reset();
    m_backend.reset();
}

// Pins: every field and every history event (with causes) survives insert -> get/list, and a fresh
// connection reads the same request back.
void RequestStoreContract::roundTripKeepsEveryFieldAndTheHistory()
{
    const ProvisioningRequest done = eventfulRequest();
    ProvisioningRequest queued = makeRequest(QStringLiteral("db-01"), t0().addSecs(1), {RequestState::Provisioning});
    QVERIFY(queued
                .transitionTo(RequestState::QueuedForProvisioning, QStringLiteral("breaker open"), t0().addSecs(5),
                              Error::make(ErrorKind::Transient, QStringLiteral("http-503"),
                                          QStringLiteral("Service Unavailable")))
                .ok());
    queued.setNextAttemptAt(t0().addSecs(65).addMSecs(250));

    VERIFY_OK(m_store->insert(done, QStringLiteral("svc-a"), t0().addSecs(10)));
    VERIFY_OK(m_store->insert(queued, {}, {}));

    auto got = m_store->get(done.id());
    VERIFY_OK(got);
    QVERIFY(got.value().has_value());
    QCOMPARE(jsonText(*got.value()), jsonText(done));
    QVERIFY(*got.value() == done);
    QCOMPARE(got.value()->history().size(), 5);

    auto listed = m_store->list({});
    VERIFY_OK(listed);
    QCOMPARE(listed.value().size(), 2);
    QCOMPARE(jsonText(listed.value().at(0)), jsonText(queued)); // newest first
    QVERIFY(listed.value().at(0) == queued);
    QVERIFY(listed.value().at(1) == done);

    m_store.reset();
    auto reopened = m_backend->open();
    VERIFY_OK(reopened);
    auto again = reopened.value()->get(queued.id());
    VERIFY_OK(again);
    QVERIFY(again.value().has_value());
    QVERIFY(*again.value() == queued);
}

// Pins: every field of a request survives insert -> get, list, claim and update -> get on this adapter,
// with nothing in the sample left at a default (see storetest::fullRequest): a column one adapter
// forgets fails here.
void RequestStoreContract::roundTripKeepsEveryFieldOfAFullRequest()
{
    const ProvisioningRequest full = fullRequest();
    const QJsonObject json = full.toJson();
    for (auto it = json.begin(); it != json.end(); ++it) {
        const QJsonValue v = it.value();
        const bool empty = v.isNull() || v.isUndefined() || (v.isString() && v.toString().isEmpty()) ||
                           (v.isDouble() && v.toDouble() == 0) || (v.isArray() && v.toArray().isEmpty()) ||
                           (v.isObject() && v.toObject().isEmpty());
        QVERIFY2(!empty, qPrintable(QStringLiteral("storetest::fullRequest() leaves \"%1\" empty").arg(it.key())));
    }
    const QJsonObject lastError = json.value(QStringLiteral("lastError")).toObject();
    for (const QString& key : {QStringLiteral("code"), QStringLiteral("message"), QStringLiteral("vimFault")})
        QVERIFY2(!lastError.value(key).toString().isEmpty(), qPrintable(key));
    QVERIFY(full.lastError() && !full.lastError()->details.isEmpty());
    QVERIFY(full.history().last().cause && !full.history().last().args.isEmpty());

    VERIFY_OK(m_store->insert(full, {}, {}));
    auto got = m_store->get(full.id());
    VERIFY_OK(got);
    QVERIFY(got.value().has_value());
    QCOMPARE(jsonText(*got.value()), jsonText(full));
    QVERIFY(*got.value() == full);

    auto listed = m_store->list({});
    VERIFY_OK(listed);
    QCOMPARE(listed.value().size(), 1);
    QVERIFY(listed.value().first() == full);

    auto claimed = m_store->claimNext(QStringLiteral("svc-a"), t0().addSecs(100), t0().addSecs(60), 1);
    VERIFY_OK(claimed);
    QCOMPARE(claimed.value().size(), 1);
    QCOMPARE(jsonText(claimed.value().first()), jsonText(full));

    ProvisioningRequest moved = full;
    QVERIFY(moved
                .transitionTo(RequestState::Provisioning, EventReason{QStringLiteral("due"), {QStringLiteral("x")}},
                              t0().addSecs(61))
                .ok());
    moved.setTaskRef(QStringLiteral("task-78"));
    moved.setRequestedBy(QStringLiteral("someone-else@ws-02"));
    moved.setLastError(full.lastError());
    VERIFY_OK(m_store->update(moved, RequestState::QueuedForProvisioning));
    m_store.reset();
    auto reopened = m_backend->open();
    VERIFY_OK(reopened);
    auto again = reopened.value()->get(full.id());
    VERIFY_OK(again);
    QCOMPARE(jsonText(*again.value()), jsonText(moved));
    QVERIFY(*again.value() == moved);
}

// Pins: an operation keeps its kind, its target (the provisioning request whose VM it acts on, or in admin
// mode a moref with the reason), its guest timeout and the call it last sent; a provisioning request keeps
// when and by whom its VM was decommissioned. Read back equal through a new connection too.
void RequestStoreContract::operationsRoundTripTheirKindTargetAndSentCall()
{
    ProvisioningRequest provisioned = eventfulRequest();
    OperationTarget ours;
    ours.requestId = provisioned.id();
    ours.vmRef = QStringLiteral("vm-42");
    ours.vmName = provisioned.spec().name;
    ours.guestTimeoutSeconds = 45;
    ProvisioningRequest decommission =
        ProvisioningRequest::operation(QUuid::createUuid(), RequestKind::Decommission, ours, t0().addSecs(20));
    decommission.setRequestedBy(QStringLiteral("ops@console-1"));
    QVERIFY(decommission.transitionTo(RequestState::Provisioning, QStringLiteral("started"), t0().addSecs(21)).ok());
    decommission.setOperationSent(QStringLiteral("shutdown-guest"), t0().addSecs(22).addMSecs(125));
    OperationTarget admin;
    admin.vmRef = QStringLiteral("vm-7");
    admin.vmName = QStringLiteral("legacy-db");
    admin.adminReason = QStringLiteral("left over from the 2019 migration");
    const ProvisioningRequest powerOn =
        ProvisioningRequest::operation(QUuid::createUuid(), RequestKind::PowerOn, admin, t0().addSecs(30));
    provisioned.setDecommissioned(t0().addSecs(40), QStringLiteral("ops@console-1"));

    VERIFY_OK(m_store->insert(provisioned, {}, {}));
    VERIFY_OK(m_store->insert(decommission, {}, {}));
    VERIFY_OK(m_store->insert(powerOn, {}, {}));
    for (const ProvisioningRequest& written : {provisioned, decommission, powerOn}) {
        auto got = m_store->get(written.id());
        VERIFY_OK(got);
        QVERIFY(got.value().has_value());
        QCOMPARE(jsonText(*got.value()), jsonText(written));
        QVERIFY(*got.value() == written);
    }
    QVERIFY(decommission.kind() == RequestKind::Decommission); // not the default the store could fall back to

    m_store.reset();
    auto reopened = m_backend->open();
    VERIFY_OK(reopened);
    auto again = reopened.value()->get(powerOn.id());
    VERIFY_OK(again);
    QVERIFY(again.value().has_value());
    QVERIFY(again.value()->kind() == RequestKind::PowerOn);
    QCOMPARE(again.value()->target().adminReason, admin.adminReason);
    QVERIFY(again.value()->target().requestId.isNull());
    m_store = std::move(reopened).value();
}

// Pins: a clone's fields (template, NICs, customization in the spec; batch, step reached, guest
// identity on the request) and its step notes (history events inside one state) survive insert, the
// updates the drain makes within PROVISIONING and after PROVISIONED, and a fresh connection.
void RequestStoreContract::aCloneKeepsItsStepBatchAndGuestThroughUpdates()
{
    ProvisioningRequest clone(QUuid::createUuid(), sampleCloneSpec(QStringLiteral("web-01")), t0());
    const QUuid batch = QUuid::createUuid();
    clone.setBatchId(batch);
    VERIFY_OK(m_store->insert(clone, QStringLiteral("svc-a"), t0().addSecs(10)));

    QVERIFY(
        clone.transitionTo(RequestState::Provisioning, EventReason{QStringLiteral("sent"), {}}, t0().addSecs(1)).ok());
    VERIFY_OK(m_store->update(clone, RequestState::Submitted));
    clone.setVmRef(QStringLiteral("vm-77"));
    clone.setProvisionStep(ProvisionStep::Cloned);
    QVERIFY(clone
                .note(EventReason{QStringLiteral("cloned"), {QStringLiteral("vm-77"), QStringLiteral("t")}},
                      t0().addSecs(2))
                .ok());
    VERIFY_OK(m_store->update(clone, RequestState::Provisioning));
    clone.setProvisionStep(ProvisionStep::Customized);
    QVERIFY(
        clone.note(EventReason{QStringLiteral("customization-sent"), {QStringLiteral("vm-77")}}, t0().addSecs(3)).ok());
    VERIFY_OK(m_store->update(clone, RequestState::Provisioning));
    auto midway = m_store->get(clone.id());
    VERIFY_OK(midway);
    QVERIFY(*midway.value() == clone);
    QCOMPARE(int(midway.value()->provisionStep()), int(ProvisionStep::Customized));

    clone.setProvisionStep(ProvisionStep::PoweredOn);
    QVERIFY(
        clone.transitionTo(RequestState::Provisioned, EventReason{QStringLiteral("powered-on"), {}}, t0().addSecs(4))
            .ok());
    VERIFY_OK(m_store->update(clone, RequestState::Provisioning));
    clone.setGuestHostName(QStringLiteral("web-01.example.com"));
    clone.setIpAddress(QStringLiteral("10.0.0.11"));
    QVERIFY(clone.note(EventReason{QStringLiteral("guest-reported"), {}}, t0().addSecs(20)).ok());
    VERIFY_OK(m_store->update(clone, RequestState::Provisioned));

    m_store.reset();
    auto reopened = m_backend->open();
    VERIFY_OK(reopened);
    auto got = reopened.value()->get(clone.id());
    VERIFY_OK(got);
    QVERIFY(got.value().has_value());
    QCOMPARE(jsonText(*got.value()), jsonText(clone));
    QVERIFY(*got.value() == clone);
    QCOMPARE(got.value()->batchId(), batch);
    QCOMPARE(got.value()->history().size(), 5);
    m_store = std::move(reopened).value();
}

// Pins: an unknown id is an empty answer, not an error.
void RequestStoreContract::getUnknownIdIsEmpty()
{
    auto got = m_store->get(QUuid::createUuid());
    VERIFY_OK(got);
    QVERIFY(!got.value().has_value());
}

// Pins: insert is committed when it returns (another connection sees it at once) and the request is
// born leased to its submitter, or unleased when no owner is given.
void RequestStoreContract::insertIsCommittedAndLeasedToItsSubmitter()
{
    const ProvisioningRequest mine = makeRequest(QStringLiteral("mine"), t0());
    const ProvisioningRequest anyones = makeRequest(QStringLiteral("anyones"), t0());
    VERIFY_OK(m_store->insert(mine, QStringLiteral("console-1"), t0().addSecs(30)));
    VERIFY_OK(m_store->insert(anyones, {}, {}));

    auto observer = m_backend->open();
    VERIFY_OK(observer);
    auto seen = observer.value()->list({});
    VERIFY_OK(seen);
    QCOMPARE(seen.value().size(), 2);
    QCOMPARE(leaseOwner(mine.id()), QStringLiteral("console-1"));
    QCOMPARE(leaseUntil(mine.id()), t0().addSecs(30));
    QVERIFY(leaseOwner(anyones.id()).isEmpty());
    QVERIFY(!leaseUntil(anyones.id()).isValid());
}

// Pins: a second insert with the same id is "duplicate-id" and leaves the stored one alone.
void RequestStoreContract::insertWithDuplicateIdIsRefused()
{
    const ProvisioningRequest original = makeRequest(QStringLiteral("first"), t0());
    VERIFY_OK(m_store->insert(original, {}, {}));
    ProvisioningRequest impostor = original;
    QVERIFY(impostor.transitionTo(RequestState::Cancelled, QStringLiteral("x"), t0().addSecs(1)).ok());
    VERIFY_ERROR(m_store->insert(impostor, {}, {}), "duplicate-id");

    auto got = m_store->get(original.id());
    VERIFY_OK(got);
    QVERIFY(*got.value() == original);
}

// Pins: update writes the whole request and appends only the events the store has not seen.
void RequestStoreContract::updateAppendsOnlyTheNewEvents()
{
    ProvisioningRequest request = makeRequest(QStringLiteral("grow"), t0());
    VERIFY_OK(m_store->insert(request, {}, {}));
    QVERIFY(request.transitionTo(RequestState::Provisioning, QStringLiteral("go"), t0().addSecs(1)).ok());
    request.setTaskRef(QStringLiteral("task-1"));
    VERIFY_OK(m_store->update(request, RequestState::Submitted));
    QVERIFY(request
                .transitionTo(RequestState::QueuedForProvisioning, QStringLiteral("transient"), t0().addSecs(2),
                              Error::make(ErrorKind::Transient, QStringLiteral("timeout"), QStringLiteral("t")))
                .ok());
    QVERIFY(request.transitionTo(RequestState::Provisioning, QStringLiteral("due"), t0().addSecs(3)).ok());
    VERIFY_OK(m_store->update(request, RequestState::Provisioning));

    auto got = m_store->get(request.id());
    VERIFY_OK(got);
    QCOMPARE(got.value()->history().size(), 3);
    QCOMPARE(jsonText(*got.value()), jsonText(request));
    QVERIFY(*got.value() == request);
    QCOMPARE(got.value()->attempts(), 2);
}

// Pins: the compare-and-set. An operator's cancel and the drain's dispatch race from one stored
// SUBMITTED request: exactly one wins, the loser gets "conflict" and changes nothing.
void RequestStoreContract::updateConflictsWhenTheStateMoved()
{
    const ProvisioningRequest stored = makeRequest(QStringLiteral("race"), t0());
    VERIFY_OK(m_store->insert(stored, {}, {}));
    ProvisioningRequest cancel = stored;
    ProvisioningRequest dispatch = stored;
    QVERIFY(cancel.transitionTo(RequestState::Cancelled, QStringLiteral("operator"), t0().addSecs(1)).ok());
    QVERIFY(dispatch.transitionTo(RequestState::Provisioning, QStringLiteral("drain"), t0().addSecs(1)).ok());

    VERIFY_OK(m_store->update(cancel, RequestState::Submitted));
    VERIFY_ERROR(m_store->update(dispatch, RequestState::Submitted), "conflict");

    auto got = m_store->get(stored.id());
    VERIFY_OK(got);
    QVERIFY(*got.value() == cancel);
}

// Pins: a copy that is behind (the request went QUEUED -> PROVISIONING -> QUEUED meanwhile) is a
// conflict even though the state matches, whether its history is shorter or merely different.
void RequestStoreContract::updateConflictsWhenTheHistoryMovedOnUnderTheSameState()
{
    const ProvisioningRequest base = queuedRequest(QStringLiteral("aba"), t0(), t0());
    VERIFY_OK(m_store->insert(base, {}, {}));
    ProvisioningRequest fresh = base;
    QVERIFY(fresh.transitionTo(RequestState::Provisioning, QStringLiteral("due"), t0().addSecs(10)).ok());
    VERIFY_OK(m_store->update(fresh, RequestState::QueuedForProvisioning));
    QVERIFY(fresh.transitionTo(RequestState::QueuedForProvisioning, QStringLiteral("refused"), t0().addSecs(11)).ok());
    VERIFY_OK(m_store->update(fresh, RequestState::Provisioning));

    ProvisioningRequest shorter = base;
    QVERIFY(shorter.transitionTo(RequestState::Cancelled, QStringLiteral("operator"), t0().addSecs(12)).ok());
    VERIFY_ERROR(m_store->update(shorter, RequestState::QueuedForProvisioning), "conflict");

    ProvisioningRequest different = base;
    QVERIFY(different.transitionTo(RequestState::Provisioning, QStringLiteral("due"), t0().addSecs(20)).ok());
    QVERIFY(different.transitionTo(RequestState::QueuedForProvisioning, QStringLiteral("x"), t0().addSecs(21)).ok());
    QVERIFY(different.transitionTo(RequestState::Cancelled, QStringLiteral("operator"), t0().addSecs(22)).ok());
    VERIFY_ERROR(m_store->update(different, RequestState::QueuedForProvisioning), "conflict");

    auto got = m_store->get(base.id());
    VERIFY_OK(got);
    QVERIFY(*got.value() == fresh);
}

// Pins: updating a request that was never stored is "not-found", not a silent insert.
void RequestStoreContract::updateOfAnUnknownRequestIsNotFound()
{
    ProvisioningRequest ghost = makeRequest(QStringLiteral("ghost"), t0(), {RequestState::Cancelled});
    VERIFY_ERROR(m_store->update(ghost, RequestState::Submitted), "not-found");
    auto got = m_store->get(ghost.id());
    VERIFY_OK(got);
    QVERIFY(!got.value().has_value());
}

void RequestStoreContract::listFilters_data()
{
    QTest::addColumn<QStringList>("states");
    QTest::addColumn<QString>("nameContains");
    QTest::addColumn<int>("limit");
    QTest::addColumn<QStringList>("expected");

    const QStringList all{QStringLiteral("100%_done"), QStringLiteral("Ärger-web"), QStringLiteral("db-01"),
                          QStringLiteral("WEB-02"), QStringLiteral("web-01")};
    QTest::newRow("everything, newest first") << QStringList() << QString() << 0 << all;
    QTest::newRow("states") << QStringList{QStringLiteral("QUEUED_FOR_PROVISIONING"), QStringLiteral("FAILED")}
                            << QString() << 0 << QStringList{all[1], all[3]};
    QTest::newRow("name, any case") << QStringList() << QStringLiteral("WEB") << 0
                                    << QStringList{all[1], all[3], all[4]};
    QTest::newRow("name, non-ASCII case") << QStringList() << QStringLiteral("äRGER") << 0 << QStringList{all[1]};
    QTest::newRow("percent is not a wildcard") << QStringList() << QStringLiteral("%") << 0 << QStringList{all[0]};
    QTest::newRow("underscore is not a wildcard") << QStringList() << QStringLiteral("_") << 0 << QStringList{all[0]};
    QTest::newRow("limit keeps the newest") << QStringList() << QString() << 2 << QStringList{all[0], all[1]};
    QTest::newRow("all three") << QStringList{QStringLiteral("SUBMITTED")} << QStringLiteral("web") << 1
                               << QStringList{all[4]};
    QTest::newRow("nothing matches") << QStringList{QStringLiteral("RECONCILING")} << QString() << 0 << QStringList();
}

// Pins: list filters by state and by a case-insensitive (Unicode) part of the name, literally, newest
// first, and the limit keeps the newest.
void RequestStoreContract::listFilters()
{
    QFETCH(QStringList, states);
    QFETCH(QString, nameContains);
    QFETCH(int, limit);
    QFETCH(QStringList, expected);

    VERIFY_OK(m_store->insert(makeRequest(QStringLiteral("web-01"), t0().addSecs(1)), {}, {}));
    VERIFY_OK(m_store->insert(
        makeRequest(QStringLiteral("WEB-02"), t0().addSecs(2), {RequestState::QueuedForProvisioning}), {}, {}));
    VERIFY_OK(m_store->insert(
        makeRequest(QStringLiteral("db-01"), t0().addSecs(3), {RequestState::Provisioning, RequestState::Provisioned}),
        {}, {}));
    VERIFY_OK(
        m_store->insert(makeRequest(QStringLiteral("Ärger-web"), t0().addSecs(4), {RequestState::Failed}), {}, {}));
    VERIFY_OK(
        m_store->insert(makeRequest(QStringLiteral("100%_done"), t0().addSecs(5), {RequestState::Cancelled}), {}, {}));

    RequestFilter filter;
    for (const QString& name : states) {
        filter.states.append(requestStateFromString(name).value());
    }
    filter.nameContains = nameContains;
    filter.limit = limit;
    auto listed = m_store->list(filter);
    VERIFY_OK(listed);
    QCOMPARE(names(listed.value()), expected);
}

// Pins: every state is counted, absent ones as 0.
void RequestStoreContract::countByStateCountsEveryState()
{
    VERIFY_OK(m_store->insert(makeRequest(QStringLiteral("a"), t0()), {}, {}));
    VERIFY_OK(m_store->insert(makeRequest(QStringLiteral("b"), t0()), {}, {}));
    VERIFY_OK(m_store->insert(makeRequest(QStringLiteral("c"), t0(), {RequestState::Failed}), {}, {}));
    auto counts = m_store->countByState();
    VERIFY_OK(counts);
    QCOMPARE(counts.value().size(), qsizetype(allRequestStates.size()));
    QCOMPARE(counts.value().value(RequestState::Submitted), 2);
    QCOMPARE(counts.value().value(RequestState::Failed), 1);
    QCOMPARE(counts.value().value(RequestState::Provisioned), 0);
}

// Pins: claimNext takes exactly the due requests — QUEUED with nextAttemptAt <= now or none, and
// SUBMITTED with no live lease — oldest first, leaves their state alone, and records the lease.
void RequestStoreContract::claimTakesDueRequestsOldestFirst()
{
    const QDateTime now = t0().addSecs(3600);
    const auto a = queuedRequest(QStringLiteral("a-due"), t0().addSecs(1), now.addSecs(-60));
    const auto b = queuedRequest(QStringLiteral("b-not-due"), t0(), now.addSecs(60));
    const auto c = queuedRequest(QStringLiteral("c-no-time"), t0().addSecs(3), {});
    const auto d = makeRequest(QStringLiteral("d-submitted-unleased"), t0().addSecs(2));
    const auto e = makeRequest(QStringLiteral("e-submitted-leased"), t0().addMSecs(500));
    const auto f = makeRequest(QStringLiteral("f-in-flight"), t0().addMSecs(100), {RequestState::Provisioning});
    const auto g = queuedRequest(QStringLiteral("g-due-now"), t0().addSecs(4), now);
    const auto h = makeRequest(QStringLiteral("h-failed"), t0().addSecs(5), {RequestState::Failed});
    for (const auto* r : {&a, &b, &c, &d, &f, &g, &h}) {
        VERIFY_OK(m_store->insert(*r, {}, {}));
    }
    VERIFY_OK(m_store->insert(e, QStringLiteral("console"), now.addSecs(30)));

    const QDateTime until = now.addSecs(30);
    auto claimed = m_store->claimNext(QStringLiteral("drain-a"), until, now, 100);
    VERIFY_OK(claimed);
    QCOMPARE(names(claimed.value()), (QStringList{a.spec().name, d.spec().name, c.spec().name, g.spec().name}));
    QVERIFY(claimed.value().at(0) == a);
    QVERIFY(claimed.value().at(1) == d);
    for (const auto* r : {&a, &c, &d, &g}) {
        QCOMPARE(leaseOwner(r->id()), QStringLiteral("drain-a"));
        QCOMPARE(leaseUntil(r->id()), until);
    }
    QCOMPARE(leaseOwner(e.id()), QStringLiteral("console"));
    QVERIFY(leaseOwner(b.id()).isEmpty());

    auto more = m_store->claimNext(QStringLiteral("drain-b"), until, now, 100);
    VERIFY_OK(more);
    QVERIFY(more.value().isEmpty());
}

// Pins: maxCount bounds a claim, and the next claim continues with the next oldest.
void RequestStoreContract::claimTakesAtMostMaxCount()
{
    QList<ProvisioningRequest> queued;
    for (int i = 0; i < 5; ++i) {
        queued.append(queuedRequest(QStringLiteral("q%1").arg(i), t0().addSecs(i), t0()));
        VERIFY_OK(m_store->insert(queued.last(), {}, {}));
    }
    const QDateTime now = t0().addSecs(60);
    auto first = m_store->claimNext(QStringLiteral("d"), now.addSecs(30), now, 2);
    VERIFY_OK(first);
    QCOMPARE(names(first.value()), (QStringList{QStringLiteral("q0"), QStringLiteral("q1")}));
    auto second = m_store->claimNext(QStringLiteral("d"), now.addSecs(30), now, 2);
    VERIFY_OK(second);
    QCOMPARE(names(second.value()), (QStringList{QStringLiteral("q2"), QStringLiteral("q3")}));
    auto none = m_store->claimNext(QStringLiteral("d"), now.addSecs(30), now, 0);
    VERIFY_OK(none);
    QVERIFY(none.value().isEmpty());
}

// Pins: a lease is exclusive while now < leaseUntil and reclaimable from that instant on; the loser of
// an expired lease cannot renew it, and its release does not drop the new holder's.
void RequestStoreContract::leasesAreExclusiveUntilTheyExpire()
{
    const auto request = queuedRequest(QStringLiteral("x"), t0(), t0());
    VERIFY_OK(m_store->insert(request, {}, {}));
    const QDateTime now = t0().addSecs(60);
    const QDateTime until = now.addSecs(10);

    auto a = m_store->claimNext(QStringLiteral("A"), until, now, 10);
    VERIFY_OK(a);
    QCOMPARE(a.value().size(), 1);
    auto b = m_store->claimNext(QStringLiteral("B"), until.addSecs(10), until.addMSecs(-1), 10);
    VERIFY_OK(b);
    QVERIFY(b.value().isEmpty());
    b = m_store->claimNext(QStringLiteral("B"), until.addSecs(10), until, 10);
    VERIFY_OK(b);
    QCOMPARE(ids(b.value()), ids(a.value()));

    VERIFY_ERROR(m_store->renewLease(request.id(), QStringLiteral("A"), until.addSecs(60)), "not-claimed");
    VERIFY_OK(m_store->releaseClaim(request.id(), QStringLiteral("A")));
    QCOMPARE(leaseOwner(request.id()), QStringLiteral("B"));
    VERIFY_OK(m_store->renewLease(request.id(), QStringLiteral("B"), until.addSecs(60)));
}

// Pins: a SUBMITTED request is its submitter's until the submitter's lease lapses; then the drain may
// take it.
void RequestStoreContract::submittedRequestWithALapsedLeaseIsClaimable()
{
    const auto request = makeRequest(QStringLiteral("orphan"), t0());
    VERIFY_OK(m_store->insert(request, QStringLiteral("console"), t0().addSecs(10)));
    auto early = m_store->claimNext(QStringLiteral("drain"), t0().addSecs(40), t0().addSecs(9), 10);
    VERIFY_OK(early);
    QVERIFY(early.value().isEmpty());
    auto late = m_store->claimNext(QStringLiteral("drain"), t0().addSecs(40), t0().addSecs(10), 10);
    VERIFY_OK(late);
    QCOMPARE(names(late.value()), QStringList{QStringLiteral("orphan")});
}

// Pins: renewing extends the caller's lease (others keep out longer); releasing frees the request at
// once; releasing a lease one does not hold is harmless.
void RequestStoreContract::renewExtendsAndReleaseFrees()
{
    const auto request = queuedRequest(QStringLiteral("r"), t0(), t0());
    VERIFY_OK(m_store->insert(request, {}, {}));
    VERIFY_OK(m_store->claimNext(QStringLiteral("A"), t0().addSecs(10), t0(), 1));
    VERIFY_OK(m_store->renewLease(request.id(), QStringLiteral("A"), t0().addSecs(60)));
    auto blocked = m_store->claimNext(QStringLiteral("B"), t0().addSecs(90), t0().addSecs(30), 1);
    VERIFY_OK(blocked);
    QVERIFY(blocked.value().isEmpty());

    VERIFY_OK(m_store->releaseClaim(request.id(), QStringLiteral("B")));
    QCOMPARE(leaseOwner(request.id()), QStringLiteral("A"));
    VERIFY_OK(m_store->releaseClaim(request.id(), QStringLiteral("A")));
    QVERIFY(leaseOwner(request.id()).isEmpty());
    auto taken = m_store->claimNext(QStringLiteral("B"), t0().addSecs(90), t0().addSecs(30), 1);
    VERIFY_OK(taken);
    QCOMPARE(taken.value().size(), 1);
    VERIFY_ERROR(m_store->renewLease(QUuid::createUuid(), QStringLiteral("B"), t0().addSecs(90)), "not-claimed");
}

// Pins: takeOverExpired claims the in-flight requests (PROVISIONING, RECONCILING) whose driver's lease
// ran out or was given up, and nothing else; a second survivor gets none of them.
void RequestStoreContract::takeOverClaimsInFlightRequestsWithExpiredLeases()
{
    const QDateTime now = t0().addSecs(600);
    const auto p1 = makeRequest(QStringLiteral("p1-expired"), t0().addSecs(2), {RequestState::Provisioning});
    const auto r1 = makeRequest(QStringLiteral("r1-expired"), t0().addSecs(1),
                                {RequestState::Provisioning, RequestState::Reconciling});
    const auto p2 = makeRequest(QStringLiteral("p2-alive"), t0(), {RequestState::Provisioning});
    const auto p3 = makeRequest(QStringLiteral("p3-released"), t0().addSecs(3), {RequestState::Provisioning});
    const auto q1 = queuedRequest(QStringLiteral("q1-queued"), t0(), t0());
    VERIFY_OK(m_store->insert(p1, QStringLiteral("dead"), now.addSecs(-1)));
    VERIFY_OK(m_store->insert(r1, QStringLiteral("dead"), now));
    VERIFY_OK(m_store->insert(p2, QStringLiteral("alive"), now.addMSecs(1)));
    VERIFY_OK(m_store->insert(p3, {}, {}));
    VERIFY_OK(m_store->insert(q1, QStringLiteral("dead"), now.addSecs(-1)));

    auto taken = m_store->takeOverExpired(QStringLiteral("survivor-1"), now.addSecs(30), now);
    VERIFY_OK(taken);
    QCOMPARE(names(taken.value()), (QStringList{r1.spec().name, p1.spec().name, p3.spec().name}));
    QVERIFY(taken.value().at(0) == r1);
    for (const auto* r : {&p1, &r1, &p3}) {
        QCOMPARE(leaseOwner(r->id()), QStringLiteral("survivor-1"));
    }
    QCOMPARE(leaseOwner(p2.id()), QStringLiteral("alive"));
    QCOMPARE(leaseOwner(q1.id()), QStringLiteral("dead"));

    auto second = m_store->takeOverExpired(QStringLiteral("survivor-2"), now.addSecs(30), now);
    VERIFY_OK(second);
    QVERIFY(second.value().isEmpty());
}

// Pins: a request whose stored spec cannot be read is listed (and got) as FAILED with "stored spec
// unreadable", its history as stored plus that step, and counted as FAILED; the requests around it
// read as they were; its stored spec is left exactly as it was.
void RequestStoreContract::anUnreadableSpecIsListedAsFailedAndKept()
{
    const auto before = queuedRequest(QStringLiteral("before"), t0(), t0());
    const auto broken = queuedRequest(QStringLiteral("broken"), t0().addSecs(1), t0());
    const auto after = makeRequest(QStringLiteral("after"), t0().addSecs(2));
    for (const auto* r : {&before, &broken, &after}) {
        VERIFY_OK(m_store->insert(*r, {}, {}));
    }
    if (!m_backend->damageSpec(broken.id(), s_brokenSpec)) {
        QSKIP("this adapter's test cannot damage a stored spec");
    }

    auto listed = m_store->list({});
    VERIFY_OK(listed);
    QCOMPARE(names(listed.value()),
             (QStringList{QStringLiteral("after"), QStringLiteral("broken"), QStringLiteral("before")}));
    QVERIFY(listed.value().at(0) == after);
    QVERIFY(listed.value().at(2) == before);
    const ProvisioningRequest& shown = listed.value().at(1);
    QCOMPARE(shown.id(), broken.id());
    QCOMPARE(shown.state(), RequestState::Failed);
    QVERIFY2(isSpecUnreadable(shown.lastError()), qPrintable(shown.lastError().value_or(Error{}).message));
    QCOMPARE(shown.history().size(), broken.history().size() + 1);
    QVERIFY(shown.history().mid(0, broken.history().size()) == broken.history());
    QCOMPARE(shown.history().last().from, RequestState::QueuedForProvisioning);
    QCOMPARE(shown.history().last().to, RequestState::Failed);

    auto got = m_store->get(broken.id());
    VERIFY_OK(got);
    QVERIFY(got.value().has_value());
    QCOMPARE(got.value()->state(), RequestState::Failed);
    QVERIFY(isSpecUnreadable(got.value()->lastError()));
    QCOMPARE(got.value()->history().size(), broken.history().size() + 1);

    auto counts = m_store->countByState();
    VERIFY_OK(counts);
    QCOMPARE(counts.value().value(RequestState::Failed), 1);
    QCOMPARE(counts.value().value(RequestState::QueuedForProvisioning), 1);
    QCOMPARE(counts.value().value(RequestState::Submitted), 1);

    auto filtered = m_store->list(RequestFilter{{RequestState::Failed}, {}, 0, {}});
    VERIFY_OK(filtered);
    QCOMPARE(names(filtered.value()), QStringList{QStringLiteral("broken")});
    QCOMPARE(m_backend->rawSpec(broken.id()), s_brokenSpec);
}

// Pins: a claim whose batch meets an unreadable request hands over every healthy one (leased to the
// caller) and never that one: it ends FAILED with no lease, its stored spec kept; nothing is left
// claimed but undriven, and the next claim finds nothing more.
void RequestStoreContract::aClaimNeverLeavesHealthyRequestsStuckBehindAnUnreadableOne()
{
    const auto a = queuedRequest(QStringLiteral("a"), t0(), t0());
    const auto broken = queuedRequest(QStringLiteral("broken"), t0().addSecs(1), t0());
    const auto c = makeRequest(QStringLiteral("c"), t0().addSecs(2));
    for (const auto* r : {&a, &broken, &c}) {
        VERIFY_OK(m_store->insert(*r, {}, {}));
    }
    if (!m_backend->damageSpec(broken.id(), s_brokenSpec)) {
        QSKIP("this adapter's test cannot damage a stored spec");
    }

    const QDateTime now = t0().addSecs(60);
    auto claimed = m_store->claimNext(QStringLiteral("drain"), now.addSecs(30), now, 10);
    VERIFY_OK(claimed);
    QCOMPARE(names(claimed.value()), (QStringList{QStringLiteral("a"), QStringLiteral("c")}));
    QVERIFY(claimed.value().at(0) == a);
    QVERIFY(claimed.value().at(1) == c);
    QCOMPARE(leaseOwner(a.id()), QStringLiteral("drain"));
    QCOMPARE(leaseOwner(c.id()), QStringLiteral("drain"));
    QVERIFY(leaseOwner(broken.id()).isEmpty());

    auto got = m_store->get(broken.id());
    VERIFY_OK(got);
    QCOMPARE(got.value()->state(), RequestState::Failed);
    QVERIFY(isSpecUnreadable(got.value()->lastError()));
    QCOMPARE(got.value()->history().last().at, now);
    QCOMPARE(m_backend->rawSpec(broken.id()), s_brokenSpec);

    auto again = m_store->claimNext(QStringLiteral("other"), now.addSecs(90), now.addSecs(60), 10);
    VERIFY_OK(again);
    QCOMPARE(names(again.value()), (QStringList{QStringLiteral("a"), QStringLiteral("c")}));
    QVERIFY(leaseOwner(broken.id()).isEmpty());
}

// Pins: a take-over hands over the healthy in-flight requests and fails the unreadable one instead of
// leaving it claimed.
void RequestStoreContract::aTakeOverSkipsAnUnreadableRequest()
{
    const QDateTime now = t0().addSecs(600);
    const auto healthy = makeRequest(QStringLiteral("healthy"), t0(), {RequestState::Provisioning});
    const auto broken = makeRequest(QStringLiteral("broken"), t0().addSecs(1), {RequestState::Provisioning});
    VERIFY_OK(m_store->insert(healthy, QStringLiteral("dead"), now.addSecs(-1)));
    VERIFY_OK(m_store->insert(broken, QStringLiteral("dead"), now.addSecs(-1)));
    if (!m_backend->damageSpec(broken.id(), s_brokenSpec)) {
        QSKIP("this adapter's test cannot damage a stored spec");
    }
    auto taken = m_store->takeOverExpired(QStringLiteral("survivor"), now.addSecs(30), now);
    VERIFY_OK(taken);
    QCOMPARE(names(taken.value()), QStringList{QStringLiteral("healthy")});
    QCOMPARE(leaseOwner(healthy.id()), QStringLiteral("survivor"));
    QVERIFY(leaseOwner(broken.id()).isEmpty());
    auto got = m_store->get(broken.id());
    VERIFY_OK(got);
    QCOMPARE(got.value()->state(), RequestState::Failed);
    QCOMPARE(got.value()->history().last().from, RequestState::Provisioning);
}

// Pins: an operator's retry of a quarantined request is refused ("stored-request-unreadable") rather
// than writing the partial spec it is shown with over the stored one.
void RequestStoreContract::anUnreadableRequestIsNeverOverwritten()
{
    const auto broken = makeRequest(QStringLiteral("broken"), t0(), {RequestState::Failed});
    VERIFY_OK(m_store->insert(broken, {}, {}));
    if (!m_backend->damageSpec(broken.id(), s_brokenSpec)) {
        QSKIP("this adapter's test cannot damage a stored spec");
    }
    auto got = m_store->get(broken.id());
    VERIFY_OK(got);
    ProvisioningRequest retried = *got.value();
    QCOMPARE(retried.state(), RequestState::Failed);
    QVERIFY(retried.history() == broken.history());
    QVERIFY(retried.transitionTo(RequestState::QueuedForProvisioning, QStringLiteral("operator retry"), t0().addSecs(5))
                .ok());
    VERIFY_ERROR(m_store->update(retried, RequestState::Failed), "stored-request-unreadable");
    QCOMPARE(m_backend->rawSpec(broken.id()), s_brokenSpec);
    auto still = m_store->get(broken.id());
    VERIFY_OK(still);
    QCOMPARE(still.value()->state(), RequestState::Failed);
}

// Pins: insertAll stores every request of the batch, each with its history; the queued ones are left
// for whoever drains (no lease), the others are leased to the submitter; another connection reads them
// all, and the queued one is claimable at once by another drainer.
void RequestStoreContract::insertAllStoresTheBatchWithQueuedOnesUnclaimed()
{
    const ProvisioningRequest started = makeRequest(QStringLiteral("b-00"), t0(), {RequestState::Provisioning});
    const ProvisioningRequest submitted = makeRequest(QStringLiteral("b-01"), t0().addMSecs(1));
    const ProvisioningRequest waiting = queuedRequest(QStringLiteral("b-02"), t0().addMSecs(2), t0());
    VERIFY_OK(m_store->insertAll({started, submitted, waiting}, QStringLiteral("console-1"), t0().addSecs(30)));

    auto observer = m_backend->open();
    VERIFY_OK(observer);
    auto seen = observer.value()->list({});
    VERIFY_OK(seen);
    QCOMPARE(names(seen.value()), (QStringList{waiting.spec().name, submitted.spec().name, started.spec().name}));
    QVERIFY(seen.value().at(0) == waiting);
    QVERIFY(seen.value().at(1) == submitted);
    QVERIFY(seen.value().at(2) == started);
    QCOMPARE(seen.value().at(2).history().size(), 1);
    QCOMPARE(leaseOwner(started.id()), QStringLiteral("console-1"));
    QCOMPARE(leaseUntil(started.id()), t0().addSecs(30));
    QCOMPARE(leaseOwner(submitted.id()), QStringLiteral("console-1"));
    QVERIFY(leaseOwner(waiting.id()).isEmpty());
    QVERIFY(!leaseUntil(waiting.id()).isValid());

    auto claimed = observer.value()->claimNext(QStringLiteral("drainer-2"), t0().addSecs(60), t0().addSecs(1), 5);
    VERIFY_OK(claimed);
    QCOMPARE(names(claimed.value()), QStringList{waiting.spec().name});

    VERIFY_OK(m_store->insertAll({}, QStringLiteral("console-1"), t0().addSecs(30)));
    auto after = m_store->list({});
    VERIFY_OK(after);
    QCOMPARE(after.value().size(), 3);
}

// Pins: one refusal anywhere in the batch stores none of it — a duplicate id in the middle (stored
// before, or twice in the batch), a request without an id, a claim without a lease expiry.
void RequestStoreContract::insertAllIsAllOrNothing()
{
    const ProvisioningRequest before = makeRequest(QStringLiteral("before"), t0());
    VERIFY_OK(m_store->insert(before, {}, {}));
    const ProvisioningRequest a = makeRequest(QStringLiteral("a"), t0().addMSecs(1));
    const ProvisioningRequest c = queuedRequest(QStringLiteral("c"), t0().addMSecs(3), t0());
    VERIFY_ERROR(m_store->insertAll({a, before, c}, QStringLiteral("console-1"), t0().addSecs(30)), "duplicate-id");
    VERIFY_ERROR(m_store->insertAll({a, c, a}, QStringLiteral("console-1"), t0().addSecs(30)), "duplicate-id");
    for (const auto& refused : {m_store->insertAll({a, ProvisioningRequest(), c}, {}, {}),
                                m_store->insertAll({a, c}, QStringLiteral("console-1"), QDateTime())}) {
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, QStringLiteral("invalid-argument"));
    }

    auto observer = m_backend->open();
    VERIFY_OK(observer);
    auto seen = observer.value()->list({});
    VERIFY_OK(seen);
    QCOMPARE(names(seen.value()), QStringList{before.spec().name});
    QVERIFY(seen.value().first() == before);

    VERIFY_OK(m_store->insertAll({a, c}, QStringLiteral("console-1"), t0().addSecs(30)));
    auto now = observer.value()->list({});
    VERIFY_OK(now);
    QCOMPARE(now.value().size(), 3);
}

// Pins: updateAndRelease writes the request as update() does (new events appended) and frees the
// caller's lease in the same step, so the next claim takes a request put back in the queue; a caller
// that does not hold the lease writes the request and leaves the holder's lease alone.
void RequestStoreContract::updateAndReleaseWritesAndGivesTheLeaseUp()
{
    ProvisioningRequest request = makeRequest(QStringLiteral("settle"), t0());
    VERIFY_OK(m_store->insert(request, QStringLiteral("A"), t0().addSecs(300)));
    QVERIFY(request.transitionTo(RequestState::Provisioning, QStringLiteral("go"), t0().addSecs(1)).ok());
    VERIFY_OK(m_store->update(request, RequestState::Submitted));
    QVERIFY(request
                .transitionTo(RequestState::QueuedForProvisioning, QStringLiteral("transient"), t0().addSecs(2),
                              Error::make(ErrorKind::Transient, QStringLiteral("timeout"), QStringLiteral("t")))
                .ok());
    request.setNextAttemptAt(t0().addSecs(2));
    VERIFY_OK(m_store->updateAndRelease(request, RequestState::Provisioning, QStringLiteral("A")));
    QVERIFY(leaseOwner(request.id()).isEmpty());
    QVERIFY(!leaseUntil(request.id()).isValid());
    auto got = m_store->get(request.id());
    VERIFY_OK(got);
    QCOMPARE(jsonText(*got.value()), jsonText(request));
    QCOMPARE(got.value()->history().size(), 2);

    auto observer = m_backend->open();
    VERIFY_OK(observer);
    auto claimed = observer.value()->claimNext(QStringLiteral("B"), t0().addSecs(600), t0().addSecs(3), 1);
    VERIFY_OK(claimed);
    QCOMPARE(claimed.value().size(), 1);
    QVERIFY(claimed.value().first() == request);

    QVERIFY(request.transitionTo(RequestState::Provisioning, QStringLiteral("due"), t0().addSecs(4)).ok());
    VERIFY_OK(m_store->updateAndRelease(request, RequestState::QueuedForProvisioning, QStringLiteral("A")));
    QCOMPARE(leaseOwner(request.id()), QStringLiteral("B"));
    QCOMPARE(leaseUntil(request.id()), t0().addSecs(600));
    auto again = observer.value()->get(request.id());
    VERIFY_OK(again);
    QCOMPARE(again.value()->state(), RequestState::Provisioning);
}

// Pins: an updateAndRelease that loses the compare-and-set ("conflict") or names an unknown request
// ("not-found") changes nothing: neither the stored request nor the caller's lease.
void RequestStoreContract::updateAndReleaseChangesNothingWhenItLoses()
{
    const ProvisioningRequest stored = makeRequest(QStringLiteral("race"), t0());
    VERIFY_OK(m_store->insert(stored, QStringLiteral("A"), t0().addSecs(300)));
    ProvisioningRequest late = stored;
    QVERIFY(late.transitionTo(RequestState::Provisioning, QStringLiteral("go"), t0().addSecs(1)).ok());
    QVERIFY(late.transitionTo(RequestState::Provisioned, QStringLiteral("done"), t0().addSecs(2)).ok());
    VERIFY_ERROR(m_store->updateAndRelease(late, RequestState::Provisioning, QStringLiteral("A")), "conflict");
    QCOMPARE(leaseOwner(stored.id()), QStringLiteral("A"));
    QCOMPARE(leaseUntil(stored.id()), t0().addSecs(300));
    auto got = m_store->get(stored.id());
    VERIFY_OK(got);
    QVERIFY(*got.value() == stored);

    VERIFY_ERROR(m_store->updateAndRelease(makeRequest(QStringLiteral("ghost"), t0()), RequestState::Submitted,
                                           QStringLiteral("A")),
                 "not-found");
}

// Pins: a settling write with Durability::Relaxed (the one the port allows: PROVISIONED of a blank VM)
// is committed like any other — another connection reads it and can claim nothing of it at once, the
// caller's lease is given up in it — and the synced writes after it on the same connection work as
// before.
void RequestStoreContract::aRelaxedSettlingWriteIsSeenByOtherConnectionsAtOnce()
{
    ProvisioningRequest request = makeRequest(QStringLiteral("relaxed"), t0(), {RequestState::Provisioning});
    VERIFY_OK(m_store->insert(request, QStringLiteral("A"), t0().addSecs(300)));
    QVERIFY(request.transitionTo(RequestState::Provisioned, QStringLiteral("created vm-7"), t0().addSecs(5)).ok());
    request.setVmRef(QStringLiteral("vm-7"));
    VERIFY_OK(m_store->updateAndRelease(request, RequestState::Provisioning, QStringLiteral("A"), Durability::Relaxed));

    auto observer = m_backend->open();
    VERIFY_OK(observer);
    auto seen = observer.value()->get(request.id());
    VERIFY_OK(seen);
    QVERIFY(seen.value().has_value());
    QCOMPARE(jsonText(*seen.value()), jsonText(request));
    QVERIFY(leaseOwner(request.id()).isEmpty());
    auto taken = observer.value()->takeOverExpired(QStringLiteral("B"), t0().addSecs(900), t0().addSecs(600));
    VERIFY_OK(taken);
    QVERIFY(taken.value().isEmpty());

    // The next write on the same connection is an ordinary synced one, and lands.
    ProvisioningRequest next = makeRequest(QStringLiteral("after-relaxed"), t0().addSecs(1));
    VERIFY_OK(m_store->insert(next, QStringLiteral("A"), t0().addSecs(300)));
    QVERIFY(next.transitionTo(RequestState::Provisioning, QStringLiteral("go"), t0().addSecs(6)).ok());
    VERIFY_OK(m_store->update(next, RequestState::Submitted));
    auto nextSeen = observer.value()->get(next.id());
    VERIFY_OK(nextSeen);
    QCOMPARE(nextSeen.value()->state(), RequestState::Provisioning);
}

// Pins: claimAndStart claims as claimNext does (due ones, oldest first, at most maxCount, leased to the
// caller) and, in the same commit, writes what `start` returns for each — compared with the state it was
// claimed in, its new events appended — asking `start` once per claimed request, oldest first; a
// request `start` leaves is handed out as claimed. Another connection reads the started one as written.
void RequestStoreContract::claimAndStartWritesTheFirstStepInTheClaim()
{
    const auto q1 = queuedRequest(QStringLiteral("q1"), t0(), t0());
    const auto s2 = makeRequest(QStringLiteral("s2"), t0().addSecs(1));
    const auto q3 = queuedRequest(QStringLiteral("q3"), t0().addSecs(2), t0());
    VERIFY_OK(m_store->insert(q1, {}, {}));
    VERIFY_OK(m_store->insert(s2, QStringLiteral("gone"), t0().addSecs(10)));
    VERIFY_OK(m_store->insert(q3, {}, {}));
    const QDateTime now = t0().addSecs(60);

    QStringList asked;
    ProvisioningRequest written;
    auto claimed = m_store->claimAndStart(
        QStringLiteral("A"), now.addSecs(30), now, 2,
        [&](const ProvisioningRequest& r) -> std::optional<ProvisioningRequest> {
            asked.append(r.spec().name);
            if (r.id() != q1.id())
                return std::nullopt;
            ProvisioningRequest started = r;
            if (!started.transitionTo(RequestState::Provisioning, QStringLiteral("sent"), now).ok())
                return std::nullopt;
            written = started;
            return started;
        });
    VERIFY_OK(claimed);
    QCOMPARE(asked, (QStringList{QStringLiteral("q1"), QStringLiteral("s2")}));
    QCOMPARE(names(claimed.value()), (QStringList{QStringLiteral("q1"), QStringLiteral("s2")}));
    QVERIFY(claimed.value().at(0) == written);
    QVERIFY(claimed.value().at(1) == s2);
    QCOMPARE(leaseOwner(q1.id()), QStringLiteral("A"));
    QCOMPARE(leaseUntil(q1.id()), now.addSecs(30));
    QCOMPARE(leaseOwner(s2.id()), QStringLiteral("A"));
    QVERIFY(leaseOwner(q3.id()).isEmpty());

    auto observer = m_backend->open();
    VERIFY_OK(observer);
    auto got = observer.value()->get(q1.id());
    VERIFY_OK(got);
    QCOMPARE(jsonText(*got.value()), jsonText(written));
    QCOMPARE(got.value()->state(), RequestState::Provisioning);
    QCOMPARE(got.value()->history().size(), q1.history().size() + 1);
    auto left = observer.value()->get(s2.id());
    VERIFY_OK(left);
    QVERIFY(*left.value() == s2);
    // Nothing left for another drainer but the unclaimed one.
    auto rest = observer.value()->claimAndStart(QStringLiteral("B"), now.addSecs(30), now, 5, {});
    VERIFY_OK(rest);
    QCOMPARE(names(rest.value()), (QStringList{QStringLiteral("q3")}));
}

// Pins: when a first write is refused (here: `start` returns another request than the one claimed)
// the whole claim is rolled back — no lease taken, nothing written, the earlier started one included.
void RequestStoreContract::claimAndStartIsAllOrNothing()
{
    const auto q1 = queuedRequest(QStringLiteral("q1"), t0(), t0());
    const auto q2 = queuedRequest(QStringLiteral("q2"), t0().addSecs(1), t0());
    VERIFY_OK(m_store->insert(q1, {}, {}));
    VERIFY_OK(m_store->insert(q2, {}, {}));
    const QDateTime now = t0().addSecs(60);
    auto refused = m_store->claimAndStart(
        QStringLiteral("A"), now.addSecs(30), now, 2,
        [&](const ProvisioningRequest& r) -> std::optional<ProvisioningRequest> {
            if (r.id() == q2.id())
                return makeRequest(QStringLiteral("stranger"), t0());
            ProvisioningRequest started = r;
            if (!started.transitionTo(RequestState::Provisioning, QStringLiteral("sent"), now).ok())
                return std::nullopt;
            return started;
        });
    QVERIFY(!refused.ok());
    for (const auto* r : {&q1, &q2}) {
        QVERIFY(leaseOwner(r->id()).isEmpty());
        auto got = m_store->get(r->id());
        VERIFY_OK(got);
        QVERIFY(*got.value() == *r);
    }
    auto again = m_store->claimNext(QStringLiteral("B"), now.addSecs(30), now, 5);
    VERIFY_OK(again);
    QCOMPARE(names(again.value()), (QStringList{QStringLiteral("q1"), QStringLiteral("q2")}));
}

namespace {

// Seven requests, three of them created in the same millisecond (a batch), so that the cursor's
// tie-break by insertion order is exercised; the newest is "g".
QList<ProvisioningRequest> pagingSamples()
{
    return {
        makeRequest(QStringLiteral("a-web"), t0().addSecs(1)),
        makeRequest(QStringLiteral("b-db"), t0().addSecs(2), {RequestState::Failed}),
        makeRequest(QStringLiteral("c-web"), t0().addSecs(3)),
        makeRequest(QStringLiteral("d-web"), t0().addSecs(3), {RequestState::Failed}),
        makeRequest(QStringLiteral("e-db"), t0().addSecs(3)),
        makeRequest(QStringLiteral("f-web"), t0().addSecs(4), {RequestState::Failed}),
        makeRequest(QStringLiteral("g-db"), t0().addSecs(5)),
    };
}

} // namespace

void RequestStoreContract::pagesByCursorCoverTheListingWithoutGapsOrRepeats_data()
{
    QTest::addColumn<QStringList>("states");
    QTest::addColumn<QString>("nameContains");
    QTest::addColumn<int>("pageSize");

    QTest::newRow("everything, pages of 2") << QStringList() << QString() << 2;
    QTest::newRow("everything, pages of 1") << QStringList() << QString() << 1;
    QTest::newRow("everything, pages of 3") << QStringList() << QString() << 3;
    QTest::newRow("one state") << QStringList{QStringLiteral("FAILED")} << QString() << 2;
    QTest::newRow("name") << QStringList() << QStringLiteral("WEB") << 2;
    QTest::newRow("state and name") << QStringList{QStringLiteral("SUBMITTED")} << QStringLiteral("web") << 1;
}

// Pins: following the cursor of each page's last row (newest first, insertion order among equal
// times) yields exactly the unpaged listing, page by page, then an empty page.
void RequestStoreContract::pagesByCursorCoverTheListingWithoutGapsOrRepeats()
{
    QFETCH(QStringList, states);
    QFETCH(QString, nameContains);
    QFETCH(int, pageSize);
    for (const ProvisioningRequest& r : pagingSamples()) {
        VERIFY_OK(m_store->insert(r, {}, {}));
    }
    RequestFilter filter;
    for (const QString& name : states) {
        filter.states.append(requestStateFromString(name).value());
    }
    filter.nameContains = nameContains;
    auto whole = m_store->list(filter);
    VERIFY_OK(whole);
    QVERIFY(whole.value().size() >= 2);

    QStringList paged;
    filter.limit = pageSize;
    for (int pages = 0; pages < 10; ++pages) {
        auto page = m_store->list(filter);
        VERIFY_OK(page);
        QVERIFY(page.value().size() <= pageSize);
        if (page.value().isEmpty()) {
            break;
        }
        paged += names(page.value());
        const ProvisioningRequest& last = page.value().constLast();
        filter.olderThan = RequestCursor{last.createdAt(), last.id()};
    }
    QCOMPARE(paged, names(whole.value()));
}

// Pins: a cursor whose request is not stored starts strictly before its time (rows of that very
// time are left out rather than repeated).
void RequestStoreContract::aCursorOfAnUnknownRequestStartsBeforeItsTime()
{
    for (const ProvisioningRequest& r : pagingSamples()) {
        VERIFY_OK(m_store->insert(r, {}, {}));
    }
    RequestFilter filter;
    filter.olderThan = RequestCursor{t0().addSecs(3), QUuid::createUuid()};
    auto page = m_store->list(filter);
    VERIFY_OK(page);
    QCOMPARE(names(page.value()), (QStringList{QStringLiteral("b-db"), QStringLiteral("a-web")}));
}

// Pins: countMatching counts what the filter matches across all pages — its limit and cursor do not
// narrow the count — and 0 when nothing matches.
void RequestStoreContract::countMatchingCountsEveryPageOfTheFilter()
{
    const QList<ProvisioningRequest> samples = pagingSamples();
    for (const ProvisioningRequest& r : samples) {
        VERIFY_OK(m_store->insert(r, {}, {}));
    }
    RequestFilter filter;
    filter.limit = 2;
    filter.olderThan = RequestCursor{samples.at(4).createdAt(), samples.at(4).id()};
    auto all = m_store->countMatching(filter);
    VERIFY_OK(all);
    QCOMPARE(all.value(), 7);

    filter.states = {RequestState::Failed};
    auto failed = m_store->countMatching(filter);
    VERIFY_OK(failed);
    QCOMPARE(failed.value(), 3);

    filter.nameContains = QStringLiteral("WEB");
    auto failedWeb = m_store->countMatching(filter);
    VERIFY_OK(failedWeb);
    QCOMPARE(failedWeb.value(), 2);

    filter.states = {RequestState::Reconciling};
    auto none = m_store->countMatching(filter);
    VERIFY_OK(none);
    QCOMPARE(none.value(), 0);
}

// Pins: with nameOrBatch, the search matches a part of the name or the start of the batch id (any
// case), and nothing else of the id; without it, the name only.
void RequestStoreContract::aSearchCanMatchTheStartOfTheBatchId()
{
    const QUuid batch = QUuid::fromString(QStringLiteral("3f2a9c01-0000-4000-8000-00000000abcd"));
    ProvisioningRequest first = makeRequest(QStringLiteral("web-1"), t0().addSecs(1));
    first.setBatchId(batch);
    ProvisioningRequest second = makeRequest(QStringLiteral("web-2"), t0().addSecs(2));
    second.setBatchId(batch);
    const ProvisioningRequest named = makeRequest(QStringLiteral("3f2a-db"), t0().addSecs(3));
    const ProvisioningRequest single = makeRequest(QStringLiteral("other"), t0().addSecs(4));
    for (const ProvisioningRequest& r : {first, second, named, single}) {
        VERIFY_OK(m_store->insert(r, {}, {}));
    }
    RequestFilter filter;
    filter.nameContains = QStringLiteral("3F2A");
    filter.nameOrBatch = true;
    auto both = m_store->list(filter);
    VERIFY_OK(both);
    QCOMPARE(names(both.value()),
             (QStringList{QStringLiteral("3f2a-db"), QStringLiteral("web-2"), QStringLiteral("web-1")}));
    auto counted = m_store->countMatching(filter);
    VERIFY_OK(counted);
    QCOMPARE(counted.value(), 3);

    filter.nameContains = QStringLiteral("abcd"); // in the batch id, but not at its start
    auto inside = m_store->list(filter);
    VERIFY_OK(inside);
    QVERIFY(inside.value().isEmpty());

    filter.nameContains = QStringLiteral("3f2a");
    filter.nameOrBatch = false;
    auto nameOnly = m_store->list(filter);
    VERIFY_OK(nameOnly);
    QCOMPARE(names(nameOnly.value()), QStringList{QStringLiteral("3f2a-db")});
}
