#include "FakeVcenter.h"

#include "hypervisor/vsphere/ReturnValueReader.h"
#include "hypervisor/vsphere/SoapReplyReader.h"
#include "hypervisor/vsphere/VimFaultParser.h"
#include "hypervisor/vsphere/XmlPushParser.h"
#include "hypervisor/vsphere/XmlValueBuilder.h"

#include <QTest>

#include "DomainQCompare.h"

using namespace dcm;
using namespace dcm::vsphere;

namespace {

struct Parsed
{
    bool ok = false;
    SoapReplyReader::Outcome outcome = SoapReplyReader::Outcome::Incomplete;
    VimFault fault;
    QString error;
    std::vector<XmlValue> values;
};

Parsed parse(const QByteArray& doc, const QByteArray& expected)
{
    ReturnValueReader body;
    SoapReplyReader soap(body, expected);
    XmlPushParser parser(soap);
    Parsed p;
    p.ok = parser.feed(doc.constData(), doc.size()) && parser.finish();
    p.outcome = soap.outcome();
    p.fault = soap.fault();
    p.error = parser.errorMessage();
    p.values = body.values();
    return p;
}

} // namespace

class TestSoapReplyReader : public QObject
{
    Q_OBJECT
private slots:
    void responseValuesReachTheBodyHandler()
    {
        const Parsed p = parse(FakeVcenter::fixture(QStringLiteral("CurrentTime.xml")), "CurrentTimeResponse");
        QVERIFY2(p.ok, qPrintable(p.error));
        QCOMPARE(p.outcome, SoapReplyReader::Outcome::Response);
        QCOMPARE(p.values.size(), size_t(1));
        QVERIFY(p.values[0].string().startsWith(QLatin1String("2026-")));
    }

    void emptyResponseIsAResponse()
    {
        // FindByUuid finding nothing, DestroyView, Logout: a response element without <returnval>.
        const Parsed p = parse(FakeVcenter::fixture(QStringLiteral("FindByUuid-none.xml")), "FindByUuidResponse");
        QVERIFY(p.ok);
        QCOMPARE(p.outcome, SoapReplyReader::Outcome::Response);
        QVERIFY(p.values.empty());
    }

    void faultsAreClassified_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("type");
        QTest::addColumn<ErrorKind>("kind");
        QTest::addColumn<QString>("message");
        QTest::newRow("InvalidLogin") << "Fault-InvalidLogin.xml"
                                      << "InvalidLogin" << ErrorKind::Authentication
                                      << "Cannot complete login due to an incorrect user name or password.";
        QTest::newRow("NotAuthenticated")
            << "Fault-NotAuthenticated.xml"
            << "NotAuthenticated" << ErrorKind::SessionExpired << "The session is not authenticated.";
        QTest::newRow("InvalidArgument") << "Fault-InvalidArgument.xml"
                                         << "InvalidArgument" << ErrorKind::Business
                                         << "A specified parameter was not correct: spec.numCPUs";
        // The type itself ends in "Fault": its detail element is InsufficientResourcesFaultFault.
        QTest::newRow("InsufficientResourcesFault")
            << "Fault-InsufficientResourcesFault.xml"
            << "InsufficientResourcesFault" << ErrorKind::Business << "Insufficient resources.";
        QTest::newRow("SystemError") << "Fault-SystemError.xml"
                                     << "SystemError" << ErrorKind::Transient
                                     << "A general system error occurred: database unavailable";
        QTest::newRow("no detail") << "Fault-no-detail.xml"
                                   << "" << ErrorKind::Transient << "something broke";
    }
    void faultsAreClassified()
    {
        QFETCH(QString, file);
        QFETCH(QString, type);
        QFETCH(ErrorKind, kind);
        QFETCH(QString, message);
        const Parsed p = parse(FakeVcenter::fixture(file), "LoginResponse");
        QVERIFY2(p.ok, qPrintable(p.error));
        QCOMPARE(p.outcome, SoapReplyReader::Outcome::Fault);
        QCOMPARE(p.fault.type, type);
        QCOMPARE(p.fault.message, message);
        const Error e = p.fault.toError();
        QCOMPARE(e.kind, kind);
        QCOMPARE(e.vimFault, type);
        QCOMPARE(e.code, type.isEmpty() ? QStringLiteral("soap-fault") : QStringLiteral("vim-fault"));
    }

    void faultFieldsBecomeDetails()
    {
        const Parsed p = parse(FakeVcenter::fixture(QStringLiteral("Fault-InvalidArgument.xml")), "X");
        QCOMPARE(p.fault.toError().details.value(QStringLiteral("invalidProperty")).toString(),
                 QStringLiteral("spec.numCPUs"));
    }

    void refusedReplies_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QByteArray>("expected");
        QTest::addColumn<QString>("why");
        QTest::newRow("wrong vim namespace")
            << "broken-wrong-namespace.xml" << QByteArray("CurrentTimeResponse") << "urn:vim25";
        QTest::newRow("SOAP 1.2 envelope")
            << "broken-soap12-envelope.xml" << QByteArray("CurrentTimeResponse") << "SOAP 1.1";
        QTest::newRow("HTML") << "broken-html.xml" << QByteArray("CurrentTimeResponse") << "SOAP 1.1";
        QTest::newRow("another method's reply") << "CurrentTime.xml" << QByteArray("LoginResponse") << "expected";
    }
    void refusedReplies()
    {
        QFETCH(QString, file);
        QFETCH(QByteArray, expected);
        QFETCH(QString, why);
        const Parsed p = parse(FakeVcenter::fixture(file), expected);
        QVERIFY(!p.ok);
        QVERIFY2(p.error.contains(why), qPrintable(p.error));
        QCOMPARE(p.outcome, SoapReplyReader::Outcome::Incomplete);
    }

    void truncatedReplyIsIncomplete()
    {
        const Parsed p = parse(FakeVcenter::fixture(QStringLiteral("broken-truncated.xml")), "CurrentTimeResponse");
        QVERIFY(!p.ok);
        QCOMPARE(p.outcome, SoapReplyReader::Outcome::Incomplete);
    }

    void taskErrorIsALocalizedMethodFault()
    {
        // info.error of a failed CreateVM_Task, as the PropertyCollector returns it.
        const QByteArray doc =
            "<val xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance' xsi:type='LocalizedMethodFault'>"
            "<fault xsi:type='DuplicateName'><name>web-01</name><object type='VirtualMachine'>vm-9"
            "</object></fault><localizedMessage>The name 'web-01' already exists.</localizedMessage>"
            "</val>";
        ReturnValueReader reader;
        XmlPushParser parser(reader);
        QVERIFY(parser.feed(doc.constData(), doc.size()) && parser.finish());
        const VimFault f = VimFaultParser::fromLocalizedMethodFault(*reader.first());
        QCOMPARE(f.type, QStringLiteral("DuplicateName"));
        QCOMPARE(f.message, QStringLiteral("The name 'web-01' already exists."));
        QCOMPARE(f.fields.value(QStringLiteral("name")).toString(), QStringLiteral("web-01"));
        QCOMPARE(f.toError().kind, ErrorKind::Business);
    }

    void resetForgetsTheLastReply()
    {
        ReturnValueReader body;
        SoapReplyReader soap(body, "LoginResponse");
        {
            XmlPushParser parser(soap);
            const QByteArray f = FakeVcenter::fixture(QStringLiteral("Fault-InvalidLogin.xml"));
            QVERIFY(parser.feed(f.constData(), f.size()) && parser.finish());
        }
        QCOMPARE(soap.outcome(), SoapReplyReader::Outcome::Fault);
        soap.reset();
        XmlPushParser parser(soap);
        const QByteArray ok = FakeVcenter::fixture(QStringLiteral("Login.xml"));
        QVERIFY(parser.feed(ok.constData(), ok.size()) && parser.finish());
        QCOMPARE(soap.outcome(), SoapReplyReader::Outcome::Response);
        QVERIFY(soap.fault().type.isEmpty());
        QCOMPARE(body.values().size(), size_t(1));
    }

    void valueBuilderBoundsNesting()
    {
        QByteArray doc = "<returnval>";
        for (int i = 0; i < XmlValueBuilder::kMaxDepth + 5; ++i)
            doc += "<a>";
        ReturnValueReader reader;
        XmlPushParser parser(reader);
        QVERIFY(!parser.feed(doc.constData(), doc.size()));
        QCOMPARE(parser.failure(), XmlPushParser::Failure::Rejected);
    }
};

QTEST_GUILESS_MAIN(TestSoapReplyReader)
#include "TestSoapReplyReader.moc"
