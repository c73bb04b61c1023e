#include "FakeVcenter.h"

#include <QCryptographicHash>
#include <QFile>
#include <QRegularExpression>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>

FakeVcenter::FakeVcenter() = default;

FakeVcenter::~FakeVcenter()
{
    stop();
}

QString FakeVcenter::dataDir()
{
    return QStringLiteral(DCM_HV_TEST_DATA);
}

QByteArray FakeVcenter::fixture(const QString& name)
{
    QFile f(dataDir() + QLatin1Char('/') + name);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(f.fileName()));
    return f.readAll();
}

FakeVcenter::Reply FakeVcenter::file(const QString& name, int status)
{
    Reply r;
    r.status = status;
    r.body = fixture(name);
    return r;
}

QString FakeVcenter::thumbprintOf(const QString& cert)
{
    const QSslCertificate c(fixture(QStringLiteral("tls/%1.crt").arg(cert)), QSsl::Pem);
    return QString::fromLatin1(QCryptographicHash::hash(c.toDer(), QCryptographicHash::Sha256).toHex(':').toUpper());
}

bool FakeVcenter::start(bool tls, const QString& cert, quint16 port)
{
    m_tls = tls;
    if (tls) {
        auto server = std::make_unique<QSslServer>();
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        config.setLocalCertificate(QSslCertificate(fixture(QStringLiteral("tls/%1.crt").arg(cert)), QSsl::Pem));
        config.setPrivateKey(QSslKey(fixture(QStringLiteral("tls/%1.key").arg(cert)), QSsl::Rsa, QSsl::Pem));
        config.setPeerVerifyMode(QSslSocket::VerifyNone);
        server->setSslConfiguration(config);
        m_server = std::move(server);
    } else {
        m_server = std::make_unique<QTcpServer>();
    }
    // QSslServer queues a connection only once its handshake is done, and says so with
    // pendingConnectionAvailable (newConnection fires at accept time, before that).
    QObject::connect(m_server.get(), &QTcpServer::pendingConnectionAvailable, m_server.get(), [this] {
        while (QTcpSocket* s = m_server->nextPendingConnection())
            onConnection(s);
    });
    return m_server->listen(QHostAddress::LocalHost, port);
}

void FakeVcenter::stop()
{
    if (m_server)
        m_server->close();
    for (const QPointer<QTcpSocket>& s : std::as_const(m_sockets)) {
        if (s) {
            s->abort();
            s->deleteLater();
        }
    }
    m_sockets.clear();
    m_buffers.clear();
}

quint16 FakeVcenter::port() const
{
    return m_server ? m_server->serverPort() : 0;
}

QUrl FakeVcenter::sdkUrl() const
{
    return QUrl(QStringLiteral("%1://127.0.0.1:%2/sdk").arg(m_tls ? "https" : "http").arg(port()));
}

void FakeVcenter::serveSession()
{
    serve("GET vimServiceVersions.xml", file(QStringLiteral("vimServiceVersions.xml")));
    serve("RetrieveServiceContent", file(QStringLiteral("RetrieveServiceContent.xml")));
    serve("Login", file(QStringLiteral("Login.xml")));
    serve("CurrentTime", file(QStringLiteral("CurrentTime.xml")));
    serve("CreateContainerView", file(QStringLiteral("CreateContainerView.xml")));
    serve("DestroyView", file(QStringLiteral("DestroyView.xml")));
    serve("Logout", file(QStringLiteral("Logout.xml")));
    serve("CancelTask", file(QStringLiteral("CancelTask.xml")));
    serve("CancelRetrievePropertiesEx", file(QStringLiteral("CancelRetrievePropertiesEx.xml")));
}

int FakeVcenter::count(const QByteArray& key) const
{
    int n = 0;
    for (const Request& r : m_requests)
        n += r.key == key ? 1 : 0;
    return n;
}

QList<FakeVcenter::Request> FakeVcenter::requestsFor(const QByteArray& key) const
{
    QList<Request> out;
    for (const Request& r : m_requests) {
        if (r.key == key)
            out.append(r);
    }
    return out;
}

void FakeVcenter::onConnection(QTcpSocket* socket)
{
    ++m_connections;
    m_sockets.append(socket);
    QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket] { onReadable(socket); });
    QObject::connect(socket, &QTcpSocket::disconnected, socket, [this, socket] {
        m_buffers.remove(socket);
        socket->deleteLater();
    });
    if (socket->bytesAvailable() > 0)
        onReadable(socket);
}

void FakeVcenter::onReadable(QTcpSocket* socket)
{
    QByteArray& buffer = m_buffers[socket];
    buffer += socket->readAll();
    for (;;) {
        const qsizetype headerEnd = buffer.indexOf("\r\n\r\n");
        if (headerEnd < 0)
            return;
        const QList<QByteArray> lines = buffer.left(headerEnd).split('\n');
        Request request;
        const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
        request.verb = first.value(0);
        request.path = first.value(1);
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines[i].indexOf(':');
            if (colon > 0)
                request.headers.insert(lines[i].left(colon).trimmed().toLower(), lines[i].mid(colon + 1).trimmed());
        }
        const qsizetype length = request.headers.value("content-length", "0").toLongLong();
        if (buffer.size() < headerEnd + 4 + length)
            return;
        request.body = buffer.mid(headerEnd + 4, length);
        buffer.remove(0, headerEnd + 4 + length);
        if (request.verb == "GET") {
            request.key = "GET " + request.path.mid(request.path.lastIndexOf('/') + 1);
        } else {
            static const QRegularExpression method(QStringLiteral("Body>\\s*<([A-Za-z_]+)"));
            request.key = method.match(QString::fromUtf8(request.body)).captured(1).toLatin1();
        }
        m_requests.append(request);
        if (onRequest)
            onRequest(request);
        answer(socket, request);
        if (socket->state() != QAbstractSocket::ConnectedState)
            return;
    }
}

FakeVcenter::Reply FakeVcenter::pick(const QByteArray& key)
{
    if (auto it = m_once.find(key); it != m_once.end() && !it->isEmpty())
        return it->dequeue();
    if (auto it = m_defaults.constFind(key); it != m_defaults.constEnd())
        return *it;
    Reply r;
    r.status = 404;
    r.body = "no recorded reply for " + key;
    return r;
}

void FakeVcenter::answer(QTcpSocket* socket, const Request& request)
{
    Reply reply = pick(request.key);
    if (reply.mode == Mode::Hang)
        return;
    if (reply.mode == Mode::Drop) {
        socket->abort();
        return;
    }
    QByteArray head =
        "HTTP/1.1 " + QByteArray::number(reply.status) + (reply.status == 200 ? " OK" : " Error") + "\r\n";
    head += "Content-Type: text/xml; charset=utf-8\r\n";
    if (request.key == "Login" && reply.status == 200) {
        ++m_sessions;
        head += "Set-Cookie: vmware_soap_session=\"session-" + QByteArray::number(m_sessions) +
                "\"; Path=/; HttpOnly; Secure\r\n";
    }
    for (const auto& [name, value] : reply.headers)
        head += name + ": " + value + "\r\n";
    if (reply.mode == Mode::Chunked) {
        head += "Transfer-Encoding: chunked\r\n\r\n";
        socket->write(head);
        for (qsizetype at = 0; at < reply.body.size(); at += reply.chunk) {
            const QByteArray piece = reply.body.mid(at, reply.chunk);
            socket->write(QByteArray::number(piece.size(), 16) + "\r\n" + piece + "\r\n");
        }
        socket->write("0\r\n\r\n");
        return;
    }
    head += "Content-Length: " + QByteArray::number(reply.body.size()) + "\r\n\r\n";
    if (reply.mode == Mode::DropMidBody) {
        socket->write(head + reply.body.left(reply.body.size() / 2));
        socket->flush();
        socket->disconnectFromHost();
        return;
    }
    socket->write(head + reply.body);
}
