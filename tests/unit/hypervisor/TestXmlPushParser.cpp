#include "FakeVcenter.h"

#include "hypervisor/vsphere/XmlEventHandler.h"
#include "hypervisor/vsphere/XmlPushParser.h"

#include <QElapsedTimer>
#include <QTest>

using namespace dcm::vsphere;

namespace {

// Records the events as a compact trace: "<ns|name|xsiType|type>", text, "/".
class Recorder final : public XmlEventHandler
{
public:
    bool startElement(const XmlStartTag& tag) override
    {
        trace += "<" + QByteArray(tag.namespaceUri.data(), qsizetype(tag.namespaceUri.size())) + "|" +
                 QByteArray(tag.localName.data(), qsizetype(tag.localName.size())) + "|" +
                 QByteArray(tag.xsiType.data(), qsizetype(tag.xsiType.size())) + "|" +
                 QByteArray(tag.typeAttribute.data(), qsizetype(tag.typeAttribute.size())) + ">";
        return !(refuseAt == QByteArray(tag.localName.data(), qsizetype(tag.localName.size())));
    }
    bool characters(std::string_view text) override
    {
        trace += QByteArray(text.data(), qsizetype(text.size()));
        return true;
    }
    bool endElement() override
    {
        trace += "/";
        return true;
    }
    QString rejection() const override { return QStringLiteral("refused %1").arg(QString::fromLatin1(refuseAt)); }
    void reset() override { trace.clear(); }

    QByteArray trace;
    QByteArray refuseAt;
};

bool parseInChunks(XmlPushParser& parser, const QByteArray& doc, int chunk)
{
    for (qsizetype at = 0; at < doc.size(); at += chunk) {
        if (!parser.feed(doc.constData() + at, std::min<qsizetype>(chunk, doc.size() - at)))
            return false;
    }
    return parser.finish();
}

} // namespace

class TestXmlPushParser : public QObject
{
    Q_OBJECT
private slots:
    // The same events whatever the chunking: a reply split at any byte parses identically.
    void chunkingDoesNotChangeEvents()
    {
        const QByteArray doc = FakeVcenter::fixture(QStringLiteral("RetrievePropertiesEx-inventory-full.xml"));
        Recorder whole;
        XmlPushParser p1(whole);
        QVERIFY(parseInChunks(p1, doc, int(doc.size())));
        for (int chunk : {1, 7, 64, 4096}) {
            Recorder r;
            XmlPushParser p(r);
            QVERIFY2(parseInChunks(p, doc, chunk), qPrintable(p.errorMessage()));
            QCOMPARE(r.trace, whole.trace);
        }
        QVERIFY(whole.trace.contains("<urn:vim25|val|string|>DC0/"));
        QVERIFY(whole.trace.contains("<urn:vim25|val|ManagedObjectReference|Folder>group-d1/"));
    }

    void xsiTypeIsResolvedByNamespaceNotPrefix()
    {
        // vcsim writes xsi:type with the prefix "XMLSchema-instance"; only the namespace URI counts.
        const QByteArray doc = "<a xmlns:x='http://www.w3.org/2001/XMLSchema-instance' xmlns:y='urn:other'>"
                               "<b x:type='xsd:int'>1</b><c y:type='Nope' type='Folder'>f</c></a>";
        Recorder r;
        XmlPushParser p(r);
        QVERIFY(parseInChunks(p, doc, 5));
        QCOMPARE(r.trace, QByteArray("<|a||><|b|int|>1/<|c||Folder>f//"));
    }

    void predefinedEntitiesAndCharacterReferencesAreText()
    {
        Recorder r;
        XmlPushParser p(r);
        QVERIFY(parseInChunks(p, "<a>&lt;&amp;&gt;&quot;&#65;&#x42;</a>", 3));
        QCOMPARE(r.trace, QByteArray("<|a||><&>\"AB/"));
    }

    void hostileDocumentsFailCleanly_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("failure");
        QTest::newRow("billion laughs") << "hostile-billion-laughs.xml" << int(XmlPushParser::Failure::Forbidden);
        QTest::newRow("external entity") << "hostile-external-entity.xml" << int(XmlPushParser::Failure::Forbidden);
        QTest::newRow("doctype") << "hostile-doctype.xml" << int(XmlPushParser::Failure::Forbidden);
        QTest::newRow("undeclared entity") << "hostile-undeclared-entity.xml" << int(XmlPushParser::Failure::Forbidden);
        QTest::newRow("truncated") << "broken-truncated.xml" << int(XmlPushParser::Failure::Malformed);
    }
    // Refused before any entity is declared or expanded: fast, small, and nothing from the file system.
    void hostileDocumentsFailCleanly()
    {
        QFETCH(QString, file);
        QFETCH(int, failure);
        const QByteArray doc = FakeVcenter::fixture(file);
        for (int chunk : {1, 16, int(doc.size())}) {
            Recorder r;
            XmlPushParser p(r);
            QElapsedTimer clock;
            clock.start();
            QVERIFY(!parseInChunks(p, doc, chunk));
            QCOMPARE(int(p.failure()), failure);
            QVERIFY(!p.errorMessage().isEmpty());
            QVERIFY(clock.elapsed() < 2000);
            QVERIFY(!r.trace.contains("lollol"));
            QVERIFY(!r.trace.contains("root:"));
        }
    }

    void notWellFormed_data()
    {
        QTest::addColumn<QByteArray>("doc");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("mismatched") << QByteArray("<a><b></a>");
        QTest::newRow("two roots") << QByteArray("<a/><b/>");
        QTest::newRow("garbage") << QByteArray("\x01\x02 not xml");
        QTest::newRow("unclosed") << QByteArray("<a><b>text");
    }
    void notWellFormed()
    {
        QFETCH(QByteArray, doc);
        Recorder r;
        XmlPushParser p(r);
        QVERIFY(!parseInChunks(p, doc, 2));
        QCOMPARE(p.failure(), XmlPushParser::Failure::Malformed);
    }

    void handlerRefusalStopsTheParse()
    {
        Recorder r;
        r.refuseAt = "b";
        XmlPushParser p(r);
        QVERIFY(!parseInChunks(p, "<a><b/><c/></a>", 100));
        QCOMPARE(p.failure(), XmlPushParser::Failure::Rejected);
        QCOMPARE(p.errorMessage(), QStringLiteral("refused b"));
        QVERIFY(!r.trace.contains("|c|"));
    }

    void deepNestingIsBounded()
    {
        QByteArray doc;
        for (int i = 0; i < 100000; ++i)
            doc += "<a>";
        Recorder r;
        XmlPushParser p(r);
        QVERIFY(!parseInChunks(p, doc, 65536));
        QCOMPARE(p.failure(), XmlPushParser::Failure::Malformed);
    }

    void restartParsesANewDocument()
    {
        Recorder r;
        XmlPushParser p(r);
        QVERIFY(!parseInChunks(p, "<a>", 10));
        p.restart();
        r.reset();
        QVERIFY(parseInChunks(p, "<z/>", 10));
        QCOMPARE(r.trace, QByteArray("<|z||>/"));
    }
};

QTEST_GUILESS_MAIN(TestXmlPushParser)
#include "TestXmlPushParser.moc"
