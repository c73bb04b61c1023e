#pragma once

// The behaviour every RequestStorePort adapter owes the service, as one QtTest class that any adapter's
// test runs against its own backend: round trips, the compare-and-set update, list filters, counts,
// claims and leases, take-overs, and the quarantine of a stored request that cannot be read back.
// SQLite runs it now (test_request_store_contract_sqlite); a PostgreSQL adapter runs the same class.
// What only one adapter has (SQLite's WAL, its damaged-file handling, its migrations, its locking)
// stays in that adapter's own tests.

#include "domain/ports/RequestStorePort.h"

#include <QByteArray>
#include <QDateTime>
#include <QObject>
#include <QString>
#include <QUuid>

#include <functional>
#include <memory>
#include <optional>

// What an adapter's test hands the contract: a fresh, empty database per test function, stores on it,
// and a look behind the port for what the port does not show (leases, the stored spec).
class RequestStoreContractBackend
{
public:
    // A request's lease as stored: an empty owner and an invalid time when there is none.
    struct Lease
    {
        QString owner;
        QDateTime until;
    };

    virtual ~RequestStoreContractBackend() = default;

    // A store on this backend's database. Every call is a new connection, as another process (or
    // another machine) would have: what one store committed, the next one reads.
    virtual dcm::Result<std::unique_ptr<dcm::RequestStorePort>> open() = 0;
    // The lease of request `id`, read around the store; nullopt when the request is not stored.
    virtual std::optional<Lease> lease(const QUuid& id) = 0;
    // The spec of request `id` exactly as stored.
    virtual QByteArray rawSpec(const QUuid& id) = 0;
    // Overwrites the stored spec of `id` with `bytes`, as damage on disk or a bad hand edit would;
    // false when this adapter cannot (the quarantine cases then skip).
    virtual bool damageSpec(const QUuid& id, const QByteArray& bytes) = 0;
};

class RequestStoreContract final : public QObject
{
    Q_OBJECT

public:
    using BackendFactory = std::function<std::unique_ptr<RequestStoreContractBackend>()>;
    explicit RequestStoreContract(BackendFactory makeBackend, QObject* parent = nullptr);
    ~RequestStoreContract() override;

private Q_SLOTS:
    void init();
    void cleanup();

    void roundTripKeepsEveryFieldAndTheHistory();
    void roundTripKeepsEveryFieldOfAFullRequest();
    void operationsRoundTripTheirKindTargetAndSentCall();
    void aCloneKeepsItsStepBatchAndGuestThroughUpdates();
    void getUnknownIdIsEmpty();
    void insertIsCommittedAndLeasedToItsSubmitter();
    void insertWithDuplicateIdIsRefused();
    void updateAppendsOnlyTheNewEvents();
    void updateConflictsWhenTheStateMoved();
    void updateConflictsWhenTheHistoryMovedOnUnderTheSameState();
    void updateOfAnUnknownRequestIsNotFound();
    void listFilters_data();
    void listFilters();
    void countByStateCountsEveryState();
    void claimTakesDueRequestsOldestFirst();
    void claimTakesAtMostMaxCount();
    void leasesAreExclusiveUntilTheyExpire();
    void submittedRequestWithALapsedLeaseIsClaimable();
    void renewExtendsAndReleaseFrees();
    void takeOverClaimsInFlightRequestsWithExpiredLeases();

    void anUnreadableSpecIsListedAsFailedAndKept();
    void aClaimNeverLeavesHealthyRequestsStuckBehindAnUnreadableOne();
    void aTakeOverSkipsAnUnreadableRequest();
    void anUnreadableRequestIsNeverOverwritten();

    void insertAllStoresTheBatchWithQueuedOnesUnclaimed();
    void insertAllIsAllOrNothing();
    void updateAndReleaseWritesAndGivesTheLeaseUp();
    void updateAndReleaseChangesNothingWhenItLoses();
    void aRelaxedSettlingWriteIsSeenByOtherConnectionsAtOnce();
    void claimAndStartWritesTheFirstStepInTheClaim();
    void claimAndStartIsAllOrNothing();
    void pagesByCursorCoverTheListingWithoutGapsOrRepeats_data();
    void pagesByCursorCoverTheListingWithoutGapsOrRepeats();
    void aCursorOfAnUnknownRequestStartsBeforeItsTime();
    void countMatchingCountsEveryPageOfTheFilter();
    void aSearchCanMatchTheStartOfTheBatchId();

private:
    QString leaseOwner(const QUuid& id);
    QDateTime leaseUntil(const QUuid& id);

    BackendFactory m_makeBackend;
    std::unique_ptr<RequestStoreContractBackend> m_backend;
    std::unique_ptr<dcm::RequestStorePort> m_store;
};
