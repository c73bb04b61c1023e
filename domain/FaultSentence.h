#pragma once

#include "domain/Error.h"
#include "domain/VmSpec.h"

#include <optional>

#include <QString>

namespace dcm {

// What a sentence about a fault may name besides the error itself: the request's VM and placement, and
// the account the service talks to vCenter with. Empty fields are left out of the sentence.
struct FaultContext
{
    QString vmName;
    QString folder; // the VM folder's inventory path; empty = the datacenter's root VM folder, "vm"
    QString datastore;
    QString user;   // the vCenter account
    QString server; // vCenter's host name

    static FaultContext of(const VmSpec& spec);
};

// Errors for people: one sentence (or two, the second saying what to do) for the faults operators
// meet, built from the error's kind, listed code, vCenter's fault name and its details, never from
// parsing vCenter's message. Pure and without Qt GUI, so that the console and dcmctl say the same.
// The raw error stays available (raw()) for whoever needs the fault as vCenter sent it.
class FaultSentence final
{
public:
    // "A VM named app-01 already exists in folder vm. Choose another name or folder." Unknown faults
    // fall back to the error's own message as a sentence.
    static QString of(const Error& error, const FaultContext& context = {});

    // Every field of the error, one per line: "kind: business", "code: duplicate-name", "vimFault:
    // DuplicateName", "message: …", then "details: key=value, …" (keys sorted). Fields that are empty are
    // left out.
    static QString raw(const Error& error);

    // The error a "gave-up" error gave up on (its code from details "lastCode", its message without the
    // "gave up after N attempts: " lead, as RetryPolicy wrote it); any other error as it is.
    static Error underlying(const Error& error);

    // Whether two errors are the same fault for a reader: kind, code, vim fault and message (details
    // such as the task of each attempt differ from one attempt to the next and are not compared).
    static bool sameFault(const Error& a, const Error& b);

    // Why sending the request again unchanged would meet the same answer, ending with what to do
    // instead; nullopt when a retry may succeed. A name that is taken (ErrorCode::DuplicateName), a
    // configuration or argument vCenter rejected (InvalidVmConfig and the faults it stands for,
    // InvalidArgument), and a spec that is invalid (ErrorKind::InvalidInput).
    static std::optional<QString> whyRetryRepeats(const Error& error);
};

} // namespace dcm
