#include "domain/RequestView.h"

#include "domain/ErrorJson.h"
#include "domain/RequestEventText.h"

#include <QJsonArray>

namespace dcm::RequestView {

namespace {

QString isoTime(const QDateTime& t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs) : QString();
}

} // namespace

QJsonObject toJson(const ProvisioningRequest& r, bool withHistory)
{
    QJsonObject o{{QStringLiteral("id"), r.id().toString(QUuid::WithoutBraces)},
                  {QStringLiteral("name"), r.spec().name},
                  {QStringLiteral("state"), toString(r.state())},
                  {QStringLiteral("attempts"), r.attempts()},
                  {QStringLiteral("lastError"),
                   r.lastError() ? QJsonValue(ErrorJson::toJson(*r.lastError())) : QJsonValue(QJsonValue::Null)},
                  {QStringLiteral("vmMoref"), r.vmRef()},
                  {QStringLiteral("instanceUuid"), r.instanceUuid()},
                  {QStringLiteral("requestedBy"), r.requestedBy()},
                  // An operation creates nothing: it has no source.
                  {QStringLiteral("source"), r.isOperation()      ? QJsonValue(QJsonValue::Null)
                                             : r.spec().isClone() ? QJsonValue(r.spec().templateName)
                                                                  : QJsonValue(QStringLiteral("blank"))},
                  {QStringLiteral("guestHostName"), r.guestHostName()},
                  {QStringLiteral("ipAddress"), r.ipAddress()},
                  {QStringLiteral("batchId"), r.batchId().isNull()
                                                  ? QJsonValue(QJsonValue::Null)
                                                  : QJsonValue(r.batchId().toString(QUuid::WithoutBraces))},
                  {QStringLiteral("createdAt"), isoTime(r.createdAt())},
                  {QStringLiteral("updatedAt"), isoTime(r.updatedAt())}};
    if (r.state() == RequestState::QueuedForProvisioning)
        o.insert(QStringLiteral("nextAttemptAt"), isoTime(r.nextAttemptAt()));
    o.insert(QStringLiteral("kind"), toString(r.kind()));
    o.insert(QStringLiteral("stateLabel"), stateLabel(r.kind(), r.state()));
    if (r.isOperation()) {
        const OperationTarget& t = r.target();
        QJsonObject target{{QStringLiteral("requestId"), t.requestId.isNull()
                                                             ? QJsonValue(QJsonValue::Null)
                                                             : QJsonValue(t.requestId.toString(QUuid::WithoutBraces))},
                           {QStringLiteral("vmMoref"), t.vmRef},
                           {QStringLiteral("vmName"), t.vmName},
                           {QStringLiteral("admin"), t.isAdmin()}};
        if (t.isAdmin())
            target.insert(QStringLiteral("adminReason"), t.adminReason);
        if (shutsGuestDown(r.kind()))
            target.insert(QStringLiteral("guestShutdownTimeoutSeconds"), t.guestTimeoutSeconds);
        o.insert(QStringLiteral("target"), target);
    } else {
        o.insert(QStringLiteral("target"), QJsonValue(QJsonValue::Null));
    }
    if (r.decommissionedAt().isValid()) {
        o.insert(QStringLiteral("decommissionedAt"), isoTime(r.decommissionedAt()));
        o.insert(QStringLiteral("decommissionedBy"), r.decommissionedBy());
    }
    if (!withHistory)
        return o;
    QJsonArray history;
    for (const RequestEvent& e : r.history()) {
        QJsonObject h{{QStringLiteral("at"), isoTime(e.at)},
                      {QStringLiteral("from"), toString(e.from)},
                      {QStringLiteral("to"), toString(e.to)},
                      {QStringLiteral("reason"), RequestEventText::describe(e)},
                      {QStringLiteral("attempts"), e.attempts}};
        if (!e.code.isEmpty()) {
            h.insert(QStringLiteral("reasonCode"), e.code);
            h.insert(QStringLiteral("reasonArgs"), QJsonArray::fromStringList(e.args));
        }
        if (e.cause)
            h.insert(QStringLiteral("cause"), ErrorJson::toJson(*e.cause));
        history.append(h);
    }
    // An operation has no spec of its own (only its VM's name, shown in `name` and `target`).
    if (!r.isOperation())
        o.insert(QStringLiteral("spec"), r.spec().toJson());
    o.insert(QStringLiteral("history"), history);
    return o;
}

} // namespace dcm::RequestView
