#pragma once

#include <QByteArray>
#include <QList>

namespace dcm::vsphere {

// One PropertySpec: a managed object type and the explicit property paths wanted from it. There is
// deliberately no way to ask for all properties: full objects cost ~20x the bytes (16 kB per VM).
struct PropertySpecDef
{
    QByteArray type;
    QList<QByteArray> pathSet;
};

} // namespace dcm::vsphere
