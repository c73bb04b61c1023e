// dcmctl's SPEC options for clones and batches, parsed without a process: template, NICs in order, the
// Linux customization with per-NIC --ip/--dhcp/--gateway in the order typed, saved specs, --count.
#include "app/cli/CtlOptions.h"

#include <QTest>

#include "DomainQCompare.h"

using namespace dcm;
using namespace dcm::ctl;

namespace {

QStringList argv(const QStringList& args)
{
    return QStringList{QStringLiteral("dcmctl"), QStringLiteral("submit")} + args;
}

} // namespace

class TestCtlSpecOptions : public QObject
{
    Q_OBJECT

private slots:
    void aCloneWithTypedLinuxSettings()
    {
        const auto o = parseCtlOptions(argv({QStringLiteral("--name"),        QStringLiteral("web-{nn}"),
                                             QStringLiteral("--template"),    QStringLiteral("ubuntu-tpl"),
                                             QStringLiteral("--network"),     QStringLiteral("VM Network"),
                                             QStringLiteral("--network"),     QStringLiteral("Backend"),
                                             QStringLiteral("--nic-type"),    QStringLiteral("e1000e"),
                                             QStringLiteral("--hostname"),    QStringLiteral("web"),
                                             QStringLiteral("--domain"),      QStringLiteral("example.com"),
                                             QStringLiteral("--time-zone"),   QStringLiteral("Europe/Berlin"),
                                             QStringLiteral("--dhcp"),        QStringLiteral("--ip=10.1.0.11/24"),
                                             QStringLiteral("--gateway"),     QStringLiteral("10.1.0.1"),
                                             QStringLiteral("--dns"),         QStringLiteral("10.0.0.53,10.0.1.53"),
                                             QStringLiteral("--dns-suffix"),  QStringLiteral("example.com"),
                                             QStringLiteral("--count"),       QStringLiteral("5"),
                                             QStringLiteral("--clone-disks"), QStringLiteral("thin")}));
        QVERIFY2(o.ok(), o.ok() ? "" : qPrintable(o.error().message));
        const VmSpec& s = o.value().spec;
        QCOMPARE(s.templateName, QStringLiteral("ubuntu-tpl"));
        QCOMPARE(s.cloneDiskFormat, QStringLiteral("thin"));
        QCOMPARE(s.cpus, 0);      // as the template
        QCOMPARE(s.memoryMiB, 0); // as the template
        QVERIFY(s.guestId.isEmpty());
        QCOMPARE(s.nics, (QList<NicSpec>{NicSpec{QStringLiteral("VM Network"), NicSpec::e1000e},
                                         NicSpec{QStringLiteral("Backend"), NicSpec::e1000e}}));
        const GuestCustomization& c = s.customization;
        QCOMPARE(int(c.mode), int(GuestCustomization::Mode::Linux));
        QCOMPARE(c.hostName, QStringLiteral("web"));
        QCOMPARE(c.domain, QStringLiteral("example.com"));
        QCOMPARE(c.timeZone, QStringLiteral("Europe/Berlin"));
        QCOMPARE(c.nics, (QList<NicAddress>{NicAddress{}, NicAddress{false, QStringLiteral("10.1.0.11"), 24,
                                                                     QStringLiteral("10.1.0.1")}}));
        QCOMPARE(c.dnsServers, (QStringList{QStringLiteral("10.0.0.53"), QStringLiteral("10.0.1.53")}));
        QCOMPARE(c.dnsSuffixes, QStringList{QStringLiteral("example.com")});
        QCOMPARE(o.value().count, 5);
        // Only the placement (not given here) is missing: nothing about the clone or its customization.
        for (const FieldProblem& p : s.validate())
            QVERIFY2(!p.field.startsWith(QLatin1String("customization")) &&
                         !p.field.startsWith(QLatin1String("nics")) && !p.field.startsWith(QLatin1String("cpus")) &&
                         !p.field.startsWith(QLatin1String("memory")) && !p.field.startsWith(QLatin1String("disks")),
                     qPrintable(p.field + QStringLiteral(": ") + p.message));
    }

    void aSavedSpecification()
    {
        const auto o = parseCtlOptions(argv({QStringLiteral("--template"), QStringLiteral("t"),
                                             QStringLiteral("--customization-spec"), QStringLiteral("vcsim-linux")}));
        QVERIFY(o.ok());
        QCOMPARE(int(o.value().spec.customization.mode), int(GuestCustomization::Mode::SavedSpec));
        QCOMPARE(o.value().spec.customization.specName, QStringLiteral("vcsim-linux"));
    }

    void aBlankVmKeepsItsDefaults()
    {
        const auto o = parseCtlOptions(argv({QStringLiteral("--network"), QStringLiteral("VM Network")}));
        QVERIFY(o.ok());
        QVERIFY(!o.value().spec.isClone());
        QVERIFY(o.value().spec.customization.isNone());
        QCOMPARE(o.value().spec.guestId, QStringLiteral("otherLinux64Guest"));
        QCOMPARE(o.value().spec.nics.size(), 1);
        QCOMPARE(o.value().count, 0);
    }

    void refusals_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("wording");
        QTest::newRow("saved and typed") << QStringList{QStringLiteral("--customization-spec"), QStringLiteral("s"),
                                                        QStringLiteral("--hostname"), QStringLiteral("h")}
                                         << QStringLiteral("excludes");
        QTest::newRow("ip without prefix")
            << QStringList{QStringLiteral("--ip"), QStringLiteral("10.0.0.11")} << QStringLiteral("ADDR/PREFIX");
        QTest::newRow("ip with a bad prefix")
            << QStringList{QStringLiteral("--ip"), QStringLiteral("10.0.0.11/x4")} << QStringLiteral("ADDR/PREFIX");
        QTest::newRow("gateway before any ip") << QStringList{QStringLiteral("--gateway"), QStringLiteral("10.0.0.1"),
                                                              QStringLiteral("--ip"), QStringLiteral("10.0.0.11/24")}
                                               << QStringLiteral("must follow the --ip");
        QTest::newRow("gateway after dhcp")
            << QStringList{QStringLiteral("--dhcp"), QStringLiteral("--gateway"), QStringLiteral("10.0.0.1")}
            << QStringLiteral("must follow the --ip");
        QTest::newRow("nic types do not match")
            << QStringList{QStringLiteral("--network"),  QStringLiteral("a"),         QStringLiteral("--network"),
                           QStringLiteral("b"),          QStringLiteral("--network"), QStringLiteral("c"),
                           QStringLiteral("--nic-type"), QStringLiteral("vmxnet3"),   QStringLiteral("--nic-type"),
                           QStringLiteral("e1000e")}
            << QStringLiteral("once per --network");
        QTest::newRow("count not a number")
            << QStringList{QStringLiteral("--count"), QStringLiteral("five")} << QStringLiteral("--count");
    }

    void refusals()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, wording);
        const auto o = parseCtlOptions(argv(args));
        QVERIFY(!o.ok());
        QCOMPARE(o.error().kind, ErrorKind::InvalidInput);
        QVERIFY2(o.error().message.contains(wording), qPrintable(o.error().message));
    }
};

QTEST_GUILESS_MAIN(TestCtlSpecOptions)
#include "TestCtlSpecOptions.moc"
