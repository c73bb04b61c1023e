#include "ui/ConnectDialog.h"

#include "ui/StateStyle.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace dcm {

ConnectDialog::ConnectDialog(const QList<ConnectionProfile>& profiles, const ConnectionProfile& current,
                             QWidget* parent)
    : QDialog(parent), m_profiles(profiles), m_profile(new QComboBox), m_server(new QLineEdit), m_user(new QLineEdit),
      m_thumbprint(new QLineEdit), m_problem(new QLabel)
{
    setObjectName(QStringLiteral("connectDialog"));
    setWindowTitle(tr("Connect to vCenter"));
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;

    m_profile->setEditable(true);
    m_profile->setObjectName(QStringLiteral("profileName"));
    m_profile->setAccessibleName(tr("Profile name"));
    m_profile->lineEdit()->setPlaceholderText(tr("e.g. Production vCenter"));
    for (const ConnectionProfile& p : profiles)
        m_profile->addItem(p.displayName());
    m_server->setObjectName(QStringLiteral("server"));
    m_server->setPlaceholderText(tr("vcenter.example.com or https://vcenter.example.com/sdk"));
    m_server->setAccessibleName(tr("Server"));
    m_user->setObjectName(QStringLiteral("user"));
    m_user->setPlaceholderText(tr("e.g. operator@vsphere.local"));
    m_user->setAccessibleName(tr("User name"));
    m_thumbprint->setObjectName(QStringLiteral("thumbprint"));
    m_thumbprint->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_thumbprint->setPlaceholderText(tr("empty: the system's certificate authorities decide"));
    m_thumbprint->setAccessibleName(tr("Pinned SHA-256 thumbprint"));
    m_thumbprint->setToolTip(tr("SHA-256 thumbprint of the server certificate (AB:CD:…). When set, only that "
                                "certificate is accepted."));
    m_thumbprint->setClearButtonEnabled(true);
    const auto add = [form](const QString& text, QWidget* field) {
        auto* label = new QLabel(text);
        label->setBuddy(field);
        form->addRow(label, field);
    };
    add(tr("&Profile:"), m_profile);
    add(tr("&Server:"), m_server);
    add(tr("&User:"), m_user);
    add(tr("Pinned &thumbprint:"), m_thumbprint);
    layout->addLayout(form);
    m_problem->setWordWrap(true);
    QPalette p = m_problem->palette();
    p.setColor(QPalette::WindowText, StateStyle::accent(StateStyle::Notice::Error, palette()));
    m_problem->setPalette(p);
    layout->addWidget(m_problem);
    auto* note = new QLabel(tr("The password is asked for when needed and may be kept in your keychain; it is "
                               "never stored with the profile."));
    note->setWordWrap(true);
    note->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(note);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_connect = buttons->addButton(tr("&Connect"), QDialogButtonBox::AcceptRole);
    m_connect->setDefault(true);
    m_delete = buttons->addButton(tr("&Delete profile"), QDialogButtonBox::DestructiveRole);
    m_delete->setObjectName(QStringLiteral("deleteProfile"));
    m_delete->setToolTip(tr("Delete this profile, and its saved password from the keychain unless another profile "
                            "uses the same account"));
    auto* forget = buttons->addButton(tr("&Forget saved password"), QDialogButtonBox::ActionRole);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_delete, &QPushButton::clicked, this, [this] {
        const QString name = m_profile->currentText();
        Q_EMIT deleteRequested(name);
        m_profiles.removeIf([&](const ConnectionProfile& pr) { return pr.displayName() == name; });
        m_profile->removeItem(m_profile->currentIndex());
    });
    connect(forget, &QPushButton::clicked, this, [this] { Q_EMIT forgetPasswordRequested(profile()); });
    connect(m_profile, &QComboBox::currentIndexChanged, this, [this](int i) {
        if (i >= 0 && i < m_profiles.size())
            load(m_profiles.at(i));
    });
    for (QLineEdit* e : {m_server, m_user, m_thumbprint})
        connect(e, &QLineEdit::textChanged, this, &ConnectDialog::validate);

    load(current);
    validate();
    setMinimumWidth(520);
}

void ConnectDialog::load(const ConnectionProfile& profile)
{
    m_profile->setEditText(profile.name);
    m_server->setText(profile.server);
    m_user->setText(profile.user);
    m_thumbprint->setText(profile.thumbprint);
    const bool known = std::any_of(m_profiles.cbegin(), m_profiles.cend(), [&](const ConnectionProfile& p) {
        return p.displayName() == profile.displayName();
    });
    m_delete->setEnabled(known);
}

ConnectionProfile ConnectDialog::profile() const
{
    ConnectionProfile p;
    p.name = m_profile->currentText().trimmed();
    p.server = m_server->text().trimmed();
    p.user = m_user->text().trimmed();
    p.thumbprint = ConnectionProfile::normalizedThumbprint(m_thumbprint->text());
    return p;
}

void ConnectDialog::validate()
{
    QString problem;
    if (m_server->text().trimmed().isEmpty())
        problem = tr("Enter the server.");
    else if (!ConnectionProfile::normalizedServer(m_server->text()).isValid())
        problem = tr("The server is not a valid host name or URL.");
    else if (m_user->text().trimmed().isEmpty())
        problem = tr("Enter the user name.");
    else if (!m_thumbprint->text().trimmed().isEmpty() &&
             ConnectionProfile::normalizedThumbprint(m_thumbprint->text()).isEmpty())
        problem = tr("A SHA-256 thumbprint is 32 bytes in hex (64 digits, colons allowed).");
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    m_connect->setEnabled(problem.isEmpty());
    // Disabling a default button drops its default status: give it back, or Enter would reach Cancel.
    if (problem.isEmpty())
        m_connect->setDefault(true);
}

} // namespace dcm
