// KeychainCredentialStore against a real Secret Service (run under scripts/with-keyring.sh, with
// DCM_EXPECT_SECRET_SERVICE=1) and with none reachable (session-only memory, never plain text).
#include "DomainQCompare.h"

#include "app/storage/KeychainCredentialStore.h"

#include <QDirIterator>
#include <QFile>
#include <QSignalSpy>
#include <QTest>
#include <QUuid>

#include <optional>

using namespace dcm;

namespace {

// Runs one asynchronous store call to completion on this thread's event loop.
template <class T, class Call> std::optional<Result<T>> await(Call call)
{
    std::optional<Result<T>> result;
    call([&](Result<T> r) { result.emplace(std::move(r)); });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, 30000))
        return std::nullopt;
    return result;
}

} // namespace

class TestKeychainCredentialStore final : public QObject
{
    Q_OBJECT

private:
    bool m_secretService = qEnvironmentVariableIntValue("DCM_EXPECT_SECRET_SERVICE") == 1;
    // Unique per run so that runs never see each other's entries.
    const QString m_password = QStringLiteral("pw-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QString m_key =
        KeychainCredentialStore::keyFor(QStringLiteral("operator@vsphere.local"), QStringLiteral("vc-test.example"));

    // No file under the test's HOME/XDG dirs holds the password in plain text.
    void verifyNoPlainTextCopy()
    {
        QStringList roots;
        for (const char* var : {"HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME"})
            if (!qEnvironmentVariableIsEmpty(var))
                roots << qEnvironmentVariable(var);
        if (!m_secretService)
            return; // HOME is the developer's own there: not ours to scan
        for (const QString& root : roots) {
            QDirIterator it(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                QFile f(it.next());
                if (f.size() < 10'000'000 && f.open(QIODevice::ReadOnly))
                    QVERIFY2(!f.readAll().contains(m_password.toUtf8()), qPrintable(f.fileName()));
            }
        }
    }

private Q_SLOTS:
    void writeThenReadReturnsThePassword()
    {
        KeychainCredentialStore store(QStringLiteral("org.dcm.OperatorConsole.test"));
        auto written = await<void>([&](auto cb) { store.writePassword(m_key, m_password, cb); });
        QVERIFY(written.has_value());
        if (m_secretService) {
            QVERIFY2(written->ok(), qPrintable(written->error().message));
            QVERIFY(!store.sessionOnly());
        } else {
            QVERIFY(!written->ok());
            QCOMPARE(written->error().code, QStringLiteral("keychain-unavailable"));
            QVERIFY(store.sessionOnly());
        }
        auto read = await<QString>([&](auto cb) { store.readPassword(m_key, cb); });
        QVERIFY(read.has_value());
        QVERIFY2(read->ok(), read->ok() ? "" : qPrintable(read->error().message));
        QCOMPARE(read->value(), m_password);
        verifyNoPlainTextCopy();
    }

    void aSecondStoreSeesTheKeychainEntryButNotSessionMemory()
    {
        KeychainCredentialStore first(QStringLiteral("org.dcm.OperatorConsole.test"));
        QVERIFY(await<void>([&](auto cb) { first.writePassword(m_key, m_password, cb); }).has_value());
        KeychainCredentialStore second(QStringLiteral("org.dcm.OperatorConsole.test"));
        auto read = await<QString>([&](auto cb) { second.readPassword(m_key, cb); });
        QVERIFY(read.has_value());
        if (m_secretService) {
            QVERIFY(read->ok());
            QCOMPARE(read->value(), m_password);
        } else {
            // Session-only means this process object only: nothing persisted anywhere.
            QVERIFY(!read->ok());
            QCOMPARE(read->error().code, QStringLiteral("keychain-unavailable"));
        }
    }

    void removeThenReadSaysNoPassword()
    {
        KeychainCredentialStore store(QStringLiteral("org.dcm.OperatorConsole.test"));
        QVERIFY(await<void>([&](auto cb) { store.writePassword(m_key, m_password, cb); }).has_value());
        auto removed = await<void>([&](auto cb) { store.removePassword(m_key, cb); });
        QVERIFY(removed.has_value());
        auto read = await<QString>([&](auto cb) { store.readPassword(m_key, cb); });
        QVERIFY(read.has_value());
        QVERIFY(!read->ok());
        if (m_secretService)
            QCOMPARE(read->error().code, QStringLiteral("no-password"));
        else
            QCOMPARE(read->error().code, QStringLiteral("keychain-unavailable"));
    }

    void readingAnUnknownKeyIsNotFound()
    {
        if (!m_secretService)
            QSKIP("needs a Secret Service");
        KeychainCredentialStore store(QStringLiteral("org.dcm.OperatorConsole.test"));
        auto read = await<QString>([&](auto cb) { store.readPassword(QStringLiteral("nobody@nowhere"), cb); });
        QVERIFY(read.has_value());
        QVERIFY(!read->ok());
        QCOMPARE(read->error().kind, ErrorKind::Authentication);
        QCOMPARE(read->error().code, QStringLiteral("no-password"));
    }
};

QTEST_GUILESS_MAIN(TestKeychainCredentialStore)
#include "TestKeychainCredentialStore.moc"
