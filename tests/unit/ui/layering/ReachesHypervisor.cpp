// Compiled exactly as a source of ui/ (see ../CMakeLists.txt): must fail, the vSphere adapter not found.
#include "hypervisor/vsphere/VsphereHypervisor.h"
