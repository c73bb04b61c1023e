#include "domain/CustomizationRules.h"

#include "domain/Ipv4.h"

#include <QHash>
#include <QRegularExpression>

namespace dcm::CustomizationRules {

namespace {

bool isLabelChar(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') || c == u'-';
}

class Problems
{
public:
    void add(const QString& field, const QString& message)
    {
        m_list.append(FieldProblem{QStringLiteral("customization.") + field, message});
    }
    QList<FieldProblem> take() { return std::move(m_list); }

private:
    QList<FieldProblem> m_list;
};

void checkSavedSpec(const GuestCustomization& c, Problems& problems)
{
    const QString name = c.specName;
    if (name.trimmed().isEmpty()) {
        problems.add(QStringLiteral("specName"),
                     QStringLiteral("Choose a customization specification saved in vCenter."));
        return;
    }
    if (name != name.trimmed())
        problems.add(QStringLiteral("specName"),
                     QStringLiteral("The specification's name must not begin or end with a space."));
    for (QChar ch : name) {
        if (ch.category() == QChar::Other_Control) {
            problems.add(QStringLiteral("specName"),
                         QStringLiteral("The specification's name must not contain control characters."));
            break;
        }
    }
}

// One static address: its own rules, then the gateway against its subnet.
void checkStaticNic(const NicAddress& nic, int i, Problems& problems, std::optional<quint32>& parsed)
{
    const QString at = QStringLiteral("nics[%1].").arg(i);
    const QString which = QStringLiteral("NIC %1").arg(i + 1);
    if (nic.address.trimmed().isEmpty()) {
        problems.add(at + QStringLiteral("address"),
                     QStringLiteral("Enter a static address for %1, or choose DHCP.").arg(which));
    } else if (const auto a = Ipv4::parse(nic.address)) {
        if (const auto why = Ipv4::notAHostAddress(*a)) {
            problems.add(at + QStringLiteral("address"),
                         QStringLiteral("%1 cannot be a VM's address: %2.").arg(nic.address, *why));
        } else {
            parsed = a;
        }
    } else {
        problems.add(at + QStringLiteral("address"),
                     QStringLiteral("\"%1\" is not an IPv4 address such as 10.0.0.11.").arg(nic.address));
    }
    const bool prefixValid = nic.prefixLength >= 1 && nic.prefixLength <= 32;
    if (!prefixValid) {
        problems.add(at + QStringLiteral("prefixLength"),
                     QStringLiteral("The prefix length of %1 must be between 1 and 32 (%2 given), as in 10.0.0.11/24.")
                         .arg(which)
                         .arg(nic.prefixLength));
    }
    if (parsed && prefixValid && nic.prefixLength <= 30) {
        // /31 (RFC 3021 point-to-point) and /32 have no network or broadcast address to avoid.
        if (*parsed == Ipv4::network(*parsed, nic.prefixLength)) {
            problems.add(at + QStringLiteral("address"),
                         QStringLiteral("%1 is the network address of %1/%2; choose a host address inside it.")
                             .arg(nic.address)
                             .arg(nic.prefixLength));
            parsed.reset();
        } else if (*parsed == Ipv4::broadcast(*parsed, nic.prefixLength)) {
            problems.add(at + QStringLiteral("address"),
                         QStringLiteral("%1 is the broadcast address of %2/%3; choose a host address inside it.")
                             .arg(nic.address, Ipv4::format(Ipv4::network(*parsed, nic.prefixLength)))
                             .arg(nic.prefixLength));
            parsed.reset();
        }
    }
    if (nic.gateway.isEmpty())
        return;
    const auto g = Ipv4::parse(nic.gateway);
    if (!g) {
        problems.add(at + QStringLiteral("gateway"),
                     QStringLiteral("\"%1\" is not an IPv4 address such as 10.0.0.1.").arg(nic.gateway));
        return;
    }
    if (const auto why = Ipv4::notAHostAddress(*g)) {
        problems.add(at + QStringLiteral("gateway"),
                     QStringLiteral("%1 cannot be a gateway: %2.").arg(nic.gateway, *why));
        return;
    }
    if (!parsed || !prefixValid)
        return; // said above; the subnet is unknown
    const int p = nic.prefixLength;
    const QString subnet = QStringLiteral("%1/%2").arg(Ipv4::format(Ipv4::network(*parsed, p))).arg(p);
    if (!Ipv4::sameSubnet(*g, *parsed, p)) {
        problems.add(at + QStringLiteral("gateway"),
                     QStringLiteral("The gateway %1 is not on %2's subnet %3.").arg(nic.gateway, which, subnet));
    } else if (*g == *parsed) {
        problems.add(at + QStringLiteral("gateway"),
                     QStringLiteral("The gateway %1 is %2's own address.").arg(nic.gateway, which));
    } else if (p <= 30 && (*g == Ipv4::network(*g, p) || *g == Ipv4::broadcast(*g, p))) {
        problems.add(
            at + QStringLiteral("gateway"),
            QStringLiteral("The gateway %1 is the network or broadcast address of %2.").arg(nic.gateway, subnet));
    }
}

void checkLinux(const VmSpec& spec, Problems& problems)
{
    const GuestCustomization& c = spec.customization;
    if (c.hostName.isEmpty()) {
        problems.add(QStringLiteral("hostName"), QStringLiteral("Enter the guest's host name."));
    } else if (const auto why = hostLabelProblem(c.hostName)) {
        problems.add(QStringLiteral("hostName"), *why);
    }
    if (!c.domain.isEmpty()) {
        if (const auto why = domainProblem(c.domain))
            problems.add(QStringLiteral("domain"), *why);
    }
    if (!c.timeZone.isEmpty()) {
        if (const auto why = timeZoneProblem(c.timeZone))
            problems.add(QStringLiteral("timeZone"), *why);
    }

    if (c.nics.size() > spec.nics.size()) {
        problems.add(QStringLiteral("nics"),
                     QStringLiteral("%1 NIC addresses are given for %2 network adapters; give one per adapter, in "
                                    "order.")
                         .arg(c.nics.size())
                         .arg(spec.nics.size()));
    }
    QHash<quint32, int> seen; // address -> first NIC that has it
    for (qsizetype i = 0; i < c.nics.size(); ++i) {
        const NicAddress& nic = c.nics[i];
        if (nic.dhcp) {
            if (!nic.address.isEmpty() || !nic.gateway.isEmpty()) {
                problems.add(QStringLiteral("nics[%1].address").arg(i),
                             QStringLiteral("NIC %1 takes its address from DHCP; clear the static address and "
                                            "gateway, or turn DHCP off.")
                                 .arg(i + 1));
            }
            continue;
        }
        std::optional<quint32> address;
        checkStaticNic(nic, int(i), problems, address);
        if (!address)
            continue;
        if (const auto it = seen.constFind(*address); it != seen.cend()) {
            problems.add(QStringLiteral("nics[%1].address").arg(i),
                         QStringLiteral("%1 is NIC %2's address already; every NIC needs its own.")
                             .arg(nic.address)
                             .arg(*it + 1));
        } else {
            seen.insert(*address, int(i));
        }
    }

    if (c.dnsServers.size() > maxDnsServers) {
        problems.add(QStringLiteral("dnsServers"),
                     QStringLiteral("A Linux guest uses at most %1 DNS servers; %2 are given.")
                         .arg(maxDnsServers)
                         .arg(c.dnsServers.size()));
    }
    for (qsizetype i = 0; i < c.dnsServers.size(); ++i) {
        const QString& server = c.dnsServers[i];
        const auto a = Ipv4::parse(server);
        if (!a) {
            problems.add(QStringLiteral("dnsServers[%1]").arg(i),
                         QStringLiteral("\"%1\" is not an IPv4 address such as 10.0.0.53.").arg(server));
        } else if (const auto why = Ipv4::notAHostAddress(*a)) {
            problems.add(QStringLiteral("dnsServers[%1]").arg(i),
                         QStringLiteral("%1 cannot be a DNS server: %2.").arg(server, *why));
        }
    }
    if (c.dnsSuffixes.size() > maxDnsSuffixes) {
        problems.add(QStringLiteral("dnsSuffixes"),
                     QStringLiteral("At most %1 DNS search suffixes are allowed; %2 are given.")
                         .arg(maxDnsSuffixes)
                         .arg(c.dnsSuffixes.size()));
    }
    for (qsizetype i = 0; i < c.dnsSuffixes.size(); ++i) {
        if (const auto why = domainProblem(c.dnsSuffixes[i]))
            problems.add(QStringLiteral("dnsSuffixes[%1]").arg(i), *why);
    }
}

} // namespace

std::optional<QString> hostLabelProblem(const QString& label)
{
    if (label.isEmpty())
        return QStringLiteral("A name part must not be empty.");
    if (label.size() > maxHostNameLength)
        return QStringLiteral("\"%1\" is %2 characters long; a host name has at most %3.")
            .arg(label)
            .arg(label.size())
            .arg(maxHostNameLength);
    for (QChar c : label) {
        if (!isLabelChar(c))
            return QStringLiteral("\"%1\" may only hold letters a-z, digits and \"-\" (RFC 1123), not \"%2\".")
                .arg(label, QString(c));
    }
    if (label.front() == u'-' || label.back() == u'-')
        return QStringLiteral("\"%1\" must not begin or end with \"-\".").arg(label);
    bool allDigits = true;
    for (QChar c : label)
        allDigits = allDigits && c.isDigit();
    // RFC 1123 allows a leading digit, but a name of digits only reads as an address to resolvers.
    if (allDigits)
        return QStringLiteral("\"%1\" is all digits; a host name needs a letter.").arg(label);
    return std::nullopt;
}

std::optional<QString> domainProblem(const QString& domain)
{
    if (domain.size() > maxDomainLength)
        return QStringLiteral("The domain name is %1 characters long; at most %2 are allowed.")
            .arg(domain.size())
            .arg(maxDomainLength);
    if (domain.endsWith(u'.'))
        return QStringLiteral("Write \"%1\" without the final dot.").arg(domain.chopped(1));
    const QStringList labels = domain.split(u'.');
    for (const QString& label : labels) {
        if (label.isEmpty())
            return QStringLiteral("\"%1\" has an empty part between dots.").arg(domain);
        if (const auto why = hostLabelProblem(label); why && !label.front().isDigit())
            return QStringLiteral("In \"%1\": %2").arg(domain, *why);
        // Labels of a domain may be all digits (e.g. 1.example.com); only the characters matter there.
        if (label.size() > maxHostNameLength || label.front() == u'-' || label.back() == u'-' ||
            !std::all_of(label.cbegin(), label.cend(), isLabelChar))
            return QStringLiteral("In \"%1\": \"%2\" is not a valid name part (letters, digits and \"-\", at "
                                  "most 63).")
                .arg(domain, label);
    }
    return std::nullopt;
}

std::optional<QString> timeZoneProblem(const QString& zone)
{
    static const QRegularExpression s_shape(QStringLiteral("^[A-Za-z][A-Za-z0-9_+\\-]*(/[A-Za-z0-9_+\\-]+)*$"));
    if (zone.size() > maxTimeZoneLength || !s_shape.match(zone).hasMatch())
        return QStringLiteral("\"%1\" is not a time zone name like Europe/Berlin or UTC.").arg(zone);
    return std::nullopt;
}

QList<FieldProblem> check(const VmSpec& spec)
{
    Problems problems;
    switch (spec.customization.mode) {
    case GuestCustomization::Mode::None:
        break;
    case GuestCustomization::Mode::SavedSpec:
        checkSavedSpec(spec.customization, problems);
        break;
    case GuestCustomization::Mode::Linux:
        checkLinux(spec, problems);
        break;
    }
    return problems.take();
}

} // namespace dcm::CustomizationRules
