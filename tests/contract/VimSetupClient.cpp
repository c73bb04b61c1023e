#include "VimSetupClient.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QNetworkCookie>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslCertificate>
#include <QTest>
#include <QTimer>
#include <QXmlStreamReader>

namespace {

QByteArray envelope(const QByteArray& body)
{
    return R"(<?xml version="1.0" encoding="UTF-8"?>)"
           R"(<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/")"
           R"( xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">)"
           "<soapenv:Body>" +
           body + "</soapenv:Body></soapenv:Envelope>";
}

QString thumbprintOf(const QSslCertificate& certificate)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(certificate.toDer(), QCryptographicHash::Sha256).toHex(':').toUpper());
}

QString faultOf(const QByteArray& xml)
{
    QXmlStreamReader r(xml);
    QString type;
    QString text;
    bool inDetail = false;
    while (!r.atEnd()) {
        if (r.readNext() != QXmlStreamReader::StartElement)
            continue;
        if (r.name() == QLatin1String("faultstring")) {
            text = r.readElementText();
        } else if (r.name() == QLatin1String("detail")) {
            inDetail = true;
        } else if (inDetail && type.isEmpty()) {
            type = r.attributes()
                       .value(QStringLiteral("http://www.w3.org/2001/XMLSchema-instance"), QStringLiteral("type"))
                       .toString();
        }
    }
    return QStringLiteral("%1: %2").arg(type.isEmpty() ? QStringLiteral("fault") : type, text);
}

} // namespace

VimSetupClient::VimSetupClient(QUrl sdkUrl, QString thumbprint)
    : m_sdk(std::move(sdkUrl)), m_thumbprint(std::move(thumbprint))
{}

QString VimSetupClient::escaped(const QString& text)
{
    return text.toHtmlEscaped();
}

QString VimSetupClient::moref(const QString& element, const Ref& ref)
{
    return QStringLiteral("<%1 type=\"%2\">%3</%1>").arg(element, escaped(ref.type), escaped(ref.value));
}

VimSetupClient::Ref VimSetupClient::firstRef(const QByteArray& xml, const QString& localName)
{
    QXmlStreamReader r(xml);
    while (!r.atEnd()) {
        if (r.readNext() == QXmlStreamReader::StartElement && r.name() == localName) {
            const QString type = r.attributes().value(QStringLiteral("type")).toString();
            return Ref{type, r.readElementText(QXmlStreamReader::IncludeChildElements).trimmed()};
        }
    }
    return {};
}

QByteArray VimSetupClient::post(const QString& cookie, const QByteArray& body, int* status, QString* setCookie)
{
    QNetworkRequest request(m_sdk);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("text/xml; charset=utf-8"));
    request.setRawHeader("SOAPAction", "urn:vim25/6.5");
    request.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    if (!cookie.isEmpty())
        request.setRawHeader("Cookie", cookie.toUtf8());
    QNetworkReply* reply = m_nam.post(request, envelope(body));
    QObject::connect(reply, &QNetworkReply::sslErrors, reply, [this, reply](const QList<QSslError>& errors) {
        if (!m_thumbprint.isEmpty() && thumbprintOf(reply->sslConfiguration().peerCertificate()) == m_thumbprint)
            reply->ignoreSslErrors(errors);
    });
    QEventLoop loop;
    QTimer timeout;
    timeout.setSingleShot(true);
    QObject::connect(&timeout, &QTimer::timeout, reply, &QNetworkReply::abort);
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    timeout.start(30000);
    loop.exec();
    *status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const auto cookies = reply->header(QNetworkRequest::SetCookieHeader).value<QList<QNetworkCookie>>();
    for (const QNetworkCookie& c : cookies) {
        if (c.name() == "vmware_soap_session" && setCookie)
            *setCookie = QString::fromUtf8(c.toRawForm(QNetworkCookie::NameAndValueOnly));
    }
    const QByteArray data = reply->readAll();
    if (*status == 0)
        m_error = reply->errorString();
    reply->deleteLater();
    return data;
}

QString VimSetupClient::login(const QString& user, const QString& password)
{
    const QByteArray body =
        QStringLiteral("<Login xmlns=\"urn:vim25\"><_this type=\"SessionManager\">SessionManager</_this>"
                       "<userName>%1</userName><password>%2</password></Login>")
            .arg(escaped(user), escaped(password))
            .toUtf8();
    int status = 0;
    QString cookie;
    const QByteArray reply = post({}, body, &status, &cookie);
    if (status != 200 || cookie.isEmpty()) {
        m_error = status == 0 ? m_error : QStringLiteral("Login: HTTP %1 %2").arg(status).arg(faultOf(reply));
        return {};
    }
    return cookie;
}

QByteArray VimSetupClient::call(const QString& cookie, const QByteArray& body)
{
    int status = 0;
    const QByteArray reply = post(cookie, body, &status, nullptr);
    if (status != 200) {
        m_error = status == 0 ? m_error : QStringLiteral("HTTP %1 %2").arg(status).arg(faultOf(reply));
        return {};
    }
    return reply;
}

VimSetupClient::Ref VimSetupClient::createContainerView(const QString& cookie, const Ref& container,
                                                        const QStringList& types, bool recursive)
{
    QString body =
        QStringLiteral("<CreateContainerView xmlns=\"urn:vim25\"><_this type=\"ViewManager\">ViewManager</_this>") +
        moref(QStringLiteral("container"), container);
    for (const QString& t : types)
        body += QStringLiteral("<type>%1</type>").arg(t);
    body += QStringLiteral("<recursive>%1</recursive></CreateContainerView>")
                .arg(recursive ? QStringLiteral("true") : QStringLiteral("false"));
    return firstRef(call(cookie, body.toUtf8()), QStringLiteral("returnval"));
}

QList<VimSetupClient::Object> VimSetupClient::retrieveFromView(const QString& cookie, const Ref& view,
                                                               const QList<QPair<QString, QStringList>>& specs)
{
    QString body = QStringLiteral("<RetrievePropertiesEx xmlns=\"urn:vim25\"><_this type=\"PropertyCollector\">"
                                  "propertyCollector</_this><specSet>");
    for (const auto& [type, paths] : specs) {
        body += QStringLiteral("<propSet><type>%1</type>").arg(type);
        for (const QString& p : paths)
            body += QStringLiteral("<pathSet>%1</pathSet>").arg(p);
        body += QStringLiteral("</propSet>");
    }
    body += QStringLiteral("<objectSet>") + moref(QStringLiteral("obj"), view) +
            QStringLiteral("<skip>true</skip><selectSet xsi:type=\"TraversalSpec\"><name>view</name>"
                           "<type>ContainerView</type><path>view</path><skip>false</skip></selectSet></objectSet>"
                           "</specSet><options></options></RetrievePropertiesEx>");
    const QByteArray reply = call(cookie, body.toUtf8());
    QList<Object> objects;
    QXmlStreamReader r(reply);
    QString propName;
    while (!r.atEnd()) {
        if (r.readNext() != QXmlStreamReader::StartElement)
            continue;
        if (r.name() == QLatin1String("objects")) {
            objects.append(Object{});
        } else if (r.name() == QLatin1String("obj") && !objects.isEmpty()) {
            objects.back().ref.type = r.attributes().value(QStringLiteral("type")).toString();
            objects.back().ref.value = r.readElementText().trimmed();
        } else if (r.name() == QLatin1String("name") && !objects.isEmpty()) {
            propName = r.readElementText().trimmed();
        } else if (r.name() == QLatin1String("val") && !objects.isEmpty()) {
            const QString type = r.attributes().value(QStringLiteral("type")).toString();
            const QString text = r.readElementText(QXmlStreamReader::IncludeChildElements).trimmed();
            objects.back().props.insert(propName, type.isEmpty() ? text : type + QLatin1Char(':') + text);
        }
    }
    return objects;
}

VimSetupClient::Ref VimSetupClient::createFolder(const QString& cookie, const Ref& parent, const QString& name)
{
    const QString body = QStringLiteral("<CreateFolder xmlns=\"urn:vim25\">") + moref(QStringLiteral("_this"), parent) +
                         QStringLiteral("<name>%1</name></CreateFolder>").arg(escaped(name));
    return firstRef(call(cookie, body.toUtf8()), QStringLiteral("returnval"));
}

VimSetupClient::Ref VimSetupClient::createVm(const QString& cookie, const Ref& folder, const Ref& pool,
                                             const QString& name, const QString& datastoreName,
                                             const QString& requestId, Ref* task, bool wait)
{
    // The smallest VM that looks like the console's: its request key as instance UUID and extraConfig.
    const QString body =
        QStringLiteral("<CreateVM_Task xmlns=\"urn:vim25\">") + moref(QStringLiteral("_this"), folder) +
        QStringLiteral("<config><name>%1</name><instanceUuid>%2</instanceUuid><guestId>otherGuest64</guestId>"
                       "<files><vmPathName>[%3]</vmPathName></files><numCPUs>1</numCPUs><memoryMB>128</memoryMB>"
                       "<extraConfig xsi:type=\"OptionValue\"><key>dcm.requestId</key>"
                       "<value xsi:type=\"xsd:string\">%2</value></extraConfig></config>")
            .arg(escaped(name), requestId, escaped(datastoreName)) +
        moref(QStringLiteral("pool"), pool) + QStringLiteral("</CreateVM_Task>");
    *task = firstRef(call(cookie, body.toUtf8()), QStringLiteral("returnval"));
    if (task->isNull() || (wait && !waitForTask(cookie, *task)))
        return {};
    return findByInstanceUuid(cookie, requestId);
}

VimSetupClient::Ref VimSetupClient::powerOn(const QString& cookie, const Ref& vm)
{
    const QString body = QStringLiteral("<PowerOnVM_Task xmlns=\"urn:vim25\">") + moref(QStringLiteral("_this"), vm) +
                         QStringLiteral("</PowerOnVM_Task>");
    const Ref task = firstRef(call(cookie, body.toUtf8()), QStringLiteral("returnval"));
    return !task.isNull() && waitForTask(cookie, task) ? task : Ref{};
}

VimSetupClient::Ref VimSetupClient::runTask(const QString& cookie, const QString& method, const Ref& self,
                                            const QString& arguments)
{
    const QString body = QStringLiteral("<%1 xmlns=\"urn:vim25\">").arg(method) + moref(QStringLiteral("_this"), self) +
                         arguments + QStringLiteral("</%1>").arg(method);
    const Ref task = firstRef(call(cookie, body.toUtf8()), QStringLiteral("returnval"));
    return !task.isNull() && waitForTask(cookie, task) ? task : Ref{};
}

VimSetupClient::Ref VimSetupClient::createTemplate(const QString& cookie, const Ref& folder, const Ref& pool,
                                                   const QString& name, const QString& datastoreName,
                                                   const QString& networkName, const QString& requestId)
{
    const QString config =
        QStringLiteral(
            "<config><name>%1</name><instanceUuid>%2</instanceUuid><guestId>ubuntu64Guest</guestId>"
            "<files><vmPathName>[%3]</vmPathName></files><numCPUs>2</numCPUs><numCoresPerSocket>1</numCoresPerSocket>"
            "<memoryMB>2048</memoryMB>"
            "<deviceChange><operation>add</operation><device xsi:type=\"ParaVirtualSCSIController\"><key>1000</key>"
            "<deviceInfo><label>SCSI controller 0</label><summary>VMware paravirtual SCSI</summary></deviceInfo>"
            "<busNumber>0</busNumber><sharedBus>noSharing</sharedBus></device></deviceChange>"
            "<deviceChange><operation>add</operation><fileOperation>create</fileOperation>"
            "<device xsi:type=\"VirtualDisk\"><key>2000</key>"
            "<deviceInfo><label>Hard disk 1</label><summary>1,048,576 KB</summary></deviceInfo>"
            "<backing "
            "xsi:type=\"VirtualDiskFlatVer2BackingInfo\"><fileName>[%3]</fileName><diskMode>persistent</diskMode>"
            "<thinProvisioned>true</thinProvisioned></backing><controllerKey>1000</controllerKey>"
            "<unitNumber>0</unitNumber><capacityInKB>1048576</capacityInKB></device></deviceChange>"
            "<deviceChange><operation>add</operation><device xsi:type=\"VirtualVmxnet3\"><key>4000</key>"
            "<deviceInfo><label>Network adapter 1</label><summary>%4</summary></deviceInfo>"
            "<backing xsi:type=\"VirtualEthernetCardNetworkBackingInfo\"><deviceName>%4</deviceName></backing>"
            "<connectable><startConnected>true</startConnected><allowGuestControl>true</allowGuestControl>"
            "<connected>false</connected></connectable><controllerKey>100</controllerKey><unitNumber>7</unitNumber>"
            "<addressType>generated</addressType></device></deviceChange>"
            "<extraConfig xsi:type=\"OptionValue\"><key>dcm.requestId</key>"
            "<value xsi:type=\"xsd:string\">%2</value></extraConfig></config>")
            .arg(escaped(name), requestId, escaped(datastoreName), escaped(networkName));
    if (runTask(cookie, QStringLiteral("CreateVM_Task"), folder, config + moref(QStringLiteral("pool"), pool)).isNull())
        return {};
    const Ref vm = findByInstanceUuid(cookie, requestId);
    if (vm.isNull())
        return {};
    const QString mark = QStringLiteral("<MarkAsTemplate xmlns=\"urn:vim25\">") + moref(QStringLiteral("_this"), vm) +
                         QStringLiteral("</MarkAsTemplate>");
    if (call(cookie, mark.toUtf8()).isEmpty())
        return {};
    return vm;
}

VimSetupClient::Ref VimSetupClient::findByInstanceUuid(const QString& cookie, const QString& uuid)
{
    const QString body =
        QStringLiteral("<FindByUuid xmlns=\"urn:vim25\"><_this type=\"SearchIndex\">SearchIndex</_this>"
                       "<uuid>%1</uuid><vmSearch>true</vmSearch><instanceUuid>true</instanceUuid>"
                       "</FindByUuid>")
            .arg(escaped(uuid));
    return firstRef(call(cookie, body.toUtf8()), QStringLiteral("returnval"));
}

bool VimSetupClient::waitForTask(const QString& cookie, const Ref& task, int timeoutMs)
{
    const QString body = QStringLiteral("<RetrievePropertiesEx xmlns=\"urn:vim25\"><_this type=\"PropertyCollector\">"
                                        "propertyCollector</_this><specSet><propSet><type>Task</type>"
                                        "<pathSet>info.state</pathSet></propSet><objectSet>") +
                         moref(QStringLiteral("obj"), task) +
                         QStringLiteral("</objectSet></specSet><options></options></RetrievePropertiesEx>");
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < timeoutMs) {
        const QString state = firstRef(call(cookie, body.toUtf8()), QStringLiteral("val")).value;
        if (state == QLatin1String("success"))
            return true;
        if (state == QLatin1String("error") || state.isEmpty()) {
            m_error = QStringLiteral("task %1 ended in %2 %3").arg(task.value, state, m_error);
            return false;
        }
        QTest::qWait(50);
    }
    m_error = QStringLiteral("task %1 did not finish").arg(task.value);
    return false;
}

void VimSetupClient::destroy(const QString& cookie, const Ref& entity)
{
    if (entity.type == QLatin1String("VirtualMachine")) {
        const Ref off =
            firstRef(call(cookie, (QStringLiteral("<PowerOffVM_Task xmlns=\"urn:vim25\">") +
                                   moref(QStringLiteral("_this"), entity) + QStringLiteral("</PowerOffVM_Task>"))
                                      .toUtf8()),
                     QStringLiteral("returnval"));
        if (!off.isNull())
            waitForTask(cookie, off); // a VM that was off refuses: nothing to wait for
    }
    const Ref gone = firstRef(call(cookie, (QStringLiteral("<Destroy_Task xmlns=\"urn:vim25\">") +
                                            moref(QStringLiteral("_this"), entity) + QStringLiteral("</Destroy_Task>"))
                                               .toUtf8()),
                              QStringLiteral("returnval"));
    if (!gone.isNull())
        waitForTask(cookie, gone);
}

void VimSetupClient::logout(const QString& cookie)
{
    call(cookie, QByteArrayLiteral(
                     "<Logout xmlns=\"urn:vim25\"><_this type=\"SessionManager\">SessionManager</_this></Logout>"));
}
