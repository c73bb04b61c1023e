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
// {folder, pool, datastore, datastoreName, network, networkName, vmName, requestId}
inline const QString kPlacementTargets = QStringLiteral("the placement targets of a new VM exist");
// A powered-off VM made as the console makes them. {vm, vmName, requestId, task = its CreateVM task}
inline const QString kConsoleVm = QStringLiteral("a VM created by the console exists");
// The same, then powered on. {vm, task = its PowerOn task}
inline const QString kConsoleVmPoweredOn = QStringLiteral("a VM created by the console was powered on");

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

// findByUuid() minus one element the adapter sends (<instanceUuid>): the negative control that shows
// an element the contract does not name is caught. Never written into the pact.
bool findByUuidWithoutInstanceUuidFlag(PactHandle pact);

} // namespace VimContract
