// The console moving its service to another queue (ProvisioningService::useQueue) with fakes and a
// manual clock: a call in flight lands in the queue it came from before the stores are swapped, nothing
// is accepted meanwhile, and a team database's password is looked for in the keychain first, then left
// to libpq, then asked for.
#include "DomainQCompare.h"
#include "FakeHypervisor.h"
#include "FakeHypervisorOwner.h"
#include "FakeRequestStore.h"
#include "FakeRequestStoreOwner.h"
#include "ManualClock.h"

#include "app/service/ProvisioningService.h"

#include <QHash>
#include <QSignalSpy>
#include <QTest>

using namespace dcm;
using namespace std::chrono_literals;

namespace {

const QString kTeam = QStringLiteral("postgresql://ann@db.test/dcm");
const QString kTeamKey = QStringLiteral("postgresql://ann@db.test/dcm");

// A keychain in memory, answering later through the event loop as the real one does.
struct MemoryKeychain
{
    QHash<QString, QString> entries;
    int reads = 0;
};

class MemoryKeychainOwner final : public QObject, public CredentialStorePort
{
public:
    explicit MemoryKeychainOwner(std::shared_ptr<MemoryKeychain> k) : m_k(std::move(k)) {}
    void readPassword(const QString& key, Done<QString> done) override
    {
        ++m_k->reads;
        QMetaObject::invokeMethod(
            this,
            [k = m_k, key, done] {
                if (k->entries.contains(key))
                    done(k->entries.value(key));
                else
                    done(Error::make(ErrorKind::Authentication, ErrorCode::NoPassword, QStringLiteral("none")));
            },
            Qt::QueuedConnection);
    }
    void writePassword(const QString& key, const QString& password, Done<void> done) override
    {
        m_k->entries.insert(key, password);
        done({});
    }
    void removePassword(const QString& key, Done<void> done) override
    {
        m_k->entries.remove(key);
        done({});
    }

private:
    std::shared_ptr<MemoryKeychain> m_k;
};

VmSpec validSpec(const QString& name)
{
    VmSpec s;
    s.name = name;
    s.cpus = 2;
    s.coresPerSocket = 1;
    s.memoryMiB = 2048;
    s.disks = {DiskSpec{10240, true}};
    s.nics = {dcm::NicSpec{QStringLiteral("VM Network")}};
    s.datastore = QStringLiteral("ds1");
    s.datacenter = QStringLiteral("DC0");
    s.cluster = QStringLiteral("C0");
    s.guestId = QStringLiteral("otherLinux64Guest");
    return s;
}

} // namespace

class TestQueueSwitch final : public QObject
{
    Q_OBJECT

private:
    ManualClock m_clock;
    FakeHypervisor* m_hv = nullptr;
    std::shared_ptr<FakeRequestStore> m_local;
    std::shared_ptr<FakeRequestStore> m_team;
    std::shared_ptr<MemoryKeychain> m_keychain;
    // What the opener was handed, in order: (location, password).
    QList<std::pair<QString, QString>> m_opened;
    // The team database wants this password; empty: any.
    QString m_teamPassword;
    std::unique_ptr<ProvisioningService> m_service;

    void makeService()
    {
        ServiceConfig config;
        config.tickInterval = 0ms;
        config.owner = QStringLiteral("test-owner");
        auto hv = std::make_shared<FakeHypervisor>();
        m_hv = hv.get();
        m_local = std::make_shared<FakeRequestStore>();
        m_team = std::make_shared<FakeRequestStore>();
        m_keychain = std::make_shared<MemoryKeychain>();
        m_opened.clear();
        m_service = std::make_unique<ProvisioningService>(
            [hv]() { return std::unique_ptr<HypervisorPort>(new FakeHypervisorOwner(hv)); },
            ProvisioningService::StoreFactory{}, m_clock, config);
        m_service->setCredentialStoreFactory(
            [k = m_keychain] { return std::unique_ptr<CredentialStorePort>(new MemoryKeychainOwner(k)); });
        ProvisioningService::QueueOpener opener;
        opener.open = [this](const QString& location,
                             const QString& password) -> Result<ProvisioningService::QueueStores> {
            m_opened.append({location, password});
            const bool team = location == kTeam;
            if (team && !m_teamPassword.isEmpty() && password != m_teamPassword)
                return password.isEmpty()
                           ? Error::make(ErrorKind::Authentication, ErrorCode::NoPassword, QStringLiteral("asks"))
                           : Error::make(ErrorKind::Authentication, QStringLiteral("database-password-refused"),
                                         QStringLiteral("refused"));
            ProvisioningService::QueueStores stores;
            stores.store = std::make_unique<FakeRequestStoreOwner>(team ? m_team : m_local);
            return stores;
        };
        opener.credentialKey = [](const QString& location) { return location == kTeam ? kTeamKey : QString(); };
        opener.name = [](const QString& location) {
            return location.isEmpty() ? QStringLiteral("/tmp/requests.sqlite") : QStringLiteral("db.test/dcm");
        };
        m_service->setQueueOpener(opener, QString());
        QSignalSpy changed(m_service.get(), &ProvisioningService::queueChanged);
        m_service->initialize();
        QTRY_COMPARE(changed.size(), 1);
        QCOMPARE(changed.at(0).at(1).toBool(), false);
        QVERIFY(m_service->isInitialized());
    }

    void connectService()
    {
        ConnectionSettings s;
        s.server = QUrl(QStringLiteral("https://vc.test/sdk"));
        s.user = QStringLiteral("operator");
        s.password = QStringLiteral("secret");
        m_service->connectTo(s);
        QTRY_COMPARE(int(m_service->connectionStatus().state), int(ConnectionStatus::State::Connected));
    }

private Q_SLOTS:
    void init() { m_teamPassword.clear(); }

    // Pins: a call in flight when the operator switches lands in the queue it came from; until it has,
    // the stores stay and nothing is accepted (with the reason); then the new queue's requests are shown.
    void switchWaitsForWhatIsInFlight()
    {
        makeService();
        connectService();
        m_hv->setHoldCalls(true);
        const SubmitAnswer started = m_service->submit(validSpec(QStringLiteral("in-flight")));
        QCOMPARE(int(started.outcome), int(SubmitAnswer::Outcome::Started));
        QTRY_VERIFY(m_hv->heldCount() > 0);
        const ProvisioningRequest theirs(QUuid::createUuid(), validSpec(QStringLiteral("team-one")), m_clock.utcNow());
        QVERIFY(m_team->insert(theirs, QStringLiteral("other"), m_clock.utcNow()).ok());

        QSignalSpy changed(m_service.get(), &ProvisioningService::queueChanged);
        m_service->useQueue(kTeam);
        QTRY_VERIFY(m_service->isSwitchingQueue());
        QCOMPARE(changed.size(), 0);
        QCOMPARE(m_service->queueLocation(), QString());
        const SubmitAnswer refused = m_service->submit(validSpec(QStringLiteral("meanwhile")));
        QCOMPARE(int(refused.outcome), int(SubmitAnswer::Outcome::Failed));
        QCOMPARE(refused.error->code, QStringLiteral("switching-queue"));
        QCOMPARE(m_local->list(RequestFilter{}).value().size(), 1);
        QCOMPARE(m_team->list(RequestFilter{}).value().size(), 1);

        m_hv->setHoldCalls(false);
        m_hv->completeAllHeld();
        QTRY_COMPARE(changed.size(), 1);
        QCOMPARE(changed.at(0).at(0).toString(), kTeam);
        QCOMPARE(changed.at(0).at(1).toBool(), true);
        QCOMPARE(changed.at(0).at(2).toString(), QStringLiteral("db.test/dcm"));
        QVERIFY(!m_service->isSwitchingQueue());
        // The call that was in flight landed in this workstation's queue, not the team's.
        auto mine = m_local->get(started.id).value();
        QVERIFY(mine);
        QCOMPARE(mine->state(), RequestState::Provisioned);
        QVERIFY(!m_team->get(started.id).value());
        // A view's first page after the switch reads the team's queue.
        QSignalSpy loaded(m_service.get(), &ProvisioningService::requestPageLoaded);
        RequestFilter first;
        first.limit = 500;
        m_service->loadRequestPage(first, 7);
        QCOMPARE(loaded.size(), 1);
        const auto page = loaded.at(0).at(0).value<RequestPage>();
        QCOMPARE(page.token, quint64(7));
        QCOMPARE(page.total, 1);
        QCOMPARE(page.requests.size(), 1);
        QCOMPARE(page.requests.at(0).id(), theirs.id());
        // New submits go to the team's queue now.
        const SubmitAnswer next = m_service->submit(validSpec(QStringLiteral("after")));
        QVERIFY(!next.id.isNull());
        QVERIFY(m_team->get(next.id).value());
        QVERIFY(!m_local->get(next.id).value());
    }

    // Pins: the keychain's password is handed over first; without an entry none is (libpq then reads
    // PGPASSWORD, then PGPASSFILE); a server that still wants one gets the operator asked, and a typed
    // password is kept in the keychain only when asked to and only once it worked.
    void passwordLookupOrder()
    {
        makeService();
        m_teamPassword = QStringLiteral("team-secret");
        m_keychain->entries.insert(kTeamKey, QStringLiteral("team-secret"));
        QSignalSpy changed(m_service.get(), &ProvisioningService::queueChanged);
        m_service->useQueue(kTeam);
        QTRY_COMPARE(changed.size(), 1);
        QCOMPARE(m_opened.last(), std::make_pair(kTeam, QStringLiteral("team-secret")));

        // Back to this workstation: no password, no keychain read.
        const int reads = m_keychain->reads;
        m_service->useQueue(QString());
        QTRY_COMPARE(changed.size(), 2);
        QCOMPARE(m_opened.last(), std::make_pair(QString(), QString()));
        QCOMPARE(m_keychain->reads, reads);

        // No entry: nothing handed over; the server wants one: the operator is asked, nothing moves.
        m_keychain->entries.clear();
        QSignalSpy asked(m_service.get(), &ProvisioningService::queuePasswordRequired);
        m_service->useQueue(kTeam);
        QTRY_COMPARE(asked.size(), 1);
        QCOMPARE(m_opened.last(), std::make_pair(kTeam, QString()));
        QVERIFY(!asked.at(0).at(2).value<std::optional<Error>>()); // "none found", not "refused"
        QCOMPARE(m_service->queueLocation(), QString());
        QCOMPARE(changed.size(), 2);

        // A wrong password typed: asked again with the reason, nothing stored.
        m_service->useQueue(kTeam, QStringLiteral("wrong"), true);
        QTRY_COMPARE(asked.size(), 2);
        QVERIFY(asked.at(1).at(2).value<std::optional<Error>>());
        QVERIFY(m_keychain->entries.isEmpty());

        // The right one, remembered: switched, and in the keychain under the key dcmctl login --for-db uses.
        m_service->useQueue(kTeam, QStringLiteral("team-secret"), true);
        QTRY_COMPARE(changed.size(), 3);
        QCOMPARE(m_keychain->entries.value(kTeamKey), QStringLiteral("team-secret"));
        QCOMPARE(m_service->queueLocation(), kTeam);
    }
};

QTEST_GUILESS_MAIN(TestQueueSwitch)
#include "TestQueueSwitch.moc"
