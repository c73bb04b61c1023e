#pragma once

#include "domain/Error.h"

#include <QDialog>

class QPushButton;

namespace dcm {

// The red stop: the server presented a certificate whose thumbprint differs from the pinned one. Both
// thumbprints are shown; there is no way to accept from here. "Review certificate…" leads to the trust
// dialog, where the pin is replaced only after the operator says they compared the new thumbprint.
class ThumbprintMismatchDialog final : public QDialog
{
    Q_OBJECT

public:
    ThumbprintMismatchDialog(const QString& server, const Error& trustError, QWidget* parent = nullptr);

    QString expected() const { return m_expected; }
    QString actual() const { return m_actual; }
    QPushButton* closeButton() const { return m_close; }
    QPushButton* reviewButton() const { return m_review; }

Q_SIGNALS:
    void reviewRequested();

private:
    QString m_expected;
    QString m_actual;
    QPushButton* m_close;
    QPushButton* m_review;
};

} // namespace dcm
