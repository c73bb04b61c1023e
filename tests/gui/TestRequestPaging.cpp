// The requests view over a history larger than a page, against the real service and a real SQLite
// store: the newest page first with the store's total, older pages when the table is scrolled to the
// bottom, search and state filters answered by the store (not by filtering what is at hand), and live
// changes (the service's own and another process's writes) still reaching the rows on screen, new
// requests on top.
#include "GuiHarness.h"

#include "app/storage/SqliteDatabase.h"
#include "app/storage/SqliteRequestStore.h"
#include "ui/RequestFilterProxy.h"
#include "ui/RequestTableModel.h"
#include "ui/RequestsPage.h"
#include "ui/UiSettings.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace dcm;

namespace {

// More than two pages: the third is a partial one.
constexpr int s_stored = 2 * RequestsPage::pageSize + 137;

QString nameOf(int i)
{
    return QStringLiteral("vm-%1").arg(i, 5, 10, QLatin1Char('0'));
}

} // namespace

class TestRequestPaging final : public QObject
{
    Q_OBJECT

private:
    IsolatedSettings m_settingsDir;
    QTemporaryDir m_dir;
    QString m_path;
    ManualClock m_clock;
    std::shared_ptr<FakeHypervisor> m_hypervisor;
    std::unique_ptr<ProvisioningService> m_service;
    std::unique_ptr<UiSettings> m_settings;
    std::unique_ptr<ServiceClient> m_client;
    std::unique_ptr<RequestsPage> m_page;
    QList<QUuid> m_ids; // oldest first
    int m_failed = 0;

    RequestTableModel* model() { return m_page->model(); }

    // Request i is created i minutes after the clock's start; every 7th failed, every 11th left queued.
    void fill()
    {
        auto opened = SqliteRequestStore::open(m_path);
        QVERIFY(opened.ok());
        // The fixture only: thousands of fsyncs would make the test slow on a busy disk; the service's
        // own connection keeps its durable settings.
        QVERIFY(QSqlQuery(opened.value()->database().database()).exec(QStringLiteral("PRAGMA synchronous=OFF")));
        const QDateTime start = m_clock.utcNow().addDays(-30);
        for (int i = 0; i < s_stored; ++i) {
            const QDateTime at = start.addSecs(i * 60);
            ProvisioningRequest r(QUuid::createUuid(), validSpec(nameOf(i)), at);
            QVERIFY(opened.value()->insert(r, QString(), at).ok());
            const RequestState to = i % 7 == 0    ? RequestState::Failed
                                    : i % 11 == 0 ? RequestState::QueuedForProvisioning
                                                  : RequestState::Cancelled;
            QVERIFY(r.transitionTo(to, QStringLiteral("fixture"), at.addSecs(1)).ok());
            QVERIFY(opened.value()->update(r, RequestState::Submitted).ok());
            m_ids.append(r.id());
            m_failed += to == RequestState::Failed ? 1 : 0;
        }
    }

    QStringList shownNames()
    {
        QStringList names;
        for (int row = 0; row < m_page->proxy()->rowCount(); ++row)
            names << m_page->proxy()->index(row, RequestTableModel::NameColumn).data().toString();
        return names;
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("paging-%1.sqlite").arg(QUuid::createUuid().toString(QUuid::Id128)));
        m_ids.clear();
        m_failed = 0;
        fill();
        m_hypervisor = std::make_shared<FakeHypervisor>();
        ServiceConfig config;
        config.tickInterval = std::chrono::milliseconds(0);
        config.owner = QStringLiteral("gui-test");
        auto hv = m_hypervisor;
        const QString path = m_path;
        m_service = std::make_unique<ProvisioningService>(
            [hv] { return std::unique_ptr<HypervisorPort>(std::make_unique<FakeHypervisorOwner>(hv)); },
            [path]() -> Result<std::unique_ptr<RequestStorePort>> {
                auto opened = SqliteRequestStore::open(path);
                if (!opened.ok())
                    return opened.error();
                return std::unique_ptr<RequestStorePort>(std::move(opened).value());
            },
            m_clock, config);
        m_service->initialize();
        m_settings = std::make_unique<UiSettings>();
        m_client = std::make_unique<ServiceClient>(*m_service);
        m_page = std::make_unique<RequestsPage>(m_client.get(), m_settings.get());
        m_page->setClock(m_clock);
        m_page->stateFilter()->setCurrentIndex(0); // All requests, whatever the settings remember
        m_page->resize(1240, 740);
        m_page->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
    }
    void cleanup()
    {
        m_page.reset();
        m_client.reset();
        m_settings.reset();
        m_service.reset();
        m_hypervisor.reset();
    }

    // The newest page only, newest on top, with the store's count of the whole history.
    void theNewestPageComesFirstWithTheTotal()
    {
        QSignalSpy pages(m_client.get(), &ServiceClient::requestPageLoaded);
        m_page->reload();
        QTRY_COMPARE(pages.count(), 1);
        QCOMPARE(model()->rowCount(), RequestsPage::pageSize);
        QCOMPARE(model()->totalCount(), s_stored);
        QVERIFY(model()->hasMore());
        QCOMPARE(shownNames().constFirst(), nameOf(s_stored - 1));
        QCOMPARE(shownNames().constLast(), nameOf(s_stored - RequestsPage::pageSize));
        const QString count = m_page->findChild<QLabel*>(QStringLiteral("requestCount"))->text();
        QVERIFY2(count.contains(QLocale().toString(s_stored)), qPrintable(count));
    }

    // Scrolled to the bottom, the table asks the store for the page after the last row, until none is left.
    void scrollingToTheBottomFetchesTheNextPage()
    {
        QSignalSpy pages(m_client.get(), &ServiceClient::requestPageLoaded);
        m_page->reload();
        QTRY_COMPARE(model()->rowCount(), RequestsPage::pageSize);
        m_page->table()->scrollToBottom();
        QTRY_COMPARE(model()->rowCount(), 2 * RequestsPage::pageSize);
        QCOMPARE(pages.count(), 2);
        const auto second = pages.at(1).at(0).value<RequestPage>();
        QVERIFY(second.filter.olderThan.has_value());
        QCOMPARE(second.filter.olderThan->id, m_ids.at(s_stored - RequestsPage::pageSize));
        m_page->table()->scrollToBottom();
        QTRY_COMPARE(model()->rowCount(), s_stored);
        QVERIFY(!model()->hasMore());
        QVERIFY(!model()->canFetchMore(QModelIndex()));
        // Every stored request once, newest first.
        QStringList expected;
        for (int i = s_stored - 1; i >= 0; --i)
            expected << nameOf(i);
        QCOMPARE(shownNames(), expected);
    }

    // The search goes to the store: a request far beyond the first page is found, counted by the store.
    void aSearchIsAnsweredByTheStore()
    {
        m_page->reload();
        QTRY_COMPARE(model()->rowCount(), RequestsPage::pageSize);
        QSignalSpy pages(m_client.get(), &ServiceClient::requestPageLoaded);
        m_page->searchField()->setText(QStringLiteral("VM-0001")); // vm-00010 .. vm-00019: not in the first page
        QTRY_COMPARE(pages.count(), 1);
        const auto page = pages.at(0).at(0).value<RequestPage>();
        QCOMPARE(page.filter.nameContains, QStringLiteral("VM-0001"));
        QCOMPARE(page.total, 10);
        QCOMPARE(model()->rowCount(), 10);
        QCOMPARE(shownNames().constFirst(), nameOf(19));
        QCOMPARE(shownNames().constLast(), nameOf(10));
    }

    // The state filter goes to the store too, with the count of that state.
    void aStateFilterIsAnsweredByTheStore()
    {
        m_page->reload();
        QTRY_COMPARE(model()->rowCount(), RequestsPage::pageSize);
        QSignalSpy pages(m_client.get(), &ServiceClient::requestPageLoaded);
        m_page->stateFilter()->setCurrentIndex(m_page->stateFilter()->findText(QStringLiteral("Failed")));
        QTRY_COMPARE(pages.count(), 1);
        const auto page = pages.at(0).at(0).value<RequestPage>();
        QCOMPARE(page.filter.states, QList<RequestState>{RequestState::Failed});
        QCOMPARE(page.total, m_failed);
        QCOMPARE(model()->rowCount(), std::min(m_failed, int(RequestsPage::pageSize)));
        for (int row = 0; row < model()->rowCount(); ++row)
            QCOMPARE(model()->requestAt(row)->state(), RequestState::Failed);
        // The oldest failed one (request 0) is in the store's answer, far beyond the newest 500.
        QVERIFY(model()->request(m_ids.at(0)));
    }

    // A change reported by the service updates the row on screen; a new request comes in on top and is
    // counted; an older request that changed before its page was read is shown once, not counted again.
    void liveChangesReachTheRowsOnScreen()
    {
        m_page->reload();
        QTRY_COMPARE(model()->rowCount(), RequestsPage::pageSize);
        // Queued ones (every 11th that is not every 7th): the newest is on screen, one of the second page is not.
        const auto queuedBelow = [](int i) {
            while (i % 11 != 0 || i % 7 == 0)
                --i;
            return i;
        };
        const QUuid onScreen = m_ids.at(queuedBelow(s_stored - 1));
        const QUuid later = m_ids.at(queuedBelow(s_stored - RequestsPage::pageSize - 1));
        QCOMPARE(model()->request(onScreen)->state(), RequestState::QueuedForProvisioning);
        QVERIFY(!model()->request(later));

        m_client->cancel(onScreen);
        QTRY_VERIFY(model()->request(onScreen) && model()->request(onScreen)->state() == RequestState::Cancelled);
        QCOMPARE(model()->rowCount(), RequestsPage::pageSize);

        m_client->submit(validSpec(QStringLiteral("brand-new")));
        QTRY_COMPARE(shownNames().constFirst(), QStringLiteral("brand-new"));
        QCOMPARE(model()->totalCount(), s_stored + 1);

        m_client->cancel(later);
        QTRY_VERIFY(model()->request(later) && model()->request(later)->state() == RequestState::Cancelled);
        QCOMPARE(model()->totalCount(), s_stored + 1);

        m_page->table()->scrollToBottom();
        QTRY_COMPARE(model()->rowCount(), 2 * RequestsPage::pageSize + 1);
        QCOMPARE(shownNames().count(QStringLiteral("brand-new")), 1);
        const QString laterName = model()->request(later)->spec().name;
        QCOMPARE(shownNames().count(laterName), 1);
        QCOMPARE(model()->request(later)->state(), RequestState::Cancelled);
    }

    // A request another process writes to the same database (dcmctl, another console) comes in on top
    // when the service follows others' writes, and is counted.
    void anotherWritersRequestComesInOnTop()
    {
        m_page->reload();
        QTRY_COMPARE(model()->rowCount(), RequestsPage::pageSize);
        auto other = SqliteRequestStore::open(m_path);
        QVERIFY(other.ok());
        const QDateTime at = m_clock.utcNow().addSecs(1);
        const ProvisioningRequest theirs(QUuid::createUuid(), validSpec(QStringLiteral("from-dcmctl")), at);
        QVERIFY(other.value()->insert(theirs, QString(), at).ok());
        m_service->tick(); // what the service's timer does every second
        QTRY_COMPARE(shownNames().constFirst(), QStringLiteral("from-dcmctl"));
        QCOMPARE(model()->totalCount(), s_stored + 1);
        QCOMPARE(model()->rowCount(), RequestsPage::pageSize + 1);
    }

    // Under a state filter, a new request in another state is shown nowhere and not counted.
    void aNewRequestOutsideTheFilterIsNotCounted()
    {
        m_page->reload();
        QTRY_COMPARE(model()->rowCount(), RequestsPage::pageSize);
        QSignalSpy pages(m_client.get(), &ServiceClient::requestPageLoaded);
        m_page->stateFilter()->setCurrentIndex(m_page->stateFilter()->findText(QStringLiteral("Failed")));
        QTRY_COMPARE(pages.count(), 1);
        QCOMPARE(model()->totalCount(), m_failed);
        QSignalSpy changed(m_client.get(), &ServiceClient::requestChanged);
        m_client->submit(validSpec(QStringLiteral("queued-meanwhile")));
        QTRY_VERIFY(!changed.isEmpty());
        model()->flush();
        QCOMPARE(model()->totalCount(), m_failed);
        QVERIFY(!shownNames().contains(QStringLiteral("queued-meanwhile")));
    }
};

QTEST_MAIN(TestRequestPaging)
#include "TestRequestPaging.moc"
