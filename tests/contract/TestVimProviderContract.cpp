#include <memory>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include "PactFfi.h"
#include "PactVerifier.h"
#include "ProviderStateServer.h"
#include "VcsimProcess.h"
#include "VimProviderStates.h"

// Provider side of the vim25 contract: the committed pact (tests/contract/pacts/) is replayed against
// vCenter — the bundled simulator over HTTPS, or a real vCenter named by DCM_PACT_PROVIDER_URL (see
// docs/CONTRACTS.md) — with its provider states set up by VimProviderStates. Negative controls show
// that the verification fails when the provider answers otherwise: a vim fault injected through the
// simulator's door, and a reply rule (keyed by namespace-expanded path) the provider does not meet.
class TestVimProviderContract : public QObject
{
    Q_OBJECT

    std::unique_ptr<VcsimProcess> m_sim; // none when verifying a real vCenter
    std::unique_ptr<VimProviderStates> m_states;
    std::unique_ptr<ProviderStateServer> m_stateServer;
    VimProviderStates::Target m_target;
    QString m_pactFile;

    PactVerifier::Outcome verify(const QString& onlyDescription = {}, const QString& pactFile = {})
    {
        PactVerifier::Options options;
        options.provider = m_target.sdkUrl;
        options.providerStates = m_stateServer->url();
        options.pactFile = pactFile.isEmpty() ? m_pactFile : pactFile;
        options.onlyDescription = onlyDescription;
        return PactVerifier::run(options);
    }

    static QString explain(const PactVerifier::Outcome& outcome, const QStringList& stateFailures)
    {
        return QStringLiteral("verifier result %1\n%2\nprovider-state failures: %3")
            .arg(outcome.result)
            .arg(outcome.report, stateFailures.join(QStringLiteral("; ")));
    }

    QJsonObject pact() const
    {
        QFile f(m_pactFile);
        return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object() : QJsonObject();
    }

private slots:
    void initTestCase()
    {
        qputenv("PACT_DO_NOT_TRACK", "true");
        pactffi_log_to_stderr(static_cast<PactLevelFilter>(qEnvironmentVariableIntValue("DCM_PACT_LOG_LEVEL")));
        // The committed pact unless another is named (a pact written by the consumer tests, say).
        m_pactFile = qEnvironmentVariable("DCM_PACT_FILE", QStringLiteral(DCM_COMMITTED_PACT));
        QVERIFY2(QFile::exists(m_pactFile), qPrintable(QStringLiteral("no pact at %1").arg(m_pactFile)));

        const QString server = qEnvironmentVariable("DCM_PACT_PROVIDER_URL");
        if (server.isEmpty()) {
            // No standalone hosts: the placement view then lists the cluster right after the host folder.
            m_sim = std::make_unique<VcsimProcess>(QStringList{QStringLiteral("-standalone"), QStringLiteral("0")});
            QString error;
            QVERIFY2(m_sim->start(&error), qPrintable(error));
            m_target.sdkUrl = m_sim->sdkUrl();
            m_target.thumbprint = m_sim->thumbprint();
            m_target.user = m_sim->username();
            m_target.password = m_sim->password();
            m_target.control = [this](const QString& path) {
                return m_sim->post(path).value(QStringLiteral("ok")).toBool();
            };
            m_target.controlWith = [this](const QString& path, const QJsonObject& body) {
                return m_sim->post(path, body).value(QStringLiteral("ok")).toBool();
            };
        } else {
            m_target.sdkUrl = QUrl(server);
            m_target.thumbprint = qEnvironmentVariable("DCM_PACT_PROVIDER_THUMBPRINT").toUpper();
            m_target.user = qEnvironmentVariable("DCM_PACT_PROVIDER_USER");
            m_target.password = qEnvironmentVariable("DCM_PASSWORD");
            QVERIFY2(m_target.sdkUrl.isValid() && !m_target.user.isEmpty() && !m_target.password.isEmpty(),
                     "a real vCenter needs DCM_PACT_PROVIDER_URL, DCM_PACT_PROVIDER_USER and DCM_PASSWORD");
        }
        m_states = std::make_unique<VimProviderStates>(m_target);
        m_stateServer = std::make_unique<ProviderStateServer>(*m_states);
        QVERIFY(m_stateServer->listen());
    }

    void cleanupTestCase()
    {
        m_stateServer.reset();
        m_states.reset(); // removes what the last interaction left
        m_sim.reset();
    }

    // Every interaction of the committed pact (or those whose description matches $DCM_PACT_ONLY), in one
    // run of the verifier.
    void everyInteractionHoldsAgainstTheProvider()
    {
        const QString only = qEnvironmentVariable("DCM_PACT_ONLY");
        const PactVerifier::Outcome outcome = verify(only);
        QVERIFY2(outcome.result == 0, qPrintable(explain(outcome, m_stateServer->failures())));
        QVERIFY2(m_stateServer->failures().isEmpty(), qPrintable(m_stateServer->failures().join(QLatin1Char('\n'))));
        // Nothing was skipped: one verified response per interaction.
        const qsizetype interactions = pact().value(QStringLiteral("interactions")).toArray().size();
        QVERIFY(interactions > 0);
        if (only.isEmpty())
            QCOMPARE(outcome.report.count(QLatin1String("returns a response which")), interactions);
    }

    // A task-returning call's reply is only the task: the pact cannot say whether the task then
    // succeeded. The replayed CloneVM_Task must have made the clone: the tear-down after it finds two
    // VMs by their request keys (the template and the clone), not one.
    void theReplayedCloneMakesTheClone()
    {
        m_states->resetCounts();
        const PactVerifier::Outcome outcome = verify(QStringLiteral("^CloneVM_Task: "));
        QVERIFY2(outcome.result == 0, qPrintable(explain(outcome, m_stateServer->failures())));
        QCOMPARE(m_states->vmsRemoved(), 2);
    }

    // Negative control: the provider answers the scout with a vim fault (injected through the
    // simulator's door) instead of its clock; the verification must fail.
    void aProviderAnsweringAFaultFailsTheVerification()
    {
        if (!m_sim)
            QSKIP("needs the bundled simulator's fault door");
        const QJsonObject fault{{QStringLiteral("method"), QStringLiteral("CurrentTime")},
                                {QStringLiteral("fault"), QStringLiteral("SystemError")},
                                {QStringLiteral("message"), QStringLiteral("injected by the contract test")},
                                {QStringLiteral("count"), -1}};
        QVERIFY(m_sim->post(QStringLiteral("/fault"), fault).value(QStringLiteral("ok")).toBool());
        const PactVerifier::Outcome outcome = verify(QStringLiteral("^CurrentTime: the server's clock"));
        m_sim->reset();
        QVERIFY2(outcome.result != 0, qPrintable(explain(outcome, {})));
        QVERIFY2(outcome.report.contains(QLatin1String("has status code 200 (FAILED)")), qPrintable(outcome.report));
        QVERIFY2(outcome.report.contains(QLatin1String("1) Verifying a pact between")), qPrintable(outcome.report));
    }

    // Negative control for the namespace pitfall: the reply rules are keyed by namespace-expanded paths
    // and therefore applied. A copy of the pact whose CurrentTime rule demands another year must fail.
    void aReplyRuleTheProviderBreaksFailsTheVerification()
    {
        QJsonObject doc = pact();
        QJsonArray interactions = doc.value(QStringLiteral("interactions")).toArray();
        bool changed = false;
        const QString path = QStringLiteral("$['http://schemas.xmlsoap.org/soap/envelope/:Envelope']"
                                            "['http://schemas.xmlsoap.org/soap/envelope/:Body']"
                                            "['urn:vim25:CurrentTimeResponse']['urn:vim25:returnval']['#text']");
        for (qsizetype i = 0; i < interactions.size(); ++i) {
            QJsonObject interaction = interactions[i].toObject();
            if (!interaction.value(QStringLiteral("description"))
                     .toString()
                     .startsWith(QLatin1String("CurrentTime: the server's clock")))
                continue;
            QJsonObject response = interaction.value(QStringLiteral("response")).toObject();
            QJsonObject rules = response.value(QStringLiteral("matchingRules")).toObject();
            QJsonObject body = rules.value(QStringLiteral("body")).toObject();
            QVERIFY2(body.contains(path), "the CurrentTime reply has no rule at the namespace-expanded path");
            body.insert(path,
                        QJsonObject{{QStringLiteral("matchers"),
                                     QJsonArray{QJsonObject{{QStringLiteral("match"), QStringLiteral("regex")},
                                                            {QStringLiteral("regex"), QStringLiteral("^1999-")}}}}});
            rules.insert(QStringLiteral("body"), body);
            response.insert(QStringLiteral("matchingRules"), rules);
            interaction.insert(QStringLiteral("response"), response);
            interactions[i] = interaction;
            changed = true;
        }
        QVERIFY(changed);
        doc.insert(QStringLiteral("interactions"), interactions);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QFile tampered(dir.filePath(QStringLiteral("tampered.json")));
        QVERIFY(tampered.open(QIODevice::WriteOnly));
        tampered.write(QJsonDocument(doc).toJson());
        tampered.close();

        const PactVerifier::Outcome outcome =
            verify(QStringLiteral("^CurrentTime: the server's clock"), tampered.fileName());
        QVERIFY2(outcome.result != 0, qPrintable(explain(outcome, {})));
        QVERIFY2(outcome.report.contains(QLatin1String("^1999-")), qPrintable(outcome.report));
    }
};

QTEST_GUILESS_MAIN(TestVimProviderContract)
#include "TestVimProviderContract.moc"
