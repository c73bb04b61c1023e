#pragma once

#include "domain/Result.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace dcm {

// The address one NIC gets inside the guest. DHCP unless an address is given.
struct NicAddress
{
    bool dhcp = true;
    QString address;      // IPv4 dotted quad, when !dhcp
    int prefixLength = 0; // 1..32, when !dhcp
    QString gateway;      // optional; on the NIC's subnet

    friend bool operator==(const NicAddress&, const NicAddress&) = default;
};

// How the guest is made into a machine of its own after a clone. Sent to vCenter as a
// CustomizeVM_Task on the powered-off clone, before the first power-on: real vCenter and the bundled
// simulator both apply a customization given that way at the next boot.
struct GuestCustomization
{
    enum class Mode
    {
        None,      // the clone keeps the template's identity
        SavedSpec, // a specification saved in vCenter, by name; its secrets (Windows) never leave vCenter
        Linux,     // Linux settings typed by the operator (hostname, domain, time zone, addresses)
    };

    Mode mode = Mode::None;
    QString specName; // SavedSpec

    // Linux
    QString hostName; // RFC 1123 label
    QString domain;
    QString timeZone;        // tz database name ("Europe/Berlin"); empty: the template's
    QList<NicAddress> nics;  // per NIC of the VM, in order; missing entries mean DHCP
    QStringList dnsServers;  // IPv4
    QStringList dnsSuffixes; // search domains

    bool isNone() const { return mode == Mode::None; }

    QJsonObject toJson() const;
    // Type errors only, all at once, with fields under `prefix` ("customization.").
    static Result<GuestCustomization> fromJson(const QJsonObject& json, const QString& prefix);

    friend bool operator==(const GuestCustomization&, const GuestCustomization&) = default;
};

QString toString(GuestCustomization::Mode mode); // "none", "saved-spec", "linux"

} // namespace dcm
