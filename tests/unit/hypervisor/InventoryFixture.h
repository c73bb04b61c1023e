#pragma once

#include "FakeVcenter.h"

#include "hypervisor/vsphere/InventoryBuilder.h"
#include "hypervisor/vsphere/ObjectContentReader.h"
#include "hypervisor/vsphere/SoapReplyReader.h"
#include "hypervisor/vsphere/XmlPushParser.h"

// The recorded vcsim inventory (VPX model, 2 VMs per pool) through InventoryBuilder.
inline dcm::InventorySnapshot
recordedInventory(dcm::InventoryKinds kinds = dcm::allInventoryKinds(),
                  const QString& file = QStringLiteral("RetrievePropertiesEx-inventory-full.xml"))
{
    using namespace dcm::vsphere;
    InventoryBuilder builder(kinds, MoRef{QStringLiteral("Folder"), QStringLiteral("group-d1")}, {});
    ObjectContentReader reader([&](ObjectContent&& o) { return builder.add(std::move(o)); });
    SoapReplyReader soap(reader, "RetrievePropertiesExResponse");
    XmlPushParser parser(soap);
    const QByteArray doc = FakeVcenter::fixture(file);
    if (!parser.feed(doc.constData(), doc.size()) || !parser.finish())
        qFatal("cannot read %s: %s", qPrintable(file), qPrintable(parser.errorMessage()));
    return builder.take();
}
