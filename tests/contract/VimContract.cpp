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
    XmlPattern obj = moref(QStringLiteral("obj"), type, value);
    if (!expression.isEmpty()) // else a service object, the same on every vCenter
        obj.textFromProviderState(expression);
    objectSet.add(std::move(obj)).add(vim(QStringLiteral("skip"), QStringLiteral("false")));
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

// A template as the views list it: name, parent and the template flag.
XmlPattern templateObject()
{
    return object(QStringLiteral("VirtualMachine"), kTemplateVm,
                  {stringProp(QStringLiteral("name"), kTemplateName),
                   prop(QStringLiteral("parent"), refVal(QStringLiteral("Folder"), kConsoleVmFolder)),
                   booleanProp(QStringLiteral("config.template"), true)});
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
    case InventoryView::Templates: {
        QList<XmlPattern> specs{folderSpec(), datacenterSpec()};
        specs.append(networkSpecs());
        specs.append(propSpec(QStringLiteral("VirtualMachine"),
                              {QStringLiteral("name"), QStringLiteral("parent"), QStringLiteral("config.template")}));
        return {viewName(view),
                QStringLiteral("which VMs are templates"),
                {folder, datacenter, QStringLiteral("Network"), QStringLiteral("DistributedVirtualSwitch"),
                 QStringLiteral("VirtualMachine")},
                specs,
                {templateObject()}};
    }
    case InventoryView::TemplateSource:
        return {viewName(view),
                QStringLiteral("a datacenter's VMs and templates by name"),
                {QStringLiteral("VirtualMachine")},
                {propSpec(QStringLiteral("VirtualMachine"),
                          {QStringLiteral("name"), QStringLiteral("parent"), QStringLiteral("config.template")})},
                {templateObject()}};
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
    case InventoryView::Templates:
        return QStringLiteral("templates");
    case InventoryView::TemplateSource:
        return QStringLiteral("template-source");
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
            InventoryView::RequestKeyScan,
            InventoryView::Templates,
            InventoryView::TemplateSource};
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
        // customize() with a saved specification and inventory(CustomizationSpecs) need its manager.
        .add(moref(QStringLiteral("customizationSpecManager"), QStringLiteral("CustomizationSpecManager"),
                   QStringLiteral("CustomizationSpecManager"), like(kAnything)))
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
    const bool inDatacenter = view == InventoryView::TemplateSource;
    if (inDatacenter) {
        // The source of a clone is looked for in the datacenter of the placement.
        request.add(fromState(moref(QStringLiteral("container"), QStringLiteral("Datacenter"), kDatacenter),
                              QStringLiteral("${datacenter}")));
    } else {
        request.add(moref(QStringLiteral("container"), QStringLiteral("Folder"), kRootFolder));
    }
    for (const QString& type : d.types)
        request.add(vim(QStringLiteral("type"), type));
    request.add(vim(QStringLiteral("recursive"), QStringLiteral("true")));
    XmlPattern reply = response(QStringLiteral("CreateContainerView"));
    reply.add(moref(QStringLiteral("returnval"), QStringLiteral("ContainerView"), kView, like(kAnything)));

    PactInteraction i(pact, QStringLiteral("CreateContainerView: a view below %1 for %2")
                                .arg(inDatacenter ? QStringLiteral("a datacenter") : QStringLiteral("the root folder"),
                                     d.description));
    i.given(kLoggedIn);
    if (inDatacenter)
        i.given(kPlacementTargets);
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
    // A task reports its state and progress first, whatever its state; at verification the task is
    // really running (the simulator's task delay). The result of a finished one is pinned by
    // createTaskSucceeded().
    const QList<XmlPattern> props{taskState(QStringLiteral("running")),
                                  numberProp(QStringLiteral("info.progress"), QStringLiteral("xsd:int"), 40)};
    PactInteraction i(pact, QStringLiteral("RetrievePropertiesEx: the state and progress of a CreateVM task"));
    i.given(kLoggedIn).given(kCreateTaskRunning);
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

// --- Templates, clones, customization, power operations, state ------------------------------------

namespace {

// A device of a VM's config.hardware.device: <VirtualDevice xsi:type="T"><key>…</key>…
XmlPattern device(const QString& type, int key)
{
    XmlPattern d = withXsiType(vim(QStringLiteral("VirtualDevice")), type);
    d.add(vim(QStringLiteral("key"), QString::number(key)));
    return d;
}

XmlPattern deviceInfo(const QString& label, const QString& summary)
{
    XmlPattern info = vim(QStringLiteral("deviceInfo"));
    info.add(vim(QStringLiteral("label"), label)).add(vim(QStringLiteral("summary"), summary, any()));
    return info;
}

// The template's devices as vCenter lists them: the devices every VM has (in the order vCenter and the
// simulator list them, compared by position: only type and key are pinned), then the template's SCSI
// controller, disk and NIC with what a clone spec is made of.
XmlPattern templateDevicesVal()
{
    XmlPattern v = val(QStringLiteral("ArrayOfVirtualDevice"), {});
    const QList<QPair<QString, int>> standard{
        {QStringLiteral("VirtualIDEController"), 200},      {QStringLiteral("VirtualIDEController"), 201},
        {QStringLiteral("VirtualPS2Controller"), 300},      {QStringLiteral("VirtualPCIController"), 100},
        {QStringLiteral("VirtualSIOController"), 400},      {QStringLiteral("VirtualKeyboard"), 600},
        {QStringLiteral("VirtualPointingDevice"), 700},     {QStringLiteral("VirtualMachineVideoCard"), 500},
        {QStringLiteral("VirtualMachineVMCIDevice"), 12000}};
    for (const auto& [type, key] : standard)
        v.add(device(type, key));

    XmlPattern scsi = device(QStringLiteral("ParaVirtualSCSIController"), 1000);
    scsi.add(deviceInfo(QStringLiteral("SCSI controller 0"), QStringLiteral("VMware paravirtual SCSI")))
        .add(vim(QStringLiteral("busNumber"), QStringLiteral("0")));
    v.add(std::move(scsi));

    XmlPattern diskBacking =
        withXsiType(vim(QStringLiteral("backing")), QStringLiteral("VirtualDiskFlatVer2BackingInfo"));
    diskBacking
        .add(vim(QStringLiteral("fileName"), QStringLiteral("[LocalDS_0] pact-template/pact-template.vmdk"), any()))
        .add(vim(QStringLiteral("diskMode"), QStringLiteral("persistent")))
        .add(vim(QStringLiteral("thinProvisioned"), QStringLiteral("true")));
    XmlPattern disk = device(QStringLiteral("VirtualDisk"), 2000);
    disk.add(deviceInfo(QStringLiteral("Hard disk 1"), QStringLiteral("1,048,576 KB")))
        .add(std::move(diskBacking))
        .add(vim(QStringLiteral("controllerKey"), QStringLiteral("1000")))
        .add(vim(QStringLiteral("unitNumber"), QStringLiteral("0")))
        .add(vim(QStringLiteral("capacityInKB"), QStringLiteral("1048576")));
    v.add(std::move(disk));

    XmlPattern nicBacking =
        withXsiType(vim(QStringLiteral("backing")), QStringLiteral("VirtualEthernetCardNetworkBackingInfo"));
    nicBacking.add(vim(QStringLiteral("deviceName"), QStringLiteral("VM Network"), any()))
        .add(moref(QStringLiteral("network"), QStringLiteral("Network"), kNetwork, like(kAnything)));
    XmlPattern nic = device(QStringLiteral("VirtualVmxnet3"), 4000);
    nic.add(deviceInfo(QStringLiteral("Network adapter 1"), QStringLiteral("VM Network")))
        .add(std::move(nicBacking))
        .add(vim(QStringLiteral("controllerKey"), QStringLiteral("100")))
        .add(vim(QStringLiteral("unitNumber"), QStringLiteral("7")))
        .add(vim(QStringLiteral("addressType"), QStringLiteral("generated")));
    v.add(std::move(nic));
    return v;
}

bool vmTask(PactHandle pact, const QString& method, const QString& description, const QString& vm,
            const QString& vmExpression, const QStringList& states, const QString& task)
{
    PactInteraction i(pact, description);
    i.given(kLoggedIn);
    for (const QString& state : states)
        i.given(state);
    soapRequest(i, call(method, QStringLiteral("VirtualMachine"), vm, vmExpression), true);
    soapReply(i, 200, taskReply(method, task));
    return i.ok();
}

bool taskSucceeded(PactHandle pact, const QString& description, const QString& state, const QString& task,
                   const QList<XmlPattern>& result = {})
{
    QList<XmlPattern> props{taskState(QStringLiteral("success")),
                            numberProp(QStringLiteral("info.progress"), QStringLiteral("xsd:int"), 100)};
    props.append(result);
    props.append(booleanProp(QStringLiteral("info.cancelable"), false));
    PactInteraction i(pact, description);
    i.given(kLoggedIn).given(state);
    soapRequest(i, taskPoll(task), true);
    soapReply(i, 200, retrieveReply({object(QStringLiteral("Task"), task, props)}));
    return i.ok();
}

XmlPattern text(const QString& name, const QString& value)
{
    return vim(name, value);
}

} // namespace

bool templateDetails(PactHandle pact)
{
    const XmlPattern request =
        retrieveObject(QStringLiteral("VirtualMachine"), kTemplateVm, QStringLiteral("${template}"),
                       {propSpec(QStringLiteral("VirtualMachine"),
                                 {QStringLiteral("config.guestId"), QStringLiteral("config.guestFullName"),
                                  QStringLiteral("config.hardware.numCPU"), QStringLiteral("config.hardware.memoryMB"),
                                  QStringLiteral("config.hardware.device")})});
    const QList<XmlPattern> props{
        stringProp(QStringLiteral("config.guestId"), QStringLiteral("ubuntu64Guest")),
        stringProp(QStringLiteral("config.guestFullName"), QStringLiteral("Ubuntu Linux (64-bit)")),
        numberProp(QStringLiteral("config.hardware.numCPU"), QStringLiteral("xsd:int"), 2),
        numberProp(QStringLiteral("config.hardware.memoryMB"), QStringLiteral("xsd:int"), 2048),
        prop(QStringLiteral("config.hardware.device"), templateDevicesVal())};
    PactInteraction i(pact, QStringLiteral("RetrievePropertiesEx: a template's guest, CPUs, memory and devices"));
    i.given(kLoggedIn).given(kTemplateExists);
    soapRequest(i, request, true);
    soapReply(i, 200, retrieveReply({object(QStringLiteral("VirtualMachine"), kTemplateVm, props)}));
    return i.ok();
}

bool customizationSpecInfo(PactHandle pact)
{
    const XmlPattern request =
        retrieveObject(QStringLiteral("CustomizationSpecManager"), QStringLiteral("CustomizationSpecManager"), {},
                       {propSpec(QStringLiteral("CustomizationSpecManager"), {QStringLiteral("info")})});
    XmlPattern info = vim(QStringLiteral("CustomizationSpecInfo"));
    info.add(vim(QStringLiteral("name"), kSavedSpecName, any()))
        .add(vim(QStringLiteral("description"), QStringLiteral("static address, host name from a prefix"), any()))
        .add(vim(QStringLiteral("type"), QStringLiteral("Linux"), like(QStringLiteral("^(Linux|Windows)$"))))
        .add(vim(QStringLiteral("changeVersion"), QStringLiteral("1569969598"), any()))
        .add(vim(QStringLiteral("lastUpdateTime"), QStringLiteral("2026-02-01T10:15:00Z"), like(kDateTime)));
    XmlPattern v = val(QStringLiteral("ArrayOfCustomizationSpecInfo"), {});
    v.add(std::move(info.repeated()));
    PactInteraction i(pact, QStringLiteral("RetrievePropertiesEx: the saved customization specifications"));
    i.given(kLoggedIn).given(kCustomizationSpecExists);
    soapRequest(i, request, true);
    soapReply(i, 200,
              retrieveReply({object(QStringLiteral("CustomizationSpecManager"),
                                    QStringLiteral("CustomizationSpecManager"), {prop(QStringLiteral("info"), v)})}));
    return i.ok();
}

bool templateDevices(PactHandle pact)
{
    const XmlPattern request =
        retrieveObject(QStringLiteral("VirtualMachine"), kTemplateVm, QStringLiteral("${template}"),
                       {propSpec(QStringLiteral("VirtualMachine"), {QStringLiteral("config.hardware.device")})});
    PactInteraction i(pact, QStringLiteral("RetrievePropertiesEx: the devices of a clone's source"));
    i.given(kLoggedIn).given(kTemplateExists);
    soapRequest(i, request, true);
    soapReply(i, 200,
              retrieveReply({object(QStringLiteral("VirtualMachine"), kTemplateVm,
                                    {prop(QStringLiteral("config.hardware.device"), templateDevicesVal())})}));
    return i.ok();
}

bool cloneVm(PactHandle pact)
{
    const CloneOrder order;
    const QString datastoreExpression = QStringLiteral("[${datastoreName}]");
    const auto datastoreRef = [] {
        return fromState(moref(QStringLiteral("datastore"), QStringLiteral("Datastore"), kDatastore),
                         QStringLiteral("${datastore}"));
    };
    const auto networkBacking = [] {
        XmlPattern b =
            withXsiType(vim(QStringLiteral("backing")), QStringLiteral("VirtualEthernetCardNetworkBackingInfo"));
        b.add(fromState(vim(QStringLiteral("deviceName"), QStringLiteral("VM Network")),
                        QStringLiteral("${networkName}")))
            .add(fromState(moref(QStringLiteral("network"), QStringLiteral("Network"), kNetwork),
                           QStringLiteral("${network}")));
        return b;
    };
    const auto connectable = [] {
        XmlPattern c = vim(QStringLiteral("connectable"));
        c.add(text(QStringLiteral("startConnected"), QStringLiteral("true")))
            .add(text(QStringLiteral("allowGuestControl"), QStringLiteral("true")))
            .add(text(QStringLiteral("connected"), QStringLiteral("false")));
        return c;
    };

    // The template's disk stays thin (a locator per source disk, since a format is asked for).
    XmlPattern locatorBacking =
        withXsiType(vim(QStringLiteral("diskBackingInfo")), QStringLiteral("VirtualDiskFlatVer2BackingInfo"));
    locatorBacking.add(vim(QStringLiteral("fileName"), {}))
        .add(text(QStringLiteral("diskMode"), QStringLiteral("persistent")))
        .add(text(QStringLiteral("thinProvisioned"), QStringLiteral("true")));
    XmlPattern locator = vim(QStringLiteral("disk"));
    locator.add(text(QStringLiteral("diskId"), QStringLiteral("2000")))
        .add(datastoreRef())
        .add(std::move(locatorBacking));
    XmlPattern location = vim(QStringLiteral("location"));
    location.add(datastoreRef())
        .add(fromState(moref(QStringLiteral("pool"), QStringLiteral("ResourcePool"), kClusterPool),
                       QStringLiteral("${pool}")))
        .add(std::move(locator));

    // The template's NIC reconnected (same device, its label and summary as read).
    XmlPattern nicInfo = vim(QStringLiteral("deviceInfo"));
    nicInfo.add(text(QStringLiteral("label"), QStringLiteral("Network adapter 1")))
        .add(fromState(vim(QStringLiteral("summary"), QStringLiteral("VM Network")), QStringLiteral("${networkName}")));
    XmlPattern editedNic = withXsiType(vim(QStringLiteral("device")), QStringLiteral("VirtualVmxnet3"));
    editedNic.add(text(QStringLiteral("key"), QStringLiteral("4000")))
        .add(std::move(nicInfo))
        .add(networkBacking())
        .add(connectable())
        .add(text(QStringLiteral("controllerKey"), QStringLiteral("100")))
        .add(text(QStringLiteral("unitNumber"), QStringLiteral("7")))
        .add(text(QStringLiteral("addressType"), QStringLiteral("generated")));
    XmlPattern editNic = vim(QStringLiteral("deviceChange"));
    editNic.add(text(QStringLiteral("operation"), QStringLiteral("edit"))).add(std::move(editedNic));

    // A second NIC added, of the adapter type asked for.
    XmlPattern addedNic = withXsiType(vim(QStringLiteral("device")), QStringLiteral("VirtualE1000e"));
    addedNic.add(text(QStringLiteral("key"), QStringLiteral("-301")))
        .add(networkBacking())
        .add(connectable())
        .add(text(QStringLiteral("addressType"), QStringLiteral("generated")));
    XmlPattern addNic = vim(QStringLiteral("deviceChange"));
    addNic.add(text(QStringLiteral("operation"), QStringLiteral("add"))).add(std::move(addedNic));

    // A data disk on the template's controller, in its first free unit.
    XmlPattern diskBacking =
        withXsiType(vim(QStringLiteral("backing")), QStringLiteral("VirtualDiskFlatVer2BackingInfo"));
    diskBacking.add(fromState(vim(QStringLiteral("fileName"), QStringLiteral("[LocalDS_0]")), datastoreExpression))
        .add(datastoreRef())
        .add(text(QStringLiteral("diskMode"), QStringLiteral("persistent")))
        .add(text(QStringLiteral("thinProvisioned"), QStringLiteral("true")));
    XmlPattern disk = withXsiType(vim(QStringLiteral("device")), QStringLiteral("VirtualDisk"));
    disk.add(text(QStringLiteral("key"), QStringLiteral("-1000")))
        .add(std::move(diskBacking))
        .add(text(QStringLiteral("controllerKey"), QStringLiteral("1000")))
        .add(text(QStringLiteral("unitNumber"), QStringLiteral("1")))
        .add(text(QStringLiteral("capacityInKB"), QString::number(order.dataDiskMiB * 1024)))
        .add(text(QStringLiteral("capacityInBytes"), QString::number(order.dataDiskMiB * 1024 * 1024)));
    XmlPattern addDisk = vim(QStringLiteral("deviceChange"));
    addDisk.add(text(QStringLiteral("operation"), QStringLiteral("add")))
        .add(text(QStringLiteral("fileOperation"), QStringLiteral("create")))
        .add(std::move(disk));

    XmlPattern requestKey = withXsiType(vim(QStringLiteral("extraConfig")), QStringLiteral("OptionValue"));
    requestKey.add(text(QStringLiteral("key"), QStringLiteral("dcm.requestId")))
        .add(fromState(withXsiType(vim(QStringLiteral("value"), kCloneRequestId), QStringLiteral("xsd:string")),
                       QStringLiteral("${requestId}")));

    XmlPattern config = vim(QStringLiteral("config"));
    config.add(fromState(vim(QStringLiteral("instanceUuid"), kCloneRequestId), QStringLiteral("${requestId}")))
        .add(text(QStringLiteral("numCPUs"), QString::number(order.cpus)))
        .add(text(QStringLiteral("numCoresPerSocket"), QString::number(order.coresPerSocket)))
        .add(text(QStringLiteral("memoryMB"), QString::number(order.memoryMiB)))
        .add(std::move(editNic))
        .add(std::move(addNic))
        .add(std::move(addDisk))
        .add(std::move(requestKey));

    // Powered off and not customized: both are steps of their own.
    XmlPattern spec = vim(QStringLiteral("spec"));
    spec.add(std::move(location))
        .add(text(QStringLiteral("template"), QStringLiteral("false")))
        .add(std::move(config))
        .add(text(QStringLiteral("powerOn"), QStringLiteral("false")));

    XmlPattern request = call(QStringLiteral("CloneVM_Task"), QStringLiteral("VirtualMachine"), kTemplateVm,
                              QStringLiteral("${template}"));
    request
        .add(fromState(moref(QStringLiteral("folder"), QStringLiteral("Folder"), kVmFolder),
                       QStringLiteral("${folder}")))
        .add(fromState(vim(QStringLiteral("name"), kCloneName), QStringLiteral("${vmName}")))
        .add(std::move(spec));

    PactInteraction i(pact, QStringLiteral("CloneVM_Task: a template is cloned, powered off, carrying a request key"));
    i.given(kLoggedIn).given(kPlacementTargets).given(kTemplateExists);
    soapRequest(i, std::move(request), true);
    soapReply(i, 200, taskReply(QStringLiteral("CloneVM_Task"), kCloneTask));
    return i.ok();
}

bool cloneTaskSucceeded(PactHandle pact)
{
    return taskSucceeded(pact, QStringLiteral("RetrievePropertiesEx: a finished CloneVM task names the clone"),
                         kCloneExists, kCloneTask,
                         {prop(QStringLiteral("info.result"), refVal(QStringLiteral("VirtualMachine"), kCloneVm))});
}

bool readClone(PactHandle pact)
{
    const XmlPattern request = retrieveObject(
        QStringLiteral("VirtualMachine"), kCloneVm, QStringLiteral("${vm}"),
        {propSpec(QStringLiteral("VirtualMachine"), {QStringLiteral("name"), QStringLiteral("config.instanceUuid"),
                                                     QStringLiteral("runtime.powerState")})});
    const QList<XmlPattern> props{stringProp(QStringLiteral("name"), kCloneName),
                                  stringProp(QStringLiteral("config.instanceUuid"), kCloneRequestId),
                                  prop(QStringLiteral("runtime.powerState"),
                                       val(QStringLiteral("VirtualMachinePowerState"), QStringLiteral("poweredOff")))};
    PactInteraction i(pact, QStringLiteral("RetrievePropertiesEx: a clone's name, instance UUID and power state"));
    i.given(kLoggedIn).given(kCloneExists);
    soapRequest(i, request, true);
    soapReply(i, 200, retrieveReply({object(QStringLiteral("VirtualMachine"), kCloneVm, props)}));
    return i.ok();
}

namespace {

XmlPattern customizeCall(XmlPattern spec)
{
    XmlPattern request =
        call(QStringLiteral("CustomizeVM_Task"), QStringLiteral("VirtualMachine"), kCloneVm, QStringLiteral("${vm}"));
    request.add(std::move(spec));
    return request;
}

} // namespace

bool customizeLinux(PactHandle pact)
{
    const LinuxCustomization c;
    XmlPattern hostName = withXsiType(vim(QStringLiteral("hostName")), QStringLiteral("CustomizationFixedName"));
    hostName.add(text(QStringLiteral("name"), c.hostName));
    XmlPattern identity = withXsiType(vim(QStringLiteral("identity")), QStringLiteral("CustomizationLinuxPrep"));
    identity.add(std::move(hostName))
        .add(text(QStringLiteral("domain"), c.domain))
        .add(text(QStringLiteral("timeZone"), c.timeZone));
    XmlPattern global = vim(QStringLiteral("globalIPSettings"));
    global.add(text(QStringLiteral("dnsSuffixList"), c.dnsSuffix))
        .add(text(QStringLiteral("dnsServerList"), c.dnsServer));
    XmlPattern ip = withXsiType(vim(QStringLiteral("ip")), QStringLiteral("CustomizationFixedIp"));
    ip.add(text(QStringLiteral("ipAddress"), c.address));
    XmlPattern adapter = vim(QStringLiteral("adapter"));
    adapter.add(std::move(ip))
        .add(text(QStringLiteral("subnetMask"), QStringLiteral("255.255.255.0")))
        .add(text(QStringLiteral("gateway"), c.gateway));
    XmlPattern nic = vim(QStringLiteral("nicSettingMap"));
    nic.add(std::move(adapter));
    XmlPattern spec = vim(QStringLiteral("spec"));
    spec.add(withXsiType(vim(QStringLiteral("options")), QStringLiteral("CustomizationLinuxOptions")))
        .add(std::move(identity))
        .add(std::move(global))
        .add(std::move(nic));

    PactInteraction i(pact, QStringLiteral("CustomizeVM_Task: typed Linux settings for a powered-off clone"));
    i.given(kLoggedIn).given(kCloneExists);
    soapRequest(i, customizeCall(std::move(spec)), true);
    soapReply(i, 200, taskReply(QStringLiteral("CustomizeVM_Task"), kCustomizeTask));
    return i.ok();
}

namespace {

// vcsim-linux-static as vCenter keeps it: a host name from a prefix, the address asked of the operator
// at deployment (an unknown IP generator), one NIC.
XmlPattern savedLinuxSpec(bool inReply)
{
    const auto typed = [](const QString& name, const QString& type) { return withXsiType(vim(name), type); };
    const auto value = [inReply](const QString& name, const QString& v) {
        return inReply ? vim(name, v, any()) : vim(name, v);
    };
    XmlPattern hostName = typed(QStringLiteral("hostName"), QStringLiteral("CustomizationPrefixName"));
    hostName.add(value(QStringLiteral("base"), QStringLiteral("vcsim")));
    XmlPattern identity = typed(QStringLiteral("identity"), QStringLiteral("CustomizationLinuxPrep"));
    identity.add(std::move(hostName))
        .add(value(QStringLiteral("domain"), QStringLiteral("eng.vmware.com")))
        .add(value(QStringLiteral("timeZone"), QStringLiteral("Africa/Cairo")))
        .add(value(QStringLiteral("hwClockUTC"), QStringLiteral("true")));
    XmlPattern global = vim(QStringLiteral("globalIPSettings"));
    global.add(value(QStringLiteral("dnsServerList"), QStringLiteral("127.0.1.1")));
    XmlPattern adapter = vim(QStringLiteral("adapter"));
    adapter.add(typed(QStringLiteral("ip"), QStringLiteral("CustomizationUnknownIpGenerator")))
        .add(value(QStringLiteral("subnetMask"), QStringLiteral("255.255.255.0")))
        .add(value(QStringLiteral("gateway"), QStringLiteral("10.0.0.1")));
    XmlPattern nic = vim(QStringLiteral("nicSettingMap"));
    nic.add(std::move(adapter));
    XmlPattern spec = vim(QStringLiteral("spec"));
    spec.add(typed(QStringLiteral("options"), QStringLiteral("CustomizationLinuxOptions")))
        .add(std::move(identity))
        .add(std::move(global))
        .add(std::move(nic));
    return spec;
}

} // namespace

bool getCustomizationSpec(PactHandle pact)
{
    XmlPattern request = call(QStringLiteral("GetCustomizationSpec"), QStringLiteral("CustomizationSpecManager"),
                              QStringLiteral("CustomizationSpecManager"));
    request.add(fromState(vim(QStringLiteral("name"), kSavedSpecName), QStringLiteral("${specName}")));
    XmlPattern info = vim(QStringLiteral("info"));
    info.add(vim(QStringLiteral("name"), kSavedSpecName, any()))
        .add(vim(QStringLiteral("type"), QStringLiteral("Linux")));
    XmlPattern item = vim(QStringLiteral("returnval"));
    item.add(std::move(info)).add(savedLinuxSpec(true));
    XmlPattern reply = response(QStringLiteral("GetCustomizationSpec"));
    reply.add(std::move(item));
    PactInteraction i(pact, QStringLiteral("GetCustomizationSpec: a saved Linux specification by name"));
    i.given(kLoggedIn).given(kCustomizationSpecExists);
    soapRequest(i, std::move(request), true);
    soapReply(i, 200, std::move(reply));
    return i.ok();
}

bool customizeSaved(PactHandle pact)
{
    PactInteraction i(pact, QStringLiteral("CustomizeVM_Task: a saved specification sent back as it came"));
    i.given(kLoggedIn).given(kCloneExists);
    soapRequest(i, customizeCall(savedLinuxSpec(false)), true);
    soapReply(i, 200, taskReply(QStringLiteral("CustomizeVM_Task"), kCustomizeTask));
    return i.ok();
}

bool customizeTaskSucceeded(PactHandle pact)
{
    return taskSucceeded(pact, QStringLiteral("RetrievePropertiesEx: a finished CustomizeVM task"), kCloneCustomized,
                         kCustomizeTask);
}

bool powerOffVm(PactHandle pact)
{
    return vmTask(pact, QStringLiteral("PowerOffVM_Task"),
                  QStringLiteral("PowerOffVM_Task: a running VM is powered off"), kNewVm, QStringLiteral("${vm}"),
                  {kConsoleVmPoweredOn}, kPowerOffTask);
}

bool powerOffTaskSucceeded(PactHandle pact)
{
    return taskSucceeded(pact, QStringLiteral("RetrievePropertiesEx: a finished PowerOff task"), kConsoleVmPoweredOff,
                         kPowerOffTask);
}

bool shutdownGuest(PactHandle pact)
{
    // No task: the guest is asked to shut down. vCenter refuses with ToolsUnavailable when the guest's
    // tools do not run; the simulator powers the VM off at once, tools or not, and answers as here.
    PactInteraction i(pact, QStringLiteral("ShutdownGuest: a running VM's guest is asked to shut down"));
    i.given(kLoggedIn).given(kConsoleVmPoweredOn);
    soapRequest(
        i, call(QStringLiteral("ShutdownGuest"), QStringLiteral("VirtualMachine"), kNewVm, QStringLiteral("${vm}")),
        true);
    soapReply(i, 200, response(QStringLiteral("ShutdownGuest")));
    return i.ok();
}

bool resetVm(PactHandle pact)
{
    return vmTask(pact, QStringLiteral("ResetVM_Task"), QStringLiteral("ResetVM_Task: a running VM is reset"), kNewVm,
                  QStringLiteral("${vm}"), {kConsoleVmPoweredOn}, kResetTask);
}

bool resetTaskSucceeded(PactHandle pact)
{
    return taskSucceeded(pact, QStringLiteral("RetrievePropertiesEx: a finished Reset task"), kConsoleVmReset,
                         kResetTask);
}

bool destroyVm(PactHandle pact)
{
    return vmTask(pact, QStringLiteral("Destroy_Task"), QStringLiteral("Destroy_Task: a powered-off VM is destroyed"),
                  kNewVm, QStringLiteral("${vm}"), {kConsoleVm}, kDestroyTask);
}

bool destroyTaskSucceeded(PactHandle pact)
{
    return taskSucceeded(pact, QStringLiteral("RetrievePropertiesEx: a finished Destroy task"), kConsoleVmDestroyed,
                         kDestroyTask);
}

bool readVmState(PactHandle pact)
{
    const XmlPattern request = retrieveObject(
        QStringLiteral("VirtualMachine"), kCloneVm, QStringLiteral("${vm}"),
        {propSpec(QStringLiteral("VirtualMachine"),
                  {QStringLiteral("name"), QStringLiteral("runtime.powerState"), QStringLiteral("config.template"),
                   QStringLiteral("config.instanceUuid"), QStringLiteral("config.extraConfig"),
                   QStringLiteral("config.tools.pendingCustomization"), QStringLiteral("guest.toolsRunningStatus"),
                   QStringLiteral("guest.hostName"), QStringLiteral("guest.ipAddress")})});
    // Paths without a value (no guest host name or address before the guest ran) are left out of a
    // reply: what a powered-off clone with a pending customization has.
    const QList<XmlPattern> props{
        stringProp(QStringLiteral("name"), kCloneName),
        prop(QStringLiteral("runtime.powerState"),
             val(QStringLiteral("VirtualMachinePowerState"), QStringLiteral("poweredOff"))),
        booleanProp(QStringLiteral("config.template"), false),
        stringProp(QStringLiteral("config.instanceUuid"), kCloneRequestId),
        prop(QStringLiteral("config.extraConfig"), extraConfigVal(QStringLiteral("dcm.requestId"), kCloneRequestId)),
        stringProp(QStringLiteral("config.tools.pendingCustomization"),
                   QStringLiteral("[LocalDS_0] pact-app-01/imcf-Xb3kQz")),
        stringProp(QStringLiteral("guest.toolsRunningStatus"), QStringLiteral("guestToolsNotRunning"))};
    PactInteraction i(pact, QStringLiteral("RetrievePropertiesEx: the state of a clone with a pending customization"));
    i.given(kLoggedIn).given(kCloneCustomized);
    soapRequest(i, request, true);
    soapReply(i, 200, retrieveReply({object(QStringLiteral("VirtualMachine"), kCloneVm, props)}));
    return i.ok();
}

// --- The update channel -----------------------------------------------------------------------

namespace {

XmlPattern changeOf(const QString& path, XmlPattern value)
{
    XmlPattern c = vim(QStringLiteral("changeSet"));
    c.add(vim(QStringLiteral("name"), path))
        .add(vim(QStringLiteral("op"), QStringLiteral("assign")))
        .add(std::move(value));
    return c;
}

XmlPattern waitRequest(bool withVersion)
{
    XmlPattern request = call(QStringLiteral("WaitForUpdatesEx"), QStringLiteral("PropertyCollector"), kCollector,
                              QStringLiteral("${collector}"));
    if (withVersion)
        request.add(fromState(vim(QStringLiteral("version"), kFirstVersion), QStringLiteral("${version}")));
    XmlPattern options = vim(QStringLiteral("options"));
    options.add(vim(QStringLiteral("maxWaitSeconds"), QStringLiteral("20")))
        .add(vim(QStringLiteral("maxObjectUpdates"), QStringLiteral("1000")));
    request.add(std::move(options));
    return request;
}

// An UpdateSet with one object update of the task filter.
XmlPattern updateSetReply(const QString& version, const QString& kind, const QList<XmlPattern>& changes)
{
    XmlPattern objectSet = vim(QStringLiteral("objectSet"));
    objectSet.add(vim(QStringLiteral("kind"), kind))
        .add(moref(QStringLiteral("obj"), QStringLiteral("Task"), kCreateTask, like(kAnything)));
    for (const XmlPattern& c : changes)
        objectSet.add(c);
    XmlPattern filterSet = vim(QStringLiteral("filterSet"));
    filterSet.add(moref(QStringLiteral("filter"), QStringLiteral("PropertyFilter"), kTaskFilter, like(kAnything)))
        .add(std::move(objectSet));
    XmlPattern returnval = vim(QStringLiteral("returnval"));
    returnval.add(vim(QStringLiteral("version"), version, like(kAnything))).add(std::move(filterSet));
    XmlPattern r = response(QStringLiteral("WaitForUpdatesEx"));
    r.add(std::move(returnval));
    return r;
}

} // namespace

bool createPropertyCollector(PactHandle pact)
{
    XmlPattern reply = response(QStringLiteral("CreatePropertyCollector"));
    reply.add(moref(QStringLiteral("returnval"), QStringLiteral("PropertyCollector"), kCollector, like(kAnything)));
    PactInteraction i(pact, QStringLiteral("CreatePropertyCollector: the console's own collector for its updates"));
    i.given(kLoggedIn);
    soapRequest(i,
                call(QStringLiteral("CreatePropertyCollector"), QStringLiteral("PropertyCollector"),
                     QStringLiteral("propertyCollector")),
                true);
    soapReply(i, 200, std::move(reply));
    return i.ok();
}

bool createTaskFilter(PactHandle pact)
{
    XmlPattern objectSet = vim(QStringLiteral("objectSet"));
    objectSet
        .add(fromState(moref(QStringLiteral("obj"), QStringLiteral("Task"), kCreateTask), QStringLiteral("${task}")))
        .add(vim(QStringLiteral("skip"), QStringLiteral("false")));
    XmlPattern spec = vim(QStringLiteral("spec"));
    spec.add(propSpec(QStringLiteral("Task"), kTaskPaths)).add(std::move(objectSet));
    XmlPattern request = call(QStringLiteral("CreateFilter"), QStringLiteral("PropertyCollector"), kCollector,
                              QStringLiteral("${collector}"));
    request.add(std::move(spec)).add(vim(QStringLiteral("partialUpdates"), QStringLiteral("false")));
    XmlPattern reply = response(QStringLiteral("CreateFilter"));
    reply.add(moref(QStringLiteral("returnval"), QStringLiteral("PropertyFilter"), kTaskFilter, like(kAnything)));
    PactInteraction i(pact, QStringLiteral("CreateFilter: a running CreateVM task's state, progress and result"));
    i.given(kLoggedIn).given(kCreateTaskRunning).given(kCollectorExists);
    soapRequest(i, std::move(request), true);
    soapReply(i, 200, std::move(reply));
    return i.ok();
}

bool waitForTaskEnter(PactHandle pact)
{
    // The first wait (no version) answers at once with the full state: the task enters, running. What
    // follows (unset paths such as info.error and info.result, without a value; info.cancelable) is
    // not pinned.
    const QList<XmlPattern> changes{
        changeOf(QStringLiteral("info.state"), val(QStringLiteral("TaskInfoState"), QStringLiteral("running"))),
        changeOf(QStringLiteral("info.progress"), val(QStringLiteral("xsd:int"), QStringLiteral("40")))};
    PactInteraction i(pact, QStringLiteral("WaitForUpdatesEx: the full state of a filter, the task entering running"));
    i.given(kLoggedIn).given(kCreateTaskRunning).given(kTaskFiltered);
    soapRequest(i, waitRequest(false), true);
    soapReply(i, 200, updateSetReply(kFirstVersion, QStringLiteral("enter"), changes));
    return i.ok();
}

bool waitForTaskModify(PactHandle pact)
{
    // From that version, the wait returns with the task's next change; here (the provider state has
    // taken its progress reports) its end: the changed properties, whole, in the order vCenter (the
    // simulator) sends them.
    const QList<XmlPattern> changes{
        changeOf(QStringLiteral("info.progress"), val(QStringLiteral("xsd:int"), QStringLiteral("100"))),
        changeOf(QStringLiteral("info.state"), val(QStringLiteral("TaskInfoState"), QStringLiteral("success"))),
        changeOf(QStringLiteral("info.result"), refVal(QStringLiteral("VirtualMachine"), kNewVm))};
    PactInteraction i(pact, QStringLiteral("WaitForUpdatesEx: from a version, the running task ends with its VM"));
    i.given(kLoggedIn).given(kCreateTaskRunning).given(kTaskFilterRead);
    soapRequest(i, waitRequest(true), true);
    soapReply(i, 200, updateSetReply(QStringLiteral("2"), QStringLiteral("modify"), changes));
    return i.ok();
}

bool destroyTaskFilter(PactHandle pact)
{
    PactInteraction i(pact, QStringLiteral("DestroyPropertyFilter: the filter of an ended task"));
    i.given(kLoggedIn).given(kCreateTaskRunning).given(kTaskFiltered);
    soapRequest(i,
                call(QStringLiteral("DestroyPropertyFilter"), QStringLiteral("PropertyFilter"), kTaskFilter,
                     QStringLiteral("${filter}")),
                true);
    soapReply(i, 200, response(QStringLiteral("DestroyPropertyFilter")));
    return i.ok();
}

bool destroyPropertyCollector(PactHandle pact)
{
    PactInteraction i(pact, QStringLiteral("DestroyPropertyCollector: the console's collector at disconnect"));
    i.given(kLoggedIn).given(kCollectorExists);
    soapRequest(i,
                call(QStringLiteral("DestroyPropertyCollector"), QStringLiteral("PropertyCollector"), kCollector,
                     QStringLiteral("${collector}")),
                true);
    soapReply(i, 200, response(QStringLiteral("DestroyPropertyCollector")));
    return i.ok();
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
