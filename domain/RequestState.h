#pragma once

#include "domain/Result.h"

#include <array>

#include <QHashFunctions>
#include <QMetaType>
#include <QString>
#include <QStringView>

namespace dcm {

// Where a provisioning request stands. The strings ("SUBMITTED", ...) are stored and printed by
// `dcmctl requests`; keep them stable.
enum class RequestState
{
    Submitted,             // durable, nothing decided yet
    Provisioning,          // sent to the hypervisor, awaiting the outcome
    QueuedForProvisioning, // waiting: breaker open or a transient failure; due at nextAttemptAt
    Reconciling,           // a previous attempt may have reached the hypervisor: look the VM up first
    Provisioned,           // the VM exists (created or adopted); final
    Failed,                // permanent fault or attempts exhausted; an operator may retry
    Cancelled,             // withdrawn before reaching the hypervisor; final
};

inline constexpr std::array<RequestState, 7> allRequestStates{
    RequestState::Submitted,   RequestState::Provisioning, RequestState::QueuedForProvisioning,
    RequestState::Reconciling, RequestState::Provisioned,  RequestState::Failed,
    RequestState::Cancelled,
};

QString toString(RequestState state);
// Accepts the stored names, case-insensitively ("queued_for_provisioning" from a shell is fine).
Result<RequestState> requestStateFromString(QStringView text);

// The lifecycle, as one explicit table (see RequestState.cpp for why each edge exists).
bool canTransition(RequestState from, RequestState to);
// Nothing can ever happen to the request again.
bool isTerminal(RequestState state);
// Nothing happens without an operator: terminal, or FAILED (which only an operator's retry leaves).
bool isSettled(RequestState state);

// For QSet<RequestState> / QHash keys (Qt 6.4 has no qHash for scoped enums).
inline size_t qHash(RequestState state, size_t seed = 0) noexcept
{
    return ::qHash(static_cast<int>(state), seed);
}

} // namespace dcm

Q_DECLARE_METATYPE(dcm::RequestState)
