#include "app/service/AppInfo.h"

namespace dcm {

QString AppInfo::appId()
{
    return QStringLiteral(DCM_APP_ID);
}

QString AppInfo::version()
{
    return QStringLiteral(DCM_VERSION);
}

QString AppInfo::organization()
{
    return QStringLiteral("org.dcm");
}

QString AppInfo::displayName()
{
    return QStringLiteral("DCM Operator Console");
}

} // namespace dcm
