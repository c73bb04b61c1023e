#pragma once

#include "domain/RequestKind.h"
#include "domain/Result.h"
#include "domain/VmSpec.h"
#include "domain/ports/HypervisorPort.h"

#include <QString>
#include <QStringList>

namespace dcm::ctl {

struct CtlOptions
{
    QString command;
    QStringList arguments; // positional arguments after the command

    ConnectionSettings connection; // server, user, thumbprint, callTimeout (no password: env or keychain)
    QString database;              // a SQLite file, or a team database's postgresql:// URI
    QString databaseShown;         // the same as it may be printed and logged (main.cpp sets it)
    bool json = false;

    int failureThreshold = 5;
    int cooldownSeconds = 30;
    int drainConcurrency = 4;
    int leaseSeconds = 10;

    VmSpec spec;
    int count = 0;        // submit --count N: a batch of N from the spec (0: not a batch)
    int waitSeconds = -1; // submit --wait
    QString stateFilter;
    QString idFilter;
    int requestLimit = 0; // requests --limit N: the newest N (0: all)
    // power, decommission
    bool confirmed = false; // --yes
    QString vm;             // --vm NAME (admin mode)
    bool admin = false;
    QString reason;
    int guestTimeoutSeconds = 120;
    bool requestIds = false; // inventory vms --request-ids

    bool verbose = false;
    bool forDatabase = false; // login: the team database's password
    bool helpRequested = false;
    bool versionRequested = false;
};

// Parses argv (global options may stand before or after the command). Errors are InvalidInput.
Result<CtlOptions> parseCtlOptions(const QStringList& argv);
QString ctlHelpText();

} // namespace dcm::ctl
