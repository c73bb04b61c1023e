#pragma once

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QNetworkAccessManager>
#include <QString>
#include <QStringList>
#include <QUrl>

// A deliberately plain vim25 client for setting up provider states: blocking calls (a local event
// loop per request, test code only), replies picked apart with QXmlStreamReader. It shares no code
// with the adapter under test, so a bug there cannot hide itself in the verification.
class VimSetupClient
{
public:
    struct Ref
    {
        QString type;
        QString value;
        bool isNull() const { return value.isEmpty(); }
    };
    // One object of a RetrievePropertiesEx reply: its reference and its simple properties (text, or
    // for references "Type:value").
    struct Object
    {
        Ref ref;
        QMap<QString, QString> props;
    };

    // `thumbprint`: SHA-256 of the server certificate ("AB:CD:…"); only that certificate is accepted.
    VimSetupClient(QUrl sdkUrl, QString thumbprint);

    QString lastError() const { return m_error; }

    // Logs in; the session cookie as a Cookie header value ("vmware_soap_session=…"), empty on failure.
    QString login(const QString& user, const QString& password);
    // One call in a session: `body` is the method element with its arguments. The reply's response
    // element, or empty on a fault or failure (lastError() says which).
    QByteArray call(const QString& cookie, const QByteArray& body);

    // Convenience calls (empty results on failure).
    Ref createContainerView(const QString& cookie, const Ref& container, const QStringList& types, bool recursive);
    QList<Object> retrieveFromView(const QString& cookie, const Ref& view,
                                   const QList<QPair<QString, QStringList>>& specs);
    Ref createFolder(const QString& cookie, const Ref& parent, const QString& name);
    // `wait` false: returns as soon as the VM exists, its task possibly still running.
    Ref createVm(const QString& cookie, const Ref& folder, const Ref& pool, const QString& name,
                 const QString& datastoreName, const QString& requestId, Ref* task, bool wait = true);
    Ref powerOn(const QString& cookie, const Ref& vm);
    // A template as an administrator makes one: CreateVM_Task with a paravirtual SCSI controller, a
    // 1 GiB thin disk and a vmxnet3 NIC on the network, under the keys and labels vCenter gives a
    // first controller, disk and NIC (1000, 2000, 4000), then MarkAsTemplate.
    Ref createTemplate(const QString& cookie, const Ref& folder, const Ref& pool, const QString& name,
                       const QString& datastoreName, const QString& networkName, const QString& requestId);
    // A task-returning call on `self` (`arguments` after _this), waited for; the task, or empty.
    Ref runTask(const QString& cookie, const QString& method, const Ref& self, const QString& arguments = {});
    Ref findByInstanceUuid(const QString& cookie, const QString& uuid);
    // Waits for a task to end; false if it failed or did not end within `timeoutMs`.
    bool waitForTask(const QString& cookie, const Ref& task, int timeoutMs = 60000);
    // PowerOff (if on) and Destroy, best effort.
    void destroy(const QString& cookie, const Ref& entity);
    void logout(const QString& cookie);

    static QString escaped(const QString& text);
    static QString moref(const QString& element, const Ref& ref);
    // The text and "type" attribute of the first element with this local name.
    static Ref firstRef(const QByteArray& xml, const QString& localName);

private:
    QByteArray post(const QString& cookie, const QByteArray& envelope, int* status, QString* setCookie);

    QNetworkAccessManager m_nam;
    QUrl m_sdk;
    QString m_thumbprint;
    QString m_error;
};
