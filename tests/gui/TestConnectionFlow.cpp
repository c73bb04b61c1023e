// The connection flow of the console against the real service: the password dialog when the service
// asks for one (never stored in the settings), the trust dialog on an untrusted certificate (accept pins
// and reconnects; reject does not; Enter does nothing), the red stop on a changed certificate met by any
// call (the login, an inventory read, a drain, the scout) and its review that replaces the pin only after
// the comparison, and deleting a profile, which forgets its password in the keychain.
#include "GuiHarness.h"

#include "ui/Banner.h"
#include "ui/ConnectDialog.h"
#include "ui/ConnectionController.h"
#include "ui/MainWindow.h"
#include "ui/PasswordDialog.h"
#include "ui/ServiceClient.h"
#include "ui/ThumbprintMismatchDialog.h"
#include "ui/TrustDialog.h"
#include "ui/UiSettings.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDirIterator>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTest>

using namespace dcm;
using namespace std::chrono_literals;

namespace {

// The keychain as the service sees it (CredentialStorePort), in memory, answering at once.
class FakeKeychain final : public CredentialStorePort
{
public:
    explicit FakeKeychain(std::shared_ptr<QHash<QString, QString>> passwords, std::shared_ptr<QStringList> removed)
        : m_passwords(std::move(passwords)), m_removed(std::move(removed))
    {}
    void readPassword(const QString& key, Done<QString> done) override
    {
        if (!m_passwords->contains(key))
            return done(Error::make(ErrorKind::Authentication, ErrorCode::NoPassword, QStringLiteral("no password")));
        done(m_passwords->value(key));
    }
    void writePassword(const QString& key, const QString& password, Done<void> done) override
    {
        m_passwords->insert(key, password);
        done({});
    }
    void removePassword(const QString& key, Done<void> done) override
    {
        m_passwords->remove(key);
        m_removed->append(key);
        done({});
    }

private:
    std::shared_ptr<QHash<QString, QString>> m_passwords;
    std::shared_ptr<QStringList> m_removed;
};

const QString pinned =
    QStringLiteral("AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99");
const QString presented =
    QStringLiteral("12:34:56:78:9A:BC:DE:F0:12:34:56:78:9A:BC:DE:F0:12:34:56:78:9A:BC:DE:F0:12:34:56:78:9A:BC:DE:F0");

Error untrusted()
{
    Error e = Error::make(ErrorKind::Trust, QStringLiteral("tls"),
                          QStringLiteral("server certificate is not trusted (self-signed certificate)"));
    e.details.insert(QStringLiteral("actualThumbprint"), presented);
    e.details.insert(QStringLiteral("subject"), QStringLiteral("CN=vc.test"));
    e.details.insert(QStringLiteral("issuer"), QStringLiteral("CN=CA, DC=vsphere, DC=local"));
    e.details.insert(QStringLiteral("notBefore"), QStringLiteral("2025-01-01T00:00:00Z"));
    e.details.insert(QStringLiteral("notAfter"), QStringLiteral("2027-01-01T00:00:00Z"));
    return e;
}

Error mismatch()
{
    Error e = Error::make(ErrorKind::Trust, ErrorCode::ThumbprintMismatch,
                          QStringLiteral("server certificate thumbprint does not match the pinned thumbprint"));
    e.details.insert(QStringLiteral("expectedThumbprint"), pinned);
    e.details.insert(QStringLiteral("actualThumbprint"), presented);
    return e;
}

ConnectionProfile profile(const QString& thumbprint = {})
{
    ConnectionProfile p;
    p.name = QStringLiteral("Test vCenter");
    p.server = QStringLiteral("vc.test");
    p.user = QStringLiteral("operator");
    p.thumbprint = thumbprint;
    return p;
}

} // namespace

class TestConnectionFlow final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<IsolatedSettings> m_settingsDir;
    std::unique_ptr<GuiHarness> m_h;
    std::unique_ptr<MainWindow> m_w;

    template <class T> T* waitForDialog()
    {
        T* dialog = nullptr;
        const bool shown =
            QTest::qWaitFor([&] { return (dialog = m_w->findChild<T*>()) != nullptr && dialog->isVisible(); });
        return shown ? dialog : nullptr;
    }

private Q_SLOTS:
    void init()
    {
        m_settingsDir = std::make_unique<IsolatedSettings>();
        m_h = std::make_unique<GuiHarness>();
        m_w = std::make_unique<MainWindow>(m_h->client());
        m_w->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_w.get()));
    }
    void cleanup()
    {
        m_w.reset();
        m_h.reset();
        m_settingsDir.reset();
    }

    // No password in the keychain: the dialog asks; the typed password reaches the hypervisor and
    // nothing of it reaches the settings.
    void passwordDialogConnectsAndNothingSecretIsStored()
    {
        m_w->connectAtStart(profile(), std::nullopt, true);
        auto* dialog = waitForDialog<PasswordDialog>();
        QVERIFY(dialog);
        auto* password = dialog->findChild<QLineEdit*>(QStringLiteral("password"));
        QCOMPARE(password->echoMode(), QLineEdit::Password);
        QTest::keyClicks(password, QStringLiteral("s3cret-pass"));
        QTest::keyClick(password, Qt::Key_Return); // Connect is the default button here
        QTRY_COMPARE(m_h->service->connectionStatus().state, ConnectionStatus::State::Connected);
        QCOMPARE(m_h->hypervisor->lastSettings().password, QStringLiteral("s3cret-pass"));
        QCOMPARE(m_h->hypervisor->lastSettings().server, QUrl(QStringLiteral("https://vc.test/sdk")));

        m_w->close(); // writes the settings
        QDirIterator files(m_settingsDir->path(), QDir::Files, QDirIterator::Subdirectories);
        int checked = 0;
        while (files.hasNext()) {
            QFile f(files.next());
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray content = f.readAll();
            QVERIFY2(!content.contains("s3cret-pass"), qPrintable(f.fileName()));
            checked += content.contains("vc.test") ? 1 : 0;
        }
        QCOMPARE(checked, 1); // the profile was saved, without its password
    }

    // Untrusted certificate, nothing pinned: the trust dialog shows who the server claims to be and its
    // thumbprint; "Trust and pin" pins it and connects again with the pin.
    void trustDialogAcceptPinsAndReconnects()
    {
        m_h->hypervisor->failNext(FakeHypervisor::Method::Connect, untrusted());
        m_w->connectAtStart(profile(), QStringLiteral("pw"), false);
        auto* dialog = waitForDialog<TrustDialog>();
        QVERIFY(dialog);
        const QString shown = dialog->findChild<QLabel*>(QStringLiteral("thumbprint"))->text();
        QCOMPARE(QString(shown).remove(QLatin1Char('\n')), presented);
        const QList<QLabel*> labels = dialog->findChildren<QLabel*>();
        const auto showsText = [&](const QString& text) {
            return std::any_of(labels.cbegin(), labels.cend(), [&](QLabel* l) { return l->text().contains(text); });
        };
        QVERIFY(showsText(QStringLiteral("CN=vc.test")));
        QVERIFY(showsText(QStringLiteral("CN=CA, DC=vsphere, DC=local")));
        QVERIFY(showsText(QStringLiteral("until")));

        // No default button: Enter does not trust; the operator must confirm they compared.
        QVERIFY(!dialog->trustButton()->isDefault() && !dialog->trustButton()->autoDefault());
        QVERIFY(!dialog->cancelButton()->isDefault() && !dialog->cancelButton()->autoDefault());
        QTest::keyClick(dialog, Qt::Key_Return);
        QVERIFY(dialog->isVisible());
        QVERIFY(!dialog->trustButton()->isEnabled());
        dialog->comparedCheck()->setChecked(true);
        QVERIFY(dialog->trustButton()->isEnabled());
        QTest::mouseClick(dialog->trustButton(), Qt::LeftButton);

        QTRY_COMPARE(m_h->service->connectionStatus().state, ConnectionStatus::State::Connected);
        QCOMPARE(m_h->hypervisor->lastSettings().thumbprint, presented);
        QCOMPARE(m_h->hypervisor->lastSettings().password, QStringLiteral("pw"));
        QCOMPARE(m_h->hypervisor->calls(FakeHypervisor::Method::Connect), 2);
        QCOMPARE(m_w->connectionController()->profile().thumbprint, presented);
    }

    void trustDialogRejectDoesNotConnect()
    {
        m_h->hypervisor->failNext(FakeHypervisor::Method::Connect, untrusted());
        m_w->connectAtStart(profile(), QStringLiteral("pw"), true);
        auto* dialog = waitForDialog<TrustDialog>();
        QVERIFY(dialog);
        QTest::mouseClick(dialog->cancelButton(), Qt::LeftButton);
        QTRY_VERIFY(!m_w->findChild<TrustDialog*>() || !m_w->findChild<TrustDialog*>()->isVisible());
        QTRY_VERIFY(!m_w->banner()->isHidden());
        QVERIFY(m_w->banner()->text().contains(QStringLiteral("was not trusted")));
        QCOMPARE(m_h->hypervisor->calls(FakeHypervisor::Method::Connect), 1);
        QCOMPARE(m_h->service->connectionStatus().state, ConnectionStatus::State::NeedsOperator);
        // Nothing pinned (the profile given with a password is not kept at all; reading an empty optional
        // was undefined).
        const auto saved = UiSettings().profile(QStringLiteral("Test vCenter"));
        QVERIFY(!saved || saved->thumbprint.isEmpty());
    }

    // A pinned thumbprint that no longer matches: the red stop with both thumbprints and no way to
    // accept from there.
    void changedCertificateIsARedStopWithBothThumbprints()
    {
        m_h->hypervisor->failNext(FakeHypervisor::Method::Connect, mismatch());
        m_w->connectAtStart(profile(pinned), QStringLiteral("pw"), false);
        auto* dialog = waitForDialog<ThumbprintMismatchDialog>();
        QVERIFY(dialog);
        const auto text = [&](const char* name) {
            return dialog->findChild<QLabel*>(QLatin1String(name))->text().remove(QLatin1Char('\n'));
        };
        QCOMPARE(text("expectedThumbprint"), pinned);
        QCOMPARE(text("actualThumbprint"), presented);
        const QList<QPushButton*> buttons = dialog->findChildren<QPushButton*>();
        for (QPushButton* b : buttons) {
            QVERIFY2(!b->isDefault() && !b->autoDefault(), qPrintable(b->text()));
            QVERIFY2(!b->text().contains(QStringLiteral("ccept")) && !b->text().contains(QStringLiteral("rust")),
                     qPrintable(b->text()));
        }
        QVERIFY(!m_w->banner()->isHidden());
        QTest::mouseClick(dialog->closeButton(), Qt::LeftButton);
        QCOMPARE(m_h->hypervisor->calls(FakeHypervisor::Method::Connect), 1);
        QCOMPARE(m_w->connectionController()->profile().thumbprint, pinned);
    }

    // Which stop is shown follows the error's typed code, never which detail keys it carries: an
    // untrusted certificate that names an expected thumbprint is still the trust question...
    void untrustedWithDetailsOfAMismatchIsStillTheTrustQuestion()
    {
        Error e = untrusted();
        e.details.insert(QStringLiteral("expectedThumbprint"), pinned);
        m_h->hypervisor->failNext(FakeHypervisor::Method::Connect, e);
        m_w->connectAtStart(profile(), QStringLiteral("pw"), false);
        QVERIFY(waitForDialog<TrustDialog>());
        QVERIFY(!m_w->findChild<ThumbprintMismatchDialog*>());
    }

    // ...and a mismatch without the expected thumbprint among its details is still the red stop.
    void mismatchWithoutItsDetailsIsStillTheRedStop()
    {
        Error e = mismatch();
        e.details.remove(QStringLiteral("expectedThumbprint"));
        m_h->hypervisor->failNext(FakeHypervisor::Method::Connect, e);
        m_w->connectAtStart(profile(pinned), QStringLiteral("pw"), false);
        auto* dialog = waitForDialog<ThumbprintMismatchDialog>();
        QVERIFY(dialog);
        QVERIFY(!m_w->findChild<TrustDialog*>());
        QCOMPARE(dialog->findChild<QLabel*>(QStringLiteral("actualThumbprint"))->text().remove(QLatin1Char('\n')),
                 presented);
    }

    // vCenter refuses the password: asked again, with the reason.
    void rejectedPasswordIsAskedAgain()
    {
        m_h->hypervisor->failNext(FakeHypervisor::Method::Connect,
                                  Error::make(ErrorKind::Authentication, QStringLiteral("vim-fault"),
                                              QStringLiteral("Cannot complete login due to an incorrect user name or "
                                                             "password."),
                                              QStringLiteral("InvalidLogin")));
        m_w->connectAtStart(profile(), QStringLiteral("wrong"), false);
        auto* dialog = waitForDialog<PasswordDialog>();
        QVERIFY(dialog);
        QVERIFY(
            dialog->findChild<QLabel*>(QStringLiteral("passwordReason"))->text().contains(QStringLiteral("incorrect")));
        dialog->setPassword(QStringLiteral("right"));
        dialog->accept();
        QTRY_COMPARE(m_h->service->connectionStatus().state, ConnectionStatus::State::Connected);
        QCOMPARE(m_h->hypervisor->lastSettings().password, QStringLiteral("right"));
    }

    // A changed certificate is met by whichever call comes first, not only by the login: the connection
    // stops at once, the status bar says so, a red banner offers the review, and the trust dialog shows
    // the pinned (old) and presented (new) thumbprints; the pin is replaced only after the operator ticks
    // that they compared, and the console connects again with the new pin.
    void changedCertificateMetByAnyCallStopsAndIsReviewed_data()
    {
        QTest::addColumn<QString>("call");
        QTest::newRow("inventory refresh") << QStringLiteral("inventory");
        QTest::newRow("drain") << QStringLiteral("provision");
        QTest::newRow("scout") << QStringLiteral("probe");
    }
    void changedCertificateMetByAnyCallStopsAndIsReviewed()
    {
        QFETCH(QString, call);
        m_w->setClock(m_h->clock);
        m_w->connectAtStart(profile(pinned), QStringLiteral("pw"), false);
        QTRY_COMPARE(m_h->service->connectionStatus().state, ConnectionStatus::State::Connected);
        QTRY_VERIFY(m_w->statusLine().healthy);
        const auto thumbprint = [](QDialog* d, const char* name) {
            return d->findChild<QLabel*>(QLatin1String(name))->text().remove(QLatin1Char('\n'));
        };

        if (call == QLatin1String("inventory")) {
            m_h->hypervisor->failNext(FakeHypervisor::Method::Inventory, mismatch());
            m_w->findChild<QAction*>(QStringLiteral("refreshInventoryAction"))->trigger();
        } else if (call == QLatin1String("provision")) {
            m_h->hypervisor->failNext(FakeHypervisor::Method::Provision, mismatch());
            (void)m_h->service->submit(validSpec());
        } else {
            // An outage opens the breaker; when it is over, the scout meets the new certificate.
            m_h->hypervisor->setUnreachable(true);
            for (int i = 0; i < 5; ++i)
                (void)m_h->service->submit(validSpec(QStringLiteral("trip-%1").arg(i)));
            QTRY_COMPARE(m_h->service->breakerSnapshot().state, BreakerState::Open);
            m_h->hypervisor->setUnreachable(false);
            m_h->hypervisor->failNext(FakeHypervisor::Method::Probe, mismatch());
            m_h->clock.advance(31s);
            m_h->service->tick();
        }

        QTRY_COMPARE(m_h->service->connectionStatus().state, ConnectionStatus::State::NeedsOperator);
        QTRY_VERIFY2(m_w->statusLine().connection.contains(QStringLiteral("Connection stopped: certificate changed")),
                     qPrintable(m_w->statusLine().connection));
        QCOMPARE(m_w->statusLine().connectionNotice, StateStyle::Notice::Security);
        QVERIFY(!m_w->statusLine().healthy);
        QVERIFY(m_w->statusBarText().contains(QStringLiteral("certificate changed")));

        // The red stop and the banner that stays for it.
        QVERIFY(waitForDialog<ThumbprintMismatchDialog>());
        BannerArea* banners = m_w->banner();
        QVERIFY(banners->has(ConnectionController::connectionSubject));
        Banner* stop = banners->message(ConnectionController::connectionSubject);
        QCOMPARE(stop->notice(), StateStyle::Notice::Security);
        QVERIFY2(stop->text().contains(QStringLiteral("certificate changed")), qPrintable(stop->text()));
        QVERIFY(stop->actionButton()->isVisible());
        QCOMPARE(stop->actionButton()->text(), QStringLiteral("Review certificate…"));
        const int connects = m_h->hypervisor->calls(FakeHypervisor::Method::Connect);

        QTest::mouseClick(stop->actionButton(), Qt::LeftButton);
        auto* review = waitForDialog<TrustDialog>();
        QVERIFY(review);
        QVERIFY(review->isReplacingPin());
        QCOMPARE(thumbprint(review, "pinnedThumbprint"), pinned);
        QCOMPARE(thumbprint(review, "thumbprint"), presented);
        // Nothing is typed or pasted, and nothing is pinned before the comparison is confirmed.
        QVERIFY(review->findChildren<QLineEdit*>().isEmpty());
        QVERIFY(!review->trustButton()->isEnabled());
        review->accept();
        QVERIFY(review->isVisible());
        QCOMPARE(m_w->connectionController()->profile().thumbprint, pinned);
        review->comparedCheck()->setChecked(true);
        QTest::mouseClick(review->trustButton(), Qt::LeftButton);

        if (call == QLatin1String("probe")) {
            // The breaker is still open from the outage: the next scout logs in, with the new pin.
            m_h->clock.advance(31s);
            m_h->service->tick();
        }
        QTRY_COMPARE(m_h->service->connectionStatus().state, ConnectionStatus::State::Connected);
        QCOMPARE(m_h->hypervisor->calls(FakeHypervisor::Method::Connect), connects + 1);
        QCOMPARE(m_h->hypervisor->lastSettings().thumbprint, presented);
        QCOMPARE(m_h->hypervisor->lastSettings().password, QStringLiteral("pw"));
        QCOMPARE(m_w->connectionController()->profile().thumbprint, presented);
        // The stop is over: its banner goes.
        QTRY_VERIFY(!banners->has(ConnectionController::connectionSubject));
    }

    // A saved profile keeps the new pin for the next session.
    void reviewedPinOfASavedProfileIsSaved()
    {
        m_w->connectAtStart(profile(pinned), std::nullopt, true);
        auto* password = waitForDialog<PasswordDialog>(); // no keychain here: asked for
        QVERIFY(password);
        password->setPassword(QStringLiteral("pw"));
        password->accept();
        QTRY_COMPARE(m_h->service->connectionStatus().state, ConnectionStatus::State::Connected);
        QCOMPARE(UiSettings().profile(QStringLiteral("Test vCenter")).value_or(ConnectionProfile{}).thumbprint, pinned);

        m_h->hypervisor->failNext(FakeHypervisor::Method::Inventory, mismatch());
        m_h->service->refreshInventory();
        QTRY_VERIFY(m_w->banner()->has(ConnectionController::connectionSubject));
        QVERIFY(m_w->connectionController()->reviewCertificate());
        auto* review = waitForDialog<TrustDialog>();
        QVERIFY(review);
        review->comparedCheck()->setChecked(true);
        QTest::mouseClick(review->trustButton(), Qt::LeftButton);
        QTRY_COMPARE(m_h->service->connectionStatus().state, ConnectionStatus::State::Connected);
        QCOMPARE(m_h->hypervisor->lastSettings().thumbprint, presented);
        QCOMPARE(m_h->hypervisor->lastSettings().password, QStringLiteral("pw")); // not asked again
        QCOMPARE(UiSettings().profile(QStringLiteral("Test vCenter")).value_or(ConnectionProfile{}).thumbprint,
                 presented);
    }

    // Declining the review leaves the old pin and the stop in place, and the review can be opened again.
    void declinedReviewKeepsTheOldPin()
    {
        m_w->connectAtStart(profile(pinned), QStringLiteral("pw"), false);
        QTRY_COMPARE(m_h->service->connectionStatus().state, ConnectionStatus::State::Connected);
        m_h->hypervisor->failNext(FakeHypervisor::Method::Inventory, mismatch());
        m_h->service->refreshInventory();
        auto* stop = waitForDialog<ThumbprintMismatchDialog>();
        QVERIFY(stop);
        QTest::mouseClick(stop->reviewButton(), Qt::LeftButton);
        auto* review = waitForDialog<TrustDialog>();
        QVERIFY(review);
        QTest::mouseClick(review->cancelButton(), Qt::LeftButton);
        QTRY_VERIFY(m_w->banner()->text(ConnectionController::connectionSubject).contains(QStringLiteral("old pin")));
        QCOMPARE(m_w->connectionController()->profile().thumbprint, pinned);
        QCOMPARE(m_h->hypervisor->calls(FakeHypervisor::Method::Connect), 1);
        QCOMPARE(m_h->service->connectionStatus().state, ConnectionStatus::State::NeedsOperator);
        QVERIFY(m_w->connectionController()->reviewCertificate());
        QVERIFY(waitForDialog<TrustDialog>());
    }

    // Deleting a profile removes it from the settings and its password from the keychain; a password
    // another profile still uses (same user on the same server) stays.
    void deletingAProfileForgetsItsPassword()
    {
        // The service as dcm-console has it: with a keychain.
        m_w.reset();
        auto passwords = std::make_shared<QHash<QString, QString>>();
        auto removed = std::make_shared<QStringList>();
        ServiceConfig config;
        config.tickInterval = 0ms;
        config.owner = QStringLiteral("gui-test");
        auto hv = m_h->hypervisor;
        auto st = m_h->store;
        m_h->service = std::make_unique<ProvisioningService>(
            [hv] { return std::unique_ptr<HypervisorPort>(std::make_unique<FakeHypervisorOwner>(hv)); },
            [st]() -> Result<std::unique_ptr<RequestStorePort>> {
                return std::unique_ptr<RequestStorePort>(std::make_unique<FakeRequestStoreOwner>(st));
            },
            m_h->clock, config);
        m_h->service->setCredentialStoreFactory(
            [passwords, removed] { return std::make_unique<FakeKeychain>(passwords, removed); });
        m_h->service->initialize();

        ConnectionProfile prod = profile();
        prod.name = QStringLiteral("Prod");
        ConnectionProfile prodAgain = profile();
        prodAgain.name = QStringLiteral("Prod, pinned");
        prodAgain.server = QStringLiteral("https://vc.test/sdk");
        prodAgain.thumbprint = pinned;
        ConnectionProfile lab;
        lab.name = QStringLiteral("Lab");
        lab.server = QStringLiteral("lab.test");
        lab.user = QStringLiteral("admin");
        const QString prodKey = ProvisioningService::credentialKey(prod.serverUrl(), prod.user);
        const QString labKey = ProvisioningService::credentialKey(lab.serverUrl(), lab.user);
        {
            UiSettings settings;
            for (const ConnectionProfile& p : {prod, prodAgain, lab})
                settings.saveProfile(p);
            settings.sync();
        }
        passwords->insert(prodKey, QStringLiteral("prod-secret"));
        passwords->insert(labKey, QStringLiteral("lab-secret"));
        m_w = std::make_unique<MainWindow>(m_h->client());
        m_w->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_w.get()));

        m_w->connectionController()->showConnectDialog();
        auto* dialog = waitForDialog<ConnectDialog>();
        QVERIFY(dialog);
        auto* names = dialog->findChild<QComboBox*>(QStringLiteral("profileName"));
        auto* remove = dialog->findChild<QPushButton*>(QStringLiteral("deleteProfile"));
        const auto deleteProfile = [&](const QString& name) {
            names->setCurrentIndex(-1); // so that choosing it loads it even when it is the current row
            names->setCurrentIndex(names->findText(name));
            QCOMPARE(names->currentText(), name);
            QVERIFY(remove->isEnabled());
            QTest::mouseClick(remove, Qt::LeftButton);
        };

        deleteProfile(QStringLiteral("Lab"));
        QTRY_COMPARE(*removed, QStringList{labKey});
        QVERIFY(!passwords->contains(labKey));
        QVERIFY(!UiSettings().profile(QStringLiteral("Lab")));

        // "Prod, pinned" still logs in as the same account: its password stays...
        deleteProfile(QStringLiteral("Prod"));
        QVERIFY(!UiSettings().profile(QStringLiteral("Prod")));
        QVERIFY(m_w->banner()
                    ->text(ConnectionController::keychainSubject)
                    .contains(QStringLiteral("stays in the keychain")));
        // ...until the last profile of that account goes (the keychain's calls arrive in order: one
        // removal of it, after the lab's, shows that the first deletion removed nothing).
        deleteProfile(QStringLiteral("Prod, pinned"));
        QTRY_COMPARE(*removed, (QStringList{labKey, prodKey}));
        QVERIFY(passwords->isEmpty());
        QVERIFY(UiSettings().profiles().isEmpty());
        QVERIFY(m_w->banner()->text(ConnectionController::keychainSubject).contains(QStringLiteral("removed")));
    }
};

QTEST_MAIN(TestConnectionFlow)
#include "TestConnectionFlow.moc"
