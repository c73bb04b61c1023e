#pragma once

#include "XmlValue.h"

#include "domain/GuestCustomization.h"
#include "domain/Result.h"

#include <QByteArray>

namespace dcm::vsphere {

// The CustomizationSpec content of CustomizeVM_Task, in the WSDL's element order.
class CustomizationSpecBuilder
{
public:
    // Typed Linux settings: CustomizationLinuxOptions, CustomizationLinuxPrep (fixed host name, domain,
    // time zone), CustomizationGlobalIPSettings (DNS servers and search suffixes) and one
    // nicSettingMap entry per NIC of the VM, in order — DHCP, or a fixed address with the subnet mask
    // of its prefix and its gateway. NICs without typed settings use DHCP: vCenter wants one entry
    // per NIC.
    static QByteArray forLinux(const GuestCustomization& customization, int nicCount);

    // A saved specification's `spec` as GetCustomizationSpec returned it, written back unchanged
    // (its encrypted Windows password included: it never leaves vCenter readable). A reply is
    // untrusted: an element or type name that is not a plain XML name is refused.
    static Result<QByteArray> fromSaved(const XmlValue& spec);

    static QString subnetMask(int prefixLength);
};

} // namespace dcm::vsphere
