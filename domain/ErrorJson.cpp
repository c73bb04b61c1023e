#include "domain/ErrorJson.h"

#include "domain/JsonReader.h"
#include "domain/VmSpec.h"

namespace dcm {

QJsonObject ErrorJson::toJson(const Error& error)
{
    QJsonObject json{
        {QStringLiteral("kind"), toString(error.kind)},
        {QStringLiteral("code"), error.code},
        {QStringLiteral("message"), error.message},
    };
    if (!error.vimFault.isEmpty()) {
        json.insert(QStringLiteral("vimFault"), error.vimFault);
    }
    if (!error.details.isEmpty()) {
        json.insert(QStringLiteral("details"), QJsonObject::fromVariantMap(error.details));
    }
    return json;
}

Result<void> ErrorJson::fromJson(const QJsonObject& json, Error& out)
{
    JsonReader reader;
    reader.rejectUnknownKeys(json, {QStringLiteral("kind"), QStringLiteral("code"), QStringLiteral("message"),
                                    QStringLiteral("vimFault"), QStringLiteral("details")});
    Error error;
    QString kind;
    reader.readString(json, QStringLiteral("kind"), kind);
    if (const auto parsed = errorKindFromString(kind)) {
        error.kind = *parsed;
    } else if (reader.ok()) {
        reader.fail(QStringLiteral("kind"), QStringLiteral("unknown error kind \"%1\"").arg(kind));
    }
    reader.readString(json, QStringLiteral("code"), error.code);
    reader.readString(json, QStringLiteral("message"), error.message);
    reader.readString(json, QStringLiteral("vimFault"), error.vimFault);
    const QJsonValue details = json.value(QStringLiteral("details"));
    if (details.isObject()) {
        error.details = details.toObject().toVariantMap();
    } else if (!details.isUndefined() && !details.isNull()) {
        reader.fail(QStringLiteral("details"),
                    QStringLiteral("expected an object, got %1").arg(JsonReader::describe(details)));
    }
    if (!reader.ok()) {
        return toError(reader.problems(), QStringLiteral("invalid-error-json"));
    }
    out = std::move(error);
    return {};
}

} // namespace dcm
