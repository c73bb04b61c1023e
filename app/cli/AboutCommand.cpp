#include "AboutCommand.h"

#include <QJsonObject>

namespace dcm::ctl {

AboutCommand::~AboutCommand() = default;

void AboutCommand::start()
{
    connection().withPassword([this](Result<ConnectionSettings> c) {
        if (!c.ok())
            return (void)fail(c.error());
        m_hypervisor = connection().makeHypervisor();
        m_hypervisor->connectTo(c.value(), [this](Result<AboutInfo> about) {
            if (!about.ok())
                return (void)fail(about.error());
            const AboutInfo& a = about.value();
            out().document(QJsonObject{{QStringLiteral("name"), a.name},
                                       {QStringLiteral("fullName"), a.fullName},
                                       {QStringLiteral("vendor"), a.vendor},
                                       {QStringLiteral("version"), a.version},
                                       {QStringLiteral("build"), a.build},
                                       {QStringLiteral("apiType"), a.apiType},
                                       {QStringLiteral("apiVersion"), a.apiVersion},
                                       {QStringLiteral("instanceUuid"), a.instanceUuid}},
                           QStringLiteral("Product:       %1\nVersion:       %2 (build %3)\nAPI:           %4 %5\n"
                                          "Instance UUID: %6\n")
                               .arg(a.fullName, a.version, a.build, a.apiType, a.apiVersion, a.instanceUuid));
            m_hypervisor->disconnectFrom([this](Result<void>) { finish(ExitOk); });
        });
    });
}

} // namespace dcm::ctl
