// Pins expandBatch: names from {n}/{nn}/{nnn}, consecutive static addresses per NIC inside their
// subnet, the count bound, duplicates refused, all-or-nothing with every problem named by field.
#include "domain/BatchPlan.h"

#include <QTest>

#include "DomainQCompare.h"

using namespace dcm;

namespace {

VmSpec pattern(const QString& name = QStringLiteral("web-{nn}"))
{
    VmSpec s;
    s.name = name;
    s.templateName = QStringLiteral("ubuntu-tpl");
    s.cpus = 0;
    s.memoryMiB = 0;
    s.nics = {NicSpec{QStringLiteral("VM Network")}, NicSpec{QStringLiteral("Backend")}};
    s.datastore = QStringLiteral("ds1");
    s.datacenter = QStringLiteral("DC0");
    s.cluster = QStringLiteral("C0");
    s.customization.mode = GuestCustomization::Mode::Linux;
    s.customization.hostName = QStringLiteral("web-{nn}");
    s.customization.nics = {NicAddress{false, QStringLiteral("10.0.0.11"), 24, QStringLiteral("10.0.0.1")},
                            NicAddress{false, QStringLiteral("10.1.0.11"), 24, QString()}};
    return s;
}

QStringList fieldsOf(const Error& e)
{
    QStringList fields;
    for (const QVariant& v : e.details.value(QStringLiteral("problems")).toList())
        fields.append(v.toMap().value(QStringLiteral("field")).toString());
    return fields;
}

QString firstMessage(const Error& e)
{
    return e.details.value(QStringLiteral("problems"))
        .toList()
        .value(0)
        .toMap()
        .value(QStringLiteral("message"))
        .toString();
}

} // namespace

class TestBatchPlan : public QObject
{
    Q_OBJECT

private slots:
    void namesAreNumberedAndPadded_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("count");
        QTest::addColumn<QStringList>("names");
        QTest::newRow("{n}") << QStringLiteral("db{n}") << 3
                             << QStringList{QStringLiteral("db1"), QStringLiteral("db2"), QStringLiteral("db3")};
        QTest::newRow("{nn}") << QStringLiteral("web-{nn}") << 2
                              << QStringList{QStringLiteral("web-01"), QStringLiteral("web-02")};
        QTest::newRow("{nnn}") << QStringLiteral("{nnn}-app") << 2
                               << QStringList{QStringLiteral("001-app"), QStringLiteral("002-app")};
        QTest::newRow("single without placeholder")
            << QStringLiteral("solo") << 1 << QStringList{QStringLiteral("solo")};
        QTest::newRow("single with placeholder")
            << QStringLiteral("web-{nn}") << 1 << QStringList{QStringLiteral("web-01")};
    }

    void namesAreNumberedAndPadded()
    {
        QFETCH(QString, name);
        QFETCH(int, count);
        QFETCH(QStringList, names);
        VmSpec p = pattern(name);
        p.customization.nics = {};
        const auto specs = expandBatch(p, count);
        QVERIFY2(specs.ok(), specs.ok() ? "" : qPrintable(specs.error().message));
        QStringList got;
        for (const VmSpec& s : specs.value())
            got.append(s.name);
        QCOMPARE(got, names);
    }

    void aWideBatchKeepsEveryDigit()
    {
        QCOMPARE(batchName(QStringLiteral("w{nn}"), 100), QStringLiteral("w100"));
        QCOMPARE(batchName(QStringLiteral("w{n}-{nnn}"), 7), QStringLiteral("w7-007"));
    }

    void staticAddressesAreConsecutivePerNic()
    {
        const auto specs = expandBatch(pattern(), 5);
        QVERIFY(specs.ok());
        QCOMPARE(specs.value().size(), 5);
        for (int i = 0; i < 5; ++i) {
            const GuestCustomization& c = specs.value().at(i).customization;
            QCOMPARE(c.nics.at(0).address, QStringLiteral("10.0.0.%1").arg(11 + i));
            QCOMPARE(c.nics.at(1).address, QStringLiteral("10.1.0.%1").arg(11 + i));
            QCOMPARE(c.nics.at(0).gateway, QStringLiteral("10.0.0.1")); // shared
            QCOMPARE(c.nics.at(0).prefixLength, 24);
        }
    }

    // Each guest gets its own host name from the pattern, numbered like the VM names.
    void hostNamesAreNumberedLikeTheNames()
    {
        const auto specs = expandBatch(pattern(), 3);
        QVERIFY2(specs.ok(), specs.ok() ? "" : qPrintable(specs.error().message));
        QCOMPARE(specs.value().at(0).customization.hostName, QStringLiteral("web-01"));
        QCOMPARE(specs.value().at(2).customization.hostName, QStringLiteral("web-03"));
    }

    void dhcpNicsAndSavedSpecsAreCopiedAsTheyAre()
    {
        VmSpec p = pattern();
        p.customization.nics = {NicAddress{}};
        auto specs = expandBatch(p, 3);
        QVERIFY(specs.ok());
        QVERIFY(specs.value().at(2).customization.nics.at(0).dhcp);
        p.customization = {};
        p.customization.mode = GuestCustomization::Mode::SavedSpec;
        p.customization.specName = QStringLiteral("vcsim-linux");
        specs = expandBatch(p, 3);
        QVERIFY(specs.ok());
        QCOMPARE(specs.value().at(2).customization.specName, QStringLiteral("vcsim-linux"));
    }

    void refusals_data()
    {
        QTest::addColumn<VmSpec>("spec");
        QTest::addColumn<int>("count");
        QTest::addColumn<QStringList>("fields");
        QTest::addColumn<QString>("wording");
        QTest::newRow("count 0") << pattern() << 0 << QStringList{QStringLiteral("count")}
                                 << QStringLiteral("1 and 100");
        QTest::newRow("count 101") << pattern() << 101 << QStringList{QStringLiteral("count")}
                                   << QStringLiteral("101 asked");
        QTest::newRow("no placeholder") << pattern(QStringLiteral("web")) << 2 << QStringList{QStringLiteral("name")}
                                        << QStringLiteral("{nn}");
        VmSpec nearEnd = pattern();
        nearEnd.customization.nics[0].address = QStringLiteral("10.0.0.250");
        QTest::newRow("leaves the subnet")
            << nearEnd << 10 << QStringList{QStringLiteral("customization.nics[0].address")}
            << QStringLiteral("room for 5 addresses");
        VmSpec exactly = pattern();
        exactly.customization.nics[0].address = QStringLiteral("10.0.0.250");
        QTest::newRow("fits to the last host") << exactly << 5 << QStringList{} << QString();
        VmSpec overlap = pattern();
        overlap.customization.nics[1] = NicAddress{false, QStringLiteral("10.0.0.13"), 24, QString()};
        QTest::newRow("NICs overlap across VMs")
            << overlap << 3 << QStringList{QStringLiteral("customization.nics[0].address")}
            << QStringLiteral("web-03's NIC 1 would get 10.0.0.13, which web-01's NIC 2 has already");
        VmSpec hitsGateway = pattern();
        hitsGateway.customization.nics[0].gateway = QStringLiteral("10.0.0.13");
        QTest::newRow("a VM gets the gateway")
            << hitsGateway << 3 << QStringList{QStringLiteral("customization.nics[0].gateway")}
            << QStringLiteral("VM 3 (web-03)");
        VmSpec badDomain = pattern();
        badDomain.customization.domain = QStringLiteral("bad_domain.example");
        VmSpec oneHostName = pattern();
        oneHostName.customization.hostName = QStringLiteral("web");
        QTest::newRow("one host name for several guests")
            << oneHostName << 3 << QStringList{QStringLiteral("customization.hostName")} << QStringLiteral("{nn}");
        QTest::newRow("shared problem said once")
            << badDomain << 4 << QStringList{QStringLiteral("customization.domain")} << QStringLiteral("\"_\"");
    }

    void refusals()
    {
        QFETCH(VmSpec, spec);
        QFETCH(int, count);
        QFETCH(QStringList, fields);
        QFETCH(QString, wording);
        const auto specs = expandBatch(spec, count);
        if (fields.isEmpty()) {
            QVERIFY2(specs.ok(), specs.ok() ? "" : qPrintable(specs.error().message));
            return;
        }
        QVERIFY(!specs.ok());
        QCOMPARE(specs.error().kind, ErrorKind::InvalidInput);
        QCOMPARE(fieldsOf(specs.error()), fields);
        QVERIFY2(firstMessage(specs.error()).contains(wording), qPrintable(firstMessage(specs.error())));
    }
};

QTEST_GUILESS_MAIN(TestBatchPlan)
#include "TestBatchPlan.moc"
