#include "ui/UiSettings.h"

#include "app/service/AppInfo.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace dcm {

namespace {

const QString kProfiles = QStringLiteral("connection/profiles");
const QString kLastProfile = QStringLiteral("connection/lastProfile");

// Creates the settings file owner-only before QSettings first writes it, or narrows an existing one.
// QSettings saves through QSaveFile, which gives the new file the permissions of the one it replaces:
// once the file is 0600, it stays 0600.
void makeOwnerOnly(const QString& path)
{
    if (path.isEmpty() || !QFileInfo(path).isAbsolute())
        return;
    constexpr QFileDevice::Permissions ownerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
    QFile file(path);
    if (!file.exists()) {
        QDir().mkpath(QFileInfo(path).absolutePath());
        // NewOnly: created here with these permissions, never opened if it appeared meanwhile.
        if (file.open(QIODevice::WriteOnly | QIODevice::NewOnly, ownerOnly))
            return;
    }
    constexpr QFileDevice::Permissions others = QFileDevice::ReadGroup | QFileDevice::WriteGroup |
                                                QFileDevice::ExeGroup | QFileDevice::ReadOther |
                                                QFileDevice::WriteOther | QFileDevice::ExeOther;
    if (file.exists() && (file.permissions() & others))
        file.setPermissions(ownerOnly);
}

} // namespace

UiSettings::UiSettings() : UiSettings(std::make_unique<QSettings>(AppInfo::organization(), AppInfo::appId()))
{}

UiSettings::UiSettings(std::unique_ptr<QSettings> settings) : m_settings(std::move(settings))
{
    // Native settings are an INI file on Linux and the BSDs (the registry and plists are not files here).
#if defined(Q_OS_UNIX) && !defined(Q_OS_DARWIN)
    const bool isFile = true;
#else
    const bool isFile = m_settings->format() == QSettings::IniFormat;
#endif
    if (isFile)
        makeOwnerOnly(m_settings->fileName());
    migrate();
}

UiSettings::~UiSettings() = default;

void UiSettings::migrate()
{
    const int version = m_settings->value(QStringLiteral("schemaVersion"), 0).toInt();
    if (version >= schemaVersion)
        return;
    // Version 0 is "nothing written yet": there is nothing to carry over.
    m_settings->setValue(QStringLiteral("schemaVersion"), schemaVersion);
}

QList<ConnectionProfile> UiSettings::profiles() const
{
    QList<ConnectionProfile> result;
    const int n = m_settings->beginReadArray(kProfiles);
    for (int i = 0; i < n; ++i) {
        m_settings->setArrayIndex(i);
        ConnectionProfile p;
        p.name = m_settings->value(QStringLiteral("name")).toString();
        p.server = m_settings->value(QStringLiteral("server")).toString();
        p.user = m_settings->value(QStringLiteral("user")).toString();
        p.thumbprint = m_settings->value(QStringLiteral("thumbprint")).toString();
        p.queue = m_settings->value(QStringLiteral("queue")).toString();
        if (p.isUsable())
            result.append(p);
    }
    m_settings->endArray();
    return result;
}

std::optional<ConnectionProfile> UiSettings::profile(const QString& name) const
{
    for (const ConnectionProfile& p : profiles())
        if (p.displayName() == name)
            return p;
    return std::nullopt;
}

void UiSettings::saveProfile(const ConnectionProfile& profile)
{
    ConnectionProfile stored = profile;
    stored.name = profile.displayName();
    QList<ConnectionProfile> all = profiles();
    bool replaced = false;
    for (ConnectionProfile& p : all) {
        if (p.displayName() == stored.name) {
            p = stored;
            replaced = true;
        }
    }
    if (!replaced)
        all.append(stored);
    m_settings->beginWriteArray(kProfiles, int(all.size()));
    for (int i = 0; i < all.size(); ++i) {
        m_settings->setArrayIndex(i);
        m_settings->setValue(QStringLiteral("name"), all[i].name);
        m_settings->setValue(QStringLiteral("server"), all[i].server);
        m_settings->setValue(QStringLiteral("user"), all[i].user);
        m_settings->setValue(QStringLiteral("thumbprint"), all[i].thumbprint);
        m_settings->setValue(QStringLiteral("queue"), all[i].queue);
    }
    m_settings->endArray();
}

void UiSettings::removeProfile(const QString& name)
{
    QList<ConnectionProfile> all = profiles();
    all.removeIf([&](const ConnectionProfile& p) { return p.displayName() == name; });
    m_settings->remove(kProfiles);
    m_settings->beginWriteArray(kProfiles, int(all.size()));
    for (int i = 0; i < all.size(); ++i) {
        m_settings->setArrayIndex(i);
        m_settings->setValue(QStringLiteral("name"), all[i].name);
        m_settings->setValue(QStringLiteral("server"), all[i].server);
        m_settings->setValue(QStringLiteral("user"), all[i].user);
        m_settings->setValue(QStringLiteral("thumbprint"), all[i].thumbprint);
        m_settings->setValue(QStringLiteral("queue"), all[i].queue);
    }
    m_settings->endArray();
}

QString UiSettings::lastProfileName() const
{
    return m_settings->value(kLastProfile).toString();
}

void UiSettings::setLastProfileName(const QString& name)
{
    m_settings->setValue(kLastProfile, name);
}

QByteArray UiSettings::windowGeometry() const
{
    return m_settings->value(QStringLiteral("window/geometry")).toByteArray();
}

QByteArray UiSettings::windowState() const
{
    return m_settings->value(QStringLiteral("window/state")).toByteArray();
}

void UiSettings::setWindow(const QByteArray& geometry, const QByteArray& state)
{
    m_settings->setValue(QStringLiteral("window/geometry"), geometry);
    m_settings->setValue(QStringLiteral("window/state"), state);
}

QByteArray UiSettings::splitterState(const QString& key) const
{
    return m_settings->value(QStringLiteral("window/splitter/") + key).toByteArray();
}

void UiSettings::setSplitterState(const QString& key, const QByteArray& state)
{
    m_settings->setValue(QStringLiteral("window/splitter/") + key, state);
}

int UiSettings::lastView() const
{
    return m_settings->value(QStringLiteral("window/view"), 0).toInt();
}

void UiSettings::setLastView(int index)
{
    m_settings->setValue(QStringLiteral("window/view"), index);
}

QVariant UiSettings::lastChoice(const QString& key, const QVariant& fallback) const
{
    return m_settings->value(QStringLiteral("newVm/") + key, fallback);
}

void UiSettings::setLastChoice(const QString& key, const QVariant& value)
{
    m_settings->setValue(QStringLiteral("newVm/") + key, value);
}

void UiSettings::sync()
{
    m_settings->sync();
}

QString UiSettings::fileName() const
{
    return m_settings->fileName();
}

} // namespace dcm
