#pragma once

#include "domain/Error.h"
#include "domain/FaultSentence.h"
#include "domain/ProvisioningRequest.h"
#include "domain/ports/ClockPort.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <chrono>

namespace dcm::UiFormat {

// The wall clock the views read "now" from when none is given to them (tests give a ManualClock).
const ClockPort& systemClock();

// "512 MiB", "1.5 GiB", "2.0 TiB": binary units, as vSphere shows capacities.
QString bytes(qint64 bytes);
QString mebibytes(qint64 mib);
// "3.2 GHz", "800 MHz".
QString megahertz(qint64 mhz);
// "just now", "42 s ago", "5 min ago", "3 h ago", "2 days ago"; `now` defaults to the current UTC time.
QString age(const QDateTime& at, const QDateTime& now = {});
// "00:27", "4:05:09": a countdown or a time in a state.
QString countdown(std::chrono::milliseconds remaining);
// Local time for a UTC instant: "14:03:12" today, else "2026-01-02 14:03".
QString localTime(const QDateTime& utc);
// Local date and time with seconds, for timelines.
QString localDateTime(const QDateTime& utc);
// "AB:CD:…" upper-case colon-separated hex, broken into two lines of 16 pairs for dialogs.
QString thumbprintForDisplay(const QString& thumbprint);
// "1 ms", "250 µs": a latency.
QString latency(std::chrono::microseconds value);
// The last part of an inventory path ("/DC0/host/C0" -> "C0").
QString leafName(const QString& path);

// An error for a table cell or a heading: its sentence (FaultSentence), then vCenter's fault name in
// parentheses, so that it can be looked up: "A VM named app-01 already exists in folder vm. Choose …
// (DuplicateName)".
QString errorLine(const Error& error, const FaultContext& context = {});
// The error line, a blank line and the raw fault (FaultSentence::raw): what "Copy error" puts on the
// clipboard and the error cell's tooltip.
QString errorReport(const Error& error, const FaultContext& context = {});

// When a request was first sent to vCenter and when it settled (PROVISIONED, FAILED or CANCELLED), from
// its history; invalid when it has not (yet).
QDateTime startedAt(const ProvisioningRequest& request);
QDateTime finishedAt(const ProvisioningRequest& request);

// The request with the keys and shapes `dcmctl requests --id ID --json` prints for it (spec and history
// included), so that what an operator copies from the console reads like dcmctl's output.
QJsonObject requestJson(const ProvisioningRequest& request);

} // namespace dcm::UiFormat
