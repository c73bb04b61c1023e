#include "ui/TrustDialog.h"

#include "ui/StateStyle.h"
#include "ui/UiFormat.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace dcm {

namespace {

QLabel* valueLabel(const QString& text, bool fixed = false)
{
    auto* label = new QLabel(text);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    if (fixed)
        label->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    return label;
}

QString dateOf(const QVariant& value)
{
    const QDateTime at = value.typeId() == QMetaType::QDateTime ? value.toDateTime()
                                                                : QDateTime::fromString(value.toString(), Qt::ISODate);
    return at.isValid() ? UiFormat::localDateTime(at.toUTC()) : value.toString();
}

} // namespace

TrustDialog::TrustDialog(const QString& server, const Error& trustError, QWidget* parent, const QString& pinned)
    : QDialog(parent), m_replacing(trustError.is(ErrorCode::ThumbprintMismatch)),
      m_thumbprint(trustError.details.value(QStringLiteral("actualThumbprint")).toString()),
      m_pinned(trustError.details.value(QStringLiteral("expectedThumbprint"), pinned).toString())
{
    setObjectName(QStringLiteral("trustDialog"));
    setWindowTitle(m_replacing ? tr("Review the new certificate") : tr("Trust this server's certificate?"));
    auto* layout = new QVBoxLayout(this);
    layout->setSpacing(12);

    auto* header = new QHBoxLayout;
    auto* icon = new QLabel;
    icon->setPixmap(StateStyle::noticeIcon(m_replacing ? StateStyle::Notice::Security : StateStyle::Notice::Trust)
                        .pixmap(QSize(40, 40), devicePixelRatioF()));
    icon->setAlignment(Qt::AlignTop);
    auto* title = new QLabel(
        m_replacing ? tr("<b>The certificate of %1 has changed.</b>").arg(server.toHtmlEscaped())
                    : tr("<b>The certificate of %1 is not trusted by this computer.</b>").arg(server.toHtmlEscaped()));
    title->setWordWrap(true);
    auto* explain = new QLabel(
        m_replacing
            ? tr("The server presents a certificate whose SHA-256 thumbprint differs from the one pinned for this "
                 "connection. This happens when vCenter gets a new certificate — or when someone intercepts the "
                 "connection. Ask your vCenter administrator whether the certificate was replaced and for its new "
                 "thumbprint, and compare it with the new thumbprint below. Only then replace the pin: the console "
                 "then refuses the old certificate and any other.")
            : tr("This is usual for a vCenter that uses its own certificate authority. Before you trust it, compare "
                 "the SHA-256 thumbprint below with the one your vCenter administrator gives you. If you trust it, "
                 "the console pins this thumbprint and refuses any other certificate from this server."));
    explain->setWordWrap(true);
    auto* headerText = new QVBoxLayout;
    headerText->addWidget(title);
    headerText->addWidget(explain);
    header->addWidget(icon, 0, Qt::AlignTop);
    header->addLayout(headerText, 1);
    layout->addLayout(header);

    const QVariantMap& d = trustError.details;
    auto* form = new QFormLayout;
    form->setLabelAlignment(Qt::AlignRight);
    form->addRow(tr("Server:"), valueLabel(server));
    if (m_replacing) {
        auto* old = valueLabel(m_pinned.isEmpty() ? tr("(unknown)") : UiFormat::thumbprintForDisplay(m_pinned), true);
        old->setObjectName(QStringLiteral("pinnedThumbprint"));
        old->setAccessibleName(tr("Pinned (old) SHA-256 thumbprint"));
        form->addRow(tr("Pinned (old):"), old);
    }
    if (d.contains(QStringLiteral("subject")) || !m_replacing)
        form->addRow(tr("Subject:"), valueLabel(d.value(QStringLiteral("subject"), tr("(not reported)")).toString()));
    if (d.contains(QStringLiteral("issuer")) || !m_replacing)
        form->addRow(tr("Issuer:"), valueLabel(d.value(QStringLiteral("issuer"), tr("(not reported)")).toString()));
    const QVariant from = d.value(QStringLiteral("notBefore"));
    const QVariant until = d.value(QStringLiteral("notAfter"));
    if (from.isValid() || until.isValid())
        form->addRow(tr("Valid:"), valueLabel(tr("from %1 until %2").arg(dateOf(from), dateOf(until))));
    auto* thumb =
        valueLabel(m_thumbprint.isEmpty() ? tr("(unknown)") : UiFormat::thumbprintForDisplay(m_thumbprint), true);
    thumb->setObjectName(QStringLiteral("thumbprint"));
    thumb->setAccessibleName(m_replacing ? tr("Presented (new) SHA-256 thumbprint") : tr("SHA-256 thumbprint"));
    form->addRow(m_replacing ? tr("Presented (new):") : tr("SHA-256 thumbprint:"), thumb);
    if (!trustError.message.isEmpty()) {
        auto* problem = valueLabel(trustError.message);
        problem->setForegroundRole(QPalette::PlaceholderText);
        form->addRow(tr("Details:"), problem);
    }
    layout->addLayout(form);

    m_compared =
        new QCheckBox(m_replacing ? tr("I have &compared the new thumbprint with the one from my vCenter administrator")
                                  : tr("I have &compared the thumbprint with the one from my vCenter administrator"));
    m_compared->setObjectName(QStringLiteral("thumbprintCompared"));
    layout->addWidget(m_compared);

    auto* buttons = new QDialogButtonBox;
    // ActionRole, not AcceptRole: a button box makes its first accept button the default when shown.
    m_trust = buttons->addButton(m_replacing ? tr("&Replace the pin and connect") : tr("&Trust and pin"),
                                 QDialogButtonBox::ActionRole);
    m_trust->setObjectName(QStringLiteral("trustAndPin"));
    m_cancel = buttons->addButton(tr("Do &not connect"), QDialogButtonBox::RejectRole);
    m_cancel->setObjectName(QStringLiteral("doNotTrust"));
    // No default button: pressing Enter must never trust a certificate.
    for (QPushButton* b : {m_trust, m_cancel}) {
        b->setAutoDefault(false);
        b->setDefault(false);
    }
    m_trust->setEnabled(false);
    m_trust->setToolTip(m_replacing ? tr("Pin the new thumbprint for the connection profile instead of the old one, "
                                         "and connect")
                                    : tr("Pin this thumbprint for the connection profile and connect"));
    layout->addWidget(buttons);
    connect(m_compared, &QCheckBox::toggled, m_trust,
            [this](bool on) { m_trust->setEnabled(on && !m_thumbprint.isEmpty()); });
    connect(m_trust, &QPushButton::clicked, this, &QDialog::accept);
    connect(m_cancel, &QPushButton::clicked, this, &QDialog::reject);
    m_cancel->setFocus();
}

void TrustDialog::accept()
{
    if (!m_compared->isChecked() || m_thumbprint.isEmpty())
        return;
    QDialog::accept();
}

} // namespace dcm
