#include "domain/RequestKind.h"

#include "domain/JsonReader.h"

#include <QCoreApplication>
#include <QStringList>

#include <array>
#include <utility>

namespace dcm {

namespace {

constexpr std::array<std::pair<RequestKind, const char*>, 5> s_kinds{{
    {RequestKind::Provision, "provision"},
    {RequestKind::PowerOn, "power-on"},
    {RequestKind::PowerOff, "power-off"},
    {RequestKind::Restart, "restart"},
    {RequestKind::Decommission, "decommission"},
}};

QString tr(const char* text)
{
    return QCoreApplication::translate("dcm::RequestKind", text);
}

} // namespace

QString toString(RequestKind kind)
{
    for (const auto& [k, name] : s_kinds)
        if (k == kind)
            return QString::fromLatin1(name);
    return QStringLiteral("provision");
}

Result<RequestKind> requestKindFromString(QStringView text)
{
    QStringList names;
    for (const auto& [k, name] : s_kinds) {
        if (text.compare(QLatin1String(name), Qt::CaseInsensitive) == 0)
            return k;
        names.append(QString::fromLatin1(name));
    }
    return Error::make(ErrorKind::InvalidInput, QStringLiteral("unknown-kind"),
                       QStringLiteral("Unknown request kind \"%1\"; expected one of %2.")
                           .arg(text.toString(), names.join(QStringLiteral(", "))));
}

bool OperationTarget::sameVm(const OperationTarget& other) const
{
    return (!requestId.isNull() && requestId == other.requestId) || (!vmRef.isEmpty() && vmRef == other.vmRef);
}

QList<FieldProblem> OperationTarget::problems() const
{
    QList<FieldProblem> out;
    if (requestId.isNull() && vmRef.isEmpty())
        out.append(
            {QStringLiteral("target"),
             QStringLiteral("an operation needs the provisioning request of its VM (or, in admin mode, the VM)")});
    if (requestId.isNull() && !vmRef.isEmpty() && adminReason.trimmed().isEmpty())
        out.append({QStringLiteral("target.adminReason"),
                    QStringLiteral("a VM named without its provisioning request needs admin mode and a reason")});
    if (guestTimeoutSeconds < 1 || guestTimeoutSeconds > maxGuestTimeoutSeconds)
        out.append({QStringLiteral("target.guestTimeoutSeconds"), QStringLiteral("must be from 1 to %1 seconds, not %2")
                                                                      .arg(maxGuestTimeoutSeconds)
                                                                      .arg(guestTimeoutSeconds)});
    return out;
}

QJsonObject OperationTarget::toJson() const
{
    return QJsonObject{
        {QStringLiteral("requestId"), requestId.isNull() ? QString() : requestId.toString(QUuid::WithoutBraces)},
        {QStringLiteral("vmRef"), vmRef},
        {QStringLiteral("vmName"), vmName},
        {QStringLiteral("adminReason"), adminReason},
        {QStringLiteral("guestTimeoutSeconds"), guestTimeoutSeconds},
    };
}

Result<OperationTarget> OperationTarget::fromJson(const QJsonObject& json)
{
    JsonReader reader(QStringLiteral("target."));
    reader.rejectUnknownKeys(json, {QStringLiteral("requestId"), QStringLiteral("vmRef"), QStringLiteral("vmName"),
                                    QStringLiteral("adminReason"), QStringLiteral("guestTimeoutSeconds")});
    OperationTarget target;
    QString id;
    reader.readString(json, QStringLiteral("requestId"), id);
    if (!id.isEmpty()) {
        target.requestId = QUuid::fromString(id);
        if (target.requestId.isNull())
            reader.fail(QStringLiteral("requestId"), QStringLiteral("expected a UUID, got \"%1\"").arg(id));
    }
    reader.readString(json, QStringLiteral("vmRef"), target.vmRef);
    reader.readString(json, QStringLiteral("vmName"), target.vmName);
    reader.readString(json, QStringLiteral("adminReason"), target.adminReason);
    reader.readInt(json, QStringLiteral("guestTimeoutSeconds"), target.guestTimeoutSeconds);
    if (!reader.ok())
        return toError(reader.problems(), QStringLiteral("invalid-target-json"));
    return target;
}

QString operationVerb(RequestKind kind)
{
    switch (kind) {
    case RequestKind::Provision:
        return tr("provision");
    case RequestKind::PowerOn:
        return tr("power on");
    case RequestKind::PowerOff:
        return tr("power off");
    case RequestKind::Restart:
        return tr("restart");
    case RequestKind::Decommission:
        return tr("decommission");
    }
    return {};
}

QString stateLabel(RequestKind kind, RequestState state)
{
    if (!isOperation(kind))
        return toString(state);
    switch (state) {
    case RequestState::Submitted:
        return tr("Submitted");
    case RequestState::QueuedForProvisioning:
        return tr("Queued");
    case RequestState::Provisioning:
        switch (kind) {
        case RequestKind::PowerOn:
            return tr("Powering on");
        case RequestKind::PowerOff:
            return tr("Powering off");
        case RequestKind::Restart:
            return tr("Restarting");
        default:
            return tr("Decommissioning");
        }
    case RequestState::Reconciling:
        // Waiting for the guest to shut down, or reading the VM's state after a lost reply.
        return tr("Checking the VM");
    case RequestState::Provisioned:
        return tr("Done");
    case RequestState::Failed:
        return tr("Failed");
    case RequestState::Cancelled:
        return tr("Cancelled");
    }
    return toString(state);
}

} // namespace dcm
