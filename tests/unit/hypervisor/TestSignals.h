#pragma once

#include <optional>

// Captures the one result a HypervisorPort call delivers, and whether it arrived re-entrantly.
template <class R> struct Capture
{
    std::optional<R> result;
    int calls = 0;
    bool insideCall = false; // set around the port call: a `done` seen while set was re-entrant
    bool reentrant = false;

    auto done()
    {
        return [this](R r) {
            ++calls;
            reentrant = reentrant || insideCall;
            result.emplace(std::move(r));
        };
    }
    bool has() const { return result.has_value(); }
};
