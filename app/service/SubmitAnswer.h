#pragma once

#include "domain/Error.h"
#include "domain/RequestState.h"
#include "domain/VmSpec.h"

#include <QList>
#include <QMetaType>
#include <QString>
#include <QUuid>

#include <optional>

namespace dcm {

// What the operator is told right after Submit.
struct SubmitAnswer
{
    enum class Outcome
    {
        Rejected, // the spec is invalid: nothing was stored
        Failed,   // could not be stored (database): nothing was accepted
        Started,  // stored, and sent to the hypervisor now
        Queued,   // stored; provisioning starts when the hypervisor is online
    };

    quint64 token = 0; // the caller's correlation number
    Outcome outcome = Outcome::Rejected;
    QUuid id;
    RequestState state = RequestState::Submitted;
    QList<FieldProblem> problems;
    std::optional<Error> error;
    QString message; // the sentence shown to the operator

    bool accepted() const { return outcome == Outcome::Started || outcome == Outcome::Queued; }
};

} // namespace dcm

Q_DECLARE_METATYPE(dcm::SubmitAnswer)
