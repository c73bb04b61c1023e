// Pins VmSpec::validate() (every rule, valid and invalid edges, every problem at once, operator wording)
// and the JSON form the store and dcmctl use (round trip, clear errors for wrong types).
#include "domain/VmSpec.h"

#include <functional>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>
#include <QTest>

#include "DomainQCompare.h"

using namespace dcm;

namespace {

VmSpec validSpec()
{
    VmSpec spec;
    spec.name = QStringLiteral("web-01");
    spec.cpus = 4;
    spec.coresPerSocket = 2;
    spec.memoryMiB = 8192;
    spec.disks = {DiskSpec{40960, true}};
    spec.nics = {dcm::NicSpec{QStringLiteral("VM Network")}};
    spec.datastore = QStringLiteral("datastore1");
    spec.datacenter = QStringLiteral("DC0");
    spec.cluster = QStringLiteral("DC0_C0");
    spec.guestId = QStringLiteral("ubuntu64Guest");
    return spec;
}

VmSpec with(const std::function<void(VmSpec&)>& change)
{
    VmSpec spec = validSpec();
    change(spec);
    return spec;
}

QStringList fieldsOf(const QList<FieldProblem>& problems)
{
    QStringList fields;
    for (const FieldProblem& p : problems) {
        fields.append(p.field);
    }
    return fields;
}

constexpr qint64 tib = qint64(1024) * 1024; // in MiB

} // namespace

class TestVmSpec : public QObject
{
    Q_OBJECT

private slots:
    void validSpecHasNoProblems() { QCOMPARE(validSpec().validate(), QList<FieldProblem>()); }

    // One rule per row: a valid spec with one change, and the single problem it must cause (or none).
    void rule_data()
    {
        QTest::addColumn<VmSpec>("spec");
        QTest::addColumn<QString>("field");   // empty: the spec must be valid
        QTest::addColumn<QString>("message"); // a part of the operator message

        auto ok = [](const char* tag, const std::function<void(VmSpec&)>& change) {
            QTest::newRow(tag) << with(change) << QString() << QString();
        };
        auto bad = [](const char* tag, const std::function<void(VmSpec&)>& change, const char* field,
                      const QString& message) {
            QTest::newRow(tag) << with(change) << QString::fromLatin1(field) << message;
        };

        // name
        ok("name: 1 character", [](VmSpec& s) { s.name = QStringLiteral("a"); });
        ok("name: 80 characters", [](VmSpec& s) { s.name = QString(80, u'a'); });
        ok("name: 80 characters outside the BMP count as 80",
           [](VmSpec& s) { s.name = QString::fromUcs4(std::u32string(80, U'\U0001F600').c_str(), 80); });
        ok("name: accents and spaces inside", [](VmSpec& s) { s.name = QStringLiteral("Zürich web é 01"); });
        bad(
            "name: empty", [](VmSpec& s) { s.name.clear(); }, "name", QStringLiteral("Enter a name"));
        bad(
            "name: only blanks", [](VmSpec& s) { s.name = QStringLiteral("   "); }, "name",
            QStringLiteral("Enter a name"));
        bad(
            "name: 81 characters", [](VmSpec& s) { s.name = QString(81, u'a'); }, "name",
            QStringLiteral("81 characters long; at most 80"));
        bad(
            "name: leading blank", [](VmSpec& s) { s.name = QStringLiteral(" web"); }, "name",
            QStringLiteral("begin or end with a space"));
        bad(
            "name: trailing blank", [](VmSpec& s) { s.name = QStringLiteral("web "); }, "name",
            QStringLiteral("begin or end with a space"));
        bad(
            "name: tab", [](VmSpec& s) { s.name = QStringLiteral("web\t01"); }, "name",
            QStringLiteral("control characters"));
        bad(
            "name: line break", [](VmSpec& s) { s.name = QStringLiteral("web\n01"); }, "name",
            QStringLiteral("control characters"));
        bad(
            "name: NUL", [](VmSpec& s) { s.name = QStringLiteral("web") + QChar(0) + QStringLiteral("01"); }, "name",
            QStringLiteral("control characters"));
        bad(
            "name: percent", [](VmSpec& s) { s.name = QStringLiteral("web%01"); }, "name",
            QStringLiteral("must not contain \"%\": vCenter would store it escaped"));
        bad(
            "name: slash", [](VmSpec& s) { s.name = QStringLiteral("web/01"); }, "name",
            QStringLiteral("must not contain \"/\""));
        bad(
            "name: backslash", [](VmSpec& s) { s.name = QStringLiteral("web\\01"); }, "name",
            QStringLiteral("must not contain \"\\\""));
        bad(
            "name: all three escaped characters", [](VmSpec& s) { s.name = QStringLiteral("a%b/c\\d"); }, "name",
            QStringLiteral("\"%\", \"/\" or \"\\\""));

        // cpus and cores per socket
        ok("cpus: 1", [](VmSpec& s) { s.cpus = 1, s.coresPerSocket = 1; });
        ok("cpus: 768", [](VmSpec& s) { s.cpus = 768, s.coresPerSocket = 1; });
        bad(
            "cpus: 0", [](VmSpec& s) { s.cpus = 0; }, "cpus", QStringLiteral("between 1 and 768"));
        bad(
            "cpus: -1", [](VmSpec& s) { s.cpus = -1; }, "cpus", QStringLiteral("(-1 requested)"));
        bad(
            "cpus: 769", [](VmSpec& s) { s.cpus = 769, s.coresPerSocket = 1; }, "cpus",
            QStringLiteral("between 1 and 768"));
        ok("cores per socket: equal to cpus", [](VmSpec& s) { s.cpus = 4, s.coresPerSocket = 4; });
        ok("cores per socket: 1", [](VmSpec& s) { s.coresPerSocket = 1; });
        bad(
            "cores per socket: 0", [](VmSpec& s) { s.coresPerSocket = 0; }, "coresPerSocket",
            QStringLiteral("at least 1"));
        bad(
            "cores per socket: 3 of 4", [](VmSpec& s) { s.coresPerSocket = 3; }, "coresPerSocket",
            QStringLiteral("4 CPUs cannot be split into sockets of 3 cores; choose 1, 2 or 4"));
        bad(
            "cores per socket: more than cpus", [](VmSpec& s) { s.coresPerSocket = 8; }, "coresPerSocket",
            QStringLiteral("sockets of 8 cores"));

        // memory
        ok("memory: 4 MiB", [](VmSpec& s) { s.memoryMiB = 4; });
        ok("memory: 24 TiB", [](VmSpec& s) { s.memoryMiB = 24 * tib; });
        bad(
            "memory: 0", [](VmSpec& s) { s.memoryMiB = 0; }, "memoryMiB", QStringLiteral("at least 4 MiB"));
        bad(
            "memory: 3 MiB", [](VmSpec& s) { s.memoryMiB = 3; }, "memoryMiB", QStringLiteral("at least 4 MiB"));
        bad(
            "memory: not a multiple of 4", [](VmSpec& s) { s.memoryMiB = 4095; }, "memoryMiB",
            QStringLiteral("multiple of 4 MiB: choose 4092 or 4096 MiB"));
        bad(
            "memory: 24 TiB + 4 MiB", [](VmSpec& s) { s.memoryMiB = 24 * tib + 4; }, "memoryMiB",
            QStringLiteral("at most 24 TiB"));

        // disks
        ok("disks: 60", [](VmSpec& s) { s.disks = QList<DiskSpec>(60, DiskSpec{1024, true}); });
        ok("disks: 1 MiB", [](VmSpec& s) { s.disks = {DiskSpec{1, false}}; });
        ok("disks: 62 TiB", [](VmSpec& s) { s.disks = {DiskSpec{62 * tib, true}}; });
        bad(
            "disks: none", [](VmSpec& s) { s.disks.clear(); }, "disks", QStringLiteral("Add at least one disk"));
        bad(
            "disks: 61",
            [](VmSpec& s) {
                s.disks = QList<DiskSpec>(61, DiskSpec{1024, true});
            },
            "disks", QStringLiteral("at most 60 disks; this one has 61"));
        bad(
            "disks: size 0",
            [](VmSpec& s) {
                s.disks = {DiskSpec{0, true}};
            },
            "disks[0].sizeMiB", QStringLiteral("Disk 1 must be at least 1 MiB"));
        bad(
            "disks: second disk negative",
            [](VmSpec& s) {
                s.disks = {DiskSpec{10, true}, DiskSpec{-5, true}};
            },
            "disks[1].sizeMiB", QStringLiteral("Disk 2 must be at least 1 MiB"));
        bad(
            "disks: 62 TiB + 1 MiB",
            [](VmSpec& s) {
                s.disks = {DiskSpec{62 * tib + 1, true}};
            },
            "disks[0].sizeMiB", QStringLiteral("at most 62 TiB"));

        // placement
        bad(
            "datacenter: missing", [](VmSpec& s) { s.datacenter.clear(); }, "datacenter",
            QStringLiteral("Choose a datacenter"));
        bad(
            "datacenter: trailing blank", [](VmSpec& s) { s.datacenter = QStringLiteral("DC0 "); }, "datacenter",
            QStringLiteral("begin or end with a space"));
        ok("pool instead of cluster", [](VmSpec& s) {
            s.cluster.clear();
            s.resourcePool = QStringLiteral("DC0_C0/Resources/prod");
        });
        bad(
            "cluster and pool: neither", [](VmSpec& s) { s.cluster.clear(); }, "cluster",
            QStringLiteral("Choose a cluster or a resource pool"));
        bad(
            "cluster and pool: both", [](VmSpec& s) { s.resourcePool = QStringLiteral("Resources"); }, "cluster",
            QStringLiteral("either a cluster or a resource pool, not both"));
        bad(
            "cluster: blanks only", [](VmSpec& s) { s.cluster = QStringLiteral("  "); }, "cluster",
            QStringLiteral("Choose a cluster"));
        bad(
            "pool: control character",
            [](VmSpec& s) {
                s.cluster.clear();
                s.resourcePool = QStringLiteral("Resources\x01");
            },
            "cluster", QStringLiteral("resource pool must not contain control characters"));
        bad(
            "datastore: missing", [](VmSpec& s) { s.datastore.clear(); }, "datastore",
            QStringLiteral("Choose a datastore"));
        bad(
            "datastore: line break", [](VmSpec& s) { s.datastore = QStringLiteral("ds\n1"); }, "datastore",
            QStringLiteral("control characters"));
        bad(
            "network: missing", [](VmSpec& s) { s.nics[0].network.clear(); }, "nics[0].network",
            QStringLiteral("Choose a network"));
        ok("host: given", [](VmSpec& s) { s.host = QStringLiteral("esx-01.example.com"); });
        bad(
            "host: blanks only", [](VmSpec& s) { s.host = QStringLiteral(" "); }, "host",
            QStringLiteral("The host is blank"));

        // folder
        ok("folder: empty is the root VM folder", [](VmSpec& s) { s.folder.clear(); });
        ok("folder: path", [](VmSpec& s) { s.folder = QStringLiteral("Prod/Web"); });
        ok("folder: leading and trailing slash", [](VmSpec& s) { s.folder = QStringLiteral("/Prod/Web/"); });
        bad(
            "folder: doubled slash", [](VmSpec& s) { s.folder = QStringLiteral("Prod//Web"); }, "folder",
            QStringLiteral("empty part"));
        bad(
            "folder: only a slash", [](VmSpec& s) { s.folder = QStringLiteral("/"); }, "folder",
            QStringLiteral("empty part"));
        bad(
            "folder: blank around a name", [](VmSpec& s) { s.folder = QStringLiteral("Prod/ Web"); }, "folder",
            QStringLiteral("must not begin or end with a space"));
        bad(
            "folder: percent", [](VmSpec& s) { s.folder = QStringLiteral("Prod/50%"); }, "folder",
            QStringLiteral("stores them escaped"));
        bad(
            "folder: name of 81 characters", [](VmSpec& s) { s.folder = QStringLiteral("Prod/") + QString(81, u'f'); },
            "folder", QStringLiteral("at most 80 characters"));

        // guest OS
        ok("guest id: empty means the default", [](VmSpec& s) { s.guestId.clear(); });
        ok("guest id: known", [](VmSpec& s) { s.guestId = QStringLiteral("windows2019srvNext_64Guest"); });
        bad(
            "guest id: wrong case", [](VmSpec& s) { s.guestId = QStringLiteral("Ubuntu64guest"); }, "guestId",
            QStringLiteral("did you mean \"ubuntu64Guest\""));
        bad(
            "guest id: unknown", [](VmSpec& s) { s.guestId = QStringLiteral("plan9Guest"); }, "guestId",
            QStringLiteral("Unknown guest OS \"plan9Guest\"; choose one from the list"));

        // annotation
        ok("annotation: 4096 characters", [](VmSpec& s) { s.annotation = QString(4096, u'n'); });
        ok("annotation: tabs and line breaks",
           [](VmSpec& s) { s.annotation = QStringLiteral("owner:\tops\r\nticket 7"); });
        bad(
            "annotation: 4097 characters", [](VmSpec& s) { s.annotation = QString(4097, u'n'); }, "annotation",
            QStringLiteral("4097 characters long; at most 4096"));
        bad(
            "annotation: escape character", [](VmSpec& s) { s.annotation = QStringLiteral("a\x1b[31mb"); },
            "annotation", QStringLiteral("control characters other than tabs and line breaks"));
    }

    void rule()
    {
        QFETCH(VmSpec, spec);
        QFETCH(QString, field);
        QFETCH(QString, message);

        const QList<FieldProblem> problems = spec.validate();
        if (field.isEmpty()) {
            QCOMPARE(problems, QList<FieldProblem>());
            return;
        }
        QCOMPARE(fieldsOf(problems), QStringList{field});
        QVERIFY2(problems.front().message.contains(message), qPrintable(problems.front().message));
    }

    // The GUI shows every problem inline and dcmctl prints them all: one call must report them all.
    void everyProblemAtOnce()
    {
        VmSpec spec;
        spec.name = QStringLiteral("bad/name");
        spec.cpus = 0;
        spec.coresPerSocket = 0;
        spec.memoryMiB = 5;
        spec.disks = {DiskSpec{10, true}, DiskSpec{0, true}};
        spec.host = QStringLiteral("\t");
        spec.folder = QStringLiteral("a//b");
        spec.guestId = QStringLiteral("nope");
        spec.annotation = QString(5000, u'x');

        QCOMPARE(fieldsOf(spec.validate()),
                 (QStringList{QStringLiteral("name"), QStringLiteral("cpus"), QStringLiteral("coresPerSocket"),
                              QStringLiteral("memoryMiB"), QStringLiteral("disks[1].sizeMiB"),
                              QStringLiteral("datacenter"), QStringLiteral("cluster"), QStringLiteral("host"),
                              QStringLiteral("datastore"), QStringLiteral("nics"), QStringLiteral("folder"),
                              QStringLiteral("guestId"), QStringLiteral("annotation")}));
    }

    // Each distinct fix is its own problem, so the operator sees both at once.
    void nameProblemsAreReportedSeparately()
    {
        VmSpec spec = validSpec();
        spec.name = QStringLiteral(" a/b");
        const auto problems = spec.validate();
        QCOMPARE(fieldsOf(problems), (QStringList{QStringLiteral("name"), QStringLiteral("name")}));
        QVERIFY(problems[0].message.contains(QStringLiteral("space")));
        QVERIFY(problems[1].message.contains(QStringLiteral("%2f")));
    }

    void cpuDivisibilityIsNotJudgedWhenCpusAreInvalid()
    {
        VmSpec spec = validSpec();
        spec.cpus = 1000;
        spec.coresPerSocket = 3;
        QCOMPARE(fieldsOf(spec.validate()), QStringList{QStringLiteral("cpus")});
    }

    void toErrorListsEveryProblem()
    {
        const Error error = toError({FieldProblem{QStringLiteral("cpus"), QStringLiteral("Too many.")},
                                     FieldProblem{QStringLiteral("name"), QStringLiteral("Missing.")}});
        QCOMPARE(error.kind, ErrorKind::InvalidInput);
        QCOMPARE(error.code, QStringLiteral("invalid-spec"));
        QCOMPARE(error.message, QStringLiteral("cpus: Too many.; name: Missing."));
        const QVariantList problems = error.details.value(QStringLiteral("problems")).toList();
        QCOMPARE(problems.size(), 2);
        QCOMPARE(problems[1].toMap().value(QStringLiteral("field")).toString(), QStringLiteral("name"));
    }

    void jsonRoundTrip_data()
    {
        QTest::addColumn<VmSpec>("spec");
        QTest::newRow("valid") << validSpec();
        QTest::newRow("defaults") << VmSpec();
        QTest::newRow("everything set") << with([](VmSpec& s) {
            s.disks = {DiskSpec{62 * tib, false}, DiskSpec{1, true}, DiskSpec{2048, false}};
            s.memoryMiB = 24 * tib;
            s.folder = QStringLiteral("/Prod/Web");
            s.cluster.clear();
            s.resourcePool = QStringLiteral("Resources/prod");
            s.host = QStringLiteral("esx-01");
            s.annotation = QStringLiteral("Zürich\nline two \"quoted\"");
            s.powerOn = true;
        });
        QTest::newRow("invalid values survive too") << with([](VmSpec& s) {
            s.cpus = -3;
            s.name = QStringLiteral("a/b%c");
        });
    }

    void jsonRoundTrip()
    {
        QFETCH(VmSpec, spec);
        // Through text, as the store and spec files hold it.
        const QByteArray text = QJsonDocument(spec.toJson()).toJson(QJsonDocument::Compact);
        const auto parsed = VmSpec::fromJson(QJsonDocument::fromJson(text).object());
        QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
        QCOMPARE(parsed.value(), spec);
    }

    void jsonUsesTheDocumentedKeys()
    {
        const QStringList keys = validSpec().toJson().keys();
        QCOMPARE(keys, (QStringList{QStringLiteral("annotation"), QStringLiteral("cloneDiskFormat"),
                                    QStringLiteral("cluster"), QStringLiteral("coresPerSocket"), QStringLiteral("cpus"),
                                    QStringLiteral("customization"), QStringLiteral("datacenter"),
                                    QStringLiteral("datastore"), QStringLiteral("disks"), QStringLiteral("folder"),
                                    QStringLiteral("guestId"), QStringLiteral("host"), QStringLiteral("memoryMiB"),
                                    QStringLiteral("name"), QStringLiteral("nics"), QStringLiteral("powerOn"),
                                    QStringLiteral("resourcePool"), QStringLiteral("templateName")}));
        const QJsonObject disk = validSpec().toJson().value(QStringLiteral("disks")).toArray().at(0).toObject();
        QCOMPARE(disk.value(QStringLiteral("sizeMiB")).toInteger(), 40960);
        QCOMPARE(disk.value(QStringLiteral("thin")).toBool(), true);
    }

    void jsonMissingAndNullKeysKeepDefaults()
    {
        const auto parsed =
            VmSpec::fromJson(QJsonDocument::fromJson(R"({"name":"x","host":null,"disks":null,"cpus":null})").object());
        QVERIFY(parsed.ok());
        VmSpec expected;
        expected.name = QStringLiteral("x");
        QCOMPARE(parsed.value(), expected);
    }

    void jsonOutOfRangeSaysTheRange()
    {
        const auto parsed = VmSpec::fromJson(QJsonDocument::fromJson(R"({"cpus":4294967297})").object());
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().message,
                 QStringLiteral("cpus: the number 4294967297 is out of range (a whole number from -2147483648 to "
                                "2147483647)"));
    }

    void jsonExactIntegersAtTheEdgesAreKept()
    {
        const auto parsed = VmSpec::fromJson(
            QJsonDocument::fromJson(
                R"({"cpus":2147483647,"coresPerSocket":-2147483648,"memoryMiB":9007199254740992,"disks":[{"sizeMiB":-9007199254740992}]})")
                .object());
        QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
        QCOMPARE(parsed.value().cpus, 2147483647);
        QCOMPARE(parsed.value().coresPerSocket, -2147483647 - 1);
        QCOMPARE(parsed.value().memoryMiB, Q_INT64_C(9007199254740992));
        QCOMPARE(parsed.value().disks.at(0).sizeMiB, Q_INT64_C(-9007199254740992));
    }

    void jsonWrongTypes_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QStringList>("fields");
        QTest::addColumn<QString>("message");

        QTest::newRow("cpus as text") << QByteArray(R"({"cpus":"4"})") << QStringList{QStringLiteral("cpus")}
                                      << QStringLiteral("cpus: expected a whole number, got the text \"4\"");
        QTest::newRow("fractional cpus") << QByteArray(R"({"cpus":2.5})") << QStringList{QStringLiteral("cpus")}
                                         << QStringLiteral("got 2.5");
        QTest::newRow("cpus beyond int") << QByteArray(R"({"cpus":1e12})") << QStringList{QStringLiteral("cpus")}
                                         << QStringLiteral("out of range");
        QTest::newRow("cpus below int") << QByteArray(R"({"cpus":-2147483649})") << QStringList{QStringLiteral("cpus")}
                                        << QStringLiteral("cpus: the number -2147483649 is out of range");
        QTest::newRow("cpus that would wrap to 1")
            << QByteArray(R"({"cpus":4294967297})") << QStringList{QStringLiteral("cpus")}
            << QStringLiteral("cpus: the number 4294967297 is out of range");
        QTest::newRow("fractional cores")
            << QByteArray(R"({"coresPerSocket":1e-7})") << QStringList{QStringLiteral("coresPerSocket")}
            << QStringLiteral("coresPerSocket: expected a whole number");
        // Read as a double it would round to 2^53 and pass; it must not become another number.
        QTest::newRow("memory one past exact")
            << QByteArray(R"({"memoryMiB":9007199254740993})") << QStringList{QStringLiteral("memoryMiB")}
            << QStringLiteral("memoryMiB: the number 9007199254740993 is out of range");
        QTest::newRow("memory beyond int64")
            << QByteArray(R"({"memoryMiB":99999999999999999999})") << QStringList{QStringLiteral("memoryMiB")}
            << QStringLiteral("memoryMiB: the number 1e+20 is out of range");
        QTest::newRow("memory 1e300") << QByteArray(R"({"memoryMiB":1e300})")
                                      << QStringList{QStringLiteral("memoryMiB")} << QStringLiteral("out of range");
        QTest::newRow("disk size at int64 max")
            << QByteArray(R"({"disks":[{"sizeMiB":9223372036854775807}]})")
            << QStringList{QStringLiteral("disks[0].sizeMiB")} << QStringLiteral("disks[0].sizeMiB: the number");
        QTest::newRow("fractional disk size")
            << QByteArray(R"({"disks":[{"sizeMiB":1024.5}]})") << QStringList{QStringLiteral("disks[0].sizeMiB")}
            << QStringLiteral("disks[0].sizeMiB: expected a whole number, got 1024.5");
        QTest::newRow("memory as bool") << QByteArray(R"({"memoryMiB":true})")
                                        << QStringList{QStringLiteral("memoryMiB")} << QStringLiteral("got true");
        QTest::newRow("name as number") << QByteArray(R"({"name":5})") << QStringList{QStringLiteral("name")}
                                        << QStringLiteral("expected text, got 5");
        QTest::newRow("powerOn as text") << QByteArray(R"({"powerOn":"yes"})") << QStringList{QStringLiteral("powerOn")}
                                         << QStringLiteral("expected true or false");
        QTest::newRow("disks as object") << QByteArray(R"({"disks":{"sizeMiB":1}})")
                                         << QStringList{QStringLiteral("disks")}
                                         << QStringLiteral("expected a list of disks, got an object");
        QTest::newRow("disk as number") << QByteArray(R"({"disks":[10240]})") << QStringList{QStringLiteral("disks[0]")}
                                        << QStringLiteral("expected an object like");
        QTest::newRow("disk size as text") << QByteArray(R"({"disks":[{"sizeMiB":1},{"sizeMiB":"10"}]})")
                                           << QStringList{QStringLiteral("disks[1].sizeMiB")}
                                           << QStringLiteral("disks[1].sizeMiB: expected a whole number");
        QTest::newRow("misspelt disk key")
            << QByteArray(R"({"disks":[{"size":1}]})") << QStringList{QStringLiteral("disks[0].size")}
            << QStringLiteral("unknown field");
        QTest::newRow("misspelt key") << QByteArray(R"({"memoryMb":4096})") << QStringList{QStringLiteral("memoryMb")}
                                      << QStringLiteral("memoryMb: unknown field");
        QTest::newRow("several at once") << QByteArray(R"({"name":[],"cpus":"x","powerOn":1,"thin":true})")
                                         << QStringList{QStringLiteral("cpus"), QStringLiteral("name"),
                                                        QStringLiteral("powerOn"), QStringLiteral("thin")}
                                         << QStringLiteral("name: expected text, got a list");
    }

    void jsonWrongTypes()
    {
        QFETCH(QByteArray, json);
        QFETCH(QStringList, fields);
        QFETCH(QString, message);

        QJsonParseError parseError;
        const QJsonObject object = QJsonDocument::fromJson(json, &parseError).object();
        QCOMPARE(parseError.error, QJsonParseError::NoError);
        const auto parsed = VmSpec::fromJson(object);
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().kind, ErrorKind::InvalidInput);
        QCOMPARE(parsed.error().code, QStringLiteral("invalid-spec-json"));
        QVERIFY2(parsed.error().message.contains(message), qPrintable(parsed.error().message));
        QStringList reported;
        for (const QVariant& p : parsed.error().details.value(QStringLiteral("problems")).toList()) {
            reported.append(p.toMap().value(QStringLiteral("field")).toString());
        }
        reported.sort();
        QCOMPARE(reported, fields);
    }
};

QTEST_GUILESS_MAIN(TestVmSpec)
#include "TestVmSpec.moc"
