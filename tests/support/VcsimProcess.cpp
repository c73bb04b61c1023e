#include "VcsimProcess.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

VcsimProcess::VcsimProcess(QStringList extraArgs) : m_args(std::move(extraArgs))
{}

VcsimProcess::~VcsimProcess()
{
    stop();
}

bool VcsimProcess::start(QString* error, int timeoutMs)
{
    const QString bin = qEnvironmentVariable("DCM_VCSIM_BIN");
    if (bin.isEmpty()) {
        *error = QStringLiteral("DCM_VCSIM_BIN is not set");
        return false;
    }
    m_process.setProgram(bin);
    m_process.setArguments(m_args);
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
    m_process.setReadChannel(QProcess::StandardOutput);
    m_process.start();
    if (!m_process.waitForStarted(10000)) {
        *error = QStringLiteral("cannot start %1: %2").arg(bin, m_process.errorString());
        return false;
    }
    QDeadlineTimer deadline(timeoutMs);
    while (!m_process.canReadLine()) {
        if (deadline.hasExpired() || m_process.state() != QProcess::Running) {
            *error = QStringLiteral("simulator did not report ready: %1")
                         .arg(QString::fromUtf8(m_process.readAllStandardError().right(2000)));
            return false;
        }
        m_process.waitForReadyRead(200);
    }
    const QJsonObject info = QJsonDocument::fromJson(m_process.readLine()).object();
    m_sdkUrl = QUrl(info.value(QStringLiteral("url")).toString());
    m_controlUrl = QUrl(info.value(QStringLiteral("control")).toString());
    m_thumbprint = info.value(QStringLiteral("thumbprint")).toString();
    m_username = info.value(QStringLiteral("username")).toString();
    m_password = info.value(QStringLiteral("password")).toString();
    m_certFile = info.value(QStringLiteral("certFile")).toString();
    if (!m_sdkUrl.isValid() || !m_controlUrl.isValid()) {
        *error = QStringLiteral("simulator printed an unexpected first line");
        return false;
    }
    return true;
}

void VcsimProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(10000)) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

QByteArray VcsimProcess::request(const QByteArray& verb, const QString& path, const QByteArray& body)
{
    QNetworkAccessManager nam;
    QUrl url = m_controlUrl;
    url.setPath(path);
    QNetworkRequest req(url);
    req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    req.setTransferTimeout(30000);
    QNetworkReply* reply = nam.sendCustomRequest(req, verb, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    const QByteArray data = reply->readAll();
    if (reply->error() != QNetworkReply::NoError)
        qWarning("vcsim control %s %s failed: %s %s", verb.constData(), qPrintable(path),
                 qPrintable(reply->errorString()), data.constData());
    reply->deleteLater();
    return data;
}

QJsonObject VcsimProcess::post(const QString& path, const QJsonObject& body)
{
    return QJsonDocument::fromJson(request("POST", path, QJsonDocument(body).toJson(QJsonDocument::Compact))).object();
}

QJsonArray VcsimProcess::vms()
{
    return QJsonDocument::fromJson(request("GET", QStringLiteral("/vms"), {})).array();
}

QHash<QString, int> VcsimProcess::vmsPerRequestKey()
{
    QHash<QString, int> counts;
    for (const QJsonValue& v : vms()) {
        const QString key = v.toObject()
                                .value(QStringLiteral("extraConfig"))
                                .toObject()
                                .value(QStringLiteral("dcm.requestId"))
                                .toString();
        if (!key.isEmpty())
            counts[key] += 1;
    }
    return counts;
}

QJsonObject VcsimProcess::stats()
{
    return QJsonDocument::fromJson(request("GET", QStringLiteral("/stats"), {})).object();
}

QJsonObject VcsimProcess::get(const QString& path)
{
    return QJsonDocument::fromJson(request("GET", path, {})).object();
}

int VcsimProcess::callCount(const QString& method)
{
    return stats().value(QStringLiteral("calls")).toObject().value(method).toInt();
}
