#include "ui/ThumbprintMismatchDialog.h"

#include "ui/StateStyle.h"
#include "ui/UiFormat.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace dcm {

ThumbprintMismatchDialog::ThumbprintMismatchDialog(const QString& server, const Error& trustError, QWidget* parent)
    : QDialog(parent), m_expected(trustError.details.value(QStringLiteral("expectedThumbprint")).toString()),
      m_actual(trustError.details.value(QStringLiteral("actualThumbprint")).toString())
{
    setObjectName(QStringLiteral("thumbprintMismatchDialog"));
    setWindowTitle(tr("Connection stopped: certificate changed"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 12);
    layout->setSpacing(12);

    // The band is red on purpose in every theme (with white text, readable on both): a security stop.
    auto* band = new QFrame;
    band->setObjectName(QStringLiteral("securityStop"));
    band->setAutoFillBackground(true);
    QPalette bandPalette = band->palette();
    bandPalette.setColor(QPalette::Window, QColor(0xb3, 0x1b, 0x1b));
    bandPalette.setColor(QPalette::WindowText, Qt::white);
    band->setPalette(bandPalette);
    auto* bandLayout = new QHBoxLayout(band);
    bandLayout->setContentsMargins(16, 14, 16, 14);
    auto* icon = new QLabel;
    icon->setPixmap(StateStyle::noticeIcon(StateStyle::Notice::Security).pixmap(QSize(40, 40), devicePixelRatioF()));
    auto* title =
        new QLabel(tr("<b>Stop: the certificate of %1 has changed.</b><br>The console stopped the connection and "
                      "sent nothing over it.")
                       .arg(server.toHtmlEscaped()));
    title->setWordWrap(true);
    bandLayout->addWidget(icon, 0, Qt::AlignTop);
    bandLayout->addWidget(title, 1);
    layout->addWidget(band);

    auto* body = new QVBoxLayout;
    body->setContentsMargins(16, 0, 16, 0);
    auto* explain = new QLabel(tr("The server presented a certificate whose SHA-256 thumbprint differs from the one "
                                  "pinned for this connection. This happens when vCenter gets a new certificate — "
                                  "or when someone intercepts the connection."));
    explain->setWordWrap(true);
    body->addWidget(explain);
    auto* form = new QFormLayout;
    const auto fixed = [](const QString& text, const QString& name) {
        auto* label = new QLabel(UiFormat::thumbprintForDisplay(text));
        label->setObjectName(name);
        label->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
        return label;
    };
    form->addRow(tr("Pinned (expected):"), fixed(m_expected, QStringLiteral("expectedThumbprint")));
    form->addRow(tr("Presented now:"), fixed(m_actual, QStringLiteral("actualThumbprint")));
    body->addLayout(form);
    auto* advice = new QLabel(tr("Ask your vCenter administrator whether the certificate was replaced, and for its "
                                 "new thumbprint. Only if it was, choose Review certificate… and compare the new "
                                 "thumbprint there before you replace the pin."));
    advice->setWordWrap(true);
    body->addWidget(advice);
    layout->addLayout(body);

    auto* buttons = new QDialogButtonBox;
    buttons->setContentsMargins(16, 0, 16, 0);
    m_review = buttons->addButton(tr("&Review certificate…"), QDialogButtonBox::ActionRole);
    m_review->setObjectName(QStringLiteral("reviewCertificate"));
    auto* copy = buttons->addButton(tr("Copy &details"), QDialogButtonBox::ActionRole);
    m_close = buttons->addButton(QDialogButtonBox::Close);
    for (QPushButton* b : {m_review, copy, m_close}) {
        b->setAutoDefault(false);
        b->setDefault(false);
    }
    layout->addWidget(buttons);
    connect(copy, &QPushButton::clicked, this, [this, server] {
        QApplication::clipboard()->setText(
            tr("Server: %1\nPinned thumbprint: %2\nPresented thumbprint: %3").arg(server, m_expected, m_actual));
    });
    connect(m_close, &QPushButton::clicked, this, &QDialog::reject);
    connect(m_review, &QPushButton::clicked, this, &ThumbprintMismatchDialog::reviewRequested);
    setMinimumWidth(560);
}

} // namespace dcm
