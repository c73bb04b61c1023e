#pragma once

#include "domain/Result.h"

#include <QString>

#include <functional>

namespace dcm {

// Secrets live in the OS keychain; the key is "<user>@<host>". Asynchronous: a keychain may prompt.
class CredentialStorePort
{
public:
    template <class T> using Done = std::function<void(Result<T>)>;

    virtual ~CredentialStorePort() = default;
    virtual void readPassword(const QString& key, Done<QString> done) = 0;
    virtual void writePassword(const QString& key, const QString& password, Done<void> done) = 0;
    virtual void removePassword(const QString& key, Done<void> done) = 0;
};

} // namespace dcm
