#pragma once

#include "ui/ConnectionProfile.h"

#include <QByteArray>
#include <QList>
#include <QSettings>
#include <QString>
#include <QVariant>

#include <memory>

namespace dcm {

// The console's settings: connection profiles (never a password), window geometry and the operator's
// last choices. One typed wrapper over QSettings (organisation and application from AppInfo), with a
// schema version for later migrations. The file is the user's alone (0600): it names the servers, the
// accounts and the pinned certificates this operator works with.
class UiSettings final
{
public:
    static constexpr int schemaVersion = 1;

    UiSettings();
    explicit UiSettings(std::unique_ptr<QSettings> settings);
    ~UiSettings();
    UiSettings(const UiSettings&) = delete;
    UiSettings& operator=(const UiSettings&) = delete;

    QList<ConnectionProfile> profiles() const;
    std::optional<ConnectionProfile> profile(const QString& name) const;
    // Adds or replaces the profile of that name (displayName() when the name is empty).
    void saveProfile(const ConnectionProfile& profile);
    void removeProfile(const QString& name);
    QString lastProfileName() const;
    void setLastProfileName(const QString& name);

    QByteArray windowGeometry() const;
    QByteArray windowState() const;
    void setWindow(const QByteArray& geometry, const QByteArray& state);
    QByteArray splitterState(const QString& key) const;
    void setSplitterState(const QString& key, const QByteArray& state);
    int lastView() const;
    void setLastView(int index);

    // The New VM form's last choices ("datacenter", "cpus", …).
    QVariant lastChoice(const QString& key, const QVariant& fallback = {}) const;
    void setLastChoice(const QString& key, const QVariant& value);

    void sync();
    // The settings file (empty for a backend that is not a file).
    QString fileName() const;

private:
    void migrate();

    std::unique_ptr<QSettings> m_settings;
};

} // namespace dcm
