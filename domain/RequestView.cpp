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
                  {QStringLiteral("source"), r.spec().isClone() ? r.spec().templateName : QStringLiteral("blank")},
                  {QStringLiteral("guestHostName"), r.guestHostName()},
                  {QStringLiteral("ipAddress"), r.ipAddress()},
                  {QStringLiteral("batchId"), r.batchId().isNull()
                                                  ? QJsonValue(QJsonValue::Null)
                                                  : QJsonValue(r.batchId().toString(QUuid::WithoutBraces))},
                  {QStringLiteral("createdAt"), isoTime(r.createdAt())},
                  {QStringLiteral("updatedAt"), isoTime(r.updatedAt())}};
    if (r.state() == RequestState::QueuedForProvisioning)
        o.insert(QStringLiteral("nextAttemptAt"), isoTime(r.nextAttemptAt()));
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
    o.insert(QStringLiteral("spec"), r.spec().toJson());
    o.insert(QStringLiteral("history"), history);
    return o;
}

} // namespace dcm::RequestView
