#pragma once

#include "domain/Result.h"
#include "domain/VmSpec.h"

#include <QList>

namespace dcm {

// A batch: "N VMs from this spec". At most maxBatchCount: a batch is one operator's action, previewed
// VM by VM in the form and submitted in one go; each VM is its own request, and beyond a hundred the
// preview stops being read and a script looping over `dcmctl submit` is the better tool.
constexpr int maxBatchCount = 100;

// The VMs of a batch, in order. In the name, "{n}", "{nn}" and "{nnn}" become the VM's number
// (1-based, zero-padded to 1, 2 or 3 digits; wider numbers are never cut). Every static NIC address
// of VM i (0-based) is the pattern's address + i, inside the pattern's subnet. All problems at once,
// each naming its field ("count", "name", "customization.nics[0].address", ...); a problem that only
// some VMs have names them. Refused: a count outside 1..maxBatchCount, several VMs with one name (no
// placeholder), an address leaving its subnet, an address two VMs (or two NICs) would share, and
// anything VmSpec::validate() refuses for any of the VMs.
Result<QList<VmSpec>> expandBatch(const VmSpec& pattern, int count);

// The name of VM `number` (1-based) of a batch named `pattern`.
QString batchName(const QString& pattern, int number);
// True when `pattern` holds "{n}", "{nn}" or "{nnn}".
bool hasNumberPlaceholder(const QString& pattern);

} // namespace dcm
