#pragma once

#include "domain/ports/CredentialStorePort.h"

#include <QHash>
#include <QObject>
#include <QString>

namespace dcm {

// CredentialStorePort on the OS keychain (QtKeychain: Secret Service, macOS Keychain, Windows
// Credential Store). The insecure plain-text fallback stays off. When no keychain is usable the
// password is kept in this object's memory for the session only and the caller is told so
// (Error code "keychain-unavailable"), never written anywhere in plain text.
class KeychainCredentialStore final : public QObject, public CredentialStorePort
{
    Q_OBJECT

public:
    explicit KeychainCredentialStore(QString service, QObject* parent = nullptr);

    void readPassword(const QString& key, Done<QString> done) override;
    void writePassword(const QString& key, const QString& password, Done<void> done) override;
    void removePassword(const QString& key, Done<void> done) override;

    // True once a keychain call failed for want of a backend: passwords live in memory only.
    bool sessionOnly() const { return m_sessionOnly; }

    static QString keyFor(const QString& user, const QString& host) { return user + QLatin1Char('@') + host; }

private:
    QString m_service;
    QHash<QString, QString> m_sessionPasswords;
    bool m_sessionOnly = false;
};

} // namespace dcm
