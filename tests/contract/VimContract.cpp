#include "VimContract.h"

#include "PactInteraction.h"
#include "XmlPattern.h"

namespace VimContract {

namespace {

const QString kSoapEnvNs = QStringLiteral("http://schemas.xmlsoap.org/soap/envelope/");
const QString kSoapEncNs = QStringLiteral("http://schemas.xmlsoap.org/soap/encoding/");
const QString kXsdNs = QStringLiteral("http://www.w3.org/2001/XMLSchema");
const QString kXsiNs = QStringLiteral("http://www.w3.org/2001/XMLSchema-instance");
const QString kVimNs = QStringLiteral("urn:vim25");

// Shapes of values that differ between vCenters.
const QString kAnything = QStringLiteral("^.+$");
const QString kUnsigned = QStringLiteral("^\\d+$");
const QString kUuid = QStringLiteral("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
const QString kVersion = QStringLiteral("^\\d+(\\.\\d+)+$");
const QString kDateTime = QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?(Z|[+-]\\d\\d:\\d\\d)$");
const QString kCookieHeader = QStringLiteral("^vmware_soap_session=.+$");
const QString kSetCookieHeader = QStringLiteral("^vmware_soap_session=[^;]+(;.*)?$");

XmlPattern::Match any()
{
    return XmlPattern::anyValue();
}

XmlPattern::Match like(const QString& regex)
{
    return XmlPattern::regex(regex);
}

// An element of the vim25 namespace (requests and replies declare it as the default namespace).
XmlPattern vim(const QString& name)
{
    return XmlPattern(kVimNs, {}, name);
}

XmlPattern vim(const QString& name, const QString& text, XmlPattern::Match match = {})
{
    XmlPattern e = vim(name);
    e.text(text, std::move(match));
    return e;
}

XmlPattern withXsiType(XmlPattern e, const QString& type)
{
    e.attribute(kXsiNs, QStringLiteral("xsi"), QStringLiteral("type"), type);
    return e;
}

// <name type="Type">value</name>
XmlPattern moref(const QString& name, const QString& type, const QString& value, XmlPattern::Match match = {})
{
    XmlPattern e = vim(name, value, std::move(match));
    e.attribute({}, {}, QStringLiteral("type"), type);
    return e;
}

XmlPattern fromState(XmlPattern e, const QString& expression)
{
    e.textFromProviderState(expression);
    return e;
}

// <method><_this type="thisType">thisValue</_this>…; with `expression`, _this comes from the provider.
XmlPattern call(const QString& method, const QString& thisType, const QString& thisValue,
                const QString& expression = {})
{
    XmlPattern self = moref(QStringLiteral("_this"), thisType, thisValue);
    if (!expression.isEmpty())
        self.textFromProviderState(expression);
    XmlPattern e = vim(method);
    e.add(std::move(self));
    return e;
}

XmlPattern requestEnvelope(XmlPattern method)
{
    method.declare({}, kVimNs);
    XmlPattern envelope(kSoapEnvNs, QStringLiteral("soapenv"), QStringLiteral("Envelope"));
    envelope.declare(QStringLiteral("soapenv"), kSoapEnvNs)
        .declare(QStringLiteral("xsd"), kXsdNs)
        .declare(QStringLiteral("xsi"), kXsiNs)
        .add(XmlPattern(kSoapEnvNs, QStringLiteral("soapenv"), QStringLiteral("Body")).add(std::move(method)));
    return envelope;
}

XmlPattern replyEnvelope(XmlPattern content)
{
    XmlPattern envelope(kSoapEnvNs, QStringLiteral("soapenv"), QStringLiteral("Envelope"));
    envelope.declare(QStringLiteral("soapenc"), kSoapEncNs)
        .declare(QStringLiteral("soapenv"), kSoapEnvNs)
        .declare(QStringLiteral("xsd"), kXsdNs)
        .declare(QStringLiteral("xsi"), kXsiNs)
        .add(XmlPattern(kSoapEnvNs, QStringLiteral("soapenv"), QStringLiteral("Body")).add(std::move(content)));
    return envelope;
}

XmlPattern response(const QString& method)
{
    XmlPattern e = vim(method + QStringLiteral("Response"));
    e.declare({}, kVimNs);
    return e;
}

// A vim fault as vCenter writes it: faultcode and faultstring unqualified, the fault object in
// <detail> as <{Type}Fault xsi:type="{Type}"> in the vim25 namespace.
XmlPattern fault(const QString& type, const QString& message)
{
    XmlPattern detailObject(kVimNs, {}, type + QStringLiteral("Fault"));
    detailObject.declare({}, kVimNs);
    detailObject = withXsiType(std::move(detailObject), type);
    XmlPattern faultString({}, {}, QStringLiteral("faultstring"));
    faultString.text(message, any());
    XmlPattern faultCode({}, {}, QStringLiteral("faultcode"));
    faultCode.text(QStringLiteral("ServerFaultCode"));
    XmlPattern e(kSoapEnvNs, QStringLiteral("soapenv"), QStringLiteral("Fault"));
    e.add(std::move(faultCode))
        .add(std::move(faultString))
        .add(XmlPattern({}, {}, QStringLiteral("detail")).add(std::move(detailObject)));
    return e;
}

// A POST to the SDK endpoint as the adapter sends it; with a session, its cookie comes from the
// provider state at verification.
PactInteraction& soapRequest(PactInteraction& i, XmlPattern method, bool withSession)
{
    i.request(QStringLiteral("POST"), QStringLiteral("/sdk"))
        .header(PactRequestPart, QStringLiteral("Content-Type"), QStringLiteral("text/xml; charset=utf-8"))
        .header(PactRequestPart, QStringLiteral("SOAPAction"), QStringLiteral("urn:vim25/") + kApiVersion,
                QStringLiteral("^urn:vim25/\\d+(\\.\\d+)*$"));
    if (withSession) {
        i.header(PactRequestPart, QStringLiteral("Cookie"), kSessionCookie, kCookieHeader)
            .headerFromProviderState(QStringLiteral("Cookie"), QStringLiteral("${sessionCookie}"));
    }
    return i.xmlBody(PactRequestPart, requestEnvelope(std::move(method)));
}

PactInteraction& soapReply(PactInteraction& i, int status, XmlPattern content)
{
    return i.status(status)
        .header(PactResponsePart, QStringLiteral("Content-Type"), QStringLiteral("text/xml; charset=utf-8"),
                QStringLiteral("^text/xml(;.*)?$"))
        .xmlBody(PactResponsePart, replyEnvelope(std::move(content)));
}

// --- PropertyCollector shapes -------------------------------------------------------------------

XmlPattern propSpec(const QString& type, const QStringList& paths)
{
    XmlPattern spec = vim(QStringLiteral("propSet"));
    spec.add(vim(QStringLiteral("type"), type));
    for (const QString& path : paths)
        spec.add(vim(QStringLiteral("pathSet"), path));
    return spec;
}

XmlPattern retrieveObject(const QString& type, const QString& value, const QString& expression,
                          const QList<XmlPattern>& specs)
{
    XmlPattern specSet = vim(QStringLiteral("specSet"));
    for (const XmlPattern& s : specs)
        specSet.add(s);
    XmlPattern objectSet = vim(QStringLiteral("objectSet"));
    objectSet.add(fromState(moref(QStringLiteral("obj"), type, value), expression))
        .add(vim(QStringLiteral("skip"), QStringLiteral("false")));
    specSet.add(std::move(objectSet));
    XmlPattern e = call(QStringLiteral("RetrievePropertiesEx"), QStringLiteral("PropertyCollector"),
                        QStringLiteral("propertyCollector"));
    e.add(std::move(specSet)).add(vim(QStringLiteral("options")));
    return e;
}

// One property of an object in a reply: <propSet><name>path</name><val xsi:type="T">…</val></propSet>
XmlPattern prop(const QString& path, XmlPattern value)
{
    XmlPattern p = vim(QStringLiteral("propSet"));
    p.add(vim(QStringLiteral("name"), path)).add(std::move(value));
    return p;
}

// Pact's XML paths carry no positions: every <val> of a reply is one path and shares one rule. So a
// property's value is any text of the XSD type written in xsi:type (compared exactly, per property,
// like the property's name and a reference's type), and the examples only tell the consumer a story.
XmlPattern val(const QString& xsiType, const QString& text)
{
    return withXsiType(vim(QStringLiteral("val"), text, any()), xsiType);
}

XmlPattern refVal(const QString& type, const QString& value)
{
    XmlPattern v = val(QStringLiteral("ManagedObjectReference"), value);
    v.attribute({}, {}, QStringLiteral("type"), type);
    return v;
}

XmlPattern refArrayVal(const QString& type, const QStringList& values)
{
    XmlPattern v = val(QStringLiteral("ArrayOfManagedObjectReference"), {});
    for (const QString& value : values) {
        XmlPattern ref = moref(QStringLiteral("ManagedObjectReference"), type, value, like(kAnything));
        v.add(std::move(ref.repeated()));
    }
    return v;
}

XmlPattern stringProp(const QString& path, const QString& value)
{
    return prop(path, val(QStringLiteral("xsd:string"), value));
}

XmlPattern numberProp(const QString& path, const QString& xsdType, qint64 value)
{
    return prop(path, val(xsdType, QString::number(value)));
}

XmlPattern booleanProp(const QString& path, bool value)
{
    return prop(path, val(QStringLiteral("xsd:boolean"), value ? QStringLiteral("true") : QStringLiteral("false")));
}

XmlPattern object(const QString& type, const QString& value, const QList<XmlPattern>& props)
{
    XmlPattern o = vim(QStringLiteral("objects"));
    o.add(moref(QStringLiteral("obj"), type, value, like(kAnything)));
    for (const XmlPattern& p : props)
        o.add(p);
    return o;
}

XmlPattern retrieveReply(const QList<XmlPattern>& objects)
{
    XmlPattern returnval = vim(QStringLiteral("returnval"));
    for (const XmlPattern& o : objects)
        returnval.add(o);
    XmlPattern r = response(QStringLiteral("RetrievePropertiesEx"));
    r.add(std::move(returnval));
    return r;
}

XmlPattern taskReply(const QString& method, const QString& task)
{
    XmlPattern r = response(method);
    r.add(moref(QStringLiteral("returnval"), QStringLiteral("Task"), task, like(kAnything)));
    return r;
}

// --- The inventory as the examples describe it ----------------------------------------------------

const QString kRootFolder = QStringLiteral("group-d1");
const QString kDatacenter = QStringLiteral("datacenter-3");
const QString kVmFolder = QStringLiteral("group-v4");
const QString kHostFolder = QStringLiteral("group-h5");
const QString kDatastoreFolder = QStringLiteral("group-s6");
const QString kNetworkFolder = QStringLiteral("group-n7");
const QString kCluster = QStringLiteral("domain-c8");
const QString kClusterPool = QStringLiteral("resgroup-9");
const QString kHost = QStringLiteral("host-10");
const QString kDatastore = QStringLiteral("datastore-11");
const QString kNetwork = QStringLiteral("network-12");
const QString kSwitch = QStringLiteral("dvs-13");
const QString kPortgroup = QStringLiteral("dvportgroup-14");
const QString kConsoleVmFolder = QStringLiteral("group-v15");

XmlPattern datacenterObject()
{
    return object(QStringLiteral("Datacenter"), kDatacenter,
                  {stringProp(QStringLiteral("name"), QStringLiteral("DC0")),
                   prop(QStringLiteral("parent"), refVal(QStringLiteral("Folder"), kRootFolder))});
}

XmlPattern folderObject(const QString& ref, const QString& name, const QStringList& childTypes)
{
    XmlPattern types = val(QStringLiteral("ArrayOfString"), {});
    for (const QString& t : childTypes)
        types.add(vim(QStringLiteral("string"), t, any()).repeated());
    return object(QStringLiteral("Folder"), ref,
                  {stringProp(QStringLiteral("name"), name),
                   prop(QStringLiteral("parent"), refVal(QStringLiteral("Datacenter"), kDatacenter)),
                   prop(QStringLiteral("childType"), std::move(types))});
}

XmlPattern clusterObject()
{
    return object(QStringLiteral("ClusterComputeResource"), kCluster,
                  {stringProp(QStringLiteral("name"), QStringLiteral("DC0_C0")),
                   prop(QStringLiteral("parent"), refVal(QStringLiteral("Folder"), kHostFolder)),
                   prop(QStringLiteral("resourcePool"), refVal(QStringLiteral("ResourcePool"), kClusterPool)),
                   numberProp(QStringLiteral("summary.totalCpu"), QStringLiteral("xsd:int"), 6882),
                   numberProp(QStringLiteral("summary.totalMemory"), QStringLiteral("xsd:long"), 12883292160LL)});
}

XmlPattern clusterPoolObject()
{
    return object(QStringLiteral("ResourcePool"), kClusterPool,
                  {stringProp(QStringLiteral("name"), QStringLiteral("Resources")),
                   prop(QStringLiteral("parent"), refVal(QStringLiteral("ClusterComputeResource"), kCluster)),
                   prop(QStringLiteral("owner"), refVal(QStringLiteral("ClusterComputeResource"), kCluster))});
}

XmlPattern hostObject()
{
    return object(
        QStringLiteral("HostSystem"), kHost,
        {stringProp(QStringLiteral("name"), QStringLiteral("esx-01.example.com")),
         prop(QStringLiteral("parent"), refVal(QStringLiteral("ClusterComputeResource"), kCluster)),
         prop(QStringLiteral("runtime.connectionState"),
              val(QStringLiteral("HostSystemConnectionState"), QStringLiteral("connected"))),
         booleanProp(QStringLiteral("runtime.inMaintenanceMode"), false),
         numberProp(QStringLiteral("summary.hardware.numCpuCores"), QStringLiteral("xsd:short"), 16),
         numberProp(QStringLiteral("summary.hardware.cpuMhz"), QStringLiteral("xsd:int"), 2294),
         numberProp(QStringLiteral("summary.hardware.memorySize"), QStringLiteral("xsd:long"), 274877906944LL),
         numberProp(QStringLiteral("summary.quickStats.overallCpuUsage"), QStringLiteral("xsd:int"), 4120),
         numberProp(QStringLiteral("summary.quickStats.overallMemoryUsage"), QStringLiteral("xsd:int"), 98304),
         prop(QStringLiteral("datastore"), refArrayVal(QStringLiteral("Datastore"), {kDatastore})),
         prop(QStringLiteral("network"), refArrayVal(QStringLiteral("Network"), {kNetwork}))});
}

XmlPattern datastoreObject()
{
    return object(QStringLiteral("Datastore"), kDatastore,
                  {stringProp(QStringLiteral("name"), QStringLiteral("LocalDS_0")),
                   prop(QStringLiteral("parent"), refVal(QStringLiteral("Folder"), kDatastoreFolder)),
                   stringProp(QStringLiteral("summary.type"), QStringLiteral("VMFS")),
                   numberProp(QStringLiteral("summary.capacity"), QStringLiteral("xsd:long"), 2199023255552LL),
                   numberProp(QStringLiteral("summary.freeSpace"), QStringLiteral("xsd:long"), 1649267441664LL),
                   booleanProp(QStringLiteral("summary.accessible"), true)});
}

XmlPattern networkObject()
{
    return object(QStringLiteral("Network"), kNetwork,
                  {stringProp(QStringLiteral("name"), QStringLiteral("VM Network")),
                   prop(QStringLiteral("parent"), refVal(QStringLiteral("Folder"), kNetworkFolder))});
}

XmlPattern switchObject()
{
    // vCenter lists a switch's uplink portgroups here; the simulator leaves the array empty, so the
    // contract asks for the array and no element of it.
    return object(
        QStringLiteral("DistributedVirtualSwitch"), kSwitch,
        {stringProp(QStringLiteral("uuid"), QStringLiteral("50 1e 2d 3c 4b 5a 69 78-87 96 a5 b4 c3 d2 e1 f0")),
         prop(QStringLiteral("config.uplinkPortgroup"), val(QStringLiteral("ArrayOfManagedObjectReference"), {}))});
}

XmlPattern portgroupObject()
{
    return object(QStringLiteral("DistributedVirtualPortgroup"), kPortgroup,
                  {stringProp(QStringLiteral("name"), QStringLiteral("DC0_DVPG0")),
                   prop(QStringLiteral("parent"), refVal(QStringLiteral("Folder"), kNetworkFolder)),
                   stringProp(QStringLiteral("key"), kPortgroup),
                   prop(QStringLiteral("config.distributedVirtualSwitch"),
                        refVal(QStringLiteral("DistributedVirtualSwitch"), kSwitch))});
}

XmlPattern extraConfigVal(const QString& key, const QString& value)
{
    XmlPattern option = withXsiType(vim(QStringLiteral("OptionValue")), QStringLiteral("OptionValue"));
    option.add(vim(QStringLiteral("key"), key, any()))
        .add(withXsiType(vim(QStringLiteral("value"), value, any()), QStringLiteral("xsd:string")));
    XmlPattern v = val(QStringLiteral("ArrayOfOptionValue"), {});
    v.add(std::move(option.repeated()));
    return v;
}

XmlPattern powerStateVal()
{
    return val(QStringLiteral("VirtualMachinePowerState"), QStringLiteral("poweredOn"));
}

// The VM provision() made, as inventory(Vms) reads it (properties in the order asked for).
XmlPattern consoleVmObject()
{
    return object(
        QStringLiteral("VirtualMachine"), kNewVm,
        {stringProp(QStringLiteral("name"), kNewVmName),
         prop(QStringLiteral("parent"), refVal(QStringLiteral("Folder"), kConsoleVmFolder)),
         prop(QStringLiteral("runtime.powerState"), powerStateVal()),
         numberProp(QStringLiteral("config.hardware.numCPU"), QStringLiteral("xsd:int"), 2),
         numberProp(QStringLiteral("config.hardware.memoryMB"), QStringLiteral("xsd:int"), 2048),
         stringProp(QStringLiteral("config.guestId"), QStringLiteral("otherGuest64")),
         stringProp(QStringLiteral("config.instanceUuid"), kRequestId),
         booleanProp(QStringLiteral("config.template"), false),
         prop(QStringLiteral("config.extraConfig"), extraConfigVal(QStringLiteral("dcm.requestId"), kRequestId))});
}

// A VM the request-key scan reads: another request's VM, not the one looked for.
XmlPattern otherVmObject()
{
    return object(
        QStringLiteral("VirtualMachine"), QStringLiteral("vm-202"),
        {stringProp(QStringLiteral("name"), QStringLiteral("build-agent-07")),
         stringProp(QStringLiteral("config.instanceUuid"), kRequestId),
         prop(QStringLiteral("runtime.powerState"), powerStateVal()),
         prop(QStringLiteral("config.extraConfig"), extraConfigVal(QStringLiteral("dcm.requestId"), kRequestId))});
}

struct ViewDefinition
{
    QString name;
    QString description;     // for interaction descriptions
    QStringList types;       // CreateContainerView's types
    QList<XmlPattern> specs; // RetrievePropertiesEx's propSet
    QList<XmlPattern> objects;
};

XmlPattern folderSpec()
{
    return propSpec(QStringLiteral("Folder"),
                    {QStringLiteral("name"), QStringLiteral("parent"), QStringLiteral("childType")});
}

XmlPattern datacenterSpec()
{
    return propSpec(QStringLiteral("Datacenter"), {QStringLiteral("name"), QStringLiteral("parent")});
}

XmlPattern computeSpec()
{
    return propSpec(QStringLiteral("ComputeResource"),
                    {QStringLiteral("name"), QStringLiteral("parent"), QStringLiteral("resourcePool"),
                     QStringLiteral("summary.totalCpu"), QStringLiteral("summary.totalMemory")});
}

XmlPattern poolSpec()
{
    return propSpec(QStringLiteral("ResourcePool"),
                    {QStringLiteral("name"), QStringLiteral("parent"), QStringLiteral("owner")});
}

XmlPattern hostSpec()
{
    return propSpec(QStringLiteral("HostSystem"),
                    {QStringLiteral("name"), QStringLiteral("parent"), QStringLiteral("runtime.connectionState"),
                     QStringLiteral("runtime.inMaintenanceMode"), QStringLiteral("summary.hardware.numCpuCores"),
                     QStringLiteral("summary.hardware.cpuMhz"), QStringLiteral("summary.hardware.memorySize"),
                     QStringLiteral("summary.quickStats.overallCpuUsage"),
                     QStringLiteral("summary.quickStats.overallMemoryUsage"), QStringLiteral("datastore"),
                     QStringLiteral("network")});
}

XmlPattern datastoreSpec()
{
    return propSpec(QStringLiteral("Datastore"),
                    {QStringLiteral("name"), QStringLiteral("parent"), QStringLiteral("summary.type"),
                     QStringLiteral("summary.capacity"), QStringLiteral("summary.freeSpace"),
                     QStringLiteral("summary.accessible")});
}

QList<XmlPattern> networkSpecs()
{
    return {propSpec(QStringLiteral("Network"), {QStringLiteral("name"), QStringLiteral("parent")}),
            propSpec(QStringLiteral("DistributedVirtualPortgroup"),
                     {QStringLiteral("key"), QStringLiteral("config.distributedVirtualSwitch")}),
            propSpec(QStringLiteral("DistributedVirtualSwitch"),
                     {QStringLiteral("uuid"), QStringLiteral("config.uplinkPortgroup")})};
}

ViewDefinition definition(InventoryView view)
{
    const QString folder = QStringLiteral("Folder");
    const QString datacenter = QStringLiteral("Datacenter");
    switch (view) {
    case InventoryView::DatacentersAndFolders:
        return {viewName(view),
                QStringLiteral("the datacenters and folders"),
                {folder, datacenter},
                {folderSpec(), datacenterSpec()},
                {datacenterObject(),
                 folderObject(kVmFolder, QStringLiteral("vm"),
                              {QStringLiteral("VirtualMachine"), QStringLiteral("VirtualApp"), folder})}};
    case InventoryView::Clusters:
        return {viewName(view),
                QStringLiteral("the clusters"),
                {folder, datacenter, QStringLiteral("ComputeResource")},
                {folderSpec(), datacenterSpec(), computeSpec()},
                {clusterObject()}};
    case InventoryView::ResourcePools:
        return {viewName(view),
                QStringLiteral("the resource pools"),
                {folder, datacenter, QStringLiteral("ComputeResource"), QStringLiteral("ResourcePool")},
                {folderSpec(), datacenterSpec(), computeSpec(), poolSpec()},
                {clusterPoolObject()}};
    case InventoryView::Hosts:
        return {viewName(view),
                QStringLiteral("the hosts"),
                {folder, datacenter, QStringLiteral("ComputeResource"), QStringLiteral("HostSystem")},
                {folderSpec(), datacenterSpec(), computeSpec(), hostSpec()},
                {hostObject()}};
    case InventoryView::Datastores:
        return {viewName(view),
                QStringLiteral("the datastores"),
                {folder, datacenter, QStringLiteral("Datastore")},
                {folderSpec(), datacenterSpec(), datastoreSpec()},
                {datastoreObject()}};
    case InventoryView::Networks: {
        QList<XmlPattern> specs{folderSpec(), datacenterSpec()};
        specs.append(networkSpecs());
        return {viewName(view),
                QStringLiteral("the networks"),
                {folder, datacenter, QStringLiteral("Network"), QStringLiteral("DistributedVirtualSwitch")},
                specs,
                {networkObject(), switchObject(), portgroupObject()}};
    }
    case InventoryView::Vms:
        return {viewName(view),
                QStringLiteral("the VMs"),
                {folder, datacenter, QStringLiteral("VirtualMachine")},
                {folderSpec(), datacenterSpec(),
                 propSpec(QStringLiteral("VirtualMachine"),
                          {QStringLiteral("name"), QStringLiteral("parent"), QStringLiteral("runtime.powerState"),
                           QStringLiteral("config.hardware.numCPU"), QStringLiteral("config.hardware.memoryMB"),
                           QStringLiteral("config.guestId"), QStringLiteral("config.instanceUuid"),
                           QStringLiteral("config.template"), QStringLiteral("config.extraConfig")})},
                {consoleVmObject()}};
    case InventoryView::Placement: {
        QList<XmlPattern> specs{folderSpec(), datacenterSpec(), computeSpec(), poolSpec(), hostSpec(), datastoreSpec()};
        specs.append(networkSpecs());
        return {viewName(view),
                QStringLiteral("the placement of a new VM"),
                {folder, datacenter, QStringLiteral("ComputeResource"), QStringLiteral("ResourcePool"),
                 QStringLiteral("HostSystem"), QStringLiteral("Datastore"), QStringLiteral("Network"),
                 QStringLiteral("DistributedVirtualSwitch")},
                specs,
                // In the order a view lists them: a datacenter, then its folders depth first.
                {datacenterObject(),
                 folderObject(kVmFolder, QStringLiteral("vm"),
                              {QStringLiteral("VirtualMachine"), QStringLiteral("VirtualApp"), folder}),
                 folderObject(kHostFolder, QStringLiteral("host"), {QStringLiteral("ComputeResource"), folder}),
                 clusterObject(), clusterPoolObject(),
                 folderObject(kDatastoreFolder, QStringLiteral("datastore"),
                              {QStringLiteral("Datastore"), QStringLiteral("StoragePod"), folder}),
                 datastoreObject(),
                 folderObject(kNetworkFolder, QStringLiteral("network"),
                              {QStringLiteral("Network"), QStringLiteral("DistributedVirtualSwitch"), folder}),
                 networkObject()}};
    }
    case InventoryView::RequestKeyScan:
        return {viewName(view),
                QStringLiteral("every VM's request key"),
                {QStringLiteral("VirtualMachine")},
                {propSpec(QStringLiteral("VirtualMachine"),
                          {QStringLiteral("name"), QStringLiteral("config.instanceUuid"),
                           QStringLiteral("runtime.powerState"), QStringLiteral("config.extraConfig")})},
                {otherVmObject()}};
    }
    return {};
}

const QStringList kTaskPaths{QStringLiteral("info.state"), QStringLiteral("info.progress"),
                             QStringLiteral("info.error"), QStringLiteral("info.result"),
                             QStringLiteral("info.cancelable")};

} // namespace

QString viewName(InventoryView view)
{
    switch (view) {
    case InventoryView::DatacentersAndFolders:
        return QStringLiteral("datacenters-and-folders");
    case InventoryView::Clusters:
        return QStringLiteral("clusters");
    case InventoryView::ResourcePools:
        return QStringLiteral("resource-pools");
    case InventoryView::Hosts:
        return QStringLiteral("hosts");
    case InventoryView::Datastores:
        return QStringLiteral("datastores");
    case InventoryView::Networks:
        return QStringLiteral("networks");
    case InventoryView::Vms:
        return QStringLiteral("console-vms");
    case InventoryView::Placement:
        return QStringLiteral("placement");
    case InventoryView::RequestKeyScan:
        return QStringLiteral("request-key-scan");
    }
    return {};
}

QList<InventoryView> allViews()
{
    return {InventoryView::DatacentersAndFolders,
            InventoryView::Clusters,
            InventoryView::ResourcePools,
            InventoryView::Hosts,
            InventoryView::Datastores,
            InventoryView::Networks,
            InventoryView::Vms,
            InventoryView::Placement,
            InventoryView::RequestKeyScan};
}

bool serviceVersions(PactHandle pact)
{
    // The namespace file is not SOAP: no namespaces, one <namespace> per API the server speaks.
    XmlPattern prior({}, {}, QStringLiteral("priorVersions"));
    prior.add(XmlPattern({}, {}, QStringLiteral("version")).text(QStringLiteral("6.0"), like(kVersion)).repeated());
    prior.add(XmlPattern({}, {}, QStringLiteral("version")).text(QStringLiteral("5.5"), like(kVersion)).repeated());
    XmlPattern ns({}, {}, QStringLiteral("namespace"));
    ns.add(XmlPattern({}, {}, QStringLiteral("name")).text(QStringLiteral("urn:vim25")))
        .add(XmlPattern({}, {}, QStringLiteral("version")).text(kApiVersion, like(kVersion)))
        .add(std::move(prior));
    XmlPattern doc({}, {}, QStringLiteral("namespaces"));
    doc.attribute({}, {}, QStringLiteral("version"), QStringLiteral("1.0"), any()).add(std::move(ns));

    PactInteraction i(pact, QStringLiteral("GET vimServiceVersions.xml: the vim25 API versions the server speaks"));
    i.request(QStringLiteral("GET"), QStringLiteral("/sdk/vimServiceVersions.xml"))
        .status(200)
        .header(PactResponsePart, QStringLiteral("Content-Type"), QStringLiteral("text/xml; charset=utf-8"),
                QStringLiteral("^text/xml(;.*)?$"))
        .xmlBody(PactResponsePart, doc);
    return i.ok();
}

bool retrieveServiceContent(PactHandle pact)
{
    XmlPattern about = vim(QStringLiteral("about"));
    about.add(vim(QStringLiteral("name"), QStringLiteral("VMware vCenter Server"), any()))
        .add(vim(QStringLiteral("fullName"), QStringLiteral("VMware vCenter Server 6.5.0 build-5973321"), any()))
        .add(vim(QStringLiteral("vendor"), QStringLiteral("VMware, Inc."), any()))
        .add(vim(QStringLiteral("version"), QStringLiteral("6.5.0"), like(kVersion)))
        .add(vim(QStringLiteral("build"), QStringLiteral("5973321"), like(kUnsigned)))
        .add(vim(QStringLiteral("apiType"), QStringLiteral("VirtualCenter"),
                 like(QStringLiteral("^(VirtualCenter|HostAgent)$"))))
        .add(vim(QStringLiteral("apiVersion"), kApiVersion, like(kVersion)))
        .add(vim(QStringLiteral("instanceUuid"), kInstanceUuid, like(kUuid)));
    XmlPattern content = vim(QStringLiteral("returnval"));
    content.add(moref(QStringLiteral("rootFolder"), QStringLiteral("Folder"), kRootFolder, like(kAnything)))
        .add(moref(QStringLiteral("propertyCollector"), QStringLiteral("PropertyCollector"),
                   QStringLiteral("propertyCollector"), like(kAnything)))
        .add(moref(QStringLiteral("viewManager"), QStringLiteral("ViewManager"), QStringLiteral("ViewManager"),
                   like(kAnything)))
        .add(std::move(about))
        .add(moref(QStringLiteral("sessionManager"), QStringLiteral("SessionManager"), QStringLiteral("SessionManager"),
                   like(kAnything)))
        .add(moref(QStringLiteral("searchIndex"), QStringLiteral("SearchIndex"), QStringLiteral("SearchIndex"),
                   like(kAnything)));
    XmlPattern reply = response(QStringLiteral("RetrieveServiceContent"));
    reply.add(std::move(content));

    PactInteraction i(pact, QStringLiteral("RetrieveServiceContent: the service's root objects and identity"));
    soapRequest(i,
                call(QStringLiteral("RetrieveServiceContent"), QStringLiteral("ServiceInstance"),
                     QStringLiteral("ServiceInstance")),
                false);
    soapReply(i, 200, std::move(reply));
    return i.ok();
}

bool login(PactHandle pact)
{
    XmlPattern request =
        call(QStringLiteral("Login"), QStringLiteral("SessionManager"), QStringLiteral("SessionManager"));
    request.add(fromState(vim(QStringLiteral("userName"), kUser), QStringLiteral("${userName}")))
        .add(fromState(vim(QStringLiteral("password"), kPassword), QStringLiteral("${password}")));
    XmlPattern session = vim(QStringLiteral("returnval"));
    session.add(vim(QStringLiteral("key"), QStringLiteral("52e1b7c2-3f4a-4bcb-9d1e-6a0d2f5c8e91"), like(kAnything)))
        .add(vim(QStringLiteral("userName"), kUser, any()))
        .add(vim(QStringLiteral("loginTime"), kCurrentTime, like(kDateTime)));
    XmlPattern reply = response(QStringLiteral("Login"));
    reply.add(std::move(session));

    PactInteraction i(pact, QStringLiteral("Login: the user's credentials open a session"));
    i.given(kUserExists);
    soapRequest(i, std::move(request), false);
    soapReply(i, 200, std::move(reply))
        .header(PactResponsePart, QStringLiteral("Set-Cookie"), kSessionCookie + QStringLiteral("; Path=/; HttpOnly"),
                kSetCookieHeader);
    return i.ok();
}

bool loginRejected(PactHandle pact)
{
    XmlPattern request =
        call(QStringLiteral("Login"), QStringLiteral("SessionManager"), QStringLiteral("SessionManager"));
    request.add(vim(QStringLiteral("userName"), kUser)).add(vim(QStringLiteral("password"), kWrongPassword));
    PactInteraction i(pact, QStringLiteral("Login: a wrong password is refused with InvalidLogin"));
    soapRequest(i, std::move(request), false);
    soapReply(i, 500,
              fault(QStringLiteral("InvalidLogin"),
                    QStringLiteral("Cannot complete login due to an incorrect user name or password.")));
    return i.ok();
}

bool logout(PactHandle pact)
{
    PactInteraction i(pact, QStringLiteral("Logout: the session ends"));
    i.given(kLoggedIn);
    soapRequest(i, call(QStringLiteral("Logout"), QStringLiteral("SessionManager"), QStringLiteral("SessionManager")),
                true);
    soapReply(i, 200, response(QStringLiteral("Logout")));
    return i.ok();
}

bool currentTime(PactHandle pact)
{
    XmlPattern reply = response(QStringLiteral("CurrentTime"));
    reply.add(vim(QStringLiteral("returnval"), kCurrentTime, like(kDateTime)));
    PactInteraction i(pact, QStringLiteral("CurrentTime: the server's clock, the breaker's scout"));
    i.given(kLoggedIn);
    soapRequest(
        i, call(QStringLiteral("CurrentTime"), QStringLiteral("ServiceInstance"), QStringLiteral("ServiceInstance")),
        true);
    soapReply(i, 200, std::move(reply));
    return i.ok();
}

bool currentTimeOnEndedSession(PactHandle pact)
{
    PactInteraction i(pact,
                      QStringLiteral("CurrentTime: a session the server has ended is refused with NotAuthenticated"));
    i.given(kSessionEnded);
    soapRequest(
        i, call(QStringLiteral("CurrentTime"), QStringLiteral("ServiceInstance"), QStringLiteral("ServiceInstance")),
        true);
    soapReply(i, 500, fault(QStringLiteral("NotAuthenticated"), QStringLiteral("The session is not authenticated.")));
    return i.ok();
}

bool createContainerView(PactHandle pact, InventoryView view)
{
    const ViewDefinition d = definition(view);
    XmlPattern request =
        call(QStringLiteral("CreateContainerView"), QStringLiteral("ViewManager"), QStringLiteral("ViewManager"));
    request.add(moref(QStringLiteral("container"), QStringLiteral("Folder"), kRootFolder));
    for (const QString& type : d.types)
        request.add(vim(QStringLiteral("type"), type));
    request.add(vim(QStringLiteral("recursive"), QStringLiteral("true")));
    XmlPattern reply = response(QStringLiteral("CreateContainerView"));
    reply.add(moref(QStringLiteral("returnval"), QStringLiteral("ContainerView"), kView, like(kAnything)));

    PactInteraction i(pact,
                      QStringLiteral("CreateContainerView: a view below the root folder for %1").arg(d.description));
    i.given(kLoggedIn);
    soapRequest(i, std::move(request), true);
    soapReply(i, 200, std::move(reply));
    return i.ok();
}

bool retrieveThroughView(PactHandle pact, InventoryView view)
{
    const ViewDefinition d = definition(view);
    XmlPattern traversal = withXsiType(vim(QStringLiteral("selectSet")), QStringLiteral("TraversalSpec"));
    traversal.add(vim(QStringLiteral("name"), QStringLiteral("traverseView")))
        .add(vim(QStringLiteral("type"), QStringLiteral("ContainerView")))
        .add(vim(QStringLiteral("path"), QStringLiteral("view")))
        .add(vim(QStringLiteral("skip"), QStringLiteral("false")));
    XmlPattern objectSet = vim(QStringLiteral("objectSet"));
    objectSet
        .add(fromState(moref(QStringLiteral("obj"), QStringLiteral("ContainerView"), kView), QStringLiteral("${view}")))
        .add(vim(QStringLiteral("skip"), QStringLiteral("true")))
        .add(std::move(traversal));
    XmlPattern specSet = vim(QStringLiteral("specSet"));
    for (const XmlPattern& spec : d.specs)
        specSet.add(spec);
    specSet.add(std::move(objectSet));
    XmlPattern options = vim(QStringLiteral("options"));
    options.add(vim(QStringLiteral("maxObjects"), QStringLiteral("1000")));
    XmlPattern request = call(QStringLiteral("RetrievePropertiesEx"), QStringLiteral("PropertyCollector"),
                              QStringLiteral("propertyCollector"));
    request.add(std::move(specSet)).add(std::move(options));

    PactInteraction i(pact, QStringLiteral("RetrievePropertiesEx: %1 through a container view").arg(d.description));
    i.given(kLoggedIn).given(kViewExists, QStringLiteral("contents"), d.name);
    soapRequest(i, std::move(request), true);
    soapReply(i, 200, retrieveReply(d.objects));
    return i.ok();
}

bool destroyView(PactHandle pact)
{
    PactInteraction i(pact, QStringLiteral("DestroyView: a container view is released"));
    i.given(kLoggedIn).given(kViewExists, QStringLiteral("contents"), viewName(InventoryView::DatacentersAndFolders));
    soapRequest(i,
                call(QStringLiteral("DestroyView"), QStringLiteral("ContainerView"), kView, QStringLiteral("${view}")),
                true);
    soapReply(i, 200, response(QStringLiteral("DestroyView")));
    return i.ok();
}

NewVm newVm()
{
    return NewVm{kNewVmName,
                 2,
                 2048,
                 10240,
                 QStringLiteral("DC0"),
                 QStringLiteral("DC0_C0"),
                 QStringLiteral("LocalDS_0"),
                 QStringLiteral("VM Network")};
}

bool createVm(PactHandle pact)
{
    const NewVm spec = newVm();
    const QString datastorePath = QStringLiteral("[%1]").arg(spec.datastore);
    const QString datastoreExpression = QStringLiteral("[${datastoreName}]");

    XmlPattern controller = withXsiType(vim(QStringLiteral("device")), QStringLiteral("ParaVirtualSCSIController"));
    controller.add(vim(QStringLiteral("key"), QStringLiteral("-100")))
        .add(vim(QStringLiteral("busNumber"), QStringLiteral("0")))
        .add(vim(QStringLiteral("sharedBus"), QStringLiteral("noSharing")));
    XmlPattern addController = vim(QStringLiteral("deviceChange"));
    addController.add(vim(QStringLiteral("operation"), QStringLiteral("add"))).add(std::move(controller));

    XmlPattern diskBacking =
        withXsiType(vim(QStringLiteral("backing")), QStringLiteral("VirtualDiskFlatVer2BackingInfo"));
    diskBacking.add(fromState(vim(QStringLiteral("fileName"), datastorePath), datastoreExpression))
        .add(fromState(moref(QStringLiteral("datastore"), QStringLiteral("Datastore"), kDatastore),
                       QStringLiteral("${datastore}")))
        .add(vim(QStringLiteral("diskMode"), QStringLiteral("persistent")))
        .add(vim(QStringLiteral("thinProvisioned"), QStringLiteral("true")));
    XmlPattern disk = withXsiType(vim(QStringLiteral("device")), QStringLiteral("VirtualDisk"));
    disk.add(vim(QStringLiteral("key"), QStringLiteral("-1000")))
        .add(std::move(diskBacking))
        .add(vim(QStringLiteral("controllerKey"), QStringLiteral("-100")))
        .add(vim(QStringLiteral("unitNumber"), QStringLiteral("0")))
        .add(vim(QStringLiteral("capacityInKB"), QString::number(spec.diskMiB * 1024)))
        .add(vim(QStringLiteral("capacityInBytes"), QString::number(spec.diskMiB * 1024 * 1024)));
    XmlPattern addDisk = vim(QStringLiteral("deviceChange"));
    addDisk.add(vim(QStringLiteral("operation"), QStringLiteral("add")))
        .add(vim(QStringLiteral("fileOperation"), QStringLiteral("create")))
        .add(std::move(disk));

    XmlPattern nicBacking =
        withXsiType(vim(QStringLiteral("backing")), QStringLiteral("VirtualEthernetCardNetworkBackingInfo"));
    nicBacking.add(fromState(vim(QStringLiteral("deviceName"), spec.network), QStringLiteral("${networkName}")))
        .add(fromState(moref(QStringLiteral("network"), QStringLiteral("Network"), kNetwork),
                       QStringLiteral("${network}")));
    XmlPattern connectable = vim(QStringLiteral("connectable"));
    connectable.add(vim(QStringLiteral("startConnected"), QStringLiteral("true")))
        .add(vim(QStringLiteral("allowGuestControl"), QStringLiteral("true")))
        .add(vim(QStringLiteral("connected"), QStringLiteral("false")));
    XmlPattern nic = withXsiType(vim(QStringLiteral("device")), QStringLiteral("VirtualVmxnet3"));
    nic.add(vim(QStringLiteral("key"), QStringLiteral("-300")))
        .add(std::move(nicBacking))
        .add(std::move(connectable))
        .add(vim(QStringLiteral("addressType"), QStringLiteral("generated")));
    XmlPattern addNic = vim(QStringLiteral("deviceChange"));
    addNic.add(vim(QStringLiteral("operation"), QStringLiteral("add"))).add(std::move(nic));

    // The request's UUID is the VM's instance UUID and its extraConfig dcm.requestId: the key that
    // finds the VM again after a lost reply.
    XmlPattern requestKey = withXsiType(vim(QStringLiteral("extraConfig")), QStringLiteral("OptionValue"));
    requestKey.add(vim(QStringLiteral("key"), QStringLiteral("dcm.requestId")))
        .add(fromState(withXsiType(vim(QStringLiteral("value"), kRequestId), QStringLiteral("xsd:string")),
                       QStringLiteral("${requestId}")));

    XmlPattern files = vim(QStringLiteral("files"));
    files.add(fromState(vim(QStringLiteral("vmPathName"), datastorePath), datastoreExpression));
    XmlPattern config = vim(QStringLiteral("config"));
    config.add(fromState(vim(QStringLiteral("name"), spec.name), QStringLiteral("${vmName}")))
        .add(fromState(vim(QStringLiteral("instanceUuid"), kRequestId), QStringLiteral("${requestId}")))
        .add(vim(QStringLiteral("guestId"), QStringLiteral("otherGuest64")))
        .add(std::move(files))
        .add(vim(QStringLiteral("numCPUs"), QString::number(spec.cpus)))
        .add(vim(QStringLiteral("numCoresPerSocket"), QStringLiteral("1")))
        .add(vim(QStringLiteral("memoryMB"), QString::number(spec.memoryMiB)))
        .add(std::move(addController))
        .add(std::move(addDisk))
        .add(std::move(addNic))
        .add(std::move(requestKey));

    XmlPattern request =
        call(QStringLiteral("CreateVM_Task"), QStringLiteral("Folder"), kVmFolder, QStringLiteral("${folder}"));
    request.add(std::move(config))
        .add(fromState(moref(QStringLiteral("pool"), QStringLiteral("ResourcePool"), kClusterPool),
                       QStringLiteral("${pool}")));

    PactInteraction i(pact, QStringLiteral("CreateVM_Task: a VM carrying its request key is created"));
    i.given(kLoggedIn).given(kPlacementTargets);
    soapRequest(i, std::move(request), true);
    soapReply(i, 200, taskReply(QStringLiteral("CreateVM_Task"), kCreateTask));
    return i.ok();
}

namespace {

XmlPattern taskPoll(const QString& task)
{
    return retrieveObject(QStringLiteral("Task"), task, QStringLiteral("${task}"),
                          {propSpec(QStringLiteral("Task"), kTaskPaths)});
}

XmlPattern taskState(const QString& state)
{
    return prop(QStringLiteral("info.state"), val(QStringLiteral("TaskInfoState"), state));
}

} // namespace

bool createTaskRunning(PactHandle pact)
{
    // A task reports its state and progress first, whatever its state. The simulator finishes every
    // task before it answers, so at verification this holds for a finished task; the result of a
    // finished one is pinned by createTaskSucceeded().
    const QList<XmlPattern> props{taskState(QStringLiteral("running")),
                                  numberProp(QStringLiteral("info.progress"), QStringLiteral("xsd:int"), 40)};
    PactInteraction i(pact, QStringLiteral("RetrievePropertiesEx: the state and progress of a CreateVM task"));
    i.given(kLoggedIn).given(kConsoleVm);
    soapRequest(i, taskPoll(kCreateTask), true);
    soapReply(i, 200, retrieveReply({object(QStringLiteral("Task"), kCreateTask, props)}));
    return i.ok();
}

bool createTaskSucceeded(PactHandle pact)
{
    const QList<XmlPattern> props{taskState(QStringLiteral("success")),
                                  numberProp(QStringLiteral("info.progress"), QStringLiteral("xsd:int"), 100),
                                  prop(QStringLiteral("info.result"), refVal(QStringLiteral("VirtualMachine"), kNewVm)),
                                  booleanProp(QStringLiteral("info.cancelable"), false)};
    PactInteraction i(pact, QStringLiteral("RetrievePropertiesEx: a finished CreateVM task names the new VM"));
    i.given(kLoggedIn).given(kConsoleVm);
    soapRequest(i, taskPoll(kCreateTask), true);
    soapReply(i, 200, retrieveReply({object(QStringLiteral("Task"), kCreateTask, props)}));
    return i.ok();
}

bool powerOnVm(PactHandle pact)
{
    PactInteraction i(pact, QStringLiteral("PowerOnVM_Task: the new VM is powered on"));
    i.given(kLoggedIn).given(kConsoleVm);
    soapRequest(
        i, call(QStringLiteral("PowerOnVM_Task"), QStringLiteral("VirtualMachine"), kNewVm, QStringLiteral("${vm}")),
        true);
    soapReply(i, 200, taskReply(QStringLiteral("PowerOnVM_Task"), kPowerOnTask));
    return i.ok();
}

bool powerOnTaskSucceeded(PactHandle pact)
{
    const QList<XmlPattern> props{taskState(QStringLiteral("success")),
                                  numberProp(QStringLiteral("info.progress"), QStringLiteral("xsd:int"), 100),
                                  booleanProp(QStringLiteral("info.cancelable"), false)};
    PactInteraction i(pact, QStringLiteral("RetrievePropertiesEx: a finished PowerOn task"));
    i.given(kLoggedIn).given(kConsoleVmPoweredOn);
    soapRequest(i, taskPoll(kPowerOnTask), true);
    soapReply(i, 200, retrieveReply({object(QStringLiteral("Task"), kPowerOnTask, props)}));
    return i.ok();
}

bool readNewVm(PactHandle pact)
{
    const XmlPattern request = retrieveObject(
        QStringLiteral("VirtualMachine"), kNewVm, QStringLiteral("${vm}"),
        {propSpec(QStringLiteral("VirtualMachine"), {QStringLiteral("name"), QStringLiteral("config.instanceUuid"),
                                                     QStringLiteral("runtime.powerState")})});
    const QList<XmlPattern> props{stringProp(QStringLiteral("name"), kNewVmName),
                                  stringProp(QStringLiteral("config.instanceUuid"), kRequestId),
                                  prop(QStringLiteral("runtime.powerState"), powerStateVal())};
    PactInteraction i(pact, QStringLiteral("RetrievePropertiesEx: a VM's name, instance UUID and power state"));
    i.given(kLoggedIn).given(kConsoleVm);
    soapRequest(i, request, true);
    soapReply(i, 200, retrieveReply({object(QStringLiteral("VirtualMachine"), kNewVm, props)}));
    return i.ok();
}

namespace {

XmlPattern findByUuidCall(const QString& uuid, bool withInstanceUuidFlag)
{
    XmlPattern request =
        call(QStringLiteral("FindByUuid"), QStringLiteral("SearchIndex"), QStringLiteral("SearchIndex"));
    request.add(vim(QStringLiteral("uuid"), uuid)).add(vim(QStringLiteral("vmSearch"), QStringLiteral("true")));
    if (withInstanceUuidFlag)
        request.add(vim(QStringLiteral("instanceUuid"), QStringLiteral("true")));
    return request;
}

} // namespace

namespace {

bool findByUuidOfConsoleVm(PactHandle pact, const QString& description, bool withInstanceUuidFlag)
{
    // The generator sits on <uuid>: at verification it is the provider's request key.
    XmlPattern request =
        call(QStringLiteral("FindByUuid"), QStringLiteral("SearchIndex"), QStringLiteral("SearchIndex"));
    request.add(fromState(vim(QStringLiteral("uuid"), kRequestId), QStringLiteral("${requestId}")))
        .add(vim(QStringLiteral("vmSearch"), QStringLiteral("true")));
    if (withInstanceUuidFlag)
        request.add(vim(QStringLiteral("instanceUuid"), QStringLiteral("true")));
    XmlPattern reply = response(QStringLiteral("FindByUuid"));
    reply.add(moref(QStringLiteral("returnval"), QStringLiteral("VirtualMachine"), kNewVm, like(kAnything)));
    PactInteraction i(pact, description);
    i.given(kLoggedIn).given(kConsoleVm);
    soapRequest(i, std::move(request), true);
    soapReply(i, 200, std::move(reply));
    return i.ok();
}

} // namespace

bool findByUuid(PactHandle pact)
{
    return findByUuidOfConsoleVm(pact, QStringLiteral("FindByUuid: the VM whose instance UUID is the request key"),
                                 true);
}

bool findByUuidNothing(PactHandle pact)
{
    PactInteraction i(pact, QStringLiteral("FindByUuid: no VM has the instance UUID"));
    i.given(kLoggedIn);
    soapRequest(i, findByUuidCall(kUnknownRequestId, true), true);
    soapReply(i, 200, response(QStringLiteral("FindByUuid")));
    return i.ok();
}

bool findByUuidWithoutInstanceUuidFlag(PactHandle pact)
{
    return findByUuidOfConsoleVm(pact, QStringLiteral("FindByUuid: negative control, the same without <instanceUuid>"),
                                 false);
}

bool connectSequence(PactHandle pact)
{
    return serviceVersions(pact) && retrieveServiceContent(pact) && login(pact);
}

bool inventoryRead(PactHandle pact, InventoryView view)
{
    return createContainerView(pact, view) && retrieveThroughView(pact, view) && destroyView(pact);
}

} // namespace VimContract
