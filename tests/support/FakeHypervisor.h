#pragma once

#include <algorithm>

#include "domain/ports/HypervisorPort.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QQueue>
#include <QThread>

#include <functional>

// A scriptable HypervisorPort for service and GUI tests. Answers are delivered asynchronously on the
// owning thread's event loop, as the real adapter does. By default every call succeeds; a test can:
//  - make the hypervisor unreachable (every call fails Transient "connection-refused");
//  - queue scripted outcomes per method (the next call of that method takes the next one);
//  - hold calls open and complete them by hand (in-flight states);
//  - report a running provision's progress, as vCenter reports its task's, through the ProgressFn the
//    caller handed in;
//  - read back what was called and which VMs exist (keyed by request id, as findByRequestKey is: it
//    answers with the VM created for that request, as vCenter finds a VM by the key written into it).
//
// Every VM it creates (provision or clone) lives in a small model that the step calls act on, as
// vCenter's would: its power state; a customization sent to a powered-off VM waits in
// pendingCustomization and is applied (and counted) at the next boot; once a VM runs, its guest reports
// a host name and an address (from the applied customization, or the guest's own); destroy removes it.
class FakeHypervisor final : public QObject, public dcm::HypervisorPort
{
    Q_OBJECT

public:
    enum class Method
    {
        Connect,
        Disconnect,
        About,
        Probe,
        Inventory,
        Provision,
        FindByRequestKey,
        Clone,
        Customize,
        Operate,
        ReadStateByKey,
        ReadState,
        ListVms,
    };

    // What a scripted call does besides answering.
    enum class Effect
    {
        None,     // answer only: the call did nothing
        CreateVm, // provision/clone: the VM is created (use with an error answer for the lost reply)
        // Any call: it took effect as a successful one would (a clone creates its VM, a customization
        // waits for the next boot, a power-on boots the VM), then the error answers: the lost reply.
        TookEffect,
    };

    // One VM of the model, as a test reads it back.
    struct FakeVm
    {
        dcm::VmRef vm;
        QUuid requestId;
        dcm::VmSpec spec;    // as ordered (provision or clone)
        bool cloned = false; // made by clone(), not provision()
        QString pendingCustomization;
        dcm::GuestCustomization pendingSpec; // what pendingCustomization will apply
        int customizationsAccepted = 0;      // customize() calls that took effect on this VM
        int customizationsApplied = 0;       // boots that applied a pending customization
        int powerOns = 0;                    // boots
        dcm::GuestCustomization applied;     // the last customization applied
        int guestReadsUntilIdentity = 0;     // readState answers before the guest reports itself
        QString guestHostName;
        QString ipAddress;
    };

    explicit FakeHypervisor(QObject* parent = nullptr);

    dcm::CallId connectTo(const dcm::ConnectionSettings& settings, Done<dcm::AboutInfo> done) override;
    dcm::CallId disconnectFrom(Done<void> done) override;
    dcm::CallId about(Done<dcm::AboutInfo> done) override;
    dcm::CallId probe(Done<QDateTime> done) override;
    dcm::CallId inventory(dcm::InventoryKinds kinds, Done<dcm::InventorySnapshot> done) override;
    dcm::CallId provision(const dcm::ProvisionOrder& order, ProgressFn progress,
                          Done<dcm::ProvisionOutcome> done) override;
    dcm::CallId findByRequestKey(const QUuid& requestId, Done<std::optional<dcm::VmRef>> done) override;
    // Clone fails Business "not-found" when order.spec.templateName is not among the inventory's
    // templates (by name or path); customize fails Business "invalid-power-state" on a running VM, as
    // CustomizeVM_Task does; operate refuses what vCenter refuses (power on a running VM, destroy a
    // running one, guest operations without a running guest); unknown morefs fail Business "not-found".
    dcm::CallId clone(const dcm::ProvisionOrder& order, ProgressFn progress, Done<dcm::ProvisionOutcome> done) override;
    dcm::CallId customize(const QString& vmRef, const dcm::VmSpec& spec, Done<void> done) override;
    dcm::CallId operate(const QString& vmRef, dcm::VmOperation operation, Done<void> done) override;
    dcm::CallId readStateByKey(const QUuid& requestId, Done<std::optional<dcm::VmState>> done) override;
    dcm::CallId readState(const QString& vmRef, Done<std::optional<dcm::VmState>> done) override;
    void cancel(dcm::CallId call) override;
    // The inventory's VMs in pages of listPageSize(), each field as stored (the fake reads no property
    // paths). A scripted failure (failNext(ListVms, …)) breaks the listing after its first page, as a
    // reply that fails midway does.
    dcm::CallId listVms(dcm::VmFields fields, VmPageFn onPage, Done<int> done) override;
    void setListPageSize(int size) { m_listPageSize = std::max(1, size); }
    int listPageSize() const { return m_listPageSize; }

    // --- scripting
    void setUnreachable(bool unreachable) { m_unreachable = unreachable; }
    // The next calls of `method` fail with `error` (count times); with an effect, the call also does
    // what the effect says before the error answers (see Effect).
    void failNext(Method method, const dcm::Error& error, int count = 1, Effect effect = Effect::None);
    // Calls stay open until completeHeld() (in call order) or the test inspects them.
    void setHoldCalls(bool hold) { m_hold = hold; }
    int heldCount() const { return int(m_held.size()); }
    // Delivers the oldest held call as it would have been answered.
    bool completeHeld();
    // The process that made the calls still open died (a crash): completing them afterwards still does
    // what they do at vCenter, but their answers reach nobody.
    void forgetCallers() { ++m_callerGeneration; }
    // The provision or clone of `requestId` that has not answered yet (held, or about to answer) reports task
    // progress to its caller. False when no such call is open.
    bool reportProgress(const QUuid& requestId, int percent, const QString& stage);
    void completeAllHeld();
    void setInventory(const dcm::InventorySnapshot& snapshot) { m_inventory = snapshot; }
    const dcm::InventorySnapshot& inventorySnapshot() const { return m_inventory; }
    // Removes the template (name or path) from the inventory the next calls see.
    void removeTemplate(const QString& name);
    // Guests (of the VMs there and to come) report their identity only after this many readState
    // answers once they run (0: at once; -1: never, as a guest without VMware Tools).
    void setGuestIdentityAfterReads(int reads);
    // Calls made and not answered yet (held, or about to answer on the event loop): a test waits for 0.
    int unanswered() const { return m_unanswered; }

    // --- read-back
    int calls(Method method) const { return m_calls.value(method); }
    int totalCalls() const;
    const QList<dcm::ProvisionOrder>& provisionOrders() const { return m_orders; }
    // VMs created, per request key; a duplicate would show as a count above 1.
    int vmCountFor(const QUuid& requestId) const { return int(m_vmsByRequest.value(requestId).size()); }
    QList<dcm::VmRef> vmsFor(const QUuid& requestId) const { return m_vmsByRequest.value(requestId); }
    int vmCount() const;
    // The model's VM for a request key (the first one, as readStateByKey answers), or nullptr.
    const FakeVm* vmFor(const QUuid& requestId) const;
    const FakeVm* vmByRef(const QString& ref) const;
    // Clones ever made for a request key (a destroyed one still counts): exactly once means 1.
    int clonesFor(const QUuid& requestId) const { return m_clonesByRequest.value(requestId); }
    QList<dcm::VmOperation> operationsOn(const QString& ref) const { return m_operations.value(ref); }
    const dcm::ConnectionSettings& lastSettings() const { return m_settings; }
    // The thread the latest call came from (the service's).
    QThread* lastCallThread() const { return m_lastCallThread; }
    QList<dcm::CallId> cancelled() const { return m_cancelled; }

    // A small inventory with one datacenter "DC0", cluster "C0", datastore "ds1", networks "VM Network"
    // and "DC0_DVPG0", template "ubuntu-tpl" (2 CPUs, 2048 MiB, one 10 GiB disk, one NIC) and saved
    // customization specs "linux-dhcp" (Linux) and "win-domain" (Windows).
    static dcm::InventorySnapshot sampleInventory();

    // Watches (only after setWatchable(true); otherwise refused as unsupported, like an adapter without
    // notifications): the first delta (full, the VMs of setInventory()) and every pushed one are
    // delivered later from the event loop; disconnectFrom() and stopWatching() end them (Cancelled).
    void setWatchable(bool watchable) { m_watchable = watchable; }
    dcm::CallId watchInventory(dcm::InventoryKinds kinds, InventoryChangeFn onChange, Done<void> ended) override;
    void stopWatching(dcm::CallId watch) override;
    void pushInventoryDelta(const dcm::InventoryDelta& delta);
    int watchCount() const { return int(m_watches.size()); }
    int watchesStarted() const { return m_watchesStarted; }

private:
    struct Script
    {
        dcm::Error error;
        Effect effect = Effect::None;
    };
    std::optional<Script> takeScript(Method method);
    dcm::CallId dispatch(Method method, std::function<void()> answer);
    // `done`, unless forgetCallers() was called after this call was made.
    ProgressFn guard(ProgressFn progress)
    {
        if (!progress)
            return progress;
        return
            [this, generation = m_callerGeneration, progress = std::move(progress)](const dcm::ProvisionProgress& p) {
                if (generation == m_callerGeneration)
                    progress(p);
            };
    }
    template <class T> Done<T> guard(Done<T> done)
    {
        return [this, generation = m_callerGeneration, done = std::move(done)](dcm::Result<T> r) {
            if (generation == m_callerGeneration)
                done(std::move(r));
        };
    }
    dcm::VmRef createVm(const dcm::ProvisionOrder& order, bool cloned);
    std::optional<dcm::Error> applyCustomize(const QString& ref, const dcm::VmSpec& spec);
    std::optional<dcm::Error> applyOperation(const QString& ref, dcm::VmOperation operation);
    void boot(FakeVm& vm);
    dcm::VmState stateOf(const FakeVm& vm, bool guestRead);
    bool hasTemplate(const QString& name) const;

    bool m_unreachable = false;
    bool m_hold = false;
    dcm::CallId m_nextCall = 1;
    QHash<Method, int> m_calls;
    QHash<Method, QQueue<Script>> m_scripts;
    QList<std::pair<dcm::CallId, std::function<void()>>> m_held;
    QList<dcm::ProvisionOrder> m_orders;
    QHash<QUuid, QList<dcm::VmRef>> m_vmsByRequest;
    QHash<QString, FakeVm> m_vms; // by moref
    QHash<QUuid, int> m_clonesByRequest;
    QHash<QString, QList<dcm::VmOperation>> m_operations;
    int m_guestIdentityAfterReads = 0;
    int m_callerGeneration = 0;
    int m_unanswered = 0;
    QHash<QUuid, ProgressFn> m_openProvisions; // by request: the progress callback of a call not answered yet
    dcm::InventorySnapshot m_inventory;
    int m_listPageSize = 2;
    dcm::ConnectionSettings m_settings;
    QList<dcm::CallId> m_cancelled;
    int m_vmSerial = 100;
    QThread* m_lastCallThread = nullptr;
    struct Watch
    {
        InventoryChangeFn onChange;
        Done<void> ended;
    };
    QHash<dcm::CallId, Watch> m_watches;
    int m_watchesStarted = 0;
    bool m_watchable = false;
    void endWatches(const QString& why);
};
