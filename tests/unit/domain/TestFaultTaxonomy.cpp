// Pins the one classification of hypervisor failures: the vim fault names the adapter will meet,
// HTTP statuses without a fault, and what each kind means to the breaker and the retry policy.
#include "domain/FaultTaxonomy.h"

#include <QSet>
#include <QTest>

#include "DomainQCompare.h"

using namespace dcm;

namespace {

const QList<ErrorKind> allKinds{
    ErrorKind::Transient,    ErrorKind::SessionExpired, ErrorKind::Authentication, ErrorKind::Permission,
    ErrorKind::Trust,        ErrorKind::Business,       ErrorKind::OutcomeUnknown, ErrorKind::Cancelled,
    ErrorKind::InvalidInput, ErrorKind::Storage,        ErrorKind::Internal,
};

} // namespace

class TestFaultTaxonomy : public QObject
{
    Q_OBJECT

private slots:
    void classifyVimFault_data()
    {
        QTest::addColumn<QString>("fault");
        QTest::addColumn<ErrorKind>("kind");
        auto row = [](const char* fault, ErrorKind kind) {
            QTest::newRow(*fault ? fault : "(empty)") << QString::fromLatin1(fault) << kind;
        };
        // identity and session
        row("NotAuthenticated", ErrorKind::SessionExpired);
        row("InvalidLogin", ErrorKind::Authentication);
        row("PasswordExpired", ErrorKind::Authentication);
        row("NoPermission", ErrorKind::Permission);
        row("RestrictedVersion", ErrorKind::Permission);
        // the hypervisor is unwell: counted
        row("SystemError", ErrorKind::Transient);
        row("HostCommunication", ErrorKind::Transient);
        row("HostNotConnected", ErrorKind::Transient);
        row("HostNotReachable", ErrorKind::Transient);
        row("TaskInProgress", ErrorKind::Transient);
        row("MethodDisabled", ErrorKind::Transient);
        row("ConcurrentAccess", ErrorKind::Transient);
        row("Timedout", ErrorKind::OutcomeUnknown);
        row("RequestCanceled", ErrorKind::Cancelled);
        row("InvalidRequest", ErrorKind::Internal);
        // business: shown to the operator, never counted
        row("InvalidArgument", ErrorKind::Business);
        row("InvalidVmConfig", ErrorKind::Business);
        row("DuplicateName", ErrorKind::Business);
        row("NotFound", ErrorKind::Business);
        row("ManagedObjectNotFound", ErrorKind::Business);
        row("InsufficientResourcesFault", ErrorKind::Business);
        row("InsufficientMemoryResourcesFault", ErrorKind::Business);
        row("FileAlreadyExists", ErrorKind::Business);
        row("InvalidName", ErrorKind::Business);
        row("InvalidDatastore", ErrorKind::Business);
        row("InvalidState", ErrorKind::Business);
        row("VmConfigFault", ErrorKind::Business);
        row("AlreadyExists", ErrorKind::Business);
        row("NoDiskSpace", ErrorKind::Business);
        // spellings the SOAP layer produces
        row("InvalidLoginFault", ErrorKind::Authentication);         // the detail element name
        row("InsufficientResourcesFaultFault", ErrorKind::Business); // ... of a type ending in Fault
        row("vim25:SystemError", ErrorKind::Transient);              // xsi:type with prefix
        row("vim.fault.NoPermission", ErrorKind::Permission);        // dotted
        row(" NotAuthenticated ", ErrorKind::SessionExpired);
        // policy: unknown faults are answers, hence Business; a fault without a type is malformed
        row("SomeFaultFromvSphere9", ErrorKind::Business);
        row("RuntimeFault", ErrorKind::Business);
        row("invalidlogin", ErrorKind::Business); // vim names are case-sensitive
        row("", ErrorKind::Transient);
        row("vim25:", ErrorKind::Transient);
    }

    void classifyVimFault()
    {
        QFETCH(QString, fault);
        QFETCH(ErrorKind, kind);
        QCOMPARE(FaultTaxonomy::classifyVimFault(fault), kind);
    }

    // The "<Type>Fault" fallback must never shadow an entry of the table.
    void tableEntriesClassifyAsListedAndAreUnique()
    {
        QSet<QString> seen;
        for (const auto& entry : FaultTaxonomy::knownVimFaults()) {
            const QString name = QString::fromLatin1(entry.faultType);
            QVERIFY2(!seen.contains(name), qPrintable(name));
            seen.insert(name);
            QCOMPARE(FaultTaxonomy::classifyVimFault(name), entry.kind);
        }
        QVERIFY(seen.size() > 40);
    }

    void classifyHttpStatus_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<ErrorKind>("kind");
        QTest::newRow("500") << 500 << ErrorKind::Transient;
        QTest::newRow("502") << 502 << ErrorKind::Transient;
        QTest::newRow("503") << 503 << ErrorKind::Transient;
        QTest::newRow("504") << 504 << ErrorKind::Transient;
        QTest::newRow("408") << 408 << ErrorKind::Transient;
        QTest::newRow("429") << 429 << ErrorKind::Transient;
        QTest::newRow("401") << 401 << ErrorKind::SessionExpired;
        QTest::newRow("403") << 403 << ErrorKind::Permission;
        QTest::newRow("404") << 404 << ErrorKind::Business;
        QTest::newRow("400") << 400 << ErrorKind::Business;
        QTest::newRow("301") << 301 << ErrorKind::Business;
        QTest::newRow("200 unusable") << 200 << ErrorKind::Transient;
        QTest::newRow("101") << 101 << ErrorKind::Transient;
    }

    void classifyHttpStatus()
    {
        QFETCH(int, status);
        QFETCH(ErrorKind, kind);
        QCOMPARE(FaultTaxonomy::classifyHttpStatus(status), kind);
    }

    void policies_data()
    {
        QTest::addColumn<ErrorKind>("kind");
        QTest::addColumn<bool>("counts");
        QTest::addColumn<bool>("retryable");
        QTest::addColumn<bool>("reachable");
        QTest::newRow("transient") << ErrorKind::Transient << true << true << false;
        QTest::newRow("outcome-unknown") << ErrorKind::OutcomeUnknown << true << true << false;
        QTest::newRow("session-expired") << ErrorKind::SessionExpired << false << true << true;
        QTest::newRow("authentication") << ErrorKind::Authentication << false << false << true;
        QTest::newRow("permission") << ErrorKind::Permission << false << false << true;
        QTest::newRow("trust") << ErrorKind::Trust << false << false << true;
        QTest::newRow("business") << ErrorKind::Business << false << false << true;
        QTest::newRow("cancelled") << ErrorKind::Cancelled << false << false << false;
        QTest::newRow("invalid-input") << ErrorKind::InvalidInput << false << false << false;
        QTest::newRow("storage") << ErrorKind::Storage << false << false << false;
        QTest::newRow("internal") << ErrorKind::Internal << false << false << false;
    }

    void policies()
    {
        QFETCH(ErrorKind, kind);
        QFETCH(bool, counts);
        QFETCH(bool, retryable);
        QFETCH(bool, reachable);
        QCOMPARE(FaultTaxonomy::countsForBreaker(kind), counts);
        QCOMPARE(FaultTaxonomy::isRetryable(kind), retryable);
        QCOMPARE(FaultTaxonomy::provesHypervisorReachable(kind), reachable);
    }

    void policiesCoverEveryKind()
    {
        QCOMPARE(allKinds.size(), 11);
        QSet<QString> names;
        for (ErrorKind kind : allKinds) {
            names.insert(toString(kind));
        }
        QCOMPARE(names.size(), allKinds.size());
    }

    void errorKindNamesRoundTrip()
    {
        for (ErrorKind kind : allKinds) {
            QCOMPARE(errorKindFromString(toString(kind)), std::optional<ErrorKind>(kind));
        }
        QCOMPARE(toString(ErrorKind::OutcomeUnknown), QStringLiteral("outcome-unknown"));
        QCOMPARE(errorKindFromString(u"nonsense"), std::optional<ErrorKind>());
    }
};

QTEST_GUILESS_MAIN(TestFaultTaxonomy)
#include "TestFaultTaxonomy.moc"
