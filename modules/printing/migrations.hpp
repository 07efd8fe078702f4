#pragma once
#include "store/migrations.hpp"

namespace fulfil::printing {

// The printing module's tables: labels and print jobs.
store::MigrationSet migration_set();

}  // namespace fulfil::printing
