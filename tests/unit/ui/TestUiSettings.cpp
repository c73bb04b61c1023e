// The console's settings file is the operator's alone: created 0600 before anything is written to it,
// kept 0600 across saves (QSettings replaces the file on every save), and narrowed when an older one is
// wider; what it held is kept.
#include "ui/UiSettings.h"

#include <QFile>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace dcm;

namespace {

constexpr QFileDevice::Permissions groupOrOthers = QFileDevice::ReadGroup | QFileDevice::WriteGroup |
                                                   QFileDevice::ExeGroup | QFileDevice::ReadOther |
                                                   QFileDevice::WriteOther | QFileDevice::ExeOther;

ConnectionProfile profile()
{
    ConnectionProfile p;
    p.name = QStringLiteral("Lab");
    p.server = QStringLiteral("vc.lab.example");
    p.user = QStringLiteral("operator");
    return p;
}

} // namespace

class TestUiSettings final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    mode_t m_umask = 0;

    static bool ownerOnly(const QString& path)
    {
        const QFileDevice::Permissions p = QFileInfo(path).permissions();
        return (p & QFileDevice::ReadOwner) && (p & QFileDevice::WriteOwner) && !(p & groupOrOthers);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QStandardPaths::setTestModeEnabled(true);
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.path());
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.path());
        // The usual umask: a file created without care would be readable by everyone.
        m_umask = ::umask(022);
    }
    void cleanupTestCase() { ::umask(m_umask); }
    void cleanup()
    {
        UiSettings settings;
        QFile::remove(settings.fileName());
    }

    void createdOwnerOnlyAndKeptSoAcrossSaves()
    {
        QString path;
        {
            UiSettings settings;
            path = settings.fileName();
            QVERIFY2(path.startsWith(m_dir.path()), qPrintable(path));
            QVERIFY(QFileInfo::exists(path)); // before the first save
            QVERIFY2(ownerOnly(path), qPrintable(QString::number(QFileInfo(path).permissions(), 16)));
            settings.saveProfile(profile());
            settings.sync();
            QVERIFY(ownerOnly(path));
            settings.setLastView(2);
            settings.sync();
            QVERIFY(ownerOnly(path));
        }
        UiSettings again;
        QVERIFY(ownerOnly(path));
        QCOMPARE(again.profile(QStringLiteral("Lab"))->server, QStringLiteral("vc.lab.example"));
    }

    void anOlderWiderFileIsNarrowedAndKept()
    {
        QString path;
        {
            UiSettings settings;
            path = settings.fileName();
            settings.saveProfile(profile());
            settings.sync();
        }
        QVERIFY(QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup |
                                                QFileDevice::ReadOther));
        QVERIFY(!ownerOnly(path));
        UiSettings settings;
        QVERIFY(ownerOnly(path));
        QCOMPARE(settings.profiles().size(), 1);
        settings.setLastView(1);
        settings.sync();
        QVERIFY(ownerOnly(path));
    }
};

QTEST_GUILESS_MAIN(TestUiSettings)
#include "TestUiSettings.moc"
