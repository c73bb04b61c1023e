#pragma once

#include "VimSetupClient.h"

#include <QJsonObject>
#include <QString>
#include <QUrl>

#include <functional>

// Puts a vCenter into the provider states the pact names (VimContract::k…), through the vim25 API
// and, where the bundled simulator runs, its control API. Each set-up returns the values the
// interaction's request takes from the provider (session cookie, view, VM, task, …); tear-down removes
// what the set-ups created, so that interactions never see each other's objects.
class VimProviderStates
{
public:
    struct Target
    {
        QUrl sdkUrl;
        QString thumbprint;
        QString user;
        QString password;
        // POSTs to the simulator's control API; empty for a real vCenter.
        std::function<bool(const QString& path)> control;
        // The same with a JSON body (the simulator's task delay); empty for a real vCenter.
        std::function<bool(const QString& path, const QJsonObject& body)> controlWith;
    };

    explicit VimProviderStates(Target target);
    ~VimProviderStates();
    VimProviderStates(const VimProviderStates&) = delete;
    VimProviderStates& operator=(const VimProviderStates&) = delete;

    // False (and `error`) for an unknown state or a set-up that failed.
    bool setUp(const QString& state, const QJsonObject& params, QJsonObject* values, QString* error);
    void tearDown();
    // How many VMs and templates the tear-downs found (by their request keys) and removed since
    // resetCounts(): the proof that a task-returning interaction, replayed, really made its VM.
    int vmsRemoved() const { return m_removed; }
    void resetCounts() { m_removed = 0; }

private:
    struct Inventory
    {
        VimSetupClient::Ref datacenter;
        VimSetupClient::Ref vmFolder;
        VimSetupClient::Ref hostFolder;
        VimSetupClient::Ref datastoreFolder;
        VimSetupClient::Ref networkFolder;
        VimSetupClient::Ref cluster;
        VimSetupClient::Ref clusterPool;
        VimSetupClient::Ref datastore;
        QString datastoreName;
        VimSetupClient::Ref network;
        QString networkName;
    };

    bool discover(QString* error);
    bool needSession(QString* error) const;
    bool view(const QString& contents, QJsonObject* values, QString* error);
    bool consoleVm(QJsonObject* values, QString* error);
    bool consoleVmThen(const QStringList& methods, QJsonObject* values, QString* error);
    bool templateVm(QJsonObject* values, QString* error);
    bool clone(QJsonObject* values, QString* error);
    bool customizeClone(QJsonObject* values, QString* error);
    bool runningCreateTask(QJsonObject* values, QString* error);
    bool collector(QJsonObject* values, QString* error);
    bool taskFilter(QJsonObject* values, QString* error);
    bool readFilterOnce(QJsonObject* values, QString* error);

    Target m_target;
    VimSetupClient m_client;
    QString m_session;        // the session of the interaction being set up
    QStringList m_sessions;   // every session opened, logged out at tear-down
    QStringList m_requestIds; // VMs made by set-ups or by the interactions (found by instance UUID)
    QList<VimSetupClient::Ref> m_folders;
    Inventory m_inventory;
    VimSetupClient::Ref m_template; // the interaction's template, made once per interaction
    VimSetupClient::Ref m_templateFolder;
    VimSetupClient::Ref m_runningTask; // the interaction's running CreateVM task (kCreateTaskRunning)
    QString m_templateName;
    bool m_discovered = false;
    int m_serial = 0;
    int m_removed = 0;
};
