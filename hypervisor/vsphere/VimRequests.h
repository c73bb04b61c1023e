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
SoapRequest cancelTask(const MoRef& task);
SoapRequest findByUuid(const MoRef& searchIndex, const QString& uuid, bool instanceUuid);

} // namespace VimRequests

} // namespace dcm::vsphere
