#pragma once

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QUrl>

// A private instance of the bundled vCenter simulator (tests/vcsim) for one test executable, with
// its fault door driven through the control API. The binary comes from $DCM_VCSIM_BIN.
class VcsimProcess
{
public:
    explicit VcsimProcess(QStringList extraArgs = {});
    ~VcsimProcess();
    VcsimProcess(const VcsimProcess&) = delete;
    VcsimProcess& operator=(const VcsimProcess&) = delete;

    // Starts the simulator and waits for its JSON line. On failure, `error` says why.
    bool start(QString* error, int timeoutMs = 120000);
    void stop();

    QUrl sdkUrl() const { return m_sdkUrl; }
    QString thumbprint() const { return m_thumbprint; }
    QString username() const { return m_username; }
    QString password() const { return m_password; }
    QUrl controlUrl() const { return m_controlUrl; }
    QString certFile() const { return m_certFile; }

    // Control API (blocking, for tests): POST/GET a path, JSON in and out. Fails the call on HTTP errors.
    QJsonObject post(const QString& path, const QJsonObject& body = {});
    QJsonArray vms();
    // How many of the simulator's VMs carry each request key (extraConfig dcm.requestId): the proof
    // of "exactly once".
    QHash<QString, int> vmsPerRequestKey();
    QJsonObject stats();
    // GET of a control path that answers a JSON object (e.g. /tasks/completed).
    QJsonObject get(const QString& path);
    int callCount(const QString& method);
    void reset() { post(QStringLiteral("/reset")); }

private:
    QByteArray request(const QByteArray& verb, const QString& path, const QByteArray& body);

    QStringList m_args;
    QProcess m_process;
    QUrl m_sdkUrl;
    QUrl m_controlUrl;
    QString m_thumbprint;
    QString m_username;
    QString m_password;
    QString m_certFile;
};
