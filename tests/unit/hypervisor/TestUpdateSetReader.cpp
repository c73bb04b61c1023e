#include "hypervisor/vsphere/InventoryWatch.h"
#include "hypervisor/vsphere/SoapReplyReader.h"
#include "hypervisor/vsphere/UpdateSetReader.h"
#include "hypervisor/vsphere/XmlPushParser.h"

#include <QTest>

using namespace dcm::vsphere;

namespace {

QByteArray envelope(const QByteArray& response)
{
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
           "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" "
           "xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
           "<soapenv:Body><WaitForUpdatesExResponse xmlns=\"urn:vim25\">" +
           response + "</WaitForUpdatesExResponse></soapenv:Body></soapenv:Envelope>";
}

QByteArray change(const char* name, const char* op, const QByteArray& val = {})
{
    QByteArray c = QByteArray("<changeSet><name>") + name + "</name><op>" + op + "</op>";
    if (!val.isEmpty())
        c += val;
    return c + "</changeSet>";
}

QByteArray str(const char* text)
{
    return QByteArray("<val xsi:type=\"xsd:string\">") + text + "</val>";
}

// vcsim's shape: a VM entering the inventory watch with every path asked for.
const QByteArray kEnterVm =
    "<objectSet><kind>enter</kind><obj type=\"VirtualMachine\">vm-57</obj>" + change("name", "assign", str("web-1")) +
    change("parent", "assign", "<val type=\"Folder\" xsi:type=\"ManagedObjectReference\">folder-3</val>") +
    change("runtime.powerState", "assign", "<val xsi:type=\"VirtualMachinePowerState\">poweredOn</val>") +
    change("config.hardware.numCPU", "assign", "<val xsi:type=\"xsd:int\">4</val>") +
    change("config.hardware.memoryMB", "assign", "<val xsi:type=\"xsd:int\">8192</val>") +
    change("config.template", "assign", "<val xsi:type=\"xsd:boolean\">false</val>") +
    change("config.extraConfig", "assign",
           "<val xsi:type=\"ArrayOfOptionValue\"><OptionValue xsi:type=\"OptionValue\"><key>dcm.requestId</key>"
           "<value xsi:type=\"xsd:string\">6a1f</value></OptionValue></val>") +
    "</objectSet>";

struct Reply
{
    bool ok = false;
    QString rejection;
    XmlPushParser::Failure failure = XmlPushParser::Failure::None;
    std::vector<ObjectUpdate> updates;
    QString version;
    bool truncated = false;
    bool hasSet = false;
    std::vector<MoRef> missingObjects;
};

Reply read(const QByteArray& doc, qsizetype chunk = 64)
{
    Reply r;
    UpdateSetReader reader([&](ObjectUpdate&& u) {
        r.updates.push_back(std::move(u));
        return true;
    });
    SoapReplyReader soap(reader, "WaitForUpdatesExResponse");
    XmlPushParser parser(soap);
    r.ok = true;
    for (qsizetype at = 0; at < doc.size() && r.ok; at += chunk)
        r.ok = parser.feed(doc.constData() + at, std::min<qsizetype>(chunk, doc.size() - at));
    r.ok = r.ok && parser.finish() && soap.outcome() == SoapReplyReader::Outcome::Response;
    r.failure = parser.failure();
    r.rejection = reader.rejection();
    r.version = reader.version();
    r.truncated = reader.truncated();
    r.hasSet = reader.hasUpdateSet();
    r.missingObjects = reader.missingObjects();
    return r;
}

QByteArray updateSet(const QByteArray& filterSets, const QByteArray& version = "42",
                     const QByteArray& truncated = "false")
{
    return "<returnval><version>" + version + "</version>" + filterSets + "<truncated>" + truncated +
           "</truncated></returnval>";
}

QByteArray filterSet(const char* filter, const QByteArray& objectSets)
{
    return QByteArray("<filterSet><filter type=\"PropertyFilter\">") + filter + "</filter>" + objectSets +
           "</filterSet>";
}

} // namespace

class TestUpdateSetReader : public QObject
{
    Q_OBJECT
private slots:
    void enterCarriesEveryPathWithItsFilter()
    {
        for (qsizetype chunk : {qsizetype(1), qsizetype(7), qsizetype(4096)}) {
            const Reply r = read(envelope(updateSet(filterSet("session[1]f-1", kEnterVm))), chunk);
            QVERIFY2(r.ok, qPrintable(r.rejection));
            QVERIFY(r.hasSet);
            QCOMPARE(r.version, QStringLiteral("42"));
            QVERIFY(!r.truncated);
            QCOMPARE(r.updates.size(), size_t(1));
            const ObjectUpdate& u = r.updates.front();
            QCOMPARE(u.filter, QStringLiteral("session[1]f-1"));
            QVERIFY(u.kind == ObjectUpdate::Kind::Enter);
            QCOMPARE(u.obj, (MoRef{QStringLiteral("VirtualMachine"), QStringLiteral("vm-57")}));
            QCOMPARE(u.changes.size(), size_t(7));
            QVERIFY(u.change("name"));
            QCOMPARE(u.change("name")->val.string(), QStringLiteral("web-1"));
            QCOMPARE(u.change("parent")->val.typeAttr, QByteArray("Folder"));
            QVERIFY(u.change("config.template")->op == PropertyChange::Op::Assign);
        }
    }

    void enterBecomesAVmInfo()
    {
        const Reply r = read(envelope(updateSet(filterSet("f-1", kEnterVm))));
        QVERIFY(r.ok);
        dcm::VmInfo vm;
        InventoryWatch::apply(vm, r.updates.front());
        QCOMPARE(vm.name, QStringLiteral("web-1"));
        QCOMPARE(vm.parentRef, QStringLiteral("folder-3"));
        QCOMPARE(vm.powerState, QStringLiteral("poweredOn"));
        QCOMPARE(vm.cpus, 4);
        QCOMPARE(vm.memoryMiB, qint64(8192));
        QVERIFY(!vm.isTemplate);
        QCOMPARE(vm.requestId, QStringLiteral("6a1f"));
    }

    void modifyLeaveAndOpsAcrossFilters()
    {
        const QByteArray modify = "<objectSet><kind>modify</kind><obj type=\"VirtualMachine\">vm-57</obj>" +
                                  change("name", "assign", str("web-1-renamed")) +
                                  change("config.extraConfig", "remove") + "</objectSet>";
        const QByteArray leave = "<objectSet><kind>leave</kind><obj type=\"VirtualMachine\">vm-58</obj></objectSet>";
        const QByteArray task = "<objectSet><kind>modify</kind><obj type=\"Task\">task-9</obj>" +
                                change("info.state", "assign", "<val xsi:type=\"TaskInfoState\">success</val>") +
                                change("info.progress", "indirectRemove") + "</objectSet>";
        const Reply r =
            read(envelope(updateSet(filterSet("f-1", modify + leave) + filterSet("f-2", task), "43", "true")));
        QVERIFY2(r.ok, qPrintable(r.rejection));
        QVERIFY(r.truncated); // the rest is asked for at once
        QCOMPARE(r.updates.size(), size_t(3));
        QVERIFY(r.updates[0].kind == ObjectUpdate::Kind::Modify);
        QVERIFY(r.updates[0].change("config.extraConfig")->op == PropertyChange::Op::Remove);
        QVERIFY(!r.updates[0].change("config.extraConfig")->hasVal);
        QVERIFY(r.updates[1].kind == ObjectUpdate::Kind::Leave);
        QCOMPARE(r.updates[1].filter, QStringLiteral("f-1"));
        QCOMPARE(r.updates[2].filter, QStringLiteral("f-2"));
        QVERIFY(r.updates[2].change("info.progress")->op == PropertyChange::Op::IndirectRemove);

        dcm::VmInfo vm;
        vm.requestId = QStringLiteral("old");
        InventoryWatch::apply(vm, r.updates[0]);
        QCOMPARE(vm.name, QStringLiteral("web-1-renamed"));
        QVERIFY(vm.requestId.isEmpty()); // removed
    }

    void missingSetsAreKept()
    {
        const QByteArray obj =
            "<objectSet><kind>enter</kind><obj type=\"Task\">task-1</obj><missingSet><path>info.result</path>"
            "<fault><fault xsi:type=\"NoPermission\"><privilegeId>System.Read</privilegeId></fault>"
            "<localizedMessage>no</localizedMessage></fault></missingSet></objectSet>";
        const QByteArray filterMissing =
            "<missingSet><obj type=\"Task\">task-2</obj><fault><fault xsi:type=\"ManagedObjectNotFound\"/>"
            "</fault></missingSet>";
        const Reply r = read(envelope(updateSet("<filterSet><filter type=\"PropertyFilter\">f-1</filter>" + obj +
                                                filterMissing + "</filterSet>")));
        QVERIFY2(r.ok, qPrintable(r.rejection));
        QCOMPARE(r.updates.size(), size_t(1));
        QCOMPARE(r.updates[0].missing.size(), size_t(1));
        QCOMPARE(r.updates[0].missing[0].first, QByteArray("info.result"));
        QCOMPARE(r.updates[0].missing[0].second.type, QStringLiteral("NoPermission"));
        QCOMPARE(r.missingObjects.size(), size_t(1));
        QCOMPARE(r.missingObjects[0].value, QStringLiteral("task-2"));
    }

    void noReturnvalMeansNothingChanged()
    {
        // vcsim and vCenter answer an elapsed maxWaitSeconds with an empty response.
        const Reply r = read(envelope(QByteArray()));
        QVERIFY(r.ok);
        QVERIFY(!r.hasSet);
        QVERIFY(r.updates.empty());
    }

    void hostileUpdateSetsAreRefusedWithAReason_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("reason");
        QTest::newRow("unknown kind")
            << updateSet(filterSet(
                   "f-1", "<objectSet><kind>explode</kind><obj type=\"VirtualMachine\">vm-1</obj></objectSet>"))
            << QStringLiteral("kind 'explode'");
        QTest::newRow("unknown op")
            << updateSet(filterSet("f-1", "<objectSet><kind>modify</kind><obj type=\"VirtualMachine\">vm-1</obj>" +
                                              change("name", "replace", str("x")) + "</objectSet>"))
            << QStringLiteral("op 'replace'");
        QTest::newRow("change without name")
            << updateSet(filterSet("f-1", "<objectSet><kind>modify</kind><obj type=\"VirtualMachine\">vm-1</obj>"
                                          "<changeSet><op>assign</op></changeSet></objectSet>"))
            << QStringLiteral("has no name");
        QTest::newRow("object without obj")
            << updateSet(filterSet("f-1", "<objectSet><kind>enter</kind></objectSet>")) << QStringLiteral("no obj");
        QTest::newRow("objectSet before its filter")
            << updateSet("<filterSet><objectSet><kind>enter</kind><obj type=\"Task\">t</obj></objectSet>"
                         "<filter>f-1</filter></filterSet>")
            << QStringLiteral("before its filter");
        QTest::newRow("no version") << QByteArray("<returnval><truncated>false</truncated></returnval>")
                                    << QStringLiteral("no version");
        QTest::newRow("truncated not a boolean") << updateSet({}, "1", "perhaps") << QStringLiteral("truncated");
        QTest::newRow("element inside a text field")
            << updateSet(filterSet("f-1", "<objectSet><kind><b>enter</b></kind></objectSet>"))
            << QStringLiteral("inside a text field");
        QByteArray deep;
        for (int i = 0; i < 100; ++i)
            deep += "<a>";
        for (int i = 0; i < 100; ++i)
            deep += "</a>";
        QTest::newRow("value nested too deep")
            << updateSet(filterSet(
                   "f-1",
                   "<objectSet><kind>modify</kind><obj type=\"VirtualMachine\">vm-1</obj><changeSet><name>n</name>"
                   "<op>assign</op><val>" +
                       deep + "</val></changeSet></objectSet>"))
            << QStringLiteral("too deep");
    }

    void hostileUpdateSetsAreRefusedWithAReason()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, reason);
        const Reply r = read(envelope(body));
        QVERIFY(!r.ok);
        QVERIFY(r.failure == XmlPushParser::Failure::Rejected);
        QVERIFY2(r.rejection.contains(reason), qPrintable(r.rejection));
    }

    void truncatedReplyFailsWithoutCrashing()
    {
        const QByteArray doc = envelope(updateSet(filterSet("f-1", kEnterVm + kEnterVm)));
        for (qsizetype cut : {doc.size() / 3, doc.size() / 2, doc.size() - 20}) {
            const Reply r = read(doc.left(cut));
            QVERIFY(!r.ok);
            QVERIFY(r.failure == XmlPushParser::Failure::Malformed || r.failure == XmlPushParser::Failure::None);
        }
    }

    void refusingSinkStopsTheParse()
    {
        UpdateSetReader reader([](ObjectUpdate&&) { return false; });
        SoapReplyReader soap(reader, "WaitForUpdatesExResponse");
        XmlPushParser parser(soap);
        const QByteArray doc = envelope(updateSet(filterSet("f-1", kEnterVm)));
        QVERIFY(!parser.feed(doc.constData(), doc.size()));
        QVERIFY(reader.rejection().contains(QStringLiteral("vm-57")));
    }

    void resetForgetsThePreviousReply()
    {
        int seen = 0;
        UpdateSetReader reader([&](ObjectUpdate&&) {
            ++seen;
            return true;
        });
        {
            SoapReplyReader soap(reader, "WaitForUpdatesExResponse");
            XmlPushParser parser(soap);
            const QByteArray doc = envelope(updateSet(filterSet("f-1", kEnterVm), "7", "true"));
            QVERIFY(parser.feed(doc.constData(), doc.size()) && parser.finish());
        }
        QVERIFY(reader.truncated());
        reader.reset();
        QVERIFY(!reader.truncated());
        QVERIFY(!reader.hasUpdateSet());
        QVERIFY(reader.version().isEmpty());
        QCOMPARE(seen, 1);
    }
};

QTEST_GUILESS_MAIN(TestUpdateSetReader)
#include "TestUpdateSetReader.moc"
