#include "ui/PasswordDialog.h"

#include "ui/StateStyle.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

namespace dcm {

PasswordDialog::PasswordDialog(const QString& server, const QString& user, const QString& reason, QWidget* parent)
    : QDialog(parent), m_password(new QLineEdit), m_remember(new QCheckBox(tr("&Remember in the keychain")))
{
    setObjectName(QStringLiteral("passwordDialog"));
    setWindowTitle(tr("Password for %1").arg(server));
    auto* layout = new QVBoxLayout(this);
    auto* intro = m_intro = new QLabel(
        tr("Enter the vCenter password of <b>%1</b> on <b>%2</b>.").arg(user.toHtmlEscaped(), server.toHtmlEscaped()));
    intro->setWordWrap(true);
    layout->addWidget(intro);
    if (!reason.isEmpty()) {
        auto* why = new QLabel(reason);
        why->setObjectName(QStringLiteral("passwordReason"));
        why->setWordWrap(true);
        QPalette p = why->palette();
        p.setColor(QPalette::WindowText, StateStyle::accent(StateStyle::Notice::Warning, palette()));
        why->setPalette(p);
        layout->addWidget(why);
    }
    auto* form = new QFormLayout;
    m_password->setObjectName(QStringLiteral("password"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setAccessibleName(tr("Password"));
    m_password->setInputMethodHints(Qt::ImhHiddenText | Qt::ImhSensitiveData | Qt::ImhNoPredictiveText);
    auto* label = new QLabel(tr("&Password:"));
    label->setBuddy(m_password);
    form->addRow(label, m_password);
    m_remember->setObjectName(QStringLiteral("rememberPassword"));
    m_remember->setToolTip(tr("Kept in the operating system's keychain under this server and user; never in the "
                              "console's settings"));
    form->addRow(QString(), m_remember);
    layout->addLayout(form);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_connect = buttons->addButton(tr("&Connect"), QDialogButtonBox::AcceptRole);
    layout->addWidget(buttons);
    // Default only once it is inside the dialog; and never disabled, which would drop the default and
    // let Enter reach Cancel. An empty password is refused in accept() instead.
    m_connect->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    m_password->setFocus();
}

void PasswordDialog::setIntro(const QString& text)
{
    m_intro->setTextFormat(Qt::PlainText);
    m_intro->setText(text);
}

PasswordDialog::~PasswordDialog()
{
    // Do not leave the password in the line edit's memory longer than needed.
    m_password->clear();
}

void PasswordDialog::accept()
{
    if (m_password->text().isEmpty()) {
        m_password->setFocus();
        return;
    }
    QDialog::accept();
}

QString PasswordDialog::password() const
{
    return m_password->text();
}

bool PasswordDialog::remember() const
{
    return m_remember->isChecked();
}

void PasswordDialog::setPassword(const QString& password)
{
    m_password->setText(password);
}

void PasswordDialog::setRemember(bool remember)
{
    m_remember->setChecked(remember);
}

} // namespace dcm
