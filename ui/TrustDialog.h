#pragma once

#include "domain/Error.h"

#include <QDialog>

class QCheckBox;
class QPushButton;

namespace dcm {

// First contact with a server whose certificate the system does not trust: who it claims to be (subject,
// issuer, validity) and its SHA-256 thumbprint, to compare with what the vCenter administrator gives.
// "Trust and pin" is enabled only after the operator says they compared it, and no button is the default:
// Enter does not trust a certificate.
class TrustDialog final : public QDialog
{
    Q_OBJECT

public:
    TrustDialog(const QString& server, const Error& trustError, QWidget* parent = nullptr);

    QString thumbprint() const { return m_thumbprint; }
    QPushButton* trustButton() const { return m_trust; }
    QPushButton* cancelButton() const { return m_cancel; }
    QCheckBox* comparedCheck() const { return m_compared; }

private:
    QString m_thumbprint;
    QCheckBox* m_compared;
    QPushButton* m_trust;
    QPushButton* m_cancel;
};

} // namespace dcm
