#include "CustomizationSpecBuilder.h"

#include "SoapWriter.h"

namespace dcm::vsphere {

QString CustomizationSpecBuilder::subnetMask(int prefixLength)
{
    const int bits = std::clamp(prefixLength, 0, 32);
    const quint32 mask = bits == 0 ? 0u : ~quint32(0) << (32 - bits);
    return QStringLiteral("%1.%2.%3.%4")
        .arg((mask >> 24) & 0xff)
        .arg((mask >> 16) & 0xff)
        .arg((mask >> 8) & 0xff)
        .arg(mask & 0xff);
}

QByteArray CustomizationSpecBuilder::forLinux(const GuestCustomization& c, int nicCount)
{
    SoapWriter w = SoapWriter::fragment();
    w.open("options", "CustomizationLinuxOptions").close("options");
    w.open("identity", "CustomizationLinuxPrep");
    w.open("hostName", "CustomizationFixedName").text("name", c.hostName).close("hostName");
    w.text("domain", c.domain);
    if (!c.timeZone.isEmpty())
        w.text("timeZone", c.timeZone);
    w.close("identity");
    w.open("globalIPSettings");
    for (const QString& suffix : c.dnsSuffixes)
        w.text("dnsSuffixList", suffix);
    for (const QString& server : c.dnsServers)
        w.text("dnsServerList", server);
    w.close("globalIPSettings");
    for (int i = 0; i < nicCount; ++i) {
        const NicAddress address = i < c.nics.size() ? c.nics[i] : NicAddress{};
        w.open("nicSettingMap").open("adapter");
        if (address.dhcp) {
            w.open("ip", "CustomizationDhcpIpGenerator").close("ip");
        } else {
            w.open("ip", "CustomizationFixedIp").text("ipAddress", address.address).close("ip");
            w.text("subnetMask", subnetMask(address.prefixLength));
            if (!address.gateway.isEmpty())
                w.text("gateway", address.gateway);
        }
        w.close("adapter").close("nicSettingMap");
    }
    return w.take();
}

namespace {

bool plainName(const QByteArray& name)
{
    if (name.isEmpty() || name.size() > 128)
        return false;
    for (const char ch : name) {
        const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_';
        if (!ok)
            return false;
    }
    return !(name[0] >= '0' && name[0] <= '9');
}

// XML Schema's own types are written with the xsd prefix; vim25 types in the default namespace.
bool schemaType(const QByteArray& t)
{
    static const QByteArray builtins[] = {"string", "int",    "long",         "short",  "byte",    "boolean",
                                          "float",  "double", "base64Binary", "anyURI", "dateTime"};
    for (const QByteArray& b : builtins) {
        if (t == b)
            return true;
    }
    return false;
}

bool writeValue(QByteArray& out, const XmlValue& v, int depth)
{
    if (depth > 32 || !plainName(v.name) || (!v.xsiType.isEmpty() && !plainName(v.xsiType)))
        return false;
    out += '<';
    out += v.name;
    if (!v.xsiType.isEmpty()) {
        out += " xsi:type=\"";
        if (schemaType(v.xsiType))
            out += "xsd:";
        out += v.xsiType;
        out += '"';
    }
    if (!v.typeAttr.isEmpty()) {
        out += " type=\"";
        SoapWriter::appendEscaped(out, QString::fromUtf8(v.typeAttr));
        out += '"';
    }
    out += '>';
    if (v.children.empty()) {
        SoapWriter::appendEscaped(out, QString::fromUtf8(v.text));
    } else {
        for (const XmlValue& c : v.children) {
            if (!writeValue(out, c, depth + 1))
                return false;
        }
    }
    out += "</";
    out += v.name;
    out += '>';
    return true;
}

} // namespace

Result<QByteArray> CustomizationSpecBuilder::fromSaved(const XmlValue& spec)
{
    QByteArray out;
    bool identity = false;
    for (const XmlValue& c : spec.children) {
        identity = identity || c.name == "identity";
        if (!writeValue(out, c, 0))
            return Error::make(ErrorKind::Transient, QStringLiteral("malformed-reply"),
                               QStringLiteral("the saved customization specification came back malformed"));
    }
    if (!identity)
        return Error::make(ErrorKind::Transient, QStringLiteral("malformed-reply"),
                           QStringLiteral("the saved customization specification has no identity"));
    return out;
}

} // namespace dcm::vsphere
