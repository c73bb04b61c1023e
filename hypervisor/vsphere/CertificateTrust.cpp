#include "CertificateTrust.h"

#include <QCryptographicHash>
#include <QRegularExpression>
#include <QStringList>

namespace dcm::vsphere {

QString CertificateTrust::thumbprintOf(const QSslCertificate& certificate)
{
    if (certificate.isNull())
        return {};
    const QByteArray digest = QCryptographicHash::hash(certificate.toDer(), QCryptographicHash::Sha256);
    return QString::fromLatin1(digest.toHex(':').toUpper());
}

QString CertificateTrust::normalize(const QString& thumbprint)
{
    QString hex = thumbprint.trimmed();
    hex.remove(QLatin1Char(':'));
    hex.remove(QLatin1Char(' '));
    static const QRegularExpression sha256(QStringLiteral("^[0-9A-Fa-f]{64}$"));
    if (!sha256.match(hex).hasMatch())
        return {};
    return QString::fromLatin1(QByteArray::fromHex(hex.toLatin1()).toHex(':').toUpper());
}

CertificateTrust::Verdict CertificateTrust::onSslErrors(const QSslCertificate& leaf,
                                                        const QList<QSslError>& /*errors*/) const
{
    if (!isPinned())
        return Verdict::Untrusted;
    return thumbprintOf(leaf) == m_pinned ? Verdict::Trusted : Verdict::Mismatch;
}

CertificateTrust::Verdict CertificateTrust::onEncrypted(const QSslCertificate& leaf) const
{
    if (!isPinned())
        return Verdict::Trusted;
    return thumbprintOf(leaf) == m_pinned ? Verdict::Trusted : Verdict::Mismatch;
}

Error CertificateTrust::error(Verdict verdict, const QSslCertificate& leaf, const QList<QSslError>& errors) const
{
    const QString actual = thumbprintOf(leaf);
    Error e;
    e.kind = ErrorKind::Trust;
    if (verdict == Verdict::Mismatch) {
        e.code = toString(ErrorCode::ThumbprintMismatch);
        e.message = QStringLiteral("server certificate thumbprint %1 does not match the pinned thumbprint %2")
                        .arg(actual.isEmpty() ? QStringLiteral("(none)") : actual, m_pinned);
        e.details.insert(QStringLiteral("expectedThumbprint"), m_pinned);
    } else {
        QStringList reasons;
        for (const QSslError& err : errors)
            reasons << err.errorString();
        e.code = QStringLiteral("tls");
        e.message =
            QStringLiteral("server certificate is not trusted (%1); its SHA-256 thumbprint is %2")
                .arg(reasons.isEmpty() ? QStringLiteral("verification failed") : reasons.join(QStringLiteral("; ")),
                     actual.isEmpty() ? QStringLiteral("unknown") : actual);
    }
    e.details.insert(QStringLiteral("actualThumbprint"), actual);
    if (!leaf.isNull()) {
        e.details.insert(QStringLiteral("subject"), leaf.subjectDisplayName());
        e.details.insert(QStringLiteral("issuer"), leaf.issuerDisplayName());
        e.details.insert(QStringLiteral("notBefore"), leaf.effectiveDate().toUTC().toString(Qt::ISODate));
        e.details.insert(QStringLiteral("notAfter"), leaf.expiryDate().toUTC().toString(Qt::ISODate));
    }
    return e;
}

} // namespace dcm::vsphere
