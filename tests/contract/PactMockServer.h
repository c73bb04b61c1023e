#pragma once

#include "PactFfi.h"

#include <QString>
#include <QUrl>

// One consumer pact (consumer `dcm-console`, provider `vcenter`, Pact specification V3) and, once its
// interactions are defined, the Pact mock server that plays vCenter for it on loopback (plain HTTP).
class PactMockServer
{
public:
    static constexpr const char* kConsumer = "dcm-console";
    static constexpr const char* kProvider = "vcenter";

    PactMockServer();
    ~PactMockServer();
    PactMockServer(const PactMockServer&) = delete;
    PactMockServer& operator=(const PactMockServer&) = delete;

    PactHandle pact() const { return m_pact; }

    // Starts the mock server; false (and `error`) if it could not.
    bool start(QString* error);
    // The SDK endpoint the adapter is pointed at.
    QUrl sdkUrl() const;
    // Every interaction was received and nothing else was.
    bool matched() const;
    // The mock server's report: mismatches, unexpected and missing requests (JSON).
    QString mismatches() const;
    // Merges the interactions into <directory>/dcm-console-vcenter.json.
    bool writeTo(const QString& directory, QString* error) const;

private:
    PactHandle m_pact;
    int m_port = 0;
};
