#include "domain/RequestEventText.h"

#include <QCoreApplication>

#include <array>
#include <utility>

namespace dcm::RequestEventText {

namespace {

// Marked for lupdate under one context; translated when read.
constexpr std::array<std::pair<const char*, const char*>, 33> s_sentences{{
    {kSent, QT_TRANSLATE_NOOP("dcm::RequestEventText", "sent to the hypervisor")},
    {kCreated, QT_TRANSLATE_NOOP("dcm::RequestEventText", "created %1")},
    {kCreatedPoweredOn, QT_TRANSLATE_NOOP("dcm::RequestEventText", "created %1 and powered it on")},
    {kAdopted, QT_TRANSLATE_NOOP("dcm::RequestEventText", "adopted %1, which already carries this request's key")},
    {kTransientFailure, QT_TRANSLATE_NOOP("dcm::RequestEventText", "transient failure: %1")},
    {kWaitingForOperator, QT_TRANSLATE_NOOP("dcm::RequestEventText", "waiting for the operator: %1")},
    {kOutcomePending,
     QT_TRANSLATE_NOOP("dcm::RequestEventText", "sent; outcome pending until the operator fixes the connection: %1")},
    {kNoAnswer, QT_TRANSLATE_NOOP("dcm::RequestEventText", "no answer after sending: %1")},
    {kNameTaken, QT_TRANSLATE_NOOP("dcm::RequestEventText", "name already taken; looking for our VM")},
    {kFailed, QT_TRANSLATE_NOOP("dcm::RequestEventText", "%1")},
    {kPlacementVanished, QT_TRANSLATE_NOOP("dcm::RequestEventText", "checked against fresh inventory: %1")},
    {kSentBefore, QT_TRANSLATE_NOOP("dcm::RequestEventText", "sent before; looking for the VM first")},
    {kTakenOver,
     QT_TRANSLATE_NOOP("dcm::RequestEventText", "taken over from a service that stopped while provisioning")},
    {kOfflineWillLook,
     QT_TRANSLATE_NOOP("dcm::RequestEventText",
                       "hypervisor offline; the VM will be looked for before anything is sent again")},
    {kOperatorWillLook,
     QT_TRANSLATE_NOOP("dcm::RequestEventText",
                       "waiting for the operator; the VM will be looked for before anything is sent again")},
    {kNothingFoundWillSend,
     QT_TRANSLATE_NOOP("dcm::RequestEventText", "no VM found; it will be sent when the hypervisor is online")},
    {kLookupFailed, QT_TRANSLATE_NOOP("dcm::RequestEventText", "could not look the VM up: %1")},
    {kRetryRequested, QT_TRANSLATE_NOOP("dcm::RequestEventText", "retry requested by the operator")},
    {kCancelled, QT_TRANSLATE_NOOP("dcm::RequestEventText", "cancelled by the operator")},
    {kQueuePaused, QT_TRANSLATE_NOOP("dcm::RequestEventText", "the queue is paused by an administrator")},
    {kNotConnected, QT_TRANSLATE_NOOP("dcm::RequestEventText", "not connected to the hypervisor")},
    {kBreakerOpen, QT_TRANSLATE_NOOP("dcm::RequestEventText", "the hypervisor is offline (circuit breaker %1)")},
    {kWaitingForProbe, QT_TRANSLATE_NOOP("dcm::RequestEventText", "waiting for the hypervisor to answer a probe")},
    {kCloned, QT_TRANSLATE_NOOP("dcm::RequestEventText", "cloned %1 from the template %2")},
    {kCustomizationSent,
     QT_TRANSLATE_NOOP("dcm::RequestEventText", "guest customization sent to %1; it applies at the first boot")},
    {kPoweredOn, QT_TRANSLATE_NOOP("dcm::RequestEventText", "powered %1 on")},
    {kResuming, QT_TRANSLATE_NOOP("dcm::RequestEventText",
                                  "found %1 carrying this request's key (done: %2); continuing from there")},
    {kCloneGone,
     QT_TRANSLATE_NOOP("dcm::RequestEventText",
                       "the clone %1 that carried this request's key no longer exists; nothing is cloned again")},
    {kTemplateVanished,
     QT_TRANSLATE_NOOP("dcm::RequestEventText", "checked against fresh inventory: the template %1 no longer exists")},
    {kCustomizationSpecVanished,
     QT_TRANSLATE_NOOP("dcm::RequestEventText",
                       "checked against fresh inventory: the customization specification %1 no longer exists")},
    {kGuestReported, QT_TRANSLATE_NOOP("dcm::RequestEventText", "guest reported host name %1 and address %2")},
    {kGuestSilent,
     QT_TRANSLATE_NOOP("dcm::RequestEventText", "the guest reported no host name and address within %1 minutes")},
    {kWaitingForSlot, QT_TRANSLATE_NOOP("dcm::RequestEventText", "part of a batch: waiting for a free drain slot")},
}};

} // namespace

EventReason reason(const char* code, const QStringList& args)
{
    return EventReason{QString::fromLatin1(code), args};
}

QString describe(const QString& code, const QStringList& args)
{
    for (const auto& [known, sentence] : s_sentences) {
        if (code == QLatin1String(known)) {
            QString text = QCoreApplication::translate("dcm::RequestEventText", sentence);
            for (const QString& arg : args)
                text = text.arg(arg);
            return text;
        }
    }
    return args.isEmpty() ? code : QStringLiteral("%1: %2").arg(code, args.join(QStringLiteral(", ")));
}

QString describe(const RequestEvent& event)
{
    return event.code.isEmpty() ? event.reason : describe(event.code, event.args);
}

} // namespace dcm::RequestEventText
