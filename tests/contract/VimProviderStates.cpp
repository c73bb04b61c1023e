#include "VimProviderStates.h"

#include <QJsonArray>
#include <QUuid>

#include "VimContract.h"

namespace {

using Ref = VimSetupClient::Ref;

// "Type:value", as VimSetupClient reports a reference-valued property.
Ref refFrom(const QString& property)
{
    const qsizetype colon = property.indexOf(QLatin1Char(':'));
    return colon > 0 ? Ref{property.left(colon), property.mid(colon + 1)} : Ref{};
}

QString shortId()
{
    return QUuid::createUuid().toString(QUuid::Id128).left(8);
}

} // namespace

VimProviderStates::VimProviderStates(Target target)
    : m_target(std::move(target)), m_client(m_target.sdkUrl, m_target.thumbprint)
{}

VimProviderStates::~VimProviderStates()
{
    tearDown();
}

bool VimProviderStates::needSession(QString* error) const
{
    if (m_session.isEmpty()) {
        *error = QStringLiteral("no session: the interaction must list \"%1\" first").arg(VimContract::kLoggedIn);
        return false;
    }
    return true;
}

bool VimProviderStates::setUp(const QString& state, const QJsonObject& params, QJsonObject* values, QString* error)
{
    if (state == VimContract::kUserExists) {
        values->insert(QStringLiteral("userName"), m_target.user);
        values->insert(QStringLiteral("password"), m_target.password);
        return true;
    }
    if (state == VimContract::kLoggedIn || state == VimContract::kSessionEnded) {
        m_session = m_client.login(m_target.user, m_target.password);
        if (m_session.isEmpty()) {
            *error = m_client.lastError();
            return false;
        }
        m_sessions.append(m_session);
        if (state == VimContract::kSessionEnded) {
            // The simulator ends every session at once; on a real vCenter the session logs out.
            if (m_target.control) {
                if (!m_target.control(QStringLiteral("/session/kill"))) {
                    *error = QStringLiteral("the simulator did not end the sessions");
                    return false;
                }
            } else {
                m_client.logout(m_session);
            }
        }
        values->insert(QStringLiteral("sessionCookie"), m_session);
        return true;
    }
    if (state == VimContract::kViewExists)
        return needSession(error) && discover(error) &&
               view(params.value(QStringLiteral("contents")).toString(), values, error);
    if (state == VimContract::kPlacementTargets) {
        if (!needSession(error) || !discover(error))
            return false;
        const QString requestId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        m_requestIds.append(requestId); // the interaction makes this VM: removed at tear-down
        values->insert(QStringLiteral("folder"), m_inventory.vmFolder.value);
        values->insert(QStringLiteral("pool"), m_inventory.clusterPool.value);
        values->insert(QStringLiteral("datastore"), m_inventory.datastore.value);
        values->insert(QStringLiteral("datastoreName"), m_inventory.datastoreName);
        values->insert(QStringLiteral("network"), m_inventory.network.value);
        values->insert(QStringLiteral("networkName"), m_inventory.networkName);
        values->insert(QStringLiteral("vmName"), QStringLiteral("dcm-pact-new-%1").arg(shortId()));
        values->insert(QStringLiteral("requestId"), requestId);
        values->insert(QStringLiteral("datacenter"), m_inventory.datacenter.value);
        return true;
    }
    if (state == VimContract::kConsoleVmPoweredOff)
        return needSession(error) && discover(error) &&
               consoleVmThen({QStringLiteral("PowerOnVM_Task"), QStringLiteral("PowerOffVM_Task")}, values, error);
    if (state == VimContract::kConsoleVmReset)
        return needSession(error) && discover(error) &&
               consoleVmThen({QStringLiteral("PowerOnVM_Task"), QStringLiteral("ResetVM_Task")}, values, error);
    if (state == VimContract::kConsoleVmDestroyed)
        return needSession(error) && discover(error) && consoleVmThen({QStringLiteral("Destroy_Task")}, values, error);
    if (state == VimContract::kTemplateExists)
        return needSession(error) && discover(error) && templateVm(values, error);
    if (state == VimContract::kCloneExists)
        return needSession(error) && discover(error) && clone(values, error);
    if (state == VimContract::kCloneCustomized)
        return needSession(error) && discover(error) && clone(values, error) && customizeClone(values, error);
    if (state == VimContract::kCreateTaskRunning)
        return needSession(error) && discover(error) && runningCreateTask(values, error);
    if (state == VimContract::kCollectorExists)
        return needSession(error) && collector(values, error);
    if (state == VimContract::kTaskFiltered)
        return needSession(error) && collector(values, error) && taskFilter(values, error);
    if (state == VimContract::kTaskFilterRead)
        return needSession(error) && collector(values, error) && taskFilter(values, error) &&
               readFilterOnce(values, error);
    if (state == VimContract::kCustomizationSpecExists) {
        if (!needSession(error))
            return false;
        // A real vCenter needs a Linux specification of this name, saved beforehand.
        const QString name = VimContract::kSavedSpecName;
        const QByteArray spec = m_client.call(
            m_session,
            QStringLiteral("<GetCustomizationSpec xmlns=\"urn:vim25\"><_this type=\"CustomizationSpecManager\">"
                           "CustomizationSpecManager</_this><name>%1</name></GetCustomizationSpec>")
                .arg(VimSetupClient::escaped(name))
                .toUtf8());
        if (spec.isEmpty()) {
            *error = QStringLiteral("no customization specification \"%1\": %2").arg(name, m_client.lastError());
            return false;
        }
        values->insert(QStringLiteral("specName"), name);
        return true;
    }
    if (state == VimContract::kConsoleVm)
        return needSession(error) && discover(error) && consoleVm(values, error);
    if (state == VimContract::kConsoleVmPoweredOn) {
        if (!needSession(error) || !discover(error) || !consoleVm(values, error))
            return false;
        const Ref vm{QStringLiteral("VirtualMachine"), values->value(QStringLiteral("vm")).toString()};
        const Ref task = m_client.powerOn(m_session, vm);
        if (task.isNull()) {
            *error = QStringLiteral("PowerOnVM_Task: %1").arg(m_client.lastError());
            return false;
        }
        values->insert(QStringLiteral("task"), task.value);
        return true;
    }
    *error = QStringLiteral("unknown provider state \"%1\"").arg(state);
    return false;
}

bool VimProviderStates::discover(QString* error)
{
    if (m_discovered)
        return true;
    const QByteArray content = m_client.call(
        m_session, QByteArrayLiteral("<RetrieveServiceContent xmlns=\"urn:vim25\"><_this type=\"ServiceInstance\">"
                                     "ServiceInstance</_this></RetrieveServiceContent>"));
    const Ref root = VimSetupClient::firstRef(content, QStringLiteral("rootFolder"));
    const Ref datacenters = m_client.createContainerView(m_session, root, {QStringLiteral("Datacenter")}, true);
    const QList<VimSetupClient::Object> dcs =
        m_client.retrieveFromView(m_session, datacenters,
                                  {{QStringLiteral("Datacenter"),
                                    {QStringLiteral("vmFolder"), QStringLiteral("hostFolder"),
                                     QStringLiteral("datastoreFolder"), QStringLiteral("networkFolder")}}});
    if (dcs.isEmpty()) {
        *error = QStringLiteral("no datacenter found: %1").arg(m_client.lastError());
        return false;
    }
    Inventory inv;
    inv.datacenter = dcs.front().ref;
    inv.vmFolder = refFrom(dcs.front().props.value(QStringLiteral("vmFolder")));
    inv.hostFolder = refFrom(dcs.front().props.value(QStringLiteral("hostFolder")));
    inv.datastoreFolder = refFrom(dcs.front().props.value(QStringLiteral("datastoreFolder")));
    inv.networkFolder = refFrom(dcs.front().props.value(QStringLiteral("networkFolder")));
    const Ref contents = m_client.createContainerView(
        m_session, inv.datacenter,
        {QStringLiteral("ClusterComputeResource"), QStringLiteral("Datastore"), QStringLiteral("Network")}, true);
    const QList<VimSetupClient::Object> objects =
        m_client.retrieveFromView(m_session, contents,
                                  {{QStringLiteral("ComputeResource"), {QStringLiteral("resourcePool")}},
                                   {QStringLiteral("Datastore"), {QStringLiteral("name")}},
                                   {QStringLiteral("Network"), {QStringLiteral("name")}}});
    for (const VimSetupClient::Object& o : objects) {
        if (o.ref.type == QLatin1String("ClusterComputeResource") && inv.cluster.isNull()) {
            inv.cluster = o.ref;
            inv.clusterPool = refFrom(o.props.value(QStringLiteral("resourcePool")));
        } else if (o.ref.type == QLatin1String("Datastore") && inv.datastore.isNull()) {
            inv.datastore = o.ref;
            inv.datastoreName = o.props.value(QStringLiteral("name"));
        } else if (o.ref.type == QLatin1String("Network") && inv.network.isNull()) {
            inv.network = o.ref; // a standard network: the contract's NIC backing is not distributed
            inv.networkName = o.props.value(QStringLiteral("name"));
        }
    }
    if (inv.vmFolder.isNull() || inv.cluster.isNull() || inv.clusterPool.isNull() || inv.datastore.isNull() ||
        inv.network.isNull()) {
        *error = QStringLiteral("the first datacenter lacks a VM folder, a cluster, a datastore or a standard network");
        return false;
    }
    m_inventory = inv;
    m_discovered = true;
    return true;
}

// A view whose first objects are the ones the interaction's reply lists, in that order (Pact compares
// repeated XML elements by position).
bool VimProviderStates::view(const QString& contents, QJsonObject* values, QString* error)
{
    const Inventory& inv = m_inventory;
    const QString folder = QStringLiteral("Folder");
    Ref container;
    QStringList types;
    bool recursive = false;
    if (contents == VimContract::viewName(VimContract::InventoryView::DatacentersAndFolders)) {
        types = {QStringLiteral("Datacenter"), folder};
        recursive = true;
    } else if (contents == VimContract::viewName(VimContract::InventoryView::Clusters)) {
        container = inv.hostFolder;
        types = {QStringLiteral("ClusterComputeResource")};
    } else if (contents == VimContract::viewName(VimContract::InventoryView::ResourcePools)) {
        container = inv.cluster;
        types = {QStringLiteral("ResourcePool")};
    } else if (contents == VimContract::viewName(VimContract::InventoryView::Hosts)) {
        container = inv.cluster;
        types = {QStringLiteral("HostSystem")};
    } else if (contents == VimContract::viewName(VimContract::InventoryView::Datastores)) {
        container = inv.datastoreFolder;
        types = {QStringLiteral("Datastore")};
    } else if (contents == VimContract::viewName(VimContract::InventoryView::Networks)) {
        container = inv.networkFolder;
        types = {QStringLiteral("Network"), QStringLiteral("DistributedVirtualSwitch")};
    } else if (contents == VimContract::viewName(VimContract::InventoryView::Vms) ||
               contents == VimContract::viewName(VimContract::InventoryView::RequestKeyScan)) {
        QJsonObject vm;
        if (!consoleVm(&vm, error))
            return false;
        container = m_folders.back(); // the console's VM alone in a folder of its own
        types = {QStringLiteral("VirtualMachine")};
    } else if (contents == VimContract::viewName(VimContract::InventoryView::Templates) ||
               contents == VimContract::viewName(VimContract::InventoryView::TemplateSource)) {
        QJsonObject made;
        if (!templateVm(&made, error))
            return false;
        container = m_templateFolder; // the template alone in a folder of its own
        types = {QStringLiteral("VirtualMachine")};
    } else if (contents == VimContract::viewName(VimContract::InventoryView::Placement)) {
        types = {QStringLiteral("Datacenter"),
                 folder,
                 QStringLiteral("ClusterComputeResource"),
                 QStringLiteral("ResourcePool"),
                 QStringLiteral("Datastore"),
                 QStringLiteral("Network")};
        recursive = true;
    } else {
        *error = QStringLiteral("no container view \"%1\"").arg(contents);
        return false;
    }
    if (container.isNull()) {
        // Views that start at the root folder.
        const QByteArray content = m_client.call(
            m_session, QByteArrayLiteral("<RetrieveServiceContent xmlns=\"urn:vim25\"><_this type=\"ServiceInstance\">"
                                         "ServiceInstance</_this></RetrieveServiceContent>"));
        container = VimSetupClient::firstRef(content, QStringLiteral("rootFolder"));
    }
    const Ref v = m_client.createContainerView(m_session, container, types, recursive);
    if (v.isNull()) {
        *error = QStringLiteral("CreateContainerView: %1").arg(m_client.lastError());
        return false;
    }
    values->insert(QStringLiteral("view"), v.value);
    return true;
}

bool VimProviderStates::consoleVm(QJsonObject* values, QString* error)
{
    const Ref folder = m_client.createFolder(m_session, m_inventory.vmFolder,
                                             QStringLiteral("dcm-pact-%1-%2").arg(++m_serial).arg(shortId()));
    if (folder.isNull()) {
        *error = QStringLiteral("CreateFolder: %1").arg(m_client.lastError());
        return false;
    }
    m_folders.append(folder);
    const QString requestId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QString name = QStringLiteral("dcm-pact-vm-%1").arg(shortId());
    m_requestIds.append(requestId);
    Ref task;
    const Ref vm = m_client.createVm(m_session, folder, m_inventory.clusterPool, name, m_inventory.datastoreName,
                                     requestId, &task);
    if (vm.isNull()) {
        *error = QStringLiteral("CreateVM_Task: %1").arg(m_client.lastError());
        return false;
    }
    values->insert(QStringLiteral("vm"), vm.value);
    values->insert(QStringLiteral("vmName"), name);
    values->insert(QStringLiteral("requestId"), requestId);
    values->insert(QStringLiteral("task"), task.value);
    return true;
}

// The console's VM, its CreateVM task still running: the simulator holds the task's outcome for a few
// seconds (its task delay), long enough for the interaction and short enough for the verifier's
// request timeout when the interaction waits for its end. A real vCenter needs a slow datastore.
bool VimProviderStates::runningCreateTask(QJsonObject* values, QString* error)
{
    const Ref folder = m_client.createFolder(m_session, m_inventory.vmFolder,
                                             QStringLiteral("dcm-pact-%1-%2").arg(++m_serial).arg(shortId()));
    if (folder.isNull()) {
        *error = QStringLiteral("CreateFolder: %1").arg(m_client.lastError());
        return false;
    }
    m_folders.append(folder);
    const auto taskDelay = [this](int ms) {
        return !m_target.controlWith ||
               m_target.controlWith(
                   QStringLiteral("/door/task-delay"),
                   QJsonObject{{QStringLiteral("ms"), ms},
                               {QStringLiteral("methods"), QJsonArray{QStringLiteral("CreateVM_Task")}}});
    };
    if (!taskDelay(2000)) {
        *error = QStringLiteral("the simulator did not take the task delay");
        return false;
    }
    const QString requestId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QString name = QStringLiteral("dcm-pact-vm-%1").arg(shortId());
    m_requestIds.append(requestId);
    Ref task;
    const Ref vm = m_client.createVm(m_session, folder, m_inventory.clusterPool, name, m_inventory.datastoreName,
                                     requestId, &task, false);
    taskDelay(0); // the task made is held all the same; nothing else is
    if (vm.isNull() || task.isNull()) {
        *error = QStringLiteral("CreateVM_Task: %1").arg(m_client.lastError());
        return false;
    }
    values->insert(QStringLiteral("vm"), vm.value);
    values->insert(QStringLiteral("vmName"), name);
    values->insert(QStringLiteral("requestId"), requestId);
    values->insert(QStringLiteral("task"), task.value);
    m_runningTask = task;
    return true;
}

// A PropertyCollector of the session's own (it goes with the session at tear-down).
bool VimProviderStates::collector(QJsonObject* values, QString* error)
{
    const Ref made = VimSetupClient::firstRef(
        m_client.call(m_session, QByteArrayLiteral("<CreatePropertyCollector xmlns=\"urn:vim25\"><_this "
                                                   "type=\"PropertyCollector\">propertyCollector</_this>"
                                                   "</CreatePropertyCollector>")),
        QStringLiteral("returnval"));
    if (made.isNull()) {
        *error = QStringLiteral("CreatePropertyCollector: %1").arg(m_client.lastError());
        return false;
    }
    values->insert(QStringLiteral("collector"), made.value);
    return true;
}

// On the collector, a filter on the task's paths the adapter follows.
bool VimProviderStates::taskFilter(QJsonObject* values, QString* error)
{
    const Ref coll{QStringLiteral("PropertyCollector"), values->value(QStringLiteral("collector")).toString()};
    const Ref task = m_runningTask;
    if (task.isNull()) {
        *error = QStringLiteral("no task: the interaction must list \"%1\" first").arg(VimContract::kCreateTaskRunning);
        return false;
    }
    const QString body =
        QStringLiteral("<CreateFilter xmlns=\"urn:vim25\">") + VimSetupClient::moref(QStringLiteral("_this"), coll) +
        QStringLiteral("<spec><propSet><type>Task</type><pathSet>info.state</pathSet><pathSet>info.progress</pathSet>"
                       "<pathSet>info.error</pathSet><pathSet>info.result</pathSet><pathSet>info.cancelable</pathSet>"
                       "</propSet><objectSet>") +
        VimSetupClient::moref(QStringLiteral("obj"), task) +
        QStringLiteral("<skip>false</skip></objectSet></spec><partialUpdates>false</partialUpdates></CreateFilter>");
    const Ref filter = VimSetupClient::firstRef(m_client.call(m_session, body.toUtf8()), QStringLiteral("returnval"));
    if (filter.isNull()) {
        *error = QStringLiteral("CreateFilter: %1").arg(m_client.lastError());
        return false;
    }
    values->insert(QStringLiteral("filter"), filter.value);
    return true;
}

// The filter's full state read (WaitForUpdatesEx without a version), then the task's half-way
// progress (the simulator's held task reports 50 % before it ends): {version} from which the next
// change of the task is its end.
bool VimProviderStates::readFilterOnce(QJsonObject* values, QString* error)
{
    const Ref coll{QStringLiteral("PropertyCollector"), values->value(QStringLiteral("collector")).toString()};
    const auto wait = [&](const QString& version, int seconds) {
        QString body = QStringLiteral("<WaitForUpdatesEx xmlns=\"urn:vim25\">") +
                       VimSetupClient::moref(QStringLiteral("_this"), coll);
        if (!version.isEmpty())
            body += QStringLiteral("<version>%1</version>").arg(VimSetupClient::escaped(version));
        body +=
            QStringLiteral("<options><maxWaitSeconds>%1</maxWaitSeconds></options></WaitForUpdatesEx>").arg(seconds);
        return m_client.call(m_session, body.toUtf8());
    };
    const QString first = VimSetupClient::firstRef(wait({}, 0), QStringLiteral("version")).value;
    if (first.isEmpty()) {
        *error = QStringLiteral("WaitForUpdatesEx: no version: %1").arg(m_client.lastError());
        return false;
    }
    QString version = first;
    if (m_target.controlWith) {
        const QByteArray progress = wait(first, 10);
        version = VimSetupClient::firstRef(progress, QStringLiteral("version")).value;
        if (version.isEmpty() || !progress.contains("info.progress") || progress.contains("success")) {
            *error = QStringLiteral("WaitForUpdatesEx: the held task's progress did not come alone: %1")
                         .arg(QString::fromUtf8(progress.left(400)));
            return false;
        }
    }
    values->insert(QStringLiteral("version"), version);
    return true;
}

// The console's VM, then each of `methods` on it in turn; {task} is the last one's.
bool VimProviderStates::consoleVmThen(const QStringList& methods, QJsonObject* values, QString* error)
{
    if (!consoleVm(values, error))
        return false;
    const Ref vm{QStringLiteral("VirtualMachine"), values->value(QStringLiteral("vm")).toString()};
    for (const QString& method : methods) {
        const Ref task = m_client.runTask(m_session, method, vm);
        if (task.isNull()) {
            *error = QStringLiteral("%1: %2").arg(method, m_client.lastError());
            return false;
        }
        values->insert(QStringLiteral("task"), task.value);
    }
    return true;
}

bool VimProviderStates::templateVm(QJsonObject* values, QString* error)
{
    if (m_template.isNull()) {
        const Ref folder = m_client.createFolder(m_session, m_inventory.vmFolder,
                                                 QStringLiteral("dcm-pact-%1-%2").arg(++m_serial).arg(shortId()));
        if (folder.isNull()) {
            *error = QStringLiteral("CreateFolder: %1").arg(m_client.lastError());
            return false;
        }
        m_folders.append(folder);
        const QString requestId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        m_requestIds.append(requestId); // templates are found and destroyed like VMs
        const QString name = QStringLiteral("dcm-pact-tmpl-%1").arg(shortId());
        const Ref made = m_client.createTemplate(m_session, folder, m_inventory.clusterPool, name,
                                                 m_inventory.datastoreName, m_inventory.networkName, requestId);
        if (made.isNull()) {
            *error = QStringLiteral("template: %1").arg(m_client.lastError());
            return false;
        }
        m_template = made;
        m_templateFolder = folder;
        m_templateName = name;
    }
    values->insert(QStringLiteral("template"), m_template.value);
    values->insert(QStringLiteral("templateName"), m_templateName);
    values->insert(QStringLiteral("datacenter"), m_inventory.datacenter.value);
    return true;
}

// A plain clone of the template beside it: powered off, the request key as instance UUID and extraConfig.
bool VimProviderStates::clone(QJsonObject* values, QString* error)
{
    QJsonObject made;
    if (!templateVm(&made, error))
        return false;
    const QString requestId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QString name = QStringLiteral("dcm-pact-clone-%1").arg(shortId());
    m_requestIds.append(requestId);
    const QString arguments =
        VimSetupClient::moref(QStringLiteral("folder"), m_templateFolder) +
        QStringLiteral("<name>%1</name><spec><location>").arg(VimSetupClient::escaped(name)) +
        VimSetupClient::moref(QStringLiteral("datastore"), m_inventory.datastore) +
        VimSetupClient::moref(QStringLiteral("pool"), m_inventory.clusterPool) +
        QStringLiteral("</location><template>false</template><config><instanceUuid>%1</instanceUuid>"
                       "<extraConfig xsi:type=\"OptionValue\"><key>dcm.requestId</key>"
                       "<value xsi:type=\"xsd:string\">%1</value></extraConfig></config>"
                       "<powerOn>false</powerOn></spec>")
            .arg(requestId);
    const Ref task = m_client.runTask(m_session, QStringLiteral("CloneVM_Task"), m_template, arguments);
    const Ref vm = task.isNull() ? Ref{} : m_client.findByInstanceUuid(m_session, requestId);
    if (vm.isNull()) {
        *error = QStringLiteral("CloneVM_Task: %1").arg(m_client.lastError());
        return false;
    }
    values->insert(QStringLiteral("vm"), vm.value);
    values->insert(QStringLiteral("vmName"), name);
    values->insert(QStringLiteral("requestId"), requestId);
    values->insert(QStringLiteral("task"), task.value);
    return true;
}

bool VimProviderStates::customizeClone(QJsonObject* values, QString* error)
{
    const Ref vm{QStringLiteral("VirtualMachine"), values->value(QStringLiteral("vm")).toString()};
    const QString spec = QStringLiteral(
        "<spec><options xsi:type=\"CustomizationLinuxOptions\"></options>"
        "<identity xsi:type=\"CustomizationLinuxPrep\"><hostName xsi:type=\"CustomizationFixedName\">"
        "<name>pact-host</name></hostName><domain>example.test</domain></identity><globalIPSettings></globalIPSettings>"
        "<nicSettingMap><adapter><ip xsi:type=\"CustomizationDhcpIpGenerator\"></ip></adapter></nicSettingMap></spec>");
    const Ref task = m_client.runTask(m_session, QStringLiteral("CustomizeVM_Task"), vm, spec);
    if (task.isNull()) {
        *error = QStringLiteral("CustomizeVM_Task: %1").arg(m_client.lastError());
        return false;
    }
    values->insert(QStringLiteral("task"), task.value);
    return true;
}

void VimProviderStates::tearDown()
{
    m_template = {};
    m_templateFolder = {};
    m_templateName.clear();
    m_runningTask = {};
    if (!m_requestIds.isEmpty() || !m_folders.isEmpty()) {
        // The interaction may have ended its session (Logout): clean up in a session of our own.
        const QString cleaner = m_client.login(m_target.user, m_target.password);
        if (!cleaner.isEmpty()) {
            for (const QString& requestId : std::as_const(m_requestIds)) {
                const Ref vm = m_client.findByInstanceUuid(cleaner, requestId);
                if (!vm.isNull()) {
                    m_client.destroy(cleaner, vm);
                    ++m_removed;
                }
            }
            for (auto it = m_folders.crbegin(); it != m_folders.crend(); ++it)
                m_client.destroy(cleaner, *it);
            m_sessions.append(cleaner);
        }
    }
    for (const QString& session : std::as_const(m_sessions))
        m_client.logout(session);
    m_requestIds.clear();
    m_folders.clear();
    m_sessions.clear();
    m_session.clear();
}
