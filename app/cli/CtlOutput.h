#pragma once

#include "domain/Error.h"
#include "domain/ProvisioningRequest.h"

#include <QDateTime>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <optional>

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
// submit --wait, by where the request ended: 0 PROVISIONED, 1 FAILED or CANCELLED, 3 still on its way.
int exitCodeForState(RequestState state);

// The shapes dcmctl prints, shared by the commands.
QString isoTime(const QDateTime& t);
QJsonValue errorJson(const std::optional<Error>& e);
QJsonObject requestJson(const ProvisioningRequest& r, bool withHistory);
QString requestLine(const ProvisioningRequest& r);

// Prints one JSON document (with --json) or human-readable text on stdout.
class CtlOutput
{
public:
    explicit CtlOutput(bool json) : m_json(json) {}

    bool json() const { return m_json; }
    void document(const QJsonObject& object, const QString& text) const;
    void document(const QJsonArray& array, const QString& text) const;
    // One clear line on stderr; with --json also {"error":{...}} on stdout. Returns the exit code. URLs
    // in the message lose their user info and passwords (redactedText) on the way out.
    int fail(const Error& error) const;
    int fail(int exitCode, const QString& code, const QString& message) const;

private:
    bool m_json;
};

} // namespace dcm::ctl
