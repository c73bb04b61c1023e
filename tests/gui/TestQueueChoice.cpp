// The queue in the connect dialog: "This workstation" or a team database's URI, checked as it is typed
// by the storage layer's rules (the composition root's check, as dcm-console wires it), saved with the
// profile without a secret, and the note when --db/DCM_DB names the queue instead.
#include "app/storage/RequestDatabase.h"
#include "ui/ConnectDialog.h"
#include "ui/UiSettings.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace dcm;

namespace {

QueueChoice storageRules()
{
    QueueChoice choice;
    choice.problem = [](const QString& uri) {
        auto checked = RequestDatabase::check(uri);
        return checked.ok() ? QString() : checked.error().message;
    };
    return choice;
}

QPushButton* connectButton(ConnectDialog& dialog)
{
    for (QPushButton* b : dialog.findChildren<QPushButton*>())
        if (dialog.findChild<QDialogButtonBox*>()->buttonRole(b) == QDialogButtonBox::AcceptRole)
            return b;
    return nullptr;
}

ConnectionProfile sample()
{
    ConnectionProfile p;
    p.name = QStringLiteral("prod");
    p.server = QStringLiteral("vc.test");
    p.user = QStringLiteral("ann");
    return p;
}

} // namespace

class TestQueueChoice final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Pins: a profile without a queue is this workstation; choosing the team database takes the URI, and
    // a URI with a password, an unknown option or no scheme keeps Connect disabled with the reason.
    void dialogChoosesAndChecksTheQueue()
    {
        ConnectDialog dialog({}, sample());
        dialog.setQueueChoice(storageRules());
        auto* local = dialog.findChild<QRadioButton*>(QStringLiteral("queueLocal"));
        auto* team = dialog.findChild<QRadioButton*>(QStringLiteral("queueTeam"));
        auto* uri = dialog.findChild<QLineEdit*>(QStringLiteral("queueUri"));
        QVERIFY(local && team && uri);
        QVERIFY(local->isChecked());
        QVERIFY(!uri->isEnabled());
        QPushButton* ok = connectButton(dialog);
        QVERIFY(ok && ok->isEnabled());
        QCOMPARE(dialog.profile().queue, QString());

        QSignalSpy toggled(team, &QRadioButton::toggled);
        team->click();
        QCOMPARE(toggled.size(), 1);
        QVERIFY(uri->isEnabled());
        QVERIFY(!ok->isEnabled()); // no URI yet

        uri->setText(QStringLiteral("postgresql://ann:hunter2@db.example.com/dcm"));
        QVERIFY(!ok->isEnabled());
        const auto problems = dialog.findChildren<QLabel*>();
        const bool saysPassword = std::any_of(problems.cbegin(), problems.cend(), [](QLabel* l) {
            return l->isVisibleTo(l->window()) && l->text().contains(QLatin1String("password"));
        });
        QVERIFY(saysPassword);
        uri->setText(QStringLiteral("postgresql://ann@db.example.com/dcm?sslmod=verify-full"));
        QVERIFY(!ok->isEnabled());
        uri->setText(QStringLiteral("db.example.com/dcm"));
        QVERIFY(!ok->isEnabled());

        const QString good = QStringLiteral("postgresql://ann@db.example.com/dcm?sslmode=verify-full");
        uri->setText(good);
        QVERIFY(ok->isEnabled());
        QCOMPARE(dialog.profile().queue, good);

        local->click();
        QCOMPARE(dialog.profile().queue, QString());
        QVERIFY(ok->isEnabled());
    }

    // Pins: a profile naming a team database opens with it chosen; --db/DCM_DB is said in the dialog.
    void dialogLoadsTheProfilesQueueAndSaysWhenDbWins()
    {
        ConnectionProfile p = sample();
        p.queue = QStringLiteral("postgresql://ann@db.example.com/dcm");
        ConnectDialog dialog({p}, p);
        QueueChoice choice = storageRules();
        choice.overriddenBy = QStringLiteral("DCM_DB");
        choice.overriddenName = QStringLiteral("/srv/dcm/requests.sqlite");
        dialog.setQueueChoice(choice);
        QVERIFY(dialog.findChild<QRadioButton*>(QStringLiteral("queueTeam"))->isChecked());
        auto* note = dialog.findChild<QLabel*>(QStringLiteral("queueOverride"));
        QVERIFY(note && note->isVisibleTo(&dialog));
        QVERIFY(note->text().contains(QLatin1String("DCM_DB")));
        QVERIFY(note->text().contains(QLatin1String("/srv/dcm/requests.sqlite")));
        QCOMPARE(dialog.profile().queue, p.queue);
    }

    // Pins: the queue is saved with the profile and read back; nothing else about it is stored.
    void profileKeepsItsQueue()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("settings.ini"));
        ConnectionProfile p = sample();
        p.queue = QStringLiteral("postgresql://ann@db.example.com:5433/dcm?sslmode=verify-full");
        {
            UiSettings settings(std::make_unique<QSettings>(file, QSettings::IniFormat));
            settings.saveProfile(p);
        }
        UiSettings settings(std::make_unique<QSettings>(file, QSettings::IniFormat));
        const auto back = settings.profile(QStringLiteral("prod"));
        QVERIFY(back);
        QCOMPARE(back->queue, p.queue);
        QCOMPARE(RequestDatabase::shortName(back->queue), QStringLiteral("db.example.com:5433/dcm"));
        QCOMPARE(
            QueueChoice::describe(true, RequestDatabase::shortName(QStringLiteral("postgresql://db.example.com/dcm"))),
            QStringLiteral("team database db.example.com/dcm"));
        QCOMPARE(QueueChoice::describe(false, QStringLiteral("/x.sqlite")), QStringLiteral("this workstation"));
    }
};

QTEST_MAIN(TestQueueChoice)
#include "TestQueueChoice.moc"
