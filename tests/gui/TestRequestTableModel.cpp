// The request table's model and proxy: fed by snapshots, bursts coalesced into few model signals, live
// progress only while a task runs, the task, started and finished columns, queued rows against the
// clock, errors as sentences, and the proxy's state filter and name search. Every test runs both under
// QAbstractItemModelTester, which checks each signal and answer against the model contract.
#include "GuiHarness.h"

#include "ui/RequestFilterProxy.h"
#include "ui/RequestTableModel.h"
#include "ui/UiFormat.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace dcm;
using namespace std::chrono_literals;

namespace {

ProvisioningRequest request(const QString& name, int minute)
{
    return ProvisioningRequest(QUuid::createUuid(), validSpec(name),
                               QDateTime(QDate(2026, 1, 1), QTime(8, minute), Qt::UTC));
}

ProvisioningRequest moved(ProvisioningRequest r, RequestState to, int afterSeconds = 1)
{
    const Result<void> ok = r.transitionTo(to, QStringLiteral("test"), r.createdAt().addSecs(afterSeconds));
    Q_ASSERT(ok.ok());
    return r;
}

ProvisioningRequest failed(ProvisioningRequest r, const Error& cause)
{
    r = moved(r, RequestState::Provisioning, 1);
    const Result<void> ok = r.transitionTo(RequestState::Failed, cause.message, r.createdAt().addSecs(2), cause);
    Q_ASSERT(ok.ok());
    return r;
}

QVariant cell(const RequestTableModel& model, int row, int column, int role = Qt::DisplayRole)
{
    return model.index(row, column).data(role);
}

// Fails the running test at the first breach of the item model contract.
std::unique_ptr<QAbstractItemModelTester> tested(QAbstractItemModel* model)
{
    return std::make_unique<QAbstractItemModelTester>(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
}

} // namespace

class TestRequestTableModel final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // The service lists newest first; the proxy shows newest first; new requests are appended.
    void loadsSnapshotsAndAppendsNewRequests()
    {
        RequestTableModel model;
        RequestFilterProxy proxy;
        proxy.setSourceModel(&model);
        const auto modelTester = tested(&model);
        const auto proxyTester = tested(&proxy);
        proxy.sort(RequestTableModel::AgeColumn, Qt::DescendingOrder);
        model.setRequests({request(QStringLiteral("b"), 2), request(QStringLiteral("a"), 1)});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(proxy.index(0, 0).data().toString(), QStringLiteral("b"));
        model.applyChange(request(QStringLiteral("c"), 3));
        QCOMPARE(model.rowCount(), 2); // coalesced: not yet
        QTRY_COMPARE(model.rowCount(), 3);
        QCOMPARE(proxy.index(0, 0).data().toString(), QStringLiteral("c"));
    }

    // A burst of 1,000 changes reaches the view as one insert, not 1,000.
    void burstsAreCoalesced()
    {
        RequestTableModel model;
        const auto modelTester = tested(&model);
        QSignalSpy inserts(&model, &QAbstractItemModel::rowsInserted);
        QList<ProvisioningRequest> burst;
        for (int i = 0; i < 1000; ++i) {
            burst << request(QStringLiteral("vm-%1").arg(i), i % 60);
            model.applyChange(burst.back());
        }
        for (const ProvisioningRequest& r : std::as_const(burst))
            model.applyChange(moved(r, RequestState::QueuedForProvisioning));
        model.flush();
        QCOMPARE(inserts.count(), 1);
        QCOMPARE(model.rowCount(), 1000);
        QCOMPARE(model.requestAt(999)->state(), RequestState::QueuedForProvisioning);
    }

    // Progress shows while PROVISIONING and goes when the request moves on; late reports are ignored.
    void progressOnlyWhileProvisioning()
    {
        RequestTableModel model;
        const auto modelTester = tested(&model);
        const ProvisioningRequest r = request(QStringLiteral("p"), 1);
        model.setRequests({moved(r, RequestState::Provisioning)});
        const QModelIndex progress = model.index(0, RequestTableModel::ProgressColumn);
        QCOMPARE(progress.data(RequestTableModel::ProgressRole).toInt(), 0);
        model.applyProgress(RequestProgress{r.id(), 42, QStringLiteral("creating"), QStringLiteral("task-9")});
        model.flush();
        QCOMPARE(progress.data(RequestTableModel::ProgressRole).toInt(), 42);
        QCOMPARE(progress.data().toString(), QStringLiteral("42% · creating"));
        model.applyChange(moved(moved(r, RequestState::Provisioning), RequestState::Provisioned));
        model.applyProgress(RequestProgress{r.id(), 90, QStringLiteral("late"), QStringLiteral("task-9")});
        model.flush();
        QCOMPARE(progress.data(RequestTableModel::ProgressRole).toInt(), -1);
        QCOMPARE(model.index(0, RequestTableModel::StateColumn).data().toString(), QStringLiteral("Provisioned"));
    }

    // A fresh list replaces everything, including changes that were older than it.
    void aLoadedListWinsOverOlderPendingChanges()
    {
        RequestTableModel model;
        const auto modelTester = tested(&model);
        model.applyChange(request(QStringLiteral("old"), 1));
        model.setRequests({request(QStringLiteral("fresh"), 2)});
        model.flush();
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.requestAt(0)->spec().name, QStringLiteral("fresh"));
    }

    // The task of the request: the one that created it, the one running (from its progress), or the one
    // whose failure the error reports. Started is the first attempt, finished the step that settled it.
    void taskStartedAndFinishedColumns()
    {
        RequestTableModel model;
        const auto modelTester = tested(&model);
        ProvisioningRequest done = moved(moved(request(QStringLiteral("done"), 1), RequestState::Provisioning, 5),
                                         RequestState::Provisioned, 65);
        done.setTaskRef(QStringLiteral("task-71"));
        const ProvisioningRequest running = moved(request(QStringLiteral("running"), 2), RequestState::Provisioning, 7);
        Error fault = Error::make(ErrorKind::Business, QStringLiteral("vim-fault"), QStringLiteral("no room"),
                                  QStringLiteral("InsufficientResourcesFault"));
        fault.details.insert(QStringLiteral("createTaskRef"), QStringLiteral("task-80"));
        const ProvisioningRequest broken = failed(request(QStringLiteral("broken"), 3), fault);
        const ProvisioningRequest waiting = request(QStringLiteral("waiting"), 4);
        model.setRequests({waiting, broken, running, done}); // newest first, as the service lists them
        const int d = model.rowOf(done.id()), r = model.rowOf(running.id()), b = model.rowOf(broken.id()),
                  w = model.rowOf(waiting.id());

        QCOMPARE(cell(model, d, RequestTableModel::TaskColumn).toString(), QStringLiteral("task-71"));
        QCOMPARE(cell(model, b, RequestTableModel::TaskColumn).toString(), QStringLiteral("task-80"));
        QCOMPARE(cell(model, r, RequestTableModel::TaskColumn).toString(), QString());
        model.applyProgress(RequestProgress{running.id(), 10, QStringLiteral("creating"), QStringLiteral("task-90")});
        model.flush();
        QCOMPARE(cell(model, r, RequestTableModel::TaskColumn).toString(), QStringLiteral("task-90"));
        QCOMPARE(model.taskOf(running.id()), QStringLiteral("task-90"));

        const auto at = [](const ProvisioningRequest& req, int seconds) { return req.createdAt().addSecs(seconds); };
        QCOMPARE(cell(model, d, RequestTableModel::StartedColumn, RequestTableModel::SortRole).toDateTime(),
                 at(done, 5));
        QCOMPARE(cell(model, d, RequestTableModel::FinishedColumn, RequestTableModel::SortRole).toDateTime(),
                 at(done, 65));
        QCOMPARE(cell(model, d, RequestTableModel::FinishedColumn).toString(), UiFormat::localTime(at(done, 65)));
        QCOMPARE(cell(model, r, RequestTableModel::StartedColumn, RequestTableModel::SortRole).toDateTime(),
                 at(running, 7));
        QVERIFY(cell(model, r, RequestTableModel::FinishedColumn).toString().isEmpty()); // still running
        QCOMPARE(cell(model, b, RequestTableModel::FinishedColumn, RequestTableModel::SortRole).toDateTime(),
                 at(broken, 2));
        QVERIFY(cell(model, w, RequestTableModel::StartedColumn).toString().isEmpty()); // never sent
        QVERIFY(cell(model, w, RequestTableModel::FinishedColumn).toString().isEmpty());
    }

    // A queued row shows its next attempt while it lies ahead, and "waiting for vCenter" once it is due
    // (or when the service set none), by the model's clock.
    void queuedRowsWaitForVCenterOnceTheNextAttemptIsDue()
    {
        ManualClock clock;
        RequestTableModel model;
        model.setClock(clock);
        const auto modelTester = tested(&model);
        ProvisioningRequest later = moved(request(QStringLiteral("later"), 1), RequestState::QueuedForProvisioning);
        later.setNextAttemptAt(clock.utcNow().addSecs(30));
        const ProvisioningRequest unset =
            moved(request(QStringLiteral("unset"), 2), RequestState::QueuedForProvisioning);
        model.setRequests({unset, later});
        const int l = model.rowOf(later.id());
        QCOMPARE(cell(model, l, RequestTableModel::ProgressColumn).toString(),
                 QStringLiteral("next attempt %1").arg(UiFormat::localTime(later.nextAttemptAt())));
        QCOMPARE(cell(model, model.rowOf(unset.id()), RequestTableModel::ProgressColumn).toString(),
                 QStringLiteral("waiting for vCenter"));
        clock.advance(31s);
        QCOMPARE(cell(model, l, RequestTableModel::ProgressColumn).toString(), QStringLiteral("waiting for vCenter"));
        QVERIFY(cell(model, l, RequestTableModel::ProgressColumn, Qt::ToolTipRole)
                    .toString()
                    .startsWith(QStringLiteral("The next attempt was due at")));
        // The age is read by the same clock.
        QCOMPARE(cell(model, l, RequestTableModel::AgeColumn).toString(),
                 UiFormat::age(later.createdAt(), clock.utcNow()));
    }

    // The error column reads as a sentence with vCenter's fault name after it; its tooltip adds the raw
    // fault.
    void errorsReadAsSentences()
    {
        RequestTableModel model;
        model.setAccount(QStringLiteral("operator"), QStringLiteral("vc.test"));
        const auto modelTester = tested(&model);
        Error duplicate =
            Error::make(ErrorKind::Business, ErrorCode::DuplicateName,
                        QStringLiteral("The name 'app-01' already exists."), QStringLiteral("DuplicateName"));
        duplicate.details.insert(QStringLiteral("name"), QStringLiteral("app-01"));
        const ProvisioningRequest dup = failed(request(QStringLiteral("app-01"), 1), duplicate);
        const ProvisioningRequest refused =
            failed(request(QStringLiteral("r"), 2),
                   Error::make(ErrorKind::Business, QStringLiteral("placement-vanished"),
                               QStringLiteral("datastore '/DC0/datastore/ds9' no longer exists")));
        model.setRequests({refused, dup});
        const int d = model.rowOf(dup.id());
        QCOMPARE(cell(model, d, RequestTableModel::LastErrorColumn).toString(),
                 QStringLiteral("A VM named app-01 already exists in folder vm. Choose another name or folder. "
                                "(DuplicateName)"));
        const QString tip = cell(model, d, RequestTableModel::LastErrorColumn, Qt::ToolTipRole).toString();
        QVERIFY(tip.startsWith(cell(model, d, RequestTableModel::LastErrorColumn).toString() + QStringLiteral("\n\n")));
        QVERIFY(tip.contains(QStringLiteral("code: duplicate-name\nvimFault: DuplicateName")));
        QCOMPARE(cell(model, model.rowOf(refused.id()), RequestTableModel::LastErrorColumn).toString(),
                 QStringLiteral("Datastore '/DC0/datastore/ds9' no longer exists."));
    }

    void proxyFiltersByStateAndName()
    {
        RequestTableModel model;
        RequestFilterProxy proxy;
        proxy.setSourceModel(&model);
        const auto modelTester = tested(&model);
        const auto proxyTester = tested(&proxy);
        model.setRequests({moved(request(QStringLiteral("web-1"), 1), RequestState::QueuedForProvisioning),
                           request(QStringLiteral("web-2"), 2), request(QStringLiteral("db-1"), 3)});
        proxy.setNameFilter(QStringLiteral("WEB"));
        QCOMPARE(proxy.rowCount(), 2);
        proxy.setStates({RequestState::QueuedForProvisioning});
        QCOMPARE(proxy.rowCount(), 1);
        proxy.setNameFilter(QString());
        proxy.setStates({});
        QCOMPARE(proxy.rowCount(), 3);
    }

    // The whole life of the table under the tester: loads, bursts of new and changed rows, progress,
    // sorting by every column both ways, filters on and off, and a reload that drops rows.
    void modelAndProxyKeepTheItemModelContract()
    {
        RequestTableModel model;
        RequestFilterProxy proxy;
        proxy.setSourceModel(&model);
        const auto modelTester = tested(&model);
        const auto proxyTester = tested(&proxy);
        proxy.sort(RequestTableModel::AgeColumn, Qt::DescendingOrder);
        QList<ProvisioningRequest> loaded;
        for (int i = 0; i < 20; ++i)
            loaded << request(QStringLiteral("vm-%1").arg(i), i);
        model.setRequests(loaded);
        for (int i = 20; i < 40; ++i)
            model.applyChange(request(QStringLiteral("vm-%1").arg(i), i));
        for (int i = 0; i < 10; ++i)
            model.applyChange(moved(loaded.at(i), RequestState::Provisioning));
        model.flush();
        QCOMPARE(model.rowCount(), 40);
        model.applyProgress(RequestProgress{loaded.at(3).id(), 30, QStringLiteral("creating"), QStringLiteral("t")});
        model.applyChange(moved(moved(loaded.at(4), RequestState::Provisioning), RequestState::Provisioned));
        model.flush();
        for (int column = 0; column < model.columnCount(); ++column) {
            proxy.sort(column, Qt::AscendingOrder);
            proxy.sort(column, Qt::DescendingOrder);
            QCOMPARE(proxy.rowCount(), 40);
        }
        proxy.setStates({RequestState::Provisioning});
        QCOMPARE(proxy.rowCount(), 9);
        proxy.setNameFilter(QStringLiteral("vm-3"));
        QCOMPARE(proxy.rowCount(), 1);
        proxy.setStates({});
        proxy.setNameFilter(QString());
        model.setRequests(loaded.mid(0, 5));
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(proxy.rowCount(), 5);
    }
};

QTEST_MAIN(TestRequestTableModel)
#include "TestRequestTableModel.moc"
