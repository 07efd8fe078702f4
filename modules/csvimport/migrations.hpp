#pragma once
#include "store/migrations.hpp"

namespace fulfil::csvimport {

// The csvimport module's tables: halves of the platform's export pair waiting for the
// other half.
store::MigrationSet migration_set();

}  // namespace fulfil::csvimport
