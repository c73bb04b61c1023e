#include "InventoryCommand.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cstdio>

namespace dcm::ctl {

InventoryCommand::~InventoryCommand() = default;

void InventoryCommand::start()
{
    static const QList<std::pair<QString, InventoryKind>> kinds{
        {QStringLiteral("datacenters"), InventoryKind::Datacenters},
        {QStringLiteral("clusters"), InventoryKind::Clusters},
        {QStringLiteral("pools"), InventoryKind::ResourcePools},
        {QStringLiteral("hosts"), InventoryKind::Hosts},
        {QStringLiteral("datastores"), InventoryKind::Datastores},
        {QStringLiteral("networks"), InventoryKind::Networks},
        {QStringLiteral("folders"), InventoryKind::Folders},
        {QStringLiteral("vms"), InventoryKind::Vms},
        {QStringLiteral("templates"), InventoryKind::Templates},
        {QStringLiteral("customization-specs"), InventoryKind::CustomizationSpecs},
    };
    InventoryKinds wanted;
    if (options().arguments.isEmpty()) {
        wanted = allInventoryKinds();
    } else {
        for (const QString& arg : std::as_const(options().arguments)) {
            const auto it = std::find_if(kinds.cbegin(), kinds.cend(), [&](const auto& k) {
                return k.first == arg.toLower() || k.first.chopped(1) == arg.toLower();
            });
            if (it == kinds.cend())
                return (void)fail(Error::make(ErrorKind::InvalidInput, QStringLiteral("bad-kind"),
                                              QStringLiteral("unknown inventory kind '%1' (datacenters, clusters, "
                                                             "pools, hosts, datastores, networks, folders, vms, "
                                                             "templates, customization-specs)")
                                                  .arg(arg)));
            wanted |= it->second;
        }
    }
    if (wanted == InventoryKinds(InventoryKind::Vms))
        return listVms();
    if (options().requestIds)
        return (void)fail(Error::make(ErrorKind::InvalidInput, QStringLiteral("bad-option"),
                                      QStringLiteral("--request-ids: only with `inventory vms`")));
    connection().withPassword([this, wanted](Result<ConnectionSettings> c) {
        if (!c.ok())
            return (void)fail(c.error());
        m_hypervisor = connection().makeHypervisor();
        m_hypervisor->connectTo(c.value(), [this, wanted](Result<AboutInfo> about) {
            if (!about.ok())
                return (void)fail(about.error());
            m_hypervisor->inventory(wanted, [this, wanted](Result<InventorySnapshot> inv) {
                if (!inv.ok())
                    return (void)fail(inv.error());
                print(inv.value(), wanted);
                m_hypervisor->disconnectFrom([this](Result<void>) { finish(ExitOk); });
            });
        });
    });
}

void InventoryCommand::listVms()
{
    connection().withPassword([this](Result<ConnectionSettings> c) {
        if (!c.ok())
            return (void)fail(c.error());
        m_hypervisor = connection().makeHypervisor();
        m_hypervisor->connectTo(c.value(), [this](Result<AboutInfo> about) {
            if (!about.ok())
                return (void)fail(about.error());
            VmFields fields =
                VmFields(VmField::PowerState) | VmField::Hardware | VmField::GuestId | VmField::InstanceUuid;
            if (options().requestIds)
                fields |= VmField::RequestId;
            m_listStarted = QDateTime::currentDateTimeUtc();
            m_hypervisor->listVms(
                fields, [this](QList<VmInfo>&& page) { writePage(std::move(page)); },
                [this](Result<int> listed) { endListing(std::move(listed)); });
        });
    });
}

namespace {

void writeOut(const QByteArray& bytes)
{
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
}

} // namespace

void InventoryCommand::writePage(QList<VmInfo>&& page)
{
    if (!out().json()) {
        for (const VmInfo& v : std::as_const(page))
            m_textLines.append({v.path, v.ref});
        return;
    }
    QByteArray chunk;
    if (!m_documentOpen) {
        m_documentOpen = true;
        chunk = QByteArrayLiteral("{\"fetchedAt\": \"") + isoTime(m_listStarted).toUtf8() +
                QByteArrayLiteral("\",\n\"vms\": [\n");
    }
    for (const VmInfo& v : std::as_const(page)) {
        QJsonObject o{{QStringLiteral("name"), v.name},       {QStringLiteral("path"), v.path},
                      {QStringLiteral("moref"), v.ref},       {QStringLiteral("powerState"), v.powerState},
                      {QStringLiteral("cpus"), v.cpus},       {QStringLiteral("memoryMiB"), v.memoryMiB},
                      {QStringLiteral("guestId"), v.guestId}, {QStringLiteral("instanceUuid"), v.instanceUuid}};
        if (options().requestIds)
            o.insert(QStringLiteral("requestId"), v.requestId);
        if (m_written > 0)
            chunk += QByteArrayLiteral(",\n");
        chunk += QJsonDocument(o).toJson(QJsonDocument::Compact);
        ++m_written;
    }
    writeOut(chunk);
    // Out as soon as it is decoded: a reader of the pipe sees each page while the next one is fetched.
    std::fflush(stdout);
}

void InventoryCommand::endListing(Result<int> listed)
{
    if (!listed.ok()) {
        Error error = listed.error();
        if (m_written > 0 || m_documentOpen) {
            // What was written stays an unterminated JSON text: no parser takes it for the inventory.
            error.message = QStringLiteral("listing VMs failed after %1 VMs; the output is incomplete: %2")
                                .arg(m_written)
                                .arg(error.message);
            writeOut(QByteArrayLiteral("\n"));
            std::fflush(stdout);
            // On stderr only: a JSON error document after the partial one would not make it valid.
            return finish(CtlOutput(false).fail(error));
        }
        return (void)fail(error);
    }
    if (out().json()) {
        if (!m_documentOpen)
            writeOut(QByteArrayLiteral("{\"fetchedAt\": \"") + isoTime(m_listStarted).toUtf8() +
                     QByteArrayLiteral("\",\n\"vms\": [\n"));
        writeOut(QByteArrayLiteral("\n]}\n"));
        std::fflush(stdout);
    } else {
        std::sort(m_textLines.begin(), m_textLines.end());
        QString text = QStringLiteral("vms (%1)\n").arg(m_textLines.size());
        for (const auto& [path, ref] : std::as_const(m_textLines))
            text += QStringLiteral("  %1  %2\n").arg(ref.leftJustified(16), path);
        out().document(QJsonObject(), text);
    }
    m_hypervisor->disconnectFrom([this](Result<void>) { finish(ExitOk); });
}

void InventoryCommand::print(const InventorySnapshot& s, InventoryKinds wanted)
{
    QJsonObject doc{{QStringLiteral("fetchedAt"), isoTime(s.fetchedAt)}};
    QString text;
    const auto item = [](const InventoryItem& i) {
        return QJsonObject{
            {QStringLiteral("name"), i.name}, {QStringLiteral("path"), i.path}, {QStringLiteral("moref"), i.ref}};
    };
    const auto section = [&](InventoryKind kind, const QString& key, const auto& list, auto extra) {
        if (!wanted.testFlag(kind))
            return;
        QJsonArray arr;
        text += QStringLiteral("%1 (%2)\n").arg(key).arg(list.size());
        for (const auto& i : list) {
            QJsonObject o = item(i);
            extra(o, i);
            arr.append(o);
            text += QStringLiteral("  %1  %2\n").arg(i.ref.leftJustified(16), i.path);
        }
        doc.insert(key, arr);
    };
    section(InventoryKind::Datacenters, QStringLiteral("datacenters"), s.datacenters,
            [](QJsonObject&, const DatacenterInfo&) {});
    section(InventoryKind::Clusters, QStringLiteral("clusters"), s.clusters,
            [](QJsonObject& o, const ClusterInfo& cluster) {
                o.insert(QStringLiteral("totalCpuMhz"), cluster.totalCpuMhz);
                o.insert(QStringLiteral("totalMemoryBytes"), cluster.totalMemoryBytes);
            });
    section(InventoryKind::ResourcePools, QStringLiteral("pools"), s.resourcePools,
            [](QJsonObject& o, const ResourcePoolInfo& p) { o.insert(QStringLiteral("owner"), p.ownerRef); });
    section(InventoryKind::Hosts, QStringLiteral("hosts"), s.hosts, [](QJsonObject& o, const HostInfo& h) {
        o.insert(QStringLiteral("cluster"), h.clusterRef);
        o.insert(QStringLiteral("connectionState"), h.connectionState);
        o.insert(QStringLiteral("cpuCores"), h.cpuCores);
        o.insert(QStringLiteral("cpuMhzTotal"), h.cpuMhzTotal);
        o.insert(QStringLiteral("cpuMhzUsed"), h.cpuMhzUsed);
        o.insert(QStringLiteral("memoryBytes"), h.memoryBytes);
        o.insert(QStringLiteral("memoryUsedMiB"), h.memoryUsedMiB);
    });
    section(InventoryKind::Datastores, QStringLiteral("datastores"), s.datastores,
            [](QJsonObject& o, const DatastoreInfo& d) {
                o.insert(QStringLiteral("type"), d.type);
                o.insert(QStringLiteral("capacityBytes"), d.capacityBytes);
                o.insert(QStringLiteral("freeBytes"), d.freeBytes);
                o.insert(QStringLiteral("accessible"), d.accessible);
            });
    section(InventoryKind::Networks, QStringLiteral("networks"), s.networks,
            [](QJsonObject& o, const NetworkInfo& n) { o.insert(QStringLiteral("distributed"), n.distributed); });
    section(InventoryKind::Folders, QStringLiteral("folders"), s.folders, [](QJsonObject&, const FolderInfo&) {});
    section(InventoryKind::Vms, QStringLiteral("vms"), s.vms, [](QJsonObject& o, const VmInfo& v) {
        o.insert(QStringLiteral("powerState"), v.powerState);
        o.insert(QStringLiteral("cpus"), v.cpus);
        o.insert(QStringLiteral("memoryMiB"), v.memoryMiB);
        o.insert(QStringLiteral("guestId"), v.guestId);
        o.insert(QStringLiteral("instanceUuid"), v.instanceUuid);
        o.insert(QStringLiteral("requestId"), v.requestId);
    });
    section(InventoryKind::Templates, QStringLiteral("templates"), s.templates,
            [](QJsonObject& o, const TemplateInfo& t) {
                o.insert(QStringLiteral("isTemplate"), t.isTemplate);
                o.insert(QStringLiteral("guestId"), t.guestId);
                o.insert(QStringLiteral("guestFullName"), t.guestFullName);
                o.insert(QStringLiteral("cpus"), t.cpus);
                o.insert(QStringLiteral("memoryMiB"), t.memoryMiB);
                QJsonArray disks;
                for (qint64 size : t.diskSizesMiB)
                    disks.append(QJsonObject{{QStringLiteral("sizeMiB"), size}});
                o.insert(QStringLiteral("disks"), disks);
                QJsonArray nics;
                for (const QString& network : t.nicNetworks)
                    nics.append(QJsonObject{{QStringLiteral("network"), network}});
                o.insert(QStringLiteral("nics"), nics);
            });
    // Saved specifications live in vCenter's CustomizationSpecManager by name: no moref, no path. Only
    // their name and kind are read; their content (Windows passwords) stays in vCenter.
    if (wanted.testFlag(InventoryKind::CustomizationSpecs)) {
        QJsonArray arr;
        text += QStringLiteral("customization-specs (%1)\n").arg(s.customizationSpecs.size());
        for (const CustomizationSpecInfo& c : s.customizationSpecs) {
            arr.append(QJsonObject{{QStringLiteral("name"), c.name},
                                   {QStringLiteral("type"), c.type},
                                   {QStringLiteral("description"), c.description},
                                   {QStringLiteral("lastUpdated"), isoTime(c.lastUpdated)}});
            text += QStringLiteral("  %1  %2\n").arg(c.type.leftJustified(16), c.name);
        }
        doc.insert(QStringLiteral("customizationSpecs"), arr);
    }
    out().document(doc, text);
}

} // namespace dcm::ctl
