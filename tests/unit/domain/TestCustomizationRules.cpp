// Pins the guest customization rules as VmSpec::validate() applies them to a clone: each rule's valid
// and invalid edges, the field each problem names, every problem at once.
#include "domain/CustomizationRules.h"
#include "domain/Ipv4.h"
#include "domain/VmSpec.h"

#include <QTest>

#include <functional>

#include "DomainQCompare.h"

using namespace dcm;

namespace {

VmSpec cloneSpec()
{
    VmSpec s;
    s.name = QStringLiteral("web-01");
    s.templateName = QStringLiteral("ubuntu-tpl");
    s.cpus = 0;
    s.memoryMiB = 0;
    s.nics = {NicSpec{QStringLiteral("VM Network")}, NicSpec{QStringLiteral("Backend")}};
    s.datastore = QStringLiteral("ds1");
    s.datacenter = QStringLiteral("DC0");
    s.cluster = QStringLiteral("C0");
    s.customization.mode = GuestCustomization::Mode::Linux;
    s.customization.hostName = QStringLiteral("web-01");
    s.customization.domain = QStringLiteral("example.com");
    s.customization.timeZone = QStringLiteral("Europe/Berlin");
    s.customization.nics = {NicAddress{false, QStringLiteral("10.0.0.11"), 24, QStringLiteral("10.0.0.1")},
                            NicAddress{false, QStringLiteral("192.168.10.5"), 28, QString()}};
    s.customization.dnsServers = {QStringLiteral("10.0.0.53")};
    s.customization.dnsSuffixes = {QStringLiteral("example.com"), QStringLiteral("corp.example.com")};
    return s;
}

using Change = std::function<void(VmSpec&)>;

QStringList fieldsOf(const QList<FieldProblem>& problems)
{
    QStringList fields;
    for (const FieldProblem& p : problems)
        fields.append(p.field);
    return fields;
}

} // namespace

Q_DECLARE_METATYPE(Change)

class TestCustomizationRules : public QObject
{
    Q_OBJECT

private slots:
    void aFullLinuxCustomizationIsValid() { QCOMPARE(cloneSpec().validate(), QList<FieldProblem>()); }

    void eachRuleNamesItsField_data()
    {
        QTest::addColumn<Change>("change");
        QTest::addColumn<QStringList>("fields");
        QTest::addColumn<QString>("wording"); // part of the first problem's message

        const auto row = [](const char* name, Change c, QStringList f, const char* w) {
            QTest::newRow(name) << c << f << QString::fromUtf8(w);
        };
        const QStringList host{QStringLiteral("customization.hostName")};
        const QStringList addr0{QStringLiteral("customization.nics[0].address")};
        const QStringList addr1{QStringLiteral("customization.nics[1].address")};
        const QStringList gw0{QStringLiteral("customization.nics[0].gateway")};
        const QStringList gw1{QStringLiteral("customization.nics[1].gateway")};
        const QStringList prefix0{QStringLiteral("customization.nics[0].prefixLength")};

        // Host name: RFC 1123 label.
        row(
            "host: empty", [](VmSpec& s) { s.customization.hostName.clear(); }, host, "host name");
        row(
            "host: 63 chars ok", [](VmSpec& s) { s.customization.hostName = QString(63, u'a'); }, {}, "");
        row(
            "host: 64 chars", [](VmSpec& s) { s.customization.hostName = QString(64, u'a'); }, host, "at most 63");
        row(
            "host: underscore", [](VmSpec& s) { s.customization.hostName = QStringLiteral("web_01"); }, host, "\"_\"");
        row(
            "host: dot", [](VmSpec& s) { s.customization.hostName = QStringLiteral("web.01"); }, host, "\".\"");
        row(
            "host: leading dash", [](VmSpec& s) { s.customization.hostName = QStringLiteral("-web"); }, host, "begin");
        row(
            "host: trailing dash", [](VmSpec& s) { s.customization.hostName = QStringLiteral("web-"); }, host, "end");
        row(
            "host: leading digit ok", [](VmSpec& s) { s.customization.hostName = QStringLiteral("1web"); }, {}, "");
        row(
            "host: all digits", [](VmSpec& s) { s.customization.hostName = QStringLiteral("1234"); }, host, "digits");
        row(
            "host: non-ascii", [](VmSpec& s) { s.customization.hostName = QStringLiteral("wéb"); }, host, "a-z");

        // Domain and time zone.
        row(
            "domain: empty ok", [](VmSpec& s) { s.customization.domain.clear(); }, {}, "");
        row(
            "domain: single label ok", [](VmSpec& s) { s.customization.domain = QStringLiteral("lan"); }, {}, "");
        row(
            "domain: trailing dot", [](VmSpec& s) { s.customization.domain = QStringLiteral("example.com."); },
            {QStringLiteral("customization.domain")}, "final dot");
        row(
            "domain: empty label", [](VmSpec& s) { s.customization.domain = QStringLiteral("a..com"); },
            {QStringLiteral("customization.domain")}, "empty part");
        row(
            "domain: bad char", [](VmSpec& s) { s.customization.domain = QStringLiteral("ex ample.com"); },
            {QStringLiteral("customization.domain")}, "ex ample");
        row(
            "domain: too long",
            [](VmSpec& s) {
                const QString label(63, u'a');
                s.customization.domain = QStringList{label, label, label, label}.join(u'.'); // 255
            },
            {QStringLiteral("customization.domain")}, "at most 253");
        row(
            "tz: UTC ok", [](VmSpec& s) { s.customization.timeZone = QStringLiteral("UTC"); }, {}, "");
        row(
            "tz: three parts ok",
            [](VmSpec& s) { s.customization.timeZone = QStringLiteral("America/Argentina/Buenos_Aires"); }, {}, "");
        row(
            "tz: Etc/GMT+5 ok", [](VmSpec& s) { s.customization.timeZone = QStringLiteral("Etc/GMT+5"); }, {}, "");
        row(
            "tz: space", [](VmSpec& s) { s.customization.timeZone = QStringLiteral("Europe/New York"); },
            {QStringLiteral("customization.timeZone")}, "time zone name");
        row(
            "tz: offset", [](VmSpec& s) { s.customization.timeZone = QStringLiteral("+02:00"); },
            {QStringLiteral("customization.timeZone")}, "time zone name");

        // Static addresses.
        row(
            "addr: missing", [](VmSpec& s) { s.customization.nics[0].address.clear(); }, addr0, "or choose DHCP");
        row(
            "addr: not ipv4", [](VmSpec& s) { s.customization.nics[0].address = QStringLiteral("10.0.0"); }, addr0,
            "not an IPv4");
        row(
            "addr: octet 256", [](VmSpec& s) { s.customization.nics[0].address = QStringLiteral("10.0.0.256"); }, addr0,
            "not an IPv4");
        row(
            "addr: leading zero", [](VmSpec& s) { s.customization.nics[0].address = QStringLiteral("10.0.0.011"); },
            addr0, "not an IPv4");
        row(
            "addr: network", [](VmSpec& s) { s.customization.nics[0].address = QStringLiteral("10.0.0.0"); }, addr0,
            "network address");
        row(
            "addr: broadcast", [](VmSpec& s) { s.customization.nics[0].address = QStringLiteral("10.0.0.255"); }, addr0,
            "broadcast");
        row(
            "addr: /31 edge ok",
            [](VmSpec& s) {
                s.customization.nics[1] = NicAddress{false, QStringLiteral("192.168.10.0"), 31, QString()};
            },
            {}, "");
        row(
            "addr: /32 ok",
            [](VmSpec& s) {
                s.customization.nics[1] = NicAddress{false, QStringLiteral("192.168.10.7"), 32, QString()};
            },
            {}, "");
        row(
            "addr: loopback", [](VmSpec& s) { s.customization.nics[0].address = QStringLiteral("127.0.0.5"); }, addr0,
            "loopback");
        row(
            "addr: multicast", [](VmSpec& s) { s.customization.nics[0].address = QStringLiteral("224.0.0.5"); }, addr0,
            "multicast");
        row(
            "prefix: 0", [](VmSpec& s) { s.customization.nics[0].prefixLength = 0; }, prefix0, "between 1 and 32");
        row(
            "prefix: 33", [](VmSpec& s) { s.customization.nics[0].prefixLength = 33; }, prefix0, "between 1 and 32");
        row(
            "gw: other subnet", [](VmSpec& s) { s.customization.nics[0].gateway = QStringLiteral("10.0.1.1"); }, gw0,
            "not on NIC 1's subnet 10.0.0.0/24");
        row(
            "gw: own address", [](VmSpec& s) { s.customization.nics[0].gateway = QStringLiteral("10.0.0.11"); }, gw0,
            "own address");
        row(
            "gw: broadcast", [](VmSpec& s) { s.customization.nics[0].gateway = QStringLiteral("10.0.0.255"); }, gw0,
            "broadcast");
        row(
            "gw: not ipv4", [](VmSpec& s) { s.customization.nics[1].gateway = QStringLiteral("router"); }, gw1,
            "not an IPv4");
        row(
            "gw: on /28 ok", [](VmSpec& s) { s.customization.nics[1].gateway = QStringLiteral("192.168.10.14"); }, {},
            "");
        row(
            "gw: just past /28", [](VmSpec& s) { s.customization.nics[1].gateway = QStringLiteral("192.168.10.17"); },
            gw1, "192.168.10.0/28");
        row(
            "dup addr",
            [](VmSpec& s) {
                s.customization.nics[1] = NicAddress{false, QStringLiteral("10.0.0.11"), 24, QString()};
            },
            addr1, "NIC 1's address");
        row(
            "dhcp with address", [](VmSpec& s) { s.customization.nics[1].dhcp = true; }, addr1, "DHCP");
        row(
            "more addresses than NICs", [](VmSpec& s) { s.customization.nics.append(NicAddress{}); },
            {QStringLiteral("customization.nics")}, "3 NIC addresses are given for 2");
        row(
            "fewer addresses ok", [](VmSpec& s) { s.customization.nics.removeLast(); }, {}, "");

        // DNS.
        row(
            "dns: not ipv4", [](VmSpec& s) { s.customization.dnsServers = {QStringLiteral("dns1")}; },
            {QStringLiteral("customization.dnsServers[0]")}, "not an IPv4");
        row(
            "dns: second bad", [](VmSpec& s) { s.customization.dnsServers.append(QStringLiteral("1.2.3")); },
            {QStringLiteral("customization.dnsServers[1]")}, "not an IPv4");
        row(
            "dns: four",
            [](VmSpec& s) {
                s.customization.dnsServers = {QStringLiteral("1.1.1.1"), QStringLiteral("1.0.0.1"),
                                              QStringLiteral("8.8.8.8"), QStringLiteral("8.8.4.4")};
            },
            {QStringLiteral("customization.dnsServers")}, "at most 3");
        row(
            "suffix: bad", [](VmSpec& s) { s.customization.dnsSuffixes = {QStringLiteral("example..com")}; },
            {QStringLiteral("customization.dnsSuffixes[0]")}, "empty part");

        // Saved specification, and customization on a blank VM.
        row(
            "saved: no name",
            [](VmSpec& s) {
                s.customization = {};
                s.customization.mode = GuestCustomization::Mode::SavedSpec;
            },
            {QStringLiteral("customization.specName")}, "Choose a customization specification");
        row(
            "saved: name ok",
            [](VmSpec& s) {
                s.customization = {};
                s.customization.mode = GuestCustomization::Mode::SavedSpec;
                s.customization.specName = QStringLiteral("vcsim-linux");
            },
            {}, "");
        row(
            "saved: blank edges",
            [](VmSpec& s) {
                s.customization = {};
                s.customization.mode = GuestCustomization::Mode::SavedSpec;
                s.customization.specName = QStringLiteral(" linux ");
            },
            {QStringLiteral("customization.specName")}, "space");
        row(
            "blank VM refuses it",
            [](VmSpec& s) {
                s.templateName.clear();
                s.cpus = 1;
                s.memoryMiB = 1024;
                s.disks = {DiskSpec{1024, true}};
            },
            {QStringLiteral("customization")}, "needs a template");
    }

    void eachRuleNamesItsField()
    {
        QFETCH(Change, change);
        QFETCH(QStringList, fields);
        QFETCH(QString, wording);
        VmSpec spec = cloneSpec();
        change(spec);
        const QList<FieldProblem> problems = spec.validate();
        QCOMPARE(fieldsOf(problems), fields);
        if (!wording.isEmpty())
            QVERIFY2(problems.front().message.contains(wording), qPrintable(problems.front().message));
    }

    void everyProblemIsReportedAtOnce()
    {
        VmSpec spec = cloneSpec();
        spec.customization.hostName = QStringLiteral("bad_host");
        spec.customization.timeZone = QStringLiteral("nowhere at all");
        spec.customization.nics[0].gateway = QStringLiteral("10.9.9.9");
        spec.customization.nics[1].prefixLength = 40;
        spec.customization.dnsServers = {QStringLiteral("x")};
        QCOMPARE(fieldsOf(spec.validate()),
                 (QStringList{QStringLiteral("customization.hostName"), QStringLiteral("customization.timeZone"),
                              QStringLiteral("customization.nics[0].gateway"),
                              QStringLiteral("customization.nics[1].prefixLength"),
                              QStringLiteral("customization.dnsServers[0]")}));
    }

    void ipv4ParsesStrictlyAndFormatsBack_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::newRow("plain") << QStringLiteral("192.168.0.1") << true;
        QTest::newRow("zeros") << QStringLiteral("0.0.0.0") << true;
        QTest::newRow("max") << QStringLiteral("255.255.255.255") << true;
        QTest::newRow("five parts") << QStringLiteral("1.2.3.4.5") << false;
        QTest::newRow("empty part") << QStringLiteral("1..3.4") << false;
        QTest::newRow("sign") << QStringLiteral("1.2.3.+4") << false;
        QTest::newRow("octal-looking") << QStringLiteral("01.2.3.4") << false;
        QTest::newRow("space") << QStringLiteral(" 1.2.3.4") << false;
        QTest::newRow("arabic-indic digits") << QStringLiteral("١.2.3.4") << false;
    }

    void ipv4ParsesStrictlyAndFormatsBack()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        const auto parsed = Ipv4::parse(text);
        QCOMPARE(parsed.has_value(), valid);
        if (valid)
            QCOMPARE(Ipv4::format(*parsed), text);
    }
};

QTEST_GUILESS_MAIN(TestCustomizationRules)
#include "TestCustomizationRules.moc"
