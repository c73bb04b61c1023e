#pragma once

#include "domain/Error.h"
#include "domain/GuestCustomization.h"
#include "domain/Result.h"

#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>

namespace dcm {

struct DiskSpec
{
    qint64 sizeMiB = 0;
    bool thin = true;

    friend bool operator==(const DiskSpec&, const DiskSpec&) = default;
};

// One virtual network adapter. For a clone, the template's adapters are reconnected in order to the
// first networks and the rest are added.
struct NicSpec
{
    static inline const QString vmxnet3 = QStringLiteral("vmxnet3");
    static inline const QString e1000e = QStringLiteral("e1000e");

    QString network; // a name or inventory path, standard or distributed portgroup
    QString adapterType = vmxnet3;

    friend bool operator==(const NicSpec&, const NicSpec&) = default;
};

// One problem with a spec, naming the field it belongs to ("name", "cpus", "disks[1].sizeMiB", ...).
struct FieldProblem
{
    QString field;
    QString message; // in words an operator understands

    friend bool operator==(const FieldProblem&, const FieldProblem&) = default;
};

// What an operator asks for. Placement is by name or inventory path, as an operator sees it;
// the adapter resolves names to hypervisor references.
struct VmSpec
{
    // Limits of vSphere 8 (VM hardware version 20), the most any supported vCenter accepts; an older
    // host refuses less at CreateVM time with a business fault that names the limit.
    static constexpr int maxNameLength = 80; // vCenter's limit for an inventory name
    static constexpr int maxCpus = 768;
    static constexpr qint64 minMemoryMiB = 4;
    static constexpr qint64 memoryGranuleMiB = 4;
    static constexpr qint64 maxMemoryMiB = qint64(24) * 1024 * 1024; // 24 TiB
    static constexpr int maxDisks = 60;                              // 4 SCSI controllers x 15 targets
    static constexpr qint64 minDiskMiB = 1;
    static constexpr qint64 maxDiskMiB = qint64(62) * 1024 * 1024; // 62 TiB, the VMFS/vSAN virtual disk limit
    static constexpr int maxAnnotationLength = 4096;
    static constexpr int maxPathLength = 1024;
    static constexpr int maxNics = 4;

    QString name;
    // Empty: a blank VM (CreateVM_Task). Otherwise the template (or VM) to clone, by name or inventory
    // path; then cpus and memoryMiB of 0 mean "as the template", and disks are data disks added after
    // the template's own.
    QString templateName;
    int cpus = 1;
    int coresPerSocket = 1;
    qint64 memoryMiB = 0;
    QList<DiskSpec> disks;
    // For a clone: "" keeps the template's disk format, "thin" or "thick" converts the clone's disks.
    QString cloneDiskFormat;
    QList<NicSpec> nics; // 1..maxNics, in order
    QString datastore;
    QString folder; // VM folder path inside the datacenter; empty = the datacenter's root VM folder
    QString datacenter;
    QString cluster;      // either cluster ...
    QString resourcePool; // ... or a resource pool path
    QString host;         // optional
    QString guestId;      // empty = GuestOsCatalog::defaultId()
    QString annotation;
    bool powerOn = false;
    GuestCustomization customization; // only for a clone

    bool isClone() const { return !templateName.isEmpty(); }
    // The first NIC's network, or empty: what a one-NIC form or table shows.
    QString primaryNetwork() const { return nics.isEmpty() ? QString() : nics.front().network; }

    // Every problem at once, each naming its field. Empty = valid.
    QList<FieldProblem> validate() const;

    // The form the store and dcmctl keep: every field, under the names above ("memoryMiB",
    // "disks":[{"sizeMiB","thin"}], "nics":[{"network","adapterType"}], ...). fromJson also reads the
    // single "network" of requests stored before NICs were a list, as the first NIC.
    QJsonObject toJson() const;
    // Type errors only (a string where a number belongs, an unknown key, a fraction of a CPU): all of
    // them at once in one InvalidInput error whose details carry "problems" like validate()'s. Missing
    // keys keep their defaults; whether the values make sense is validate()'s business.
    static Result<VmSpec> fromJson(const QJsonObject& json);

    friend bool operator==(const VmSpec&, const VmSpec&) = default;
};

// One InvalidInput error for a list of problems: the message lists them ("cpus: ...; memoryMiB: ..."),
// details["problems"] holds them as [{"field":..,"message":..}] for the GUI and `dcmctl --json`.
Error toError(const QList<FieldProblem>& problems, const QString& code = QStringLiteral("invalid-spec"));

} // namespace dcm

Q_DECLARE_METATYPE(dcm::VmSpec)
