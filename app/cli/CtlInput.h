#pragma once

#include "domain/Error.h"
#include "domain/VmSpec.h"

#include <QList>
#include <QString>
#include <QUuid>

#include <optional>

namespace dcm::ctl {

// What an operator typed, for an error message: in double quotes, with quotes, backslashes and control
// characters escaped (a value must not rewrite the terminal), cut at 200 characters.
QString quotedInput(const QString& text);

// Reads numeric options strictly. A value that does not fit, has anything besides the number, is
// NaN/inf or negative is refused, never truncated, wrapped or turned into another number; every
// refusal names the option and quotes the value as typed, and all of them are collected so that one
// run names every bad option.
class NumberOptions
{
public:
    // ASCII digits only (no sign, blank, fraction or exponent), from `min` to `max`. `ranged`: the
    // message says the allowed range (tuning options); otherwise only what does not fit (spec
    // fields, whose sense VmSpec::validate() judges).
    std::optional<qint64> whole(const QString& option, const QString& text, qint64 min, qint64 max, bool ranged);
    // A size in GiB, fractions allowed ("0.5", "1.5e3"), that must come to a whole number of MiB.
    std::optional<qint64> gibAsMib(const QString& option, const QString& text);

    bool ok() const { return m_problems.isEmpty(); }
    const QList<FieldProblem>& problems() const { return m_problems; }
    // One InvalidInput error (code "bad-number") whose message lists every refusal and whose
    // details["problems"] hold them as [{"field": "--cpus", "message": ...}].
    Error error() const;

    // Disk sizes go through a double: beyond 2^53 MiB they are no longer exact.
    static constexpr qint64 maxDiskMiB = qint64(1) << 53;

private:
    void refuse(const QString& option, const QString& text, const QString& reason);

    QList<FieldProblem> m_problems;
};

// Exactly a request id: a UUID in its canonical text (8-4-4-4-12 hex digits), braces optional. Anything
// more or less — a UUID followed by other text, a prefix, blanks, a trailing line break, the null
// UUID — is nullopt. (QUuid::fromString alone reads the leading UUID and ignores what follows.)
std::optional<QUuid> requestIdFrom(const QString& text);
// The InvalidInput error for text that is not a request id: "not a request id: \"…\"; ...".
Error notARequestId(const QString& text);

} // namespace dcm::ctl
