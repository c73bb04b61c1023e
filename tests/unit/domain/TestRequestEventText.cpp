// A request's history keeps why each step was taken as a code and its arguments; the sentence is made
// when read, in the reader's language — whichever process wrote the step, in whatever locale.
#include "domain/ProvisioningRequest.h"
#include "domain/RequestEventText.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QTest>
#include <QTranslator>

using namespace dcm;

namespace {

// A reader whose language has its own words for two of the sentences.
class GermanReader final : public QTranslator
{
public:
    QString translate(const char* context, const char* source, const char*, int) const override
    {
        if (qstrcmp(context, "dcm::RequestEventText") != 0)
            return {};
        if (qstrcmp(source, "sent to the hypervisor") == 0)
            return QStringLiteral("an den Hypervisor gesendet");
        if (qstrcmp(source, "created %1") == 0)
            return QStringLiteral("%1 erstellt");
        return {};
    }
    bool isEmpty() const override { return false; }
};

ProvisioningRequest sentAndCreated()
{
    VmSpec spec;
    spec.name = QStringLiteral("web-01");
    const QDateTime t0 = QDateTime::fromString(QStringLiteral("2026-12-06T08:00:00Z"), Qt::ISODate);
    ProvisioningRequest r(QUuid::createUuid(), spec, t0);
    (void)r.transitionTo(RequestState::Provisioning, RequestEventText::reason(RequestEventText::kSent), t0);
    (void)r.transitionTo(RequestState::Provisioned,
                         RequestEventText::reason(RequestEventText::kCreated, {QStringLiteral("vm-42")}),
                         t0.addSecs(5));
    return r;
}

} // namespace

class TestRequestEventText : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aStepKeepsItsCodeAndArgumentsNotASentence()
    {
        const ProvisioningRequest r = sentAndCreated();
        const RequestEvent& created = r.history().last();
        QCOMPARE(created.code, QStringLiteral("created"));
        QCOMPARE(created.args, QStringList{QStringLiteral("vm-42")});
        QVERIFY(created.reason.isEmpty());
        QCOMPARE(RequestEventText::describe(created), QStringLiteral("created vm-42"));
    }

    void theSentenceIsMadeInTheReadersLanguage()
    {
        const ProvisioningRequest r = sentAndCreated(); // written before any translator is there
        GermanReader german;
        QVERIFY(QCoreApplication::installTranslator(&german));
        const QString sent = RequestEventText::describe(r.history().at(0));
        const QString created = RequestEventText::describe(r.history().at(1));
        QCoreApplication::removeTranslator(&german);
        QCOMPARE(sent, QStringLiteral("an den Hypervisor gesendet"));
        QCOMPARE(created, QStringLiteral("vm-42 erstellt"));
        QCOMPARE(RequestEventText::describe(r.history().at(1)), QStringLiteral("created vm-42"));
    }

    void freeTextAndUnknownCodesStillRead()
    {
        RequestEvent legacy;
        legacy.reason = QStringLiteral("operator retry");
        QCOMPARE(RequestEventText::describe(legacy), QStringLiteral("operator retry"));
        RequestEvent newer;
        newer.code = QStringLiteral("cloned-from-template");
        newer.args = {QStringLiteral("tpl-ubuntu")};
        QCOMPARE(RequestEventText::describe(newer), QStringLiteral("cloned-from-template: tpl-ubuntu"));
    }

    void anArgumentIsNeverReadAsAPlaceholder()
    {
        QCOMPARE(RequestEventText::describe(QString::fromLatin1(RequestEventText::kTransientFailure),
                                            {QStringLiteral("disk 100% full, %1 left")}),
                 QStringLiteral("transient failure: disk 100% full, %1 left"));
    }

    void jsonRoundTripKeepsCodeAndArguments()
    {
        const ProvisioningRequest r = sentAndCreated();
        const QJsonObject json = r.toJson();
        const QJsonObject step = json.value(QStringLiteral("history")).toArray().at(1).toObject();
        QCOMPARE(step.value(QStringLiteral("code")).toString(), QStringLiteral("created"));
        auto back = ProvisioningRequest::fromJson(json);
        QVERIFY2(back.ok(), back.ok() ? "" : qPrintable(back.error().message));
        QCOMPARE(back.value().history(), r.history());
    }

    void everyCodeTheServiceWritesHasASentence()
    {
        using namespace RequestEventText;
        for (const char* code : {kSent,
                                 kCreated,
                                 kCreatedPoweredOn,
                                 kAdopted,
                                 kTransientFailure,
                                 kWaitingForOperator,
                                 kOutcomePending,
                                 kNoAnswer,
                                 kNameTaken,
                                 kFailed,
                                 kPlacementVanished,
                                 kSentBefore,
                                 kTakenOver,
                                 kOfflineWillLook,
                                 kOperatorWillLook,
                                 kNothingFoundWillSend,
                                 kLookupFailed,
                                 kRetryRequested,
                                 kCancelled,
                                 kQueuePaused,
                                 kNotConnected,
                                 kBreakerOpen,
                                 kWaitingForProbe,
                                 kCloned,
                                 kCustomizationSent,
                                 kPoweredOn,
                                 kResuming,
                                 kCloneGone,
                                 kTemplateVanished,
                                 kCustomizationSpecVanished,
                                 kGuestReported,
                                 kGuestSilent,
                                 kWaitingForSlot}) {
            const QString text = describe(QString::fromLatin1(code), {QStringLiteral("X")});
            // An unknown code reads as "code: X"; a known one as its own sentence.
            QVERIFY2(text != QStringLiteral("%1: X").arg(QLatin1String(code)), code);
        }
    }
};

QTEST_GUILESS_MAIN(TestRequestEventText)
#include "TestRequestEventText.moc"
