// The connection flow of the console against the real service: the password dialog when the service
// asks for one (never stored in the settings), the trust dialog on an untrusted certificate (accept pins
// and reconnects; reject does not; Enter does nothing), and the red stop on a changed certificate.
#include "GuiHarness.h"

#include "ui/Banner.h"
#include "ui/ConnectionController.h"
#include "ui/MainWindow.h"
#include "ui/PasswordDialog.h"
#include "ui/ServiceClient.h"
#include "ui/ThumbprintMismatchDialog.h"
#include "ui/TrustDialog.h"
#include "ui/UiSettings.h"

#include <QCheckBox>
#include <QDirIterator>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTest>

using namespace dcm;

namespace {

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
        QVERIFY(UiSettings().profile(QStringLiteral("Test vCenter"))->thumbprint.isEmpty());
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
};

QTEST_MAIN(TestConnectionFlow)
#include "TestConnectionFlow.moc"
