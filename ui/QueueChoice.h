#pragma once

#include <QString>

#include <functional>

namespace dcm {

// What the connect dialog needs to know about queues, given by the composition root (the rules of a
// team database's URI live in the storage layer, which the ui does not include).
struct QueueChoice
{
    // What is wrong with a team database's URI (empty: nothing). Unset: only the scheme is checked.
    std::function<QString(const QString& uri)> problem;
    // Set when --db or DCM_DB names the queue for this console: it wins over the profile's choice.
    QString overriddenBy;
    QString overriddenName; // the queue it names, as shown

    // "this workstation" or "team database db.example.com/dcm", for the status bar and the title.
    static QString describe(bool team, const QString& name)
    {
        return team ? QStringLiteral("team database %1").arg(name) : QStringLiteral("this workstation");
    }
};

} // namespace dcm
