#pragma once

#include "domain/ProvisioningRequest.h"
#include "domain/RequestState.h"
#include "domain/Result.h"

#include <functional>
#include <optional>

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QString>
#include <QUuid>

namespace dcm {

// Where a page of a listing ended: the last request shown (its createdAt and id). The next page is
// what comes after it in the listing's order — createdAt, then insertion order for equal times — read
// by key, not by skipping rows, so that the 200th page costs what the first does.
struct RequestCursor
{
    QDateTime createdAt;
    QUuid id; // a request not stored (any more): the page starts strictly before createdAt
};

struct RequestFilter
{
    QList<RequestState> states; // empty: every state
    QString nameContains;       // case-insensitive part of the VM name; empty: any name
    int limit = 0;              // at most this many, newest first (by createdAt); 0: no limit
    QDateTime updatedAfter;     // only requests written after this (UTC); null: any
    // Only requests listed after this one (the next page); none: from the newest.
    std::optional<RequestCursor> olderThan{};
    // nameContains also matches the start of the batch id ("3f2a9c01"), as the console's search does.
    bool nameOrBatch{false};
};

// How durable a write must be when it returns.
enum class Durability
{
    // Committed and synced (SQLite synchronous=FULL, PostgreSQL synchronous_commit=on): it survives a
    // power cut. Every write is this unless the contract of the method says otherwise.
    Synced,
    // Committed — visible to every connection at once, and it survives the process dying — but the
    // commit does not wait for its own sync: a power cut or an OS crash may lose it until the next
    // synced commit (which makes it durable too: both databases sync their log in order). Allowed
    // only for a write whose loss the queue repairs by itself with the same outcome; see
    // updateAndRelease.
    Relaxed,
};

// Where requests live. Synchronous: it runs on the service thread (SQLite now; PostgreSQL when several
// consoles share a queue), never on the GUI thread. Every method returns at once with a Result; no
// exception crosses it.
//
// Times are wall-clock UTC: leases are compared across processes (and later across machines), which a
// monotonic clock cannot do. Rows are never deleted.
//
// Claims: a service drives a request only while it holds the request's lease (owner + expiry). A claim
// is taken atomically, so two services on one database never drive the same request; a service that
// dies lets its leases expire, and another takes its requests over.
//
// A stored request that cannot be read back (its spec or history damaged) never blocks the others: it
// is quarantined — listed and got as FAILED (one already PROVISIONED or CANCELLED keeps that state),
// its last error "stored spec unreadable: …" (or "stored request unreadable: …"), its stored content
// and history kept as they are — and never handed out. The first list, get, claim or take-over that
// meets it records it FAILED (from then on it is counted so too); a claim hands over the healthy rest
// of its batch. update() refuses to overwrite it.
//
// Errors: ErrorKind::Storage, code "storage" for the database itself, "conflict" when an optimistic
// update lost ("the request moved meanwhile"), "not-claimed" when a lease is not held by the caller,
// "duplicate-id" on insert, "not-found" when update() names a request that is not stored,
// "stored-request-unreadable" when update() names a quarantined one, and "disk-full" (ErrorCode::DiskFull)
// when the disk holding the queue has no space left: nothing was written, nothing acknowledged is lost,
// and the store works again by itself once space is freed.
//
// The breaker's transitions are kept by BreakerLogPort, not here.
class RequestStorePort
{
public:
    virtual ~RequestStorePort() = default;

    // Durable (committed and synced) before it returns: only then may the operator be told "accepted".
    // The request is born claimed by `owner` until `leaseUntil`, so that its submitter drives it first;
    // pass an empty owner to leave it for whoever drains the queue.
    virtual Result<void> insert(const ProvisioningRequest& request, const QString& owner,
                                const QDateTime& leaseUntil) = 0;

    // Writes the whole request (its new history events appended) if the stored one is still in
    // `expectedState`; else "conflict" and nothing changes. The expected state is the compare-and-set
    // that lets an operator's cancel and the drain's dispatch race safely: exactly one wins.
    virtual Result<void> update(const ProvisioningRequest& request, RequestState expectedState) = 0;

    virtual Result<std::optional<ProvisioningRequest>> get(const QUuid& id) = 0;
    virtual Result<QList<ProvisioningRequest>> list(const RequestFilter& filter) = 0;
    virtual Result<QMap<RequestState, int>> countByState() = 0;

    // Claims up to maxCount requests that are due — QUEUED_FOR_PROVISIONING with nextAttemptAt <= now
    // (or none), and SUBMITTED ones whose submitter let its lease lapse — and hold no live lease; oldest
    // (createdAt) first. Their state is unchanged: the caller transitions and update()s them.
    virtual Result<QList<ProvisioningRequest>> claimNext(const QString& owner, const QDateTime& leaseUntil,
                                                         const QDateTime& now, int maxCount) = 0;
    // Extends a lease the caller holds; "not-claimed" if it expired and someone else took the request.
    virtual Result<void> renewLease(const QUuid& id, const QString& owner, const QDateTime& leaseUntil) = 0;
    // Gives a lease up (the request stays as it is); no error if the caller no longer holds it.
    virtual Result<void> releaseClaim(const QUuid& id, const QString& owner) = 0;
    // Claims for `owner` the PROVISIONING and RECONCILING requests whose lease expired before `now`:
    // their driver died mid-flight, so the caller must reconcile them (look the VM up by request key)
    // before anything is sent again. Claiming in the same step keeps two survivors from both taking over.
    virtual Result<QList<ProvisioningRequest>> takeOverExpired(const QString& owner, const QDateTime& leaseUntil,
                                                               const QDateTime& now) = 0;

    // True when another connection (another console, dcmctl, a drainer) committed since the last call:
    // a cheap question asked every second, so that a view follows others' writes by reading only what
    // changed (list with updatedAfter). An adapter that cannot tell answers false.
    virtual Result<bool> othersWrote() { return false; }

    // Stores a batch in one transaction: every request durable (committed and synced) before it returns,
    // or none of them (the first refusal — an invalid request, "duplicate-id", the database — is the
    // answer). One commit for the batch, so a batch of 50 is acknowledged at the cost of one sync, not 50.
    // A request stored as QUEUED_FOR_PROVISIONING is written unclaimed: it waits for whoever drains
    // (its submitter included), so claiming it only to release it again would cost two more commits.
    // Every other request is born claimed by `owner` until `leaseUntil`, as insert() does (an empty
    // owner leaves them all unclaimed). An empty list stores nothing and succeeds.
    virtual Result<void> insertAll(const QList<ProvisioningRequest>& requests, const QString& owner,
                                   const QDateTime& leaseUntil) = 0;

    // update(), and in the same transaction gives up `owner`'s lease on the request (no error if the
    // caller no longer holds it): the write that settles a request, or puts it back in the queue, frees
    // it for the next claim without a commit of its own. On any refusal ("conflict", "not-found", …)
    // nothing changes, the lease included.
    //
    // `durability` Relaxed is allowed for one write only: a provisioning request (kind provision, not a
    // clone step, not an operation on a VM) going PROVISIONING -> PROVISIONED after its create call
    // succeeded. If that write is lost in a power cut the request is found PROVISIONING with a lapsed
    // lease, and whoever takes it over looks the VM up by the request key before sending anything
    // (takeOverExpired), finds it and records PROVISIONED: the same outcome, and nothing is created
    // twice. Every other write is Synced: losing a FAILED, a cancel, a queued-again, an operation's
    // outcome or a clone's step could mislead the operator or repeat work.
    virtual Result<void> updateAndRelease(const ProvisioningRequest& request, RequestState expectedState,
                                          const QString& owner, Durability durability = Durability::Synced) = 0;

    // What a claim writes next for one request it hands out, decided by the caller inside the claim's
    // transaction: the request as it is to be stored (its state moved and its history appended) or
    // nullopt to hand it out as it was claimed. Called once per claimed request, oldest first.
    using ClaimStart = std::function<std::optional<ProvisioningRequest>(const ProvisioningRequest& claimed)>;

    // claimNext(), and in the same transaction (one synced commit) update() of every request `start`
    // returned, compared with the state it was claimed in: the drain's claim and its first write — the
    // PROVISIONING written before the call goes out — cost one sync instead of two per request. Returns
    // the claimed requests, those `start` moved as written. All or nothing: on any refusal nothing is
    // claimed and nothing written (the caller takes back whatever it decided in `start`).
    virtual Result<QList<ProvisioningRequest>> claimAndStart(const QString& owner, const QDateTime& leaseUntil,
                                                             const QDateTime& now, int maxCount,
                                                             const ClaimStart& start) = 0;

    // How many requests the filter matches, all pages together (its limit and olderThan are ignored):
    // "500 of 100,000". An adapter that cannot count in place lists and counts.
    virtual Result<int> countMatching(const RequestFilter& filter)
    {
        RequestFilter all = filter;
        all.limit = 0;
        all.olderThan.reset();
        auto listed = list(all);
        if (!listed)
            return listed.error();
        return int(listed.value().size());
    }
};

} // namespace dcm
