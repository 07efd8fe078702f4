#pragma once
#include "store/migrations.hpp"

namespace fulfil::courier {

// The courier module's tables: the offline number pool, waybills, per-day counts and ship
// confirmations.
store::MigrationSet migration_set();

}  // namespace fulfil::courier
