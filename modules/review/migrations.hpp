#pragma once
#include "store/migrations.hpp"

namespace fulfil::review {

// The review module's tables: parcels, their trades, split lines, events, claims, stock
// and reservations.
store::MigrationSet migration_set();

}  // namespace fulfil::review
