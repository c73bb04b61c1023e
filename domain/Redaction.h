#pragma once

#include <QString>
#include <QUrl>

namespace dcm {

// The one place that decides how a URL may appear in logs, messages and output: without its user
// name and password (a URL like https://user:secret@vc/sdk must never be echoed as typed), and with
// the value of a query item that names a secret (password=, token=, ...) replaced by "redacted".
QString redactedUrl(const QUrl& url);

// The same rule for free text that may hold URLs: a log line, an error message, an invalid --server
// as typed. Every "scheme://user:password@" loses what stands between "://" and its last "@" (up to
// the next blank), and secret query values are replaced. Text without URLs comes back unchanged.
QString redactedText(const QString& text);

} // namespace dcm
