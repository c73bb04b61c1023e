#pragma once

#include <QString>

namespace dcm::vsphere {

// A vim25 ManagedObjectReference: <obj type="VirtualMachine">vm-42</obj>.
struct MoRef
{
    QString type;
    QString value;

    bool isNull() const { return value.isEmpty(); }
    friend bool operator==(const MoRef&, const MoRef&) = default;
};

} // namespace dcm::vsphere
