// Pins the request lifecycle: every one of the 49 (from, to) pairs, the bookkeeping done on each step
// (attempts, next attempt time, last error, history), restoring stored requests, and the JSON form.
#include "domain/ProvisioningRequest.h"

#include "domain/ErrorJson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTest>

#include "DomainQCompare.h"

using namespace dcm;
using S = RequestState;

namespace {

const QDateTime t0(QDate(2026, 1, 1), QTime(8, 0), Qt::UTC);

const QUuid requestId = QUuid::fromString(QStringLiteral("{5b8f1c62-3f1e-4c1a-9f51-0e8b7c2d9a11}"));

VmSpec spec()
{
    VmSpec s;
    s.name = QStringLiteral("web-01");
    s.memoryMiB = 4096;
    s.disks = {DiskSpec{1024, true}};
    return s;
}

// The lifecycle written out independently of the implementation's table.
const QSet<QPair<S, S>> allowed{
    {S::Submitted, S::Provisioning},
    {S::Submitted, S::QueuedForProvisioning},
    {S::Submitted, S::Cancelled},
    {S::Submitted, S::Failed},
    {S::Provisioning, S::Provisioned},
    {S::Provisioning, S::QueuedForProvisioning},
    {S::Provisioning, S::Reconciling},
    {S::Provisioning, S::Failed},
    {S::QueuedForProvisioning, S::Provisioning},
    {S::QueuedForProvisioning, S::Reconciling},
    {S::QueuedForProvisioning, S::Cancelled},
    {S::QueuedForProvisioning, S::Failed},
    {S::Reconciling, S::Provisioned},
    {S::Reconciling, S::Provisioning},
    {S::Reconciling, S::QueuedForProvisioning},
    {S::Reconciling, S::Failed},
    {S::Failed, S::QueuedForProvisioning},
};

// A request brought into `state` through legal steps, one minute apart.
ProvisioningRequest requestIn(S state)
{
    QList<S> path;
    switch (state) {
    case S::Submitted:
        break;
    case S::Provisioning:
        path = {S::Provisioning};
        break;
    case S::QueuedForProvisioning:
        path = {S::QueuedForProvisioning};
        break;
    case S::Reconciling:
        path = {S::Provisioning, S::Reconciling};
        break;
    case S::Provisioned:
        path = {S::Provisioning, S::Provisioned};
        break;
    case S::Failed:
        path = {S::Failed};
        break;
    case S::Cancelled:
        path = {S::Cancelled};
        break;
    }
    ProvisioningRequest request(requestId, spec(), t0);
    int minute = 0;
    for (S step : path) {
        const auto moved = request.transitionTo(step, QStringLiteral("setup"), t0.addSecs(60 * ++minute));
        if (!moved) {
            qFatal("setup path refused: %s", qPrintable(moved.error().message));
        }
    }
    return request;
}

Error transient()
{
    return Error::make(ErrorKind::Transient, QStringLiteral("connection-refused"),
                       QStringLiteral("Connection refused"));
}

} // namespace

class TestProvisioningRequest : public QObject
{
    Q_OBJECT

private slots:
    void newRequestIsSubmitted()
    {
        const ProvisioningRequest request(requestId, spec(), t0);
        QCOMPARE(request.state(), S::Submitted);
        QCOMPARE(request.id(), requestId);
        QCOMPARE(request.spec(), spec());
        QCOMPARE(request.attempts(), 0);
        QCOMPARE(request.createdAt(), t0);
        QCOMPARE(request.updatedAt(), t0);
        QVERIFY(request.history().isEmpty());
        QVERIFY(!request.lastError().has_value());
        QVERIFY(!request.isNull());
        QVERIFY(ProvisioningRequest().isNull());
    }

    void transitionTable_data()
    {
        QTest::addColumn<S>("from");
        QTest::addColumn<S>("to");
        QTest::addColumn<bool>("legal");
        for (S from : allRequestStates) {
            for (S to : allRequestStates) {
                const QByteArray tag = (toString(from) + QStringLiteral(" -> ") + toString(to)).toLatin1();
                QTest::newRow(tag.constData()) << from << to << allowed.contains({from, to});
            }
        }
    }

    // Every pair: the table answers as written above, and transitionTo() obeys it — a refused step
    // changes nothing, an accepted one moves the state and records exactly one event.
    void transitionTable()
    {
        QFETCH(S, from);
        QFETCH(S, to);
        QFETCH(bool, legal);

        QCOMPARE(canTransition(from, to), legal);

        ProvisioningRequest request = requestIn(from);
        const ProvisioningRequest before = request;
        const QDateTime at = t0.addSecs(3600);
        const auto result = request.transitionTo(to, QStringLiteral("because"), at);
        QCOMPARE(result.ok(), legal);
        if (!legal) {
            QCOMPARE(result.error().kind, ErrorKind::InvalidInput);
            QCOMPARE(result.error().code, QStringLiteral("illegal-transition"));
            QCOMPARE(result.error().details.value(QStringLiteral("from")).toString(), toString(from));
            QCOMPARE(result.error().details.value(QStringLiteral("to")).toString(), toString(to));
            QVERIFY(result.error().message.contains(toString(from)));
            QCOMPARE(request, before);
            return;
        }
        QCOMPARE(request.state(), to);
        QCOMPARE(request.updatedAt(), at);
        QCOMPARE(request.history().size(), before.history().size() + 1);
        const RequestEvent& event = request.history().back();
        QCOMPARE(event.from, from);
        QCOMPARE(event.to, to);
        QCOMPARE(event.at, at);
        QCOMPARE(event.reason, QStringLiteral("because"));
        QCOMPARE(event.attempts, request.attempts());
    }

    void noSelfTransitions()
    {
        for (S s : allRequestStates) {
            QVERIFY2(!canTransition(s, s), qPrintable(toString(s)));
        }
    }

    void terminalAndSettled_data()
    {
        QTest::addColumn<S>("state");
        QTest::addColumn<bool>("terminal");
        QTest::addColumn<bool>("settled");
        QTest::newRow("SUBMITTED") << S::Submitted << false << false;
        QTest::newRow("PROVISIONING") << S::Provisioning << false << false;
        QTest::newRow("QUEUED") << S::QueuedForProvisioning << false << false;
        QTest::newRow("RECONCILING") << S::Reconciling << false << false;
        QTest::newRow("PROVISIONED") << S::Provisioned << true << true;
        QTest::newRow("FAILED") << S::Failed << false << true;
        QTest::newRow("CANCELLED") << S::Cancelled << true << true;
    }

    void terminalAndSettled()
    {
        QFETCH(S, state);
        QFETCH(bool, terminal);
        QFETCH(bool, settled);
        QCOMPARE(isTerminal(state), terminal);
        QCOMPARE(isSettled(state), settled);
        QCOMPARE(requestIn(state).isTerminal(), terminal);
        QCOMPARE(requestIn(state).isSettled(), settled);
        // Terminal means no way out at all.
        if (terminal) {
            for (S to : allRequestStates) {
                QVERIFY(!canTransition(state, to));
            }
        }
    }

    void stateNames_data()
    {
        QTest::addColumn<S>("state");
        QTest::addColumn<QString>("name");
        QTest::newRow("submitted") << S::Submitted << QStringLiteral("SUBMITTED");
        QTest::newRow("provisioning") << S::Provisioning << QStringLiteral("PROVISIONING");
        QTest::newRow("queued") << S::QueuedForProvisioning << QStringLiteral("QUEUED_FOR_PROVISIONING");
        QTest::newRow("reconciling") << S::Reconciling << QStringLiteral("RECONCILING");
        QTest::newRow("provisioned") << S::Provisioned << QStringLiteral("PROVISIONED");
        QTest::newRow("failed") << S::Failed << QStringLiteral("FAILED");
        QTest::newRow("cancelled") << S::Cancelled << QStringLiteral("CANCELLED");
    }

    void stateNames()
    {
        QFETCH(S, state);
        QFETCH(QString, name);
        QCOMPARE(toString(state), name);
        QCOMPARE(requestStateFromString(name).value(), state);
        QCOMPARE(requestStateFromString(name.toLower()).value(), state);
    }

    void unknownStateNameListsTheValidOnes()
    {
        const auto parsed = requestStateFromString(u"QUEUED");
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().kind, ErrorKind::InvalidInput);
        QVERIFY(parsed.error().message.contains(QStringLiteral("QUEUED_FOR_PROVISIONING, RECONCILING")));
    }

    // attempts = sends to the hypervisor; the operator's retry starts a fresh budget.
    void attemptsCountSends()
    {
        ProvisioningRequest r(requestId, spec(), t0);
        QVERIFY(r.transitionTo(S::QueuedForProvisioning, QStringLiteral("breaker open"), t0.addSecs(1)).ok());
        QCOMPARE(r.attempts(), 0);
        QVERIFY(r.transitionTo(S::Provisioning, QStringLiteral("drain"), t0.addSecs(2)).ok());
        QCOMPARE(r.attempts(), 1);
        QVERIFY(r.transitionTo(S::Reconciling, QStringLiteral("timeout"), t0.addSecs(3)).ok());
        QCOMPARE(r.attempts(), 1);
        QVERIFY(r.transitionTo(S::Provisioning, QStringLiteral("not found"), t0.addSecs(4)).ok());
        QCOMPARE(r.attempts(), 2);
        QVERIFY(r.transitionTo(S::QueuedForProvisioning, QStringLiteral("refused"), t0.addSecs(5)).ok());
        QVERIFY(r.transitionTo(S::Provisioning, QStringLiteral("drain"), t0.addSecs(6)).ok());
        QCOMPARE(r.attempts(), 3);
        QVERIFY(r.transitionTo(S::Failed, QStringLiteral("gave up"), t0.addSecs(7)).ok());
        QCOMPARE(r.attempts(), 3);
        QVERIFY(r.transitionTo(S::QueuedForProvisioning, QStringLiteral("operator retry"), t0.addSecs(8)).ok());
        QCOMPARE(r.attempts(), 0);
        QCOMPARE(r.history().at(6).attempts, 3); // the event keeps what it was when FAILED
    }

    void leavingTheQueueClearsNextAttempt()
    {
        ProvisioningRequest r(requestId, spec(), t0);
        QVERIFY(r.transitionTo(S::QueuedForProvisioning, QStringLiteral("breaker open"), t0).ok());
        r.setNextAttemptAt(t0.addSecs(30));
        QCOMPARE(r.nextAttemptAt(), t0.addSecs(30));
        QVERIFY(r.transitionTo(S::Provisioning, QStringLiteral("due"), t0.addSecs(30)).ok());
        QVERIFY(!r.nextAttemptAt().isValid());
    }

    void causeBecomesLastErrorAndStaysInTheEvent()
    {
        ProvisioningRequest r = requestIn(S::Provisioning);
        QVERIFY(
            r.transitionTo(S::QueuedForProvisioning, QStringLiteral("transient"), t0.addSecs(600), transient()).ok());
        QCOMPARE(r.lastError(), std::optional<Error>(transient()));
        QCOMPARE(r.history().back().cause, std::optional<Error>(transient()));
        // A step without a cause keeps the last error (it is still the last thing that went wrong)...
        QVERIFY(r.transitionTo(S::Provisioning, QStringLiteral("due"), t0.addSecs(700)).ok());
        QCOMPARE(r.lastError(), std::optional<Error>(transient()));
        QVERIFY(!r.history().back().cause.has_value());
    }

    void refusedStepDoesNotRecordItsCause()
    {
        ProvisioningRequest r = requestIn(S::Provisioned);
        QVERIFY(!r.transitionTo(S::Failed, QStringLiteral("late"), t0.addSecs(900), transient()).ok());
        QVERIFY(!r.lastError().has_value());
    }

    void cancelRefusalExplainsWhy()
    {
        ProvisioningRequest r = requestIn(S::Provisioning);
        const auto result = r.transitionTo(S::Cancelled, QStringLiteral("operator"), t0.addSecs(900));
        QVERIFY(!result.ok());
        QVERIFY(result.error().message.contains(QStringLiteral("have not reached the hypervisor")));
        const auto final = requestIn(S::Provisioned).transitionTo(S::Failed, QString(), t0.addSecs(900));
        QVERIFY(final.error().message.contains(QStringLiteral("PROVISIONED is final")));
    }

    void transitionNeedsATimeAndARequest()
    {
        ProvisioningRequest r(requestId, spec(), t0);
        const auto noTime = r.transitionTo(S::Provisioning, QStringLiteral("x"), QDateTime());
        QCOMPARE(noTime.error().kind, ErrorKind::Internal);
        QCOMPARE(r.state(), S::Submitted);
        ProvisioningRequest null;
        QCOMPARE(null.transitionTo(S::Provisioning, QStringLiteral("x"), t0).error().kind, ErrorKind::Internal);
    }

    void restoreAcceptsAConsistentHistory()
    {
        const ProvisioningRequest original = requestIn(S::Reconciling);
        const auto restored = ProvisioningRequest::restore(requestId, spec(), t0, S::Reconciling, original.history());
        QVERIFY(restored.ok());
        QCOMPARE(restored.value().state(), S::Reconciling);
        QCOMPARE(restored.value().attempts(), 1);
        QCOMPARE(restored.value().updatedAt(), original.updatedAt());
        QCOMPARE(restored.value(), original);
    }

    void restoreRejectsDamage_data()
    {
        QTest::addColumn<QUuid>("id");
        QTest::addColumn<S>("state");
        QTest::addColumn<QList<RequestEvent>>("history");
        QTest::addColumn<QString>("message");
        const auto ev = [](S from, S to) { return RequestEvent{t0, from, to, QStringLiteral("x"), 0, {}, {}, {}}; };
        QTest::newRow("null id") << QUuid() << S::Submitted << QList<RequestEvent>{} << QStringLiteral("no id");
        QTest::newRow("state without history") << requestId << S::Provisioned << QList<RequestEvent>{}
                                               << QStringLiteral("its state is PROVISIONED but its history ends at "
                                                                 "SUBMITTED");
        QTest::newRow("gap in the chain")
            << requestId << S::Provisioned
            << QList<RequestEvent>{ev(S::Submitted, S::Provisioning), ev(S::Reconciling, S::Provisioned)}
            << QStringLiteral("event 2 starts from RECONCILING but the request was PROVISIONING");
        QTest::newRow("forbidden step") << requestId << S::Provisioned
                                        << QList<RequestEvent>{ev(S::Submitted, S::Provisioned)}
                                        << QStringLiteral("event 1 moves from SUBMITTED to PROVISIONED");
        QTest::newRow("history ends elsewhere")
            << requestId << S::Failed << QList<RequestEvent>{ev(S::Submitted, S::Cancelled)}
            << QStringLiteral("its state is FAILED");
    }

    void restoreRejectsDamage()
    {
        QFETCH(QUuid, id);
        QFETCH(S, state);
        QFETCH(QList<RequestEvent>, history);
        QFETCH(QString, message);
        const auto restored = ProvisioningRequest::restore(id, spec(), t0, state, history);
        QVERIFY(!restored.ok());
        QCOMPARE(restored.error().kind, ErrorKind::Storage);
        QCOMPARE(restored.error().code, QStringLiteral("corrupt-request"));
        QVERIFY2(restored.error().message.contains(message), qPrintable(restored.error().message));
    }

    void jsonRoundTrip()
    {
        ProvisioningRequest r = requestIn(S::Provisioning);
        QVERIFY(
            r.transitionTo(S::QueuedForProvisioning, QStringLiteral("transient"), t0.addSecs(600), transient()).ok());
        r.setNextAttemptAt(t0.addMSecs(601'250));
        Error fault = Error::make(ErrorKind::Business, QStringLiteral("vim-fault"), QStringLiteral("exists"),
                                  QStringLiteral("DuplicateName"));
        fault.details.insert(QStringLiteral("name"), QStringLiteral("web-01"));
        r.setLastError(fault);
        r.setTaskRef(QStringLiteral("task-12"));
        r.setVmRef(QStringLiteral("vm-42"));
        r.setInstanceUuid(requestId.toString(QUuid::WithoutBraces));

        const QByteArray text = QJsonDocument(r.toJson()).toJson(QJsonDocument::Compact);
        const auto parsed = ProvisioningRequest::fromJson(QJsonDocument::fromJson(text).object());
        QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
        QCOMPARE(parsed.value(), r);
        QCOMPARE(r.toJson().value(QStringLiteral("state")).toString(), QStringLiteral("QUEUED_FOR_PROVISIONING"));
        QCOMPARE(r.toJson().value(QStringLiteral("nextAttemptAt")).toString(),
                 QStringLiteral("2026-01-01T08:10:01.250Z"));
    }

    void jsonRejectsDamage_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QString>("message");
        QTest::newRow("bad id") << QStringLiteral("id") << QJsonValue(QStringLiteral("nope"))
                                << QStringLiteral("id: expected a UUID");
        QTest::newRow("bad state") << QStringLiteral("state") << QJsonValue(QStringLiteral("DONE"))
                                   << QStringLiteral("Unknown request state \"DONE\"");
        QTest::newRow("bad time") << QStringLiteral("createdAt") << QJsonValue(QStringLiteral("yesterday"))
                                  << QStringLiteral("createdAt: expected a date and time");
        QTest::newRow("bad spec") << QStringLiteral("spec") << QJsonValue(QJsonObject{{QStringLiteral("cpus"), true}})
                                  << QStringLiteral("spec.cpus: expected a whole number");
        QTest::newRow("bad error kind") << QStringLiteral("lastError")
                                        << QJsonValue(QJsonObject{{QStringLiteral("kind"), QStringLiteral("oops")}})
                                        << QStringLiteral("unknown error kind \"oops\"");
        QTest::newRow("negative attempts")
            << QStringLiteral("attempts") << QJsonValue(-1) << QStringLiteral("attempts: must not be negative");
        QTest::newRow("history not a list")
            << QStringLiteral("history") << QJsonValue(7) << QStringLiteral("expected a list of events");
        QTest::newRow("unknown key") << QStringLiteral("owner") << QJsonValue(QStringLiteral("me"))
                                     << QStringLiteral("owner: unknown field");
    }

    void jsonRejectsDamage()
    {
        QFETCH(QString, key);
        QFETCH(QJsonValue, value);
        QFETCH(QString, message);
        QJsonObject json = requestIn(S::Provisioning).toJson();
        json.insert(key, value);
        const auto parsed = ProvisioningRequest::fromJson(json);
        QVERIFY(!parsed.ok());
        QVERIFY2(parsed.error().message.contains(message), qPrintable(parsed.error().message));
    }

    // A document whose state contradicts its history is a damaged row, not a request.
    void jsonStateMustMatchHistory()
    {
        QJsonObject json = requestIn(S::Provisioning).toJson();
        json.insert(QStringLiteral("state"), QStringLiteral("PROVISIONED"));
        const auto parsed = ProvisioningRequest::fromJson(json);
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().code, QStringLiteral("corrupt-request"));
    }

    void errorJsonRoundTrip()
    {
        Error error = Error::make(ErrorKind::Trust, QStringLiteral("thumbprint-mismatch"), QStringLiteral("m"));
        error.details.insert(QStringLiteral("expected"), QStringLiteral("AB:CD"));
        const QJsonObject json = ErrorJson::toJson(error);
        QCOMPARE(json.value(QStringLiteral("kind")).toString(), QStringLiteral("trust"));
        Error back;
        QVERIFY(ErrorJson::fromJson(json, back).ok());
        QCOMPARE(back, error);
    }

    // Pins: the clone's fields (batch, guest identity, step reached) round-trip through the JSON form,
    // a note keeps the state and the bookkeeping, and a stored history with notes restores.
    void cloneFieldsAndNotesRoundTrip_data()
    {
        QTest::addColumn<int>("step");
        QTest::newRow("none") << int(ProvisionStep::None);
        QTest::newRow("cloned") << int(ProvisionStep::Cloned);
        QTest::newRow("customized") << int(ProvisionStep::Customized);
        QTest::newRow("powered-on") << int(ProvisionStep::PoweredOn);
    }

    void cloneFieldsAndNotesRoundTrip()
    {
        QFETCH(int, step);
        ProvisioningRequest r = requestIn(S::Provisioning);
        const int attempts = r.attempts();
        QVERIFY(r.note(EventReason{QStringLiteral("cloned"), {QStringLiteral("vm-7"), QStringLiteral("tpl")}},
                       t0.addSecs(3600))
                    .ok());
        QCOMPARE(r.state(), S::Provisioning);
        QCOMPARE(r.attempts(), attempts);
        QCOMPARE(r.history().last().from, S::Provisioning);
        QCOMPARE(r.history().last().to, S::Provisioning);
        QCOMPARE(r.updatedAt(), t0.addSecs(3600));
        r.setProvisionStep(ProvisionStep(step));
        r.setBatchId(QUuid::fromString(QStringLiteral("{0f8fad5b-d9cb-469f-a165-70867728950e}")));
        r.setGuestHostName(QStringLiteral("web01.example.com"));
        r.setIpAddress(QStringLiteral("10.0.0.11"));

        const QJsonObject json = r.toJson();
        QCOMPARE(json.value(QStringLiteral("provisionStep")).toString(), toString(ProvisionStep(step)));
        QCOMPARE(json.value(QStringLiteral("batchId")).toString(),
                 QStringLiteral("0f8fad5b-d9cb-469f-a165-70867728950e"));
        const auto back = ProvisioningRequest::fromJson(json);
        QVERIFY2(back.ok(), back.ok() ? "" : qPrintable(back.error().message));
        QVERIFY(back.value() == r);

        const auto restored = ProvisioningRequest::restore(requestId, spec(), t0, S::Provisioning, r.history());
        QVERIFY(restored.ok());
    }

    void aSingleRequestHasANullBatchInJson()
    {
        const ProvisioningRequest r = requestIn(S::Submitted);
        QVERIFY(r.toJson().value(QStringLiteral("batchId")).isNull());
        QVERIFY(ProvisioningRequest::fromJson(r.toJson()).value().batchId().isNull());
    }

    void unknownStepOrBatchInJsonIsRefusedByName_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        QTest::newRow("step") << QStringLiteral("provisionStep") << QStringLiteral("teleported");
        QTest::newRow("batch") << QStringLiteral("batchId") << QStringLiteral("not-a-uuid");
    }

    void unknownStepOrBatchInJsonIsRefusedByName()
    {
        QFETCH(QString, key);
        QFETCH(QString, value);
        QJsonObject json = requestIn(S::Submitted).toJson();
        json.insert(key, value);
        const auto parsed = ProvisioningRequest::fromJson(json);
        QVERIFY(!parsed.ok());
        QVERIFY2(parsed.error().message.contains(key), qPrintable(parsed.error().message));
    }
};

QTEST_GUILESS_MAIN(TestProvisioningRequest)
#include "TestProvisioningRequest.moc"
