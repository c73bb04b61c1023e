#pragma once

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
    QString name;
    int cpus = 1;
    int coresPerSocket = 1;
    qint64 memoryMiB = 0;
    QList<DiskSpec> disks;
    QString network;
    QString datastore;
    QString folder;       // VM folder path inside the datacenter; empty = the datacenter's root VM folder
    QString datacenter;
    QString cluster;      // either cluster ...
    QString resourcePool; // ... or a resource pool path
    QString host;         // optional
    QString guestId;
    QString annotation;
    bool powerOn = false;

    // Every problem at once, each naming its field. Empty = valid.
    QList<FieldProblem> validate() const;

    friend bool operator==(const VmSpec&, const VmSpec&) = default;
};

} // namespace dcm

Q_DECLARE_METATYPE(dcm::VmSpec)
