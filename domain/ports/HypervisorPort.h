#pragma once

#include "domain/Inventory.h"
#include "domain/Result.h"
#include "domain/VmSpec.h"

#include <QDateTime>
#include <QString>
#include <QUrl>
#include <QUuid>

#include <chrono>
#include <functional>
#include <optional>

namespace dcm {

struct ConnectionSettings
{
    QUrl server; // e.g. https://vcenter.example.com/sdk
    QString user;
    QString password;   // kept in memory only, for login and one transparent re-login
    QString thumbprint; // pinned SHA-256 of the server certificate ("AB:CD:.."); empty = system CA verification
    std::chrono::milliseconds callTimeout{30000};
};

struct AboutInfo
{
    QString name;     // "VMware vCenter Server"
    QString fullName; // "VMware vCenter Server 6.5.0 build-5973321"
    QString vendor;
    QString version;
    QString build;
    QString apiType; // "VirtualCenter" or "HostAgent"
    QString apiVersion;
    QString instanceUuid;
};

struct ProvisionOrder
{
    QUuid requestId; // idempotency key: written into the VM (instance UUID and extraConfig dcm.requestId)
    VmSpec spec;
};

struct VmRef
{
    QString ref; // moref, e.g. "vm-42"
    QString name;
    QString instanceUuid;
    QString powerState; // "poweredOn", "poweredOff", "suspended"
};

// A VM as the service reads it to know which steps of a provisioning or a lifecycle operation are
// done, so that after a lost reply or a crash it continues instead of repeating one.
struct VmState
{
    VmRef vm;
    QString requestId;            // extraConfig "dcm.requestId"; empty when not ours
    bool isTemplate = false;      // config.template
    QString pendingCustomization; // config.tools.pendingCustomization: a customization waits for the next boot
    QString toolsRunningStatus;   // guest.toolsRunningStatus ("guestToolsRunning", ...)
    QString guestHostName;        // guest.hostName, once the guest reports it
    QString ipAddress;            // guest.ipAddress, once the guest reports it
};

// Power and decommission, each one vCenter task (or, for the guest operations, one call).
enum class VmOperation
{
    PowerOn,       // PowerOnVM_Task
    PowerOff,      // PowerOffVM_Task (hard)
    ShutdownGuest, // ShutdownGuest (needs VMware Tools; returns before the guest is off)
    RebootGuest,   // RebootGuest (needs VMware Tools)
    Reset,         // ResetVM_Task (hard)
    Destroy,       // Destroy_Task
};

struct ProvisionProgress
{
    QString taskRef;
    int percent = 0; // 0..100
    QString stage;   // "creating", "cloning", "customizing", "powering-on"
};

struct ProvisionOutcome
{
    VmRef vm;
    QString taskRef;
    bool poweredOn = false;
    // False when the VM was created but the last call — reading it back — failed: that call has been
    // reported through the CallGate already, so the operation's success must not also reset the breaker.
    bool readBack = true;
};

using CallId = quint64;

// What HypervisorPort::listVms reads of each VM besides its name, moref and path (parent): every field
// is one more property path per VM in vCenter's reply, so a caller asks only for what it shows.
enum class VmField
{
    PowerState = 0x01,   // runtime.powerState
    Hardware = 0x02,     // config.hardware.numCPU, config.hardware.memoryMB
    GuestId = 0x04,      // config.guestId
    InstanceUuid = 0x08, // config.instanceUuid
    TemplateFlag = 0x10, // config.template (VmInfo::isTemplate)
    RequestId = 0x20,    // config.extraConfig, for dcm.requestId: every option of the VM, the heaviest path
};
Q_DECLARE_FLAGS(VmFields, VmField)
Q_DECLARE_OPERATORS_FOR_FLAGS(VmFields)

// Calls an adapter makes on its own, after the port call that started them returned control to it —
// the polls that follow a vCenter task — pass a gate owned by the caller (the service's breaker). The
// gate is asked before each such call: an empty CallReport means "not now" (the breaker is open; ask
// again later, send nothing); otherwise the call goes out and its outcome is reported exactly once, so
// that every timed-out poll counts as it happens instead of being absorbed by the adapter.
using CallReport = std::function<void(const Error* failure)>;
using CallGate = std::function<CallReport()>;

// The generic intent of a hypervisor, asynchronous. Every method returns at once; `done` is called
// exactly once, later, on the thread that owns the adapter (never from inside the call itself).
// Implementations: hypervisor/vsphere (vim25 SOAP), tests/support FakeHypervisor.
class HypervisorPort
{
public:
    template <class T> using Done = std::function<void(Result<T>)>;
    using ProgressFn = std::function<void(const ProvisionProgress&)>;

    virtual ~HypervisorPort() = default;

    // Negotiates the API version, logs in and keeps the session alive.
    virtual CallId connectTo(const ConnectionSettings& settings, Done<AboutInfo> done) = 0;
    virtual CallId disconnectFrom(Done<void> done) = 0;

    virtual CallId about(Done<AboutInfo> done) = 0;
    // The breaker's scout: one cheap, repeatable call (vSphere: CurrentTime).
    virtual CallId probe(Done<QDateTime> done) = 0;
    virtual CallId inventory(InventoryKinds kinds, Done<InventorySnapshot> done) = 0;
    virtual CallId provision(const ProvisionOrder& order, ProgressFn progress, Done<ProvisionOutcome> done) = 0;
    // At most one VM carries a request key; nullopt when none does.
    virtual CallId findByRequestKey(const QUuid& requestId, Done<std::optional<VmRef>> done) = 0;

    // Clones order.spec.templateName into a powered-off VM that carries the request key like a created
    // one (instance UUID and extraConfig), with the spec's CPUs, memory, extra disks and NICs, no
    // customization and no power-on: those are steps of their own (customize, operate PowerOn), so
    // that each can be checked and resumed by itself.
    virtual CallId clone(const ProvisionOrder& order, ProgressFn progress, Done<ProvisionOutcome> done) = 0;
    // CustomizeVM_Task on a powered-off VM: applied by the guest at its next boot.
    virtual CallId customize(const QString& vmRef, const VmSpec& spec, Done<void> done) = 0;
    virtual CallId operate(const QString& vmRef, VmOperation operation, Done<void> done) = 0;
    // The VM's step-relevant state by request key or by moref; nullopt when no such VM exists (any more).
    virtual CallId readStateByKey(const QUuid& requestId, Done<std::optional<VmState>> done) = 0;
    virtual CallId readState(const QString& vmRef, Done<std::optional<VmState>> done) = 0;
    // Best effort; the call's `done` then reports ErrorKind::Cancelled (or its real outcome if too late).
    virtual void cancel(CallId call) = 0;
    // See CallGate. Without a gate an adapter follows tasks on its own judgement.
    virtual void setCallGate(CallGate gate) { (void)gate; }

    using VmPageFn = std::function<void(QList<VmInfo>&& page)>;
    // Every VM (templates included) with `fields`, handed over page by page as vCenter's answers are
    // decoded (a page: what one reply carried, at most about a thousand VMs): `onPage` runs for each
    // before more is read, so that a caller can write it out and drop it instead of holding 50,000 VMs. `done` runs
    // once: with the number of VMs after the last page, or with the error that stopped the listing — the pages before
    // it were delivered and none comes after, so a caller must not take what it got for the whole inventory. A listing
    // that has delivered a page is never started again on its own (a re-login would deliver VMs twice).
    virtual CallId listVms(VmFields fields, VmPageFn onPage, Done<int> done) = 0;

    // Keeps the inventory's `kinds` current through the hypervisor's own change notifications (vSphere:
    // a PropertyCollector filter and WaitForUpdatesEx, behind the CallGate) instead of reading it again:
    // `onChange` gets a full delta first and again after the watch had to start over (a new session),
    // otherwise only what changed. `ended` is called once, when the watch stops for good: stopWatching
    // or a disconnect (ErrorKind::Cancelled), credentials refused, or a server without notifications
    // (the caller then reads the inventory as before). Kinds supported so far: Vms (templates included).
    // This default is an adapter that cannot watch: it refuses at once, from inside the call.
    using InventoryChangeFn = std::function<void(const InventoryDelta&)>;
    virtual CallId watchInventory(InventoryKinds kinds, InventoryChangeFn onChange, Done<void> ended)
    {
        (void)kinds;
        (void)onChange;
        if (ended)
            ended(Error::make(ErrorKind::Business, QStringLiteral("watch-unsupported"),
                              QStringLiteral("this hypervisor adapter cannot watch the inventory")));
        return 0;
    }
    virtual void stopWatching(CallId watch) { (void)watch; }
};

} // namespace dcm
