#pragma once

#include <QString>

namespace dcm {

// Identity of the product, one place for the app id used by the desktop entry, the keychain
// service, the settings and the metainfo.
struct AppInfo
{
    static QString appId();        // "org.dcm.OperatorConsole"
    static QString version();      // from the CMake project
    static QString organization(); // QSettings organisation
    static QString displayName();  // "DCM Operator Console"
};

} // namespace dcm
