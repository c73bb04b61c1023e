// Compiled exactly as a source of ui/ (see ../CMakeLists.txt): must fail, the SQLite store not found.
#include "app/storage/SqliteRequestStore.h"
