#pragma once

#include "MoRef.h"
#include "PropertySpecDef.h"
#include "SoapRequest.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace dcm::vsphere {

// Builders for the vim25 calls this adapter makes, in the WSDL's element order.
namespace VimRequests {

SoapRequest retrieveServiceContent();
SoapRequest login(const MoRef& sessionManager, const QString& user, const QString& password);
SoapRequest logout(const MoRef& sessionManager);
SoapRequest currentTime();
SoapRequest createContainerView(const MoRef& viewManager, const MoRef& container, const QStringList& types,
                                bool recursive);
SoapRequest destroyView(const MoRef& view);
// Properties of the objects in a ContainerView (the view itself is skipped).
SoapRequest retrieveFromView(const MoRef& propertyCollector, const MoRef& view, const QList<PropertySpecDef>& propSet,
                             int maxObjects);
// Properties of the given objects.
SoapRequest retrieveObjects(const MoRef& propertyCollector, const QList<MoRef>& objects,
                            const QList<PropertySpecDef>& propSet);
SoapRequest continueRetrievePropertiesEx(const MoRef& propertyCollector, const QString& token);
SoapRequest cancelRetrievePropertiesEx(const MoRef& propertyCollector, const QString& token);
SoapRequest createVmTask(const MoRef& folder, const QByteArray& configSpecXml, const MoRef& pool, const MoRef& host);
SoapRequest powerOnVmTask(const MoRef& vm);
// CloneVM_Task of `source` (a template or a VM) into `folder` under `name`; `cloneSpecXml` is the
// content of a VirtualMachineCloneSpec (CloneSpecBuilder).
SoapRequest cloneVmTask(const MoRef& source, const MoRef& folder, const QString& name, const QByteArray& cloneSpecXml);
// CustomizeVM_Task with the content of a CustomizationSpec; `traceSpecXml` replaces it in the debug
// trace (a saved Windows specification carries passwords).
SoapRequest customizeVmTask(const MoRef& vm, const QByteArray& customizationSpecXml, const QByteArray& traceSpecXml);
SoapRequest getCustomizationSpec(const MoRef& customizationSpecManager, const QString& name);
// The power and destroy calls of operate(): a task for all but ShutdownGuest and RebootGuest, which
// return at once (the guest acts on its own afterwards).
SoapRequest vmMethod(const char* method, const MoRef& vm);
SoapRequest cancelTask(const MoRef& task);
SoapRequest findByUuid(const MoRef& searchIndex, const QString& uuid, bool instanceUuid);

// The update channel: a PropertyCollector of our own per session, its filters and the long poll.
SoapRequest createPropertyCollector(const MoRef& propertyCollector);
SoapRequest destroyPropertyCollector(const MoRef& collector);
// A filter on the objects of a ContainerView (`view`, the view itself skipped) or on `objects`;
// partialUpdates false: a changed property comes with its whole new value.
SoapRequest createFilter(const MoRef& collector, const QList<PropertySpecDef>& propSet, const MoRef& view,
                         const QList<MoRef>& objects);
SoapRequest destroyPropertyFilter(const MoRef& filter);
// `version` empty: the full state of every filter. The call timeout is extended by maxWaitSeconds.
SoapRequest waitForUpdatesEx(const MoRef& collector, const QString& version, int maxWaitSeconds, int maxObjectUpdates);
SoapRequest cancelWaitForUpdates(const MoRef& collector);

} // namespace VimRequests

} // namespace dcm::vsphere
