#pragma once

#include <QString>
#include <QStringList>

namespace dcm::vsphere {

struct XmlValue;

// vim25 API version negotiation from /sdk/vimServiceVersions.xml.
class ApiVersion
{
public:
    // The oldest vCenter the console supports (GuestOsCatalog::oldestSupportedApi) — everything we call
    // exists since 4.x — and the newest version we speak; newer servers list it among prior versions.
    static constexpr const char* kMinimum = "6.5";
    static constexpr const char* kMaximum = "8.0.3.0";

    // The versions the server offers for urn:vim25 (its current one first).
    static QStringList offered(const XmlValue& namespaces);
    // The highest offered version within [kMinimum, kMaximum]; empty when there is none.
    static QString choose(const QStringList& offered);
    // Numeric, dotted comparison: "6.7.1" > "6.7" > "6.5".
    static int compare(const QString& a, const QString& b);
};

} // namespace dcm::vsphere
