#pragma once

#include "domain/VmSpec.h"

#include <QList>
#include <QString>

namespace dcm::CustomizationRules {

// Limits of a Linux guest customization. 63 and 253 are RFC 1035/1123's label and name lengths;
// three DNS servers are what a Linux resolver reads (resolv.conf's MAXNS); six search suffixes and 256
// characters were glibc's search list limits before 2.26, still those of older guests.
constexpr int maxHostNameLength = 63;
constexpr int maxDomainLength = 253;
constexpr int maxDnsServers = 3;
constexpr int maxDnsSuffixes = 6;
constexpr int maxTimeZoneLength = 64;

// Every problem of spec.customization, named under "customization." ("customization.hostName",
// "customization.nics[1].gateway", ...). Only meaningful for a clone (a blank VM refuses any
// customization before this is asked).
QList<FieldProblem> check(const VmSpec& spec);

// A single RFC 1123 host label: letters, digits and '-', 1..63, not beginning or ending with '-'.
// nullopt when valid, else why not in an operator's words.
std::optional<QString> hostLabelProblem(const QString& label);
// A domain name: dot-separated host labels, at most 253 characters, no trailing dot.
std::optional<QString> domainProblem(const QString& domain);
// A tz database name's shape ("Europe/Berlin", "America/Argentina/Buenos_Aires", "UTC", "Etc/GMT+5");
// whether the guest knows it is the guest's business.
std::optional<QString> timeZoneProblem(const QString& zone);

} // namespace dcm::CustomizationRules
