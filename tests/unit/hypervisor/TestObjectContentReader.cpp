#include "FakeVcenter.h"

#include "hypervisor/vsphere/ObjectContentReader.h"
#include "hypervisor/vsphere/SoapReplyReader.h"
#include "hypervisor/vsphere/XmlPushParser.h"

#include <QTest>

using namespace dcm::vsphere;

namespace {

struct Page
{
    bool ok = false;
    QString token;
    std::vector<ObjectContent> objects;
    bool sessionLost = false;
};

Page read(const QString& file, const QByteArray& response = "RetrievePropertiesExResponse", int chunk = 512)
{
    Page page;
    ObjectContentReader reader([&](ObjectContent&& o) {
        page.objects.push_back(std::move(o));
        return true;
    });
    SoapReplyReader soap(reader, response);
    XmlPushParser parser(soap);
    const QByteArray doc = FakeVcenter::fixture(file);
    page.ok = true;
    for (qsizetype at = 0; at < doc.size() && page.ok; at += chunk)
        page.ok = parser.feed(doc.constData() + at, std::min<qsizetype>(chunk, doc.size() - at));
    page.ok = page.ok && parser.finish() && soap.outcome() == SoapReplyReader::Outcome::Response;
    page.token = reader.token();
    page.sessionLost = reader.sessionLost();
    return page;
}

} // namespace

class TestObjectContentReader : public QObject
{
    Q_OBJECT
private slots:
    void objectsStreamWithTheirProperties()
    {
        const Page page = read(QStringLiteral("RetrievePropertiesEx-inventory-full.xml"));
        QVERIFY(page.ok);
        QCOMPARE(page.objects.size(), size_t(22));
        QVERIFY(page.token.isEmpty());
        const auto vm = std::find_if(page.objects.begin(), page.objects.end(),
                                     [](const ObjectContent& o) { return o.obj.value == QLatin1String("vm-57"); });
        QVERIFY(vm != page.objects.end());
        QCOMPARE(vm->obj.type, QStringLiteral("VirtualMachine"));
        QCOMPARE(vm->text("name"), QStringLiteral("DC0_H0_VM0"));
        QCOMPARE(vm->ref("parent"), (MoRef{QStringLiteral("Folder"), QStringLiteral("folder-3")}));
        QCOMPARE(vm->number("config.hardware.memoryMB"), 32);
        const XmlValue* extra = vm->prop("config.extraConfig");
        QVERIFY(extra);
        QCOMPARE(extra->xsiType, QByteArray("ArrayOfOptionValue"));
        QCOMPARE(extra->children.front().textAt("key"), QStringLiteral("govcsim"));
    }

    void pagesCarryTheirToken()
    {
        const Page p1 = read(QStringLiteral("RetrievePropertiesEx-inventory-page1.xml"));
        const Page p2 =
            read(QStringLiteral("ContinueRetrievePropertiesEx-page2.xml"), "ContinueRetrievePropertiesExResponse");
        const Page p3 =
            read(QStringLiteral("ContinueRetrievePropertiesEx-page3.xml"), "ContinueRetrievePropertiesExResponse");
        QVERIFY(p1.ok && p2.ok && p3.ok);
        QCOMPARE(p1.token, QStringLiteral("page-2-token"));
        QCOMPARE(p2.token, QStringLiteral("page-3-token"));
        QVERIFY(p3.token.isEmpty());
        QCOMPARE(p1.objects.size() + p2.objects.size() + p3.objects.size(), size_t(22));
    }

    void unsetPropertiesStayAbsent()
    {
        // A propSet without <val> (an unset property) is not reported as an empty value.
        const QByteArray doc = "<returnval><objects><obj type='Folder'>f-1</obj><propSet><name>name</name></propSet>"
                               "</objects></returnval>";
        std::vector<ObjectContent> objects;
        ObjectContentReader reader([&](ObjectContent&& o) {
            objects.push_back(std::move(o));
            return true;
        });
        XmlPushParser parser(reader);
        QVERIFY(parser.feed(doc.constData(), doc.size()) && parser.finish());
        QCOMPARE(objects.size(), size_t(1));
        QVERIFY(objects[0].props.empty());
    }

    void missingSetNotAuthenticatedMeansSessionLost()
    {
        const Page page = read(QStringLiteral("RetrievePropertiesEx-task-missing-NotAuthenticated.xml"));
        QVERIFY(page.ok);
        QVERIFY(page.sessionLost);
        QCOMPARE(page.objects.front().missing.front().first, QByteArray("info.state"));
        QVERIFY(!read(QStringLiteral("RetrievePropertiesEx-task-running.xml")).sessionLost);
    }

    void objectWithoutReferenceIsRefused()
    {
        const QByteArray doc =
            "<returnval><objects><propSet><name>name</name><val>x</val></propSet></objects></returnval>";
        ObjectContentReader reader([](ObjectContent&&) { return true; });
        XmlPushParser parser(reader);
        QVERIFY(!(parser.feed(doc.constData(), doc.size()) && parser.finish()));
        QCOMPARE(parser.failure(), XmlPushParser::Failure::Rejected);
    }

    void sinkCanRefuse()
    {
        ObjectContentReader reader([](ObjectContent&&) { return false; });
        SoapReplyReader soap(reader, "RetrievePropertiesExResponse");
        XmlPushParser parser(soap);
        const QByteArray doc = FakeVcenter::fixture(QStringLiteral("RetrievePropertiesEx-inventory-full.xml"));
        QVERIFY(!parser.feed(doc.constData(), doc.size()));
        QCOMPARE(parser.failure(), XmlPushParser::Failure::Rejected);
    }
};

QTEST_GUILESS_MAIN(TestObjectContentReader)
#include "TestObjectContentReader.moc"
