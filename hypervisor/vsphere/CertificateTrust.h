#pragma once

#include "domain/Error.h"

#include <QList>
#include <QSslCertificate>
#include <QSslError>
#include <QString>

namespace dcm::vsphere {

// Who we trust at the other end of the TLS connection. Without a pin, the system CA store decides
// (Qt's default verification, nothing ignored). With a pin, the leaf certificate's SHA-256 over its
// DER bytes must equal the pinned thumbprint; then and only then are its chain errors (self-signed,
// name mismatch) ignored. Nothing is ever accepted silently.
class CertificateTrust
{
public:
    enum class Verdict
    {
        Trusted,   // Qt found no error, or the pin matches
        Mismatch,  // pinned, and the leaf is another certificate
        Untrusted, // not pinned, and Qt's verification failed
    };

    CertificateTrust() = default;
    // `pinned` must be valid (see normalize()); empty = system CA verification.
    explicit CertificateTrust(QString pinned) : m_pinned(std::move(pinned)) {}

    // "AB:CD:…" (uppercase, colon-separated) SHA-256 of the certificate's DER encoding.
    static QString thumbprintOf(const QSslCertificate& certificate);
    // Accepts upper/lower case hex, with or without ':' or spaces. Empty when not a SHA-256 thumbprint.
    static QString normalize(const QString& thumbprint);

    bool isPinned() const { return !m_pinned.isEmpty(); }
    QString pinned() const { return m_pinned; }

    // On Qt's sslErrors: what to make of this handshake.
    Verdict onSslErrors(const QSslCertificate& leaf, const QList<QSslError>& errors) const;
    // After a handshake Qt accepted by itself (CA-valid): a pin still has to match.
    Verdict onEncrypted(const QSslCertificate& leaf) const;

    // The Trust error for a verdict other than Trusted, naming both thumbprints.
    Error error(Verdict verdict, const QSslCertificate& leaf, const QList<QSslError>& errors) const;

private:
    QString m_pinned;
};

} // namespace dcm::vsphere
