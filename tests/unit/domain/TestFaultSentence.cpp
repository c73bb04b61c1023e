// Errors for people: the sentence for each fault operators meet (from the kind, the listed code, the vim
// fault name and its details, never from vCenter's message), the raw fault for whoever needs it, the
// cause a give-up gave up on, and which failures a retry would only repeat.
#include "domain/FaultSentence.h"
#include "domain/RetryPolicy.h"

#include <QTest>

using namespace dcm;

namespace {

Error vimFault(ErrorKind kind, const QString& fault, const QString& message, QVariantMap details = {})
{
    Error e = Error::make(kind, QStringLiteral("vim-fault"), message, fault);
    e.details = std::move(details);
    return e;
}

Error duplicateName()
{
    // As the adapter reports it: its own code, vCenter's name for the fault and its fields as details.
    Error e = Error::make(ErrorKind::Business, ErrorCode::DuplicateName,
                          QStringLiteral("The name 'app-01' already exists."), QStringLiteral("DuplicateName"));
    e.details = {{QStringLiteral("name"), QStringLiteral("app-01")},
                 {QStringLiteral("object"), QStringLiteral("vm-57")}};
    return e;
}

FaultContext contextFor(const QString& name, const QString& folder = {})
{
    VmSpec spec;
    spec.name = name;
    spec.folder = folder;
    spec.datastore = QStringLiteral("/DC0/datastore/ds1");
    FaultContext c = FaultContext::of(spec);
    c.user = QStringLiteral("operator@vsphere.local");
    c.server = QStringLiteral("vc.example.com");
    return c;
}

} // namespace

class TestFaultSentence final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void duplicateNameNamesTheVmAndTheFolder()
    {
        QCOMPARE(FaultSentence::of(duplicateName(), contextFor(QStringLiteral("ignored"))),
                 QStringLiteral("A VM named app-01 already exists in folder vm. Choose another name or folder."));
        // Without the fault's own field, the request's name; a folder path gives its last part.
        Error bare = duplicateName();
        bare.details.clear();
        QCOMPARE(FaultSentence::of(bare, contextFor(QStringLiteral("web-7"), QStringLiteral("/DC0/vm/Team A"))),
                 QStringLiteral("A VM named web-7 already exists in folder Team A. Choose another name or folder."));
        QCOMPARE(FaultSentence::of(bare),
                 QStringLiteral("A VM of that name already exists in folder vm. Choose another name or folder."));
    }

    // One row per common fault: the sentence an operator reads.
    void commonFaults_data()
    {
        QTest::addColumn<Error>("error");
        QTest::addColumn<QString>("expected");

        QTest::newRow("InvalidLogin") << vimFault(ErrorKind::Authentication, QStringLiteral("InvalidLogin"),
                                                  QStringLiteral("Cannot complete login due to an incorrect user name "
                                                                 "or password."))
                                      << QStringLiteral("vCenter at vc.example.com refused the password of "
                                                        "operator@vsphere.local. Enter the right password; no other "
                                                        "login is tried until then.");
        Error refused = Error::make(ErrorKind::Authentication, ErrorCode::LoginRefused,
                                    QStringLiteral("vCenter refused the credentials of ops at vc2 (…)"),
                                    QStringLiteral("InvalidLogin"));
        refused.details = {{QStringLiteral("user"), QStringLiteral("ops")},
                           {QStringLiteral("host"), QStringLiteral("vc2")}};
        QTest::newRow("login-refused names its own account")
            << refused
            << QStringLiteral("vCenter at vc2 refused the password of ops. Enter the right password; no other login "
                              "is tried until then.");
        QTest::newRow("NoPermission with its privilege")
            << vimFault(ErrorKind::Permission, QStringLiteral("NoPermission"),
                        QStringLiteral("Permission to perform "
                                       "this operation was "
                                       "denied."),
                        {{QStringLiteral("privilegeId"), QStringLiteral("VirtualMachine.Inventory.Create")},
                         {QStringLiteral("object"), QStringLiteral("group-v3")}})
            << QStringLiteral("operator@vsphere.local lacks the privilege VirtualMachine.Inventory.Create on group-v3. "
                              "A vCenter administrator must grant it.");
        QTest::newRow("InsufficientResourcesFault")
            << vimFault(ErrorKind::Business, QStringLiteral("InsufficientResourcesFault"),
                        QStringLiteral("Insufficient resources to satisfy configured failover level for vSphere HA."))
            << QStringLiteral("The cluster or host has not enough free resources for this VM (vCenter: Insufficient "
                              "resources to satisfy configured failover level for vSphere HA.). Choose a smaller VM or "
                              "another cluster or host.");
        QTest::newRow("InvalidVmConfig with its property")
            << vimFault(ErrorKind::Business, QStringLiteral("InvalidVmConfig"),
                        QStringLiteral("Invalid virtual machine configuration."),
                        {{QStringLiteral("property"), QStringLiteral("numCPUs")}})
            << QStringLiteral("vCenter rejected the VM's configuration of numCPUs (vCenter: Invalid virtual machine "
                              "configuration.). Edit the request.");
        QTest::newRow("NotFound")
            << vimFault(ErrorKind::Business, QStringLiteral("NotFound"),
                        QStringLiteral("The object or item referred to could not be found."))
            << QStringLiteral("Something the request names no longer exists in vCenter (vCenter: The object or item "
                              "referred to could not be found.). It was deleted or moved: refresh the inventory and "
                              "edit the request.");
        QTest::newRow("ManagedObjectNotFound names the object")
            << vimFault(ErrorKind::Business, QStringLiteral("ManagedObjectNotFound"),
                        QStringLiteral("The object 'vim.Datastore:datastore-9' has already been deleted or has not "
                                       "been completely created"),
                        {{QStringLiteral("obj"), QStringLiteral("datastore-9")}})
            << QStringLiteral(
                   "datastore-9 no longer exists in vCenter (vCenter: The object 'vim.Datastore:datastore-9' "
                   "has already been deleted or has not been completely created). It was deleted or moved: "
                   "refresh the inventory and edit the request.");
        QTest::newRow("InvalidArgument with its property")
            << vimFault(ErrorKind::Business, QStringLiteral("InvalidArgument"),
                        QStringLiteral("A specified parameter was not correct: spec.files"),
                        {{QStringLiteral("invalidProperty"), QStringLiteral("spec.files")}})
            << QStringLiteral("vCenter rejected the value of spec.files (vCenter: A specified parameter was not "
                              "correct: spec.files). Edit the request.");
        QTest::newRow("a detail element's name") // "<Type>Fault", as SOAP detail elements are named
            << vimFault(ErrorKind::Authentication, QStringLiteral("vim25:InvalidLoginFault"), QString())
            << QStringLiteral("vCenter at vc.example.com refused the password of operator@vsphere.local. Enter the "
                              "right password; no other login is tried until then.");
        QTest::newRow("timeout after sending")
            << Error::make(ErrorKind::OutcomeUnknown, ErrorCode::Timeout,
                           QStringLiteral("CreateVM_Task got no complete reply within 30000 ms"))
            << QStringLiteral("vCenter did not answer in time. The request may have reached it: the VM is looked for "
                              "by the request's key before anything is sent again.");
        QTest::newRow("timeout before sending")
            << Error::make(ErrorKind::Transient, ErrorCode::Timeout, QStringLiteral("Connection timed out"))
            << QStringLiteral("vCenter did not answer in time.");
        QTest::newRow("connection refused")
            << Error::make(ErrorKind::Transient, ErrorCode::ConnectionRefused, QStringLiteral("Connection refused"))
            << QStringLiteral("vCenter at vc.example.com refused the connection. It is down or restarting, or a "
                              "firewall blocks it; waiting requests are sent when it answers again.");
        QTest::newRow("an unknown fault keeps vCenter's words")
            << vimFault(ErrorKind::Business, QStringLiteral("SomethingNew"), QStringLiteral("the thing is wrong"))
            << QStringLiteral("The thing is wrong.");
    }
    void commonFaults()
    {
        QFETCH(Error, error);
        QFETCH(QString, expected);
        QCOMPARE(FaultSentence::of(error, contextFor(QStringLiteral("app-01"))), expected);
    }

    // A give-up names the attempts and then the fault it gave up on, in that fault's own sentence.
    void gaveUpSaysHowOftenAndOnWhat()
    {
        const Error refused =
            Error::make(ErrorKind::Transient, ErrorCode::ConnectionRefused, QStringLiteral("Connection refused"));
        const Error gaveUp = RetryPolicy::gaveUpError(6, refused);
        QVERIFY(gaveUp.is(ErrorCode::GaveUp));
        QCOMPARE(FaultSentence::underlying(gaveUp), refused);
        QCOMPARE(FaultSentence::of(gaveUp), QStringLiteral("Gave up after 6 attempts. vCenter refused the connection. "
                                                           "It is down or restarting, or a firewall blocks it; waiting "
                                                           "requests are sent when it answers again."));
        const Error busy = vimFault(ErrorKind::Transient, QStringLiteral("SystemError"), QStringLiteral("busy"));
        QCOMPARE(FaultSentence::underlying(RetryPolicy::gaveUpError(1, busy)), busy);
        // Any other error is its own underlying error.
        QCOMPARE(FaultSentence::underlying(duplicateName()), duplicateName());
    }

    void rawShowsEveryField()
    {
        QCOMPARE(FaultSentence::raw(duplicateName()), QStringLiteral("kind: business\n"
                                                                     "code: duplicate-name\n"
                                                                     "vimFault: DuplicateName\n"
                                                                     "message: The name 'app-01' already exists.\n"
                                                                     "details: name=app-01, object=vm-57"));
        QCOMPARE(FaultSentence::raw(Error::make(ErrorKind::Transient, QStringLiteral("http-503"), QString())),
                 QStringLiteral("kind: transient\ncode: http-503"));
    }

    void sameFaultIgnoresDetails()
    {
        Error a = Error::make(ErrorKind::Transient, ErrorCode::Timeout, QStringLiteral("no reply"));
        Error b = a;
        b.details.insert(QStringLiteral("createTaskRef"), QStringLiteral("task-9"));
        QVERIFY(FaultSentence::sameFault(a, b));
        b.message = QStringLiteral("another reply");
        QVERIFY(!FaultSentence::sameFault(a, b));
        b = a;
        b.kind = ErrorKind::OutcomeUnknown;
        QVERIFY(!FaultSentence::sameFault(a, b));
    }

    void retryRepeatsOnlyWhatWouldMeetTheSameAnswer_data()
    {
        QTest::addColumn<Error>("error");
        QTest::addColumn<bool>("repeats");
        QTest::newRow("duplicate-name") << duplicateName() << true;
        QTest::newRow("InvalidVmConfig") << vimFault(ErrorKind::Business, QStringLiteral("InvalidVmConfig"),
                                                     QStringLiteral("x"))
                                         << true;
        QTest::newRow("a fault of the InvalidVmConfig family")
            << vimFault(ErrorKind::Business, QStringLiteral("InvalidDeviceSpec"), QStringLiteral("x")) << true;
        QTest::newRow("InvalidArgument") << vimFault(ErrorKind::Business, QStringLiteral("InvalidArgument"),
                                                     QStringLiteral("x"))
                                         << true;
        QTest::newRow("invalid spec") << Error::make(ErrorKind::InvalidInput, QStringLiteral("invalid-spec"),
                                                     QStringLiteral("cpus: …"))
                                      << true;
        QTest::newRow("insufficient resources may clear")
            << vimFault(ErrorKind::Business, QStringLiteral("InsufficientResourcesFault"), QStringLiteral("x"))
            << false;
        QTest::newRow("NotFound after a refresh may not")
            << vimFault(ErrorKind::Business, QStringLiteral("NotFound"), QStringLiteral("x")) << false;
        QTest::newRow("gave up on a refused connection")
            << RetryPolicy::gaveUpError(
                   6, Error::make(ErrorKind::Transient, ErrorCode::ConnectionRefused, QStringLiteral("refused")))
            << false;
        QTest::newRow("permission") << vimFault(ErrorKind::Permission, QStringLiteral("NoPermission"), {}) << false;
    }
    void retryRepeatsOnlyWhatWouldMeetTheSameAnswer()
    {
        QFETCH(Error, error);
        QFETCH(bool, repeats);
        const std::optional<QString> why = FaultSentence::whyRetryRepeats(error);
        QCOMPARE(why.has_value(), repeats);
        if (why)
            QVERIFY2(why->endsWith(QStringLiteral("Edit and resubmit instead.")), qPrintable(*why));
    }
};

QTEST_APPLESS_MAIN(TestFaultSentence)
#include "TestFaultSentence.moc"
