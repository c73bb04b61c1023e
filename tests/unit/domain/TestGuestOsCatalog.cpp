// Pins the guest OS list the GUI offers and validate() accepts: the ids operators need are there, each
// with the vSphere API release that introduced it, and filtering by a server's API version works.
#include "domain/GuestOsCatalog.h"

#include <QRegularExpression>
#include <QSet>
#include <QTest>

#include "DomainQCompare.h"

using namespace dcm;

namespace {

QSet<QString> idsOf(const QList<GuestOs>& list)
{
    QSet<QString> ids;
    for (const GuestOs& os : list) {
        ids.insert(os.id);
    }
    return ids;
}

} // namespace

class TestGuestOsCatalog : public QObject
{
    Q_OBJECT

private slots:
    // Ids operators pick most, and their first API release (vim reference "Since" notes).
    void knownIds_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("since");
        QTest::addColumn<GuestOsFamily>("family");
        const auto linuxOs = GuestOsFamily::Linux;
        const auto windowsOs = GuestOsFamily::Windows;
        const auto otherOs = GuestOsFamily::Other;
        QTest::newRow("otherGuest") << QStringLiteral("otherGuest") << QStringLiteral("6.5") << otherOs;
        QTest::newRow("otherGuest64") << QStringLiteral("otherGuest64") << QStringLiteral("6.5") << otherOs;
        QTest::newRow("otherLinux64Guest") << QStringLiteral("otherLinux64Guest") << QStringLiteral("6.5") << linuxOs;
        QTest::newRow("ubuntu64Guest") << QStringLiteral("ubuntu64Guest") << QStringLiteral("6.5") << linuxOs;
        QTest::newRow("debian11_64Guest") << QStringLiteral("debian11_64Guest") << QStringLiteral("7.0") << linuxOs;
        QTest::newRow("debian12_64Guest") << QStringLiteral("debian12_64Guest") << QStringLiteral("8.0.0.1") << linuxOs;
        QTest::newRow("rhel8_64Guest") << QStringLiteral("rhel8_64Guest") << QStringLiteral("6.7") << linuxOs;
        QTest::newRow("rhel9_64Guest") << QStringLiteral("rhel9_64Guest") << QStringLiteral("7.0.1.0") << linuxOs;
        QTest::newRow("centos8_64Guest") << QStringLiteral("centos8_64Guest") << QStringLiteral("6.7") << linuxOs;
        QTest::newRow("sles15_64Guest") << QStringLiteral("sles15_64Guest") << QStringLiteral("6.7") << linuxOs;
        QTest::newRow("windows9_64Guest") << QStringLiteral("windows9_64Guest") << QStringLiteral("6.5") << windowsOs;
        QTest::newRow("windows2019srv_64Guest")
            << QStringLiteral("windows2019srv_64Guest") << QStringLiteral("6.7") << windowsOs;
        QTest::newRow("windows2019srvNext_64Guest")
            << QStringLiteral("windows2019srvNext_64Guest") << QStringLiteral("7.0.1.0") << windowsOs;
        QTest::newRow("windows2022srvNext_64Guest")
            << QStringLiteral("windows2022srvNext_64Guest") << QStringLiteral("8.0.0.1") << windowsOs;
    }

    void knownIds()
    {
        QFETCH(QString, id);
        QFETCH(QString, since);
        QFETCH(GuestOsFamily, family);
        const auto os = GuestOsCatalog::find(id);
        QVERIFY2(os.has_value(), qPrintable(id));
        QVERIFY(GuestOsCatalog::isKnown(id));
        QCOMPARE(os->id, id);
        QCOMPARE(os->minApiVersion, QVersionNumber::fromString(since));
        QCOMPARE(os->family, family);
        QVERIFY(!os->displayName.isEmpty());
    }

    void idsAndNamesAreUnique()
    {
        QSet<QString> ids;
        QSet<QString> names;
        for (const GuestOs& os : GuestOsCatalog::all()) {
            QVERIFY2(!ids.contains(os.id), qPrintable(os.id));
            QVERIFY2(!names.contains(os.displayName), qPrintable(os.displayName));
            ids.insert(os.id);
            names.insert(os.displayName);
        }
        QVERIFY(ids.size() >= 20);
    }

    // Catches typos that vCenter would reject: vim ids are lowerCamel words ending in "Guest"/"Guest64".
    void idsLookLikeVimIdentifiers()
    {
        const QRegularExpression pattern(QStringLiteral("^[a-z][A-Za-z0-9_]*Guest(64)?$"));
        for (const GuestOs& os : GuestOsCatalog::all()) {
            QVERIFY2(pattern.match(os.id).hasMatch(), qPrintable(os.id));
        }
    }

    // Every id is usable on some release the console supports (6.5 .. 8.0.x).
    void versionsWithinSupportedRange()
    {
        for (const GuestOs& os : GuestOsCatalog::all()) {
            QVERIFY2(os.minApiVersion >= GuestOsCatalog::oldestSupportedApi(), qPrintable(os.id));
            QVERIFY2(os.minApiVersion < QVersionNumber(8, 1), qPrintable(os.id));
        }
    }

    void supportedBy_data()
    {
        QTest::addColumn<QString>("apiVersion");
        QTest::addColumn<QStringList>("included");
        QTest::addColumn<QStringList>("excluded");
        QTest::newRow("6.5") << QStringLiteral("6.5")
                             << QStringList{QStringLiteral("ubuntu64Guest"), QStringLiteral("windows9Server64Guest")}
                             << QStringList{QStringLiteral("rhel8_64Guest"), QStringLiteral("windows2019srv_64Guest")};
        QTest::newRow("6.7") << QStringLiteral("6.7")
                             << QStringList{QStringLiteral("rhel8_64Guest"), QStringLiteral("windows2019srv_64Guest")}
                             << QStringList{QStringLiteral("amazonlinux2_64Guest"), QStringLiteral("rhel9_64Guest")};
        QTest::newRow("6.7.1") << QStringLiteral("6.7.1") << QStringList{QStringLiteral("amazonlinux2_64Guest")}
                               << QStringList{QStringLiteral("debian11_64Guest")};
        QTest::newRow("7.0") << QStringLiteral("7.0") << QStringList{QStringLiteral("debian11_64Guest")}
                             << QStringList{QStringLiteral("windows2019srvNext_64Guest")};
        QTest::newRow("7.0.1.0") << QStringLiteral("7.0.1.0")
                                 << QStringList{QStringLiteral("rhel9_64Guest"),
                                                QStringLiteral("windows2019srvNext_64Guest")}
                                 << QStringList{QStringLiteral("debian12_64Guest")};
        // vCenter reports the same release as "7.0.1" in some places: trailing zeros must not matter.
        QTest::newRow("7.0.1") << QStringLiteral("7.0.1") << QStringList{QStringLiteral("rhel9_64Guest")}
                               << QStringList{QStringLiteral("windows11_64Guest")};
        QTest::newRow("7.0.3.0") << QStringLiteral("7.0.3.0") << QStringList{QStringLiteral("centos9_64Guest")}
                                 << QStringList{QStringLiteral("windows2022srvNext_64Guest")};
        QTest::newRow("8.0.0.1") << QStringLiteral("8.0.0.1")
                                 << QStringList{QStringLiteral("debian12_64Guest"),
                                                QStringLiteral("windows2022srvNext_64Guest")}
                                 << QStringList{};
    }

    void supportedBy()
    {
        QFETCH(QString, apiVersion);
        QFETCH(QStringList, included);
        QFETCH(QStringList, excluded);
        const QSet<QString> ids = idsOf(GuestOsCatalog::supportedBy(QVersionNumber::fromString(apiVersion)));
        for (const QString& id : included) {
            QVERIFY2(ids.contains(id), qPrintable(id));
        }
        for (const QString& id : excluded) {
            QVERIFY2(!ids.contains(id), qPrintable(id));
        }
    }

    void notConnectedYetOffersEverything()
    {
        QCOMPARE(GuestOsCatalog::supportedBy(QVersionNumber()).size(), GuestOsCatalog::all().size());
        QCOMPARE(GuestOsCatalog::supportedBy(QVersionNumber(8, 0, 3)).size(), GuestOsCatalog::all().size());
        QVERIFY(GuestOsCatalog::supportedBy(QVersionNumber(6, 5)).size() < GuestOsCatalog::all().size());
    }

    void defaultIdIsInTheList() { QVERIFY(GuestOsCatalog::isKnown(GuestOsCatalog::defaultId())); }

    // vim ids are case-sensitive; a near miss is suggested, never silently accepted.
    void suggestions()
    {
        QVERIFY(!GuestOsCatalog::isKnown(u"RHEL9_64GUEST"));
        QCOMPARE(GuestOsCatalog::suggestionFor(u"RHEL9_64GUEST"),
                 std::optional<QString>(QStringLiteral("rhel9_64Guest")));
        QCOMPARE(GuestOsCatalog::suggestionFor(u"plan9Guest"), std::optional<QString>());
    }

    // The vim ids lag Microsoft's product names; the display names must say what gets installed.
    void windowsDisplayNamesNameTheProduct()
    {
        QVERIFY(GuestOsCatalog::find(u"windows9_64Guest")->displayName.contains(QStringLiteral("Windows 10")));
        QVERIFY(GuestOsCatalog::find(u"windows2019srvNext_64Guest")->displayName.contains(QStringLiteral("2022")));
        QVERIFY(GuestOsCatalog::find(u"windows2022srvNext_64Guest")->displayName.contains(QStringLiteral("2025")));
    }

    void familyNames()
    {
        QCOMPARE(toString(GuestOsFamily::Linux), QStringLiteral("linux"));
        QCOMPARE(toString(GuestOsFamily::Windows), QStringLiteral("windows"));
        QCOMPARE(toString(GuestOsFamily::Other), QStringLiteral("other"));
    }
};

QTEST_GUILESS_MAIN(TestGuestOsCatalog)
#include "TestGuestOsCatalog.moc"
