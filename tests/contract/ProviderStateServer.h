#pragma once

#include <QObject>
#include <QStringList>
#include <QTcpServer>
#include <QUrl>

class QTcpSocket;
class VimProviderStates;

// The provider-state endpoint the Pact verifier POSTs to before (and after) each interaction:
// {"state": …, "params": {…}, "action": "setup" | "teardown"}. A set-up answers a JSON object whose
// values feed the request's provider-state generators. HTTP/1.1 on loopback, one request per
// connection; it serves from the thread that owns it while the verifier runs on another.
class ProviderStateServer final : public QObject
{
    Q_OBJECT
public:
    explicit ProviderStateServer(VimProviderStates& states, QObject* parent = nullptr);

    bool listen();
    QUrl url() const;
    // Set-ups that failed, "state: why" (the verifier is answered all the same).
    QStringList failures() const { return m_failures; }

private:
    void accept();
    void read(QTcpSocket* socket);
    QByteArray handle(const QByteArray& body);

    VimProviderStates& m_states;
    QTcpServer m_server;
    QStringList m_failures;
};
