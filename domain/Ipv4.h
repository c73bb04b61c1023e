#pragma once

#include <QString>

#include <optional>

namespace dcm::Ipv4 {

// IPv4 addresses as guest customization and batches need them: parsed strictly (four decimal parts
// 0..255, no leading zeros — "010" would be octal to inet_aton and decimal to vCenter), compared and
// incremented as 32-bit numbers.
std::optional<quint32> parse(const QString& text);
QString format(quint32 address);

// The mask of a prefix length 0..32 (0 for 0).
quint32 mask(int prefixLength);
inline quint32 network(quint32 address, int prefixLength)
{
    return address & mask(prefixLength);
}
inline quint32 broadcast(quint32 address, int prefixLength)
{
    return network(address, prefixLength) | ~mask(prefixLength);
}
inline bool sameSubnet(quint32 a, quint32 b, int prefixLength)
{
    return network(a, prefixLength) == network(b, prefixLength);
}
// Why this address cannot be a host's own (0.0.0.0/8, loopback, link-local is allowed, multicast,
// reserved, limited broadcast), or nullopt.
std::optional<QString> notAHostAddress(quint32 address);

} // namespace dcm::Ipv4
