#pragma once

#include <QString>
#include <QUrl>

// Replays a pact file against a provider with pact_ffi's verifier. The verifier blocks, and calls the
// provider-state endpoint, so it runs on a worker thread while the calling thread keeps its event loop
// (and with it the ProviderStateServer) going.
class PactVerifier
{
public:
    struct Options
    {
        QUrl provider;       // scheme, host and port of the vCenter (the pact's paths start at /sdk)
        QUrl providerStates; // the ProviderStateServer
        QString pactFile;
        QString onlyDescription; // regex on interaction descriptions; empty = all
        int timeoutMs = 180000;
    };
    struct Outcome
    {
        int result = -1; // pactffi_verifier_execute: 0 = verified
        QString report;  // the verifier's printed report, without colours
    };

    static Outcome run(const Options& options);
};
