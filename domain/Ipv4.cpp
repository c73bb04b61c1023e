#include "domain/Ipv4.h"

#include <QStringList>

namespace dcm::Ipv4 {

std::optional<quint32> parse(const QString& text)
{
    const QStringList parts = text.split(u'.');
    if (parts.size() != 4)
        return std::nullopt;
    quint32 address = 0;
    for (const QString& part : parts) {
        if (part.isEmpty() || part.size() > 3)
            return std::nullopt;
        for (QChar c : part) {
            if (c < u'0' || c > u'9')
                return std::nullopt;
        }
        if (part.size() > 1 && part.front() == u'0')
            return std::nullopt;
        const uint value = part.toUInt();
        if (value > 255)
            return std::nullopt;
        address = (address << 8) | value;
    }
    return address;
}

QString format(quint32 address)
{
    return QStringLiteral("%1.%2.%3.%4")
        .arg(address >> 24)
        .arg((address >> 16) & 0xff)
        .arg((address >> 8) & 0xff)
        .arg(address & 0xff);
}

quint32 mask(int prefixLength)
{
    if (prefixLength <= 0)
        return 0;
    if (prefixLength >= 32)
        return 0xffffffffu;
    return ~((quint32(1) << (32 - prefixLength)) - 1);
}

std::optional<QString> notAHostAddress(quint32 address)
{
    const quint32 first = address >> 24;
    if (first == 0)
        return QStringLiteral("0.0.0.0/8 means \"this network\" and is no host's address");
    if (first == 127)
        return QStringLiteral("127.0.0.0/8 is the loopback range");
    if (first >= 224 && first <= 239)
        return QStringLiteral("224.0.0.0/4 is for multicast");
    if (address == 0xffffffffu)
        return QStringLiteral("255.255.255.255 is the limited broadcast address");
    if (first >= 240)
        return QStringLiteral("240.0.0.0/4 is reserved");
    return std::nullopt;
}

} // namespace dcm::Ipv4
