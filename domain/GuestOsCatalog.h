#pragma once

#include <optional>

#include <QList>
#include <QString>
#include <QStringView>
#include <QVersionNumber>

namespace dcm {

enum class GuestOsFamily
{
    Linux,
    Windows,
    Other,
};

// One guest operating system as vSphere names it (VirtualMachineGuestOsIdentifier).
struct GuestOs
{
    QString id;          // the vim id sent in the config spec, e.g. "rhel9_64Guest"
    QString displayName; // what the operator picks, e.g. "Red Hat Enterprise Linux 9 (64-bit)"
    GuestOsFamily family = GuestOsFamily::Other;
    QVersionNumber minApiVersion; // first vSphere API version that accepts the id

    friend bool operator==(const GuestOs&, const GuestOs&) = default;
};

// The guest OS ids an operator may choose. A curated list of current 64-bit systems (plus the generic
// "other" ids), each valid from vSphere API 6.5 or marked with the release that introduced it: a vCenter
// older than that answers CreateVM_Task with InvalidArgument on guestId.
class GuestOsCatalog
{
public:
    // In display order: Linux, then Windows, then the generic ids.
    static const QList<GuestOs>& all();
    static std::optional<GuestOs> find(QStringView id);
    static bool isKnown(QStringView id) { return find(id).has_value(); }
    // The ids a server speaking `apiVersion` accepts; a null version means "not connected yet": all of them.
    static QList<GuestOs> supportedBy(const QVersionNumber& apiVersion);
    // Used when a spec leaves the guest id empty.
    static QString defaultId() { return QStringLiteral("otherGuest64"); }
    // A known id that differs only in letter case ("Ubuntu64guest" -> "ubuntu64Guest"); vim ids are
    // case-sensitive, so this is only a suggestion for the operator.
    static std::optional<QString> suggestionFor(QStringView id);
    // The oldest API version the console supports: vCenter 6.5.
    static QVersionNumber oldestSupportedApi() { return QVersionNumber(6, 5); }
};

QString toString(GuestOsFamily family);

} // namespace dcm
