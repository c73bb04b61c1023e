#include "domain/GuestCustomization.h"

#include "domain/JsonReader.h"
#include "domain/VmSpec.h"

#include <QJsonArray>

namespace dcm {

namespace {

const QString kNone = QStringLiteral("none");
const QString kSaved = QStringLiteral("saved-spec");
const QString kLinux = QStringLiteral("linux");

QJsonArray toArray(const QStringList& list)
{
    QJsonArray array;
    for (const QString& s : list) {
        array.append(s);
    }
    return array;
}

void readStringList(JsonReader& reader, const QJsonObject& json, const QString& key, QStringList& out)
{
    const QJsonValue value = json.value(key);
    if (value.isUndefined() || value.isNull()) {
        return;
    }
    if (!value.isArray()) {
        reader.fail(key, QStringLiteral("expected a list of texts, got %1").arg(JsonReader::describe(value)));
        return;
    }
    const QJsonArray array = value.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        if (!array[i].isString()) {
            reader.fail(QStringLiteral("%1[%2]").arg(key).arg(i),
                        QStringLiteral("expected a text, got %1").arg(JsonReader::describe(array[i])));
            continue;
        }
        out.append(array[i].toString());
    }
}

} // namespace

QString toString(GuestCustomization::Mode mode)
{
    switch (mode) {
    case GuestCustomization::Mode::None:
        return kNone;
    case GuestCustomization::Mode::SavedSpec:
        return kSaved;
    case GuestCustomization::Mode::Linux:
        return kLinux;
    }
    return kNone;
}

QJsonObject GuestCustomization::toJson() const
{
    QJsonObject json{{QStringLiteral("mode"), toString(mode)}};
    if (mode == Mode::SavedSpec) {
        json.insert(QStringLiteral("specName"), specName);
    }
    if (mode == Mode::Linux) {
        json.insert(QStringLiteral("hostName"), hostName);
        json.insert(QStringLiteral("domain"), domain);
        json.insert(QStringLiteral("timeZone"), timeZone);
        QJsonArray nicArray;
        for (const NicAddress& nic : nics) {
            QJsonObject o{{QStringLiteral("dhcp"), nic.dhcp}};
            if (!nic.dhcp) {
                o.insert(QStringLiteral("address"), nic.address);
                o.insert(QStringLiteral("prefixLength"), nic.prefixLength);
                o.insert(QStringLiteral("gateway"), nic.gateway);
            }
            nicArray.append(o);
        }
        json.insert(QStringLiteral("nics"), nicArray);
        json.insert(QStringLiteral("dnsServers"), toArray(dnsServers));
        json.insert(QStringLiteral("dnsSuffixes"), toArray(dnsSuffixes));
    }
    return json;
}

Result<GuestCustomization> GuestCustomization::fromJson(const QJsonObject& json, const QString& prefix)
{
    GuestCustomization c;
    JsonReader reader(prefix);
    reader.rejectUnknownKeys(json, {QStringLiteral("mode"), QStringLiteral("specName"), QStringLiteral("hostName"),
                                    QStringLiteral("domain"), QStringLiteral("timeZone"), QStringLiteral("nics"),
                                    QStringLiteral("dnsServers"), QStringLiteral("dnsSuffixes")});
    QString mode = kNone;
    reader.readString(json, QStringLiteral("mode"), mode);
    if (mode == kNone) {
        c.mode = Mode::None;
    } else if (mode == kSaved) {
        c.mode = Mode::SavedSpec;
    } else if (mode == kLinux) {
        c.mode = Mode::Linux;
    } else {
        reader.fail(QStringLiteral("mode"),
                    QStringLiteral("expected \"none\", \"saved-spec\" or \"linux\", got \"%1\"").arg(mode));
    }
    reader.readString(json, QStringLiteral("specName"), c.specName);
    reader.readString(json, QStringLiteral("hostName"), c.hostName);
    reader.readString(json, QStringLiteral("domain"), c.domain);
    reader.readString(json, QStringLiteral("timeZone"), c.timeZone);
    readStringList(reader, json, QStringLiteral("dnsServers"), c.dnsServers);
    readStringList(reader, json, QStringLiteral("dnsSuffixes"), c.dnsSuffixes);

    const QJsonValue nics = json.value(QStringLiteral("nics"));
    if (nics.isArray()) {
        const QJsonArray array = nics.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (!array[i].isObject()) {
                reader.fail(QStringLiteral("nics[%1]").arg(i),
                            QStringLiteral("expected an object like {\"dhcp\": true}, got %1")
                                .arg(JsonReader::describe(array[i])));
                continue;
            }
            const QJsonObject o = array[i].toObject();
            JsonReader nicReader(QStringLiteral("%1nics[%2].").arg(prefix).arg(i));
            nicReader.rejectUnknownKeys(o, {QStringLiteral("dhcp"), QStringLiteral("address"),
                                            QStringLiteral("prefixLength"), QStringLiteral("gateway")});
            NicAddress nic;
            nicReader.readBool(o, QStringLiteral("dhcp"), nic.dhcp);
            nicReader.readString(o, QStringLiteral("address"), nic.address);
            nicReader.readInt(o, QStringLiteral("prefixLength"), nic.prefixLength);
            nicReader.readString(o, QStringLiteral("gateway"), nic.gateway);
            reader.merge(nicReader);
            c.nics.append(nic);
        }
    } else if (!nics.isUndefined() && !nics.isNull()) {
        reader.fail(QStringLiteral("nics"),
                    QStringLiteral("expected a list of NIC addresses, got %1").arg(JsonReader::describe(nics)));
    }
    if (!reader.ok()) {
        return toError(reader.problems(), QStringLiteral("invalid-spec-json"));
    }
    return c;
}

} // namespace dcm
