// Compiled exactly as a source of ui/ (see ../CMakeLists.txt), never linked: the control case. A ui
// source reaches the service's value types and its own headers; so the two failing probes beside this
// one fail because of the header they name, not because the probe is set up wrong.
#include "app/service/ServiceTypes.h"
#include "app/service/SubmitAnswer.h"
#include "ui/MainWindow.h"
#include "ui/ServiceClient.h"
