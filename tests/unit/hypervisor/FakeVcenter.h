#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <QQueue>
#include <QString>
#include <QUrl>

#include <functional>
#include <memory>

class QTcpServer;
class QTcpSocket;

// An in-process HTTP(S) server that plays vCenter from recorded replies (tests/unit/hypervisor/data).
// Replies are chosen by SOAP method (the first element of the body) or "GET <file>", from a queue of
// one-shot replies first, then a default. It can also misbehave: hang, drop the connection, cut a body.
class FakeVcenter
{
public:
    enum class Mode
    {
        Normal,
        Chunked,     // Transfer-Encoding: chunked, in `chunk`-byte pieces
        Hang,        // read the request, never answer
        Drop,        // read the request, close the connection without a byte
        DropMidBody, // announce the full length, send half, close
    };
    struct Reply
    {
        int status = 200;
        QByteArray body;
        QList<QPair<QByteArray, QByteArray>> headers;
        Mode mode = Mode::Normal;
        int chunk = 4096;
    };
    struct Request
    {
        QByteArray verb;
        QByteArray path;
        QByteArray key; // SOAP method, or "GET <file>"
        QByteArray body;
        QMap<QByteArray, QByteArray> headers; // lower-case names
    };

    FakeVcenter();
    ~FakeVcenter();
    FakeVcenter(const FakeVcenter&) = delete;
    FakeVcenter& operator=(const FakeVcenter&) = delete;

    // Listens on 127.0.0.1 (a fresh port unless `port` is given); with TLS, serves data/tls/<cert>.
    bool start(bool tls = false, const QString& cert = QStringLiteral("server"), quint16 port = 0);
    // Closes the listener and every connection: the next call is refused.
    void stop();
    quint16 port() const;
    QUrl sdkUrl() const;

    void serve(const QByteArray& key, Reply reply) { m_defaults.insert(key, std::move(reply)); }
    void serveOnce(const QByteArray& key, Reply reply) { m_once[key].enqueue(std::move(reply)); }
    // vimServiceVersions.xml, RetrieveServiceContent, Login (new session cookie each time),
    // CurrentTime, CreateContainerView, DestroyView, Logout.
    void serveSession();

    // Sees every request before it is answered (tests change the script as calls arrive).
    std::function<void(const Request&)> onRequest;

    const QList<Request>& requests() const { return m_requests; }
    int count(const QByteArray& key) const;
    QList<Request> requestsFor(const QByteArray& key) const;
    int connections() const { return m_connections; }

    static QString dataDir();
    static QByteArray fixture(const QString& name);
    static Reply file(const QString& name, int status = 200);
    static Reply fault(const QString& faultName) { return file(QStringLiteral("Fault-%1.xml").arg(faultName), 500); }
    static QString thumbprintOf(const QString& cert);

private:
    void onConnection(QTcpSocket* socket);
    void onReadable(QTcpSocket* socket);
    void answer(QTcpSocket* socket, const Request& request);
    Reply pick(const QByteArray& key);

    std::unique_ptr<QTcpServer> m_server;
    QList<QPointer<QTcpSocket>> m_sockets;
    QHash<QTcpSocket*, QByteArray> m_buffers;
    QHash<QByteArray, Reply> m_defaults;
    QHash<QByteArray, QQueue<Reply>> m_once;
    QList<Request> m_requests;
    int m_sessions = 0;
    int m_connections = 0;
    bool m_tls = false;
};
