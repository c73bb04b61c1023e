#pragma once

#include <QDateTime>
#include <QString>

#include <chrono>

namespace dcm::UiFormat {

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

} // namespace dcm::UiFormat
