#pragma once

#include "domain/Error.h"

#include <QDialog>

class QCheckBox;
class QPushButton;

namespace dcm {

// A certificate to decide on, with its SHA-256 thumbprint to compare with what the vCenter administrator
// gives. Two cases, told apart by the error's typed code:
//  - first contact with a server whose certificate the system does not trust: who it claims to be
//    (subject, issuer, validity) and its thumbprint;
//  - the certificate changed under a pin (ThumbprintMismatch): the pinned (old) and the presented (new)
//    thumbprint side by side; accepting replaces the pin with the new one.
// The pinning button is enabled only after the operator says they compared the thumbprint, and no
// button is the default: Enter does not trust a certificate. Nothing is typed or pasted: the thumbprint
// pinned is the one the server presented.
class TrustDialog final : public QDialog
{
    Q_OBJECT

public:
    // `pinned`: the profile's pin, shown as the old thumbprint when the error does not name it.
    TrustDialog(const QString& server, const Error& trustError, QWidget* parent = nullptr, const QString& pinned = {});

    // Refused until the operator ticked that they compared the thumbprint (whoever calls it).
    void accept() override;

    bool isReplacingPin() const { return m_replacing; }
    // The thumbprint to pin: the one the server presented.
    QString thumbprint() const { return m_thumbprint; }
    QString pinnedThumbprint() const { return m_pinned; }
    QPushButton* trustButton() const { return m_trust; }
    QPushButton* cancelButton() const { return m_cancel; }
    QCheckBox* comparedCheck() const { return m_compared; }

private:
    bool m_replacing = false;
    QString m_thumbprint;
    QString m_pinned;
    QCheckBox* m_compared;
    QPushButton* m_trust;
    QPushButton* m_cancel;
};

} // namespace dcm
