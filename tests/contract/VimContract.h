#pragma once

#include "PactFfi.h"

#include <QString>
#include <QStringList>

// The vim25 contract between the console (consumer `dcm-console`) and vCenter (provider `vcenter`):
// every request the vSphere adapter sends, written out by hand from the vim25 WSDL, with the reply
// the adapter relies on. Consumer tests register the interactions a scenario needs on a mock server;
// the provider test replays all of them against a vCenter (the bundled simulator) and sets up the
// provider states below through its control API and the vim25 API.
//
// Values that differ between vCenters (session keys, morefs, UUIDs, versions, times, progress) carry
// matchers in replies and provider-state generators in requests, so the same pact verifies against
// any conforming vCenter. Adding an interaction: docs/CONTRACTS.md.
namespace VimContract {

// Provider states, in the order an interaction lists them. Values in braces are what the provider
// returns for the request's generators.
inline const QString kUserExists = QStringLiteral("the console's user exists"); // {userName, password}
inline const QString kLoggedIn = QStringLiteral("the console is logged in");    // {sessionCookie}
// {sessionCookie} of a session the server has ended since.
inline const QString kSessionEnded = QStringLiteral("the console's session has ended on the server");
// Param "contents" (an InventoryView name): a view in the current session whose first objects are
// those the interaction's reply lists. {view}
inline const QString kViewExists = QStringLiteral("a container view exists");
// {folder, pool, datastore, datastoreName, network, networkName, vmName, requestId, datacenter}
inline const QString kPlacementTargets = QStringLiteral("the placement targets of a new VM exist");
// A powered-off VM made as the console makes them. {vm, vmName, requestId, task = its CreateVM task}
inline const QString kConsoleVm = QStringLiteral("a VM created by the console exists");
// The same, then powered on. {vm, task = its PowerOn task}
inline const QString kConsoleVmPoweredOn = QStringLiteral("a VM created by the console was powered on");
// The same, powered on and then off again. {vm, task = its PowerOff task}
inline const QString kConsoleVmPoweredOff = QStringLiteral("a VM created by the console was powered on and off");
// The same, powered on and then reset. {vm, task = its Reset task}
inline const QString kConsoleVmReset = QStringLiteral("a VM created by the console was powered on and reset");
// The same, destroyed. {vm (gone), task = its Destroy task}
inline const QString kConsoleVmDestroyed = QStringLiteral("a VM created by the console was destroyed");
// A template in a folder of its own: a paravirtual SCSI controller (key 1000), a thin disk (2000) and a
// vmxnet3 NIC (4000, "Network adapter 1", PCI unit 7) on the first standard network.
// {template, templateName, datacenter}
inline const QString kTemplateExists = QStringLiteral("a template exists");
// A powered-off clone of that template carrying a request key (instance UUID and extraConfig), beside it.
// {vm, vmName, requestId, task = its CloneVM task}
inline const QString kCloneExists = QStringLiteral("a powered-off clone of a template carrying a request key exists");
// That clone, customized for Linux (CustomizeVM_Task) and not powered on since: the customization is
// pending. {vm, task = its CustomizeVM task}
inline const QString kCloneCustomized = QStringLiteral("the clone has a pending guest customization");
// A CreateVM task of the console that is still running (the simulator holds it for a few seconds
// through its task delay). {vm, vmName, requestId, task}
inline const QString kCreateTaskRunning = QStringLiteral("a CreateVM task of the console is running");
// A PropertyCollector of the console's own, in its session. {collector}
inline const QString kCollectorExists = QStringLiteral("the console has a property collector");
// On that collector, a filter on the running CreateVM task's state (as the adapter makes it), nothing
// waited for yet. {collector, filter, task}
inline const QString kTaskFiltered =
    QStringLiteral("the console's property collector has a filter on the running task");
// The same after one WaitForUpdatesEx without a version (the full state read). {collector, filter,
// task, version}
inline const QString kTaskFilterRead = QStringLiteral("the filter on the running task has been read once");
// A Linux customization specification saved in vCenter (the simulator ships it). {specName}
inline const QString kCustomizationSpecExists = QStringLiteral("a Linux customization specification is saved");

// The examples the mock server answers with: what consumer tests may assert on.
inline const QString kApiVersion = QStringLiteral("6.5");
inline const QString kSessionCookie = QStringLiteral("vmware_soap_session=52e1b7c2-3f4a-4bcb-9d1e-6a0d2f5c8e91");
inline const QString kUser = QStringLiteral("dcm-operator@vsphere.local");
inline const QString kPassword = QStringLiteral("example-password");
inline const QString kWrongPassword = QStringLiteral("not-the-password");
inline const QString kInstanceUuid = QStringLiteral("8c1c6f4e-7ad4-4e3b-a0b5-4f8f0c6c7a21");
inline const QString kCurrentTime = QStringLiteral("2026-03-14T09:26:53.589793Z");
inline const QString kView = QStringLiteral("session[52e1b7c2-3f4a-4bcb-9d1e-6a0d2f5c8e91]52c7a0a3-9d5e-4f0e-8d3b-"
                                            "1f2a3b4c5d6e");
inline const QString kCreateTask = QStringLiteral("task-101");
inline const QString kPowerOnTask = QStringLiteral("task-102");
inline const QString kNewVm = QStringLiteral("vm-201");
inline const QString kNewVmName = QStringLiteral("pact-web-01");
inline const QString kRequestId = QStringLiteral("3d9f1a6e-2b7c-4e58-9a41-0c6b8e2f7d35");
inline const QString kTemplateVm = QStringLiteral("vm-150");
inline const QString kTemplateName = QStringLiteral("pact-template");
inline const QString kCloneVm = QStringLiteral("vm-301");
inline const QString kCloneName = QStringLiteral("pact-app-01");
inline const QString kCloneRequestId = QStringLiteral("6a1e0c3b-94d2-4f7a-8b15-2c9e7d4f0a86");
inline const QString kCloneTask = QStringLiteral("task-201");
inline const QString kCustomizeTask = QStringLiteral("task-202");
inline const QString kPowerOffTask = QStringLiteral("task-103");
inline const QString kResetTask = QStringLiteral("task-104");
inline const QString kDestroyTask = QStringLiteral("task-105");
inline const QString kSavedSpecName = QStringLiteral("vcsim-linux-static");
inline const QString kCollector = QStringLiteral("session[52e1b7c2-3f4a-4bcb-9d1e-6a0d2f5c8e91]7f3e2c1a-"
                                                 "5b6d-4e8f-9a0b-1c2d3e4f5a6b");
inline const QString kTaskFilter = QStringLiteral("session[52e1b7c2-3f4a-4bcb-9d1e-6a0d2f5c8e91]0a9b8c7d-"
                                                  "6e5f-4a3b-2c1d-0e9f8a7b6c5d");
inline const QString kFirstVersion = QStringLiteral("1");
inline const QString kUnknownRequestId = QStringLiteral("0f6b1f2e-58a4-4c1e-9a57-3a7f3c2d9e10");

// Inventory reads, each a ContainerView of some types below the root folder and one
// RetrievePropertiesEx through it with the property paths the adapter asks for.
enum class InventoryView
{
    DatacentersAndFolders, // inventory(Datacenters | Folders)
    Clusters,              // inventory(Clusters)
    ResourcePools,         // inventory(ResourcePools)
    Hosts,                 // inventory(Hosts)
    Datastores,            // inventory(Datastores)
    Networks,              // inventory(Networks)
    Vms,                   // inventory(Vms)
    Placement,             // provision(): everything but VMs, to resolve the spec's names
    RequestKeyScan,        // findByRequestKey() when FindByUuid finds nothing: every VM's extraConfig
    Templates,             // inventory(Templates): which VMs are templates (networks name their portgroups)
    TemplateSource,        // clone(): the datacenter's VMs, to find the source by name
};
// The provider state's "contents" parameter for a view, e.g. "datastores".
QString viewName(InventoryView view);
QList<InventoryView> allViews();

// Each adds one interaction to `pact`; false if pact_ffi refused part of it.
bool serviceVersions(PactHandle pact);
bool retrieveServiceContent(PactHandle pact);
bool login(PactHandle pact);
bool loginRejected(PactHandle pact);
bool logout(PactHandle pact);
bool currentTime(PactHandle pact);
bool currentTimeOnEndedSession(PactHandle pact);
bool createContainerView(PactHandle pact, InventoryView view);
bool retrieveThroughView(PactHandle pact, InventoryView view);
bool destroyView(PactHandle pact);
bool createVm(PactHandle pact);
bool createTaskRunning(PactHandle pact);
bool createTaskSucceeded(PactHandle pact);
bool powerOnVm(PactHandle pact);
bool powerOnTaskSucceeded(PactHandle pact);
bool readNewVm(PactHandle pact);
bool findByUuid(PactHandle pact);
bool findByUuidNothing(PactHandle pact);

// Templates and saved customization specifications.
bool templateDetails(PactHandle pact);       // inventory(Templates): the details of each template
bool customizationSpecInfo(PactHandle pact); // inventory(CustomizationSpecs): CustomizationSpecManager.info
// clone(): the source's devices, CloneVM_Task, its task, the clone read back.
bool templateDevices(PactHandle pact);
bool cloneVm(PactHandle pact);
bool cloneTaskSucceeded(PactHandle pact);
bool readClone(PactHandle pact);
// customize(): typed Linux settings, or a saved specification read by name and sent back as it came.
bool customizeLinux(PactHandle pact);
bool getCustomizationSpec(PactHandle pact);
bool customizeSaved(PactHandle pact);
bool customizeTaskSucceeded(PactHandle pact);
// operate() on the console's VM (PowerOnVM_Task: powerOnVm() and powerOnTaskSucceeded()).
bool powerOffVm(PactHandle pact);
bool powerOffTaskSucceeded(PactHandle pact);
bool shutdownGuest(PactHandle pact);
bool resetVm(PactHandle pact);
bool resetTaskSucceeded(PactHandle pact);
bool destroyVm(PactHandle pact);
bool destroyTaskSucceeded(PactHandle pact);
// readState(): the state of the customized clone.
bool readVmState(PactHandle pact);

// The update channel following the running CreateVM task (tasksByUpdates): the collector, a filter on
// the task, the full state (the task entering, still running), the change that ends it (success, the
// new VM as result), the filter destroyed; the collector destroyed at disconnect.
bool createPropertyCollector(PactHandle pact);
bool createTaskFilter(PactHandle pact);
bool waitForTaskEnter(PactHandle pact);
bool waitForTaskModify(PactHandle pact);
bool destroyTaskFilter(PactHandle pact);
bool destroyPropertyCollector(PactHandle pact);

// What connectTo() exchanges: service versions, ServiceContent, Login.
bool connectSequence(PactHandle pact);
// CreateContainerView, RetrievePropertiesEx through it, DestroyView.
bool inventoryRead(PactHandle pact, InventoryView view);

// The VM spec behind createVm(): what a consumer test passes to provision().
struct NewVm
{
    QString name;
    int cpus;
    int memoryMiB;
    qint64 diskMiB;
    QString datacenter;
    QString cluster;
    QString datastore;
    QString network;
};
NewVm newVm();

// The clone behind cloneVm(): kTemplateName into kCloneName with these, in the placement of newVm().
struct CloneOrder
{
    int cpus = 4;
    int coresPerSocket = 2;
    int memoryMiB = 4096;
    qint64 dataDiskMiB = 2048; // added after the template's disk, thin
    QString cloneDiskFormat = QStringLiteral("thin");
    QString secondNicAdapter = QStringLiteral("e1000e"); // the template's NIC is reconnected, this one added
};
// The typed Linux customization behind customizeLinux() (one NIC, a fixed address).
struct LinuxCustomization
{
    QString hostName = QStringLiteral("app-01");
    QString domain = QStringLiteral("example.test");
    QString timeZone = QStringLiteral("Europe/Berlin");
    QString address = QStringLiteral("10.0.0.10");
    int prefixLength = 24;
    QString gateway = QStringLiteral("10.0.0.1");
    QString dnsServer = QStringLiteral("10.0.0.2");
    QString dnsSuffix = QStringLiteral("example.test");
};

// findByUuid() minus one element the adapter sends (<instanceUuid>): the negative control that shows
// an element the contract does not name is caught. Never written into the pact.
bool findByUuidWithoutInstanceUuidFlag(PactHandle pact);

} // namespace VimContract
