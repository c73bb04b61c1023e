#include "FakeVcenter.h"

#include "hypervisor/vsphere/ApiVersion.h"
#include "hypervisor/vsphere/ReturnValueReader.h"
#include "hypervisor/vsphere/XmlPushParser.h"

#include <QTest>

using namespace dcm::vsphere;

namespace {
QStringList offeredIn(const QString& file)
{
    ReturnValueReader reader;
    XmlPushParser parser(reader);
    const QByteArray doc = FakeVcenter::fixture(file);
    if (!parser.feed(doc.constData(), doc.size()) || !parser.finish())
        qFatal("bad fixture");
    return ApiVersion::offered(*reader.first());
}
} // namespace

class TestApiVersion : public QObject
{
    Q_OBJECT
private slots:
    void offeredVersionsAreRead()
    {
        QCOMPARE(offeredIn(QStringLiteral("vimServiceVersions.xml")),
                 (QStringList{QStringLiteral("6.5"), QStringLiteral("6.0"), QStringLiteral("5.5")}));
        // Other namespaces (urn:vim2) do not count.
        QCOMPARE(offeredIn(QStringLiteral("vimServiceVersions-vc8.xml")).size(), 9);
    }

    void choose_data()
    {
        QTest::addColumn<QStringList>("offered");
        QTest::addColumn<QString>("chosen");
        QTest::newRow("vcsim") << QStringList{"6.5", "6.0", "5.5"} << "6.5";
        QTest::newRow("newer than we speak") << offeredIn(QStringLiteral("vimServiceVersions-vc8.xml")) << "8.0.3.0";
        QTest::newRow("7.0 U3") << QStringList{"7.0.3.0", "7.0", "6.7.3", "6.5"} << "7.0.3.0";
        QTest::newRow("too old") << QStringList{"6.0", "5.5"} << "";
        QTest::newRow("only too new") << QStringList{"9.0.0.0"} << "";
        QTest::newRow("nothing") << QStringList{} << "";
    }
    void choose()
    {
        QFETCH(QStringList, offered);
        QFETCH(QString, chosen);
        QCOMPARE(ApiVersion::choose(offered), chosen);
    }

    void compareIsNumeric()
    {
        QCOMPARE(ApiVersion::compare(QStringLiteral("6.10"), QStringLiteral("6.9")), 1);
        QCOMPARE(ApiVersion::compare(QStringLiteral("6.7"), QStringLiteral("6.7.0")), 0);
        QCOMPARE(ApiVersion::compare(QStringLiteral("6.5"), QStringLiteral("6.7.1")), -1);
    }
};

QTEST_GUILESS_MAIN(TestApiVersion)
#include "TestApiVersion.moc"
