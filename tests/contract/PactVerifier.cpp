#include "PactVerifier.h"

#include <atomic>
#include <memory>
#include <thread>

#include <QTest>

#include "PactFfi.h"

namespace {

struct Run
{
    std::atomic<bool> done{false};
    int result = -1;
    QString report;
};

} // namespace

PactVerifier::Outcome PactVerifier::run(const Options& options)
{
    auto shared = std::make_shared<Run>();
    const QByteArray host = options.provider.host().toUtf8();
    const QByteArray scheme = options.provider.scheme().toUtf8();
    const auto port = static_cast<unsigned short>(options.provider.port(scheme == "https" ? 443 : 80));
    const QByteArray states = options.providerStates.toString().toUtf8();
    const QByteArray file = options.pactFile.toUtf8();
    const QByteArray filter = options.onlyDescription.toUtf8();

    std::thread worker([=] {
        PactVerifierHandle* handle = pactffi_verifier_new_for_application("dcm-contract-tests", "1");
        pactffi_verifier_set_provider_info(handle, "vcenter", scheme.constData(), host.constData(), port, "/");
        // The verifier cannot pin a certificate: TLS checks are off for it (the provider-state client
        // pins the thumbprint). Thirty seconds per request, as the console's default call timeout.
        pactffi_verifier_set_verification_options(handle, 1, 30000);
        pactffi_verifier_set_coloured_output(handle, 0);
        pactffi_verifier_set_no_pacts_is_error(handle, 1);
        pactffi_verifier_set_provider_state(handle, states.constData(), 1, 1);
        if (!filter.isEmpty())
            pactffi_verifier_set_filter_info(handle, filter.constData(), nullptr, 0);
        pactffi_verifier_add_file_source(handle, file.constData());
        shared->result = pactffi_verifier_execute(handle);
        if (const char* output = pactffi_verifier_output(handle, 1)) {
            shared->report = QString::fromUtf8(output);
            pactffi_string_delete(const_cast<char*>(output));
        }
        pactffi_verifier_shutdown(handle);
        shared->done = true;
    });
    // The provider-state server answers from this thread's event loop meanwhile.
    const bool finished = QTest::qWaitFor([&] { return shared->done.load(); }, options.timeoutMs);
    if (!finished) {
        worker.detach(); // it still owns its copy of everything it uses
        return Outcome{-1, QStringLiteral("the verification did not finish within %1 ms").arg(options.timeoutMs)};
    }
    worker.join();
    return Outcome{shared->result, shared->report};
}
