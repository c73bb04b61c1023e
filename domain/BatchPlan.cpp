#include "domain/BatchPlan.h"

#include "domain/Ipv4.h"

#include <QHash>
#include <QSet>

namespace dcm {

namespace {

const QString kN3 = QStringLiteral("{nnn}");
const QString kN2 = QStringLiteral("{nn}");
const QString kN1 = QStringLiteral("{n}");

} // namespace

bool hasNumberPlaceholder(const QString& pattern)
{
    return pattern.contains(kN1) || pattern.contains(kN2) || pattern.contains(kN3);
}

QString batchName(const QString& pattern, int number)
{
    QString name = pattern;
    // Longest first: "{nn}" must not be read as "{n" + "n}".
    name.replace(kN3, QStringLiteral("%1").arg(number, 3, 10, QLatin1Char('0')));
    name.replace(kN2, QStringLiteral("%1").arg(number, 2, 10, QLatin1Char('0')));
    name.replace(kN1, QString::number(number));
    return name;
}

Result<QList<VmSpec>> expandBatch(const VmSpec& pattern, int count)
{
    QList<FieldProblem> problems;
    if (count < 1 || count > maxBatchCount) {
        problems.append(
            FieldProblem{QStringLiteral("count"),
                         QStringLiteral("A batch has between 1 and %1 VMs (%2 asked).").arg(maxBatchCount).arg(count)});
        return toError(problems);
    }
    // With a placeholder the numbers make every name different; without one they would all be equal.
    if (count > 1 && !hasNumberPlaceholder(pattern.name)) {
        problems.append(FieldProblem{QStringLiteral("name"),
                                     QStringLiteral("Several VMs need several names: put {n}, {nn} or {nnn} in the "
                                                    "name (web-{nn} gives web-01, web-02, ...).")});
    }

    // Static addresses per NIC: the start, and whether the batch stays inside the subnet.
    const GuestCustomization& c = pattern.customization;
    const bool linux = pattern.isClone() && c.mode == GuestCustomization::Mode::Linux;
    // Guests with one host name would fight over it on the network and in DNS: the host name counts too.
    if (linux && count > 1 && !c.hostName.isEmpty() && !hasNumberPlaceholder(c.hostName)) {
        problems.append(FieldProblem{QStringLiteral("customization.hostName"),
                                     QStringLiteral("Several guests need several host names: put {n}, {nn} or {nnn} "
                                                    "in the host name too (web-{nn} gives web-01, web-02, ...).")});
    }
    QList<std::optional<quint32>> starts;
    bool rangeTooSmall = false;
    if (linux) {
        for (qsizetype k = 0; k < c.nics.size(); ++k) {
            const NicAddress& nic = c.nics[k];
            std::optional<quint32> start = nic.dhcp ? std::nullopt : Ipv4::parse(nic.address);
            if (start && count > 1 && nic.prefixLength >= 1 && nic.prefixLength <= 32) {
                const quint32 last64 = *start + quint32(count - 1);
                const bool wraps = quint64(*start) + quint64(count - 1) > 0xffffffffull;
                const quint32 top = nic.prefixLength <= 30 ? Ipv4::broadcast(*start, nic.prefixLength) - 1
                                                           : Ipv4::broadcast(*start, nic.prefixLength);
                if (wraps || last64 > top) {
                    const quint64 room = *start > top ? 0 : quint64(top) - *start + 1;
                    problems.append(
                        FieldProblem{QStringLiteral("customization.nics[%1].address").arg(k),
                                     QStringLiteral("From %1 on, %2/%3 has room for %4 addresses; a batch of %5 "
                                                    "needs %5 (one per VM).")
                                         .arg(nic.address, Ipv4::format(Ipv4::network(*start, nic.prefixLength)))
                                         .arg(nic.prefixLength)
                                         .arg(room)
                                         .arg(count)});
                    rangeTooSmall = true; // said once: the VMs past the range are not checked one by one
                }
            }
            starts.append(start);
        }
    }

    QList<VmSpec> specs;
    specs.reserve(count);
    QSet<QString> firstProblems; // VM 1's, as "field\nmessage": a problem every VM has is said once
    QSet<QString> said;
    QHash<quint32, QString> owners; // address -> "VM web-01's NIC 1"
    for (int i = 0; i < (rangeTooSmall ? 1 : count); ++i) {
        VmSpec spec = pattern;
        spec.name = batchName(pattern.name, i + 1);
        if (linux) {
            spec.customization.hostName = batchName(pattern.customization.hostName, i + 1);
            for (qsizetype k = 0; k < spec.customization.nics.size() && k < starts.size(); ++k) {
                if (starts[k])
                    spec.customization.nics[k].address = Ipv4::format(*starts[k] + quint32(i));
            }
        }
        const QString who = count > 1 ? QStringLiteral("VM %1 (%2): ").arg(i + 1).arg(spec.name) : QString();
        for (const FieldProblem& p : spec.validate()) {
            // Messages about one VM's address or name differ VM by VM; those every VM shares do not.
            const QString key = p.field + u'\n' + p.message;
            if (i == 0)
                firstProblems.insert(key);
            else if (firstProblems.contains(key))
                continue;
            if (said.contains(key))
                continue;
            said.insert(key);
            problems.append(FieldProblem{p.field, i == 0 ? p.message : who + p.message});
        }
        if (linux) {
            for (qsizetype k = 0; k < spec.customization.nics.size(); ++k) {
                const NicAddress& nic = spec.customization.nics[k];
                if (nic.dhcp)
                    continue;
                const auto a = Ipv4::parse(nic.address);
                if (!a)
                    continue;
                const QString mine = QStringLiteral("%1's NIC %2").arg(spec.name).arg(k + 1);
                if (const auto it = owners.constFind(*a); it != owners.cend()) {
                    // Within one VM, validate() has said it already.
                    if (!it->startsWith(spec.name + QStringLiteral("'s ")))
                        problems.append(FieldProblem{
                            QStringLiteral("customization.nics[%1].address").arg(k),
                            QStringLiteral("%1 would get %2, which %3 has already.").arg(mine, nic.address, *it)});
                } else {
                    owners.insert(*a, mine);
                }
            }
        }
        specs.append(spec);
    }
    if (!problems.isEmpty())
        return toError(problems);
    return specs;
}

} // namespace dcm
