#pragma once

#include "domain/VmSpec.h"

// A small valid VM spec placed in the bundled simulator's default model (DC0, cluster DC0_C0,
// datastore LocalDS_0, "VM Network"), for tests, drills and benchmarks against it.
inline dcm::VmSpec simulatorSpec(const QString& name, int cpus = 1, qint64 memoryMiB = 256)
{
    dcm::VmSpec s;
    s.name = name;
    s.cpus = cpus;
    s.memoryMiB = memoryMiB;
    s.disks = {dcm::DiskSpec{512, true}};
    s.datacenter = QStringLiteral("DC0");
    s.cluster = QStringLiteral("DC0_C0");
    s.datastore = QStringLiteral("LocalDS_0");
    s.nics = {dcm::NicSpec{QStringLiteral("VM Network")}};
    s.guestId = QStringLiteral("otherLinux64Guest");
    return s;
}
