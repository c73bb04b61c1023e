#include "domain/ProvisioningRequest.h"

#include "domain/ErrorJson.h"
#include "domain/JsonReader.h"

#include <QJsonArray>

#include <array>
#include <utility>

namespace dcm {

namespace {

QJsonValue dateToJson(const QDateTime& at)
{
    return at.isValid() ? QJsonValue(at.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue(QJsonValue::Null);
}

Error corrupt(const QUuid& id, const QString& why)
{
    Error error = Error::make(
        ErrorKind::Storage, QStringLiteral("corrupt-request"),
        QStringLiteral("Stored request %1 is inconsistent: %2").arg(id.toString(QUuid::WithoutBraces), why));
    error.details.insert(QStringLiteral("requestId"), id.toString(QUuid::WithoutBraces));
    return error;
}

QJsonObject eventToJson(const RequestEvent& event)
{
    QJsonObject json{
        {QStringLiteral("at"), dateToJson(event.at)}, {QStringLiteral("from"), toString(event.from)},
        {QStringLiteral("to"), toString(event.to)},   {QStringLiteral("reason"), event.reason},
        {QStringLiteral("attempts"), event.attempts},
    };
    if (!event.code.isEmpty()) {
        json.insert(QStringLiteral("code"), event.code);
        json.insert(QStringLiteral("args"), QJsonArray::fromStringList(event.args));
    }
    if (event.cause) {
        json.insert(QStringLiteral("cause"), ErrorJson::toJson(*event.cause));
    }
    return json;
}

void readState(JsonReader& reader, const QJsonObject& json, const QString& key, RequestState& out)
{
    QString text;
    reader.readString(json, key, text);
    if (text.isEmpty()) {
        reader.fail(key, QStringLiteral("missing request state"));
        return;
    }
    auto state = requestStateFromString(text);
    if (!state) {
        reader.fail(key, state.error().message);
        return;
    }
    out = state.value();
}

void readError(JsonReader& reader, const QJsonObject& json, const QString& key, std::optional<Error>& out)
{
    const QJsonValue v = json.value(key);
    if (v.isUndefined() || v.isNull()) {
        return;
    }
    if (!v.isObject()) {
        reader.fail(key, QStringLiteral("expected an error object, got %1").arg(JsonReader::describe(v)));
        return;
    }
    Error error;
    if (auto parsed = ErrorJson::fromJson(v.toObject(), error); !parsed) {
        reader.fail(key, parsed.error().message);
        return;
    }
    out = std::move(error);
}

constexpr std::array<std::pair<ProvisionStep, const char*>, 4> s_stepNames{{
    {ProvisionStep::None, ""},
    {ProvisionStep::Cloned, "cloned"},
    {ProvisionStep::Customized, "customized"},
    {ProvisionStep::PoweredOn, "powered-on"},
}};

} // namespace

QString toString(ProvisionStep step)
{
    for (const auto& [s, name] : s_stepNames) {
        if (s == step) {
            return QString::fromLatin1(name);
        }
    }
    return QString();
}

std::optional<ProvisionStep> provisionStepFromString(QStringView text)
{
    for (const auto& [s, name] : s_stepNames) {
        if (text == QLatin1String(name)) {
            return s;
        }
    }
    return std::nullopt;
}

ProvisioningRequest::ProvisioningRequest(const QUuid& id, VmSpec spec, const QDateTime& createdAt)
    : m_id(id), m_spec(std::move(spec)), m_createdAt(createdAt.toUTC()), m_updatedAt(createdAt.toUTC())
{}

Result<ProvisioningRequest> ProvisioningRequest::restore(const QUuid& id, VmSpec spec, const QDateTime& createdAt,
                                                         RequestState state, QList<RequestEvent> history)
{
    if (id.isNull()) {
        return corrupt(id, QStringLiteral("the request has no id"));
    }
    RequestState current = RequestState::Submitted;
    for (qsizetype i = 0; i < history.size(); ++i) {
        const RequestEvent& event = history[i];
        if (event.from != current) {
            return corrupt(id, QStringLiteral("event %1 starts from %2 but the request was %3")
                                   .arg(i + 1)
                                   .arg(toString(event.from), toString(current)));
        }
        // A note (from = to) records a step inside a state; every other event must be allowed.
        if (event.from != event.to && !canTransition(event.from, event.to)) {
            return corrupt(id, QStringLiteral("event %1 moves from %2 to %3, which the lifecycle forbids")
                                   .arg(i + 1)
                                   .arg(toString(event.from), toString(event.to)));
        }
        current = event.to;
    }
    if (current != state) {
        return corrupt(
            id, QStringLiteral("its state is %1 but its history ends at %2").arg(toString(state), toString(current)));
    }
    ProvisioningRequest request(id, std::move(spec), createdAt);
    request.m_state = state;
    if (!history.isEmpty()) {
        request.m_attempts = history.back().attempts;
        request.m_updatedAt = history.back().at;
    }
    request.m_history = std::move(history);
    return request;
}

Result<void> ProvisioningRequest::transitionTo(RequestState to, const QString& reason, const QDateTime& at)
{
    return apply(to, EventReason{}, reason, at, std::nullopt);
}

Result<void> ProvisioningRequest::transitionTo(RequestState to, const QString& reason, const QDateTime& at,
                                               const Error& cause)
{
    return apply(to, EventReason{}, reason, at, cause);
}

Result<void> ProvisioningRequest::transitionTo(RequestState to, const EventReason& reason, const QDateTime& at)
{
    return apply(to, reason, QString(), at, std::nullopt);
}

Result<void> ProvisioningRequest::transitionTo(RequestState to, const EventReason& reason, const QDateTime& at,
                                               const Error& cause)
{
    return apply(to, reason, QString(), at, cause);
}

Result<void> ProvisioningRequest::note(const EventReason& reason, const QDateTime& at)
{
    if (isNull()) {
        return Error::make(ErrorKind::Internal, QStringLiteral("null-request"),
                           QStringLiteral("A null request has no history."));
    }
    if (!at.isValid()) {
        return Error::make(ErrorKind::Internal, QStringLiteral("no-time"),
                           QStringLiteral("A step needs the time it happened."));
    }
    m_updatedAt = at.toUTC();
    m_history.append(
        RequestEvent{m_updatedAt, m_state, m_state, QString(), m_attempts, std::nullopt, reason.code, reason.args});
    return {};
}

Result<void> ProvisioningRequest::apply(RequestState to, const EventReason& coded, const QString& reason,
                                        const QDateTime& at, const std::optional<Error>& cause)
{
    if (isNull()) {
        return Error::make(ErrorKind::Internal, QStringLiteral("null-request"),
                           QStringLiteral("A null request has no lifecycle."));
    }
    if (!at.isValid()) {
        return Error::make(ErrorKind::Internal, QStringLiteral("no-time"),
                           QStringLiteral("A transition needs the time it happened."));
    }
    const RequestState from = m_state;
    if (!canTransition(from, to)) {
        QString message = QStringLiteral("Cannot move request %1 from %2 to %3.")
                              .arg(m_id.toString(QUuid::WithoutBraces), toString(from), toString(to));
        if (to == RequestState::Cancelled) {
            message += QStringLiteral(" Only requests that have not reached the hypervisor (SUBMITTED or "
                                      "QUEUED_FOR_PROVISIONING) can be cancelled.");
        } else if (dcm::isTerminal(from)) {
            message += QStringLiteral(" %1 is final.").arg(toString(from));
        }
        Error error = Error::make(ErrorKind::InvalidInput, QStringLiteral("illegal-transition"), message);
        error.details.insert(QStringLiteral("from"), toString(from));
        error.details.insert(QStringLiteral("to"), toString(to));
        return error;
    }

    if (from == RequestState::Failed && to == RequestState::QueuedForProvisioning) {
        m_attempts = 0; // the operator's retry: the old budget was spent on a cause they have now addressed
    }
    if (to == RequestState::Provisioning) {
        ++m_attempts;
    }
    if (from == RequestState::QueuedForProvisioning) {
        m_nextAttemptAt = QDateTime();
    }
    if (cause) {
        m_lastError = cause;
    }
    m_state = to;
    m_updatedAt = at.toUTC();
    m_history.append(RequestEvent{m_updatedAt, from, to, reason, m_attempts, cause, coded.code, coded.args});
    return {};
}

QJsonObject ProvisioningRequest::toJson() const
{
    QJsonArray history;
    for (const RequestEvent& event : m_history) {
        history.append(eventToJson(event));
    }
    return QJsonObject{
        {QStringLiteral("id"), m_id.toString(QUuid::WithoutBraces)},
        {QStringLiteral("spec"), m_spec.toJson()},
        {QStringLiteral("state"), toString(m_state)},
        {QStringLiteral("attempts"), m_attempts},
        {QStringLiteral("nextAttemptAt"), dateToJson(m_nextAttemptAt)},
        {QStringLiteral("lastError"), m_lastError ? QJsonValue(ErrorJson::toJson(*m_lastError)) : QJsonValue()},
        {QStringLiteral("taskRef"), m_taskRef},
        {QStringLiteral("vmRef"), m_vmRef},
        {QStringLiteral("instanceUuid"), m_instanceUuid},
        {QStringLiteral("requestedBy"), m_requestedBy},
        {QStringLiteral("batchId"),
         m_batchId.isNull() ? QJsonValue(QJsonValue::Null) : QJsonValue(m_batchId.toString(QUuid::WithoutBraces))},
        {QStringLiteral("guestHostName"), m_guestHostName},
        {QStringLiteral("ipAddress"), m_ipAddress},
        {QStringLiteral("provisionStep"), toString(m_step)},
        {QStringLiteral("createdAt"), dateToJson(m_createdAt)},
        {QStringLiteral("updatedAt"), dateToJson(m_updatedAt)},
        {QStringLiteral("history"), history},
    };
}

Result<ProvisioningRequest> ProvisioningRequest::fromJson(const QJsonObject& json)
{
    JsonReader reader;
    reader.rejectUnknownKeys(json,
                             {QStringLiteral("id"), QStringLiteral("spec"), QStringLiteral("state"),
                              QStringLiteral("attempts"), QStringLiteral("nextAttemptAt"), QStringLiteral("lastError"),
                              QStringLiteral("taskRef"), QStringLiteral("vmRef"), QStringLiteral("instanceUuid"),
                              QStringLiteral("requestedBy"), QStringLiteral("createdAt"), QStringLiteral("updatedAt"),
                              QStringLiteral("history"), QStringLiteral("batchId"), QStringLiteral("guestHostName"),
                              QStringLiteral("ipAddress"), QStringLiteral("provisionStep")});
    QString idText;
    reader.readString(json, QStringLiteral("id"), idText);
    const QUuid id = QUuid::fromString(idText);
    if (id.isNull()) {
        reader.fail(QStringLiteral("id"), QStringLiteral("expected a UUID, got \"%1\"").arg(idText));
    }

    VmSpec spec;
    const QJsonValue specJson = json.value(QStringLiteral("spec"));
    if (specJson.isObject()) {
        auto parsed = VmSpec::fromJson(specJson.toObject());
        if (parsed) {
            spec = parsed.value();
        } else {
            for (const QVariant& p : parsed.error().details.value(QStringLiteral("problems")).toList()) {
                const QVariantMap problem = p.toMap();
                reader.fail(QStringLiteral("spec.") + problem.value(QStringLiteral("field")).toString(),
                            problem.value(QStringLiteral("message")).toString());
            }
        }
    } else {
        reader.fail(QStringLiteral("spec"),
                    QStringLiteral("expected the VM spec, got %1").arg(JsonReader::describe(specJson)));
    }

    RequestState state = RequestState::Submitted;
    readState(reader, json, QStringLiteral("state"), state);
    int attempts = -1; // absent: what the history says
    reader.readInt(json, QStringLiteral("attempts"), attempts);
    if (json.contains(QStringLiteral("attempts")) && attempts < 0) {
        reader.fail(QStringLiteral("attempts"), QStringLiteral("must not be negative"));
    }
    QDateTime nextAttemptAt;
    reader.readDateTime(json, QStringLiteral("nextAttemptAt"), nextAttemptAt);
    std::optional<Error> lastError;
    readError(reader, json, QStringLiteral("lastError"), lastError);
    QString taskRef;
    QString vmRef;
    QString instanceUuid;
    reader.readString(json, QStringLiteral("taskRef"), taskRef);
    reader.readString(json, QStringLiteral("vmRef"), vmRef);
    reader.readString(json, QStringLiteral("instanceUuid"), instanceUuid);
    QString requestedBy;
    reader.readString(json, QStringLiteral("requestedBy"), requestedBy);
    QString batchText;
    reader.readString(json, QStringLiteral("batchId"), batchText);
    const QUuid batchId = QUuid::fromString(batchText);
    if (!batchText.isEmpty() && batchId.isNull()) {
        reader.fail(QStringLiteral("batchId"), QStringLiteral("expected a UUID, got \"%1\"").arg(batchText));
    }
    QString guestHostName;
    QString ipAddress;
    reader.readString(json, QStringLiteral("guestHostName"), guestHostName);
    reader.readString(json, QStringLiteral("ipAddress"), ipAddress);
    QString stepText;
    reader.readString(json, QStringLiteral("provisionStep"), stepText);
    const auto step = provisionStepFromString(stepText);
    if (!step) {
        reader.fail(
            QStringLiteral("provisionStep"),
            QStringLiteral("expected \"\", \"cloned\", \"customized\" or \"powered-on\", got \"%1\"").arg(stepText));
    }
    QDateTime createdAt;
    QDateTime updatedAt;
    reader.readDateTime(json, QStringLiteral("createdAt"), createdAt);
    reader.readDateTime(json, QStringLiteral("updatedAt"), updatedAt);

    QList<RequestEvent> history;
    const QJsonValue historyJson = json.value(QStringLiteral("history"));
    if (historyJson.isArray()) {
        const QJsonArray array = historyJson.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QString prefix = QStringLiteral("history[%1]").arg(i);
            if (!array[i].isObject()) {
                reader.fail(prefix, QStringLiteral("expected an event, got %1").arg(JsonReader::describe(array[i])));
                continue;
            }
            const QJsonObject eventJson = array[i].toObject();
            JsonReader eventReader(prefix + QLatin1Char('.'));
            eventReader.rejectUnknownKeys(eventJson,
                                          {QStringLiteral("at"), QStringLiteral("from"), QStringLiteral("to"),
                                           QStringLiteral("reason"), QStringLiteral("attempts"),
                                           QStringLiteral("cause"), QStringLiteral("code"), QStringLiteral("args")});
            RequestEvent event;
            eventReader.readDateTime(eventJson, QStringLiteral("at"), event.at);
            readState(eventReader, eventJson, QStringLiteral("from"), event.from);
            readState(eventReader, eventJson, QStringLiteral("to"), event.to);
            eventReader.readString(eventJson, QStringLiteral("reason"), event.reason);
            eventReader.readString(eventJson, QStringLiteral("code"), event.code);
            const QJsonValue args = eventJson.value(QStringLiteral("args"));
            if (args.isArray()) {
                for (const QJsonValue& arg : args.toArray()) {
                    if (!arg.isString()) {
                        eventReader.fail(QStringLiteral("args"), QStringLiteral("expected a list of texts"));
                        break;
                    }
                    event.args.append(arg.toString());
                }
            } else if (!args.isUndefined() && !args.isNull()) {
                eventReader.fail(QStringLiteral("args"),
                                 QStringLiteral("expected a list of texts, got %1").arg(JsonReader::describe(args)));
            }
            eventReader.readInt(eventJson, QStringLiteral("attempts"), event.attempts);
            readError(eventReader, eventJson, QStringLiteral("cause"), event.cause);
            reader.merge(eventReader);
            history.append(event);
        }
    } else if (!historyJson.isUndefined() && !historyJson.isNull()) {
        reader.fail(QStringLiteral("history"),
                    QStringLiteral("expected a list of events, got %1").arg(JsonReader::describe(historyJson)));
    }

    if (!reader.ok()) {
        return toError(reader.problems(), QStringLiteral("invalid-request-json"));
    }
    auto restored = restore(id, std::move(spec), createdAt, state, std::move(history));
    if (!restored) {
        return restored.error();
    }
    ProvisioningRequest request = std::move(restored).value();
    // A stored counter wins over what the history implies: it is what was last written.
    if (attempts >= 0) {
        request.m_attempts = attempts;
    }
    request.m_nextAttemptAt = nextAttemptAt;
    request.m_lastError = lastError;
    request.m_taskRef = taskRef;
    request.m_vmRef = vmRef;
    request.m_instanceUuid = instanceUuid;
    request.m_requestedBy = requestedBy;
    request.m_batchId = batchId;
    request.m_guestHostName = guestHostName;
    request.m_ipAddress = ipAddress;
    request.m_step = step.value_or(ProvisionStep::None);
    if (updatedAt.isValid()) {
        request.m_updatedAt = updatedAt;
    }
    return request;
}

} // namespace dcm
