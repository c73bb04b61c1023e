// The request table's model and proxy: fed by snapshots, bursts coalesced into few model signals, live
// progress only while a task runs, and the proxy's state filter and name search. Every test runs both
// under QAbstractItemModelTester, which checks each signal and answer against the model contract.
#include "GuiHarness.h"

#include "ui/RequestFilterProxy.h"
#include "ui/RequestTableModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace dcm;

namespace {

ProvisioningRequest request(const QString& name, int minute)
{
    return ProvisioningRequest(QUuid::createUuid(), validSpec(name),
                               QDateTime(QDate(2026, 1, 1), QTime(8, minute), Qt::UTC));
}

ProvisioningRequest moved(ProvisioningRequest r, RequestState to)
{
    const Result<void> ok = r.transitionTo(to, QStringLiteral("test"), r.createdAt().addSecs(1));
    Q_ASSERT(ok.ok());
    return r;
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
