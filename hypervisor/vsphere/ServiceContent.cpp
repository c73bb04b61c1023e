#include "ServiceContent.h"

#include "XmlValue.h"

namespace dcm::vsphere {

namespace {
MoRef refAt(const XmlValue& v, std::string_view name)
{
    const XmlValue* c = v.child(name);
    return c ? MoRef{QString::fromUtf8(c->typeAttr), c->string()} : MoRef{};
}
} // namespace

std::optional<ServiceContent> ServiceContent::fromReturnValue(const XmlValue& returnval)
{
    ServiceContent sc;
    sc.rootFolder = refAt(returnval, "rootFolder");
    sc.propertyCollector = refAt(returnval, "propertyCollector");
    sc.viewManager = refAt(returnval, "viewManager");
    sc.sessionManager = refAt(returnval, "sessionManager");
    sc.searchIndex = refAt(returnval, "searchIndex");
    sc.customizationSpecManager = refAt(returnval, "customizationSpecManager");
    const XmlValue* about = returnval.child("about");
    if (!about || sc.rootFolder.isNull() || sc.propertyCollector.isNull() || sc.sessionManager.isNull())
        return std::nullopt;
    sc.about.name = about->textAt("name");
    sc.about.fullName = about->textAt("fullName");
    sc.about.vendor = about->textAt("vendor");
    sc.about.version = about->textAt("version");
    sc.about.build = about->textAt("build");
    sc.about.apiType = about->textAt("apiType");
    sc.about.apiVersion = about->textAt("apiVersion");
    sc.about.instanceUuid = about->textAt("instanceUuid");
    return sc;
}

} // namespace dcm::vsphere
