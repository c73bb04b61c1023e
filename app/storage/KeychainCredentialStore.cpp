#include "app/storage/KeychainCredentialStore.h"

#include <QLoggingCategory>

#include <qt6keychain/keychain.h>

Q_LOGGING_CATEGORY(lcKeychain, "dcm.app.keychain", QtInfoMsg)

namespace dcm {

namespace {

// With no usable Secret Service, QtKeychain on Linux reports OtherError (7), not NoBackendAvailable:
// both mean "no keychain here" for us. EntryNotFound and access denials are real answers.
bool isBackendFailure(QKeychain::Error e)
{
    return e == QKeychain::NoBackendAvailable || e == QKeychain::NotImplemented || e == QKeychain::OtherError;
}

Error keychainError(const QKeychain::Job* job)
{
    switch (job->error()) {
    case QKeychain::EntryNotFound:
        return Error::make(ErrorKind::Authentication, ErrorCode::NoPassword,
                           QStringLiteral("no password is stored in the keychain for %1").arg(job->key()));
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        return Error::make(ErrorKind::Permission, QStringLiteral("keychain-denied"),
                           QStringLiteral("access to the keychain was denied: %1").arg(job->errorString()));
    default:
        return Error::make(ErrorKind::Storage, QStringLiteral("keychain-unavailable"),
                           QStringLiteral("no usable keychain (%1); the password is kept for this session only")
                               .arg(job->errorString()));
    }
}

} // namespace

KeychainCredentialStore::KeychainCredentialStore(QString service, QObject* parent)
    : QObject(parent), m_service(std::move(service))
{}

void KeychainCredentialStore::readPassword(const QString& key, Done<QString> done)
{
    auto* job = new QKeychain::ReadPasswordJob(m_service, this);
    job->setInsecureFallback(false);
    job->setAutoDelete(true);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [this, key, done = std::move(done)](QKeychain::Job* j) {
        auto* read = static_cast<QKeychain::ReadPasswordJob*>(j);
        if (read->error() == QKeychain::NoError) {
            done(read->textData());
            return;
        }
        if (isBackendFailure(read->error())) {
            m_sessionOnly = true;
            if (auto it = m_sessionPasswords.constFind(key); it != m_sessionPasswords.cend()) {
                done(*it);
                return;
            }
        }
        qCInfo(lcKeychain) << "read failed for" << key << ":" << read->errorString();
        done(keychainError(read));
    });
    job->start();
}

void KeychainCredentialStore::writePassword(const QString& key, const QString& password, Done<void> done)
{
    auto* job = new QKeychain::WritePasswordJob(m_service, this);
    job->setInsecureFallback(false);
    job->setAutoDelete(true);
    job->setKey(key);
    job->setTextData(password);
    connect(job, &QKeychain::Job::finished, this, [this, key, password, done = std::move(done)](QKeychain::Job* j) {
        if (j->error() == QKeychain::NoError) {
            m_sessionPasswords.remove(key);
            done({});
            return;
        }
        if (isBackendFailure(j->error())) {
            m_sessionOnly = true;
            m_sessionPasswords.insert(key, password);
        }
        qCInfo(lcKeychain) << "write failed for" << key << ":" << j->errorString();
        done(keychainError(j));
    });
    job->start();
}

void KeychainCredentialStore::removePassword(const QString& key, Done<void> done)
{
    m_sessionPasswords.remove(key);
    auto* job = new QKeychain::DeletePasswordJob(m_service, this);
    job->setInsecureFallback(false);
    job->setAutoDelete(true);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [done = std::move(done)](QKeychain::Job* j) {
        if (j->error() == QKeychain::NoError || j->error() == QKeychain::EntryNotFound)
            done({});
        else
            done(keychainError(j));
    });
    job->start();
}

} // namespace dcm
