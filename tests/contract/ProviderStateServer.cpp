#include "ProviderStateServer.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>

#include "VimProviderStates.h"

ProviderStateServer::ProviderStateServer(VimProviderStates& states, QObject* parent) : QObject(parent), m_states(states)
{
    connect(&m_server, &QTcpServer::newConnection, this, &ProviderStateServer::accept);
}

bool ProviderStateServer::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

QUrl ProviderStateServer::url() const
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(m_server.serverPort());
    url.setPath(QStringLiteral("/provider-states"));
    return url;
}

void ProviderStateServer::accept()
{
    while (QTcpSocket* socket = m_server.nextPendingConnection()) {
        socket->setParent(this);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { read(socket); });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    }
}

void ProviderStateServer::read(QTcpSocket* socket)
{
    if (socket->property("handled").toBool())
        return;
    QByteArray request = socket->property("buffer").toByteArray() + socket->readAll();
    socket->setProperty("buffer", request);
    const qsizetype headerEnd = request.indexOf("\r\n\r\n");
    if (headerEnd < 0)
        return;
    qsizetype length = 0;
    for (const QByteArray& line : request.left(headerEnd).split('\n')) {
        const QByteArray header = line.trimmed();
        if (header.toLower().startsWith("content-length:"))
            length = header.mid(15).trimmed().toLongLong();
    }
    if (request.size() < headerEnd + 4 + length)
        return;
    socket->setProperty("handled", true);
    const QByteArray reply = handle(request.mid(headerEnd + 4, length));
    socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                  QByteArray::number(reply.size()) + "\r\nConnection: close\r\n\r\n" + reply);
    socket->disconnectFromHost();
}

QByteArray ProviderStateServer::handle(const QByteArray& body)
{
    const QJsonObject change = QJsonDocument::fromJson(body).object();
    const QString state = change.value(QStringLiteral("state")).toString();
    const QJsonObject params = change.value(QStringLiteral("params")).toObject();
    if (change.value(QStringLiteral("action")).toString() == QLatin1String("teardown")) {
        m_states.tearDown();
        return "{}";
    }
    if (state.isEmpty())
        return "{}"; // an interaction without provider state
    QJsonObject values;
    QString error;
    if (!m_states.setUp(state, params, &values, &error)) {
        // Answered 200 all the same: the verifier retries failed state changes for minutes, and the
        // interaction fails on its own; the test reports this cause.
        m_failures.append(QStringLiteral("%1: %2").arg(state, error));
        values.insert(QStringLiteral("error"), error);
    }
    return QJsonDocument(values).toJson(QJsonDocument::Compact);
}
