#pragma once

#include "domain/RequestEvent.h"

#include <QString>

namespace dcm {

// The sentences of a request's history, made when they are read: in the reader's language (through
// QCoreApplication::translate, context "dcm::RequestEventText"), from the codes and arguments the service
// stored. A step with free text (an operator's words, or one stored before codes existed) reads as
// that text; an unknown code (written by a newer version) as the code and its arguments.
namespace RequestEventText {

// The codes the service writes, and the arguments each takes.
inline constexpr const char* kSent = "sent";                                    // -
inline constexpr const char* kCreated = "created";                              // vm
inline constexpr const char* kCreatedPoweredOn = "created-powered-on";          // vm
inline constexpr const char* kAdopted = "adopted";                              // vm
inline constexpr const char* kTransientFailure = "transient-failure";           // what went wrong
inline constexpr const char* kWaitingForOperator = "waiting-for-operator";      // what went wrong
inline constexpr const char* kOutcomePending = "outcome-pending";               // what went wrong
inline constexpr const char* kNoAnswer = "no-answer";                           // what went wrong
inline constexpr const char* kNameTaken = "name-taken";                         // -
inline constexpr const char* kFailed = "failed";                                // what went wrong
inline constexpr const char* kPlacementVanished = "placement-vanished";         // what is gone
inline constexpr const char* kSentBefore = "sent-before";                       // -
inline constexpr const char* kTakenOver = "taken-over";                         // -
inline constexpr const char* kOfflineWillLook = "offline-will-look";            // -
inline constexpr const char* kOperatorWillLook = "operator-will-look";          // -
inline constexpr const char* kNothingFoundWillSend = "nothing-found-will-send"; // -
inline constexpr const char* kLookupFailed = "lookup-failed";                   // what went wrong
inline constexpr const char* kRetryRequested = "retry-requested";               // -
inline constexpr const char* kCancelled = "cancelled";                          // -
inline constexpr const char* kQueuePaused = "queue-paused";                     // -
inline constexpr const char* kNotConnected = "not-connected";                   // -
inline constexpr const char* kBreakerOpen = "breaker-open";                     // breaker state
inline constexpr const char* kWaitingForProbe = "waiting-for-probe";            // -
// A clone's steps (notes inside PROVISIONING, or the step to PROVISIONED) and what follows them.
inline constexpr const char* kCloned = "cloned";                           // vm, template
inline constexpr const char* kCustomizationSent = "customization-sent";    // vm
inline constexpr const char* kPoweredOn = "powered-on";                    // vm
inline constexpr const char* kResuming = "resuming";                       // vm, steps done
inline constexpr const char* kCloneGone = "clone-gone";                    // vm
inline constexpr const char* kTemplateVanished = "template-vanished";      // template
inline constexpr const char* kCustomizationSpecVanished = "spec-vanished"; // saved spec name
inline constexpr const char* kGuestReported = "guest-reported";            // host name, address
inline constexpr const char* kGuestSilent = "guest-silent";                // minutes waited
inline constexpr const char* kWaitingForSlot = "waiting-for-slot";         // -

EventReason reason(const char* code, const QStringList& args = {});

// The step's sentence in the reader's language.
QString describe(const RequestEvent& event);
QString describe(const QString& code, const QStringList& args);

} // namespace RequestEventText

} // namespace dcm
