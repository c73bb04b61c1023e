#pragma once

#include "domain/ports/HypervisorPort.h"

#include <QString>
#include <QUrl>

namespace dcm {

// A server the operator connects to: kept in the settings. Never holds the password (that lives in the
// OS keychain, through the service).
struct ConnectionProfile
{
    QString name;
    QString server; // as typed: "vc.example.com", "https://vc.example.com/sdk", …
    QString user;
    QString thumbprint; // pinned SHA-256 ("AB:CD:…"); empty: the system's CAs decide
    // Which queue the console works on: empty for this workstation's own SQLite file, else a team
    // database as a postgresql:// URI (never with a password: the storage layer refuses one).
    QString queue;

    bool isUsable() const { return !server.trimmed().isEmpty() && !user.trimmed().isEmpty(); }
    // The vSphere SDK URL for what was typed: https and /sdk unless given.
    QUrl serverUrl() const;
    QString host() const { return serverUrl().host(); }
    // Settings for the service, without a password.
    ConnectionSettings toSettings() const;
    QString displayName() const;

    static QUrl normalizedServer(const QString& typed);
    // "AB:CD:…" for 32 hex bytes written with or without separators; empty when it is not one.
    static QString normalizedThumbprint(const QString& typed);

    friend bool operator==(const ConnectionProfile&, const ConnectionProfile&) = default;
};

} // namespace dcm
