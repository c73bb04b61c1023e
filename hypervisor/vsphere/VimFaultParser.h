#pragma once

#include "VimFault.h"

namespace dcm::vsphere {

struct XmlValue;

// Reads vim faults from the shapes vCenter sends them in.
class VimFaultParser
{
public:
    // <soapenv:Fault><faultcode/><faultstring/><detail><XxxFault xsi:type="Xxx">..</XxxFault></detail>
    static VimFault fromSoapFault(const XmlValue& fault);
    // LocalizedMethodFault: <fault xsi:type="Xxx">..</fault><localizedMessage/> (task info.error,
    // missingSet faults)
    static VimFault fromLocalizedMethodFault(const XmlValue& value);
    // The fault object itself (the element carrying xsi:type).
    static VimFault fromFaultObject(const XmlValue& faultObject, const QString& elementSuffixToStrip = {});
};

} // namespace dcm::vsphere
