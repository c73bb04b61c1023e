#pragma once

#include "domain/Error.h"

#include <QJsonObject>
#include <QString>

namespace dcm::ctl {

// dcmctl's exit codes: a contract with scripts (see --help and docs/DCMCTL.md).
enum ExitCode : int
{
    ExitOk = 0,
    ExitFailure = 1,
    ExitInvalidInput = 2,
    ExitAccepted = 3,
    ExitUntrusted = 4,
    ExitAuthFailed = 5,
};

int exitCodeFor(const Error& error);

// Prints one JSON document (with --json) or human-readable text on stdout.
class CtlOutput
{
public:
    explicit CtlOutput(bool json) : m_json(json) {}

    bool json() const { return m_json; }
    void document(const QJsonObject& object, const QString& text) const;
    void document(const QJsonArray& array, const QString& text) const;
    // One clear line on stderr; with --json also {"error":{...}} on stdout. Returns the exit code.
    int fail(const Error& error) const;
    int fail(int exitCode, const QString& code, const QString& message) const;

private:
    bool m_json;
};

} // namespace dcm::ctl
