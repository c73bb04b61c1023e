#include "PactMockServer.h"

#include <QDir>

PactMockServer::PactMockServer() : m_pact(pactffi_new_pact(kConsumer, kProvider))
{
    pactffi_with_specification(m_pact, PactSpecV3);
}

PactMockServer::~PactMockServer()
{
    if (m_port > 0)
        pactffi_cleanup_mock_server(m_port);
    pactffi_free_pact_handle(m_pact);
}

bool PactMockServer::start(QString* error)
{
    const std::int32_t port = pactffi_create_mock_server_for_transport(m_pact, "127.0.0.1", 0, "http", nullptr);
    if (port <= 0) {
        *error = QStringLiteral("pact mock server did not start (pact_ffi error %1)").arg(port);
        return false;
    }
    m_port = port;
    return true;
}

QUrl PactMockServer::sdkUrl() const
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(m_port);
    url.setPath(QStringLiteral("/sdk"));
    return url;
}

bool PactMockServer::matched() const
{
    return m_port > 0 && pactffi_mock_server_matched(m_port);
}

QString PactMockServer::mismatches() const
{
    if (m_port <= 0)
        return {};
    const char* report = pactffi_mock_server_mismatches(m_port); // owned by the mock server
    return report ? QString::fromUtf8(report) : QString();
}

bool PactMockServer::writeTo(const QString& directory, QString* error) const
{
    if (!QDir().mkpath(directory)) {
        *error = QStringLiteral("cannot create %1").arg(directory);
        return false;
    }
    const std::int32_t result =
        pactffi_write_pact_file(m_port, QDir(directory).absolutePath().toUtf8().constData(), false);
    if (result != 0) {
        *error = QStringLiteral("pact_ffi could not write the pact into %1 (error %2)").arg(directory).arg(result);
        return false;
    }
    return true;
}
