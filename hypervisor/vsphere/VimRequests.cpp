#include "VimRequests.h"

#include "SoapWriter.h"

#include <algorithm>

namespace dcm::vsphere::VimRequests {

namespace {

const MoRef kServiceInstance{QStringLiteral("ServiceInstance"), QStringLiteral("ServiceInstance")};

SoapRequest make(const char* method, QByteArray body, bool idempotent = true)
{
    SoapRequest r;
    r.method = method;
    r.body = std::move(body);
    r.idempotent = idempotent;
    return r;
}

void writePropSet(SoapWriter& w, const QList<PropertySpecDef>& propSet)
{
    for (const PropertySpecDef& spec : propSet) {
        w.open("propSet");
        w.text("type", QString::fromLatin1(spec.type));
        for (const QByteArray& path : spec.pathSet)
            w.text("pathSet", QString::fromLatin1(path));
        w.close("propSet");
    }
}

} // namespace

SoapRequest retrieveServiceContent()
{
    return make("RetrieveServiceContent",
                SoapWriter("RetrieveServiceContent").moref("_this", kServiceInstance).finish());
}

SoapRequest login(const MoRef& sessionManager, const QString& user, const QString& password)
{
    auto build = [&](const QString& secret) {
        return SoapWriter("Login")
            .moref("_this", sessionManager)
            .text("userName", user)
            .text("password", secret)
            .finish();
    };
    SoapRequest r = make("Login", build(password));
    r.trace = build(QStringLiteral("(redacted)"));
    return r;
}

SoapRequest logout(const MoRef& sessionManager)
{
    return make("Logout", SoapWriter("Logout").moref("_this", sessionManager).finish());
}

SoapRequest currentTime()
{
    return make("CurrentTime", SoapWriter("CurrentTime").moref("_this", kServiceInstance).finish());
}

SoapRequest createContainerView(const MoRef& viewManager, const MoRef& container, const QStringList& types,
                                bool recursive)
{
    SoapWriter w("CreateContainerView");
    w.moref("_this", viewManager).moref("container", container);
    for (const QString& t : types)
        w.text("type", t);
    w.boolean("recursive", recursive);
    return make("CreateContainerView", w.finish());
}

SoapRequest destroyView(const MoRef& view)
{
    return make("DestroyView", SoapWriter("DestroyView").moref("_this", view).finish());
}

SoapRequest retrieveFromView(const MoRef& propertyCollector, const MoRef& view, const QList<PropertySpecDef>& propSet,
                             int maxObjects)
{
    SoapWriter w("RetrievePropertiesEx");
    w.moref("_this", propertyCollector).open("specSet");
    writePropSet(w, propSet);
    w.open("objectSet")
        .moref("obj", view)
        .boolean("skip", true)
        .open("selectSet", "TraversalSpec")
        .text("name", QStringLiteral("traverseView"))
        .text("type", QStringLiteral("ContainerView"))
        .text("path", QStringLiteral("view"))
        .boolean("skip", false)
        .close("selectSet")
        .close("objectSet");
    w.close("specSet");
    if (maxObjects > 0)
        w.open("options").number("maxObjects", maxObjects).close("options");
    else
        w.open("options").close("options");
    return make("RetrievePropertiesEx", w.finish());
}

SoapRequest retrieveObjects(const MoRef& propertyCollector, const QList<MoRef>& objects,
                            const QList<PropertySpecDef>& propSet)
{
    SoapWriter w("RetrievePropertiesEx");
    w.moref("_this", propertyCollector).open("specSet");
    writePropSet(w, propSet);
    for (const MoRef& obj : objects)
        w.open("objectSet").moref("obj", obj).boolean("skip", false).close("objectSet");
    w.close("specSet").open("options").close("options");
    return make("RetrievePropertiesEx", w.finish());
}

SoapRequest continueRetrievePropertiesEx(const MoRef& propertyCollector, const QString& token)
{
    return make(
        "ContinueRetrievePropertiesEx",
        SoapWriter("ContinueRetrievePropertiesEx").moref("_this", propertyCollector).text("token", token).finish());
}

SoapRequest cancelRetrievePropertiesEx(const MoRef& propertyCollector, const QString& token)
{
    return make(
        "CancelRetrievePropertiesEx",
        SoapWriter("CancelRetrievePropertiesEx").moref("_this", propertyCollector).text("token", token).finish());
}

SoapRequest createVmTask(const MoRef& folder, const QByteArray& configSpecXml, const MoRef& pool, const MoRef& host)
{
    SoapWriter w("CreateVM_Task");
    w.moref("_this", folder).open("config").raw(configSpecXml).close("config").moref("pool", pool);
    if (!host.isNull())
        w.moref("host", host);
    return make("CreateVM_Task", w.finish(), false);
}

SoapRequest powerOnVmTask(const MoRef& vm)
{
    return make("PowerOnVM_Task", SoapWriter("PowerOnVM_Task").moref("_this", vm).finish(), false);
}

SoapRequest cloneVmTask(const MoRef& source, const MoRef& folder, const QString& name, const QByteArray& cloneSpecXml)
{
    SoapWriter w("CloneVM_Task");
    w.moref("_this", source).moref("folder", folder).text("name", name).open("spec").raw(cloneSpecXml).close("spec");
    return make("CloneVM_Task", w.finish(), false);
}

SoapRequest customizeVmTask(const MoRef& vm, const QByteArray& customizationSpecXml, const QByteArray& traceSpecXml)
{
    auto build = [&](const QByteArray& spec) {
        SoapWriter w("CustomizeVM_Task");
        w.moref("_this", vm).open("spec").raw(spec).close("spec");
        return w.finish();
    };
    SoapRequest r = make("CustomizeVM_Task", build(customizationSpecXml), false);
    if (traceSpecXml != customizationSpecXml)
        r.trace = build(traceSpecXml);
    return r;
}

SoapRequest getCustomizationSpec(const MoRef& customizationSpecManager, const QString& name)
{
    SoapRequest r =
        make("GetCustomizationSpec",
             SoapWriter("GetCustomizationSpec").moref("_this", customizationSpecManager).text("name", name).finish());
    // The request holds no secret, but the reply may (a Windows specification's passwords): a trace
    // of its own turns off the reply's trace.
    r.trace = r.body;
    return r;
}

SoapRequest vmMethod(const char* method, const MoRef& vm)
{
    return make(method, SoapWriter(method).moref("_this", vm).finish(), false);
}

SoapRequest cancelTask(const MoRef& task)
{
    return make("CancelTask", SoapWriter("CancelTask").moref("_this", task).finish());
}

SoapRequest findByUuid(const MoRef& searchIndex, const QString& uuid, bool instanceUuid)
{
    return make("FindByUuid", SoapWriter("FindByUuid")
                                  .moref("_this", searchIndex)
                                  .text("uuid", uuid)
                                  .boolean("vmSearch", true)
                                  .boolean("instanceUuid", instanceUuid)
                                  .finish());
}

SoapRequest createPropertyCollector(const MoRef& propertyCollector)
{
    return make("CreatePropertyCollector",
                SoapWriter("CreatePropertyCollector").moref("_this", propertyCollector).finish());
}

SoapRequest destroyPropertyCollector(const MoRef& collector)
{
    return make("DestroyPropertyCollector", SoapWriter("DestroyPropertyCollector").moref("_this", collector).finish());
}

SoapRequest createFilter(const MoRef& collector, const QList<PropertySpecDef>& propSet, const MoRef& view,
                         const QList<MoRef>& objects)
{
    SoapWriter w("CreateFilter");
    w.moref("_this", collector).open("spec");
    writePropSet(w, propSet);
    if (!view.isNull()) {
        w.open("objectSet")
            .moref("obj", view)
            .boolean("skip", true)
            .open("selectSet", "TraversalSpec")
            .text("name", QStringLiteral("traverseView"))
            .text("type", QStringLiteral("ContainerView"))
            .text("path", QStringLiteral("view"))
            .boolean("skip", false)
            .close("selectSet")
            .close("objectSet");
    }
    for (const MoRef& obj : objects)
        w.open("objectSet").moref("obj", obj).boolean("skip", false).close("objectSet");
    w.close("spec").boolean("partialUpdates", false);
    return make("CreateFilter", w.finish());
}

SoapRequest destroyPropertyFilter(const MoRef& filter)
{
    return make("DestroyPropertyFilter", SoapWriter("DestroyPropertyFilter").moref("_this", filter).finish());
}

SoapRequest waitForUpdatesEx(const MoRef& collector, const QString& version, int maxWaitSeconds, int maxObjectUpdates)
{
    SoapWriter w("WaitForUpdatesEx");
    w.moref("_this", collector);
    if (!version.isEmpty())
        w.text("version", version);
    w.open("options");
    if (maxWaitSeconds >= 0)
        w.number("maxWaitSeconds", maxWaitSeconds);
    if (maxObjectUpdates > 0)
        w.number("maxObjectUpdates", maxObjectUpdates);
    w.close("options");
    SoapRequest r = make("WaitForUpdatesEx", w.finish());
    r.extraTimeout = std::chrono::seconds(std::max(0, maxWaitSeconds));
    return r;
}

SoapRequest cancelWaitForUpdates(const MoRef& collector)
{
    return make("CancelWaitForUpdates", SoapWriter("CancelWaitForUpdates").moref("_this", collector).finish());
}

} // namespace dcm::vsphere::VimRequests
