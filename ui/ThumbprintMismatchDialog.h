#pragma once

#include "domain/Error.h"

#include <QDialog>

class QPushButton;

namespace dcm {

// The red stop: the server presented a certificate whose thumbprint differs from the pinned one. Both
// thumbprints are shown; there is no way to accept from here (changing a pin is a deliberate edit of the
// connection profile).
class ThumbprintMismatchDialog final : public QDialog
{
    Q_OBJECT

public:
    ThumbprintMismatchDialog(const QString& server, const Error& trustError, QWidget* parent = nullptr);

    QString expected() const { return m_expected; }
    QString actual() const { return m_actual; }
    QPushButton* closeButton() const { return m_close; }

private:
    QString m_expected;
    QString m_actual;
    QPushButton* m_close;
};

} // namespace dcm
