#include "ui/ConnectDialog.h"

#include "ui/StateStyle.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

namespace dcm {

ConnectDialog::ConnectDialog(const QList<ConnectionProfile>& profiles, const ConnectionProfile& current,
                             QWidget* parent)
    : QDialog(parent), m_profiles(profiles), m_profile(new QComboBox), m_server(new QLineEdit), m_user(new QLineEdit),
      m_thumbprint(new QLineEdit), m_queueLocal(new QRadioButton(tr("This &workstation"))),
      m_queueTeam(new QRadioButton(tr("Team &database:"))), m_queueUri(new QLineEdit), m_queueNote(new QLabel),
      m_problem(new QLabel)
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

    // The queue: this workstation's own file, or the team's database (no password in the URI: it comes
    // from the keychain, PGPASSWORD or PGPASSFILE, or is asked for).
    m_queueLocal->setObjectName(QStringLiteral("queueLocal"));
    m_queueLocal->setToolTip(tr("Requests are kept in a file on this computer: nothing to set up, nothing shared."));
    m_queueTeam->setObjectName(QStringLiteral("queueTeam"));
    m_queueTeam->setToolTip(tr("Requests are kept in the team's PostgreSQL database, shared with every console and "
                               "drainer that uses it."));
    m_queueUri->setObjectName(QStringLiteral("queueUri"));
    m_queueUri->setAccessibleName(tr("Team database URI"));
    m_queueUri->setPlaceholderText(tr("postgresql://user@db.example.com/dcm?sslmode=verify-full&sslrootcert=…"));
    m_queueUri->setToolTip(tr("A libpq URI without a password: the password comes from the keychain, PGPASSWORD or "
                              "PGPASSFILE, or is asked for."));
    auto* queueBox = new QVBoxLayout;
    queueBox->addWidget(m_queueLocal);
    auto* teamRow = new QHBoxLayout;
    teamRow->addWidget(m_queueTeam);
    teamRow->addWidget(m_queueUri, 1);
    queueBox->addLayout(teamRow);
    m_queueNote->setObjectName(QStringLiteral("queueOverride"));
    m_queueNote->setWordWrap(true);
    m_queueNote->setVisible(false);
    queueBox->addWidget(m_queueNote);
    auto* queueLabel = new QLabel(tr("&Queue:"));
    queueLabel->setBuddy(m_queueLocal);
    form->addRow(queueLabel, queueBox);
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
    for (QLineEdit* e : {m_server, m_user, m_thumbprint, m_queueUri})
        connect(e, &QLineEdit::textChanged, this, &ConnectDialog::validate);
    connect(m_queueTeam, &QRadioButton::toggled, this, [this](bool team) {
        m_queueUri->setEnabled(team);
        validate();
    });

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
    m_queueUri->setText(profile.queue);
    (profile.queue.isEmpty() ? m_queueLocal : m_queueTeam)->setChecked(true);
    m_queueUri->setEnabled(m_queueTeam->isChecked());
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
    p.queue = m_queueTeam->isChecked() ? m_queueUri->text().trimmed() : QString();
    return p;
}

void ConnectDialog::setQueueChoice(const QueueChoice& choice)
{
    m_queueChoice = choice;
    const bool overridden = !choice.overriddenBy.isEmpty();
    m_queueNote->setVisible(overridden);
    if (overridden)
        m_queueNote->setText(tr("%1 names the queue of this console (%2): it wins over the choice here, which is "
                                "saved with the profile for when the console starts without it.")
                                 .arg(choice.overriddenBy, choice.overriddenName));
    validate();
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
    else if (m_queueTeam->isChecked()) {
        const QString uri = m_queueUri->text().trimmed();
        if (uri.isEmpty())
            problem = tr("Queue: enter the team database's URI (postgresql://user@host/dbname).");
        else if (!uri.startsWith(QLatin1String("postgresql://"), Qt::CaseInsensitive) &&
                 !uri.startsWith(QLatin1String("postgres://"), Qt::CaseInsensitive))
            problem = tr("Queue: a team database is given as postgresql://user@host/dbname.");
        else if (m_queueChoice.problem) {
            if (const QString why = m_queueChoice.problem(uri); !why.isEmpty())
                problem = tr("Queue: %1").arg(why);
        }
    }
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    m_connect->setEnabled(problem.isEmpty());
    // Disabling a default button drops its default status: give it back, or Enter would reach Cancel.
    if (problem.isEmpty())
        m_connect->setDefault(true);
}

} // namespace dcm
