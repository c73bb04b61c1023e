#include "domain/GuestOsCatalog.h"

namespace dcm {

namespace {

GuestOs entry(const char* id, const char* displayName, GuestOsFamily family, QVersionNumber since)
{
    return GuestOs{QString::fromLatin1(id), QString::fromUtf8(displayName), family, std::move(since)};
}

// Minimum versions follow the "Since vSphere API x" notes of the vim reference for
// VirtualMachineGuestOsIdentifier (govmomi records the same values as minAPIVersionForEnumValue).
// Ids that predate 6.5 are marked 6.5, the oldest release the console talks to. Where a 6.7-or-7.0
// introduction could not be pinned down, the later release is given: hiding an id on an older
// vCenter costs less than a CreateVM_Task that fails with InvalidArgument.
QList<GuestOs> buildCatalog()
{
    const QVersionNumber v65(6, 5);
    const QVersionNumber v67(6, 7);
    const QVersionNumber v671(6, 7, 1);
    const QVersionNumber v70(7, 0);
    const QVersionNumber v701({7, 0, 1, 0});
    const QVersionNumber v8001({8, 0, 0, 1});
    const auto linuxOs = GuestOsFamily::Linux;
    const auto windowsOs = GuestOsFamily::Windows;
    const auto otherOs = GuestOsFamily::Other;
    return {
        entry("almalinux_64Guest", "AlmaLinux (64-bit)", linuxOs, v8001),
        entry("amazonlinux2_64Guest", "Amazon Linux 2 (64-bit)", linuxOs, v671),
        entry("amazonlinux3_64Guest", "Amazon Linux 3 (64-bit)", linuxOs, v701),
        entry("centos7_64Guest", "CentOS 7 (64-bit)", linuxOs, v65),
        entry("centos8_64Guest", "CentOS 8 (64-bit)", linuxOs, v67),
        entry("centos9_64Guest", "CentOS Stream 9 (64-bit)", linuxOs, v701),
        entry("debian10_64Guest", "Debian GNU/Linux 10 (64-bit)", linuxOs, v65),
        entry("debian11_64Guest", "Debian GNU/Linux 11 (64-bit)", linuxOs, v70),
        entry("debian12_64Guest", "Debian GNU/Linux 12 (64-bit)", linuxOs, v8001),
        entry("oracleLinux7_64Guest", "Oracle Linux 7 (64-bit)", linuxOs, v65),
        entry("oracleLinux8_64Guest", "Oracle Linux 8 (64-bit)", linuxOs, v67),
        entry("oracleLinux9_64Guest", "Oracle Linux 9 (64-bit)", linuxOs, v701),
        entry("rhel7_64Guest", "Red Hat Enterprise Linux 7 (64-bit)", linuxOs, v65),
        entry("rhel8_64Guest", "Red Hat Enterprise Linux 8 (64-bit)", linuxOs, v67),
        entry("rhel9_64Guest", "Red Hat Enterprise Linux 9 (64-bit)", linuxOs, v701),
        entry("rockylinux_64Guest", "Rocky Linux (64-bit)", linuxOs, v8001),
        entry("sles12_64Guest", "SUSE Linux Enterprise Server 12 (64-bit)", linuxOs, v65),
        entry("sles15_64Guest", "SUSE Linux Enterprise Server 15 (64-bit)", linuxOs, v67),
        entry("sles16_64Guest", "SUSE Linux Enterprise Server 16 (64-bit)", linuxOs, v701),
        entry("ubuntu64Guest", "Ubuntu Linux (64-bit)", linuxOs, v65),
        entry("vmwarePhoton64Guest", "VMware Photon OS (64-bit)", linuxOs, v65),
        entry("other3xLinux64Guest", "Other 3.x Linux (64-bit)", linuxOs, v65),
        entry("other4xLinux64Guest", "Other 4.x Linux (64-bit)", linuxOs, v67),
        entry("other5xLinux64Guest", "Other 5.x Linux (64-bit)", linuxOs, v701),
        entry("other6xLinux64Guest", "Other 6.x Linux (64-bit)", linuxOs, v8001),
        entry("otherLinux64Guest", "Other Linux (64-bit)", linuxOs, v65),
        // vim ids lag Microsoft's names: "windows9" is Windows 10, "windows2019srvNext" is Server 2022
        // and "windows2022srvNext" is Server 2025. The display names say what the operator installs.
        entry("windows9_64Guest", "Microsoft Windows 10 (64-bit)", windowsOs, v65),
        entry("windows11_64Guest", "Microsoft Windows 11 (64-bit)", windowsOs, v8001),
        entry("windows8Server64Guest", "Microsoft Windows Server 2012 (64-bit)", windowsOs, v65),
        entry("windows9Server64Guest", "Microsoft Windows Server 2016 (64-bit)", windowsOs, v65),
        entry("windows2019srv_64Guest", "Microsoft Windows Server 2019 (64-bit)", windowsOs, v67),
        entry("windows2019srvNext_64Guest", "Microsoft Windows Server 2022 (64-bit)", windowsOs, v701),
        entry("windows2022srvNext_64Guest", "Microsoft Windows Server 2025 (64-bit)", windowsOs, v8001),
        entry("freebsd12_64Guest", "FreeBSD 12 (64-bit)", otherOs, v67),
        entry("freebsd13_64Guest", "FreeBSD 13 (64-bit)", otherOs, v701),
        entry("freebsd14_64Guest", "FreeBSD 14 (64-bit)", otherOs, v8001),
        entry("otherGuest", "Other (32-bit)", otherOs, v65),
        entry("otherGuest64", "Other (64-bit)", otherOs, v65),
    };
}

} // namespace

const QList<GuestOs>& GuestOsCatalog::all()
{
    static const QList<GuestOs> s_catalog = buildCatalog();
    return s_catalog;
}

std::optional<GuestOs> GuestOsCatalog::find(QStringView id)
{
    for (const GuestOs& os : all()) {
        if (os.id == id) {
            return os;
        }
    }
    return std::nullopt;
}

QList<GuestOs> GuestOsCatalog::supportedBy(const QVersionNumber& apiVersion)
{
    if (apiVersion.isNull()) {
        return all();
    }
    QList<GuestOs> result;
    for (const GuestOs& os : all()) {
        // Normalised: vCenter reports "7.0.1.0" or "7.0.1" for the same release depending on the call.
        if (QVersionNumber::compare(os.minApiVersion.normalized(), apiVersion.normalized()) <= 0) {
            result.append(os);
        }
    }
    return result;
}

std::optional<QString> GuestOsCatalog::suggestionFor(QStringView id)
{
    for (const GuestOs& os : all()) {
        if (os.id.compare(id, Qt::CaseInsensitive) == 0) {
            return os.id;
        }
    }
    return std::nullopt;
}

QString toString(GuestOsFamily family)
{
    switch (family) {
    case GuestOsFamily::Linux:
        return QStringLiteral("linux");
    case GuestOsFamily::Windows:
        return QStringLiteral("windows");
    case GuestOsFamily::Other:
        return QStringLiteral("other");
    }
    return QStringLiteral("other");
}

} // namespace dcm
